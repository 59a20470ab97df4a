"""What the command line does once its arguments are parsed.

:mod:`klimafotavtrykk.cli` parses with argparse only and imports this module
afterwards, so that ``klimafotavtrykk --help`` never loads numpy, pandas or
pint. Each subcommand is one function taking the parsed arguments and
returning an exit code; errors propagate to :func:`klimafotavtrykk.cli.main`,
which renders them.

The text a user reads is built by :func:`render_text`, a pure function of an
:class:`~klimafotavtrykk.assessment.Assessment`, in bokmål or English.
"""

from __future__ import annotations

import argparse
import dataclasses
import errno
import json
import math
import os
import re
import sys
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

from klimafotavtrykk.messages import (
    format_number,
    format_share,
    hint_text,
    module_label,
    reason_text,
    render_error,
    t,
)
from klimafotavtrykk.vocabulary import MODULES

__all__ = ["run", "beregn", "anbud_mal", "anbud_score", "oppfolging_mal", "oppfolging_status", "epd_les", "read_items", "assess", "render_text",
           "render_evaluation", "read_quality", "UNMATCHED_LIST_LIMIT"]

#: Smallest input file [byte] for which ``beregn`` shows progress bars (about 25 000
#: lines in .xlsx; smaller files are read and written in about a second).
PROGRESS_MIN_BYTES = 1_000_000
#: How many unmatched lines the text output lists before "… and N more".
UNMATCHED_LIST_LIMIT = 20
_DESCRIPTION_WIDTH = 40  # [characters]


def run(args: argparse.Namespace) -> int:
    """Run the subcommand named by ``args.task``; return the exit code.

    The command runs with pandas text stored as Python objects, whether or not pyarrow is
    installed (:mod:`klimafotavtrykk._string_storage`).
    """
    from klimafotavtrykk._string_storage import python_strings

    return python_strings(_run)(args)


def _run(args: argparse.Namespace) -> int:
    handlers = {"beregn": beregn, "anbud_mal": anbud_mal, "anbud_score": anbud_score,
                "oppfolging_mal": oppfolging_mal,
                "oppfolging_status": oppfolging_status,
                "epd_les": epd_les}
    return handlers[args.task](args)


# ----------------------------------------------------------------------------- beregn

def read_items(path: str, sheet: str | None = None, progress=None):
    """Read a bill of quantities: :func:`klimafotavtrykk.quantities.read_boq`."""
    from klimafotavtrykk.quantities import read_boq

    return read_boq(path, sheet=sheet, progress=progress)


def read_site(path: str):
    """The workbook's site sheet (*Byggeplass*), or None: :func:`klimafotavtrykk.tender.read_site_sheet`."""
    if Path(path).suffix.lower() not in (".xlsx", ".xlsm") or not Path(path).is_file():
        return None
    from klimafotavtrykk.tender import read_site_sheet

    found = read_site_sheet(path)
    return None if found is None else found[0]


def assess(items, *, profile: str, factors=None, bta_m2: float | None = None,
           period: float | None = None, site=None):
    """Calculate: :func:`klimafotavtrykk.assessment.calculate`, with an optional period [a]."""
    from klimafotavtrykk.assessment import calculate
    from klimafotavtrykk.profiles import resolve_profile

    chosen = resolve_profile(profile)
    if period:
        chosen = dataclasses.replace(chosen, reference_study_period=float(period))
    return calculate(items, profile=chosen, factors=factors, bta_m2=bta_m2, site=site)


