"""Figures for project teams comparing design alternatives (``kf.plot``).

Every function takes results (an :class:`~klimafotavtrykk.assessment.Assessment`,
a mapping of names to results, or the tidy frame of
:func:`~klimafotavtrykk.alternatives.compare`), draws on ``ax`` (a new figure
when None) and returns the matplotlib Axes, so that a notebook shows it and a
script saves it with ``ax.figure.savefig("figur.png")`` (PNG or SVG).
matplotlib is imported inside the functions: importing this module does not
load it.

Labels are in bokmål by default and in English with ``lang="en"``; module
codes stay as EN 15978 writes them. Each module has one colour in every
figure (:data:`MODULE_COLOURS`). Module D is drawn beside the total, hatched,
and never added to it. Nothing is dropped silently: what does not get a bar
of its own is summed into one that says how many lines it holds.

Examples
--------
>>> import klimafotavtrykk as kf
>>> table = kf.compare({"Betong": concrete, "Massivtre": timber})   # doctest: +SKIP
>>> ax = kf.plot.modules_by_alternative(table)                       # doctest: +SKIP
>>> ax.figure.savefig("alternativer.png", dpi=150)                   # doctest: +SKIP
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from klimafotavtrykk._string_storage import python_strings
from klimafotavtrykk.alternatives import compare
from klimafotavtrykk.assessment import Assessment
from klimafotavtrykk.errors import InputError, MissingColumnError
from klimafotavtrykk.messages import check_language, format_number, part_label, t
from klimafotavtrykk.vocabulary import MODULES, TOTAL_MODULES

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "MODULE_COLOURS",
    "modules_by_alternative",
    "parts_by_module",
    "waterfall",
    "pareto",
    "emission_frame",
    "distribution",
    "probabilities",
]

#: One colour per life-cycle module, used by every figure. Stages share a hue:
#: product and construction blue, use green (operation yellow), end of life
#: brown, D grey and hatched.
MODULE_COLOURS: dict[str, str] = {
    "A1-A3": "#1f4e79",
    "A4": "#4f81bd",
    "A5": "#9dc3e6",
    "B1": "#385723",
    "B2": "#548235",
    "B3": "#70ad47",
    "B4": "#a9d18e",
    "B5": "#c5e0b4",
    "B6": "#bf9000",
    "B7": "#ffd966",
    "C1": "#843c0c",
    "C2": "#c55a11",
    "C3": "#f4b183",
    "C4": "#f8cbad",
    "D": "#7f7f7f",
}

_TOTAL_COLOUR = "#404040"
_INCREASE_COLOUR = "#c0392b"
_DECREASE_COLOUR = "#2e8b57"
_WITHIN_COLOUR = "#4f81bd"
_ABOVE_COLOUR = "#c0392b"
_OTHER_COLOUR = "#bfbfbf"

def _t(key: str, lang: str, **fields: object) -> str:
    """Figure text ``plot.<key>`` of ``data/messages/plot.csv`` in ``lang``."""
    return t(f"plot.{key}", lang, **fields)


# ============================================================================ public


@python_strings
def modules_by_alternative(
    results: pd.DataFrame | Mapping[str, Assessment],
    *,
    per_m2_year: bool = False,
    ax: Axes | None = None,
    lang: str = "nb",
) -> Axes:
    """Stacked bars by life-cycle module, one bar per alternative.

    Each bar stacks the modules that add up to the total (positive values
    upward, negative ones downward from zero) and carries its net total as a
    label. Module D stands beside each bar as a narrow hatched bar, never
    added to the stack.

    Parameters
    ----------
    results : pandas.DataFrame or mapping of name -> Assessment
        The frame of :func:`~klimafotavtrykk.alternatives.compare`, or results
        it can compare (the first is the reference; order is kept).
    per_m2_year : bool
        Plot intensities instead of totals; needs an area (``bta_m2``).
        [kg CO₂e m⁻² a⁻¹] instead of [kg CO₂e]
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    lang : {"nb", "en"}
        Language of labels.

    Returns
    -------
    matplotlib.axes.Axes
        One bar container per module present (label: the module code), one
        labelled ``D`` for module D when it is not zero everywhere.

    Raises
    ------
    InputError
        When ``per_m2_year`` is asked for results without an area.
    """
    check_language(lang)
    tidy = _tidy(results)
    value = _value_column(tidy, per_m2_year)
    wide = _wide(tidy, "alternative", value)
    ax = _axes(ax, (max(4.0, 1.4 * len(wide) + 3.0), 4.5))
    _stack(ax, wide, horizontal=False, lang=lang)
    ax.set_xticks(np.arange(len(wide)), _wrapped(wide.index))
    ax.set_xlabel(_t("alternative", lang))
    ax.set_ylabel(_t("per_m2_year" if per_m2_year else "kg_co2e", lang))
    ax.set_title(_t("title.modules", lang))
    _format_axis(ax.yaxis, lang)
    _legend(ax, lang=lang, reverse=True)
    return ax


@python_strings
def parts_by_module(
    result: Assessment | pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "nb",
) -> Axes:
    """Horizontal stacked bars: one bar per NS 3451 building part, stacked by module.

    Stacked bars rather than a heat-map, because (1) each module keeps its
    colour from the other figures, which a heat-map's colour scale would
    overwrite, (2) a part's total is read from the bar's length and written at
    its end, where a heat-map shows only cells, and (3) most part × module
    cells are zero (a part has emissions in a few modules), which a heat-map
    spends most of its area on. Horizontal, so part codes read without
    rotation; parts run from the top in code order. D is drawn beside each
    part's bar, hatched, never added.

    Parameters
    ----------
    result : Assessment or pandas.DataFrame
        A result, or a frame shaped like ``Assessment.by_building_part``
        (two-digit part × module). [kg CO₂e]
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    lang : {"nb", "en"}
        Language of labels.

    Returns
    -------
    matplotlib.axes.Axes
        One bar container per module present (label: the module code), and
        one labelled ``D`` when D is not zero everywhere.
    """
    check_language(lang)
    table = result.by_building_part if isinstance(result, Assessment) else result
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"expected an Assessment or a part × module frame, got {type(result).__name__}",
                         code="not_a_frame")
    wide = table.reindex(columns=list(MODULES), fill_value=0.0).astype(float)
    wide = wide.sort_index(key=lambda idx: idx.astype(str))
    ax = _axes(ax, (8.0, max(3.0, 0.45 * len(wide) + 1.5)))
    _stack(ax, wide, horizontal=True, lang=lang)
    ax.set_yticks(np.arange(len(wide)), _part_labels(wide.index, lang))
    ax.invert_yaxis()
    ax.set_ylabel(_t("building_part", lang))
    ax.set_xlabel(_t("kg_co2e", lang))
    ax.set_title(_t("title.parts", lang))
    _format_axis(ax.xaxis, lang)
    _legend(ax, lang=lang, reverse=False)
    return ax


@python_strings
def waterfall(
    comparison: pd.DataFrame | Mapping[str, Assessment],
    reference: str,
    alternative: str,
    *,
    by: str = "module",
    ax: Axes | None = None,
    lang: str = "nb",
) -> Axes:
    """Waterfall from the reference's total to the alternative's, one step per module or part.

    The first bar is the reference total, each step the alternative minus the
    reference in one module (or building part), the last bar the
    alternative's total; totals exclude D. A step is drawn for every key with
    emissions in either alternative, so an unchanged module shows as a step
    of 0; keys empty in both are left out (they carry no emissions). D's
    change is written under the axes.

    Parameters
    ----------
    comparison : pandas.DataFrame or mapping of name -> Assessment
        The frame of :func:`~klimafotavtrykk.alternatives.compare`, or results
        it can compare.
    reference, alternative : str
        Names of the two alternatives. The steps are taken from each one's own
        rows, so a building part present in only one of them still counts.
    by : {"module", "building_part"}
        What a step is.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    lang : {"nb", "en"}
        Language of labels.

    Returns
    -------
    matplotlib.axes.Axes
        Three bar containers: ``reference`` (one bar, the reference total),
        ``steps`` (height = difference, bottom = running total) and
        ``alternative`` (one bar, the alternative's total). [kg CO₂e]

    Raises
    ------
    InputError
        When a name is not in the comparison or ``by`` is not known.
    """
    check_language(lang)
    if by not in ("module", "building_part"):
        raise InputError(f"by must be 'module' or 'building_part', got {by!r}",
                         expected="module or building_part", found=str(by), code="bad_option")
    tidy = _tidy(comparison)
    names = pd.unique(tidy["alternative"])
    for name in (reference, alternative):
        if name not in names:
            raise InputError(f"{name!r} is not among the alternatives", expected=", ".join(map(str, names)),
                             found=str(name), code="unknown_alternative")
    counted = tidy[tidy["in_total"].to_numpy(dtype=bool)]
    keys = tidy["module"] if by == "module" else tidy["building_part"]
    table = (counted.assign(key=keys.astype(str)).groupby(["key", "alternative"])["kg_co2e"].sum()
             .unstack("alternative").fillna(0.0))
    order = list(TOTAL_MODULES) if by == "module" else sorted(table.index)
    table = table.reindex([k for k in order if k in table.index])
    zero = pd.Series(0.0, index=table.index)
    before = table[reference] if reference in table.columns else zero
    after = table[alternative] if alternative in table.columns else zero
    keep = ((before != 0.0) | (after != 0.0)).to_numpy()
    keys_drawn = table.index[keep]
    start, end = float(before.sum()), float(after.sum())
    delta = (after - before).to_numpy(dtype=float)[keep]
    bottom = start + np.concatenate([[0.0], np.cumsum(delta)])[: len(delta)]

    n = len(delta)
    levels = np.concatenate([[start], bottom + delta])
    floor = _axis_floor(levels)
    ax = _axes(ax, (max(5.0, 1.05 * n + 3.5), 4.8))
    ax.bar([0], [start - floor], bottom=floor, color=_TOTAL_COLOUR, label="reference")
    if by == "module":
        colours = [MODULE_COLOURS[m] for m in keys_drawn]
    else:
        colours = np.where(delta > 0, _INCREASE_COLOUR, _DECREASE_COLOUR).tolist()
    steps_bars = ax.bar(np.arange(1, n + 1), delta, bottom=bottom, color=colours, edgecolor="white",
                        label="steps")
    ax.bar([n + 1], [end - floor], bottom=floor, color=_TOTAL_COLOUR, label="alternative")
    ax.hlines(levels, np.arange(n + 1) + 0.4, np.arange(1, n + 2) - 0.4, colors="#808080",
              linewidth=0.8, linestyles="dashed")
    decimals = _decimals(np.abs(np.concatenate([[start, end], delta])))
    ax.bar_label(steps_bars, labels=[_signed(v, lang, decimals) for v in delta], padding=2, fontsize=8)
    for x, v in ((0, start), (n + 1, end)):
        ax.annotate(format_number(v, lang, decimals), (x, max(v, 0.0)), xytext=(0, 3),
                    textcoords="offset points", ha="center", fontsize=8)
    _headroom(ax, floor, float(np.max(np.append(levels, end))), float(np.min(np.append(levels, end))))
    labels = keys_drawn.tolist() if by == "module" else _part_labels(keys_drawn, lang)
    ax.set_xticks(np.arange(n + 2), _wrapped([str(reference), *labels, str(alternative)], 11))
    ax.set_xlabel(_t("module" if by == "module" else "building_part", lang))
    ax.tick_params(axis="x", labelsize=8)
    if floor:  # the bars are cut: say so on the axis and mark the break
        ax.set_ylabel(_t("kg_co2e_from", lang, value=format_number(floor, lang)))
        _break_mark(ax)
    else:
        ax.set_ylabel(_t("kg_co2e", lang))
    ax.set_title(_t("title.waterfall", lang, reference=reference, alternative=alternative))
    _format_axis(ax.yaxis, lang)
    d = tidy[tidy["module"].astype(str) == "D"].groupby("alternative", sort=False)["kg_co2e"].sum()
    d_ref, d_alt = float(d.get(reference, 0.0)), float(d.get(alternative, 0.0))
    if d_ref or d_alt:
        ax.annotate(_t("d_note", lang, reference=format_number(d_ref, lang, decimals),
                       alternative=format_number(d_alt, lang, decimals)),
                    (0.0, 0.0), xycoords="axes fraction", xytext=(0, -42), textcoords="offset points",
                    fontsize=8, color=MODULE_COLOURS["D"])
    return ax


@python_strings
def pareto(
    result: Assessment | pd.DataFrame,
    top: int = 15,
    *,
    label: str | None = None,
    ax: Axes | None = None,
    lang: str = "nb",
) -> Axes:
    """The ``top`` lines driving the footprint, stacked by module, with their cumulative share.

    Lines are ranked by ``kg_co2e`` (the total without D) and drawn as
    horizontal bars from the largest down, each stacked by module; the
    remaining lines are summed into one last bar labelled "N andre linjer"
    ("N other lines"), so the bars add up to the whole result. A line on a
    second axis (top) gives the cumulative share of the total, ending at
    100 %; it is left out when the total is not positive. D is drawn beside,
    hatched, never added.

    Parameters
    ----------
    result : Assessment or pandas.DataFrame
        A result (its ``lines``), or a line frame with ``kg_co2e`` and module
        columns. [kg CO₂e]
    top : int
        Number of lines drawn one by one.
    label : str, optional
        Column naming a line; default the description (or factor id) with
        the building part in brackets.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    lang : {"nb", "en"}
        Language of labels.

    Returns
    -------
    matplotlib.axes.Axes
        The bars' axes: one bar container per module present; the
        cumulative-share line is on the twin axes, labelled ``cumulative``.

    Raises
    ------
    InputError
        When ``top`` is not a positive whole number or there are no lines.
    MissingColumnError
        When the frame has no ``kg_co2e`` column.
    """
    check_language(lang)
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or top < 1:
        raise InputError(f"top must be a positive whole number, got {top!r}", expected="top >= 1",
                         found=repr(top), code="bad_option")
    lines = result.lines if isinstance(result, Assessment) else result
    if not isinstance(lines, pd.DataFrame):
        raise InputError(f"expected an Assessment or a line frame, got {type(result).__name__}",
                         code="not_a_frame")
    if "kg_co2e" not in lines.columns:
        raise MissingColumnError("missing column 'kg_co2e'", expected="kg_co2e", code="missing_column")
    if lines.empty:
        raise InputError("there are no computed lines to plot", code="nothing_to_plot")

    order = np.argsort(-lines["kg_co2e"].to_numpy(dtype=float), kind="stable")
    ranked = lines.iloc[order]
    head, rest = ranked.iloc[:top], ranked.iloc[top:]
    modules = lines.reindex(columns=list(MODULES), fill_value=0.0).astype(float)
    wide = modules.iloc[order[:top]].reset_index(drop=True)
    names = _line_labels(head, label)
    if len(rest):
        wide.loc[len(wide)] = modules.iloc[order[top:]].sum(axis=0)
        names.append(_t("other_lines", lang, n=format_number(len(rest), lang)))
    wide.index = pd.Index(names)

    ax = _axes(ax, (9.0, max(3.5, 0.4 * len(wide) + 1.5)))
    _stack(ax, wide, horizontal=True, lang=lang, totals=False)
    if len(rest):  # the summed bar is set apart by a lighter edge
        for container in ax.containers:
            if len(container.patches) == len(wide):
                container.patches[-1].set_alpha(0.55)
    positions = np.arange(len(wide))
    ax.set_yticks(positions, [str(n) for n in wide.index])
    ax.invert_yaxis()
    ax.set_xlabel(_t("kg_co2e", lang))
    ax.set_ylabel(_t("line", lang))
    ax.set_title(_t("title.pareto", lang))
    _format_axis(ax.xaxis, lang)

    total = float(lines["kg_co2e"].sum())
    if total > 0:
        per_bar = wide.reindex(columns=list(TOTAL_MODULES)).sum(axis=1).to_numpy(dtype=float)
        share = 100.0 * np.cumsum(per_bar) / total
        twin = ax.twiny()
        twin.plot(share, positions, color="#000000", marker="o", markersize=3, linewidth=1,
                  label="cumulative")
        twin.set_xlim(0.0, max(100.0, float(share.max())) * 1.02)
        twin.set_xlabel(_t("cumulative", lang))
        _format_axis(twin.xaxis, lang)
    _legend(ax, lang=lang, reverse=False)
    return ax


@python_strings
def emission_frame(
    values: Mapping[str, Assessment | float] | pd.Series | pd.DataFrame,
    frame_kg_per_m2: float,
    *,
    per_year: bool = True,
    ax: Axes | None = None,
    lang: str = "nb",
) -> Axes:
    """Alternatives or bids as bars in kg CO₂e/m² BTA, against the emission frame as a line.

    Bars at or below the frame are blue, bars above it red; each carries its
    value, and the frame its value at the right.

    Parameters
    ----------
    values : mapping of name -> Assessment or number, pandas.Series, or pandas.DataFrame
        Results (their total over ``bta_m2``, and over the reference study
        period when ``per_year``), numbers already in the unit plotted, or the
        frame of :func:`~klimafotavtrykk.alternatives.compare` (``per_year``
        only: it holds intensities per year). [kg CO₂e m⁻² a⁻¹] or [kg CO₂e m⁻²]
    frame_kg_per_m2 : float
        The emission frame (utslippsramme), in the same unit.
        [kg CO₂e m⁻² a⁻¹] when ``per_year``, else [kg CO₂e m⁻²]
    per_year : bool
        Per year of the reference study period (default) or over the whole period.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    lang : {"nb", "en"}
        Language of labels.

    Returns
    -------
    matplotlib.axes.Axes
        One bar container (a bar per alternative, in the given order) and a
        horizontal line labelled ``frame`` at the frame's value.

    Raises
    ------
    InputError
        When a result has no area, the frame is not a finite number, or a
        compare frame is given with ``per_year=False``.
    """
    check_language(lang)
    try:
        frame = float(frame_kg_per_m2)
    except (TypeError, ValueError):
        frame = float("nan")
    if not np.isfinite(frame):
        raise InputError(f"the emission frame must be a finite number, got {frame_kg_per_m2!r}",
                         expected="kg CO2e per m2", found=repr(frame_kg_per_m2), code="bad_frame")
    intensity = _intensities(values, per_year)
    heights = intensity.to_numpy(dtype=float)

    ax = _axes(ax, (max(4.0, 1.2 * len(intensity) + 3.0), 4.5))
    above = heights > frame
    bars = ax.bar(np.arange(len(heights)), heights, color=np.where(above, _ABOVE_COLOUR, _WITHIN_COLOUR).tolist())
    decimals = _decimals(np.abs(np.append(heights, frame)))
    ax.axhline(frame, color="#000000", linestyle="--", linewidth=1.2, label="frame", zorder=1)
    ax.bar_label(bars, labels=[format_number(v, lang, decimals) for v in heights], padding=3, fontsize=8,
                 bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"},
                 zorder=3)
    ax.set_xticks(np.arange(len(heights)), _wrapped(intensity.index, 13))
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel(_t("alternative", lang))
    ax.set_ylabel(_t("per_m2_year" if per_year else "per_m2_period", lang))
    ax.set_title(_t("title.frame", lang))
    top = max(float(np.nanmax(heights, initial=0.0)), frame)
    if top > 0:  # room for the value labels
        ax.set_ylim(top=1.15 * top)
    _format_axis(ax.yaxis, lang)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    frame_label = _t("frame_value", lang, value=format_number(frame, lang, decimals))
    handles = [Line2D([], [], color="#000000", linestyle="--", label=frame_label),
               Patch(color=_WITHIN_COLOUR, label=_t("within", lang))]
    if above.any():
        handles.append(Patch(color=_ABOVE_COLOUR, label=_t("above", lang)))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


# ============================================================================ helpers


def _axes(ax, figsize):
    """The Axes to draw on: ``ax``, or one on a new figure with a layout that keeps legends in."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _tidy(results) -> pd.DataFrame:
    """A compare frame from a compare frame or from a mapping of results."""
    if isinstance(results, pd.DataFrame):
        missing = [c for c in ("alternative", "building_part", "module", "in_total", "kg_co2e")
                   if c not in results.columns]
        if missing:
            raise MissingColumnError(f"not a comparison frame: missing columns {missing}",
                                     expected=", ".join(missing), code="missing_column")
        return results
    if isinstance(results, Mapping):
        bad = [name for name, value in results.items() if not isinstance(value, Assessment)]
        if bad:
            raise InputError(f"expected results (Assessment) for {bad}; calculate them first or use "
                             "kf.compare", code="not_a_result")
        return compare(results)
    raise InputError(f"expected a comparison frame or a mapping of results, got {type(results).__name__}",
                     code="not_a_frame")


def _value_column(tidy: pd.DataFrame, per_m2_year: bool) -> str:
    if not per_m2_year:
        return "kg_co2e"
    if "kg_co2e_per_m2_year" not in tidy.columns:
        raise InputError("intensities need an area: calculate with bta_m2", code="missing_bta")
    without = pd.unique(tidy.loc[tidy["kg_co2e_per_m2_year"].isna(), "alternative"])
    if len(without):  # summing would turn their NaN into 0
        raise InputError(f"intensities need an area: calculate {list(without)} with bta_m2",
                         found=", ".join(map(str, without)), code="missing_bta")
    return "kg_co2e_per_m2_year"


def _wide(tidy: pd.DataFrame, index: str, value: str) -> pd.DataFrame:
    """Sum ``value`` into index × module, in the order the index first appears [kg CO₂e]."""
    order = pd.unique(tidy[index])
    wide = (tidy.assign(module=tidy["module"].astype(str))
            .groupby([index, "module"], sort=False)[value].sum()
            .unstack("module"))
    return wide.reindex(index=order, columns=list(MODULES)).fillna(0.0).astype(float)


def _stack(ax, wide: pd.DataFrame, *, horizontal: bool, lang: str, totals: bool = True) -> None:
    """Draw ``wide`` (category × module) as stacked bars, D beside, net totals as labels.

    Positive values stack away from zero on one side, negative ones on the
    other, so a negative module (e.g. biogenic uptake) is seen, not hidden
    in a net bar. A loop over the 15 modules, not over lines.
    """
    in_total = [m for m in TOTAL_MODULES if m in wide.columns]
    values = wide[in_total].to_numpy(dtype=float)
    positive = np.clip(values, 0.0, None)
    negative = np.clip(values, None, 0.0)
    base = np.where(values >= 0.0, np.cumsum(positive, axis=1) - positive,
                    np.cumsum(negative, axis=1) - negative)
    positions = np.arange(len(wide), dtype=float)
    width = 0.6
    draw = ax.barh if horizontal else ax.bar
    size, start = ("height", "left") if horizontal else ("width", "bottom")
    for j, module in enumerate(in_total):
        if not values[:, j].any():
            continue
        draw(positions, values[:, j], **{size: width, start: base[:, j]},
             color=MODULE_COLOURS[module], edgecolor="white", linewidth=0.5, label=module)
    d = wide["D"].to_numpy(dtype=float) if "D" in wide.columns else np.zeros(len(wide))
    if d.any():
        draw(positions + width / 2 + 0.14, d, **{size: 0.2}, color="white",
             edgecolor=MODULE_COLOURS["D"], hatch="////", linewidth=0.8, label="D")
    if totals:
        net = values.sum(axis=1)
        tip = positive.sum(axis=1)
        decimals = _decimals(np.abs(net))
        offset = (4, 0) if horizontal else (0, 3)
        for pos, value, end in zip(positions, net, tip, strict=True):  # one label per bar
            xy = (end, pos) if horizontal else (pos, end)
            ax.annotate(format_number(value, lang, decimals), xy, xytext=offset,
                        textcoords="offset points", fontsize=8,
                        ha="left" if horizontal else "center", va="center" if horizontal else "bottom")
    (ax.axvline if horizontal else ax.axhline)(0.0, color="#000000", linewidth=0.6)
    if totals:  # room for the total labels past the longest bar
        low, high = ax.get_xlim() if horizontal else ax.get_ylim()
        (ax.set_xlim if horizontal else ax.set_ylim)(low, high + 0.12 * (high - low))


def _legend(ax, *, lang: str, reverse: bool) -> None:
    """Legend outside the axes: module codes, then D as "D (utenfor totalen)"."""
    handles, labels = ax.get_legend_handles_labels()
    modules = [(h, label) for h, label in zip(handles, labels, strict=True)
               if label in MODULE_COLOURS and label != "D"]
    if reverse:  # vertical stacks: the legend reads top down like the bars
        modules = modules[::-1]
    d = [(h, _t("d_beside", lang)) for h, label in zip(handles, labels, strict=True) if label == "D"]
    pairs = modules + d
    if pairs:
        ax.legend([h for h, _ in pairs], [label for _, label in pairs], loc="upper left",
                  bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)


def _part_labels(parts, lang: str) -> list[str]:
    """Building parts as NS 3451 names them ("25 Dekker"); "(ingen)" for none."""
    return [part_label(p, lang) if str(p) not in ("", "nan", "None") else _t("no_part", lang)
            for p in parts]


def _wrapped(labels, width: int = 16) -> list[str]:
    """Tick labels broken into lines of at most ``width`` characters, so neighbours never run together."""
    return [textwrap.fill(str(label), width, break_long_words=False, break_on_hyphens=False) or str(label) for label in labels]


def _axis_floor(levels: np.ndarray) -> float:
    """Where a waterfall's value axis starts: 0, or near the data when the steps are small.

    A zero-based axis hides a change of a few tonnes on a total of hundreds;
    when every level is positive and they span less than half the largest,
    the axis starts one span below the lowest level, rounded down to a round
    number of the span's order of magnitude.
    """
    low, high = float(np.min(levels)), float(np.max(levels))
    span = high - low
    if low <= 0.0 or span == 0.0 or span >= 0.5 * high:  # nothing changes, or a zero base shows it
        return 0.0
    step = 10.0 ** np.floor(np.log10(span))
    return max(0.0, float(np.floor((low - span) / step) * step))


def _headroom(ax, floor: float, high: float, low: float) -> None:
    """Value axis from ``floor`` (or below the lowest level) to above the highest, with room for labels.

    The room above keeps the value labels of the tallest bars inside the axes,
    clear of the title.
    """
    bottom = floor if low >= floor else low - 0.05 * (high - low)
    top = max(high, floor)
    if top > bottom:  # all levels zero: leave matplotlib's default range
        ax.set_ylim(bottom, top + 0.15 * (top - bottom))


def _break_mark(ax) -> None:
    """Two short slanted strokes on the value axis's foot: the axis does not start at zero."""
    kwargs = {"transform": ax.transAxes, "color": "#000000", "clip_on": False, "linewidth": 1.0}
    for dy in (0.0, 0.025):
        ax.plot([-0.015, 0.015], [0.01 + dy, 0.035 + dy], **kwargs)


def _line_labels(lines: pd.DataFrame, column: str | None) -> list[str]:
    """Names for at most ``top`` lines: description (or factor id, or row) and part."""
    if column is not None:
        if column not in lines.columns:
            raise MissingColumnError(f"missing column {column!r}", expected=column, code="missing_column")
        return lines[column].astype(str).tolist()
    empty = pd.Series("", index=lines.index, dtype=object)

    def text(name):
        if name not in lines.columns:
            return empty
        col = lines[name].astype(object)
        return col.where(col.notna(), "").astype(str).str.strip()

    name = text("description")
    name = name.where(name != "", text("factor_id"))
    rows = (text("row_id") if "row_id" in lines.columns
            else pd.Series(lines.index.astype(str), index=lines.index))
    name = name.where(name != "", "#" + rows)
    name = name.where(name.str.len() <= 40, name.str.slice(0, 39) + "…")
    part = text("building_part").str.replace(r"\.0$", "", regex=True)
    return name.where(part == "", name + " (" + part + ")").tolist()


def _intensities(values, per_year: bool) -> pd.Series:
    """Name -> kg CO₂e per m² BTA (per year when ``per_year``), in the given order."""
    if isinstance(values, pd.DataFrame):
        tidy = _tidy(values)
        if not per_year:
            raise InputError("a comparison frame holds intensities per year only; pass the results "
                             "to plot over the whole period", code="bad_option")
        column = _value_column(tidy, True)
        counted = tidy[tidy["in_total"].to_numpy(dtype=bool)]
        out = counted.groupby("alternative", sort=False)[column].sum()
        return out.reindex(pd.unique(tidy["alternative"]))
    if isinstance(values, pd.Series):
        return values.astype(float)
    if not isinstance(values, Mapping):
        raise InputError(f"expected a mapping of names to results or numbers, got {type(values).__name__}",
                         code="not_a_frame")
    out = {}
    for name, value in values.items():  # a handful of alternatives or bids
        if isinstance(value, Assessment):
            if not value.bta_m2:
                raise InputError(f"result {name!r} has no area: calculate with bta_m2", found=str(name),
                                 code="missing_bta")
            per_m2 = value.total / value.bta_m2
            out[name] = per_m2 / value.profile.reference_study_period if per_year else per_m2
        else:
            out[name] = float(value)
    return pd.Series(out, dtype=float)


def _decimals(values: np.ndarray) -> int:
    """Decimals for value labels: none from 100 up, one from 10, two below."""
    finite = values[np.isfinite(values)]
    largest = float(finite.max()) if finite.size else 0.0
    return 0 if largest >= 100 else 1 if largest >= 10 else 2


def _signed(value: float, lang: str, decimals: int) -> str:
    text = format_number(value, lang, decimals)
    return text if text.startswith("-") or text == format_number(0.0, lang, decimals) else "+" + text


def _format_axis(axis, lang: str) -> None:
    """Tick labels in ``lang``: space thousands and decimal comma in bokmål."""
    from matplotlib.ticker import Formatter, MaxNLocator

    class _Ticks(Formatter):
        def format_ticks(self, values):
            locs = np.asarray(values, dtype=float)
            step = float(np.min(np.abs(np.diff(locs)))) if locs.size > 1 else 1.0
            decimals = next((d for d in range(4)
                             if np.allclose(np.round(locs, d), locs, rtol=0.0, atol=step * 1e-6)), 3)
            return [format_number(float(x), lang, decimals) for x in locs]

        def __call__(self, x, pos=None):  # a single value, e.g. the cursor position
            return format_number(float(x), lang, _decimals(np.array([abs(float(x))])))

    axis.set_major_formatter(_Ticks())
    if axis.axis_name == "x":  # long numbers side by side: fewer ticks
        axis.set_major_locator(MaxNLocator(nbins=6))


# ============================================================================ uncertainty


@python_strings
def distribution(
    spread,
    *,
    percentiles: tuple[float, ...] = (2.5, 50.0, 97.5),
    bins: int = 50,
    ax: Axes | None = None,
    lang: str = "nb",
) -> Axes:
    """The distribution of a total, or of each alternative or bid, with its percentiles marked.

    Each series is drawn as a step histogram of its samples (share of draws
    per bin); its percentiles are dashed vertical lines in its colour, and
    its total as calculated, where known, a solid one.

    Parameters
    ----------
    spread : Uncertainty, mapping, comparison frame or ranking uncertainty
        :func:`klimafotavtrykk.uncertainty.uncertainty` of one result; a
        mapping of names to such results; the frame of
        ``compare(..., uncertainty=True)`` (its ``attrs["uncertainty"]``);
        or an object with a ``samples`` frame of one column per bid
        (:class:`~klimafotavtrykk.tender.uncertainty.RankingUncertainty`).
    percentiles : tuple of float
        Percentiles to mark. [%]
    bins : int
        Bins of each histogram.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    lang : {"nb", "en"}
        Language of labels.

    Returns
    -------
    matplotlib.axes.Axes
        One step histogram per series, labelled with its name.
    """
    check_language(lang)
    import matplotlib

    series = _sampled(spread, lang)
    ax = _axes(ax, (7.5, 4.5))
    cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]  # one colour per series
    low = min(float(np.min(s)) for s, _ in series.values())
    high = max(float(np.max(s)) for s, _ in series.values())
    edges = np.linspace(low, high, bins + 1) if high > low else bins
    n = 0
    for k, (name, (samples, calculated)) in enumerate(series.items()):  # a handful of series
        colour = cycle[k % len(cycle)]
        n = len(samples)
        ax.hist(samples, bins=edges, weights=np.full(len(samples), 1.0 / len(samples)),
                histtype="step", color=colour, linewidth=1.5, label=str(name))
        for value in np.percentile(samples, list(percentiles)):
            ax.axvline(value, color=colour, linestyle="--", linewidth=0.9)
        if calculated is not None:
            ax.axvline(calculated, color=colour, linestyle="-", linewidth=1.2)
    from matplotlib.lines import Line2D

    handles, labels = ax.get_legend_handles_labels()
    values = ", ".join(format_number(p, lang, 1 if p % 1 else 0) for p in percentiles)
    handles += [Line2D([], [], color=_TOTAL_COLOUR, linestyle="--", linewidth=0.9),
                Line2D([], [], color=_TOTAL_COLOUR, linestyle="-", linewidth=1.2)]
    labels += [_t("percentiles", lang, values=values), _t("as_calculated", lang)]
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_xlabel(_t("kg_co2e", lang))
    ax.set_ylabel(_t("share_of_draws", lang))
    ax.set_title(_t("title.distribution", lang, n=format_number(n, lang)))
    _format_axis(ax.xaxis, lang)
    return ax


