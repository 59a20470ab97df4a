"""The bokmål/English catalogue, its files, number formatting and error rendering."""

import ast
import csv
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from klimafotavtrykk import messages
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

PACKAGE = Path(messages.__file__).parent
MESSAGE_DIR = Path(__file__).parents[1] / "data" / "messages"
# The first part of a key says which file holds it (data/messages/README.md).
FILE_PREFIXES = {
    "reasons.csv": {"reason"}, "modules.csv": {"module"}, "columns.csv": {"column"},
    "errors.csv": {"input_error", "error", "field"}, "cli.csv": {"cli"}, "output.csv": {"out"},
    "report.csv": {"sheet", "summary"}, "explanations.csv": {"explanation"},
    "findings.csv": {"finding"}, "bid_template.csv": {"bid"}, "evaluation.csv": {"eval"},
    "plot.csv": {"plot"}, "hints.csv": {"hint"}, "site_reasons.csv": {"site_reason"},
    "cells.csv": {"cell"}, "followup.csv": {"followup"}, "followup_status.csv": {"followup", "plot"},
}  # fmt: skip

# ----------------------------------------------------------------------------- catalogue

@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages(key):
    """Every text, plot labels included, exists non-empty in bokmål and English."""
    assert set(MESSAGES[key]) == set(LANGUAGES) == {"nb", "en"}
    assert all(isinstance(text, str) and text.strip() for text in MESSAGES[key].values())


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_use_the_same_fields(key):
    """Bokmål and English use the same set of placeholders."""
    nb, en = MESSAGES[key]["nb"], MESSAGES[key]["en"]
    assert placeholders(nb) == placeholders(en)


def test_every_reason_and_module_has_a_text():
    """Each reason and each life-cycle module of the vocabulary has a text."""
    for reason in REASONS:
        assert f"reason.{reason}" in MESSAGES
    for module in MODULES:
        assert f"module.{module}" in MESSAGES


def test_t_fills_fields_in_either_language():
    """t() fills placeholders; bokmål is the default."""
    assert t("out.more", "nb", n=3) == "… og 3 til"
    assert t("out.more", "en", n=3) == "… and 3 more"
    assert t("sheet.summary") == "Sammendrag"   # bokmål by default


def test_t_rejects_unknown_keys_and_languages():
    """An unknown key is a KeyError, an unknown language an InputError."""
    with pytest.raises(KeyError):
        t("no.such.key")
    with pytest.raises(InputError, match="unknown language 'de'") as info:
        t("sheet.summary", "de")
    assert info.value.code == "unknown_language"


def test_reason_module_and_column_labels():
    """Reason, module and column labels, with their fallbacks."""
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
    """Thousands and decimal separators per language."""
    assert format_number(value, lang, decimals) == text


def test_format_share():
    """Shares print as percentages, with a space in bokmål."""
    assert format_share(0.25, "nb") == "25 %"
    assert format_share(0.25, "en") == "25%"
    assert format_share(0.005, "nb", decimals=1) == "0,5 %"


# ----------------------------------------------------------------------------- errors

@pytest.fixture
def cell_error():
    """Return an input error in a cell, with every field filled in."""
    return InputError("cell holds a formula without a cached value", file="skole.xlsx",
                      sheet="Mengder", cell="E14", expected="a stored value", found="=SUM(E2:E13)",
                      code="formula_without_value")


def test_input_error_in_bokmal(cell_error):
    """An input error in bokmål, with aligned field labels."""
    assert render_error(cell_error, "nb").splitlines() == [
        "Feil i inndata: Cellen har en formel uten lagret verdi (flere celler: se Funnet). "
        "Åpne og lagre filen i Excel, så lagres verdiene.",
        "  Fil:       skole.xlsx",      # labels padded to the longest ("Forventet:")
        "  Ark:       Mengder",
        "  Celle:     E14",
        "  Forventet: en formel med lagret verdi",  # the catalogue's words, never the English
        "  Funnet:    '=SUM(E2:E13)'",
    ]