def beregn(args: argparse.Namespace) -> int:
    """``klimafotavtrykk beregn``: read, calculate, print, and write the report.

    Parameters
    ----------
    args : argparse.Namespace
        ``file``, ``sheet``, ``profile``, ``bta`` [m²], ``period`` [a], ``factors``,
        ``output``, ``json``, ``lang``, ``quiet``.

    Returns
    -------
    int
        0. Errors are raised for :func:`klimafotavtrykk.cli.main` to render.
    """
    lang = args.lang
    stdout, stderr = sys.stdout, sys.stderr
    if args.output:  # fail before the work, not after it
        folder = Path(args.output).parent
        if not folder.is_dir():
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(folder))
    bars = _show_bars(args.file, getattr(args, "quiet", False))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        progress, close = _bar(lang, "cli.out.read_bar", percent=True) if bars else (None, None)
        try:
            bar = {} if progress is None else {"progress": progress}
            items, meta = read_items(args.file, args.sheet, **bar)
        finally:
            if close is not None:
                close()
        factors = args.factors or None  # a path: its rows extend the shipped table
        site = read_site(args.file)
        extra = {} if site is None else {"site": site}
        result = assess(items, profile=args.profile, factors=factors, bta_m2=args.bta,
                        period=getattr(args, "period", None), **extra)
    source = {
        "input_file": getattr(meta, "file", None) or Path(args.file).name,
        "input_sheet": getattr(meta, "sheet", None),
        "input_sha256": getattr(meta, "sha256", None),
    }
    result = result.with_metadata(source)  # keeps the per-line frame on request
    notes = _note_texts(getattr(meta, "warnings", []), [str(w.message) for w in caught], lang,
                        skip=("other_sheets",) if site is not None else ())  # site sheet read
    for note in notes:
        stderr.write(t("out.note", lang, text=note) + "\n")
    for line in _external_cells(meta, lang):
        stderr.write(line + "\n")

    written = None
    if args.output:
        from klimafotavtrykk.reports import write_workbook

        progress, close = _bar(lang, "cli.out.write_bar", percent=False) if bars else (None, None)
        try:
            written = write_workbook(result, args.output, lang=lang, progress=progress)
        finally:
            if close is not None:
                close()
    if args.json:
        stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2,
                                default=_json_default) + "\n")
        if written is not None:
            stderr.write(t("out.report_written", lang, path=written) + "\n")
        return 0
    stdout.write(render_text(result, lang))
    if written is not None:
        stdout.write("\n" + t("out.report_written", lang, path=written) + "\n")
    return 0


def _show_bars(path: str, quiet: bool) -> bool:
    """Whether ``beregn`` draws progress bars: a large file, a terminal, not ``--stille``."""
    if quiet or not sys.stderr.isatty():
        return False
    try:
        return os.path.getsize(path) >= PROGRESS_MIN_BYTES
    except OSError:  # the reader reports a missing or unreadable file
        return False


def _bar(lang: str, label: str, *, percent: bool):
    """A tqdm bar on stderr and a function that ends it (safe to call more than once).

    ``percent``: the reader's ``progress(done, total)`` in percent, shown as a
    bar with time spent and left; otherwise cells, with count and rate.
    """
    from tqdm import tqdm  # only when a bar is drawn: the CLI's start stays light

    state = {}

    def update(done: float, total: float) -> None:
        bar = state.get("bar")
        if bar is None:
            options = ({"bar_format": "{desc}: {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}]"}
                       if percent else {"unit": " " + t("cli.out.cell_unit", lang),
                                        "unit_scale": True})
            bar = state["bar"] = tqdm(total=total, file=sys.stderr, desc=t(label, lang),
                                      dynamic_ncols=True, leave=True, **options)
        bar.update(done - bar.n)

    def close() -> None:
        bar = state.pop("bar", None)
        if bar is not None:
            bar.close()

    return update, close


def _external_cells(meta, lang: str) -> list[str]:
    """One line per cell whose value was taken from another workbook's cached value."""
    cells = getattr(meta, "cells", None)
    if cells is None or not len(cells):
        return []
    external = cells[cells["kind"] == "external_reference"]
    return [t("out.external_cell", lang, ref=ref, formula=found)  # cells with links: a few
            for ref, found in zip(external["source_ref"], external["found"], strict=True)]


