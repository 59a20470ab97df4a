"""Write the five example bids ``examples/anbud/bud/*.xlsx`` and ``kvalitet.csv``.

Five fictitious bidders return the climate workbook of the school in
``examples/skole.xlsx`` (quantities from ``examples/build_examples.py``),
each filled in with the library's own template writer
(:func:`klimafotavtrykk.tender.template.write_template`). They differ in
concrete class, steel and machine park:

====  ==========================  ===========================================================
file  bidder                      what it shows
====  ==========================  ===========================================================
a     Grønn Betong og Bygg AS     low-carbon concrete class A, scrap-based steel, electric site
b     Tradisjonsbygg AS           industry-EPD concrete, primary steel, diesel machines; its
                                  workbook was edited: one quantity divided by ten, one tender
                                  line deleted and a credit line of -50 m3 added (the
                                  competition's tender_quantities check finds all three)
c     Fjordbygg Entreprenør AS    low-carbon class B; its rebar EPD expired before the tender
                                  date, so it counts as generic with the profile's markup
d     Nordlys Totalentreprise AS  low-carbon class A, but the hollow-core slabs and the electric
                                  excavator are not marked committed (KOFA 2024/1940)
e     Rask og Rimelig Bygg AS     no EPDs except one ordinary concrete above the competition's
                                  A1-A3 limit of 240 kg CO2e/m3: the bid is rejected by the gate
====  ==========================  ===========================================================

Every EPD number, GWP value, price and quality score here is made up for the
example: plausible magnitudes, no real product or company. The EPD numbers
have EPD-Norge's format (so the registration-number check passes) with
leading zeros (``NEPD-00101-00101-NO``), which no real EPD-Norge number has.

Run from the repository root (the output is the same byte for byte each time)::

    python examples/anbud/build_bids.py
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from klimafotavtrykk.quantities import read_boq  # noqa: E402
from klimafotavtrykk.tender import write_template  # noqa: E402
from klimafotavtrykk.tender.reference import with_line_keys  # noqa: E402

__all__ = ["BIDS", "quantities", "build"]

VALID = dt.date(2029, 12, 31)     # a valid-until date after the tender date (2025-04-01)
EXPIRED = dt.date(2024, 6, 30)    # before the tender date

# Fictitious EPD claims per bid: description prefix -> (product, EPD id, declared unit,
# GWP A1-A3 per declared unit [kg CO2e], dataset type, valid until, committed).
_LOW_A = {
    "Plasstøpt betong B30": ("Lavkarbon A B30", "NEPD-00101-00101-NO", "m3", 175.0, "product_epd", VALID, True),
    "Ringmur, plasstøpt betong B35": ("Lavkarbon A B35", "NEPD-00102-00102-NO", "m3", 190.0, "product_epd",
                                      VALID, True),
    "Vegger i trapperom": ("Lavkarbon A B35", "NEPD-00102-00102-NO", "m3", 190.0, "product_epd", VALID, True),
    "Armering": ("Kamstål B500NC, 100 % skrap", "NEPD-00201-00201-NO", "tonn", 320.0, "product_epd", VALID,
                 True),
    "Stålbjelker IPE/HEA": ("Bjelker S355, EAF", "NEPD-00301-00301-NO", "tonn", 650.0, "product_epd", VALID,
                            True),
    "Stålsøyler HEB 200": ("Søyler S355, EAF", "NEPD-00301-00301-NO", "tonn", 650.0, "product_epd", VALID,
                           True),
    "Hulldekker HD 265": ("HD 265 lavkarbon", "NEPD-00401-00401-NO", "m2", 36.0, "product_epd", VALID, True),
}
_INDUSTRY = {
    "Plasstøpt betong B30": ("B30 M60 standard", "NEPD-00930-00930-NO", "m3", 235.0, "industry_epd",
                             VALID, True),
    "Ringmur, plasstøpt betong B35": ("B35 M45 standard", "NEPD-00935-00935-NO", "m3", 238.0,
                                      "industry_epd", VALID, True),
    "Stålbjelker IPE/HEA": ("Bjelker S355, primærstål", "NEPD-00311-00311-NO", "tonn", 1850.0, "product_epd",
                            VALID, True),
}
_LOW_B_EXPIRED_REBAR = {
    "Plasstøpt betong B30": ("Lavkarbon B B30", "NEPD-00111-00111-NO", "m3", 215.0, "product_epd", VALID, True),
    "Ringmur, plasstøpt betong B35": ("Lavkarbon B B35", "NEPD-00112-00112-NO", "m3", 228.0, "product_epd",
                                      VALID, True),
    "Armering": ("Kamstål B500NC", "NEPD-00211-00211-NO", "tonn", 300.0, "product_epd", EXPIRED, True),
    "Hulldekker HD 265": ("HD 265", "NEPD-00411-00411-NO", "m2", 58.0, "product_epd", VALID, True),
}
_LOW_A_UNCOMMITTED = {
    **_LOW_A,
    "Hulldekker HD 265": ("HD 265 lavkarbon", "NEPD-00401-00401-NO", "m2", 36.0, "product_epd", VALID, False),
}
_ABOVE_LIMIT = {
    "Plasstøpt betong B30": ("B30 standard", "NEPD-00121-00121-NO", "m3", 290.0, "product_epd", VALID, True),
}


def _site(electric: bool, fuel: str = "diesel", committed_excavator: bool = True) -> pd.DataFrame:
    """The site sheet: excavators, crane, drying, mass transport (amounts made up)."""
    nb = {"machine": "maskin", "heating": "oppvarming og tørking", "mass": "massetransport"}
    yes = "ja"
    rows = [
        (nb["machine"], "Graving og tilbakefylling", "Gravemaskin 1, 30 t", "Gravemaskin",
         "electricity" if electric else fuel, 24_000 if electric else 9_500,
         "kWh" if electric else "l", None, None, yes if committed_excavator else "nei"),
        (nb["machine"], "Graving og tilbakefylling", "Gravemaskin 2, 14 t", "Gravemaskin",
         fuel, 900, "timer", 90, None, yes),
        (nb["machine"], "Løfting", "Tårnkran", "Kran", "electricity", 32_000, "kWh", None, None, yes),
        (nb["heating"], "Byggtørk og vinteroppvarming", None, None,
         "district_heating_no" if electric else fuel, 60_000 if electric else 5_800,
         "kWh" if electric else "l", None, None, yes),
        (nb["mass"], "Bortkjøring av masser", None, None, None, 185_000, "tonnkm", None,
         "truck_long_haul", yes),
    ]
    columns = ["category", "activity", "machine", "machine_class", "carrier", "quantity", "unit",
               "rated_power_kw", "vehicle_class", "committed"]
    return pd.DataFrame(rows, columns=columns)


#: file -> (bidder, organisation number, price [NOK], quality points, EPD claims, site sheet)
BIDS = {
    "a_gronn_betong.xlsx": ("Grønn Betong og Bygg AS", "999 000 001", 98_500_000, 8.0, _LOW_A,
                            _site(electric=True)),
    "b_tradisjonsbygg.xlsx": ("Tradisjonsbygg AS", "999 000 002", 92_000_000, 7.0, _INDUSTRY,
                              _site(electric=False)),
    "c_fjordbygg.xlsx": ("Fjordbygg Entreprenør AS", "999 000 003", 95_200_000, 9.0,
                         _LOW_B_EXPIRED_REBAR, _site(electric=False, fuel="hvo100")),
    "d_nordlys.xlsx": ("Nordlys Totalentreprise AS", "999 000 004", 94_000_000, 6.0,
                       _LOW_A_UNCOMMITTED, _site(electric=True, committed_excavator=False)),
    "e_rask_og_rimelig.xlsx": ("Rask og Rimelig Bygg AS", "999 000 005", 89_900_000, 5.0,
                               _ABOVE_LIMIT, _site(electric=False)),
}


#: The tender's bill of quantities, the file konkurranse.toml names as ``tender_quantities``.
TENDER = HERE.parent / "skole.xlsx"
_PREFILLED = ["post_number", "item_code", "building_part", "description", "quantity", "unit",
              "thickness_mm"]

# Bid b's edits to the client's lines (what the quantity check finds): description prefix ->
# new quantity, a line deleted, and a line added with a credit.
_B_CHANGED = {"Plasstøpt betong B30 lavkarbon B, såler": 14.0}   # 140 m3 typed as 14
_B_DELETED = "Hulldekker HD 320"
_B_ADDED = {"description": "Fradrag: gjenbrukt betong fra riving", "quantity": -50.0, "unit": "m3",
            "building_part": "216"}


def quantities() -> pd.DataFrame:
    """The school's bill of quantities as the template pre-fills it: its lines and their keys."""
    items, _ = read_boq(TENDER)
    return with_line_keys(items[_PREFILLED])


