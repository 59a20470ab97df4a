"""The contract file (followup.contract): what it promises, and what it refuses, with file and key."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import pandas as pd
import pytest

from klimafotavtrykk.errors import InputError
from klimafotavtrykk.followup.contract import load_contract, promised_machines
from klimafotavtrykk.followup.model import PROMISE_MACHINE_COLUMNS, PROMISE_MATERIAL_COLUMNS
from klimafotavtrykk.messages import render_error

sys.path.insert(0, str(Path(__file__).parent))
from io_cases import CONTRACT, write_contract  # noqa: E402


def test_machines_promised_get_ids_in_sheet_order_and_emission_free_by_energy_class(tmp_path):
    contract = load_contract(write_contract(tmp_path))
    machines = contract.machines
    assert tuple(machines.columns) == PROMISE_MACHINE_COLUMNS
    # The bid's site sheet, rows 2-5: electric excavator, HVO loader, diesel excavator, transport.
    # Ids M1.. in sheet order. Energy classes (data/emission_factors/energy_carriers.csv):
    # electricity_no emission_free, hvo100 fossil_free, diesel fossil; the transport row has
    # no carrier (a vehicle class) and so is not emission-free.
    assert machines["machine_id"].tolist() == ["M1", "M2", "M3", "M4"]
    assert machines["carrier"].tolist()[:3] == ["electricity_no", "hvo100", "diesel"]
    assert machines["emission_free"].tolist() == [True, False, False, False]
    assert machines["source_ref"].tolist()[0] == "[bud.xlsx]Byggeplass!F2"
    assert machines["quantity"].tolist() == [2_000.0, 500.0, 300.0, 40_000.0]


def test_plain_electricity_and_district_heating_count_as_emission_free():
    site = pd.DataFrame({"carrier": ["electricity", "district_heating_no", "biogas", "petrol"]})
    # biogas is fossil_free and petrol fossil in the shipped table
    assert promised_machines(site)["emission_free"].tolist() == [True, True, False, False]


def test_materials_promised_are_the_lines_with_an_epd_claim(tmp_path):
    contract = load_contract(write_contract(tmp_path))
    materials = contract.materials
    assert tuple(materials.columns) == PROMISE_MATERIAL_COLUMNS
    # two bid lines; only the concrete line has an EPD number and value
    assert materials[["line_key", "epd_id", "epd_gwp_a1a3", "quantity", "unit"]].values.tolist() == [
        ["251.01#aaaa", "NEPD-434-305-EN", 215.5, 92.0, "m3"]]
    # "Påstøp, betong B30" per m3: the range the tender checks a B30 claim against,
    # data/procurement/epd_ranges.csv row concrete_b30, low 110 kg CO2e/m3 high 546
    assert materials.loc[0, "plausible_low"] == 110.0
    assert materials.loc[0, "plausible_range"].startswith("110–546 kg CO2e/m3 (")
    assert materials.loc[0, "plausible_range"].endswith("epd_ranges.csv: concrete_b30))")
    # the mass per m3 the tender converted the line with: no own mass given, so the generic
    # factor's (concrete_c30_37 in data/emission_factors/materials.csv, 2 350 kg/m3)
    assert materials.loc[0, "mass_per_unit"] == 2350.0


def test_a_promised_lines_mass_per_unit_is_the_bids_own_else_the_generic_factors():
    """Steel beams in m3 with an EPD per kg: 7 000 kg/m3 where the bid gives it, else the
    generic structural steel's 7 850 (data/emission_factors/materials.csv, steel_structural)."""
    from klimafotavtrykk.followup.contract import promised_materials

    lines = pd.DataFrame({"line_key": ["a", "b"], "description": ["Stålbjelker IPE/HEA, S355"] * 2,
                          "unit": ["m3", "m3"], "epd_id": ["E1", "E2"], "epd_declared_unit": ["kg", "kg"],
                          "epd_gwp_a1a3": [1.2, 1.2], "quantity": [10.0, 10.0],
                          "mass_per_unit": [float("nan"), 7_000.0]})
    assert promised_materials(lines)["mass_per_unit"].tolist() == [7_850.0, 7_000.0]


def test_accepted_epds_and_quantity_tolerance_are_read_and_shown(tmp_path):
    text = CONTRACT.replace('end = "2025-09"\n', 'end = "2025-09"\naccepted_epds = ["NEPD-9", " NEPD-10 "]\n'
                            'quantity_tolerance = 0.05\n')
    contract = load_contract(write_contract(tmp_path, text))
    assert contract.accepted_epds == ("NEPD-9", "NEPD-10")
    assert contract.quantity_tolerance == 0.05
    assert contract.parameters.set_index("key").loc["accepted_epds", "value"] == "NEPD-9, NEPD-10"


