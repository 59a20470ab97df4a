"""Write the eight monthly reports ``examples/oppfolging/rapporter/*.xlsx``.

Nordlys Totalentreprise AS won the school in ``examples/anbud`` (bid
``d_nordlys.xlsx``); ``kontrakt.toml`` holds it to its promise from June 2025
to January 2026. Each month the contractor fills in the library's own monthly
report template (:func:`klimafotavtrykk.followup.template.write_report_template`,
pre-filled from the contract), here by typing values into its cells with
openpyxl, as a person would in Excel. Three months show what the follow-up is
for:

=========  ==================================================================================
month      what it shows
=========  ==================================================================================
2025-08    the promised electric excavator (M1) was away for repair: a diesel excavator did
           its work, reported on M1's line with diesel, 1 450 l
2025-09    the stair and lift walls (224.01) were cast with another concrete than the bid's:
           EPD NEPD-00777-00777-NO, 245 kg CO2e/m3 instead of NEPD-00102-00102-NO, 190
2025-10    reported late: signed 8 January 2026 and delivered as
           ``rapport_2025-10_levert_2026-01.xlsx``; at a status date in December the folder
           has no October
=========  ==================================================================================

Every amount, EPD number and value is made up for the example (plausible
magnitudes, no real product or company).

Run from the repository root (the output is the same byte for byte each time)::

    python examples/oppfolging/lag_rapporter.py
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED_TIME = dt.datetime(2026, 1, 15, 12, 0, 0)

#: Energy and machines per month: machine id -> cells typed on its pre-filled row
#: (quantity in the row's unit, operating hours, emission-free, EU stage, and any change).
SITE = {
    "2025-06": {"M1": dict(quantity=6_200, machine_hours=210, emission_free="ja"),
                "M2": dict(quantity=2_100, machine_hours=190, emission_free="nei", eu_stage="V"),
                "M5": dict(quantity=52_000)},
    "2025-07": {"M1": dict(quantity=6_800, machine_hours=230, emission_free="ja"),
                "M2": dict(quantity=2_300, machine_hours=205, emission_free="nei", eu_stage="V"),
                "M3": dict(quantity=4_200, machine_hours=170, emission_free="ja"),
                "M5": dict(quantity=61_000)},
    "2025-08": {"M1": dict(machine="Gravemaskin 30 t, diesel (leid, erstatter M1 under reparasjon)",
                           carrier="Diesel (fossil)", quantity=1_450, unit="l", machine_hours=205,
                           emission_free="nei", eu_stage="V"),
                "M2": dict(quantity=2_000, machine_hours=180, emission_free="nei", eu_stage="V"),
                "M3": dict(quantity=4_600, machine_hours=175, emission_free="ja"),
                "M5": dict(quantity=44_000)},
    "2025-09": {"M1": dict(quantity=5_400, machine_hours=180, emission_free="ja"),
                "M2": dict(quantity=1_900, machine_hours=170, emission_free="nei", eu_stage="V"),
                "M3": dict(quantity=4_800, machine_hours=180, emission_free="ja"),
                "M5": dict(quantity=26_000)},
    "2025-10": {"M2": dict(quantity=1_300, machine_hours=115, emission_free="nei", eu_stage="V"),
                "M3": dict(quantity=4_700, machine_hours=176, emission_free="ja"),
                "M4": dict(quantity=6_000, emission_free="ja")},
    "2025-11": {"M3": dict(quantity=4_500, machine_hours=168, emission_free="ja"),
                "M4": dict(quantity=15_000, emission_free="ja")},
    "2025-12": {"M3": dict(quantity=4_400, machine_hours=160, emission_free="ja"),
                "M4": dict(quantity=19_000, emission_free="ja")},
    "2026-01": {"M3": dict(quantity=4_300, machine_hours=158, emission_free="ja"),
                "M4": dict(quantity=18_000, emission_free="ja")},
}

#: Materials delivered per month: tender line (item number) -> quantity as built, and any
#: change to the pre-filled product and EPD.
MATERIALS = {
    "2025-06": {"216.01": dict(quantity=70), "216.03": dict(quantity=7)},
    "2025-07": {"216.01": dict(quantity=70), "216.02": dict(quantity=45),
                "216.03": dict(quantity=7), "216.04": dict(quantity=3.5)},
    "2025-08": {"224.01": dict(quantity=20), "224.02": dict(quantity=3)},
    "2025-09": {"224.01": dict(quantity=25, product="Lavkarbon B B35",
                               epd_id="NEPD-00777-00777-NO", epd_gwp_a1a3=245),
                "224.02": dict(quantity=3.5), "222.02": dict(quantity=9),
                "223.02": dict(quantity=6)},
    "2025-10": {"223.02": dict(quantity=8), "241.02": dict(quantity=6),
                "251.01": dict(quantity=600)},
    "2025-11": {"251.01": dict(quantity=550), "251.04": dict(quantity=5.5),
                "252.01": dict(quantity=90), "252.02": dict(quantity=4.5)},
    "2025-12": {"252.01": dict(quantity=98), "252.02": dict(quantity=5)},
    "2026-01": {},
}

#: File name and the date the contractor signed each month's report.
DELIVERED = {month: (f"rapport_{month}.xlsx", None) for month in SITE}
DELIVERED["2025-10"] = ("rapport_2025-10_levert_2026-01.xlsx", dt.datetime(2026, 1, 8))


def _signed(month: str, given: dt.datetime | None) -> dt.datetime:
    """The 5th of the month after the month reported, unless the report came late."""
    if given is not None:
        return given
    year, number = (int(p) for p in month.split("-"))
    return dt.datetime(year + number // 12, number % 12 + 1, 5)


def main(argv: list[str] | None = None) -> int:
    import openpyxl

    from klimafotavtrykk.followup.contract import load_contract
    from klimafotavtrykk.followup.schema import MATERIAL_COLUMNS, SITE_COLUMNS
    from klimafotavtrykk.followup.template import write_report_template
    from klimafotavtrykk.provenance import column_letter
    from klimafotavtrykk.reports import pin_zip_times

    contract = load_contract(HERE / "kontrakt.toml")
    folder = Path(argv[0]) if argv else HERE / "rapporter"  # another folder: for the tests
    folder.mkdir(exist_ok=True)
    template = folder / "_mal.xlsx"
    write_report_template(template, contract=contract)
    site_col = {c.name: column_letter(i) for i, c in enumerate(SITE_COLUMNS)}
    mat_col = {c.name: column_letter(i) for i, c in enumerate(MATERIAL_COLUMNS)}
    site_row = {m: i + 2 for i, m in enumerate(contract.machines["machine_id"])}
    mat_row = {p: i + 2 for i, p in enumerate(contract.materials["post_number"])}
    for month, (name, late) in DELIVERED.items():
        book = openpyxl.load_workbook(template)
        _, declaration, site, materials = book.worksheets[:4]
        declaration["B4"] = month
        declaration["B5"] = "Nordlys Totalentreprise AS"
        declaration["B6"] = _signed(month, late)
        declaration["B7"] = "Prosjektleder, Nordlys Totalentreprise AS"
        for machine, cells in SITE[month].items():
            for column, value in cells.items():
                site[f"{site_col[column]}{site_row[machine]}"] = value
        for post, cells in MATERIALS[month].items():
            for column, value in cells.items():
                materials[f"{mat_col[column]}{mat_row[post]}"] = value
        book.properties.created = book.properties.modified = FIXED_TIME
        buffer = io.BytesIO()
        book.save(buffer)
        (folder / name).write_bytes(pin_zip_times(buffer.getvalue(), FIXED_TIME))
    template.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