def test_input_error_in_english(cell_error):
    """The same input error in English."""
    assert render_error(cell_error, "en").splitlines() == [
        "Input error: The cell holds a formula without a stored value (several cells: see "
        "Found). Open and save the file in Excel to store the values.",
        "  File:     skole.xlsx",
        "  Sheet:    Mengder",
        "  Cell:     E14",
        "  Expected: a formula with its stored value",
        "  Found:    '=SUM(E2:E13)'",
    ]


def test_input_error_survives_pickling_and_renders_the_same(cell_error):
    """A pickled input error renders as the original."""
    again = pickle.loads(pickle.dumps(cell_error))
    assert render_error(again, "nb") == render_error(cell_error, "nb")


def test_unknown_code_falls_back_to_the_english_problem():
    """A code without a text shows the English problem."""
    exc = InputError("merged header cells span three rows", file="a.xlsx", code="not_in_catalogue")
    assert render_error(exc, "nb") == "Feil i inndata: merged header cells span three rows\n  Fil: a.xlsx"


def test_missing_column_error_is_rendered_as_an_input_error():
    """MissingColumnError renders as an input error."""
    exc = MissingColumnError("missing columns ['unit']", expected="unit", code="missing_column")
    assert render_error(exc, "en") == (
        "Input error: A required column is missing.\n  Expected: the column unit")


def test_data_profile_unit_and_os_errors():
    """Data, profile, unit and OS errors, each with its fields."""
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
    """An unexpected error is one line pointing to --debug."""
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


# ----------------------------------------------------------------------------- the files

def _rows(path):
    """Header and rows of a message file, read with the csv module as the loader does."""
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def test_each_file_has_key_nb_en_and_only_its_own_keys():
    """Each message file has the header key,nb,en and only the keys its README row gives it."""
    assert {p.name for p in MESSAGE_DIR.glob("*.csv")} == set(FILE_PREFIXES)
    for name, prefixes in FILE_PREFIXES.items():
        header, rows = _rows(MESSAGE_DIR / name)
        assert header == ["key", "nb", "en"], name
        assert rows, name
        assert all(len(row) == 3 for row in rows), name
        strays = [row[0] for row in rows if row[0].split(".")[0] not in prefixes]
        assert not strays, f"{name} holds keys of another file: {strays}"


def test_no_key_is_defined_twice_across_files():
    """A key is defined once over all files, and the loader serves exactly the files' keys."""
    seen = {}
    for path in sorted(MESSAGE_DIR.glob("*.csv")):
        for key, *_ in _rows(path)[1]:
            assert key not in seen, f"{key} in {path.name} and {seen[key]}"
            seen[key] = path.name
    assert set(seen) == set(MESSAGES)    # the loader serves every row, and nothing else


def test_every_plot_label_is_in_the_catalogue_and_used():
    """Every label plotting asks for is in plot.csv, and plot.csv holds no unused label."""
    used = {key for key, is_prefix in _lookups(PACKAGE / "plotting.py")
            if key.startswith("plot.") and not is_prefix}     # not _t's own t(f"plot.{key}")
    assert used == {key for key in MESSAGES if key.startswith("plot.")}
    assert t("plot.title.modules", "nb") == "Utslipp per livsløpsmodul"
    assert t("plot.other_lines", "en", n=3) == "3 other lines"


