"""Hints for lines not computed: the engine's keys and fields, and their texts in both languages.

The expected texts are written out by hand from the case (which factor, which
unit, which conversion mass is missing), not copied from the code's output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.factors import factor_table_from_frame
from klimafotavtrykk.hints import HINTS, unmatched_hints
from klimafotavtrykk.messages import HINT_FIELDS, MESSAGES, hint_text, placeholders

# A hand-made factor table: one row per conversion case.
FACTORS = pd.DataFrame({
    "factor_id": ["xps", "xps_dense", "steel", "window", "board", "glulam", "concrete_total"],
    "name_nb": ["XPS", "XPS", "Stål", "Vindu", "Plate", "Limtre", "Betong"],
    "material_group": ["insulation"] * 7,
    "declared_unit": ["kg", "kg", "kg", "stk", "m2", "m3", "m3"],
    "A1-A3": ["3.0", "3.0", "1.2", "150", "4.0", "100", "300"],
    "density_kg_m3": ["", "33", "7850", "", "", "", "2400"],
    "area_mass_kg_m2": ["", "", "", "", "", "", ""],
    "linear_mass_kg_m": ["", "", "", "", "", "", ""],
    "piece_mass_kg": ["", "", "", "", "", "", ""],
    "indicator": ["gwp-ghg"] * 6 + ["gwp-total"],
    "source": ["test"] * 7,
})


@pytest.fixture(scope="module")
def result():
    lines = pd.DataFrame({
        "description": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "Montasje av stålkonstruksjoner",
                        "Noe ukjent"],
        "factor_id": ["xps", "xps_dense", "steel", "window", "board", "glulam", "concrete_total",
                      "nope", "xps_dense", None, None],
        "quantity": [10.0, 10.0, 5.0, 3.0, 7.0, 2.0, 1.0, 1.0, 4.0, 107.0, 1.0],
        "unit": ["m2", "m2", "m", "kg", "kg", "timer", "m3", "m3", "kubikk", "tonn", "m3"],
        "building_part": ["23"] * 11,
    })
    return kf.calculate(lines, "tek17", factors=FACTORS)


def test_each_line_gets_the_hint_of_its_case(result):
    hints = result.unmatched.set_index("description")["hint"]
    assert hints.to_dict() == {
        "a": "add_density_and_thickness",  # m² of a per-kg factor with no density
        "b": "add_thickness",              # m² of a per-kg factor with a density
        "c": "add_linear_mass",            # m of a per-kg factor: no kg per m
        "d": "add_piece_mass",             # kg of a per-piece factor: no kg per piece
        "e": "add_area_mass",              # the line's kg is known, the factor's kg per m² is not
        "f": "unit_not_material",          # hours are no amount of material
        "g": "indicator_not_accepted",     # GWP-total under tek17
        "h": "unknown_factor",
        "i": "unknown_unit",
        "Montasje av stålkonstruksjoner": "labour_only",
        "Noe ukjent": "no_factor",         # no factor_id, and no alias matches
    }


def test_hint_fields_name_the_factor_and_its_unit(result):
    row = result.unmatched.set_index("description").loc["a"]
    assert (row["hint_factor"], row["hint_declared_unit"]) == ("xps", "kg")
    row = result.unmatched.set_index("description").loc["g"]
    assert (row["hint_indicator"], row["hint_accepted"]) == ("gwp-total", "gwp-ghg, gwp-iobc, gwp-fossil")
    assert result.unmatched.set_index("description").loc["h", "hint_factor"] == "nope"


CASES = {
    "a": ("faktoren «xps» er per kg og har ingen densitet: legg density_kg_m3 til faktorraden og "
          "thickness_mm på linjen (eller area_mass_kg_m2 på faktorraden), eller oppgi mengden i kg",
          "the factor 'xps' is per kg and has no density: add density_kg_m3 to the factor row and "
          "thickness_mm on the line (or area_mass_kg_m2 to the factor row), or give the quantity in kg"),
    "b": ("faktoren «xps_dense» er per kg, og en linje i m2 trenger en tykkelse: legg til thickness_mm "
          "(eller skriv tykkelsen i beskrivelsen, f.eks. «100 mm»), eller legg area_mass_kg_m2 til "
          "faktorraden",
          "the factor 'xps_dense' is per kg, and a line in m2 needs a thickness: add thickness_mm (or "
          "write the thickness in the description, e.g. '100 mm'), or add area_mass_kg_m2 to the "
          "factor row"),
    "d": ("faktoren «window» er per stk og har ingen vekt per stykk: legg piece_mass_kg til "
          "faktorraden, eller oppgi mengden i stk",
          "the factor 'window' is per stk and has no mass per piece: add piece_mass_kg to the factor "
          "row, or give the quantity in stk"),
    "g": ("faktoren «concrete_total» er oppgitt som gwp-total, profilen godtar gwp-ghg, gwp-iobc, "
          "gwp-fossil: bruk en EPD-verdi med en godtatt indikator",
          "the factor 'concrete_total' declares gwp-total, the profile accepts gwp-ghg, gwp-iobc, "
          "gwp-fossil: use an EPD value with an accepted indicator"),
    "i": ("enheten «kubikk» er ukjent: skriv den som m3, m2, m, kg, tonn eller stk, eller legg "
          "skrivemåten til i data/units/aliases.csv",
          "the unit 'kubikk' is not known: write it as m3, m2, m, kg, tonn or stk, or add the spelling "
          "to data/units/aliases.csv"),
    "Noe ukjent": ("ingen alias eller NS 3420-kode fant en faktor for denne teksten: oppgi factor_id "
                   "på linjen, legg til en aliasrad (data/mappings) eller bruk en egen faktortabell "
                   "(--faktorer)",
                   "no alias or NS 3420 code found a factor for this text: add factor_id on the line, "
                   "or an alias row (data/mappings), or your own factor table (--faktorer)"),
}


@pytest.mark.parametrize("description", sorted(CASES))
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_hint_text_in_both_languages(result, description, lang):
    texts = hint_text(result.unmatched, lang)
    at = result.unmatched.index[result.unmatched["description"] == description][0]
    assert texts[at] == CASES[description][0 if lang == "nb" else 1]


def test_hint_text_keeps_the_index_and_is_empty_without_a_hint():
    frame = pd.DataFrame({"hint": [None, "no_factor", None]}, index=[7, 3, 5])
    texts = hint_text(frame, "en")
    assert texts.index.tolist() == [7, 3, 5]
    assert texts[7] == "" and texts[5] == "" and texts[3].startswith("no alias")


@pytest.mark.parametrize("key", sorted(HINTS))
def test_every_hint_key_has_nb_and_en_text_with_known_fields(key):
    entry = MESSAGES[f"hint.{key}"]
    assert entry["nb"].strip() and entry["en"].strip()
    assert placeholders(entry["nb"]) == placeholders(entry["en"])
    assert placeholders(entry["nb"]) <= set(HINT_FIELDS)


def test_every_reason_has_a_hint():
    reasons = np.array(list(kf.vocabulary.REASONS), dtype=object)
    table = factor_table_from_frame(FACTORS)
    out = unmatched_hints(reasons, np.full(len(reasons), -1), np.full(len(reasons), -1),
                          np.zeros(len(reasons), dtype=bool), table, [None] * len(reasons))
    assert set(out["hint"]) <= set(HINTS)
    assert out["hint"].notna().all()


def test_hint_messages_are_exactly_the_engine_keys():
    assert {k.split(".", 1)[1] for k in MESSAGES if k.startswith("hint.")} == set(HINTS)
