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
    # NS 3459 XML
    "not_xml": ("Filen er ikke XML. Et NS 3459-dokument begynner med <?xml … ?>.",
                "The file is not XML. An NS 3459 document starts with <?xml … ?>."),
    "truncated": ("Filen slutter midt i dokumentet (avkortet). Be om en ny kopi.",
                  "The file ends in the middle of the document (truncated). Ask for a new copy."),
    "wrong_root": ("Dokumentet er ikke en NS 3459 Prisforesporsel eller Pristilbud.",
                   "The document is not an NS 3459 Prisforesporsel or Pristilbud."),
    "wrong_namespace": ("Dokumentet bruker ikke NS 3459-navnerommet http://www.standard.no/ns3459.",
                        "The document does not use the NS 3459 namespace http://www.standard.no/ns3459."),
    "multiple_documents": ("Filen inneholder mer enn ett dokument.",
                           "The file holds more than one document."),
    "too_many_elements": ("Filen har flere XML-elementer enn grensen for sikker lesing.",
                          "The file has more XML elements than the limit for safe reading."),
    "too_many_posts": ("Filen har flere poster enn grensen for sikker lesing.",
                       "The file has more posts than the limit for safe reading."),
    "xml_too_deep": ("XML-strukturen er nestet dypere enn grensen for sikker lesing.",
                     "The XML is nested deeper than the limit for safe reading."),
    "text_too_long": ("En tekst i filen er lengre enn grensen for sikker lesing.",
                      "A text in the file is longer than the limit for safe reading."),
    "unknown_option": ("Opsjonen finnes ikke i filen.", "The option is not in the file."),
    "bad_options": ("Ugyldig valg av opsjoner: bruk «main», «all» eller en liste med opsjoner.",
                    "Invalid choice of options: use 'main', 'all' or a list of option ids."),
    # reader parameters
    "bad_limits": ("Ugyldige grenser for lesing.", "Invalid reading limits."),
    "bad_locale": ("Ukjent tallformat; bruk nb-NO.", "Unknown number format; use nb-NO."),
    "bad_header_row": ("Ugyldig overskriftsrad: oppgi et radnummer fra 1.",
                       "Invalid header row: give a row number from 1."),
    # engine, alternatives and plots
    "bad_thickness": ("Tykkelsen må være et positivt tall (meter).",
                      "The thickness must be a positive number (metres)."),
    "unknown_carrier": ("Ukjent energibærer for driftsenergi (B6).",
                        "Unknown energy carrier for operational energy (B6)."),
    "bad_energy_use": ("Energibruken for driftsenergi (B6) må være et tall ≥ 0 kWh per år.",
                       "The energy use for operational energy (B6) must be a number ≥ 0 kWh per year."),
    "bad_energy_series": ("En årlig faktorserie for driftsenergi (B6) må ha én verdi per år i "
                          "analyseperioden.",
                          "A yearly factor series for operational energy (B6) needs one value per "
                          "year of the study period."),
    "bad_area": ("Bruttoarealet (BTA) må være et positivt tall i m².",
                 "The gross area (BTA) must be a positive number in m²."),
    "unknown_factor": ("Utslippsfaktoren finnes ikke i faktortabellen.",
                       "The emission factor is not in the factor table."),
    "no_selection": ("Oppgi minst ett utvalg: faktor, bygningsdel, NS 3420-kode eller beskrivelse.",
                     "Give at least one selection: factor, building part, NS 3420 code or description."),
    "no_alternatives": ("Ingen alternativer å sammenligne.", "No alternatives to compare."),
    "unknown_reference": ("Referansen er ikke blant alternativene.",
                          "The reference is not among the alternatives."),
    "unknown_alternative": ("Alternativet finnes ikke i sammenligningen.",
                            "The alternative is not in the comparison."),
    "missing_bta": ("Bruttoareal (BTA) mangler; det trengs for kg CO2e per m².",
                    "Gross area (BTA) is missing; it is needed for kg CO2e per m²."),
    "not_a_result": ("Forventet et beregningsresultat (Assessment).",
                     "Expected a calculation result (Assessment)."),
    "nothing_to_plot": ("Ingenting å vise.", "Nothing to plot."),
    "bad_frame": ("Tabellen har ikke kolonnene som trengs.", "The table lacks the columns needed."),
    "bad_option": ("Ugyldig valg.", "Invalid option."),
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
    "sheet.site": ("Byggeplass", "Site"),
    "out.other.site": ("Byggeplass", "Site"),
    "out.other.mass_transport": ("Massetransport", "Mass transport"),
    "out.other.operational_energy": ("Driftsenergi", "Operational energy"),
    "out.site": ("Byggeplass (A5 energi og maskiner): {a5} kg CO2e; massetransport til og fra: {transport} kg CO2e",
                 "Site (A5 energy and machinery): {a5} kg CO2e; mass transport to and from: {transport} kg CO2e"),
    "out.site_shares": ("Utslippsfri andel: {energy} av energien, {hours} av maskintimene, {count} av maskinene",
                        "Emission-free share: {energy} of the energy, {hours} of machine hours, {count} of machines"),
    "out.site_counted": ("Byggeplassen er regnet med i totalen (A5, massetransport i A4).",
                         "The site is counted in the total (A5, mass transport in A4)."),
    "out.site_not_counted": ("Byggeplassen er ikke med i totalen: profilen teller bare materialer og byggavfall.",
                             "The site is not in the total: the profile counts materials and site waste only."),
    "out.site_unmatched": ("Byggeplass: {n} rader ikke beregnet (se rapporten).",
                           "Site: {n} rows not computed (see the report)."),
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


