"""Report frames and the report workbook, with text that cannot become a formula.

A report is built from an :class:`~klimafotavtrykk.assessment.Assessment`,
never from files: :func:`summary_frames` turns the result into a few
labelled tables (bokmål or English headers) and :func:`write_workbook`
writes them into an ``.xlsx`` file with :mod:`klimafotavtrykk.xlsx_writer`.

Bills of quantities come from bidders and are untrusted. Their text (a
description, an item code) must not turn into a formula or a DDE link in the
report ("CSV/formula injection"). We do two things, and both are needed:

1. every text cell is written as a string cell (a shared string, ``t="s"``), so
   the workbook as written holds no formula at all; and
2. :func:`safe_text` prefixes risky text with an apostrophe (``'``), so the
   value stays inert when a user edits the cell, copies it, or exports the
   sheet to CSV and opens that elsewhere. The apostrophe is visible: that is
   the price of a value that is safe everywhere, not only in this workbook
   (an Excel ``quotePrefix`` style would hide it, but is lost on export).

Numbers are written as numbers; a negative number is never text.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from klimafotavtrykk.messages import column_label, hint_text, reason_text, t
from klimafotavtrykk.vocabulary import MODULES

__all__ = [
    "MAX_CELL_TEXT",
    "safe_text",
    "safe_texts",
    "column_widths",
    "KG_FORMAT",
    "report_modules",
    "summary_frames",
    "write_workbook",
    "evaluation_frames",
    "write_evaluation_workbook",
    "pin_zip_times",
    "FIXED_TIME",
]

#: Time written into evaluation workbooks and templates, so that the same content gives the same bytes.
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)

#: Longest text an Excel cell holds (Excel specifications and limits). [characters]
MAX_CELL_TEXT = 32_767

# Text a spreadsheet may read as a formula: =, +, -, @ (and their full-width
# forms), also after leading whitespace; or a leading tab or carriage return.
_FORMULA_START = re.compile("^(?:[\t\r]|\\s*[=+\\-@\uff1d\uff0b\uff0d\uff20])")
# Control characters XML 1.0 (and so xlsx) cannot hold.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# _FORMULA_START at the start of any line: the one search over a column's texts joined by
# line breaks (:func:`_any_unsafe`)
_FORMULA_LINE = re.compile(_FORMULA_START.pattern, re.MULTILINE)

_LINE_COLUMNS = (
    "source_ref", "post_number", "item_code", "description", "building_part", "quantity", "unit",
    "factor_id", "factor_name", "factor_source", "match_method", "declared_quantity",
    "declared_unit", "mass", "replacements",
)
_UNMATCHED_COLUMNS = (
    "source_ref", "post_number", "item_code", "description", "building_part", "quantity", "unit",
    "reason", "hint", "detail",
)
# Excel display formats (the stored value keeps its full precision).
KG_FORMAT = "#,##0"  # whole kilograms with a thousands separator
_MAX_WIDTH = 60  # [characters]


def safe_text(value: object) -> str:
    r"""Text that a spreadsheet will not run as a formula or DDE link.

    Text starting with ``=``, ``+``, ``-`` or ``@`` (also after leading
    whitespace, and their full-width forms), or with a tab or carriage
    return, is prefixed with an apostrophe. Control characters that xlsx
    cannot store become U+FFFD, and text longer than an Excel cell holds is
    cut with an ellipsis.

    Parameters
    ----------
    value : object
        Anything; None and NaN give ``""``.

    Returns
    -------
    str

    Examples
    --------
    >>> safe_text('=HYPERLINK("http://x","y")')
    '\'=HYPERLINK("http://x","y")'
    >>> safe_text("Betong B30")
    'Betong B30'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = _ILLEGAL_XML.sub("\ufffd", str(value))
    if _FORMULA_START.match(text):
        text = "'" + text
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