def _literals(node):
    """Collect the string constants an expression can evaluate to (a constant, either side of an if-else)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


def _lookups(path):
    """``(key, is_prefix)`` for each text looked up in a source file.

    Looks at ``t(key, ...)``, plotting's ``_t(key, ...)`` (prefix ``plot.``) and
    ``MESSAGES.get(key)``; an f-string key yields its literal start as a prefix.
    A key held in a variable is not seen here.
    """
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "t":
            prefix = ""
        elif isinstance(func, ast.Name) and func.id == "_t" and path.name == "plotting.py":
            prefix = "plot."
        elif (isinstance(func, ast.Attribute) and func.attr == "get"
              and ((isinstance(func.value, ast.Name) and func.value.id == "MESSAGES")
                   or (isinstance(func.value, ast.Call) and isinstance(func.value.func, ast.Name)
                       and func.value.func.id == "_catalogue"))):
            prefix = ""
        else:
            continue
        key = node.args[0]
        if isinstance(key, ast.JoinedStr):
            head = key.values[0]
            if isinstance(head, ast.Constant):
                found.append((prefix + head.value, True))
        else:
            found.extend((prefix + text, False) for text in _literals(key))
    return found


def test_every_key_looked_up_in_code_exists():
    """Every literal key (or f-string key prefix) the package looks up is in the catalogue."""
    missing, seen = [], 0
    for path in sorted(PACKAGE.rglob("*.py")):
        for key, is_prefix in _lookups(path):
            seen += 1
            exists = any(k.startswith(key) for k in MESSAGES) if is_prefix else key in MESSAGES
            if not exists:
                missing.append(f"{path.relative_to(PACKAGE)}: {key}{'…' if is_prefix else ''}")
    assert seen > 100    # the scan does find the look-ups
    assert not missing, missing


def _load(folder, monkeypatch):
    """Run the loader, uncached, on the message files in ``folder``."""
    monkeypatch.setattr(messages, "data_path", lambda *parts: folder)
    return messages._catalogue.__wrapped__()


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)


def test_quoting_round_trips_line_breaks_quotes_spaces_and_placeholders(tmp_path, monkeypatch):
    """Line breaks, quotes, edge spaces and placeholders survive the CSV exactly."""
    nb = 'Første linje, med {file}\nandre linje: «{n}» og ""sitat"" '
    en = ' First line, with {file}\r\nsecond line: "{n}" and "quote"'
    _write(tmp_path / "a.csv", [["key", "nb", "en"], ["x.multi", nb, en], ["x.plain", "ja", "yes"]])
    assert _load(tmp_path, monkeypatch) == {"x.multi": {"nb": nb, "en": en},
                                            "x.plain": {"nb": "ja", "en": "yes"}}
    assert placeholders(nb) == placeholders(en) == {"file", "n"}


def test_a_key_defined_twice_stops_the_loader(tmp_path, monkeypatch):
    """A key in two files stops the loader with file and line."""
    _write(tmp_path / "a.csv", [["key", "nb", "en"], ["x.one", "en", "one"]])
    _write(tmp_path / "b.csv", [["key", "nb", "en"], ["x.two", "to", "two"], ["x.one", "én", "one"]])
    with pytest.raises(DataError, match="'x.one' is also defined in a.csv") as info:
        _load(tmp_path, monkeypatch)
    assert info.value.file.endswith("b.csv") and info.value.row == 3


@pytest.mark.parametrize(("rows", "problem"), [
    ([["key", "en", "nb"], ["x", "a", "b"]], "header must be key,nb,en"),
    ([["key", "nb", "en"], ["x", "bare bokmål"]], "expected 3 fields, found 2"),
])
def test_a_malformed_file_stops_the_loader(tmp_path, monkeypatch, rows, problem):
    """A wrong header or a short row stops the loader."""
    _write(tmp_path / "a.csv", rows)
    with pytest.raises(DataError, match=problem):
        _load(tmp_path, monkeypatch)


def test_no_files_stop_the_loader(tmp_path, monkeypatch):
    """An empty message folder stops the loader."""
    with pytest.raises(DataError, match="no message files"):
        _load(tmp_path, monkeypatch)


def test_files_are_read_once_on_first_use():
    """Importing reads no file; the first look-up reads them, later ones hit the cache."""
    script = ("import klimafotavtrykk.messages as m\n"
              "before = m._catalogue.cache_info().currsize\n"
              "m.t('out.more', 'nb', n=1); m.t('sheet.summary', 'en'); m.MESSAGES\n"
              "info = m._catalogue.cache_info()\n"
              "print(before, info.misses, info.currsize)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "1", "1"]