def _note_texts(notes, warned: list[str], lang: str, skip: tuple[str, ...] = ()) -> list[str]:
    """The reader's notes in ``lang`` (``out.note.<key>``), then other warnings not already said.

    A reader note that knows its key and fields (:class:`~klimafotavtrykk.quantities.Note`)
    is written from the catalogue; the same note repeated as a Python warning is not
    written twice.
    """
    from klimafotavtrykk.messages import MESSAGES

    out, said = [], set()
    for note in notes:
        key = getattr(note, "key", None)
        said.add(str(note))
        if key in skip:
            continue
        entry = f"out.note.{key}"
        out.append(t(entry, lang, **note.fields) if key and entry in MESSAGES else str(note))
    rest = [w for w in _unique(warned) if w not in said and not w.startswith(skip or ("\0",))]
    return _unique([*out, *rest])


def _unique(texts: Iterable[str]) -> list[str]:
    """Each note once, also when a warning repeats it with a ``[file] `` prefix."""
    return list(dict.fromkeys(re.sub(r"^\[[^\]]*\] ", "", text) for text in texts))


def _json_default(value):
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# ----------------------------------------------------------------------------- text

def render_text(result, lang: str = "nb") -> str:
    """The result as the terminal shows it.

    Parameters
    ----------
    result : Assessment
        Its ``metadata`` may name ``input_file`` and ``input_sheet``.
    lang : {"nb", "en"}

    Returns
    -------
    str
        Headline (file, profile, period, line counts), the total and D
        [kg CO2e], the intensity [kg CO2e m⁻² a⁻¹] when a BTA was given, a
        table by module, a table by NS 3451 two-digit part × the non-empty
        modules, coverage warnings, and the lines not computed with their
        reasons (at most :data:`UNMATCHED_LIST_LIMIT` listed). kg CO2e are
        shown without decimals; bokmål groups thousands with a space and
        writes a decimal comma.
    """
    from klimafotavtrykk.reports import report_modules

    meta = result.metadata or {}
    profile = result.profile
    period = _number(profile.reference_study_period, lang)
    file = meta.get("input_file") or "–"
    sheet = meta.get("input_sheet")
    title = getattr(profile, f"title_{lang}", "") or profile.name
    n_lines, n_unmatched = len(result.lines), len(result.unmatched)
    modules = report_modules(result)

    out = [
        t("out.title_sheet", lang, file=file, sheet=sheet) if sheet
        else t("out.title", lang, file=file),
        t("out.profile", lang, title=title, period=period),
        t("out.lines", lang, computed=format_number(n_lines, lang),
          total=format_number(n_lines + n_unmatched, lang)),
        *_user_factor_line(meta, lang),
        "",
        t("out.total", lang, total=format_number(result.total, lang)),
    ]
    if "D" in modules:
        out.append(t("out.d", lang, d=format_number(result.d, lang)))
    if result.bta_m2:
        out.append(t("out.per_m2_year", lang, value=format_number(result.per_m2_year, lang, 2),
                     bta=_number(result.bta_m2, lang), period=period))
    out += ["", t("out.by_module", lang), *_module_table(result, modules, lang)]
    if n_lines:
        out += ["", t("out.by_part", lang), *_part_table(result, lang)]
    else:
        out += ["", t("out.no_lines", lang)]
    if getattr(result, "site", None) is not None:
        out += ["", *_site_text(result, lang)]
    warnings_ = _coverage_warnings(result.coverage, lang) if n_lines else []
    if warnings_:
        out += ["", *warnings_]
    if n_unmatched:
        out += ["", *_unmatched_text(result.unmatched, lang)]
    return "\n".join(out) + "\n"


def _site_text(result, lang: str) -> list[str]:
    """The site sheet's result: A5, mass transport, emission-free shares, whether it counts."""
    site = result.site
    shares = site.shares
    free = [format_share(shares.loc[basis, "emission_free"], lang)
            if basis in shares.index and "emission_free" in shares.columns else "-"
            for basis in ("energy", "machine_hours", "machine_count")]
    counted = result.metadata.get("site_counted", False)
    lines = [
        t("out.site", lang, a5=format_number(site.total, lang),
          transport=format_number(site.mass_transport, lang)),
        t("out.site_shares", lang, energy=free[0], hours=free[1], count=free[2]),
        t("out.site_counted" if counted else "out.site_not_counted", lang),
    ]
    if len(site.unmatched):
        lines.append(t("out.site_unmatched", lang, n=format_number(len(site.unmatched), lang)))
    return lines