def _edited(rows: pd.DataFrame) -> pd.DataFrame:
    """Bid b's workbook: one quantity changed, one line deleted, one credit line added."""
    rows = rows.copy()
    for prefix, quantity in _B_CHANGED.items():
        rows.loc[rows["description"].str.startswith(prefix), "quantity"] = quantity
    rows = rows[~rows["description"].str.startswith(_B_DELETED)]
    return pd.concat([rows, pd.DataFrame([_B_ADDED])], ignore_index=True)


def _filled(claims: dict) -> pd.DataFrame:
    """The bill of quantities with a bid's EPD claims on the lines they describe."""
    rows = quantities()
    fields = ["product", "epd_id", "epd_declared_unit", "epd_gwp_a1a3", "dataset_type",
              "epd_valid_until", "committed"]
    for column in fields:
        rows[column] = None
    for prefix, values in claims.items():  # a handful of claims per bid
        hit = rows["description"].str.startswith(prefix)
        for column, value in zip(fields, values, strict=True):
            rows.loc[hit, column] = value
    return rows


def build(folder: Path = HERE) -> list[Path]:
    """Write the bids into ``folder/bud`` and the quality points into ``folder/kvalitet.csv``."""
    out = folder / "bud"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for file, (bidder, org, price, _, claims, site) in BIDS.items():
        rows = _filled(claims)
        if file.startswith("b_"):
            rows = _edited(rows)
        written.append(write_template(out / file, lang="nb", rows=rows, site=site,
                                      declaration={"bidder": bidder, "org_number": org,
                                                   "date": dt.datetime(2025, 3, 28),
                                                   "price_nok": float(price)}))
    quality = pd.DataFrame({"fil": list(BIDS), "poeng": [b[3] for b in BIDS.values()]})
    quality.to_csv(folder / "kvalitet.csv", index=False, lineterminator="\n")
    return written


if __name__ == "__main__":
    for path in build():
        print(path.relative_to(HERE.parent.parent))