def test_contract_values_rules_and_their_sources(tmp_path):
    contract = load_contract(write_contract(tmp_path))
    assert contract.name == "Testskolen" and contract.contract_sum_nok == 50_000_000.0
    assert (contract.start, contract.end) == (pd.Period("2025-06", "M"), pd.Period("2025-09", "M"))
    assert contract.climate_budget_kg is None and contract.competition is None
    assert contract.bid.declaration["bidder"] == "Bygg AS"
    (rule,) = contract.rules
    assert rule.kind == "budget_share"
    assert rule.parameters == {"bonus_rate": 0.10, "cap_nok": 1_000_000.0}
    assert rule.sources["cap_nok"] == "client: stated in the tender documents"
    audit = contract.parameters.set_index("key")
    assert audit.loc["rules[0].parameters.bonus_rate", "source"].startswith("Statens vegvesen")
    assert audit.loc["contract_sum_nok", "source"] == "contract"


def test_a_contract_without_rules_has_none(tmp_path):
    text = CONTRACT.split("[[rules]]")[0]
    assert load_contract(write_contract(tmp_path, text)).rules == ()


def _refused(tmp_path, text) -> InputError:
    path = write_contract(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_contract(path)
    assert info.value.file == str(path)
    return info.value


def test_a_rule_parameter_without_a_source_is_refused_naming_file_and_key(tmp_path):
    text = CONTRACT.replace('cap_nok = "client: stated in the tender documents"\n', "")
    error = _refused(tmp_path, text)
    assert error.code == "followup.contract_invalid"
    assert error.problem == "rules[0].sources.cap_nok: every rule parameter needs its source"
    text = render_error(error, "nb")
    assert "Feil i kontraktsfilen: rules[0].sources.cap_nok" in text and "kontrakt.toml" in text
    again = pickle.loads(pickle.dumps(error))
    assert (again.problem, again.file, again.code) == (error.problem, error.file, error.code)


@pytest.mark.parametrize(("change", "key"), [
    (("kind = \"budget_share\"", "kind = \"malus\""), "rules[0].kind"),
    (("start = \"2025-06\"", "start = \"juni 2025\""), "start"),
    (("end = \"2025-09\"", "end = \"2025-05\""), "end"),
    (("contract_sum_nok = 50000000", "contract_sum_nok = -1"), "contract_sum_nok"),
    (("bid = \"bud.xlsx\"", "bid = \"mangler.xlsx\""), "bid"),
    (("name = \"Testskolen\"", "name = \"Testskolen\"\nbonus = 3"), "bonus"),
    (("cap_nok = 1000000", "cap_nok = true"), "rules[0].parameters.cap_nok"),
    (("end = \"2025-09\"", "end = \"2025-09\"\naccepted_epds = \"NEPD-9\""), "accepted_epds"),
    (("end = \"2025-09\"", "end = \"2025-09\"\nquantity_tolerance = 1.5"), "quantity_tolerance"),
    (("[rules.sources]", "[rules.sources]\nextra = \"x\""), "rules[0].sources.extra"),
], ids=["rule_kind", "month", "end_before_start", "sum", "bid_missing", "unknown_key",
        "bool_parameter", "source_without_parameter", "accepted_not_a_list", "tolerance_not_a_share"])
def test_bad_values_are_refused_naming_the_key(tmp_path, change, key):
    error = _refused(tmp_path, CONTRACT.replace(*change))
    assert error.problem.startswith(f"{key}: ")


def test_a_missing_key_is_refused(tmp_path):
    error = _refused(tmp_path, CONTRACT.replace('contract_sum_nok = 50000000\n', ""))
    assert error.problem == "contract_sum_nok: missing"


def test_a_contract_file_nested_deeply_is_refused_before_parsing(tmp_path):
    depth = 100_000
    error = _refused(tmp_path, "name = " + "[" * depth + "]" * depth + "\n")
    assert error.code == "followup.contract_too_deep"
    assert "nestet for dypt" in render_error(error, "nb")


def test_a_table_header_with_a_long_dotted_name_is_refused_before_parsing(tmp_path):
    # tomllib's time grows with the square of a dotted name's parts: 200 000 parts (400 kB, under
    # the size cap) would take about a minute and a half; the guard counts a header's dots too.
    error = _refused(tmp_path, "[" + ".".join(["a"] * 200_000) + "]\nx = 1\n")
    assert error.code == "followup.contract_too_deep"


def test_an_unreadable_contract_file_names_it(tmp_path):
    error = _refused(tmp_path, "name = \n")
    assert error.code == "followup.contract_unreadable"


def test_a_bid_that_cannot_be_read_is_named_under_the_key_bid(tmp_path):
    path = write_contract(tmp_path)
    (tmp_path / "bud.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(InputError) as info:
        load_contract(path)
    assert info.value.problem.startswith("bid: the bid cannot be read")
