"""User-facing text in Norwegian bokmål and English.

Everything a user reads from the command line or in a report workbook comes
from :data:`MESSAGES`: reason texts for unmatched lines, module and column
labels, error texts and the CLI's own words. Code, identifiers and the
``problem`` text of exceptions stay English; this module translates them
through stable keys (``InputError.code``, keys of
:data:`klimafotavtrykk.vocabulary.REASONS`).

This module imports nothing heavy: the CLI loads it before numpy or pandas.

Examples
--------
>>> t("out.more", "nb", n=3)
'… og 3 til'
>>> format_number(1234567.8, "nb")
'1 234 568'
>>> format_number(0.21, "en", decimals=2)
'0.21'
"""

from __future__ import annotations

import math
import string

from klimafotavtrykk.errors import (
    DataError,
    InputError,
    KlimafotavtrykkError,
    ProfileError,
    UnitError,
)
from klimafotavtrykk.vocabulary import MODULES, REASONS

__all__ = [
    "LANGUAGES",
    "MESSAGES",
    "t",
    "placeholders",
    "check_language",
    "format_number",
    "format_share",
    "reason_text",
    "module_label",
    "column_label",
    "render_error",
    "render_unexpected",
]

#: Languages every message exists in; the first is the default.
LANGUAGES: tuple[str, ...] = ("nb", "en")

_REASONS = {
    "missing_quantity": ("mengde mangler eller er ikke et tall",
                         "quantity is missing or not a number"),
    "lump_sum": ("rund sum (RS): ingen fysisk mengde",
                 "lump sum (RS): no physical quantity"),
    "unknown_unit": ("ukjent enhet", "unknown unit"),
    "no_factor": ("fant ingen utslippsfaktor for linjen",
                  "no emission factor found for the line"),
    "unknown_factor": ("faktor-ID-en finnes ikke i faktortabellen",
                       "factor id is not in the factor table"),
    "incompatible_unit": ("enheten kan ikke regnes om til faktorens enhet",
                          "unit cannot be converted to the factor's unit"),
    "unknown_transport_mode": ("ukjent transportmåte", "unknown transport mode"),
    "out_of_scope": ("bygningsdelen er utenfor profilens omfang",
                     "building part is outside the profile's scope"),
    "missing_building_part": ("bygningsdel mangler, og profilen avgrenser bygningsdeler",
                              "building part is missing, and the profile limits building parts"),
    "indicator_not_accepted": ("faktorens GWP-indikator godtas ikke av profilen",
                               "the factor's GWP indicator is not accepted by the profile"),
}

# Module names as NS-EN 15978 / NS 3720 name the stages (bokmål, English).
_MODULES = {
    "A1-A3": ("Produktfase", "Product stage"),
    "A4": ("Transport til byggeplass", "Transport to site"),
    "A5": ("Bygge- og installasjonsfase", "Construction and installation"),
    "B1": ("Bruk", "Use"),
    "B2": ("Vedlikehold", "Maintenance"),
    "B3": ("Reparasjon", "Repair"),
    "B4": ("Utskifting", "Replacement"),
    "B5": ("Rehabilitering", "Refurbishment"),
    "B6": ("Energibruk i drift", "Operational energy use"),
    "B7": ("Vannbruk i drift", "Operational water use"),
    "C1": ("Riving", "Deconstruction, demolition"),
    "C2": ("Transport til avfallsbehandling", "Transport to waste processing"),
    "C3": ("Avfallsbehandling", "Waste processing"),
    "C4": ("Deponering", "Disposal"),
    "D": ("Nytte og belastning utenfor systemgrensen",
          "Benefits and loads beyond the system boundary"),
}