# Error codes of the scoring core and the competition file (scoring/, competition.py).
# "{problem}" repeats the English problem text, which names the parameter or key.
_SCORING_ERRORS = {
    "scoring.non_positive_best": ("Beste verdi blant gyldige tilbud er null eller negativ; "
                                  "relative poengmodeller kan ikke brukes.",
                                  "The best value among valid bids is zero or negative; relative "
                                  "point models cannot be used."),
    "scoring.non_positive_reference": ("Referanseverdien for reduksjon må være positiv.",
                                       "The reference for a reduction must be positive."),
    "scoring.bad_share": ("En andel må ligge mellom 0 og 1.", "A share must lie between 0 and 1."),
    "scoring.bad_choice": ("Ukjent valg.", "Unknown choice."),
    "scoring.invalid_rule": ("Ugyldig evalueringsregel: {problem}", "Invalid scoring rule: {problem}"),
    "scoring.not_series": ("Verdiene må være en tabell per tilbyder.",
                           "The values must be a table per bidder."),
    "scoring.bidders_differ": ("Verdiene gjelder ikke de samme tilbyderne.",
                               "The values do not cover the same bidders."),
    "scoring.duplicate_bidder": ("Samme tilbyder finnes to ganger.", "A bidder appears twice."),
    "scoring.missing_input": ("Evalueringsregelen trenger en verdi som mangler: {problem}",
                              "The scoring rule needs a value that is missing: {problem}"),
    "scoring.duplicate_limit": ("En produktgrense er oppgitt to ganger.",
                                "A product limit is given twice."),
    "competition.unreadable": ("Konkurransefilen kan ikke leses: {problem}",
                               "The competition file cannot be read: {problem}"),
    "competition.invalid": ("Feil i konkurransefilen: {problem}",
                            "Error in the competition file: {problem}"),
    "tender.no_bids": ("Fant ingen tilbudsfiler.", "No bid files found."),
    "tender.bad_values": ("Verdiene må gis per tilbudsfil eller tilbyder: {problem}",
                          "Values must be given per bid file or bidder: {problem}"),
}

