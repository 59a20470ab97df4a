"""LCAx exchange: round trips on the shipped examples, a file another tool wrote, untrusted input."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.errors import DefaultValueWarning, InputError
from klimafotavtrykk.exchange import LCAX_MODULES, LcaxLimits
from klimafotavtrykk.vocabulary import MODULES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _calculate(path: Path, profile: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the road workbook's second sheet is reported, not read
        lines, _ = kf.read_boq(path)
    return kf.calculate(lines, profile=profile, bta_m2=2400)


@pytest.mark.parametrize(("example", "profile"), [
    ("skole.xlsx", "tek17"), ("skole.xlsx", "ns3720"), ("veg.xlsx", "ns3720")])
def test_round_trip_gives_the_same_module_totals(tmp_path, example, profile):
    first = _calculate(EXAMPLES / example, profile)
    assert first.total > 0  # a round trip of nothing would prove nothing
    path = tmp_path / "project.json"
    kf.to_lcax(first, path, project={"name": example})
    lines, factors, meta = kf.read_lcax(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DefaultValueWarning)  # every in-scope module is declared
        again = kf.calculate(lines, profile=meta.profile, factors=factors, extend=False)
    assert meta.profile == profile
    assert len(lines) == len(first.lines) and again.unmatched.empty
    np.testing.assert_allclose(again.by_module.to_numpy(), first.by_module.to_numpy(),
                               rtol=1e-9, atol=1e-9)
    # the results written in the file are the calculation's
    scope = [m for m in MODULES if m in first.profile.modules]
    np.testing.assert_allclose(meta.results[scope].to_numpy(), first.by_module[scope].to_numpy(),
                               rtol=1e-12)


def test_round_trip_with_own_factors_line_scenarios_and_replacements(tmp_path, hand_factors, truck):
    # concrete twice with its own transport (two scenarios of one factor: two EPDs), paint
    # with 3 replacements in 60 a (service life 15 a) and a line waste rate, a window, and a
    # line of quantity 0 (its EPD values come from another concrete line of the same scenario)
    lines = pd.DataFrame({
        "factor_id": ["concrete", "concrete", "paint", "window", "concrete"],
        "quantity": [10.0, 5.0, 30.0, 12.0, 0.0],
        "unit": ["m3", "m3", "kg", "m2", "m3"],
        "building_part": ["251", "251", "231", "234", "222"],
        "transport_km": [np.nan, 200.0, np.nan, np.nan, np.nan],
        "waste_rate": [np.nan, np.nan, 0.1, np.nan, np.nan],
    })
    first = kf.calculate(lines, profile="en15978", factors=hand_factors, transport_modes=truck)
    assert first.lines["B4"].gt(0).any()  # replacements are part of what goes out
    doc = kf.to_lcax(first, tmp_path / "p.json")
    epd_ids = {p["impactData"][0]["id"] for a in doc["assemblies"] for p in a["products"]}
    assert epd_ids == {"concrete~1", "concrete~2", "paint", "window"}
    back, factors, _ = kf.read_lcax(tmp_path / "p.json")
    again = kf.calculate(back, profile="en15978", factors=factors, extend=False)
    np.testing.assert_allclose(again.by_module.to_numpy(), first.by_module.to_numpy(),
                               rtol=1e-9, atol=1e-9)
    # line by line too: products come grouped by building part, each keeps its row_id
    by_row = again.lines.sort_values("row_id")
    assert by_row["row_id"].tolist() == first.lines["row_id"].tolist()
    np.testing.assert_allclose(by_row[list(MODULES)].to_numpy(),
                               first.lines[list(MODULES)].to_numpy(), rtol=1e-9, atol=1e-9)


def test_round_trip_of_a_build_up_line(tmp_path):
    lines = pd.DataFrame({
        "description": ["Innervegg: 48x98 stender, 2x13 mm gips hver side, 100 mm mineralull",
                        "Plasstøpt betong B30"],
        "quantity": [40.0, 12.0], "unit": ["m2", "m3"], "building_part": ["242", "251"]})
    first = kf.calculate(lines, profile="tek17")
    assert first.lines["layers"].notna().sum() == 1 and first.unmatched.empty
    kf.to_lcax(first, tmp_path / "p.json")
    back, factors, _ = kf.read_lcax(tmp_path / "p.json")
    # the build-up per m2 of wall as written; the concrete in its factor's declared unit (kg)
    assert back["unit"].tolist() == ["m2", "kg"]
    again = kf.calculate(back, profile="tek17", factors=factors, extend=False)
    np.testing.assert_allclose(again.by_module.to_numpy(), first.by_module.to_numpy(),
                               rtol=1e-9, atol=1e-9)


def test_site_and_operational_energy_come_back_beside_the_lines(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lines, _ = kf.read_boq(EXAMPLES / "skole.xlsx")
    site = pd.DataFrame({"machine": ["Gravemaskin 30 t"], "carrier": ["diesel"],
                         "litres": [14_000.0]})
    first = kf.calculate(lines, profile="ns3720", site=site,
                         operational_energy={"electricity": 95_000})
    assert first.other.to_numpy().sum() > 0
    kf.to_lcax(first, tmp_path / "p.json")
    lines, factors, meta = kf.read_lcax(tmp_path / "p.json")
    again = kf.calculate(lines, profile="ns3720", factors=factors, extend=False)
    assert again.unmatched.empty
    pd.testing.assert_frame_equal(meta.other, first.other, check_names=False, rtol=1e-12)
    np.testing.assert_allclose((again.by_module + meta.other.sum()).to_numpy(),
                               first.by_module.to_numpy(), rtol=1e-9, atol=1e-9)


def test_written_project_has_lcax_structure_and_names(tmp_path):
    result = _calculate(EXAMPLES / "skole.xlsx", "tek17")
    doc = kf.to_lcax(result, tmp_path / "p.json", project={"name": "Skole", "id": "skole-1"})
    assert doc["id"] == "skole-1" and doc["name"] == "Skole"
    # TEK17 counts A1-A3, A4, A5, B2 and B4: LCAx writes them a1a3, a4, a5, b2, b4
    assert doc["lifeCycleModules"] == ["a1a3", "a4", "a5", "b2", "b4"]
    assert doc["referenceStudyPeriod"] == 50 and doc["impactCategories"] == ["gwp"]
    parts = {a["classification"][0]["code"] for a in doc["assemblies"] if a["classification"]}
    assert parts == set(result.by_building_part.index) - {""}
    products = [p for a in doc["assemblies"] for p in a["products"]]
    assert len(products) == len(result.lines)
    # each product's results are its EPD values times its quantity (LCAx's rule)
    for product in products:
        epd = product["impactData"][0]
        for token, value in product["results"]["gwp"].items():
            assert epd["impacts"]["gwp"][token] * product["quantity"] == pytest.approx(
                value, rel=1e-12, abs=1e-9)
    # every assembly's results are the sum of its products
    for assembly in doc["assemblies"]:
        total = sum(p["results"]["gwp"]["a1a3"] for p in assembly["products"])
        assert assembly["results"]["gwp"]["a1a3"] == pytest.approx(total, rel=1e-12)
    # the file is JSON without NaN
    json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))


def test_lcax_package_reads_our_file_and_its_calculation_gives_our_results(tmp_path):
    lcax = pytest.importorskip("lcax")
    result = _calculate(EXAMPLES / "skole.xlsx", "ns3720")
    path = tmp_path / "p.json"
    kf.to_lcax(result, path)
    project = lcax.Project.loads(path.read_text(encoding="utf-8"))  # LCAx's own models validate
    computed = json.loads(lcax.calculate_project(project).dumps())["results"]["gwp"]
    for module in result.profile.modules:
        assert computed[LCAX_MODULES[module]] == pytest.approx(result.by_module[module], rel=1e-9)


def _epd(epd_id, unit, impacts, subtype="specific", conversions=None):
    return {"type": "EPD", "id": epd_id, "name": epd_id, "declaredUnit": unit, "version": "1",
            "publishedDate": "2024-01-01", "validUntil": "2029-01-01",
            "source": {"name": f"EPD {epd_id}", "url": None}, "referenceServiceLife": None,
            "standard": "en15804a2", "comment": None, "location": "dnk", "subtype": subtype,
            "conversions": conversions, "impacts": {"gwp": impacts}, "metaData": None}


def _product(product_id, epd, quantity, unit):
    return {"type": "product", "id": product_id, "name": product_id, "description": None,
            "referenceServiceLife": 50, "impactData": [epd], "quantity": quantity, "unit": unit,
            "transport": None, "results": None, "metaData": None}


def _assembly(assembly_id, code, quantity, products):
    return {"type": "assembly", "id": assembly_id, "name": assembly_id, "description": None,
            "comment": None, "quantity": quantity, "unit": "m2",
            "classification": [{"system": "NS 3451:2022", "code": code, "name": assembly_id}],
            "products": products, "results": None, "metaData": None}


def _foreign_project() -> dict:
    """A project as another LCAx tool writes it: no metaData of ours, EPDs repeated per product."""
    concrete = {"a1a3": 250.0, "a4": 10.0, "a5": None, "c3": 5.0, "c4": 1.0, "d": -12.0}
    return {
        "id": "p-1", "name": "Other tool", "description": None, "comment": None,
        "location": {"country": "dnk", "city": None, "address": None}, "owner": None,
        "formatVersion": "3.8.0", "lciaMethod": None, "classificationSystems": ["NS 3451"],
        "referenceStudyPeriod": 60, "lifeCycleModules": ["a1a3", "a4", "c3", "c4", "d"],
        "impactCategories": ["gwp"], "projectPhase": "other", "projectInfo": None,
        "softwareInfo": {"lcaSoftware": "other", "lcaSoftwareVersion": None,
                         "goalAndScopeDefinition": None, "calculationType": None},
        "results": None, "metaData": None,
        "assemblies": [
            _assembly("walls", "23", 2.0, [
                _product("wall-concrete", _epd("concrete", "m3", concrete), 3.0, "m3"),
                _product("wall-steel", _epd("steel", "kg", {"a1a3": 2.0, "c3": 0.1}, "generic"),
                         200.0, "kg"),
                _product("wall-r", _epd("r-value", "m2r1", {"a1a3": 1.0}), 5.0, "m2r1"),
                {"type": "reference", "uri": "https://example.org/p.json", "format": "lcax",
                 "version": None, "overrides": None},
            ]),
            _assembly("floors", "25", 1.0, [
                _product("floor-concrete", _epd("concrete", "m3", concrete), 1.5, "m3"),
                _product("floor-block", _epd("block", "m3", {"a1a3": 300.0},
                                             conversions=[{"value": 2400.0, "to": "kg",
                                                           "metaData": None}]), 4800.0, "kg"),
                _product("floor-heating", _epd("power", "kwh", {"b6": 0.02}), 9000.0, "kwh"),
            ]),
        ],
    }


def test_reads_a_project_another_tool_wrote(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps(_foreign_project()), encoding="utf-8")
    lines, factors, meta = kf.read_lcax(path)
    # the steel product sits in an assembly of quantity 2: 200 kg x 2 = 400 kg, as LCAx multiplies
    assert lines["quantity"].tolist() == [6.0, 400.0, 1.5, 4800.0]
    assert lines["building_part"].tolist() == ["23", "23", "25", "25"]
    assert lines["unit"].tolist() == ["m3", "kg", "m3", "kg"]
    assert sorted(factors["factor_id"]) == ["block", "concrete", "steel"]  # concrete read once
    assert meta.skipped["reason"].tolist() == ["unknown_unit", "reference", "unit_not_declarable"]
    assert meta.skipped["json_path"].tolist() == ["$.assemblies[0].products[2]",
                                                  "$.assemblies[0].products[3]",
                                                  "$.assemblies[1].products[2]"]
    assert meta.other.empty
    assert meta.profile is None and meta.reference_study_period == 60
    with pytest.warns(DefaultValueWarning):  # A5 not declared and no material group to fill it
        result = kf.calculate(lines, profile="en15978", factors=factors, extend=False)
    # concrete: 6 + 1.5 = 7.5 m3; steel generic (+25 % markup, en15978): 400 kg;
    # block: 4800 kg / 2400 kg per m3 = 2 m3.
    # A1-A3 = 250 x 7.5 + 2.0 x 1.25 x 400 + 300 x 2 = 1875 + 1000 + 600 = 3475
    # A4 = 10 x 7.5 = 75;  C3 = 5 x 7.5 + 0.1 x 400 = 37.5 + 40 = 77.5
    # C4 = 1 x 7.5 = 7.5;  D = -12 x 7.5 = -90;  nothing else
    expected = {"A1-A3": 3475.0, "A4": 75.0, "C3": 77.5, "C4": 7.5, "D": -90.0}
    for module in MODULES:
        assert result.by_module[module] == pytest.approx(expected.get(module, 0.0), abs=1e-9)
    assert result.unmatched.empty


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path):
    project = _foreign_project()
    project["description"] = '[[[[{{{{' * 50 + ' a \\" quote ' + ']]]]' * 50
    project["comment"] = "C:\\dir\\"  # ends in an escaped backslash: the quote after it is real
    project["owner"] = "[" * 100
    path = tmp_path / "p.json"
    path.write_text(json.dumps(project), encoding="utf-8")
    kf.read_lcax(path, limits=LcaxLimits(max_depth=12))


def test_nesting_deeper_than_the_cap_is_refused(tmp_path):
    project = _foreign_project()
    deep: dict = {}
    node = deep
    for _ in range(80):
        node["x"] = {}
        node = node["x"]
    project["metaData"] = deep
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(project), encoding="utf-8")
    with pytest.raises(InputError, match="nested too deeply") as info:
        kf.read_lcax(path)
    assert info.value.file == "deep.json" and info.value.code == "lcax_too_deep"


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(_foreign_project()), encoding="utf-8")
    with pytest.raises(InputError, match="larger than the limit") as info:
        kf.read_lcax(path, limits=LcaxLimits(max_file_bytes=100))
    assert info.value.code == "lcax_too_large"


def test_not_json_names_the_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"id": "x", ', encoding="utf-8")
    with pytest.raises(InputError, match="not a JSON file") as info:
        kf.read_lcax(path)
    assert info.value.file == "broken.json"


def test_a_field_of_the_wrong_type_names_its_json_path(tmp_path):
    project = _foreign_project()
    project["assemblies"][1]["products"][0]["quantity"] = "1.5"
    path = tmp_path / "p.json"
    path.write_text(json.dumps(project), encoding="utf-8")
    with pytest.raises(InputError) as info:
        kf.read_lcax(path)
    assert info.value.sheet == "$.assemblies[1].products[0].quantity"
    assert "[p.json]$.assemblies[1].products[0].quantity" in str(info.value)


def test_limits_must_be_positive_whole_numbers():
    with pytest.raises(InputError):
        LcaxLimits(max_depth=0)


def test_readme_round_trip_runs_as_written(tmp_path, monkeypatch):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", text, flags=re.S) if "to_lcax" in b)
    (tmp_path / "examples").symlink_to(EXAMPLES, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    np.testing.assert_allclose(namespace["again"].by_module.to_numpy(),
                               namespace["result"].by_module.to_numpy(), rtol=1e-9)


def test_the_garbage_collector_is_on_again_after_writing_and_after_a_failed_read(tmp_path):
    import gc

    result = _calculate(EXAMPLES / "skole.xlsx", "tek17")
    kf.to_lcax(result, tmp_path / "p.json")
    assert gc.isenabled()
    project = _foreign_project()
    project["assemblies"] = "not a list"
    (tmp_path / "bad.json").write_text(json.dumps(project), encoding="utf-8")
    with pytest.raises(InputError):
        kf.read_lcax(tmp_path / "bad.json")
    assert gc.isenabled()