_COLUMNS = {
    "row_id": ("Linje-ID", "Line id"),
    "source_ref": ("Opprinnelse (fil, ark, celle)", "Origin (file, sheet, cell)"),
    "post_number": ("Postnr.", "Item no."),
    "item_code": ("NS 3420-kode", "NS 3420 code"),
    "description": ("Beskrivelse", "Description"),
    "building_part": ("Bygningsdel (NS 3451)", "Building part (NS 3451)"),
    "quantity": ("Mengde", "Quantity"),
    "unit": ("Enhet", "Unit"),
    "factor_id": ("Faktor-ID", "Factor id"),
    "factor_name": ("Faktor", "Factor"),
    "factor_source": ("Kilde for faktoren", "Factor source"),
    "match_method": ("Koblet via", "Matched by"),
    "declared_quantity": ("Mengde i faktorens enhet", "Quantity in the factor's unit"),
    "declared_unit": ("Faktorens enhet", "Factor's unit"),
    "mass": ("Masse [kg]", "Mass [kg]"),
    "replacements": ("Utskiftinger", "Replacements"),
    "kg_co2e": ("Sum uten D [kg CO2e]", "Total excl. D [kg CO2e]"),
    "reason": ("Årsak", "Reason"),
    "detail": ("Detalj", "Detail"),
    "transport_km": ("Transportavstand [km]", "Transport distance [km]"),
    "transport_mode": ("Transportmåte", "Transport mode"),
    "waste_rate": ("Svinnandel [-]", "Waste rate [-]"),
    "field": ("Felt", "Field"),
    "value": ("Verdi", "Value"),
    "module": ("Modul", "Module"),
    "module_name": ("Fase", "Stage"),
}

# InputError codes raised by the readers and the engine. A code missing here
# falls back to the error's English ``problem`` text.
_INPUT_ERRORS = {
    "file_not_found": ("Fant ikke filen.", "File not found."),
    "empty_file": ("Filen er tom.", "The file is empty."),
    "unreadable_file": ("Filen kan ikke leses.", "The file cannot be read."),
    "not_xlsx": ("Filen er ikke en Excel-arbeidsbok (.xlsx).",
                 "The file is not an Excel workbook (.xlsx)."),
    "not_a_zip": ("Filen er ikke en Excel-arbeidsbok (.xlsx).",
                  "The file is not an Excel workbook (.xlsx)."),
    "unsupported_format": ("Filformatet støttes ikke. Bruk .xlsx eller NS 3459 XML.",
                           "Unsupported file format. Use .xlsx or NS 3459 XML."),
    "legacy_xls": ("Det gamle Excel-formatet (.xls) kan ikke leses. Lagre filen som .xlsx.",
                   "The old Excel format (.xls) cannot be read. Save the file as .xlsx."),
    "encrypted": ("Arbeidsboken er passordbeskyttet. Lagre en kopi uten passord som .xlsx.",
                  "The workbook is password-protected. Save a copy without a password as .xlsx."),
    "file_too_large": ("Filen er for stor til å åpnes trygt.",
                       "The file is too large to open safely."),
    "archive_too_large": ("Filen pakkes ut til mer enn det som er trygt å åpne.",
                          "The file unpacks to more than is safe to open."),
    "too_many_members": ("Arbeidsboken har for mange deler til å åpnes trygt.",
                         "The workbook has too many parts to open safely."),
    "too_many_cells": ("Arbeidsboken har for mange celler til å leses trygt.",
                       "The workbook has too many cells to read safely."),
    "unsafe_member": ("Arbeidsboken inneholder en ugyldig filsti og leses ikke.",
                      "The workbook contains an invalid member path and is not read."),
    "path_traversal": ("Arbeidsboken inneholder en ugyldig filsti og leses ikke.",
                       "The workbook contains an invalid member path and is not read."),
    "xml_entities": ("Filen inneholder XML-entiteter (DOCTYPE/ENTITY) og leses ikke av "
                     "sikkerhetshensyn.",
                     "The file contains XML entity declarations (DOCTYPE/ENTITY) and is not "
                     "read, for safety."),
    "malformed_xml": ("Filen inneholder ugyldig XML.", "The file contains malformed XML."),
    "sheet_not_found": ("Fant ikke arket.", "Sheet not found."),
    "no_header": ("Fant ingen overskriftsrad med kjente kolonnenavn (f.eks. Mengde og Enhet).",
                  "No header row with known column names found (e.g. Quantity and Unit)."),
    "missing_column": ("En påkrevd kolonne mangler.", "A required column is missing."),
    "formula_without_value": ("Cellen har en formel uten lagret verdi. Åpne og lagre filen i "
                              "Excel, så lagres verdien.",
                              "The cell holds a formula without a stored value. Open and save "
                              "the file in Excel to store the value."),
    "bad_waste_rate": ("Svinnandelen må være en andel fra og med 0 til under 1.",
                       "The waste rate must be a share from 0 up to, not including, 1."),
    "bad_transport_km": ("Transportavstanden kan ikke være negativ.",
                         "The transport distance cannot be negative."),
    "bad_path": ("Ugyldig filsti.", "Invalid file path."),
    "not_a_frame": ("Linjene må være en tabell (pandas DataFrame).",
                    "The lines must be a table (pandas DataFrame)."),
    "unknown_language": ("Ukjent språk.", "Unknown language."),
}

