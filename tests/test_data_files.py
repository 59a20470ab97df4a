"""Schema and provenance checks on the shipped data files and the example workbook.

Expected values in the spot checks are written out by hand from the cited
publications, with the arithmetic in comments; none is copied from code output.
"""

from __future__ import annotations

import importlib.util
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).parents[1]
DATA = ROOT / "data"
SOURCES = DATA / "sources.csv"
MATERIALS = DATA / "emission_factors" / "materials.csv"
MATERIAL_FILES = sorted((DATA / "emission_factors").glob("materials*.csv"))
TRANSPORT = DATA / "emission_factors" / "transport_modes.csv"
SCENARIOS = DATA / "emission_factors" / "scenario_defaults.csv"
ALIASES = DATA / "mappings" / "material_aliases.csv"
NS3420_FILES = sorted((DATA / "mappings").glob("ns3420*.csv"))
EXAMPLE = ROOT / "examples" / "skole.xlsx"
EXAMPLE_SCRIPT = ROOT / "examples" / "build_examples.py"

DATA_FILES = (
    sorted((DATA / "emission_factors").glob("*.csv"))
    + sorted((DATA / "mappings").glob("*.csv"))
    + sorted((DATA / "procurement").glob("*.csv"))  # EPD ranges and number formats
    + sorted((DATA / "epd").glob("*.csv"))  # EPD file formats: indicator and unit identifiers
    + sorted((DATA / "uncertainty").glob("*.csv"))  # spreads of factors and quantities
    + sorted((DATA / "units").glob("*.csv"))  # unit spellings, scales, plausible quantities
)
# Exempt from the source rule: data/messages/*.csv hold user-facing texts (key,nb,en), not
# numbers, so there is nothing in them to cite. The exemption is by folder, here, not a looser
# rule for numeric files; test_text_files_hold_text_only keeps those files to three text columns.
TEXT_FILES = sorted((DATA / "messages").glob("*.csv"))
MATERIAL_COLUMNS = [
    "factor_id", "name_nb", "name_en", "material_group", "declared_unit",
    "A1-A3", "A4", "A5", "B1", "B2", "B3", "B5", "B7", "C1", "C2", "C3", "C4", "D",
    "indicator", "dataset_type", "density_kg_m3", "area_mass_kg_m2", "linear_mass_kg_m",
    "piece_mass_kg", "service_life_years", "service_life_source_id", "waste_rate",
    "transport_km", "transport_mode", "source_id", "source_detail", "is_default",
    "default_reason", "confidence", "eol_scenario", "eol_source_id",
]  # fmt: skip
EOL_COLUMNS = ["eol_scenario", "eol_source_id"]
MODULE_COLUMNS = ["A1-A3", "A4", "A5", "B1", "B2", "B3", "B5", "B7", "C1", "C2", "C3", "C4", "D"]
MASS_COLUMNS = ["density_kg_m3", "area_mass_kg_m2", "linear_mass_kg_m", "piece_mass_kg"]
REQUIRED_SOURCE_IDS = {
    "boverket-klimatdatabas-2025", "library-default", "dibk-tek17-17-1",
    "standard-ns3720-2018", "breeam-nor-v6-man01", "zeb-definitions", "norden-2024-437",
    "byggtjeneste-miljodata", "en15978-summary", "lcabyg-b4-fixtures", "oneclick-en17472",
}  # fmt: skip