def _module_table(result, modules: Sequence[str], lang: str) -> list[str]:
    by_module = result.by_module.reindex(list(MODULES)).fillna(0.0)
    rows = [[m, module_label(m, lang), format_number(by_module[m], lang)]
            for m in modules if m != "D"]
    rows.append(["", t("out.sum", lang), format_number(result.total, lang)])
    if "D" in modules:
        rows.append(["D", module_label("D", lang), format_number(result.d, lang)])
    return _table(rows, "<<>", header=False)


def _part_table(result, lang: str) -> list[str]:
    parts = result.by_building_part.reindex(columns=list(MODULES)).fillna(0.0)
    other = getattr(result, "other", None)
    if other is not None and len(other):  # site, mass transport, B6: rows beside the parts
        labelled = other.reindex(columns=list(MODULES)).fillna(0.0)
        labelled.index = [t(f"out.other.{name}", lang) for name in labelled.index]
        parts = labelled.combine_first(parts).reindex([*parts.index, *labelled.index])
    totals = result.by_module.reindex(list(MODULES)).fillna(0.0)
    non_empty = [m for m in MODULES if (parts[m] != 0.0).any() or totals[m] != 0.0]
    shown = [m for m in non_empty if m != "D"]
    total_modules = [m for m in MODULES if m != "D"]
    part_sum = parts[total_modules].sum(axis=1)
    header = [t("out.part", lang), *shown, t("out.sum", lang)]
    with_d = "D" in non_empty
    if with_d:
        header.append("D")
    rows = [header]
    for part in parts.index:  # a few dozen two-digit parts at most
        label = str(part) or t("out.no_part", lang)
        row = [label, *(format_number(parts.at[part, m], lang) for m in shown),
               format_number(part_sum[part], lang)]
        if with_d:
            row.append(format_number(parts.at[part, "D"], lang))
        rows.append(row)
    last = [t("summary.all_parts", lang), *(format_number(totals[m], lang) for m in shown),
            format_number(result.total, lang)]
    if with_d:
        last.append(format_number(result.d, lang))
    rows.append(last)
    return _table(rows, "<" + ">" * (len(header) - 1), header=True)


def _user_factor_line(meta, lang: str) -> list[str]:
    """One line saying how the user's factor table changed the shipped one; none without one."""
    if "user_factor_ids" not in meta:
        return []
    tables = meta.get("factor_tables") or [{}]
    n_own, n_replaced = len(meta["user_factor_ids"]), len(meta.get("replaced_factor_ids", []))
    if len(tables) < 2:  # the user's table alone (extend=False)
        return [t("out.user_factors_alone", lang, file=tables[-1].get("name", ""),
                  n=format_number(n_own, lang))]
    return [t("out.user_factors", lang, file=tables[-1].get("name", ""),
              replaced=format_number(n_replaced, lang),
              added=format_number(n_own - n_replaced, lang))]


def _coverage_warnings(coverage, lang: str) -> list[str]:
    """One warning for the run, naming every in-scope module some factors leave undeclared."""
    if coverage is None:
        return []
    missing = [(module, 1.0 - float(share)) for module, share in coverage.items()
               if share is not None and not math.isnan(share) and share < 1.0]
    if not missing:
        return []
    names = coverage.attrs.get("undeclared_factors", {})
    listed = ", ".join(f"{module} {format_share(gap, lang, decimals=0 if gap >= 0.01 else 1)}"
                       + _factor_names(names.get(module, []))
                       for module, gap in missing)
    return [t("out.coverage", lang, modules=listed)]


def _factor_names(ids: list[str], shown: int = 3) -> str:
    """The factor ids that lack a module, most lines first: ``" (a, b, c +2)"``; empty for none."""
    if not ids:
        return ""
    more = f" +{len(ids) - shown}" if len(ids) > shown else ""
    return " (" + ", ".join(ids[:shown]) + more + ")"


