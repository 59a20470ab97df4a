"""Write the example bill of quantities ``examples/skole.xlsx``.

A small Norwegian school (about 2 400 m² BTA, two storeys, hybrid concrete and
timber structure), described the way a Norwegian *mengdebeskrivelse* is laid out:
a title block on rows 1-4, Norwegian headers on row 6 and one line per item
below. Quantities are plausible estimates made up for testing and demonstration,
not taken from a real project. The NS 3420 codes only have the shape of real
codes; they are not checked against the standard.

A few lines are unmatched on purpose: a lump sum (``RS``), a unit in weeks
(``uke``), products with no factor (linoleum, ventilation unit, intumescent
paint ...), a line without a quantity, and EPS/XPS in m³ (no density in the
factor source).

The file is byte-for-byte reproducible: fixed document properties and fixed
timestamps inside the zip archive.

Run from the repository root::

    python examples/build_examples.py
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from klimafotavtrykk.reports import pin_zip_times

__all__ = ["HEADERS", "LINES", "SHEET", "HEADER_ROW", "THICKNESS_MM", "build_workbook"]

SHEET = "Mengder"
HEADER_ROW = 6
HEADERS = ("Postnr", "NS 3420", "Beskrivelse", "Enhet", "Mengde", "Bygningsdel", "Tykkelse (mm)")
TITLE_BLOCK = (
    ("Prosjekt:", "Eksempelskolen, ny barneskole, ca. 2 400 m² BTA (fiktivt eksempel)"),
    ("Dato:", "14.03.2025"),
    ("Mengdebeskrivelse", None),
    (
        "Grunnlag:",
        "Anslåtte mengder for test og demonstrasjon av klimafotavtrykk, ikke fra et "
        "reelt prosjekt. NS 3420-kodene er illustrative.",
    ),
)
#: Fixed timestamp written into the workbook and every zip entry.
FIXED_TIME = dt.datetime(2025, 3, 14, 12, 0, 0)

#: (building part NS 3451, NS 3420-like code, description, unit, quantity or None)
# fmt: off
LINES: tuple[tuple[str, str, str, str, float | None], ...] = (
    # 20 Bygning, generelt: site costs
    ("20", "AJ1.1", "Rigg og drift av byggeplass", "RS", 1),
    ("20", "AJ8.23", "Byggekran, leie inkl. kranfører", "uke", 32),
    # 21 Grunn og fundamenter
    ("212", "FB1.251A", "Masseutskifting med sprengstein under bygg", "m3", 1850),
    ("215", "FP2.131", "Stålkjernepeler, konstruksjonsstål S355, levert og boret", "tonn", 6.5),
    ("216", "LD1.1141", "Plasstøpt betong B30 lavkarbon B, såler og fundamenter", "m3", 140),
    ("216", "LD1.1142", "Ringmur, plasstøpt betong B35 lavkarbon A", "m3", 45),
    ("216", "LC2.113", "Armering, kamstål B500NC, såler og fundamenter", "tonn", 14),
    ("216", "LC2.114", "Armering, kamstål B500NC, ringmur", "tonn", 3.5),
    ("216", "LB2.1121", "Forskaling av såler og fundamenter", "m2", 380),
    ("216", "FS1.171221", "Markisolasjon XPS 300 kPa, 100 mm, under såler og ringmur", "m3", 22),
    ("216", "QK1.21", "Markisolasjon steinull, trykkfast, 150 mm, mot ringmur", "m3", 15),
    ("216", "FS1.171222", "Pukk 16-32 mm under gulv på grunn", "m3", 300),
    # 22 Bæresystemer
    ("222", "QB3.111", "Limtresøyler GL30c", "m3", 28),
    ("222", "NS1.121", "Stålsøyler HEB 200, S355", "tonn", 9),
    ("222", "LD1.1151", "Betongsøyler, plasstøpt B45 M45", "m3", 15),
    ("222", "LF1.21", "Søyleelementer, prefabrikkert betong", "m3", 12),
    ("222", "NS1.81", "Søylefundamentbolter, varmforsinket", "kg", 250),
    ("223", "QB3.121", "Limtrebjelker GL30c", "m3", 95),
    ("223", "NS1.131", "Stålbjelker IPE/HEA, S355", "tonn", 14),
    ("223", "NS1.132", "Stålbjelker HEA 240, 100 % skrapbasert stål (EAF)", "tonn", 3),
    ("223", "LF1.31", "Bjelkeelementer, prefabrikkert betong, slakkarmert", "m3", 20),
    ("223", "QB3.131", "LVL-bjelker 45x300 mm", "m3", 6),
    ("224", "LD1.1161", "Vegger i trapperom og heissjakt, plasstøpt betong B35 lavkarbon A", "m3", 45),
    ("224", "LC2.115", "Armering, kamstål B500NC, trapperom og heissjakt", "tonn", 6.5),
    ("224", "NS1.141", "Stålkryss for vindavstivning, varmforsinket stål", "kg", 1800),
    ("224", "QB3.141", "Kryssfiner 18 mm, avstivning av yttervegger", "m3", 9),
    ("225", "NS5.21", "Brannmaling (intumescent) på bærende stål, R60", "m2", 380),
    ("226", "QK5.311", "Brannbeskyttende innkassing av bærende stål, gipsplater type F 15 mm", "m2", 240),
    # 23 Yttervegger
    ("231", "QB2.111181", "Bindingsverk av heltre C24, 48x198 mm, yttervegger", "m2", 1050),
    ("231", "QB2.111182", "Konstruksjonsvirke C24, stendere og sviller, diverse", "m3", 38),
    ("231", "QK1.31", "Isolasjon glassull, 200 mm, i yttervegger", "m2", 1050),
    ("231", "QK1.32", "Isolasjon glassull, 50 mm, påforing innvendig", "m3", 52),
    ("231", "QK4.11", "Utvendig vindtett gipsplate 9 mm", "m2", 1050),
    ("231", "QK3.11", "Dampsperre, PE-folie 0,15 mm, yttervegger", "m2", 1050),
    ("231", "QK2.21", "OSB-plater 12 mm, avstivning", "m3", 6),
    ("232", "QK2.11", "Vindsperre, diffusjonsåpen duk", "m2", 300),
    ("232", "NS2.11", "Stålstendere, lette stålprofiler, ikke-bærende yttervegg", "kg", 2400),
    ("232", "QK1.41", "Fasadeisolasjon, steinull fasadeplater 50 mm", "m3", 30),
    ("233", "NV1.11", "Glassfasade, aluminiumsprofiler med 3-lags isolerglass, hovedinngang", "m2", 180),
    ("234", "QV1.111", "Vinduer, tre/aluminium, 3-lags isolerglass, U-verdi 0,8", "m2", 420),
    ("234", "QV1.112", "Vinduer, tre, 3-lags isolerglass, faste felt", "m2", 60),
    ("234", "QV3.11", "Ytterdør, aluminium, helglasset, hovedinngang", "m2", 24),
    ("234", "QV3.12", "Ytterdør, stål, uten glass, tekniske rom", "m2", 12),
    ("234", "QV3.13", "Ytterdør, tre, uten glass, boder", "m2", 8),
    ("234", "QV9.11", "Fuging rundt vinduer og dører, fugemasse", "lm", 1300),
    ("235", "QK6.11", "Utvendig kledning, trekledning 19x148 mm, royalbehandlet", "m2", 680),
    ("235", "QK6.12", "Lekter og sløyfer 36x48 mm", "lm", 4200),
    ("235", "QK6.21", "Fasadeplater, fibersement 8 mm", "m2", 320),
    ("235", "NT1.11", "Beslag, aluminium, vannbrett og overgangsbeslag", "kg", 650),
    ("235", "NS9.21", "Maling av utvendig trekledning, 2 strøk", "m2", 680),
    ("236", "QK5.111", "Innvendig kledning yttervegg, gipsplater 12,5 mm", "m2", 1000),
    ("236", "NS9.22", "Maling av innvendige overflater på yttervegg, 2 strøk", "m2", 1000),
    # 24 Innervegger
    ("241", "LD1.1171", "Bærende innervegger, plasstøpt betong B35 M45", "m3", 60),
    ("241", "LC2.116", "Armering, kamstål B500NC, bærende innervegger", "tonn", 6),
    ("241", "MB1.21", "Lettklinkerblokker 250 mm, murt, tekniske rom", "m2", 180),
    ("242", "NS2.12", "Lettvegger, stålstendere 70 mm", "kg", 5200),
    ("242", "QK5.121", "Gipsplater standard 12,5 mm, lettvegger, 2 lag hver side", "m2", 2000),
    ("242", "QK5.122", "Gipsplater, våtromsplate 12,5 mm", "m2", 240),
    ("242", "QK5.123", "Brannplater, gips type F 15 mm, brannvegger", "m2", 380),
    ("242", "QK1.51", "Lydisolasjon, glassull 70 mm, i lettvegger", "m2", 2000),
    ("242", "MB2.11", "Teglstein, massiv, murt innervegg i vrimleareal", "m3", 35),
    ("242", "MB2.12", "Murmørtel, type B", "m3", 6),
    ("243", "QV5.11", "Systemvegger, glassfelt, innvendige, EI30", "m2", 90),
    ("244", "QV4.11", "Innerdører, tre, lyd- og brannklassifisert, EI30 35 dB", "stk", 85),
    ("244", "QV4.12", "Innerdører, enkle tredører, boder", "stk", 20),
    ("245", "LD1.1181", "Skjørt, plasstøpt betong B30, over åpninger", "m3", 4),
    ("242", "NS9.23", "Maling av innervegger, 2 strøk", "m2", 4600),
    # 25 Dekker
    ("251", "LF2.11", "Hulldekker HD 265, lavkarbon, etasjeskiller", "m2", 1150),
    ("251", "LF2.21", "Fugestøp av hulldekker", "m3", 24),
    ("251", "LD1.1191", "Påstøp, plasstøpt betong B30, 80 mm, på etasjeskillere", "m3", 92),
    ("251", "LC2.117", "Armering i påstøp, armeringsnett K189", "tonn", 5.5),
    ("251", "NS1.133", "Innfelte stålbjelker i etasjeskiller", "tonn", 7.5),
    ("252", "LD1.1211", "Plasstøpt betong B30 M60, gulv på grunn 150 mm", "m3", 188),
    ("252", "LC2.118", "Armeringsnett K257, gulv på grunn", "tonn", 9.5),
    ("252", "QK1.61", "Isolasjon EPS S80 under gulv på grunn, 200 mm", "m3", 250),
    ("252", "QK3.21", "Radonsperre, PE-folie 0,4 mm", "m2", 1250),
    ("253", "LE3.11", "Avretting, flytsparkel 10 mm", "m2", 2200),
    ("254", "QK1.71", "Trinnlydplate, steinull 30 mm", "m2", 1150),
    ("255", "NG1.11", "Linoleumsbelegg 2,5 mm", "m2", 1900),
    ("255", "NF1.11", "Keramiske fliser i våtrom", "m2", 160),
    ("256", "QK5.131", "Gipsplater i himling, standard 12,5 mm", "m2", 320),
    ("256", "NS9.24", "Maling av gipshimling, 2 strøk", "m2", 320),
    ("257", "QH1.11", "Systemhimling, akustikkplater på skjult T-profilsystem", "m2", 1800),
    # 26 Yttertak
    ("261", "QB4.11", "Massivtre takelementer (CLT), 200 mm", "m3", 160),
    ("261", "QB4.21", "Takåser, limtre GL30c", "m3", 30),
    ("261", "LF2.12", "Hulldekker HD 320, takdekke over gymsal", "m2", 250),
    ("262", "PT2.11", "Taktekking, ettlags SBS asfaltbelegg, mekanisk festet", "m2", 1300),
    ("262", "QK1.81", "Takisolasjon, trykkfast steinull, 300 mm", "m3", 390),
    ("262", "QK1.82", "Takisolasjon, EPS, fallsystem", "m3", 110),
    ("262", "QK3.31", "Dampsperre tak, PE-folie 0,2 mm", "m2", 1300),
    ("262", "PT2.21", "Takfolie PVC 1,5 mm, over tekniske rom", "m2", 140),
    ("262", "NT2.11", "Trapesprofilerte stålplater 0,7 mm, tak over sykkelbod", "kg", 850),
    ("263", "QV2.11", "Overlys, aluminiumsramme med 3-lags glass", "m2", 40),
    ("264", "NT1.21", "Beslag, stål, lakkert, takkant og gesims", "kg", 900),
    ("265", "NT3.11", "Takrenner og nedløpsrør, aluminium", "kg", 320),
    ("261", "QB4.22", "Limtre, ekstra bjelker iht. endringsmelding", "m3", None),
    # 27 Fast inventar (outside TEK17 § 17-1)
    ("273", "QS1.11", "Kjøkkeninnredning, skolekjøkken", "stk", 4),
    ("275", "QS2.11", "Garderobeskap, sponplater melaminbelagt", "m3", 4),
    # 28 Trapper, balkonger m.m. (outside TEK17 § 17-1)
    ("281", "LF3.11", "Trappeelementer, prefabrikkert betong, trapper og reposer", "m3", 14),
    ("282", "NS3.11", "Utvendig rømningstrapp, varmforsinket stål", "kg", 3200),
    ("287", "NS3.21", "Rekkverk, varmforsinket stål", "kg", 1600),
    # 3 VVS, 4 Elkraft, 6 Andre installasjoner (outside TEK17 § 17-1)
    ("312", "VR1.11", "Kobberrør 15-28 mm, tappevann", "kg", 420),
    ("315", "VS1.11", "Sanitærutstyr, servanter og toaletter", "stk", 60),
    ("365", "VL1.11", "Ventilasjonsaggregat med varmegjenvinning, komplett", "stk", 3),
    ("49", "EL9.11", "Solcellepaneler, monokrystallinske, på tak", "m2", 420),
    ("621", "HE1.11", "Personheis, komplett", "stk", 1),
    # 7 Utendørs (outside TEK17 § 17-1)
    ("762", "DA1.11", "Asfaltdekke Agb 11, 40 mm, parkering og adkomst", "tonn", 180),
    ("762", "FS1.181", "Fiberduk, geotekstil klasse 3, under bærelag", "m2", 1400),
    ("762", "DB1.11", "Bærelag, knust fjell 0-32 mm", "m3", 450),
    ("762", "KK1.11", "Kantstein, granitt", "lm", 300),
)
# fmt: on

#: Layer thickness [mm] of area lines whose product is given per mass or volume, as the
#: description states it; the engine converts m² × thickness × density to the declared unit.
#: Framing (bindingsverk) is no solid layer and keeps no thickness, so it is reported unmatched.
THICKNESS_MM: dict[str, float] = {
    "Brannbeskyttende innkassing av bærende stål, gipsplater type F 15 mm": 15,
    "Isolasjon glassull, 200 mm, i yttervegger": 200,
    "Utvendig vindtett gipsplate 9 mm": 9,
    "Dampsperre, PE-folie 0,15 mm, yttervegger": 0.15,
    "Utvendig kledning, trekledning 19x148 mm, royalbehandlet": 19,
    "Fasadeplater, fibersement 8 mm": 8,
    "Innvendig kledning yttervegg, gipsplater 12,5 mm": 12.5,
    "Lettklinkerblokker 250 mm, murt, tekniske rom": 250,
    "Gipsplater standard 12,5 mm, lettvegger, 2 lag hver side": 50,
    "Gipsplater, våtromsplate 12,5 mm": 12.5,
    "Brannplater, gips type F 15 mm, brannvegger": 15,
    "Lydisolasjon, glassull 70 mm, i lettvegger": 70,
    "Hulldekker HD 265, lavkarbon, etasjeskiller": 265,
    "Radonsperre, PE-folie 0,4 mm": 0.4,
    "Avretting, flytsparkel 10 mm": 10,
    "Trinnlydplate, steinull 30 mm": 30,
    "Gipsplater i himling, standard 12,5 mm": 12.5,
    "Hulldekker HD 320, takdekke over gymsal": 320,
    "Dampsperre tak, PE-folie 0,2 mm": 0.2,
    "Takfolie PVC 1,5 mm, over tekniske rom": 1.5,
    "Asfaltdekke Agb 11, 40 mm, parkering og adkomst": 40,
}


def build_workbook(path: Path) -> Path:
    """Write the example bill of quantities to ``path`` and return the path.

    Parameters
    ----------
    path : pathlib.Path
        Target ``.xlsx`` file; overwritten if it exists.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    for row, (label, value) in enumerate(TITLE_BLOCK, start=1):
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        if value is not None:
            ws.cell(row=row, column=2, value=value)
    for col, header in enumerate(HEADERS, start=1):
        ws.cell(row=HEADER_ROW, column=col, value=header).font = Font(bold=True)

    counters: dict[str, int] = {}
    for offset, (part, code, text, unit, quantity) in enumerate(LINES, start=1):
        counters[part] = counters.get(part, 0) + 1
        row = HEADER_ROW + offset
        values = (f"{part}.{counters[part]:02d}", code, text, unit, quantity, part,
                  THICKNESS_MM.get(text))
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value)
    for letter, width in zip("ABCDEFG", (10, 12, 70, 8, 10, 12, 14), strict=True):
        ws.column_dimensions[letter].width = width

    props = wb.properties
    props.creator = "klimafotavtrykk"
    props.title = "Eksempelskolen - mengdebeskrivelse (fiktivt eksempel)"
    props.created = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    path = Path(path)
    path.write_bytes(pin_zip_times(buffer.getvalue(), FIXED_TIME))
    return path


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: write ``skole.xlsx`` next to this script (or to argv[0])."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path(__file__).with_name("skole.xlsx")
    build_workbook(target)
    print(f"wrote {target} ({len(LINES)} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
