"""Write the monthly report workbook a contractor fills in (*månedsrapport*).

The sheets, columns and lists are those of :mod:`klimafotavtrykk.followup.schema`;
:mod:`klimafotavtrykk.followup.reader` reads the filled workbook back. Given a
contract (:func:`klimafotavtrykk.followup.contract.load_contract`), the energy
and machines sheet is pre-filled with the machines the winning bid promised
(machine id locked) and the materials sheet with its material lines that carry
an EPD (line key, item number and description locked).

Header rows are locked (sheet protection without a password: it guards
against slips, not against a determined contractor); input cells are unlocked
and carry data validation. Text from the contract or bid is written so that a
spreadsheet never reads it as a formula.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from klimafotavtrykk.followup.schema import (
    DECLARATION_FIELDS,
    MATERIAL_COLUMNS,
    SITE_COLUMNS,
    report_lists,
)
from klimafotavtrykk.input_workbook import (
    guide_sheet,
    header_row,
    list_ranges,
    lists_sheet,
    protect,
    save_workbook,
    text_or_value,
    validation,
)
from klimafotavtrykk.messages import t
from klimafotavtrykk.provenance import column_letter
from klimafotavtrykk.tender.schema import Column, named_choices, plain_text

__all__ = ["write_report_template", "prefilled_site", "prefilled_materials"]

_FIRST_DATA_ROW = 2      # header on row 1
_INPUT_ROWS = 200        # empty input rows prepared below pre-filled ones
_LISTS_SHEET = "Lister"  # hidden sheet holding the validation lists
_GUIDE_LINES = 8         # followup.template.guide.1 … .8
#: Site unit key (``bid.site_unit.<key>``) of each carrier unit spelling in the carrier table.
_CARRIER_UNIT = {"l": "l", "kwh": "kwh", "nm3": "nm3", "kg": "kg"}


def write_report_template(path: str | Path, lang: str = "nb", contract=None) -> Path:
    """Write the monthly report workbook.

    Parameters
    ----------
    path : str or Path
        Target ``.xlsx``; replaced if it exists.
    lang : {"nb", "en"}
        Language of sheet names, headers, lists and instructions.
    contract : Contract, optional
        Pre-fill the machines and materials promised and the contract's name.

    Returns
    -------
    pathlib.Path
        The file written. The bytes depend only on the arguments (fixed
        timestamps), so the same call gives the same file.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font, Protection

    lists = report_lists(lang)
    book = Workbook()
    guide = guide_sheet(book, t("followup.template.sheet.guide", lang),
                        t("followup.template.guide.title", lang),
                        (t(f"followup.template.guide.{i}", lang)
                         for i in range(1, _GUIDE_LINES + 1)))
    ranges = list_ranges(lists, _LISTS_SHEET)

    unlocked = Protection(locked=False)
    decl = book.create_sheet(t("followup.template.sheet.declaration", lang))
    decl.column_dimensions["A"].width, decl.column_dimensions["B"].width = 30, 44
    decl.cell(row=1, column=1, value=t("followup.template.declaration.title", lang)).font = Font(
        bold=True, size=13)
    given = {"contract": contract.name} if contract is not None else {}
    for i, name in enumerate(DECLARATION_FIELDS, start=3):
        decl.cell(row=i, column=1, value=t(f"followup.template.declaration.{name}", lang)).font = (
            Font(bold=True))
        cell = text_or_value(decl, i, 2, given.get(name))
        cell.number_format = "yyyy-mm-dd" if name == "date" else "@"  # a month stays text
        cell.protection = unlocked
    decl.cell(row=4 + len(DECLARATION_FIELDS), column=1,
              value=t("followup.template.declaration.note", lang))
    protect(decl)

    site = (prefilled_site(contract.machines, lang, getattr(contract.bid, "site", None))
            if contract is not None else None)
    materials = prefilled_materials(contract.materials) if contract is not None else None
    for key, columns, filled in (("site", SITE_COLUMNS, site), ("materials", MATERIAL_COLUMNS,
                                                                  materials)):
        filled = pd.DataFrame(columns=[c.name for c in columns]) if filled is None else filled
        sheet = book.create_sheet(t(f"followup.template.sheet.{key}", lang))
        header_row(sheet, [t(f"followup.template.header.{c.name}", lang) for c in columns],
                   [c.width for c in columns], fill="E2EFDA")
        last = _FIRST_DATA_ROW + len(filled) + _INPUT_ROWS - 1
        for j, column in enumerate(columns, start=1):
            letter = column_letter(j - 1)
            sheet.column_dimensions[letter].protection = unlocked  # empty input cells
            for i, value in enumerate(_cells(filled, column)):
                if value is None:
                    continue
                cell = text_or_value(sheet, _FIRST_DATA_ROW + i, j, value)
                if not column.prefilled:
                    cell.protection = unlocked
            check = _validation(column, key, ranges, lang)
            if check is not None:
                sheet.add_data_validation(check)
                check.add(f"{letter}{_FIRST_DATA_ROW}:{letter}{last}")
        protect(sheet)

    titles = [t("followup.template.list.eu_stages", lang) if key == "eu_stages"
              else t(f"bid.list.{key}", lang) for key in lists]
    lists_sheet(book.create_sheet(_LISTS_SHEET), titles, lists)  # last: every dropdown reads it
    protect(guide)
    return save_workbook(book, path, active=1)  # opens on the declaration sheet