@python_strings
def probabilities(
    spread,
    *,
    ax: Axes | None = None,
    lang: str = "nb",
) -> Axes:
    """A matrix of pairwise probabilities: that the row's total is lower than the column's.

    Parameters
    ----------
    spread : DataFrame, ranking uncertainty, mapping or comparison frame
        A square frame of probabilities (row lower than column; NaN on the
        diagonal); an object with such a ``matrix`` (a tender's
        :class:`~klimafotavtrykk.tender.uncertainty.RankingUncertainty`);
        or what :func:`distribution` takes, whose samples (drawn together)
        give the probabilities.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    lang : {"nb", "en"}
        Language of labels.

    Returns
    -------
    matplotlib.axes.Axes
        The matrix as an image (``ax.images[0]``, values 0-1), each cell
        labelled with its percentage.
    """
    check_language(lang)
    from klimafotavtrykk.uncertainty import probability_lower

    if isinstance(spread, pd.DataFrame) and "alternative" not in spread.columns:
        matrix = spread
    elif hasattr(spread, "matrix"):
        matrix = spread.matrix
    else:
        series = _sampled(spread, lang)
        names = list(series)
        values = np.full((len(names), len(names)), np.nan)
        for i, a in enumerate(names):  # pairs of a handful of alternatives
            for j, b in enumerate(names):
                if i != j:
                    values[i, j] = probability_lower(series[a][0], series[b][0])
        matrix = pd.DataFrame(values, index=names, columns=names)
    size = max(4.0, 1.1 * len(matrix) + 2.5)
    ax = _axes(ax, (size + 1.0, size))
    image = ax.imshow(matrix.to_numpy(dtype=float), cmap="RdYlGn", vmin=0.0, vmax=1.0)
    labels = [str(name) for name in matrix.index]
    ax.set_xticks(np.arange(len(matrix.columns)), [str(c) for c in matrix.columns], rotation=30,
                  ha="right")
    ax.set_yticks(np.arange(len(labels)), labels)
    for (i, j), value in np.ndenumerate(matrix.to_numpy(dtype=float)):  # cells of a small matrix
        if np.isfinite(value):
            ax.text(j, i, format_number(100.0 * value, lang, 0) + " %", ha="center", va="center",
                    fontsize=9)
    ax.set_ylabel(_t("row_lower", lang))
    ax.set_xlabel(_t("column_than", lang))
    ax.set_title(_t("title.probabilities", lang), fontsize=10)
    ax.figure.colorbar(image, ax=ax, label=_t("probability", lang), fraction=0.046)
    return ax