# Codes of scoring.EXPLANATIONS, as the evaluation shows them.
_EXPLANATIONS = {
    "invalid_emissions": ("utslipp mangler, er ikke et tall eller er negative: tilbudet avvist",
                          "emissions missing, not a number or negative: bid rejected"),
    "missing_price": ("pris mangler eller er ikke positiv: tilbudet avvist",
                      "price missing or not positive: bid rejected"),
    "missing_quality": ("kvalitetspoeng mangler: tilbudet avvist",
                        "quality points missing: bid rejected"),
    "missing_zero_emission_share": ("andel utslippsfri energi på byggeplass mangler: tilbudet avvist",
                                    "share of emission-free site energy missing: bid rejected"),
    "frame_exceeded": ("utslipp per m² BTA over konkurransens utslippsramme: tilbudet avvist",
                       "emissions per m² BTA above the competition's frame: bid rejected"),
    "zero_emission_share_below_minimum": ("andel utslippsfri energi under minstekravet: tilbudet avvist",
                                          "emission-free share below the minimum: bid rejected"),
    "product_limit_exceeded": ("et produkts A1–A3 overskrider grenseverdien: tilbudet avvist",
                               "a product's A1-A3 exceeds its limit: bid rejected"),
    "product_limit_unit_mismatch": ("et produkt med grenseverdi er deklarert i en annen enhet enn "
                                    "grensen: tilbudet avvist",
                                    "a limited product is declared in another unit than the "
                                    "limit: bid rejected"),
    "best_climate": ("beste klimaverdi blant gyldige tilbud", "best climate value among valid bids"),
    "best_price": ("laveste evaluerte pris blant gyldige tilbud",
                   "lowest evaluated price among valid bids"),
    "negative_points": ("lineær modell ga negative poeng (tillatt, KOFA 2015/60)",
                        "linear model gave negative points (allowed, KOFA 2015/60)"),
    "points_clipped_at_zero": ("lineær modell ville gitt negative poeng; satt til 0 etter regelen",
                               "linear model would give negative points; clipped at 0 by the rule"),
    "co2_addon": ("CO2-pristillegg lagt til evaluert pris", "CO2-price add-on added to the evaluated price"),
    "tie_emissions": ("lik totalscore som et annet tilbud: lavest utslipp rangeres først",
                      "equal total as another bid: lower emissions rank first"),
    "tie_bidder": ("lik totalscore og like utslipp som et annet tilbud: filnavnet avgjør",
                   "equal total and emissions as another bid: the file name decides"),
}

# What the evaluation found on a bid line or a bid file (tender.py).
_FINDINGS = {
    "expired_epd": ("EPD-en var utløpt på tilbudsfristen: regnet som generisk med påslag",
                    "the EPD had expired at the tender date: counted as generic with markup"),
    "uncommitted": ("ikke forpliktende: evaluert med generisk verdi med påslag (KOFA 2024/1940)",
                    "not committed: evaluated with the generic value and markup (KOFA 2024/1940)"),
    "uncommitted_site": ("ikke forpliktende: evaluert som fossil diesel (KOFA 2024/1940)",
                         "not committed: evaluated as fossil diesel (KOFA 2024/1940)"),
    "missing_epd_id": ("GWP-verdi uten EPD-nummer: generisk verdi brukt",
                       "GWP value without an EPD number: generic value used"),
    "missing_epd_value": ("EPD-nummer uten GWP-verdi eller deklarert enhet: generisk verdi brukt",
                          "EPD number without a GWP value or declared unit: generic value used"),
    "unknown_epd_unit": ("ukjent deklarert enhet i EPD-en: generisk verdi brukt",
                         "unknown declared unit of the EPD: generic value used"),
    "epd_not_usable": ("EPD-verdien kan ikke brukes på linjen: generisk verdi brukt",
                       "the EPD value cannot be used on the line: generic value used"),
    "not_computed": ("linjen er ikke beregnet", "the line is not computed"),
    "site_not_computed": ("byggeplasslinjen er ikke beregnet", "the site line is not computed"),
    "bad_dataset_type": ("ukjent datasettype", "unknown dataset type"),
    "bad_date": ("ugyldig dato", "invalid date"),
    "bad_committed": ("forpliktende må være ja eller nei", "committed must be yes or no"),
    "unknown_site_unit": ("ukjent enhet på byggeplasslinje", "unknown unit on a site line"),
    "reader": ("merknad fra innlesingen av cellen", "note from reading the cell"),
    "rejected_file": ("filen kunne ikke leses: tilbudet avvist", "the file could not be read: bid rejected"),
    "gate": ("tilbudet avvist av et krav", "bid rejected by a requirement"),
}