def _unmatched_text(unmatched, lang: str) -> list[str]:
    n = len(unmatched)
    reasons = unmatched["reason"].astype(str)
    texts = {r: reason_text(r, lang) for r in reasons.unique()}
    counts = reasons.value_counts(sort=True)
    out = [t("out.unmatched", lang, n=format_number(n, lang))]
    out += ["  " + t("out.unmatched_reason", lang, reason=texts[r], n=format_number(c, lang))
            for r, c in counts.items()]
    head = unmatched.head(UNMATCHED_LIST_LIMIT)
    refs = _column_text(head, "source_ref")
    fallback = _column_text(head, "row_id")
    descriptions = _column_text(head, "description")
    quantities = head["quantity"] if "quantity" in head.columns else [None] * len(head)
    units = _column_text(head, "unit")
    hints = hint_text(head, lang).tolist()
    rows = []
    for ref, row_id, text, q, unit, reason, hint in zip(refs, fallback, descriptions, quantities,
                                                        units, head["reason"].astype(str), hints,
                                                        strict=True):
        amount = f"{_quantity(q, lang)} {unit}".strip()
        said = t("out.unmatched_hint", lang, reason=texts[reason], hint=hint) if hint else texts[reason]
        rows.append([ref or row_id, _shorten(text), amount, said])
    out += [""] + _table(rows, "<<><", header=False)
    if n > UNMATCHED_LIST_LIMIT:
        out.append("  " + t("out.more", lang, n=format_number(n - UNMATCHED_LIST_LIMIT, lang)))
    return out


def _column_text(frame, column: str) -> list[str]:
    if column not in frame.columns:
        return [""] * len(frame)
    values = frame[column].astype(object)
    return ["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
            for v in values]


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _DESCRIPTION_WIDTH else text[: _DESCRIPTION_WIDTH - 1] + "…"


def _quantity(value, lang: str) -> str:
    """A quantity with up to three decimals, trailing zeros dropped."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = format_number(float(value), lang, 3)
    decimal = "," if lang == "nb" else "."
    return text.rstrip("0").rstrip(decimal) if decimal in text else text


def _number(value: float, lang: str) -> str:
    """A period or area: whole numbers without decimals, others with one."""
    value = float(value)
    return format_number(value, lang, 0 if value == round(value) else 1)


def _table(rows: list[list[str]], align: str, header: bool) -> list[str]:
    """Rows of text as aligned columns, indented two spaces; ``align`` is one of ``<>`` per column."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(align))]
    lines = []
    for row in rows:
        cells = [f"{cell:{a}{w}}" for cell, a, w in zip(row, align, widths, strict=True)]
        lines.append(("  " + "  ".join(cells)).rstrip())
    if header:
        lines.insert(1, "  " + "  ".join("-" * w for w in widths))
    return lines



# ----------------------------------------------------------------------------- anbud

def _check_output_folder(output: str | None) -> None:
    if output:  # fail before the work, not after it
        folder = Path(output).parent
        if not folder.is_dir():
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(folder))


def anbud_mal(args: argparse.Namespace) -> int:
    """``klimafotavtrykk anbud mal``: write the bid climate workbook.

    Parameters
    ----------
    args : argparse.Namespace
        ``output``, ``quantities`` (a bill of quantities to pre-fill from),
        ``sheet``, ``lang``.

    Returns
    -------
    int
        0.
    """
    from klimafotavtrykk.tender import write_template

    lang = args.lang
    _check_output_folder(args.output)
    quantities = None
    if args.quantities:
        quantities, meta = read_items(args.quantities, args.sheet)
        for note in _note_texts(getattr(meta, "warnings", []), [], lang):
            sys.stderr.write(t("out.note", lang, text=note) + "\n")
    written = write_template(args.output, lang=lang, quantities=quantities)
    sys.stdout.write(t("cli.out.template_written", lang, path=written) + "\n")
    return 0