def _sampled(spread, lang: str) -> dict[str, tuple[np.ndarray, float | None]]:
    """Samples of the total per series, and the total as calculated (None when unknown)."""
    if isinstance(spread, pd.DataFrame):
        spread = spread.attrs.get("uncertainty")
        if spread is None:
            raise InputError("the comparison holds no samples: call compare(..., uncertainty=True)",
                             code="plot.no_samples")
    if hasattr(spread, "samples") and isinstance(spread.samples, pd.DataFrame):  # bids
        return {str(c): (spread.samples[c].to_numpy(dtype=float), None) for c in spread.samples.columns}
    if hasattr(spread, "samples"):
        return {_t("total", lang): (np.asarray(spread.samples, dtype=float), spread.deterministic)}
    if isinstance(spread, Mapping) and spread:
        return {str(name): (np.asarray(u.samples, dtype=float), getattr(u, "deterministic", None))
                for name, u in spread.items()}
    raise InputError("nothing to draw: give kf.uncertainty(...), a mapping of them, or "
                     "compare(..., uncertainty=True)", code="plot.no_samples")


# ============================================================================ contract follow-up

__all__ += ["followup_emissions", "followup_share"]

_BUDGET_COLOUR = "#000000"
_REPORTED_COLOUR = "#1f4e79"
_PROJECTION_COLOUR = "#7f7f7f"