def safe_texts(values: np.ndarray) -> np.ndarray:
    """:func:`safe_text` of every element of an object array, as whole-array string operations.

    The report writer calls this once per column with the column's distinct values.
    """
    series = pd.Series(values, dtype=object)
    missing = series.isna().to_numpy()
    series = series.astype(str)
    out = series.to_numpy(dtype=object)
    if not _any_unsafe(out[~missing].tolist()):  # the usual case: nothing to change
        out[missing] = ""
        return out
    series = series.str.replace(_ILLEGAL_XML, "\ufffd", regex=True)
    risky = series.str.match(_FORMULA_START).to_numpy(dtype=bool)
    series = series.where(~risky, "'" + series)
    long = (series.str.len() > MAX_CELL_TEXT).to_numpy()
    if long.any():
        series = series.where(~long, series.str.slice(0, MAX_CELL_TEXT - 1) + "…")
    out = series.to_numpy(dtype=object)
    out[missing] = ""
    return out


def _any_unsafe(texts: list[str]) -> bool:
    """Whether any text may need :func:`safe_text`'s changes, checked at C speed on all at once.

    The texts are joined with line breaks and searched once: every text starts
    a line, so a text that starts like a formula is found by the same pattern
    anchored at each line start. A match that spans two texts, or starts at a
    line break inside one, only sends the column to the full pass.
    """
    if not texts:
        return False
    joined = "\n".join(texts)
    return (_ILLEGAL_XML.search(joined) is not None
            or _FORMULA_LINE.search(joined) is not None
            or max(map(len, texts)) > MAX_CELL_TEXT)


def report_modules(result) -> list[str]:
    """Modules a report shows: those in the profile's scope and any with a non-zero total.

    Parameters
    ----------
    result : Assessment

    Returns
    -------
    list of str
        Module codes in :data:`~klimafotavtrykk.vocabulary.MODULES` order (``D`` last).
    """
    scope = set(result.profile.modules)
    by_module = result.by_module.reindex(list(MODULES)).fillna(0.0)
    return [m for m in MODULES if m in scope or by_module[m] != 0.0]


def summary_frames(result, lang: str = "nb") -> dict[str, pd.DataFrame]:
    """The report's tables, keyed by sheet name in ``lang``.

    Parameters
    ----------
    result : Assessment
        A calculation result.
    lang : {"nb", "en"}
        Language of sheet names, headers and texts.

    Returns
    -------
    dict of str to pandas.DataFrame
        In this order:

        - summary: two columns (field, value): file, profile, period [a],
          total and D [kg CO2e], BTA [m²] and kg CO2e per m² per year when a
          BTA was given, line counts, coverage per module [-], software and
          data versions from ``result.metadata``;
        - building parts: NS 3451 two-digit part × module [kg CO2e], the
          total without D, and a last row with the totals per module;
        - lines: every computed line with its origin, quantity, factor,
          factor source, each module and its total [kg CO2e];
        - not computed: every unmatched line with its reason in ``lang``;
        - site (only when the result has one): every site row, computed or
          not, with its origin, carrier, amount, energy class, factor source,
          kg CO2e or the reason it was not computed.
    """
    frames = {
        t("sheet.summary", lang): _summary(result, lang),
        t("sheet.parts", lang): _parts(result, lang),
        t("sheet.lines", lang): _lines(result, lang),
        t("sheet.unmatched", lang): _unmatched(result, lang),
    }
    if getattr(result, "site", None) is not None:
        frames[t("sheet.site", lang)] = _site(result.site, lang)
    return frames


_SITE_COLUMNS = ("source_ref", "scope", "activity", "machine", "carrier_key", "method", "amount",
                 "amount_unit", "energy_kwh", "energy_class", "factor_source", "kg_co2e", "reason",
                 "detail")


