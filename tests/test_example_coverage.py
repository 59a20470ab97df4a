"""Coverage of the shipped examples: the share of in-scope material lines computed (issue 11).

A material line is in scope when the profile counts its building part and it is
neither a lump sum nor labour, hire or temporary works (reasons ``out_of_scope``,
``missing_building_part``, ``lump_sum``, ``labour_only``). Every other line of the
bill counts: computed, or not computed for want of data or conversion.

Issue 11's goal is 0.95 for buildings and 0.90 for civil works. Both examples meet it;
each floor is the measured share, rounded down (2026-12-07, after the coverage passes): the
school 90 of 92 in-scope material lines under TEK17 (0.978; linoleum is refused because its
only data are GWP-total with biogenic carbon), the road 44 of 46 (0.957, road marking through
its proxy row; plastic gully pots and topsoil still lack data). The test prints the lines
still missing when it fails. The example school keeps a line with no
quantity ("Limtre, ekstra bjelker iht. endringsmelding") on purpose: an honest
unmatchable line.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import klimafotavtrykk as kf

ROOT = Path(__file__).resolve().parents[1]
NOT_MATERIAL = {"out_of_scope", "missing_building_part", "lump_sum", "labour_only"}

#: Goals (issue 11): buildings 0.95, civil works 0.90.
FLOORS = {"skole": 0.97, "veg": 0.95}


def _profile(name):
    if name == "veg":   # the road is assessed over 60 years, as the README's example does
        return dataclasses.replace(kf.load_profile("en17472"), reference_study_period=60.0)
    return kf.load_profile("tek17")


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_share_of_in_scope_material_lines_computed(name):
    lines, _ = kf.read_boq(ROOT / "examples" / f"{name}.xlsx")
    result = kf.calculate(lines, profile=_profile(name))
    missing = result.unmatched[~result.unmatched["reason"].isin(NOT_MATERIAL)]
    in_scope = len(result.lines) + len(missing)
    share = len(result.lines) / in_scope
    listed = "\n".join(f"  {d} [{u}]: {r}" for d, u, r in
                       zip(missing["description"], missing["unit"], missing["reason"], strict=True))
    assert share >= FLOORS[name], f"{name}: {len(result.lines)} of {in_scope} computed\n{listed}"
    # every input line is either computed or reported with its reason
    assert len(result.lines) + len(result.unmatched) == len(lines)