def oppfolging_mal(args: argparse.Namespace) -> int:
    """``klimafotavtrykk oppfolging mal``: write the contractor's monthly report workbook.

    Parameters
    ----------
    args : argparse.Namespace
        ``output``, ``contract`` (a ``kontrakt.toml`` whose winning bid pre-fills
        the machines and materials), ``lang``.

    Returns
    -------
    int
        0.
    """
    from klimafotavtrykk.followup.contract import load_contract
    from klimafotavtrykk.followup.template import write_report_template

    lang = args.lang
    _check_output_folder(args.output)
    contract = load_contract(args.contract) if args.contract else None
    written = write_report_template(args.output, lang=lang, contract=contract)
    sys.stdout.write(t("followup.template.cli.written", lang, path=written) + "\n")
    return 0


def oppfolging_status(args: argparse.Namespace) -> int:
    """``klimafotavtrykk oppfolging status``: the contract against its promise, month by month.

    Parameters
    ----------
    args : argparse.Namespace
        ``contract`` (``kontrakt.toml``), ``reports`` (files and folders),
        ``output`` (status workbook; the two figures are written beside it as
        PNG), ``as_of`` (``YYYY-MM``), ``json``, ``lang``.

    Returns
    -------
    int
        0. A report that cannot be read is a finding in the status, not an
        error; a contract that cannot be read is an error.
    """
    from klimafotavtrykk.followup.contract import load_contract
    from klimafotavtrykk.followup.reader import read_reports
    from klimafotavtrykk.followup.status import follow_up, status_text

    lang = args.lang
    _check_output_folder(args.output)
    contract = load_contract(args.contract)
    reports, refused = read_reports(args.reports, contract)
    result = follow_up(contract, reports, as_of=args.as_of, refused=refused)
    if args.json:
        sys.stdout.write(result.to_json() + "\n")
    else:
        sys.stdout.write(status_text(result, lang))
    if args.output:
        from klimafotavtrykk.followup.status_workbook import write_status_workbook

        written = write_status_workbook(result, args.output, lang=lang)
        figures = _followup_figures(result, written, lang)
        if not args.json:
            sys.stdout.write("\n" + t("followup.status.cli.written", lang, path=written) + "\n")
            for path in figures:
                sys.stdout.write(t("followup.status.cli.figure_written", lang, path=path) + "\n")
    return 0