_TEXT = {
    # command line
    "cli.description": ("Klimafotavtrykk (kg CO2e per livsløpsmodul, NS 3720 / NS-EN 15978) for "
                        "mengdebeskrivelser.",
                        "Climate footprint (kg CO2e per life-cycle module, NS 3720 / EN 15978) of "
                        "bills of quantities."),
    "cli.usage_prefix": ("bruk: ", "usage: "),
    "cli.error": ("{prog}: feil: {message}", "{prog}: error: {message}"),
    "cli.commands": ("kommandoer", "commands"),
    "cli.command_metavar": ("KOMMANDO", "COMMAND"),
    "cli.options": ("valg", "options"),
    "cli.arguments": ("argumenter", "arguments"),
    "cli.help": ("vis denne hjelpen og avslutt", "show this help and exit"),
    "cli.version": ("vis versjonen og avslutt", "show the version and exit"),
    "cli.lang": ("språk for utskrift og rapport: nb (bokmål, standard) eller en (engelsk)",
                 "language of output and report: nb (bokmål, default) or en (English)"),
    "cli.debug": ("vis hele feilsporet ved uventede feil",
                  "show the full traceback on unexpected errors"),
    "cli.beregn.help": ("beregn klimafotavtrykket til en mengdebeskrivelse",
                        "calculate the climate footprint of a bill of quantities"),
    "cli.beregn.description": ("Leser en mengdebeskrivelse (.xlsx eller NS 3459 XML) og beregner "
                               "utslipp i kg CO2e per livsløpsmodul og bygningsdel.",
                               "Reads a bill of quantities (.xlsx or NS 3459 XML) and calculates "
                               "emissions in kg CO2e per life-cycle module and building part."),
    "cli.file_metavar": ("FIL", "FILE"),
    "cli.file": ("mengdebeskrivelsen (.xlsx eller NS 3459 XML)",
                 "the bill of quantities (.xlsx or NS 3459 XML)"),
    "cli.profile": ("beregningsprofil: {choices}, eller en egen .toml-fil (standard: {default})",
                    "calculation profile: {choices}, or your own .toml file (default: {default})"),
    "cli.profile_metavar": ("PROFIL", "PROFILE"),
    "cli.bta": ("bruttoareal (BTA) i m²; gir kg CO2e per m² BTA per år",
                "gross floor area (BTA) in m²; gives kg CO2e per m² BTA per year"),
    "cli.period": ("analyseperiode i år; overstyrer profilens (påkrevd valg for anlegg etter EN 17472)",
                   "reference study period in years; overrides the profile's (a required choice for civil works under EN 17472)"),
    "cli.period_metavar": ("ÅR", "YEARS"),
    "cli.output": ("skriv rapport som Excel-arbeidsbok til denne filen",
                   "write a report workbook to this file"),
    "cli.output_metavar": ("RAPPORT.xlsx", "REPORT.xlsx"),
    "cli.json": ("skriv resultatet som JSON til standard ut (ingen annen tekst)",
                 "print the result as JSON to standard output (nothing else)"),
    "cli.sheet": ("arket som skal leses (standard: finnes automatisk)",
                  "sheet to read (default: found automatically)"),
    "cli.sheet_metavar": ("ARK", "SHEET"),
    "cli.factors": ("egen faktortabell (CSV eller .xlsx) i samme format som de medfølgende",
                    "your own factor table (CSV or .xlsx) in the shipped schema"),
    "cli.factors_metavar": ("FAKTORER.csv", "FACTORS.csv"),
    "cli.bad_number": ("må være et positivt tall, fikk {value!r}",
                       "must be a positive number, got {value!r}"),
    "cli.bad_profile": ("ukjent profil {value!r}; velg {choices} eller en .toml-fil",
                        "unknown profile {value!r}; choose {choices} or a .toml file"),
    # text output of `beregn`
    "out.title": ("Klimafotavtrykk for {file}", "Climate footprint of {file}"),
    "out.title_sheet": ("Klimafotavtrykk for {file}, ark {sheet}",
                        "Climate footprint of {file}, sheet {sheet}"),
    "out.profile": ("Profil: {title}, analyseperiode {period} år",
                    "Profile: {title}, reference study period {period} years"),
    "out.total": ("Totalt (uten D): {total} kg CO2e", "Total (excl. D): {total} kg CO2e"),
    "out.d": ("Modul D, utenfor totalen: {d} kg CO2e", "Module D, beside the total: {d} kg CO2e"),
    "out.per_m2_year": ("Per m² BTA per år: {value} kg CO2e (BTA {bta} m², {period} år)",
                        "Per m² BTA per year: {value} kg CO2e (BTA {bta} m², {period} years)"),
    "out.lines": ("Beregnede linjer: {computed} av {total}", "Lines computed: {computed} of {total}"),
    "out.by_module": ("Etter livsløpsmodul [kg CO2e]", "By life-cycle module [kg CO2e]"),
    "out.by_part": ("Etter bygningsdel, NS 3451 [kg CO2e]", "By building part, NS 3451 [kg CO2e]"),
    "out.sum": ("Sum uten D", "Total excl. D"),
    "out.part": ("Del", "Part"),
    "out.no_part": ("(ingen)", "(none)"),
    "out.no_lines": ("Ingen linjer ble beregnet.", "No lines were computed."),
    "out.coverage": ("Advarsel: modul {module} er ikke deklarert for {share} av de beregnede "
                     "linjene; summen for {module} kan være for lav.",
                     "Warning: module {module} is not declared for {share} of the computed "
                     "lines; the {module} total may be too low."),
    "out.unmatched": ("Linjer som ikke er beregnet: {n}", "Lines not computed: {n}"),
    "out.unmatched_reason": ("{reason}: {n}", "{reason}: {n}"),
    "out.more": ("… og {n} til", "… and {n} more"),
    "out.report_written": ("Rapport skrevet til {path}", "Report written to {path}"),
    "out.note": ("Merknad: {text}", "Note: {text}"),
    # report workbook
    "sheet.summary": ("Sammendrag", "Summary"),
    "sheet.parts": ("Bygningsdeler", "Building parts"),
    "sheet.lines": ("Linjer", "Lines"),
    "sheet.unmatched": ("Ikke beregnet", "Not computed"),
    "summary.file": ("Fil", "File"),
    "summary.sheet": ("Ark", "Sheet"),
    "summary.file_sha256": ("SHA-256 for fila", "SHA-256 of the file"),
    "summary.profile": ("Profil", "Profile"),
    "summary.profile_key": ("Profilnøkkel", "Profile key"),
    "summary.period": ("Analyseperiode [år]", "Reference study period [years]"),
    "summary.modules": ("Moduler i omfang", "Modules in scope"),
    "summary.total": ("Totalt uten D [kg CO2e]", "Total excl. D [kg CO2e]"),
    "summary.d": ("Modul D, utenfor totalen [kg CO2e]", "Module D, beside the total [kg CO2e]"),
    "summary.bta": ("BTA [m²]", "BTA [m²]"),
    "summary.per_m2_year": ("Per m² BTA per år [kg CO2e/(m² år)]",
                            "Per m² BTA per year [kg CO2e/(m² a)]"),
    "summary.lines": ("Beregnede linjer", "Lines computed"),
    "summary.unmatched": ("Ikke beregnede linjer", "Lines not computed"),
    "summary.coverage": ("Andel linjer med data for {module} [-]",
                         "Share of lines with data for {module} [-]"),
    "summary.version": ("Programversjon (klimafotavtrykk)", "Software version (klimafotavtrykk)"),
    "summary.factor_table": ("Faktortabell", "Factor table"),
    "summary.factor_table_sha256": ("SHA-256 for faktortabellen", "SHA-256 of the factor table"),
    "summary.data_version": ("Dataversjon", "Data version"),
    "summary.indicators": ("GWP-indikatorer brukt", "GWP indicators used"),
    "summary.input_lines": ("Linjer lest inn", "Lines read"),
    "summary.all_parts": ("Sum", "Total"),
    # errors
    "error.input": ("Feil i inndata: {message}", "Input error: {message}"),
    "error.data": ("Feil i datafil: {message}", "Data file error: {message}"),
    "error.profile": ("Feil i profil: {message}", "Profile error: {message}"),
    "error.unit": ("Enhetsfeil: {message}", "Unit error: {message}"),
    "error.other": ("Feil: {message}", "Error: {message}"),
    "error.os": ("Kan ikke bruke filen {file}: {message}", "Cannot use the file {file}: {message}"),
    "error.unexpected": ("Uventet feil ({kind}): {message}. Kjør med --debug for detaljer.",
                         "Unexpected error ({kind}): {message}. Run with --debug for details."),
    "error.interrupted": ("Avbrutt.", "Interrupted."),
    "field.file": ("Fil", "File"),
    "field.sheet": ("Ark", "Sheet"),
    "field.cell": ("Celle", "Cell"),
    "field.expected": ("Forventet", "Expected"),
    "field.found": ("Funnet", "Found"),
    "field.row": ("Rad", "Row"),
    "field.unit": ("Enhet", "Unit"),
}