def read(path: Path) -> pd.DataFrame:
    """Read a data file as text, keeping empty cells as '' (never NaN)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def as_number(column: pd.Series) -> pd.Series:
    """Non-empty cells as numbers; an unparsable cell becomes NaN."""
    return pd.to_numeric(column[column != ""], errors="coerce")


def known_sources() -> set[str]:
    return set(read(SOURCES)["source_id"])


def materials() -> pd.DataFrame:
    """Every shipped factor table (``materials*.csv``) as one frame (absent columns as '')."""
    return pd.concat([read(p) for p in MATERIAL_FILES], ignore_index=True).fillna("")


def factor_ids() -> set[str]:
    return set(materials()["factor_id"])


def best_alias(description: str, aliases: pd.DataFrame) -> set[str]:
    """Factor ids of the highest-priority aliases matching ``description`` (re.search, case-insensitive)."""
    hits = aliases[
        [re.search(p, description, re.IGNORECASE) is not None for p in aliases["pattern"]]
    ]
    if hits.empty:
        return set()
    priority = hits["priority"].astype(int)
    return set(hits.loc[priority == priority.max(), "factor_id"])


# --------------------------------------------------------------------------- sources


def test_sources_are_unique_and_complete():
    sources = read(SOURCES)
    assert list(sources.columns) == [
        "source_id", "title", "publisher", "year", "table_or_record", "url", "accessed",
        "licence", "confidence", "note",
    ]  # fmt: skip
    assert sources["source_id"].is_unique
    assert sources["source_id"].str.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*").all()
    assert REQUIRED_SOURCE_IDS <= set(sources["source_id"])
    assert (sources["title"] != "").all()
    assert (sources["licence"] != "").all()
    assert sources["confidence"].isin(["C", "S", "R"]).all()
    # every source but the library's own defaults can be looked up
    published = sources[sources["source_id"] != "library-default"]
    assert (published["url"].str.startswith(("http://", "https://"))).all()


# ------------------------------------------------------------- every data file


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_every_row_cites_a_known_source(path):
    rows = read(path)
    assert (rows["source_id"] != "").all()
    assert set(rows["source_id"]) <= known_sources()
    if "service_life_source_id" in rows:
        cited = rows.loc[rows["service_life_source_id"] != "", "service_life_source_id"]
        assert set(cited) <= known_sources()
        with_life = rows["service_life_years"] != ""
        assert (rows.loc[with_life, "service_life_source_id"] != "").all()


def test_text_files_hold_text_only():
    """The exempt message files are texts only: key, bokmål, English, and no other column."""
    assert TEXT_FILES
    assert not set(TEXT_FILES) & set(DATA_FILES)
    for path in TEXT_FILES:
        assert list(read(path).columns) == ["key", "nb", "en"], path.name


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_defaults_are_flagged_with_a_reason(path):
    rows = read(path)
    if "is_default" not in rows:
        pytest.skip("file has no is_default column")
    assert rows["is_default"].isin(["true", "false"]).all()
    flagged = rows[rows["is_default"] == "true"]
    assert (flagged["default_reason"].str.strip() != "").all()


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_no_unconfirmed_values_are_shipped(path):
    rows = read(path)
    if "confidence" not in rows:
        pytest.skip("file has no confidence column")
    assert not (rows["confidence"] == "U").any()
    assert rows["confidence"].isin(["C", "S"]).all()


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_every_factor_reference_resolves(path):
    rows = read(path)
    if path in MATERIAL_FILES or "factor_id" not in rows:
        pytest.skip("file defines factors or does not refer to them")
    named = rows["factor_id"][rows["factor_id"] != ""]
    if path.name.startswith("ns3420"):  # a code prefix may name a material family only
        assert set(named) <= factor_ids()
    elif "material_group" in rows:  # a row keyed by material group names no factor
        assert set(named) <= factor_ids()
        groups = rows.loc[rows["factor_id"] == "", "material_group"]
        assert (groups != "").all() and set(groups) <= set(materials()["material_group"])
    else:
        assert len(named) == len(rows) and set(named) <= factor_ids()


# ----------------------------------------------------------------- materials.csv


def test_material_columns_and_keys():
    rows = materials()
    # the end-of-life columns (scenario text and its source) may follow the common schema
    assert list(rows.columns)[: len(MATERIAL_COLUMNS)] == MATERIAL_COLUMNS
    assert set(rows.columns[len(MATERIAL_COLUMNS):]) <= set(EOL_COLUMNS)
    assert rows["factor_id"].is_unique
    assert rows["factor_id"].str.fullmatch(r"[a-z][a-z0-9_]*").all()
    assert len(rows) >= 45


def test_material_values_are_numbers_or_empty():
    rows = materials()
    numeric = MODULE_COLUMNS + MASS_COLUMNS + ["service_life_years", "waste_rate", "transport_km"]
    for column in numeric:
        values = as_number(rows[column])
        assert values.notna().all(), f"{column}: text where a number or an empty cell belongs"
    for column in MASS_COLUMNS + ["service_life_years", "transport_km"]:
        assert (as_number(rows[column]) > 0).all(), column
    # every factor declares at least its product stage
    assert (rows["A1-A3"] != "").all()


def test_material_vocabularies():
    rows = materials()
    assert rows["declared_unit"].isin(["kg", "tonne", "m3", "m2", "m", "piece"]).all()
    assert rows["indicator"].isin(["gwp-ghg", "gwp-total", "gwp-iobc", "gwp-fossil"]).all()
    assert rows["dataset_type"].isin(["generic", "industry_epd", "product_epd"]).all()
    assert (rows["name_nb"] != "").all() and (rows["name_en"] != "").all()


def test_waste_rates_are_shares():
    waste = as_number(materials()["waste_rate"])
    assert ((waste >= 0) & (waste < 1)).all()


def test_transport_modes_resolve():
    rows = materials()
    modes = set(read(TRANSPORT)["transport_mode"])
    used = rows["transport_mode"] != ""
    assert set(rows.loc[used, "transport_mode"]) <= modes
    # a distance always comes with a mode; a mode alone is allowed (masses: the line gives the haul)
    assert (used | (rows["transport_km"] == "")).all()


def test_factors_declared_per_kg_can_be_converted_from_volume_or_area():
    rows = materials()
    per_kg = rows[rows["declared_unit"] == "kg"]
    no_mass = per_kg[(per_kg["density_kg_m3"] == "") & (per_kg["area_mass_kg_m2"] == "")]
    # Boverket gives no density for EPS and XPS; they stay empty rather than guessed. The PVC
    # sheet's published area mass (39.2 kg/m2, the window value) is withheld as implausible.
    assert set(no_mass["factor_id"]) <= {"eps", "xps", "pvc_sheet"}


# ---------------------------------------------------------- transport_modes.csv


def test_transport_modes_table():
    rows = read(TRANSPORT)
    assert list(rows.columns) == [
        "transport_mode", "name_nb", "name_en", "kg_co2e_per_tkm", "scope", "source_id",
        "source_detail", "is_default", "default_reason", "confidence",
    ]  # fmt: skip
    assert rows["transport_mode"].is_unique
    factors = as_number(rows["kg_co2e_per_tkm"])
    assert len(factors) == len(rows) and (factors > 0).all()
    assert {"truck_long_haul", "truck_distribution", "truck_concrete", "ship"} <= set(
        rows["transport_mode"]
    )


# -------------------------------------------------------- scenario_defaults.csv


def test_scenario_defaults_table():
    """One sourced, flagged transport and waste scenario per material group, modes that exist."""
    rows = read(SCENARIOS)
    assert rows["material_group"].is_unique
    assert (rows["source_id"] != "").all() and set(rows["source_id"]) <= known_sources()
    assert set(rows["transport_mode"]) <= set(read(TRANSPORT)["transport_mode"])
    km, waste = as_number(rows["transport_km"]), as_number(rows["waste_rate"])
    assert len(km) == len(rows) and (km > 0).all()
    assert len(waste) == len(rows) and ((waste >= 0) & (waste < 1)).all()
    # every row is a group default, not the published figure of one product: flagged and reasoned
    assert (rows["is_default"] == "true").all() and (rows["default_reason"] != "").all()
    # the groups are those of the shipped factor tables
    shipped = set(pd.concat([read(p)["material_group"] for p in MATERIAL_FILES]))
    assert set(rows["material_group"]) <= shipped


# -------------------------------------------------------------------- mappings


def test_alias_patterns_compile_and_priorities_are_integers():
    aliases = read(ALIASES)
    assert list(aliases.columns) == ["pattern", "factor_id", "priority", "note", "source_id"]
    for pattern in aliases["pattern"]:
        re.compile(pattern, re.IGNORECASE)
    assert aliases["priority"].str.fullmatch(r"\d+").all()
    assert not aliases.duplicated(["pattern", "factor_id"]).any()


@pytest.mark.parametrize("path", NS3420_FILES, ids=lambda p: p.name)
def test_item_code_prefixes_are_well_formed(path):
    prefixes = read(path)
    assert list(prefixes.columns) == [
        "item_code_prefix", "factor_id", "note", "source_id", "material_group",
    ]  # fmt: skip
    assert prefixes["item_code_prefix"].str.fullmatch(r"[A-Z]{1,3}(?:\d+(?:\.\d+)?)?").all()
    # a row may name a material family without a fallback factor (factor_id empty), never without a note
    assert (prefixes["material_group"] != "").all() and (prefixes["note"] != "").all()


def test_item_code_prefixes_are_unique_across_files():
    prefixes = pd.concat([read(p) for p in NS3420_FILES])["item_code_prefix"]
    assert prefixes.is_unique


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        # NB 37 class named after the strength class, and before it
        ("Plasstøpt betong B30 lavkarbon B, såler og fundamenter", {"concrete_lowcarbon_b_b30"}),
        ("Lavkarbon klasse A, B35, vegger i trapperom", {"concrete_lowcarbon_a_b35"}),
        # low-carbon without a sourced NB 37 value: climate-improved proxy
        ("Betong B35 lavkarbon B", {"concrete_climate_improved_c35_45"}),
        # B30 = C30/37 (NS-EN 206 national annex)
        ("Plasstøpt betong B30 M60, gulv på grunn", {"concrete_c30_37"}),
        ("Armering, kamstål B500NC", {"rebar_scrap"}),
        ("Limtrebjelker GL30c", {"glulam"}),
        ("Gipsplater standard 12,5 mm", {"gypsum_board_standard"}),
        ("Brannplater, gips type F 15 mm", {"gypsum_board_fire"}),
        ("Vinduer, tre/aluminium, 3-lags isolerglass", {"window_wood_aluminium"}),
        ("Vinduer, tre, 3-lags isolerglass", {"window_wood"}),
        ("Hulldekker HD 265, lavkarbon", {"precast_hollow_core_climate_improved"}),
        ("Fugestøp av hulldekker", {"filling_mortar_hollow_core"}),
        ("Maling av utvendig trekledning, 2 strøk", {"paint_acrylic"}),
        ("Brannmaling (intumescent) på bærende stål", set()),
        ("Linoleumsbelegg 2,5 mm", set()),
    ],
)
def test_aliases_pick_the_intended_factor(description, expected):
    assert best_alias(description, read(ALIASES)) == expected


# ------------------------------------------------ spot checks against publications


def test_spot_check_boverket_ready_mix_c30_37():
    row = materials().set_index("factor_id").loc["concrete_c30_37"]
    # Boverket klimatdatabas 02.06.000, resource 6000000032 "Fabriksbetong, husbyggnad
    # C30/37": A1-A3 typical 0.116 kg CO2e/kg, A4 0.0036 kg CO2e/kg, waste factor 1.03,
    # conversion 2350 kg/m3.
    assert row["declared_unit"] == "kg"
    assert float(row["A1-A3"]) == pytest.approx(0.116)
    assert float(row["A4"]) == pytest.approx(0.0036)
    assert float(row["density_kg_m3"]) == pytest.approx(2350)
    # waste_rate = waste factor - 1 = 1.03 - 1 = 0.03
    assert float(row["waste_rate"]) == pytest.approx(0.03)
    # per m3: 0.116 kg/kg x 2350 kg/m3 = 272.6 kg CO2e/m3 (published table rounds to 273)
    assert float(row["A1-A3"]) * float(row["density_kg_m3"]) == pytest.approx(272.6)


def test_spot_check_boverket_gypsum_a4_from_its_transport_scenario():
    row = materials().set_index("factor_id").loc["gypsum_board_standard"]
    modes = read(TRANSPORT).set_index("transport_mode")["kg_co2e_per_tkm"].astype(float)
    # Boverket resource 6000000020 "Gipsskiva, standard": A1-A3 typical 0.227 kg/kg,
    # waste factor 1.12 -> waste_rate 0.12; A4 0.0243 kg/kg from the scenario
    # 250 km truck at 1.0 MJ/tkm + 40 km truck at 2.5 MJ/tkm, diesel 0.0695 kg CO2e/MJ:
    # (250 x 1.0 + 40 x 2.5) MJ/t x 0.0695 kg/MJ = 350 x 0.0695 = 24.325 kg/t = 0.024325 kg/kg
    assert float(row["A1-A3"]) == pytest.approx(0.227)
    assert float(row["waste_rate"]) == pytest.approx(0.12)
    assert float(row["A4"]) == pytest.approx(0.0243)
    by_legs = (250 * modes["truck_long_haul"] + 40 * modes["truck_distribution"]) / 1000
    assert by_legs == pytest.approx(0.024325)
    assert float(row["A4"]) == pytest.approx(by_legs, abs=5e-5)
    assert (row["transport_km"], row["transport_mode"]) == ("250", "truck_long_haul")


def test_spot_check_nb37_low_carbon_b30():
    row = materials().set_index("factor_id").loc["concrete_lowcarbon_b_b30"]
    # NB 37 (2015) as entered in bLCAd: "Betong B30, lavkarbon klasse B", 240 kg CO2e/m3
    # A1-A3, density 2400 kg/m3; declared per m3 as published.
    assert row["declared_unit"] == "m3"
    assert float(row["A1-A3"]) == pytest.approx(240)
    assert float(row["density_kg_m3"]) == pytest.approx(2400)
    assert row["confidence"] == "S"


def test_spot_check_ssb_truck_average():
    row = read(TRANSPORT).set_index("transport_mode").loc["truck_no_avg_ttw"]
    # SSB, "Mindre utslipp per transportarbeid": trucks 89.6 g CO2/tkm (2021) = 0.0896 kg
    assert float(row["kg_co2e_per_tkm"]) == pytest.approx(0.0896)


# ------------------------------------------------------------- example workbook


def load_example_script():
    spec = importlib.util.spec_from_file_location("build_examples", EXAMPLE_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def example_lines() -> pd.DataFrame:
    wb = load_workbook(EXAMPLE, read_only=True)
    ws = wb["Mengder"]
    rows = list(ws.iter_rows(min_row=6, values_only=True))
    wb.close()
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_example_layout():
    wb = load_workbook(EXAMPLE, read_only=True)
    ws = wb["Mengder"]
    title = [row[0] for row in ws.iter_rows(min_row=1, max_row=4, max_col=1, values_only=True)]
    header = next(ws.iter_rows(min_row=6, max_row=6, values_only=True))
    wb.close()
    assert "Mengdebeskrivelse" in title
    assert header == ("Postnr", "NS 3420", "Beskrivelse", "Enhet", "Mengde", "Bygningsdel", "Tykkelse (mm)")


def test_example_lines_look_like_a_norwegian_bill_of_quantities():
    lines = example_lines()
    assert 80 <= len(lines) <= 120
    assert lines["NS 3420"].str.fullmatch(r"[A-Z]{1,3}\d+(?:\.\d+)?[A-Z]?").all()
    assert set(lines["Enhet"]) <= {"m3", "m2", "lm", "stk", "tonn", "kg", "RS", "uke"}
    assert (lines["Enhet"] == "RS").sum() == 1
    quantities = lines["Mengde"]
    assert quantities.isna().sum() == 1  # one line without a quantity, on purpose
    assert all(isinstance(q, int | float) for q in quantities.dropna())
    assert lines["Bygningsdel"].map(type).eq(str).all()


def test_example_lines_never_tie_between_aliases():
    aliases = read(ALIASES)
    for description in example_lines()["Beskrivelse"]:
        assert len(best_alias(description, aliases)) <= 1, description


def test_example_workbook_is_reproducible(tmp_path):
    rebuilt = load_example_script().build_workbook(tmp_path / "skole.xlsx")
    with zipfile.ZipFile(EXAMPLE) as old, zipfile.ZipFile(rebuilt) as new:
        assert old.namelist() == new.namelist()
        for name in old.namelist():
            assert old.read(name) == new.read(name), name
            assert old.getinfo(name).date_time == new.getinfo(name).date_time


@pytest.mark.parametrize("path", sorted((DATA / "geometry").glob("*.toml")), ids=lambda p: p.name)
def test_every_geometry_number_cites_a_known_source(path):
    """Each number of a geometry file names a source_id that sources.csv knows."""
    import tomllib

    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    known = set(pd.read_csv(DATA / "sources.csv")["source_id"])
    numbers = [k for k, v in raw.items() if isinstance(v, int | float) or (
        isinstance(v, list) and v and all(isinstance(x, int | float) for x in v))]
    assert numbers and all(raw["sources"].get(k) in known for k in numbers)
