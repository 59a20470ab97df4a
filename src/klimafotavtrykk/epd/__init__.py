"""EPD files in: the EPDs suppliers publish, as rows of a user factor table.

:func:`read_epd` reads one file — ILCD+EPD XML (a process dataset alone, or a
zip with its flows, as ÖKOBAUDAT and soda4LCA export), soda4LCA JSON, EN ISO
22057 JSON (EPD-Norge's digital EPDs) or openEPD JSON (EC3) — into one row of
the schema :func:`klimafotavtrykk.calculate` takes as ``factors=`` and the
command line as ``--faktorer``. :func:`read_epds` reads a folder and says what
it read and what it refused, file by file.

Every format shares the rules of :func:`klimafotavtrykk.epd._model.factor_row`:
the declared unit comes from the file's reference (1000 kg is per tonne, and
values are divided to per kg), A1-A3 is never counted twice, ND/MND/MNA/INA
and missing values are not declared (NaN, never 0), one scenario per split
module, one indicator recorded on the row. Files are untrusted: XML without
DTDs or entities, zips under the workbook caps.

Examples
--------
>>> import klimafotavtrykk as kf                          # doctest: +SKIP
>>> factors, meta = kf.read_epds("epd/")                   # doctest: +SKIP
>>> result = kf.calculate(lines, factors=factors)          # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from klimafotavtrykk._string_storage import python_strings
from klimafotavtrykk.epd._files import EpdLimits, open_source, parse_json
from klimafotavtrykk.epd._model import Declaration, factor_row, indicator_key
from klimafotavtrykk.errors import InputError, KlimafotavtrykkError

__all__ = ["read_epd", "read_epds", "read_declaration", "EpdLimits", "Declaration",
           "EPD_SUFFIXES"]

#: Errors a file of an unexpected structure raises in the readers (refused at the folder boundary).
_STRUCTURE_ERRORS = (AttributeError, KeyError, IndexError, TypeError, ValueError)
#: File endings a folder is searched for.
EPD_SUFFIXES = (".xml", ".json", ".zip")


@python_strings
def read_declaration(path, limits: EpdLimits | None = None) -> Declaration:
    """Read one EPD file into a :class:`Declaration`, whatever its format.

    Parameters
    ----------
    path : str or path-like
    limits : EpdLimits, optional

    Returns
    -------
    Declaration

    Raises
    ------
    InputError
        With a code naming what is wrong (``epd_format``,
        ``epd_declared_unit``, ``epd_reference_flow``, ``xml_entities`` ...).
    """
    source = open_source(path, limits)
    try:
        return _read_format(source)
    except InputError:
        raise
    except _STRUCTURE_ERRORS as exc:
        # an untrusted file of an unexpected shape (a list where the format has an object ...)
        raise InputError(f"unreadable EPD file ({type(exc).__name__}: {exc})", file=source.file,
                         code="epd_unreadable", found=type(exc).__name__) from None


def _read_format(source) -> Declaration:
    from klimafotavtrykk.epd import ilcd, iso22057, openepd, soda4lca

    if source.kind in ("xml", "zip"):
        return ilcd.read_ilcd(source)
    document = parse_json(source.document, source.file)
    if soda4lca.is_soda4lca(document):
        return soda4lca.read_soda4lca(source, document)
    if iso22057.is_iso22057(document):
        return iso22057.read_iso22057(source, document)
    if openepd.is_openepd(document):
        return openepd.read_openepd(source, document)
    raise InputError("JSON that is no EPD format read here (soda4LCA, ISO 22057, openEPD)",
                     file=source.file, expected="soda4LCA, ISO 22057 or openEPD JSON",
                     found=", ".join(list(document)[:5]) if isinstance(document, dict)
                     else type(document).__name__, code="epd_format")


@python_strings
def read_epd(path, *, indicator: str = "GWP-total", scenario: str | None = None,
             limits: EpdLimits | None = None):
    """Read one EPD file as one row of the user factor schema.

    Parameters
    ----------
    path : str or path-like
        ILCD+EPD ``.xml`` or ``.zip``, or soda4LCA, ISO 22057 or openEPD
        ``.json``.
    indicator : str
        ``GWP-total`` (default), ``GWP-GHG`` (also ``IOBC``: what TEK17 asks
        for), ``GWP-fossil``, ``GWP-biogenic`` or ``GWP`` (EN 15804+A1).
        Recorded on the row (``gwp-total`` ...).
    scenario : str, optional
        Scenario taken where a module is split by scenario. Default: the
        file's default scenario, else the first it lists; the others are
        named in the row's ``other_scenarios``.
    limits : EpdLimits, optional
        Size caps.

    Returns
    -------
    factors : pandas.DataFrame
        One row: ``factor_id`` (the registration number, else the dataset
        id), ``name``, ``declared_unit`` (``kg``, ``m3``, ``m2``, ``m``,
        ``stk``), ``A1-A3`` ... ``D`` [kg CO2e per declared unit; NaN not
        declared], ``indicator``, ``dataset_type`` (``product_epd``),
        ``valid_until`` (``YYYY-MM-DD``), ``epd_id``, ``standard``,
        ``source``, ``scenario``, ``other_scenarios`` and, when the file
        gives the mass, ``density_kg_m3`` [kg m-3], ``area_mass_kg_m2``
        [kg m-2], ``linear_mass_kg_m`` [kg m-1] or ``piece_mass_kg`` [kg].
    metadata : dict
        ``file``, ``sha256``, ``format``, ``declared_as`` (the declared unit
        as published, e.g. ``1000 kg``), ``notes`` (what the rules did).

    Raises
    ------
    InputError
        Naming the dataset: see :func:`read_declaration`, and
        ``epd_no_indicator``, ``epd_scenario``, ``epd_no_product_stage``.
    """
    import pandas as pd

    declaration = read_declaration(path, limits)
    row, notes = factor_row(declaration, indicator, scenario)
    meta = {"file": declaration.file, "sha256": declaration.sha256,
            "format": declaration.format,
            "declared_as": f"{declaration.declared_amount:g} {declaration.declared_unit}",
            "notes": notes}
    return pd.DataFrame([row]), meta


@python_strings
def read_epds(folder, *, indicator: str = "GWP-total", scenario: str | None = None,
              limits: EpdLimits | None = None):
    """Read every EPD file of a folder into one user factor table.

    Parameters
    ----------
    folder : str or path-like
        A folder; its ``.xml``, ``.json`` and ``.zip`` files are read (not
        subfolders). Other files are listed as skipped.
    indicator, scenario, limits
        As for :func:`read_epd`, for every file.

    Returns
    -------
    factors : pandas.DataFrame
        One row per EPD read (columns of :func:`read_epd`), in file-name
        order; usable as ``calculate(factors=...)`` and, written as CSV, as
        ``--faktorer``.
    summary : dict
        ``read``: per file read, ``file``, ``factor_id``, ``format``,
        ``declared_as`` and ``notes``; ``refused``: per file refused,
        ``file`` and ``error`` (the :class:`~klimafotavtrykk.errors.InputError`,
        its ``code`` and fields give the reason); ``skipped``: files of other
        types; ``indicator``: the token recorded.

    Raises
    ------
    InputError
        Code ``epd_folder`` when ``folder`` is not a folder, and
        ``epd_indicator`` for an unknown indicator (before any file is read).
    """
    import pandas as pd

    token = indicator_key(indicator)
    root = Path(folder)
    if not root.is_dir():
        raise InputError("not a folder", file=str(folder), expected="a folder of EPD files",
                         found=str(folder), code="epd_folder")
    rows: list[dict] = []
    summary: dict[str, Any] = {"read": [], "refused": [], "skipped": [], "indicator": token}
    seen: dict[str, str] = {}
    for path in sorted(p for p in root.iterdir() if p.is_file()):
        if path.suffix.lower() not in EPD_SUFFIXES:
            summary["skipped"].append(path.name)
            continue
        try:
            frame, meta = read_epd(path, indicator=indicator, scenario=scenario, limits=limits)
            factor_id = str(frame["factor_id"].iloc[0])
            if factor_id in seen:
                raise InputError(f"EPD {factor_id} was already read from {seen[factor_id]}",
                                 file=path.name, expected="one file per EPD",
                                 found=f"{factor_id} (also {seen[factor_id]})",
                                 code="epd_duplicate")
        except (KlimafotavtrykkError, OSError) as exc:  # the folder boundary: file + reason
            error = exc if isinstance(exc, InputError) else InputError(
                str(exc), file=path.name, code="epd_unreadable", found=type(exc).__name__)
            summary["refused"].append({"file": path.name, "error": error})
            continue
        seen[factor_id] = path.name
        rows.append(frame.iloc[0].to_dict())
        summary["read"].append({"file": path.name, "factor_id": factor_id,
                                "format": meta["format"], "declared_as": meta["declared_as"],
                                "notes": meta["notes"]})
    return pd.DataFrame(rows), summary