def _catalogue() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for prefix, table in (("reason.", _REASONS), ("module.", _MODULES), ("column.", _COLUMNS),
                          ("input_error.", _INPUT_ERRORS), ("", _TEXT)):
        for key, texts in table.items():
            out[prefix + key] = dict(zip(LANGUAGES, texts, strict=True))
    return out


#: Every user-facing text: ``MESSAGES[key][lang]``, a :meth:`str.format` template.
MESSAGES: dict[str, dict[str, str]] = _catalogue()


def check_language(lang: str) -> str:
    """Return ``lang`` if it is one of :data:`LANGUAGES`.

    Raises
    ------
    InputError
        With code ``unknown_language`` for any other value.
    """
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}", expected=" or ".join(LANGUAGES),
                         found=str(lang), code="unknown_language")
    return lang


def t(key: str, lang: str = "nb", /, **fields: object) -> str:
    """Text of message ``key`` in ``lang``, with ``fields`` filled in.

    Parameters
    ----------
    key : str
        A key of :data:`MESSAGES`, e.g. ``"reason.lump_sum"``.
    lang : {"nb", "en"}
        Language; bokmål by default.
    **fields
        Values for the template's ``{placeholders}``.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        When ``key`` is not in the catalogue (a programming error).
    InputError
        When ``lang`` is not one of :data:`LANGUAGES`.
    """
    template = MESSAGES[key][check_language(lang)]
    return template.format(**fields) if fields else template