@python_strings
def _months(result) -> pd.DataFrame:
    """A follow-up status's ``by_month``, or an error that says what was expected.

    Checked by the attribute, not the class: this layer does not import the follow-up
    package (tests/test_architecture.py).
    """
    months = getattr(result, "by_month", None)
    if not isinstance(months, pd.DataFrame):
        raise InputError(f"expected a follow-up status (kf.follow_up(...)), got "
                         f"{type(result).__name__}", expected="FollowUp",
                         found=type(result).__name__, code="not_a_status")
    return months


def followup_emissions(result, *, ax: Axes | None = None, lang: str = "nb") -> Axes:
    """Cumulative site emissions (A5) month by month against the climate budget line.

    The budget line rises evenly to the climate budget at the contract's last
    month (the pro rata promise); the reported line runs to the status month;
    a dotted projection line continues it to completion at the mean of the
    months reported.

    Parameters
    ----------
    result : FollowUp
        Of :func:`klimafotavtrykk.followup.status.follow_up`: its ``by_month``
        (``month``, ``cumulative_kg_co2e``, ``cumulative_budget_kg_co2e``) and
        ``summary`` (``projection_kg_co2e``) are drawn. [kg CO₂e]
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    lang : {"nb", "en"}
        Language of labels.

    Returns
    -------
    matplotlib.axes.Axes
        Lines labelled ``budget``, ``reported`` and, once a month is reported,
        ``projection`` (their legend texts in ``lang``).
    """
    check_language(lang)
    months = _months(result)
    x = np.arange(len(months))
    ax = _axes(ax, (max(5.0, 0.45 * len(months) + 3.0), 4.5))
    budget = months["cumulative_budget_kg_co2e"].to_numpy(dtype=float)
    done = months["cumulative_kg_co2e"].to_numpy(dtype=float)
    ax.plot(x, budget, color=_BUDGET_COLOUR, linestyle="--", linewidth=1.2, label="budget")
    shown = np.isfinite(done)
    ax.plot(x[shown], done[shown], color=_REPORTED_COLOUR, marker="o", linewidth=2.0, label="reported")
    projection = float(result.summary.get("projection_kg_co2e", np.nan))
    if shown.any() and np.isfinite(projection) and x[shown][-1] < x[-1]:
        last = x[shown][-1]
        ax.plot([last, x[-1]], [done[shown][-1], projection], color=_PROJECTION_COLOUR,
                linestyle=":", linewidth=1.5, label="projection")
    ax.set_xticks(x, months["month"].astype(str).tolist(), rotation=45, ha="right")
    ax.set_xlabel(_t("followup.month", lang))
    ax.set_ylabel(_t("followup.kg_co2e", lang))
    ax.set_ylim(bottom=0.0)
    ax.set_title(_t("followup.title.emissions", lang))
    _format_axis(ax.yaxis, lang)
    names = {"budget": _t("followup.budget", lang), "reported": _t("followup.reported", lang),
             "projection": _t("followup.projection", lang)}
    handles = ax.get_lines()
    ax.legend(handles, [names[h.get_label()] for h in handles], loc="upper left", frameon=False)
    return ax


