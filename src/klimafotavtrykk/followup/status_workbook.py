"""The follow-up status as a workbook: summary, months, carriers, machines, materials, findings, bonus.

Written through :mod:`klimafotavtrykk.xlsx_writer` like the evaluation
workbook: every text a string cell through
:func:`~klimafotavtrykk.reports.safe_text` (a contractor's machine name or
EPD number never becomes a formula), numbers as numbers, no formula at all,
and fixed document dates, so the same status gives the same bytes.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from klimafotavtrykk.followup._text import KIND_PREFIXES, blank_none, code_texts, reason_texts
from klimafotavtrykk.messages import check_language, column_label, t
from klimafotavtrykk.site import SHARE_BASES

__all__ = ["status_frames", "write_status_workbook"]

_SHARE_FORMAT = "0%"
_SHEETS = ("summary", "by_month", "by_carrier", "by_machine", "materials", "findings", "bonus",
           "parameters")


def status_frames(result, lang: str = "nb") -> dict[str, pd.DataFrame]:
    """The status workbook's tables, keyed by sheet name in ``lang``, headers translated.

    Parameters
    ----------
    result : FollowUp
    lang : {"nb", "en"}

    Returns
    -------
    dict of str to pandas.DataFrame
        Sheets in this order: summary, by month, by carrier, by machine,
        materials, findings, bonus, parameters with sources.
    """
    check_language(lang)
    yes_no = {True: t("bid.yes", lang), False: t("bid.no", lang)}
    classes = ("followup.status.energy_class.",)

    def flags(frame, *columns):
        for c in columns:
            if c in frame:
                values = frame[c].astype("boolean")
                frame[c] = values.map(yes_no).astype(object).where(values.notna(), None)
        return frame

    month = flags(result.by_month.copy(), "reported")
    carrier = flags(result.by_carrier.copy(), "in_promise")
    carrier["energy_class"] = code_texts(carrier["energy_class"], classes, lang)
    machine = flags(result.by_machine.copy(), "reported_emission_free", "in_promise",
                    "promised_emission_free")
    machine["energy_class"] = code_texts(machine["energy_class"], classes, lang)
    materials = result.materials.copy()
    materials["reason"] = code_texts(blank_none(materials["reason"]),
                                     ("followup.status.material_reason.",), lang)
    findings = result.findings.copy()
    findings["reason"] = reason_texts(findings["kind"], findings["reason"], lang)
    findings["kind"] = code_texts(findings["kind"], KIND_PREFIXES, lang)
    bonus = flags(result.bonus.copy(), "capped")
    bonus["kind"] = code_texts(bonus["kind"], ("followup.rule.kind.",), lang)
    bonus = bonus.rename(columns={"kind": "rule_kind"})
    bonus["note"] = code_texts(blank_none(bonus["note"]), ("followup.rule.note.",), lang)
    parameters = result.parameters.copy()
    for column in ("value", "source"):
        parameters[column] = _keys_as_text(parameters[column], lang)
    frames = dict(zip(_SHEETS, (_summary(result, lang), month, carrier, machine, materials, findings,
                                bonus, parameters), strict=True))
    return {t(f"followup.status.sheet.{name}", lang): frame.rename(columns=lambda c: _label(c, lang))
            for name, frame in frames.items()}


def write_status_workbook(result, path: str | os.PathLike, lang: str = "nb") -> Path:
    """Write the status workbook: the sheets of :func:`status_frames`.

    Parameters
    ----------
    result : FollowUp
    path : str or path-like
        Target ``.xlsx``; replaced if it exists.
    lang : {"nb", "en"}

    Returns
    -------
    pathlib.Path
    """
    from klimafotavtrykk.reports import FIXED_TIME, KG_FORMAT, column_widths, safe_text, safe_texts
    from klimafotavtrykk.xlsx_writer import Table, write_xlsx

    kg = {_label(c, lang) for c in (*result.by_month.columns, *result.by_carrier.columns,
                                    *result.by_machine.columns, *result.materials.columns,
                                    *result.findings.columns, *result.bonus.columns)
          if "kg_co2e" in c or c.endswith("_nok") or c == "energy_kwh"}
    kg |= {str(m) for m in result.months.astype(str)}  # the per-month kg columns of by carrier
    shares = {_label(c, lang) for c in result.by_month.columns if "share_" in c}
    tables = [Table(name=safe_text(name)[:31], frame=frame, widths=column_widths(frame),
                    formats=[KG_FORMAT if h in kg else _SHARE_FORMAT if h in shares else None
                             for h in frame.columns])
              for name, frame in status_frames(result, lang).items()]
    path = Path(path)
    path.write_bytes(write_xlsx(tables, safe_texts, when=FIXED_TIME))
    return path


def _summary(result, lang: str) -> pd.DataFrame:
    s = result.summary
    rows = [("contract", result.contract),
            ("status_month", None if result.status_month is None else str(result.status_month))]
    rows += [(k, v) for k, v in s.items() if k != "budget_source"]
    rows.append(("budget_source", t(f"followup.status.budget_source.{s['budget_source']}", lang)))
    order = ["contract", "status_month", "months_in_contract", "months_elapsed", "months_reported",
             "budget_kg_co2e", "budget_source", "kg_co2e", "promised_to_date_kg_co2e",
             "deviation_kg_co2e", "projection_kg_co2e", "projected_deviation_kg_co2e",
             "mass_transport_kg_co2e", "materials_difference_kg_co2e", "result_kg_co2e",
             *[f"share_{b}" for b in SHARE_BASES], *[f"promised_share_{b}" for b in SHARE_BASES],
             "bonus_nok", "n_findings"]
    values = dict(rows)
    labels = [t(f"followup.status.summary.{k}", lang) for k in order]
    return pd.DataFrame({"field": labels, "value": [_cell(values.get(k)) for k in order]},
                        dtype=object)


def _cell(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _keys_as_text(values: pd.Series, lang: str) -> np.ndarray:
    """Message keys (method and source descriptions) as text; other values as they are."""
    from klimafotavtrykk.messages import MESSAGES

    out = values.astype(object).to_numpy(copy=True)
    for i, value in enumerate(out):  # the parameters sheet: tens of rows
        if isinstance(value, str) and value in MESSAGES:
            out[i] = t(value, lang)
    return out


def _label(column: str, lang: str) -> str:
    from klimafotavtrykk.messages import MESSAGES

    key = f"followup.status.col.{column}"
    return t(key, lang) if key in MESSAGES else column_label(column, lang)