_TENDER = {
    # bid template
    "bid.sheet.guide": ("Veiledning", "Instructions"),
    "bid.sheet.materials": ("Materialer", "Materials"),
    "bid.sheet.site": ("Byggeplass", "Site"),
    "bid.sheet.declaration": ("Erklæring", "Declaration"),
    "bid.header.post_number": ("Postnr.", "Item no."),
    "bid.header.item_code": ("NS 3420-kode", "NS 3420 code"),
    "bid.header.building_part": ("Bygningsdel (NS 3451)", "Building part (NS 3451)"),
    "bid.header.description": ("Beskrivelse", "Description"),
    "bid.header.quantity": ("Mengde", "Quantity"),
    "bid.header.unit": ("Enhet", "Unit"),
    "bid.header.thickness_mm": ("Tykkelse (mm)", "Thickness (mm)"),
    "bid.header.product": ("Produkt", "Product"),
    "bid.header.epd_id": ("EPD-nummer", "EPD number"),
    "bid.header.epd_declared_unit": ("EPD deklarert enhet", "EPD declared unit"),
    "bid.header.epd_gwp_a1a3": ("GWP A1-A3 per deklarert enhet [kg CO2e]",
                                "GWP A1-A3 per declared unit [kg CO2e]"),
    "bid.header.dataset_type": ("Datasettype", "Dataset type"),
    "bid.header.epd_valid_until": ("EPD gyldig til", "EPD valid until"),
    "bid.header.mass_per_unit": ("Vekt per mengdeenhet [kg]", "Mass per quantity unit [kg]"),
    "bid.header.transport_km": ("Transportavstand [km]", "Transport distance [km]"),
    "bid.header.transport_mode": ("Transportmåte", "Transport mode"),
    "bid.header.waste_rate": ("Svinnandel [-]", "Waste rate [-]"),
    "bid.header.committed": ("Forpliktende (ja/nei)", "Committed (yes/no)"),
    "bid.header.category": ("Kategori", "Category"),
    "bid.header.activity": ("Aktivitet", "Activity"),
    "bid.header.machine": ("Maskin (type, reg.nr.)", "Machine (type, reg. no.)"),
    "bid.header.machine_class": ("Maskinklasse", "Machine class"),
    "bid.header.carrier": ("Energibærer", "Energy carrier"),
    "bid.header.rated_power_kw": ("Merkeeffekt [kW]", "Rated power [kW]"),
    "bid.header.vehicle_class": ("Kjøretøyklasse (massetransport)", "Vehicle class (mass transport)"),
    "bid.hint.list": ("Velg fra listen.", "Choose from the list."),
    "bid.hint.number": ("Et tall, 0 eller større.", "A number, 0 or more."),
    "bid.hint.share": ("En andel fra 0 til 0,99 (0,05 = 5 %).", "A share from 0 to 0.99 (0.05 = 5%)."),
    "bid.hint.date": ("En dato (åååå-mm-dd).", "A date (yyyy-mm-dd)."),
    "bid.hint.text": ("Fritekst.", "Free text."),
    "bid.yes": ("ja", "yes"),
    "bid.no": ("nei", "no"),
    "bid.dataset_type.product_epd": ("produkt-EPD", "product EPD"),
    "bid.dataset_type.industry_epd": ("bransje-EPD", "industry EPD"),
    "bid.dataset_type.generic": ("generisk", "generic"),
    "bid.site_unit.l": ("l", "l"),
    "bid.site_unit.kwh": ("kWh", "kWh"),
    "bid.site_unit.nm3": ("Nm3", "Nm3"),
    "bid.site_unit.kg": ("kg", "kg"),
    "bid.site_unit.hours": ("timer", "hours"),
    "bid.site_unit.tkm": ("tonnkm", "tonne-km"),
    "bid.category.machine": ("maskin", "machine"),
    "bid.category.heating": ("oppvarming og tørking", "heating and drying"),
    "bid.category.mass_transport": ("massetransport", "mass transport"),
    "bid.category.other": ("annet energibruk", "other energy use"),
    "bid.declaration.title": ("Erklæring fra tilbyder", "Declaration by the bidder"),
    "bid.declaration.bidder": ("Tilbyder", "Bidder"),
    "bid.declaration.org_number": ("Organisasjonsnummer", "Organisation number"),
    "bid.declaration.date": ("Dato", "Date"),
    "bid.declaration.price_nok": ("Tilbudssum eks. mva. [NOK]", "Offered price excl. VAT [NOK]"),
    "bid.declaration.note": ("Vi bekrefter at linjene merket forpliktende blir en del av kontrakten.",
                             "We confirm that the lines marked committed become part of the contract."),
    "bid.guide.title": ("Klimaskjema for tilbud", "Bid climate workbook"),
    "bid.guide.1": ("Skjemaet er en del av tilbudet. Fyll ut arkene Materialer, Byggeplass og "
                    "Erklæring, og lever det som .xlsx (ikke .xls og ikke PDF).",
                    "This workbook is part of the bid. Fill in the sheets Materials, Site and "
                    "Declaration, and return it as .xlsx (not .xls and not PDF)."),
    "bid.guide.2": ("Overskriftsradene er låst. Ikke endre overskrifter, arknavn eller rekkefølgen på "
                    "kolonnene. Nye linjer føres under de forhåndsutfylte.",
                    "The header rows are locked. Do not change headers, sheet names or the order of "
                    "the columns. Add new lines below the pre-filled ones."),
    "bid.guide.3": ("Materialer: mengdene er oppdragsgiverens. Oppgi for hver linje produkt, "
                    "EPD-nummer (f.eks. NEPD-434-305-EN), EPD-ens deklarerte enhet og GWP for "
                    "A1-A3 i kg CO2e per deklarert enhet, slik EPD-en oppgir det.",
                    "Materials: the quantities are the client's. For each line give the product, "
                    "the EPD number (e.g. NEPD-434-305-EN), the EPD's declared unit and the GWP of "
                    "A1-A3 in kg CO2e per declared unit, as the EPD states it."),
    "bid.guide.4": ("Datasettype er produkt-EPD, bransje-EPD eller generisk. «EPD gyldig til» er "
                    "utløpsdatoen i EPD-en: en EPD som er utløpt på tilbudsfristen, regnes som "
                    "generisk data med påslag.",
                    "Dataset type is product EPD, industry EPD or generic. 'EPD valid until' is the "
                    "expiry date in the EPD: an EPD expired at the tender date counts as generic "
                    "data with a markup."),
    "bid.guide.5": ("Vekt per mengdeenhet [kg] trengs når EPD-en er deklarert i en annen enhet enn "
                    "mengden (f.eks. mengde i m3 og EPD per tonn): oppgi kg per m3, m2, m eller stk.",
                    "Mass per quantity unit [kg] is needed when the EPD is declared in another unit "
                    "than the quantity (e.g. quantity in m3, EPD per tonne): give kg per m3, m2, m "
                    "or piece."),
    "bid.guide.6": ("Linjer uten EPD-verdi beregnes med generiske verdier med påslag. "
                    "Transportavstand, transportmåte og svinnandel (0,05 = 5 %) kan oppgis; tomme "
                    "felt gir standardverdier.",
                    "Lines without an EPD value are computed with generic values and a markup. "
                    "Transport distance, transport mode and waste rate (0.05 = 5%) may be given; "
                    "empty fields take default values."),
    "bid.guide.7": ("Forpliktende (ja/nei): bare det dere forplikter dere til i kontrakten, gir "
                    "uttelling. En linje som ikke er merket ja, evalueres med generisk verdi med "
                    "påslag (KOFA 2024/1940).",
                    "Committed (yes/no): only what you commit to in the contract earns points. A "
                    "line not marked yes is evaluated with the generic value and markup "
                    "(KOFA 2024/1940)."),
    "bid.guide.8": ("Byggeplass: én linje per maskin, oppvarmings- eller tørkeløsning og "
                    "massetransport. Oppgi energibærer og mengde med enhet: l, kWh, Nm3, kg, timer "
                    "eller tonnkm.",
                    "Site: one line per machine, heating or drying solution and mass transport. "
                    "Give the energy carrier and the amount with its unit: l, kWh, Nm3, kg, hours "
                    "or tonne-km."),
    "bid.guide.9": ("Oppgis timer, må merkeeffekt [kW] og maskinklasse oppgis; forbruket beregnes da "
                    "fra effekt, lastfaktor og spesifikt forbruk. For massetransport oppgis tonnkm "
                    "og kjøretøyklasse.",
                    "For hours, give the rated power [kW] and the machine class; consumption is "
                    "then computed from power, load factor and specific consumption. For mass "
                    "transport give tonne-km and the vehicle class."),
    "bid.guide.10": ("En maskin eller løsning som ikke er merket forpliktende, evalueres som om den "
                     "går på fossil diesel.",
                     "A machine or solution not marked committed is evaluated as if it ran on "
                     "fossil diesel."),
    "bid.guide.11": ("Erklæring: tilbyderens navn, organisasjonsnummer, dato og tilbudssum eks. "
                     "mva. i NOK.",
                     "Declaration: the bidder's name, organisation number, date and offered price "
                     "excl. VAT in NOK."),
    "bid.guide.12": ("Oppdragsgiveren kontrollerer EPD-ene mot tilbudsfristen og kan be om "
                     "dokumentasjon. Hvert tall i evalueringen spores til ark og celle i dette "
                     "skjemaet.",
                     "The client checks the EPDs against the tender date and may ask for the "
                     "documents. Every number in the evaluation is traced to a sheet and cell of "
                     "this workbook."),
    # evaluation workbook
    "eval.sheet.summary": ("Sammendrag", "Summary"),
    "eval.sheet.ranking": ("Rangering", "Ranking"),
    "eval.sheet.points": ("Poeng", "Points"),
    "eval.sheet.lines": ("Linjer", "Lines"),
    "eval.sheet.findings": ("Avvist og nedgradert", "Rejected and downgraded"),
    "eval.sheet.parameters": ("Parametre og kilder", "Parameters and sources"),
    "eval.competition": ("Konkurranse", "Competition"),
    "eval.competition_file": ("Konkurransefil", "Competition file"),
    "eval.profile": ("Profil", "Profile"),
    "eval.tender_date": ("Tilbudsfrist", "Tender date"),
    "eval.bta": ("BTA [m²]", "BTA [m²]"),
    "eval.period": ("Analyseperiode [år]", "Reference study period [years]"),
    "eval.climate_model": ("Poengmodell klima", "Climate point model"),
    "eval.basis": ("Grunnlag", "Basis"),
    "eval.nominal_weight": ("Nominell vekt {criterion} [-]", "Nominal weight {criterion} [-]"),
    "eval.effective_weight": ("Effektiv vekt {criterion} [-]", "Effective weight {criterion} [-]"),
    "eval.effective_climate_weight": ("Effektiv klimavekt [-]", "Effective climate weight [-]"),
    "eval.min_climate_weight": ("Minste klimavekt (anskaffelsesforskriften § 7-9) [-]",
                                "Least climate weight (anskaffelsesforskriften § 7-9) [-]"),
    "eval.weight_warning": ("Advarsel: den effektive klimavekten {weight} er under {minimum} "
                            "(anskaffelsesforskriften § 7-9).",
                            "Warning: the effective climate weight {weight} is below {minimum} "
                            "(anskaffelsesforskriften § 7-9)."),
    "eval.bids": ("Tilbud lest", "Bids read"),
    "eval.ranked": ("Tilbud rangert", "Bids ranked"),
    "eval.rejected": ("Tilbud avvist", "Bids rejected"),
    "eval.downgraded": ("Linjer nedgradert", "Lines downgraded"),
    "eval.version": ("Programversjon (klimafotavtrykk)", "Software version (klimafotavtrykk)"),
    "eval.warning": ("Merknad", "Note"),
    "eval.criterion.price": ("pris", "price"),
    "eval.criterion.quality": ("kvalitet", "quality"),
    "eval.criterion.climate": ("klima", "climate"),
    "eval.col.rank": ("Rang", "Rank"),
    "eval.col.file": ("Fil", "File"),
    "eval.col.bidder": ("Tilbyder", "Bidder"),
    "eval.col.org_number": ("Org.nr.", "Org. no."),
    "eval.col.status": ("Status", "Status"),
    "eval.col.total": ("Totalpoeng", "Total points"),
    "eval.col.points_price": ("Poeng pris", "Points price"),
    "eval.col.points_quality": ("Poeng kvalitet", "Points quality"),
    "eval.col.points_climate": ("Poeng klima", "Points climate"),
    "eval.col.weighted_price": ("Vektet pris", "Weighted price"),
    "eval.col.weighted_quality": ("Vektet kvalitet", "Weighted quality"),
    "eval.col.weighted_climate": ("Vektet klima", "Weighted climate"),
    "eval.col.kg_co2e": ("Evaluert utslipp [kg CO2e]", "Evaluated emissions [kg CO2e]"),
    "eval.col.kg_co2e_claimed": ("Oppgitt utslipp [kg CO2e]", "Claimed emissions [kg CO2e]"),
    "eval.col.kg_co2e_per_m2": ("Evaluert utslipp [kg CO2e/m² BTA]",
                                "Evaluated emissions [kg CO2e/m² BTA]"),
    "eval.col.site_kg_co2e": ("Byggeplass A5 energi [kg CO2e]", "Site A5 energy [kg CO2e]"),
    "eval.col.mass_transport_kg_co2e": ("Massetransport [kg CO2e]", "Mass transport [kg CO2e]"),
    "eval.col.zero_emission_share": ("Andel utslippsfri energi [-]", "Emission-free share [-]"),
    "eval.col.price_nok": ("Tilbudssum [NOK]", "Offered price [NOK]"),
    "eval.col.co2_addon_nok": ("CO2-tillegg [NOK]", "CO2 add-on [NOK]"),
    "eval.col.evaluated_price_nok": ("Evaluert pris [NOK]", "Evaluated price [NOK]"),
    "eval.col.explanation": ("Forklaring", "Explanation"),
    "eval.col.n_downgraded": ("Nedgraderte linjer", "Downgraded lines"),
    "eval.col.n_not_computed": ("Ikke beregnede linjer", "Lines not computed"),
    "eval.col.sha256": ("SHA-256 for fila", "SHA-256 of the file"),
    "eval.col.kind": ("Hva", "What"),
    "eval.col.reason": ("Årsak", "Reason"),
    "eval.col.detail": ("Detalj", "Detail"),
    "eval.col.source_ref": ("Opprinnelse (fil, ark, celle)", "Origin (file, sheet, cell)"),
    "eval.col.line_status": ("Linjestatus", "Line status"),
    "eval.col.dataset_type": ("Datasettype", "Dataset type"),
    "eval.col.epd_id": ("EPD-nummer", "EPD number"),
    "eval.col.committed": ("Forpliktende", "Committed"),
    "eval.col.parameter": ("Parameter", "Parameter"),
    "eval.col.sheet": ("Ark", "Sheet"),
    "eval.col.product": ("Produkt / maskin", "Product / machine"),
    "eval.col.value": ("Verdi", "Value"),
    "eval.col.source": ("Kilde", "Source"),
    "eval.col.note": ("Merknad", "Note"),
    "eval.status.ranked": ("rangert", "ranked"),
    "eval.status.rejected": ("avvist", "rejected"),
    "eval.line.epd": ("EPD", "EPD"),
    "eval.line.generic": ("generisk", "generic"),
    "eval.line.fallback": ("nedgradert til generisk", "downgraded to generic"),
    "eval.line.not_computed": ("ikke beregnet", "not computed"),
    "eval.line.epd_generic": ("EPD utløpt: generisk med påslag", "EPD expired: generic with markup"),
    "eval.line.site": ("byggeplass", "site"),
    # command line: anbud
    "cli.anbud.help": ("klimakriterium i anbud: lag klimaskjema og evaluer tilbud",
                       "climate criterion in tenders: make the bid workbook and score bids"),
    "cli.anbud.description": ("Klimaskjema for tilbydere og evaluering av innleverte tilbud.",
                              "Bid climate workbook for bidders and scoring of returned bids."),
    "cli.anbud.mal.help": ("skriv klimaskjemaet som legges ved konkurransen",
                           "write the bid climate workbook attached to the tender"),
    "cli.anbud.mal.description": ("Skriver klimaskjemaet (Excel) som tilbyderne fyller ut. Med "
                                  "--mengder forhåndsutfylles mengdene fra mengdebeskrivelsen.",
                                  "Writes the bid climate workbook (Excel) that bidders fill in. "
                                  "With --mengder the quantities are pre-filled from the bill of "
                                  "quantities."),
    "cli.anbud.mal.output": ("filen som skal skrives (standard: klimaskjema.xlsx)",
                             "file to write (default: klimaskjema.xlsx)"),
    "cli.anbud.mal.mengder": ("mengdebeskrivelse (.xlsx eller NS 3459 XML) som forhåndsutfyller "
                              "materialarket", "bill of quantities (.xlsx or NS 3459 XML) that "
                              "pre-fills the materials sheet"),
    "cli.anbud.score.help": ("evaluer og ranger innleverte klimaskjemaer",
                             "score and rank returned bid workbooks"),
    "cli.anbud.score.description": ("Leser alle tilbud i mappen, beregner, kontrollerer og "
                                    "rangerer dem etter konkurransefilen, og skriver "
                                    "evalueringen.",
                                    "Reads every bid in the folder, computes, checks and ranks "
                                    "them by the competition file, and writes the evaluation."),
    "cli.anbud.score.competition": ("konkurransefilen (konkurranse.toml)",
                                    "the competition file (konkurranse.toml)"),
    "cli.anbud.score.bids": ("mappe med tilbud (.xlsx), eller tilbudsfiler",
                             "folder of bids (.xlsx), or bid files"),
    "cli.anbud.score.output": ("skriv evalueringen som Excel-arbeidsbok til denne filen",
                               "write the evaluation workbook to this file"),
    "cli.anbud.score.workers": ("antall parallelle prosesser (standard: 1, ingen parallellisering)",
                                "number of parallel worker processes (default: 1, no parallelism)"),
    "cli.anbud.score.quality": ("CSV med kvalitetspoeng per tilbudsfil (kolonner fil,poeng)",
                                "CSV of quality points per bid file (columns file,points)"),
    "cli.anbud.score.no_lines": ("utelat linjearket (raskere for mange tilbud)",
                                 "leave out the lines sheet (faster for many bids)"),
    "cli.competition_metavar": ("KONKURRANSE.toml", "COMPETITION.toml"),
    "cli.bids_metavar": ("TILBUD", "BIDS"),
    "cli.out.progress": ("Leser tilbud {done}/{total}: {file}", "Reading bid {done}/{total}: {file}"),
    "cli.out.template_written": ("Klimaskjema skrevet til {path}", "Bid workbook written to {path}"),
    "cli.out.evaluation_title": ("Evaluering: {name}", "Evaluation: {name}"),
    "cli.out.ranking": ("Rangering", "Ranking"),
    "cli.out.rank_line": ("{rank}. {bidder} ({file}): {total} poeng, {kg} kg CO2e",
                          "{rank}. {bidder} ({file}): {total} points, {kg} kg CO2e"),
    "cli.out.rejected_line": ("Avvist: {bidder} ({file}): {reason}",
                              "Rejected: {bidder} ({file}): {reason}"),
    "cli.out.effective_weight": ("Effektiv klimavekt: {weight} (nominell {nominal})",
                                 "Effective climate weight: {weight} (nominal {nominal})"),
    "cli.out.downgraded": ("Nedgraderte linjer: {n} (se arket «{sheet}»)",
                           "Downgraded lines: {n} (see the sheet '{sheet}')"),
    "cli.out.evaluation_written": ("Evaluering skrevet til {path}", "Evaluation written to {path}"),
}


def _catalogue() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for prefix, table in (("reason.", _REASONS), ("module.", _MODULES), ("column.", _COLUMNS),
                          ("input_error.", _INPUT_ERRORS), ("input_error.", _SCORING_ERRORS),
                          ("explanation.", _EXPLANATIONS), ("finding.", _FINDINGS),
                          ("", _TEXT), ("", _TENDER)):
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
        if entry and "{problem}" in message:  # the English problem names the key or parameter
            message = message.format(problem=exc.problem)
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