@python_strings
def followup_share(result, *, basis: str = "energy", ax: Axes | None = None, lang: str = "nb") -> Axes:
    """The cumulative emission-free share month by month against the share promised.

    Parameters
    ----------
    result : FollowUp
        Of :func:`klimafotavtrykk.followup.status.follow_up`: ``by_month``
        columns ``cumulative_share_<basis>`` and ``promised_share_<basis>``. [-]
    basis : {"energy", "machine_hours", "machine_count"}
        What the share is counted on (the site package's bases).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    lang : {"nb", "en"}
        Language of labels.

    Returns
    -------
    matplotlib.axes.Axes
        Lines labelled ``reported`` and ``promised``, the y axis in percent.

    Raises
    ------
    InputError
        For an unknown basis.
    """
    check_language(lang)
    bases = {"energy": _t("followup.basis_energy", lang),
             "machine_hours": _t("followup.basis_machine_hours", lang),
             "machine_count": _t("followup.basis_machine_count", lang)}
    if basis not in bases:
        raise InputError(f"unknown share basis {basis!r}", expected=" | ".join(bases), found=str(basis))
    months = _months(result)
    x = np.arange(len(months))
    ax = _axes(ax, (max(5.0, 0.45 * len(months) + 3.0), 4.5))
    done = 100.0 * months[f"cumulative_share_{basis}"].to_numpy(dtype=float)
    promised = 100.0 * months[f"promised_share_{basis}"].to_numpy(dtype=float)
    ax.plot(x, promised, color=_BUDGET_COLOUR, linestyle="--", linewidth=1.2, label="promised")
    shown = np.isfinite(done)
    ax.plot(x[shown], done[shown], color=_REPORTED_COLOUR, marker="o", linewidth=2.0, label="reported")
    ax.set_ylim(0.0, 105.0)
    ax.set_xticks(x, months["month"].astype(str).tolist(), rotation=45, ha="right")
    ax.set_xlabel(_t("followup.month", lang))
    ax.set_ylabel(_t("followup.share", lang))
    ax.set_title(_t("followup.title.share", lang))
    _format_axis(ax.yaxis, lang)
    names = {"promised": _t("followup.promised_share", lang, basis=bases[basis]),
             "reported": _t("followup.reported_share", lang, basis=bases[basis])}
    handles = ax.get_lines()
    ax.legend(handles, [names[h.get_label()] for h in handles], loc="lower right", frameon=False)
    return ax
