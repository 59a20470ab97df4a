"""The bokmål/English catalogue, number formatting and error rendering."""

import pickle

import pytest

from klimafotavtrykk.errors import (
    DataError,
    InputError,
    MissingColumnError,
    ProfileError,
    UnitError,
)
from klimafotavtrykk.messages import (
    LANGUAGES,
    MESSAGES,
    column_label,
    format_number,
    format_share,
    module_label,
    placeholders,
    reason_text,
    render_error,
    t,
)
from klimafotavtrykk.vocabulary import MODULES, REASONS

# ----------------------------------------------------------------------------- catalogue

@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages(key):
    assert set(MESSAGES[key]) == set(LANGUAGES) == {"nb", "en"}
    assert all(isinstance(text, str) and text.strip() for text in MESSAGES[key].values())


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_use_the_same_fields(key):
    nb, en = MESSAGES[key]["nb"], MESSAGES[key]["en"]
    assert placeholders(nb) == placeholders(en)


def test_every_reason_and_module_has_a_text():
    for reason in REASONS:
        assert f"reason.{reason}" in MESSAGES
    for module in MODULES:
        assert f"module.{module}" in MESSAGES


def test_t_fills_fields_in_either_language():
    assert t("out.more", "nb", n=3) == "… og 3 til"
    assert t("out.more", "en", n=3) == "… and 3 more"
    assert t("sheet.summary") == "Sammendrag"   # bokmål by default


def test_t_rejects_unknown_keys_and_languages():
    with pytest.raises(KeyError):
        t("no.such.key")
    with pytest.raises(InputError, match="unknown language 'de'") as info:
        t("sheet.summary", "de")
    assert info.value.code == "unknown_language"


def test_reason_module_and_column_labels():
    assert reason_text("lump_sum", "nb") == "rund sum (RS): ingen fysisk mengde"
    assert reason_text("lump_sum", "en") == "lump sum (RS): no physical quantity"
    # a reason the engine may add later falls back to its English text, or the key itself
    assert reason_text("brand_new_reason", "nb") == "brand_new_reason"
    assert module_label("A4", "nb") == "Transport til byggeplass"
    assert module_label("A4", "en") == "Transport to site"
    assert column_label("A1-A3", "nb") == "A1-A3 [kg CO2e]"
    assert column_label("quantity", "nb") == "Mengde"
    assert column_label("quantity", "en") == "Quantity"


# ----------------------------------------------------------------------------- numbers

@pytest.mark.parametrize(("value", "lang", "decimals", "text"), [
    (1_234_567.8, "nb", 0, "1 234 568"),       # space groups thousands in bokmål
    (1_234_567.8, "en", 0, "1,234,568"),
    (1_050.0, "nb", 0, "1 050"),
    (0.21, "nb", 2, "0,21"),                    # decimal comma
    (0.21, "en", 2, "0.21"),
    (-1_234.5, "nb", 1, "-1 234,5"),
    (-1_234.5, "en", 1, "-1,234.5"),
    (-0.4, "nb", 0, "0"),                       # no "-0" after rounding
    (999.5, "nb", 0, "1 000"),
    (float("nan"), "nb", 0, "–"),
    (None, "en", 0, "–"),
])
def test_format_number(value, lang, decimals, text):
    assert format_number(value, lang, decimals) == text


def test_format_share():
    assert format_share(0.25, "nb") == "25 %"
    assert format_share(0.25, "en") == "25%"
    assert format_share(0.005, "nb", decimals=1) == "0,5 %"


# ----------------------------------------------------------------------------- errors

@pytest.fixture
def cell_error():
    return InputError("cell holds a formula without a cached value", file="skole.xlsx",
                      sheet="Mengder", cell="E14", expected="a stored value", found="=SUM(E2:E13)",
                      code="formula_without_value")


def test_input_error_in_bokmal(cell_error):
    assert render_error(cell_error, "nb").splitlines() == [
        "Feil i inndata: Cellen har en formel uten lagret verdi. Åpne og lagre filen i Excel, "
        "så lagres verdien.",
        "  Fil:       skole.xlsx",      # labels padded to the longest ("Forventet:")
        "  Ark:       Mengder",
        "  Celle:     E14",
        "  Forventet: a stored value",
        "  Funnet:    '=SUM(E2:E13)'",
    ]


def test_input_error_in_english(cell_error):
    assert render_error(cell_error, "en").splitlines() == [
        "Input error: The cell holds a formula without a stored value. Open and save the file "
        "in Excel to store the value.",
        "  File:     skole.xlsx",
        "  Sheet:    Mengder",
        "  Cell:     E14",
        "  Expected: a stored value",
        "  Found:    '=SUM(E2:E13)'",
    ]


def test_input_error_survives_pickling_and_renders_the_same(cell_error):
    again = pickle.loads(pickle.dumps(cell_error))
    assert render_error(again, "nb") == render_error(cell_error, "nb")


def test_unknown_code_falls_back_to_the_english_problem():
    exc = InputError("merged header cells span three rows", file="a.xlsx", code="not_in_catalogue")
    assert render_error(exc, "nb") == "Feil i inndata: merged header cells span three rows\n  Fil: a.xlsx"


def test_missing_column_error_is_rendered_as_an_input_error():
    exc = MissingColumnError("missing columns ['unit']", expected="unit", code="missing_column")
    assert render_error(exc, "en") == (
        "Input error: A required column is missing.\n  Expected: unit")


def test_data_profile_unit_and_os_errors():
    assert render_error(DataError("row has no source", file="egne.csv", row=4), "nb") == (
        "Feil i datafil: row has no source\n  Fil: egne.csv\n  Rad: 4")
    assert render_error(ProfileError("unknown profile 'x'", file="x"), "en") == (
        "Profile error: unknown profile 'x'\n  File: x")
    assert render_error(UnitError("not a pint unit", unit="lm"), "nb") == (
        "Enhetsfeil: not a pint unit\n  Enhet: lm")
    missing = FileNotFoundError(2, "No such file or directory", "ut/rapport.xlsx")
    assert render_error(missing, "nb") == (
        "Kan ikke bruke filen ut/rapport.xlsx: No such file or directory")


def test_unexpected_error_is_one_short_line():
    text = render_error(RuntimeError("boom\nsecond line"), "nb")
    assert text == "Uventet feil (RuntimeError): boom. Kjør med --debug for detaljer."


def test_every_error_code_raised_in_the_package_has_a_text():
    """Each InputError code the package raises renders in bokmål and English, not raw English."""
    import re
    from pathlib import Path

    import klimafotavtrykk

    package = Path(klimafotavtrykk.__file__).parent
    codes = set()
    for path in package.rglob("*.py"):
        codes |= set(re.findall(r'code\s*=\s*"([a-z_0-9.]+)"', path.read_text(encoding="utf-8")))
    missing = sorted(c for c in codes if f"input_error.{c}" not in MESSAGES)
    assert not missing, f"codes without a message: {missing}"