def prefilled_site(machines: pd.DataFrame, lang: str = "nb", bid_site: pd.DataFrame | None = None
                   ) -> pd.DataFrame:
    """Rows of the energy and machines sheet for the machines a contract promised.

    Parameters
    ----------
    machines : DataFrame
        :attr:`Contract.machines <klimafotavtrykk.followup.model.Contract>`.
    lang : {"nb", "en"}
        Language of the dropdown labels written.
    bid_site : DataFrame, optional
        The winning bid's site rows (:attr:`Bid.site <klimafotavtrykk.tender.reader.Bid>`),
        in the order the machine ids were given, for the rated power and the
        vehicle class the promise frame does not carry.

    Returns
    -------
    DataFrame
        Columns of :data:`~klimafotavtrykk.followup.schema.SITE_COLUMNS`: id,
        category, activity, machine, machine class, carrier, the unit the
        carrier is sold in (tonne-km for mass transport) and rated power as
        labels of the dropdowns; amounts, hours, emission-free and EU stage
        left for the contractor.
    """
    from klimafotavtrykk.site import load_energy_carriers, load_machinery

    m = machines.reset_index(drop=True)
    n = len(m)
    classes = load_machinery().drop_duplicates("machine_class")
    class_names = dict(zip(classes["machine_class"], classes[f"name_{lang}"].astype(str),
                           strict=True))
    carriers = load_energy_carriers().drop_duplicates("carrier")
    carrier_unit = dict(zip(carriers["carrier"], carriers["unit"].astype(str).str.casefold(),
                            strict=True))
    carrier_unit["electricity"] = "kwh"  # a plain electricity resolves to a kWh carrier
    carrier_names = named_choices("carriers", lang)
    category = m["category"].astype(object).to_numpy() if "category" in m else np.full(n, None)
    carrier = m["carrier"].astype(object).to_numpy()
    unit_key = np.where(category == "mass_transport", "tkm",
                        [_CARRIER_UNIT.get(carrier_unit.get(c, ""), None) for c in carrier])
    source = bid_site.reset_index(drop=True) if bid_site is not None and len(bid_site) == n else m
    extra = _bid_columns(source, ("rated_power_kw", "vehicle_class"))
    vehicle_names = named_choices("transport_modes", lang)
    return pd.DataFrame({
        "machine_id": m["machine_id"].to_numpy(dtype=object),
        "category": [None if pd.isna(c) else t(f"bid.category.{c}", lang) for c in category],
        "activity": m["activity"].to_numpy(dtype=object),
        "machine": m["machine"].to_numpy(dtype=object),
        "machine_class": [class_names.get(c, c) for c in m["machine_class"].astype(object)],
        "carrier": [carrier_names.get(c, c) for c in carrier],
        "unit": [None if u is None or pd.isna(u) else t(f"bid.site_unit.{u}", lang)
                 for u in unit_key],
        "rated_power_kw": extra["rated_power_kw"],
        "vehicle_class": [vehicle_names.get(v, v) for v in extra["vehicle_class"]],
    })


def prefilled_materials(materials: pd.DataFrame) -> pd.DataFrame:
    """Rows of the materials-delivered sheet for the materials a contract promised.

    The tender line (key, item number, description) and the bid's product,
    EPD number, declared unit, GWP A1-A3 and unit; the quantity is left for
    the contractor.
    """
    out = materials.reset_index(drop=True)[[c.name for c in MATERIAL_COLUMNS]].copy()
    out["quantity"] = np.nan
    return out


def _bid_columns(frame: pd.DataFrame, names) -> dict[str, list]:
    """Columns a promise frame may lack (taken from the bid's site rows when present)."""
    return {name: (frame[name].astype(object).tolist() if name in frame.columns
                   else [None] * len(frame)) for name in names}


def _cells(frame: pd.DataFrame, column: Column) -> list:
    """Values of one column as cells take them: text, float or None."""
    if column.name not in frame.columns:
        return [None] * len(frame)
    values = frame[column.name].astype(object).where(frame[column.name].notna(), None)
    if column.kind == "number":
        numeric = pd.to_numeric(values, errors="coerce")
        return [None if pd.isna(v) else float(v) for v in numeric]
    return [None if v is None else plain_text(v) for v in values]


def _validation(column: Column, sheet: str, ranges: dict[str, str], lang: str):
    """Build the data validation of a column; None for free text."""
    if column.name == "quantity":
        hint = t(f"followup.template.hint.quantity_{sheet}", lang)
    elif column.name == "machine_hours":
        hint = t("followup.template.hint.machine_hours", lang)
    else:
        hint = t(f"bid.hint.{column.kind}", lang)
    title = t(f"followup.template.header.{column.name}", lang)[:32]  # Excel's title limit
    return validation(column.kind, hint, title, ranges.get(column.choices))
