"""Packages a generated worksheet as the .xlsx bytes Excel would save (shared by benchmarks).

Benchmarks that time reading a large bill of quantities build its sheet rows themselves
(each its own layout) and wrap them here: one worksheet named ``Mengder``, its shared
strings, the content types and relationships an .xlsx needs, deflated at zlib level 6.
"""

import io
import zipfile
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def xlsx_package(rows: list[str], strings: dict[str, int], last_row: int) -> bytes:
    """The .xlsx bytes of one sheet of six columns (A-F).

    Parameters
    ----------
    rows : list of str
        The ``<row>`` elements of the sheet, in order.
    strings : dict
        Shared strings and their indexes, in index order.
    last_row : int
        Last row number, for the sheet's ``<dimension>``.
    """
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
             f'<dimension ref="A1:F{last_row}"/><sheetData>' + "".join(rows)
             + "</sheetData></worksheet>")
    sst = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" '
           f'count="{len(strings)}" uniqueCount="{len(strings)}">'
           + "".join(f"<si><t>{escape(t)}</t></si>" for t in strings) + "</sst>")
    members = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               'content-types"><Default Extension="xml" ContentType="'
                               'application/xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/'
                       'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet '
                           'name="Mengder" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                                      f'Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                                      f'<Relationship Id="rId2" Type="{REL}/sharedStrings" '
                                      'Target="sharedStrings.xml"/></Relationships>',
        "xl/sharedStrings.xml": sst,
        "xl/worksheets/sheet1.xml": sheet,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, text in members.items():
            archive.writestr(name, text.encode("utf-8"))
    return buf.getvalue()