def _site(site, lang: str) -> pd.DataFrame:
    """Site rows for the audit trail: computed rows, then rows not computed with their reason."""
    rows = pd.concat([site.lines, site.unmatched], ignore_index=True)
    table = rows.reindex(columns=list(_SITE_COLUMNS))
    return table.rename(columns=lambda c: column_label(c, lang))


def _tables(frames, kg_headers) -> list:
    """Sheets for :func:`~klimafotavtrykk.xlsx_writer.write_xlsx`: kg columns formatted.

    Sheet names go through :func:`safe_text` and are cut to Excel's 31 characters; the
    writer passes every text cell through :func:`safe_text`; numbers stay numbers.
    """
    from klimafotavtrykk.xlsx_writer import Table

    return [Table(name=safe_text(name)[:31], frame=frame, widths=column_widths(frame),
                  formats=[KG_FORMAT if header in kg_headers else None for header in frame.columns])
            for name, frame in frames.items()]


def write_workbook(result, path: str | os.PathLike, lang: str = "nb", progress=None) -> Path:
    """Write the report workbook: the sheets of :func:`summary_frames`.

    The workbook is built column by column (:mod:`klimafotavtrykk.xlsx_writer`) in memory and
    written to ``path`` once complete, so an error while building it leaves
    no half-written report. Every text goes through :func:`safe_text`
    and is stored as a string cell; numbers are stored as numbers; no cell
    holds a formula.

    Parameters
    ----------
    result : Assessment
    path : str or path-like
        Where to write the ``.xlsx`` file; an existing file is replaced.
    lang : {"nb", "en"}
    progress : callable, optional
        Called as ``progress(done, total)`` while the sheets are built: cells
        made so far and in all. For a progress bar on large reports.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    from klimafotavtrykk.xlsx_writer import write_xlsx

    path = Path(path)
    kg_headers = {column_label(m, lang) for m in MODULES} | {column_label("kg_co2e", lang)}
    tables = _tables(summary_frames(result, lang), kg_headers)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    path.write_bytes(write_xlsx(tables, safe_texts, when=now, progress=progress))
    return path


# ----------------------------------------------------------------------------- frames

def _summary(result, lang: str) -> pd.DataFrame:
    meta: dict[str, Any] = dict(result.metadata or {})
    profile = result.profile
    title = getattr(profile, f"title_{lang}", "") or profile.name
    rows: list[tuple[str, object]] = [
        (t("summary.file", lang), meta.pop("input_file", None)),
        (t("summary.sheet", lang), meta.pop("input_sheet", None)),
        (t("summary.file_sha256", lang), meta.pop("input_sha256", None)),
        (t("summary.profile", lang), title),
        (t("summary.profile_key", lang), profile.name),
        (t("summary.period", lang), profile.reference_study_period),
        (t("summary.modules", lang), ", ".join(profile.modules)),
        (t("summary.total", lang), result.total),
        (t("summary.d", lang), result.d),
    ]
    if result.bta_m2:
        rows += [(t("summary.bta", lang), result.bta_m2),
                 (t("summary.per_m2_year", lang), result.per_m2_year)]
    rows += [(t("summary.lines", lang), len(result.lines)),
             (t("summary.unmatched", lang), len(result.unmatched))]
    coverage = result.coverage.dropna() if result.coverage is not None else pd.Series(dtype=float)
    rows += [(t("summary.coverage", lang, module=m), float(share)) for m, share in coverage.items()]
    for key in ("version", "data_version", "factor_table", "factor_table_sha256", "indicators",
                "input_lines"):
        if key in meta:
            rows.append((t(f"summary.{key}", lang), meta.pop(key)))
    for table in meta.pop("factor_tables", None) or []:  # shipped, then the user's
        rows.append((t("summary.factor_tables", lang), f"{table['name']} ({table['sha256']})"))
    for key in ("user_factor_ids", "replaced_factor_ids", "no_default_factor_ids"):
        if key in meta:
            rows.append((t(f"summary.{key}", lang), meta.pop(key) or None))
    if "defaults_applied" in meta:
        rows.append((t("summary.defaults_applied", lang),
                     [f"{d['factor_id']}: {d['filled']} ({d['source']})"
                      for d in meta.pop("defaults_applied")] or None))
    if "implausible_lines" in meta:   # listed one by one in result.metadata; counted here
        rows.append((t("summary.implausible_lines", lang), len(meta.pop("implausible_lines"))))
    rows += list(meta.items())  # anything else the engine records, under its own key
    rows = [(label, _plain(value)) for label, value in rows if _plain(value) is not None]
    return pd.DataFrame(rows, columns=[column_label("field", lang), column_label("value", lang)],
                        dtype=object)


def _parts(result, lang: str) -> pd.DataFrame:
    modules = report_modules(result)
    shown = [m for m in modules if m != "D"]
    parts = result.by_building_part.reindex(columns=list(MODULES)).fillna(0.0)
    other = getattr(result, "other", None)
    if other is not None and len(other):  # site, mass transport, B6 beside the parts
        labelled = other.reindex(columns=list(MODULES)).fillna(0.0)
        labelled.index = [t(f"out.other.{name}", lang) for name in labelled.index]
        parts = labelled.combine_first(parts).reindex([*parts.index, *labelled.index])
    totals = result.by_module.reindex(list(MODULES)).fillna(0.0)
    total_modules = [m for m in MODULES if m != "D"]
    table = parts[shown].copy()
    table["kg_co2e"] = parts[total_modules].sum(axis=1)
    last = {**{m: totals[m] for m in shown}, "kg_co2e": float(totals[total_modules].sum())}
    if "D" in modules:
        table["D"] = parts["D"]
        last["D"] = totals["D"]
    labels = pd.Index(parts.index.astype(str), dtype=object)
    labels = labels.where(labels != "", t("out.no_part", lang))
    table.index = labels
    table.loc[t("summary.all_parts", lang)] = pd.Series(last)
    table = table.rename_axis("building_part").reset_index()
    return table.rename(columns=lambda c: column_label(c, lang))


def _lines(result, lang: str) -> pd.DataFrame:
    # a build-up's layers (long text) after the numbers: which layer took which factor
    columns = [*_LINE_COLUMNS, *report_modules(result), "kg_co2e", "layers"]
    return _relabel(result.lines.reindex(columns=columns), lang)


def _unmatched(result, lang: str) -> pd.DataFrame:
    frame = result.unmatched.reindex(columns=list(_UNMATCHED_COLUMNS))
    reasons = frame["reason"].astype(object)
    texts = {r: reason_text(r, lang) for r in pd.unique(reasons.dropna())}
    frame["reason"] = reasons.map(texts)
    frame["hint"] = hint_text(result.unmatched, lang).to_numpy(dtype=object)
    return _relabel(frame, lang)


def _relabel(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.rename(columns=lambda c: column_label(c, lang))


def _plain(value: object) -> object:
    """A metadata value as one cell: numbers and text as they are, lists joined."""
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return None
    return value


def column_widths(frame: pd.DataFrame) -> list[float]:
    """Column widths from the header and the longest value shown [characters]."""
    widths = []
    for header in frame.columns:
        values = frame[header].head(2_000).dropna().astype(str).str.len()
        longest = max(len(str(header)), int(values.max()) if len(values) else 0)
        widths.append(float(min(_MAX_WIDTH, longest + 2)))
    return widths


# ============================================================================ tender evaluation

def pin_zip_times(data: bytes, when: dt.datetime = FIXED_TIME) -> bytes:
    """Rewrite an xlsx archive with fixed entry times and document dates.

    Parameters
    ----------
    data : bytes
        An ``.xlsx`` whose writer stamps the time of saving (openpyxl does).
    when : datetime.datetime
        Time put on every zip entry and in ``docProps/core.xml``.

    Returns
    -------
    bytes
        The same workbook; the same content always gives the same bytes.
    """
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                                 rb"\g<1>" + stamp + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()


_EVAL_RANKING = (
    "rank", "tie_rule", "file", "bidder", "org_number", "status", "total", "points_price", "points_quality",
    "points_climate", "kg_co2e", "kg_co2e_per_m2", "kg_co2e_claimed", "site_kg_co2e",
    "mass_transport_kg_co2e", "zero_emission_share", "price_nok", "co2_addon_nok",
    "evaluated_price_nok", "n_downgraded", "n_not_computed", "explanation", "sha256",
    "duplicate_group",
)
_EVAL_LINES = (
    "file", "sheet", "source_ref", "post_number", "item_code", "building_part", "description",
    "quantity", "unit", "product", "epd_id", "dataset_type", "committed", "factor_id",
    "factor_source", "line_status", "reason", "epd_declared_unit", "epd_gwp_a1a3",
    "gwp_a1a3_evaluated", "gwp_a1a3_generic", "checks", "epd_range", "epd_range_source", "kg_co2e_claimed", "kg_co2e",
)
_EVAL_KG = {"kg_co2e", "kg_co2e_claimed", "site_kg_co2e", "mass_transport_kg_co2e"}


def evaluation_frames(evaluation, lang: str = "nb") -> dict[str, pd.DataFrame]:
    """The evaluation workbook's tables, keyed by sheet name in ``lang``.

    Parameters
    ----------
    evaluation : klimafotavtrykk.tender.Evaluation
    lang : {"nb", "en"}

    Returns
    -------
    dict of str to pandas.DataFrame
        In this order: summary (competition, models, nominal and effective
        weights, the effective climate weight with a warning below the
        § 7-9 minimum, counts, notes); ranking (rank, bidder, points per
        criterion, total, emissions [kg CO2e] and [kg CO2e m⁻²], prices
        [NOK], explanation); points per criterion and weighted [points];
        lines (each bid's lines with result, factor, factor source and
        source_ref), only when the evaluation holds them; uncertainty (per
        pair of valid bids, the probability that the better-ranked bid has
        the lower evaluated emissions), only when it was asked for; rejected and
        downgraded, with the reason; parameters with their sources.
    """
    frames = {
        t("eval.sheet.summary", lang): _eval_summary(evaluation, lang),
        t("eval.sheet.ranking", lang): _eval_ranking(evaluation, lang),
        t("eval.sheet.points", lang): _eval_points(evaluation, lang),
    }
    if getattr(evaluation, "uncertainty", None) is not None:  # asked for: score_bids(uncertainty=True)
        frames[t("eval.sheet.uncertainty", lang)] = _eval_uncertainty(evaluation, lang)
    if evaluation.lines is not None:
        frames[t("eval.sheet.lines", lang)] = _eval_lines(evaluation, lang)
    frames[t("eval.sheet.findings", lang)] = _eval_findings(evaluation, lang)
    frames[t("eval.sheet.parameters", lang)] = _eval_parameters(evaluation, lang)
    return frames


def write_evaluation_workbook(evaluation, path: str | os.PathLike, lang: str = "nb") -> Path:
    """Write the evaluation workbook: the sheets of :func:`evaluation_frames`.

    Built column by column (:mod:`klimafotavtrykk.xlsx_writer`), every text through :func:`safe_text`
    as a string cell, numbers as numbers, no formula; the document dates and
    zip entry times are pinned, so the same evaluation gives the same bytes.

    Parameters
    ----------
    evaluation : klimafotavtrykk.tender.Evaluation
    path : str or path-like
        Target ``.xlsx``; replaced if it exists.
    lang : {"nb", "en"}

    Returns
    -------
    pathlib.Path
    """
    from klimafotavtrykk.xlsx_writer import write_xlsx

    path = Path(path)
    kg_headers = {_eval_label(c, lang) for c in _EVAL_KG} | {column_label(m, lang) for m in MODULES}
    tables = _tables(evaluation_frames(evaluation, lang), kg_headers)
    path.write_bytes(write_xlsx(tables, safe_texts, when=FIXED_TIME))
    return path


def _eval_label(column: str, lang: str) -> str:
    from klimafotavtrykk.messages import MESSAGES

    key = f"eval.col.{column}"
    return t(key, lang) if key in MESSAGES else column_label(column, lang)


def _eval_relabel(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.rename(columns=lambda c: _eval_label(c, lang))


def _codes_text(codes, prefixes: tuple[str, ...], lang: str) -> list[str]:
    """Translate ``;``-joined codes through the first catalogue prefix that knows each."""
    from klimafotavtrykk.messages import MESSAGES

    def one(code: str) -> str:
        for prefix in prefixes:
            entry = MESSAGES.get(f"{prefix}{code}")
            if entry:
                return entry[lang]
        return code

    cache: dict[str, str] = {}
    out = []
    for value in codes:  # distinct code strings are few; cached
        key = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        if key not in cache:
            cache[key] = "; ".join(one(c) for c in key.split(";") if c)
        out.append(cache[key])
    return out


def _eval_summary(evaluation, lang: str) -> pd.DataFrame:
    from klimafotavtrykk.messages import format_share

    comp = evaluation.competition
    rule = comp.rule
    profile = comp.profile
    ranking = evaluation.ranking
    rejected = evaluation.rejected
    rows: list[tuple[str, object]] = [
        (t("eval.competition", lang), comp.name),
        (t("eval.competition_file", lang), Path(comp.path).name if comp.path else None),
        (t("eval.profile", lang), getattr(profile, f"title_{lang}", "") or profile.name),
        (t("eval.tender_date", lang), comp.tender_date.isoformat()),
        (t("eval.bta", lang), comp.bta_m2),
        (t("eval.period", lang), comp.reference_study_period),
        (t("eval.climate_model", lang), rule.climate_model),
        (t("eval.basis", lang), rule.basis),
    ]
    for criterion, weight in rule.weights.items():
        rows.append((t("eval.nominal_weight", lang, criterion=t(f"eval.criterion.{criterion}", lang)),
                     weight))
    for criterion, weight in evaluation.effective_weights.items():
        rows.append((t("eval.effective_weight", lang,
                       criterion=t(f"eval.criterion.{criterion}", lang)), weight))
    effective = evaluation.effective_climate_weight
    rows += [(t("eval.effective_climate_weight", lang), effective),
             (t("eval.min_climate_weight", lang), rule.min_climate_weight)]
    if effective < rule.min_climate_weight:  # NaN compares False: nothing to judge
        rows.append((t("eval.warning", lang), t(
            "eval.weight_warning", lang, weight=format_share(effective, lang, 1),
            minimum=format_share(rule.min_climate_weight, lang))))
    ranked = int((ranking["status"].astype(str) == "ranked").sum()) if "status" in ranking else 0
    rows += [
        (t("eval.bids", lang), len(ranking) + int((rejected["stage"] == "read").sum())),
        (t("eval.ranked", lang), ranked),
        (t("eval.rejected", lang), len(rejected)),
        (t("eval.downgraded", lang), evaluation.metadata.get("downgraded")),
        (t("eval.version", lang), evaluation.metadata.get("version")),
    ]
    rows += [(t("eval.warning", lang), text) for text in evaluation.warnings]
    rows += [(t("eval.warning", lang), t(key, lang, **fields))
             for key, fields in getattr(evaluation, "notices", ())]
    return pd.DataFrame(rows, columns=[column_label("field", lang), column_label("value", lang)],
                        dtype=object)


def _eval_ranking(evaluation, lang: str) -> pd.DataFrame:
    frame = evaluation.ranking.reset_index().reindex(columns=list(_EVAL_RANKING))
    frame["status"] = _codes_text(frame["status"], ("eval.status.",), lang)
    frame["explanation"] = _codes_text(frame["explanation"], ("explanation.",), lang)
    frame["tie_rule"] = _codes_text(frame["tie_rule"], ("eval.tie.",), lang)
    frame["rank"] = frame["rank"].astype(object).where(frame["rank"].notna(), None)
    return _eval_relabel(frame, lang)


def _eval_points(evaluation, lang: str) -> pd.DataFrame:
    frame = evaluation.points.reset_index()
    frame["rank"] = frame["rank"].astype(object).where(frame["rank"].notna(), None)
    return _eval_relabel(frame, lang)


def _eval_lines(evaluation, lang: str) -> pd.DataFrame:
    lines = evaluation.lines
    modules = [m for m in MODULES if m in lines.columns]
    frame = lines.reindex(columns=[*_EVAL_LINES, *modules])
    frame["sheet"] = _codes_text(frame["sheet"], ("bid.sheet.",), lang)
    frame["dataset_type"] = _codes_text(frame["dataset_type"], ("bid.dataset_type.",), lang)
    frame["line_status"] = _codes_text(frame["line_status"], ("eval.line.",), lang)
    frame["reason"] = _codes_text(frame["reason"], ("reason.", "site_reason."), lang)
    frame["checks"] = _codes_text(frame["checks"], ("finding.",), lang)
    yes, no = t("bid.yes", lang), t("bid.no", lang)
    committed = frame["committed"].astype("boolean")
    frame["committed"] = committed.map({True: yes, False: no}).astype(object).where(
        committed.notna(), None)
    return _eval_relabel(frame, lang)


def _eval_findings(evaluation, lang: str) -> pd.DataFrame:
    rejected = evaluation.rejected
    gate = rejected["stage"] == "gate"
    bids = pd.DataFrame({
        "file": rejected["file"],
        "source_ref": None,
        "kind": np.where(gate, "gate", "rejected_file"),
        "reason": [*_codes_text(rejected["reason"], ("explanation.", "input_error.", "finding."),
                                lang)],
        "detail": rejected["detail"],
    })
    findings = evaluation.findings.copy()
    findings["reason"] = _codes_text(findings["reason"], ("reason.", "site_reason.", "cell."), lang)
    frame = pd.concat([bids, findings], ignore_index=True)
    frame["kind"] = _codes_text(frame["kind"], ("finding.", "explanation."), lang)
    return _eval_relabel(frame.reindex(columns=["file", "source_ref", "kind", "reason", "detail",
                                                "kg_co2e_claimed", "kg_co2e"]), lang)


def _eval_parameters(evaluation, lang: str) -> pd.DataFrame:
    return _eval_relabel(evaluation.parameters.reindex(
        columns=["parameter", "value", "source", "note"]), lang)


def _eval_uncertainty(evaluation, lang: str) -> pd.DataFrame:
    """Pairs of valid bids: the probability that the better-ranked has the lower emissions."""
    pairs = evaluation.uncertainty.pairs
    bidder = evaluation.ranking["bidder"]
    frame = pd.DataFrame({
        "better": pairs["better"], "better_bidder": pairs["better"].map(bidder),
        "rank_better": pairs["rank_better"], "kg_co2e_better": pairs["kg_co2e_better"],
        "worse": pairs["worse"], "worse_bidder": pairs["worse"].map(bidder),
        "rank_worse": pairs["rank_worse"], "kg_co2e_worse": pairs["kg_co2e_worse"],
        "probability_lower": pairs["probability_lower"].astype(float),
        "within_uncertainty": [t("eval.uncertainty.yes" if v else "eval.uncertainty.no", lang)
                               for v in pairs["within_uncertainty"]],  # pairs of a few bids
    }).astype({"rank_better": object, "rank_worse": object})
    return _eval_relabel(frame, lang)
