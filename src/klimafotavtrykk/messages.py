"""User-facing text in Norwegian bokmål and English.

Everything a user reads from the command line, in a workbook or on a figure
comes from :data:`MESSAGES`: reason texts for unmatched lines, module and
column labels, error texts, the CLI's own words and plot labels. Code,
identifiers and the ``problem`` text of exceptions stay English; this module
translates them through stable keys (``InputError.code``, keys of
:data:`klimafotavtrykk.vocabulary.REASONS`).

The texts are data, not code: ``data/messages/*.csv`` with the columns
``key,nb,en`` (see the README there). ``MESSAGES[key][lang]`` is a
:meth:`str.format` template; the files are read with the :mod:`csv` module
on first use and cached. This module imports nothing heavy: the CLI loads it
before numpy or pandas.

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

import csv
import functools
import math
import string
from typing import TYPE_CHECKING

from klimafotavtrykk._data import data_path
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
    "printable",
    "placeholders",
    "check_language",
    "format_number",
    "format_share",
    "reason_text",
    "HINT_FIELDS",
    "hint_text",
    "module_label",
    "column_label",
    "part_label",
    "render_error",
    "render_unexpected",
]

#: Languages every message exists in; the first is the default.
LANGUAGES: tuple[str, ...] = ("nb", "en")

if TYPE_CHECKING:
    #: Every user-facing text: ``MESSAGES[key][lang]``, a :meth:`str.format` template.
    #: Read from ``data/messages/*.csv`` on first access (see :func:`__getattr__`).
    MESSAGES: dict[str, dict[str, str]]

#: Folder of the text files, relative to the shipped data.
_FOLDER = "messages"


@functools.cache
def _catalogue() -> dict[str, dict[str, str]]:
    """Every text of ``data/messages/*.csv``, read once.

    Returns
    -------
    dict of str to dict of str to str
        ``catalogue[key][lang]``, in file order (files sorted by name).

    Raises
    ------
    DataError
        When a file lacks the header ``key,nb,en``, a row has another number
        of fields, or a key is defined twice (in one file or across files).
    """
    folder = data_path(_FOLDER)
    paths = sorted(folder.glob("*.csv"))
    if not paths:
        raise DataError("no message files (*.csv) found", file=str(folder))
    header = ["key", *LANGUAGES]
    out: dict[str, dict[str, str]] = {}
    where: dict[str, str] = {}
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = csv.reader(handle)
            if next(rows, None) != header:
                raise DataError(f"header must be {','.join(header)}", file=str(path), row=1)
            for row in rows:
                if len(row) != len(header):
                    raise DataError(f"expected {len(header)} fields, found {len(row)}",
                                    file=str(path), row=rows.line_num)
                key, *texts = row
                if key in out:
                    raise DataError(f"message {key!r} is also defined in {where[key]}",
                                    file=str(path), row=rows.line_num)
                out[key] = dict(zip(LANGUAGES, texts, strict=True))
                where[key] = path.name
    return out


def __getattr__(name: str) -> object:
    """Load :data:`MESSAGES` on first use (PEP 562), so that importing this module reads no file."""
    if name == "MESSAGES":
        return _catalogue()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    template = _catalogue()[key][check_language(lang)]
    if not fields:
        return template
    return template.format(**{name: printable(value) if isinstance(value, str) else value
                              for name, value in fields.items()})


#: Characters never written raw into a text: C0 and C1 controls (escape sequences, carriage
#: returns and line breaks that could forge or hide a line) and the bidirectional-text controls
#: that make a name read differently from its bytes.
_HIDDEN = frozenset([*range(0x00, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F,
                     *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_ESCAPES = {code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in _HIDDEN}


def printable(text: str) -> str:
    r"""Text with control characters written as escapes, for the terminal and reports.

    File, sheet and bidder names come from bidders: an escape sequence, a
    carriage return or a right-to-left override in one must not reach the
    officer's terminal raw. Each such character becomes ``\xNN`` or ``\uNNNN``.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> printable("bud\x1b[2J.xlsx")
    'bud\\x1b[2J.xlsx'
    """
    return text.translate(_ESCAPES) if not text.isprintable() else text


def placeholders(template: str) -> frozenset[str]:
    """Names of the ``{fields}`` a template uses."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template)
                     if name is not None)


def format_number(value: float | None, lang: str = "nb", decimals: int = 0) -> str:
    """Write a number as a reader of ``lang`` writes it.

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
    """Write a share in [0, 1] as a percentage: ``25 %`` (bokmål) or ``25%`` (English)."""
    number = format_number(100.0 * share, lang, decimals)
    return f"{number} %" if lang == "nb" else f"{number}%"


def reason_text(reason: str, lang: str = "nb") -> str:
    """Why a line was not computed, for a key of :data:`~klimafotavtrykk.vocabulary.REASONS`.

    An unknown key falls back to its English text in ``REASONS``, or to the key.
    """
    entry = _catalogue().get(f"reason.{reason}")
    if entry is None:
        return REASONS.get(str(reason), str(reason))
    return entry[check_language(lang)]


#: Placeholder of a hint text (``data/messages/hints.csv``) -> column of the unmatched frame.
HINT_FIELDS: dict[str, str] = {
    "factor": "hint_factor",
    "declared_unit": "hint_declared_unit",
    "indicator": "hint_indicator",
    "accepted": "hint_accepted",
    "unit": "unit",
    "building_part": "building_part",
    "transport_mode": "transport_mode",
}


def hint_text(unmatched, lang: str = "nb"):
    """Write what the user can do about each line not computed, in ``lang``.

    Parameters
    ----------
    unmatched : pandas.DataFrame
        ``Assessment.unmatched``: a ``hint`` key per line (see
        :mod:`klimafotavtrykk.hints`) and the columns of :data:`HINT_FIELDS`
        (absent ones read as empty).
    lang : {"nb", "en"}

    Returns
    -------
    pandas.Series of str
        The hint text of each line, on the frame's index; ``""`` where the
        line has no hint. Each distinct (key, fields) is written once.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"hint": ["add_density"], "hint_factor": ["xps"],
    ...                       "hint_declared_unit": ["kg"], "unit": ["m3"]})
    >>> hint_text(frame, "en")[0]
    "the factor 'xps' is per kg and has no density: add density_kg_m3 to the factor row, or give the quantity in kg"
    """
    check_language(lang)
    columns = ["hint", *HINT_FIELDS.values()]
    fields = unmatched.reindex(columns=columns).astype(object)
    fields = fields.where(fields.notna(), "").astype(str)
    distinct = fields.drop_duplicates()
    texts = [_hint(values, lang) for values in distinct.itertuples(index=False)]  # distinct only
    keyed = distinct.assign(hint_text=texts)
    text = fields.merge(keyed, how="left", on=columns)["hint_text"]
    return text.set_axis(unmatched.index).rename("hint_text")


def _hint(values: tuple, lang: str) -> str:
    """One hint text from (key, *fields in HINT_FIELDS order); "" for no or an unknown key."""
    key, *rest = values
    entry = _catalogue().get(f"hint.{key}") if key else None
    if entry is None:
        return ""
    return entry[lang].format(**dict(zip(HINT_FIELDS, rest, strict=True)))


def module_label(module: str, lang: str = "nb") -> str:
    """Name of a life-cycle module (``"A4"`` -> ``"Transport til byggeplass"``)."""
    entry = _catalogue().get(f"module.{module}")
    return entry[check_language(lang)] if entry else str(module)


def column_label(column: str, lang: str = "nb") -> str:
    """Header for a column of a result frame; module columns get ``[kg CO2e]``."""
    if column in MODULES:
        return f"{column} [kg CO2e]"
    entry = _catalogue().get(f"column.{column}")
    return entry[check_language(lang)] if entry else str(column)


@functools.cache
def _part_names() -> dict[str, dict[str, str]]:
    """NS 3451 building-part names by code, from ``data/mappings/ns3451_parts.csv``, read once."""
    path = data_path("mappings", "ns3451_parts.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: {"nb": row["name_nb"], "en": row["name_en"]}
                for row in csv.DictReader(handle)}


def part_label(code: object, lang: str = "nb") -> str:
    """A building part as NS 3451 names it: its code and name (``"25"`` -> ``"25 Dekker"``).

    Parameters
    ----------
    code : object
        An NS 3451 code of one to three digits, as text or a number (``25``,
        ``"216"``, ``25.0``).
    lang : {"nb", "en"}
        Language of the name.

    Returns
    -------
    str
        ``"<code> <name>"``; the code alone when NS 3451 has no such code.

    Examples
    --------
    >>> part_label("25")
    '25 Dekker'
    >>> part_label(216, "en")
    '216 Direct foundations'
    >>> part_label("99")
    '99'
    """
    text = str(code).strip()
    if text.endswith(".0"):  # a code read as a float from a spreadsheet
        text = text[:-2]
    entry = _part_names().get(text)
    return f"{text} {entry[check_language(lang)]}" if entry else text


def _fields(lang: str, pairs: list[tuple[str, object]]) -> str:
    shown = [(t(f"field.{name}", lang), printable(str(value))) for name, value in pairs
             if value is not None and value != ""]
    if not shown:
        return ""
    width = max(len(label) for label, _ in shown) + 1
    return "".join(f"\n  {label + ':':<{width}} {value}" for label, value in shown)


def render_error(exc: BaseException, lang: str = "nb") -> str:
    """Render an error as the user reads it, with where it happened.

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
        entry = _catalogue().get(f"input_error.{exc.code}") if exc.code else None
        message = entry[lang] if entry else exc.problem
        if entry and "{problem}" in message:  # the English problem names the key or parameter
            message = message.format(problem=exc.problem)
        found = exc.found if exc.found is None else repr(exc.found)
        return t("error.input", lang, message=message) + _fields(lang, [
            ("file", exc.file), ("sheet", exc.sheet), ("cell", exc.cell),
            ("expected", _said(exc, "expected", exc.expected, lang)),
            ("found", _said(exc, "found", found, lang))])
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


def _said(exc, field: str, value, lang: str):
    """An error's ``expected`` or ``found`` as the user reads it.

    The catalogue's ``input_error.<code>.<field>`` says it when it has one,
    with the error's own text at ``{expected}``/``{found}`` where that names
    data (the sheets of a workbook, a count). Without such an entry the
    English ``expected`` is shown in English only (left out rather than shown
    in English to a bokmål reader), and ``found``, mostly the value found in
    the input, as it is.
    """
    if value is None:
        return value
    entry = _catalogue().get(f"input_error.{exc.code}.{field}") if exc.code else None
    if entry is None:
        return value if lang == "en" or field == "found" else None
    raw = exc.expected if field == "expected" else exc.found
    return entry[lang].format(**{field: raw})


def render_unexpected(exc: BaseException, lang: str = "nb") -> str:
    """Short text for an error the library did not raise on purpose."""
    message = str(exc).splitlines()[0] if str(exc) else ""
    return t("error.unexpected", lang, kind=type(exc).__name__, message=message)