def placeholders(template: str) -> frozenset[str]:
    """Names of the ``{fields}`` a template uses."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template)
                     if name is not None)


def format_number(value: float | None, lang: str = "nb", decimals: int = 0) -> str:
    """A number as a reader of ``lang`` writes it.

    Bokmål groups thousands with a space and uses a decimal comma
    (``1 234 567,8``); English groups with a comma and uses a decimal point
    (``1,234,567.8``). Negative zero after rounding prints as ``0``.

    Parameters
    ----------
    value : float or None
        The number; None or NaN prints as an en dash.
    lang : {"nb", "en"}
    decimals : int
        Digits after the decimal separator.

    Returns
    -------
    str
    """
    check_language(lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    value = float(value)
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    rounded = round(value, decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    text = f"{rounded:,.{decimals}f}"
    if lang == "nb":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", " ")
    return text


def format_share(share: float, lang: str = "nb", decimals: int = 0) -> str:
    """A share in [0, 1] as a percentage: ``25 %`` (bokmål) or ``25%`` (English)."""
    number = format_number(100.0 * share, lang, decimals)
    return f"{number} %" if lang == "nb" else f"{number}%"


def reason_text(reason: str, lang: str = "nb") -> str:
    """Why a line was not computed, for a key of :data:`~klimafotavtrykk.vocabulary.REASONS`.

    An unknown key falls back to its English text in ``REASONS``, or to the key.
    """
    entry = MESSAGES.get(f"reason.{reason}")
    if entry is None:
        return REASONS.get(str(reason), str(reason))
    return entry[check_language(lang)]


def module_label(module: str, lang: str = "nb") -> str:
    """Name of a life-cycle module (``"A4"`` -> ``"Transport til byggeplass"``)."""
    entry = MESSAGES.get(f"module.{module}")
    return entry[check_language(lang)] if entry else str(module)


def column_label(column: str, lang: str = "nb") -> str:
    """Header for a column of a result frame; module columns get ``[kg CO2e]``."""
    if column in MODULES:
        return f"{column} [kg CO2e]"
    entry = MESSAGES.get(f"column.{column}")
    return entry[check_language(lang)] if entry else str(column)


def _fields(lang: str, pairs: list[tuple[str, object]]) -> str:
    shown = [(t(f"field.{name}", lang), value) for name, value in pairs
             if value is not None and value != ""]
    if not shown:
        return ""
    width = max(len(label) for label, _ in shown) + 1
    return "".join(f"\n  {label + ':':<{width}} {value}" for label, value in shown)


def render_error(exc: BaseException, lang: str = "nb") -> str:
    """An error as the user reads it, with where it happened.

    Parameters
    ----------
    exc : BaseException
        :class:`~klimafotavtrykk.errors.InputError` (translated through its
        ``code``; an unknown code shows the English ``problem``, then file,
        sheet, cell, expected and found), :class:`~klimafotavtrykk.errors.DataError`
        (file and row), :class:`~klimafotavtrykk.errors.UnitError` (unit),
        :class:`OSError` (file and reason) or anything else (short text).
    lang : {"nb", "en"}

    Returns
    -------
    str
        One headline, then one indented line per known field; no traceback.
    """
    check_language(lang)
    if isinstance(exc, InputError):
        entry = MESSAGES.get(f"input_error.{exc.code}") if exc.code else None
        message = entry[lang] if entry else exc.problem
        found = exc.found if exc.found is None else repr(exc.found)
        return t("error.input", lang, message=message) + _fields(lang, [
            ("file", exc.file), ("sheet", exc.sheet), ("cell", exc.cell),
            ("expected", exc.expected), ("found", found)])
    if isinstance(exc, ProfileError):
        return t("error.profile", lang, message=exc.problem) + _fields(lang, [("file", exc.file)])
    if isinstance(exc, DataError):
        return t("error.data", lang, message=exc.problem) + _fields(
            lang, [("file", exc.file), ("row", exc.row)])
    if isinstance(exc, UnitError):
        return t("error.unit", lang, message=exc.problem) + _fields(lang, [("unit", exc.unit)])
    if isinstance(exc, KlimafotavtrykkError):
        return t("error.other", lang, message=str(exc))
    if isinstance(exc, OSError):
        return t("error.os", lang, file=exc.filename or "", message=exc.strerror or str(exc))
    return render_unexpected(exc, lang)


def render_unexpected(exc: BaseException, lang: str = "nb") -> str:
    """Short text for an error the library did not raise on purpose."""
    message = str(exc).splitlines()[0] if str(exc) else ""
    return t("error.unexpected", lang, kind=type(exc).__name__, message=message)