def _followup_figures(result, workbook: Path, lang: str) -> list[Path]:
    """The two follow-up figures as PNG beside the status workbook: emissions and emission-free share."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no window
    import matplotlib.pyplot as plt

    from klimafotavtrykk import plotting

    written = []
    for key, draw in (("followup.status.cli.figure_emissions", plotting.followup_emissions),
                      ("followup.status.cli.figure_share", plotting.followup_share)):
        ax = draw(result, lang=lang)
        path = workbook.with_name(f"{workbook.stem}_{t(key, lang)}.png")
        ax.figure.savefig(path, dpi=150)
        plt.close(ax.figure)
        written.append(path)
    return written


def read_quality(path: str, max_points: float | None = None) -> dict[str, float]:
    """Quality points per bid from a CSV: :func:`klimafotavtrykk.tender.quality.read_quality`.

    ``max_points`` is the top of the competition's scale [points]; default the
    shipped default scale (``data/procurement/defaults.toml``).
    """
    from klimafotavtrykk.tender.quality import read_quality as read

    if max_points is None:
        from klimafotavtrykk.scoring import load_procurement_defaults

        max_points = float(load_procurement_defaults()["max_points"])
    return read(path, max_points)


def anbud_score(args: argparse.Namespace) -> int:
    """``klimafotavtrykk anbud score``: score a folder of bids and write the evaluation.

    Parameters
    ----------
    args : argparse.Namespace
        ``competition``, ``bids`` (folders or files), ``output``, ``workers``,
        ``quality``, ``no_lines``, ``uncertainty`` (say how sure the ranking
        is), ``lang``.

    Returns
    -------
    int
        0; 1 when no bid could be ranked (every bid rejected: the reasons are
        printed, and the workbook is written). Unreadable bids are reported in
        the evaluation, not raised. The competition, the quality points and
        the output folder are checked before the first bid is read.
    """
    from klimafotavtrykk.tender import score_bids
    from klimafotavtrykk.tender.batch import check_inputs
    from klimafotavtrykk.tender.competition import load_competition

    lang = args.lang
    _check_output_folder(args.output)
    competition = load_competition(args.competition)
    quality = read_quality(args.quality, competition.rule.max_points) if args.quality else None
    check_inputs(competition, quality=quality)  # fail now, not after reading every bid
    progress, close_progress = _bid_progress(lang, quiet=getattr(args, "quiet", False))
    executor = None
    if args.workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        executor = ProcessPoolExecutor(max_workers=args.workers)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # recorded in evaluation.warnings, shown below
        try:
            evaluation = score_bids(competition, args.bids, executor=executor,
                                    detail=not args.no_lines, quality=quality, progress=progress,
                                    uncertainty=getattr(args, "uncertainty", False))
        finally:
            close_progress()
            if executor is not None:
                executor.shutdown()
    written = None
    if args.output:
        from klimafotavtrykk.reports import write_evaluation_workbook

        written = write_evaluation_workbook(evaluation, args.output, lang=lang)
    sys.stdout.write(render_evaluation(evaluation, lang))
    if written is not None:
        sys.stdout.write("\n" + t("cli.out.evaluation_written", lang, path=written) + "\n")
    ranked = evaluation.ranking["status"].astype(str) == "ranked" if len(evaluation.ranking) else []
    return 0 if any(ranked) else 1


def _bid_progress(lang: str, quiet: bool = False):
    """The progress callback for ``score_bids`` and a function that ends it.

    On a terminal, a tqdm bar on stderr: count, rate (bids per second) and
    time left, with the file just read beside it. When stderr is not a
    terminal (a log, a pipe, a CI job), one plain line per bid, as before:
    a log keeps which bid was read last if a run stops. ``quiet``: nothing.

    Parameters
    ----------
    lang : {"nb", "en"}
        Language of the text.
    quiet : bool
        Show no progress at all (``--stille``).

    Returns
    -------
    tuple of (callable or None, callable)
        ``progress(done, total, file_name)`` (None when quiet) and ``close()``,
        safe to call more than once, also after an error.
    """
    stderr = sys.stderr
    if quiet:
        return None, lambda: None
    if not stderr.isatty():

        def plain(done: int, total: int, name: str) -> None:
            stderr.write(t("cli.out.progress", lang, done=done, total=total, file=name) + "\n")
            stderr.flush()

        return plain, lambda: None

    from tqdm import tqdm  # only when a bar is drawn: the CLI's start stays light

    state = {}

    def live(done: int, total: int, name: str) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = state["bar"] = tqdm(total=total, file=stderr, desc=t("cli.out.progress_bar", lang),
                                      unit=" " + t("cli.out.progress_unit", lang),
                                      dynamic_ncols=True, leave=True)
        # a bidder names the file: no control characters reach the terminal
        bar.set_postfix_str("".join(c if c.isprintable() else "?" for c in name), refresh=False)
        bar.update(done - bar.n)

    def close() -> None:
        bar = state.pop("bar", None)
        if bar is not None:
            bar.close()

    return live, close


def render_evaluation(evaluation, lang: str = "nb") -> str:
    """The evaluation as the terminal shows it: ranking, rejected bids, weights, warnings.

    Parameters
    ----------
    evaluation : klimafotavtrykk.tender.Evaluation
    lang : {"nb", "en"}

    Returns
    -------
    str
    """
    from klimafotavtrykk.messages import MESSAGES

    def codes(text) -> str:
        parts = [c for c in str(text or "").split(";") if c]
        out = []
        for code in parts:
            entry = (MESSAGES.get(f"explanation.{code}") or MESSAGES.get(f"input_error.{code}")
                     or MESSAGES.get(f"finding.{code}"))
            out.append(entry[lang] if entry else code)
        return "; ".join(out)

    ranking = evaluation.ranking
    out = [t("cli.out.evaluation_title", lang, name=evaluation.competition.name), "",
           t("cli.out.ranking", lang)]
    ranked = ranking[ranking["status"].astype(str) == "ranked"] if len(ranking) else ranking
    for file, row in ranked.iterrows():  # one row per bid: a few dozen at most on screen
        line = "  " + t("cli.out.rank_line", lang, rank=int(row["rank"]), bidder=row["bidder"],
                        file=file, total=format_number(row["total"], lang, 2),
                        kg=format_number(row["kg_co2e"], lang))
        tie = str(row.get("tie_rule", "") or "")
        if tie:
            line += " – " + t("cli.out.tie_note", lang, rule=t(f"eval.tie.{tie}", lang))
        out.append(line)
    rejected = evaluation.rejected
    if len(rejected):
        out.append("")
        names = dict(zip(ranking.index, ranking["bidder"], strict=True)) if len(ranking) else {}
        for row in rejected.itertuples(index=False):
            out.append("  " + t("cli.out.rejected_line", lang, bidder=names.get(row.file, "–"),
                                file=row.file, reason=codes(row.reason)))
    out += ["", t("cli.out.effective_weight", lang,
                  weight=_share(evaluation.effective_climate_weight, lang),
                  nominal=_share(evaluation.nominal_climate_weight, lang))]
    rule = evaluation.competition.rule
    if evaluation.effective_climate_weight < rule.min_climate_weight:
        out.append(t("eval.weight_warning", lang,
                     weight=_share(evaluation.effective_climate_weight, lang),
                     minimum=format_share(rule.min_climate_weight, lang)))
    from klimafotavtrykk.tender import DOWNGRADES

    downgraded = int(evaluation.findings["kind"].isin(DOWNGRADES).sum())
    if downgraded:
        out.append(t("cli.out.downgraded", lang, n=format_number(downgraded, lang),
                     sheet=t("eval.sheet.findings", lang)))
    notices = [t(key, lang, **fields) for key, fields in getattr(evaluation, "notices", ())]
    if notices:
        out += ["", *notices]
    return "\n".join(out) + "\n"


def _share(value: float, lang: str) -> str:
    return "–" if value is None or math.isnan(value) else format_share(value, lang, 1)


# ----------------------------------------------------------------------------- epd les

def epd_les(args: argparse.Namespace) -> int:
    """``klimafotavtrykk epd les MAPPE``: a factor table from a folder of EPD files.

    Parameters
    ----------
    args : argparse.Namespace
        ``folder``, ``output`` (CSV for ``--faktorer``), ``indicator``,
        ``scenario``, ``lang``.

    Returns
    -------
    int
        0 when at least one EPD was read, 1 when none was. Each file read,
        refused (with its reason) or skipped gets a line; never a traceback.
    """
    from klimafotavtrykk.epd import read_epds
    from klimafotavtrykk.reports import safe_text

    lang = args.lang
    _check_output_folder(args.output)
    factors, summary = read_epds(args.folder, indicator=args.indicator, scenario=args.scenario)
    out = sys.stdout
    for entry in summary["read"]:
        out.write(t("cli.epd.out.read", lang, file=entry["file"], factor_id=entry["factor_id"],
                    unit=entry["declared_as"], format=entry["format"]) + "\n")
    for entry in summary["refused"]:
        reason = "; ".join(line.strip() for line in render_error(entry["error"], lang).splitlines()
                           if line.strip())
        out.write(t("cli.epd.out.refused", lang, file=entry["file"], reason=reason) + "\n")
    for name in summary["skipped"]:
        out.write(t("cli.epd.out.skipped", lang, file=name) + "\n")
    out.write(t("cli.epd.out.summary", lang, read=len(summary["read"]),
                refused=len(summary["refused"]), skipped=len(summary["skipped"]),
                indicator=summary["indicator"]) + "\n")
    if not len(factors):
        sys.stderr.write(t("cli.epd.out.none", lang) + "\n")
        return 1
    if args.output:
        from pandas.api.types import is_numeric_dtype

        text = [c for c in factors.columns if not is_numeric_dtype(factors[c])]
        safe = factors.assign(**{c: factors[c].map(safe_text) for c in text})
        safe.to_csv(args.output, index=False)
        out.write(t("cli.epd.out.written", lang, path=args.output, n=len(factors)) + "\n")
    return 0
