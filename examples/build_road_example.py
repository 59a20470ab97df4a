"""Write the civil-works example bill of quantities ``examples/veg.xlsx``.

A municipal road of about 300 m (6.5 m carriageway and a 2.5 m footway) with
new water, sewage and storm-water pipes (VA) under it, laid out as a Norwegian
*mengdebeskrivelse*: a title block on rows 1-4, Norwegian headers on row 6 and
one line per item below. Quantities are plausible estimates made up for testing
and demonstration, not taken from a real project; the NS 3420 codes only have
the shape of real codes.

Two columns go beyond the building example (``skole.xlsx``):

- ``Tykkelse (m)``: layer thickness of area lines, so that asphalt in m² turns
  into tonnes through the factor's density (canonical column ``thickness``).
- ``Transportavstand (km)``: haul distance of masses and deliveries
  (canonical column ``transport_km``); A4 = tonnes × km × the truck factor.

``Bygningsdel`` stays empty: NS 3451 building parts do not apply to civil works.

Several lines are unmatched on purpose, and the result must say so: the lump
sum (``RS``), blasting (no sourced factor for explosives), delivered crushed
aggregates (no sourced aggregate factor), granite kerbs, cast-iron covers, and
products whose metre or piece lines have no linear or piece mass (concrete
kerbs, concrete pipes and manholes, pipes of sizes the factor table does not
know, geotextile).

The file is byte-for-byte reproducible (fixed document properties and zip
timestamps). Run from the repository root::

    python examples/build_road_example.py
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from klimafotavtrykk.reports import pin_zip_times

__all__ = ["HEADERS", "HEADER_ROW", "LINES", "SHEET", "build_workbook"]

SHEET = "Mengder"
HEADER_ROW = 6
HEADERS = ("Postnr", "NS 3420", "Beskrivelse", "Enhet", "Mengde", "Bygningsdel",
           "Tykkelse (m)", "Transportavstand (km)")
TITLE = (
    ("Prosjekt:", "Eksempelvegen, kommunal veg ca. 300 m med vann- og avløpsledninger (fiktivt eksempel)"),
    ("Dato:", "24.11.2026"),
    ("Mengdebeskrivelse", None),
    ("Grunnlag:", "Anslåtte mengder for test og demonstrasjon av klimafotavtrykk, ikke fra et reelt "
                  "prosjekt. NS 3420-kodene er illustrative. Beregnes med profilen en17472."),
)
STAMP = dt.datetime(2026, 11, 24, 12, 0, 0)

#: (post number, NS 3420-like code, description, unit, quantity, thickness [m] or None,
#: haul distance [km] or None)
# fmt: off
LINES: tuple[tuple[str, str, str, str, float, float | None, float | None], ...] = (
    # 01 Rigg og drift
    ("01.1", "AV1.1", "Etablering, drift og avvikling av eget kontraktarbeid", "RS", 1, None, None),
    ("01.2", "AK3.111A", "Anleggsvei og riggplass, klargjøring og tilbakeføring", "m2", 600, None, None),
    # 02 Rydding, graving, sprenging og massetransport
    ("02.1", "FB1.31", "Rydding av vegetasjon og busker langs traséen", "m2", 3200, None, None),
    ("02.2", "FB2.11", "Avtaking av matjord, mellomlagret på anlegget for gjenbruk", "pfm3", 820, None, None),
    ("02.3", "FC1.11", "Graving av jordmasser i vegkropp, masser kjøres til godkjent deponi",
     "pfm3", 4200, None, 14),
    ("02.4", "FC1.12", "Masseutskifting, graving av bløt leire, kjøres til deponi", "pfm3", 650, None, 22),
    ("02.5", "FC2.11", "Graving av VA-grøft i løsmasser, overskuddsmasser til deponi", "pfm3", 1750, None, 14),
    ("02.6", "FE1.11", "Sprenging av fjell i vegskjæring", "pfm3", 950, None, None),
    ("02.7", "FE2.11", "Grøftesprenging for VA-ledninger", "pfm3", 380, None, None),
    ("02.8", "FC3.11", "Utlasting og transport av sprengt fjell til knuseverk", "pfm3", 700, None, 8),
    ("02.9", "FC3.12", "Transport av overskuddsmasser (jord) til mottak, målt i vekt", "tonn", 1250, None, 30),
    ("02.10", "FS1.171221", "Utlegging i fylling, sprengstein fra skjæring (stedlige masser)",
     "m3", 600, None, None),
    ("02.11", "FS1.172", "Gjenfylling av grøft med stedlige masser", "m3", 1350, None, None),
    ("02.12", "FS1.173", "Tilbakelegging av mellomlagret matjord i skråninger", "m3", 800, None, None),
    ("02.13", "FB3.11", "Planering og komprimering av planum", "m2", 2800, None, None),
    # 03 Overbygning
    ("03.1", "FS1.181", "Fiberduk, geotekstil bruksklasse 3, på planum", "m2", 2900, None, None),
    ("03.2", "FS2.11", "Forsterkningslag av knust fjell Fk 22/120, 500 mm, levert fra pukkverk",
     "m3", 1450, None, 18),
    ("03.3", "FS2.12", "Forsterkningslag av stedlig sprengstein, 300 mm, under fortau", "m3", 580, None, None),
    ("03.4", "FS2.21", "Bærelag av knust fjell Fk 0/32, 100 mm, levert", "tonn", 620, None, 18),
    ("03.5", "FS2.31", "Justeringslag av subbus 0/16 under fortau, levert", "m3", 110, None, 18),
    # 04 Vegdekke
    ("04.1", "DA1.11", "Asfaltdekke Agb 16, bærelag 50 mm, kjørebane", "m2", 1950, 0.05, 25),
    ("04.2", "DA1.12", "Asfaltdekke Ab 11, slitelag 40 mm, kjørebane", "m2", 1950, 0.04, 25),
    ("04.3", "DA1.13", "Asfaltdekke Ab 8, 40 mm, fortau", "m2", 750, 0.04, 25),
    ("04.4", "DA1.14", "Asfalt til avkjørsler og tilpasning mot eksisterende veg", "tonn", 48, None, 25),
    # 05 Kantstein, rekkverk og vegutstyr
    ("05.1", "KK1.11", "Kantstein av betong, 12 x 30 cm, satt i betong", "m", 560, None, None),
    ("05.2", "KK1.12", "Granittkantstein, rett, 12 x 25 cm, ved gangfelt", "m", 60, None, None),
    ("05.3", "KK2.11", "Rekkverk, varmforsinket stål, langs fortau", "kg", 2600, None, None),
    ("05.4", "KK2.12", "Skiltstolper og skilt, varmforsinket stål", "kg", 420, None, None),
    ("05.5", "EL1.11", "Gatelysmaster, varmforsinket stål, 8 m", "stk", 11, None, None),
    ("05.6", "LD1.11", "Fundamenter for gatelys, plasstøpt betong B30", "m3", 6.6, None, None),
    ("05.7", "LC2.11", "Armering, kamstål B500NC, fundamenter for gatelys", "kg", 450, None, None),
    ("05.8", "KV1.11", "Vegmerking, termoplast, kantlinjer og gangfelt", "m", 700, None, None),
    # 06 Vann og avløp
    ("06.1", "UA1.11", "Vannledning PE100 SDR11 Ø160, buttsveiset", "m", 310, None, None),
    ("06.2", "UA1.12", "Trykkledning spillvann PE100 SDR11 Ø110", "m", 140, None, None),
    ("06.3", "UA1.13", "Overføringsledning vann PE100 SDR11 Ø225", "m", 90, None, None),
    ("06.4", "UA1.21", "Stikkledninger vann PE100 SDR11 Ø40 til eiendommer", "m", 120, None, None),
    ("06.5", "UA2.11", "Rørdeler PE100, sveisebend og T-rør, levert", "kg", 180, None, None),
    ("06.6", "UA3.11", "Isolering av vannledning, XPS 50 mm", "m3", 3.5, None, None),
    ("06.7", "UB1.11", "Spillvannsledning PVC SN8 Ø200, rødbrun", "m", 305, None, None),
    ("06.8", "UB1.12", "Overvannsledning PVC SN8 Ø315", "m", 300, None, None),
    ("06.9", "UB1.13", "Overvannsledning PVC SN8 Ø160, tilknytning av sluk", "m", 95, None, None),
    ("06.10", "UB1.14", "Stikkledninger spillvann PVC SN8 Ø110", "m", 110, None, None),
    ("06.11", "UB1.21", "Betongrør DN400 for stikkrenne under veg", "m", 24, None, None),
    ("06.12", "UB1.22", "Betongrør DN600, armert, overvann", "m", 42, None, None),
    ("06.13", "UB2.11", "Omfylling av rør med pukk 8/16, levert", "m3", 420, None, 18),
    ("06.14", "UC1.11", "Betongkum DN1200 for spillvann, komplett med kjegle", "stk", 7, None, None),
    ("06.15", "UC1.12", "Betongkum DN1600 for vannkum med ventiler", "stk", 2, None, None),
    ("06.16", "UC1.21", "Sandfangkum av plast (PP) DN400 med sandfang", "stk", 9, None, None),
    ("06.17", "UC1.31", "Kumlokk og rammer av støpejern, klasse D400", "stk", 18, None, None),
    # 07 Grøntarealer
    ("07.1", "KB1.11", "Innkjøring av matjord, levert", "m3", 180, None, 20),
    ("07.2", "KB2.11", "Såing av gress", "m2", 1200, None, None),
)
# fmt: on


#: The site sheet: the contractor's machine plan for the road (made-up amounts for the example),
#: in the columns of the library's bid template, so ``klimafotavtrykk beregn`` reads it as the
#: site (A5 energy and machinery, mass transport apart).
SITE_SHEET = "Byggeplass"
# (category, activity, machine, machine class, carrier, amount, unit, rated kW, vehicle, committed)
SITE_ROWS: tuple[tuple, ...] = (
    ("maskin", "Graving og tilbakefylling", "Gravemaskin 30 t", "Gravemaskin", "diesel", 14_000, "l", None, None, "ja"),
    ("maskin", "Graving, VA-grøft", "Elektrisk gravemaskin 14 t", "Gravemaskin", "electricity", 21_000, "kWh", None, None, "ja"),
    ("maskin", "Lasting og planering", "Hjullaster", "Hjullaster", "hvo100", 6_500, "l", None, None, "ja"),
    ("maskin", "Komprimering", "Vals 10 t", "Vals (komprimering)", "diesel", 400, "timer", 100, None, "ja"),
    ("oppvarming og tørking", "Brakkerigg", "", "", "electricity", 18_000, "kWh", None, None, "ja"),
    ("massetransport", "Bortkjøring av overskuddsmasser", "", "", "", 96_000, "tonnkm", None, "truck_long_haul", "ja"),
)


def _write_site_sheet(wb: Workbook, bold: Font) -> None:
    from klimafotavtrykk.tender import template_headers

    ws = wb.create_sheet(SITE_SHEET)
    for col, header in enumerate(template_headers("nb")["site"], start=1):
        ws.cell(row=1, column=col, value=header).font = bold
    for row, values in enumerate(SITE_ROWS, start=2):
        for col, value in enumerate(values, start=1):
            if value not in (None, ""):
                ws.cell(row=row, column=col, value=value)


def build_workbook(path: str | Path) -> Path:
    """Write the road example to ``path`` and return the path.

    Parameters
    ----------
    path : str or pathlib.Path
        Target ``.xlsx`` file; overwritten if it exists.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    bold = Font(bold=True)
    for row, (label, value) in enumerate(TITLE, start=1):
        ws.cell(row=row, column=1, value=label).font = bold
        if value is not None:
            ws.cell(row=row, column=2, value=value)
    for col, header in enumerate(HEADERS, start=1):
        ws.cell(row=HEADER_ROW, column=col, value=header).font = bold
    for row, (post, code, text, unit, quantity, thickness, km) in enumerate(LINES, start=HEADER_ROW + 1):
        # column 6 (Bygningsdel) stays empty: NS 3451 does not apply to civil works
        for col, value in ((1, post), (2, code), (3, text), (4, unit), (5, quantity),
                           (7, thickness), (8, km)):
            ws.cell(row=row, column=col, value=value)
    for letter, width in zip("ABCDEFGH", (8, 12, 72, 7, 9, 12, 13, 22), strict=True):
        ws.column_dimensions[letter].width = width
    _write_site_sheet(wb, bold)
    wb.properties.creator = "klimafotavtrykk"
    wb.properties.title = "Eksempelvegen - mengdebeskrivelse (fiktivt eksempel)"
    wb.properties.created = STAMP
    raw = io.BytesIO()
    wb.save(raw)
    target = Path(path)
    target.write_bytes(pin_zip_times(raw.getvalue(), STAMP))
    return target


def main(argv: list[str] | None = None) -> int:
    """Write ``veg.xlsx`` next to this script, or to the path given as first argument."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path(__file__).with_name("veg.xlsx")
    build_workbook(target)
    print(f"wrote {target} ({len(LINES)} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
