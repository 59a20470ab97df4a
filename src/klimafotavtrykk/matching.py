"""Which factor each bill-of-quantities line uses.

Three ways, tried in this order for each line:

1. ``factor_id``: the line names its factor (a user's own EPD, a bid's choice).
2. ``alias``: a regular expression in ``data/mappings/material_aliases.csv``
   matches the line's description (``"Plasstøpt betong B30"`` -> C30/37);
   the highest priority wins, but a material the line names itself outranks
   one named only in its context (see below).
3. ``item_code``: the longest prefix in ``data/mappings/ns3420.csv`` of the
   line's NS 3420 item code.

Before 2 and 3, a line whose description reads as work without material
(``data/mappings/labour_only.csv``: ``"Montasje av stålkonstruksjoner"``,
``"Kranleie, mobilkran ..."``, ``"Stillas, leie ..."``, formwork, design) gets
no factor and the reason ``labour_only``: it would otherwise count its
material a second time, or a crane as glulam. A row applies where its
``pattern`` matches and its ``unless`` does not; most patterns hold at the
start of the text only, because the first words name what the line is
(``"Levering og montasje av ..."`` delivers the material, ``"Montasje av ..."``
does not). A line that names its ``factor_id`` is never labour only.

Then, also before 2 and 3, a line that lists several layers, each with its
own size (``"Innervegg: 48x98 stender, 2x13 mm gips hver side, 100 mm
mineralull"``, in m² of wall) gets no factor and the reason ``assembly``: one
alias would compute one layer and call it the wall. The rule: the line's own
text (below) split at commas, at least two parts each carrying a size (a
number with ``mm``, or ``48x98``), and at least two different factors found
among those parts. :func:`klimafotavtrykk.calculate` then computes such a
line layer by layer (:mod:`klimafotavtrykk.assemblies`); the reason stays
where a layer cannot be computed.

Work is done per distinct description and per distinct code, never per line.

The line's own material before its context
------------------------------------------
A description names its product and often the things around it:
``"Stålbjelke HEB 240 innfestet i limtresøyler"`` is steel, not glulam;
``"Utstøping av stålrørspeler, betong B35"`` is concrete;
``"Betongkum DN1200 inkl. lokk og ramme"`` is a concrete manhole. Aliases are
therefore tried twice. First on the description's *own text*: the description
with its context clauses taken out, each clause running from its marker to the
next comma, semicolon or parenthesis:

- where it sits or what it is fixed to: ``for``, ``til``, ``mot``, ``under``,
  ``over``, ``rundt``, ``ved``, ``langs``, ``mellom``, ``på`` and
  ``innfestet``/``festet``/``forankret``/``montert``/``opplagt``/``innstøpt``
  ``i``/``til``/``på``/``mot``;
- what it comes with: ``inkl.``, ``inklusive``, ``inkludert``, ``medregnet``,
  ``med``;
- the object of a work item: ``<work noun> av <object>`` where the work noun
  ends in ``-ing`` or ``-støp`` (``utstøping``, ``bakstøp``, ``isolering``)
  and a comma follows, so that a later part of the text names what the work
  is done with (``"Bakstøp av kantstein, betong B30"``). Without that comma
  the object stays own text (``"Fuging av hulldekke"``).

``i`` and ``av`` after a product noun are never context: ``"Søyler i limtre"``
and ``"Kantstein av betong"`` name the material. Such a material word outranks
the product noun: ``"Bindingsverk i stål"`` is steel although ``bindingsverk``
alone reads as timber. The alias tables carry this as patterns on the phrase
(``i stål``, ``av stål``, ``stål-``) with a priority above the product nouns'
(see ``data/mappings/README.md``). When no alias matches the
own text, the whole description is tried as before, so a line whose only
material word sits in a context clause (``"Graving av jordmasser, til
deponi"``) still matches, and a pattern's own exclusions (a manhole pattern
that refuses ``lokk``) still see the whole text. That second try leaves out
only what the line says it includes (``inkl.``, ``inklusive``, ``inkludert``,
``medregnet``): an accessory is never the line's product, so ``"Grønt tak,
sedum, inkl. drenslag og filterduk"`` is not read as a filter fabric.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from klimafotavtrykk._data import data_path
from klimafotavtrykk._frames import filled, text_code_parts, text_codes
from klimafotavtrykk._regex_literals import LiteralIndex, may_match, parse_tree
from klimafotavtrykk.errors import DataError
from klimafotavtrykk.vocabulary import DESCRIPTION_CHARS_READ

__all__ = ["Mappings", "load_mappings", "match_factors", "MatchResult", "own_text", "labour_only",
           "assembly"]

_CUT = " ¦ "  # what a context clause is replaced by
#: Characters of a description the aliases are searched in (see the vocabulary constant).
_MATCH_CHARS = DESCRIPTION_CHARS_READ

#: A size in a part of the text: a number with mm, or a section such as 48x98 (see ``assembly``).
_SIZE = r"\d\s*mm\b|\d\s*[x×]\s*\d"

#: A context clause: marker to the next comma, semicolon or parenthesis (see the module docstring).
_CONTEXT = (
    r"(?:\b\w+(?:ing|støp)\s+av\b[^,;()]*(?=[,;])"
    r"|\b(?:innfestet|festet|forankret|montert|opplagt|innstøpt)\s+(?:i|til|på|mot)\b[^,;()]*"
    r"|\b(?:for|til|mot|under|over|rundt|ved|langs|mellom|på|inklusive|inkludert|medregnet|med"
    r"|inkl)\b\.?[^,;()]*)"
)

#: What a line says it includes: left out even when the whole text is tried (module docstring).
_INCLUDED = r"\b(?:inklusive|inkludert|medregnet|inkl)\b\.?[^,;()]*"


@dataclass(frozen=True, eq=False)
class Mappings:
    """Reviewable mapping tables.

    Attributes
    ----------
    aliases : pandas.DataFrame
        ``pattern``, ``factor_id``, ``priority``, ``file`` and ``line`` (where
        the row was read), sorted by priority (highest first).
    item_codes : pandas.DataFrame
        ``item_code_prefix``, ``factor_id``, ``file``, ``line``, sorted by prefix
        length (longest first).
    labour : pandas.DataFrame or None
        ``pattern``, ``unless``, ``kind``, ``file``, ``line``: descriptions of
        work without material (see the module docstring); None for the shipped
        ``labour_only.csv``, an empty frame for none.
    """

    aliases: pd.DataFrame
    item_codes: pd.DataFrame
    labour: pd.DataFrame | None = None


class _Gathered:
    """``values[codes]``, made when first read (see :class:`_OnRead`)."""

    __slots__ = ("codes", "values")

    def __init__(self, values: np.ndarray, codes: np.ndarray) -> None:
        self.values, self.codes = values, codes

    def __call__(self) -> np.ndarray:
        return self.values[self.codes]


class _OnRead:
    """Dataclass field whose value may be given as :class:`_Gathered`, made on first read.

    The field stays required in ``__init__``; an array given is kept as it is.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = f"_{name}_value"

    def __get__(self, obj, objtype=None) -> np.ndarray:
        if obj is None:
            raise AttributeError(self._slot)  # no class-level default: the field is required
        value = obj.__dict__[self._slot]
        if isinstance(value, _Gathered):
            value = value()
            obj.__dict__[self._slot] = value
        return value

    def __set__(self, obj, value) -> None:
        obj.__dict__[self._slot] = value


@dataclass(frozen=True, eq=False)
class MatchResult:
    """Factor row per line.

    Attributes
    ----------
    factor_idx : numpy.ndarray of int64
        Row in the factor table; -1 where unmatched.
    method : numpy.ndarray of object
        ``"factor_id"``, ``"alias"``, ``"item_code"`` or None.
    reason : numpy.ndarray of object
        ``"unknown_factor"``, ``"labour_only"``, ``"assembly"`` or
        ``"no_factor"`` where unmatched, else None.
    detail : numpy.ndarray of object
        How the line found its factor, in plain English without patterns:
        ``'factor id "x" given on the line'``, ``'description names "XPS"
        (material_aliases.csv line 52)'``, ``'item code starts with "LB2"
        (ns3420.csv line 5)'``; for ``unknown_factor`` the id that is not in
        the table, for ``labour_only`` the words that read as work
        (``'description reads as labour: "Montasje av" (labour_only.csv
        line 2)'``), for ``assembly`` the layers found (``'description lists
        layers of 2 materials: "gypsum_board_standard", "stone_wool_batts"'``),
        for ``no_factor`` None.
    matched_text : numpy.ndarray of object
        The text that decided: the factor id given, the part of the
        description the alias matched (empty for a pattern made only of
        conditions), or the code prefix; None where unmatched.
    rule_file, rule_line : numpy.ndarray
        Mapping file and its line number (header = line 1) of the alias or
        prefix used; None and -1 otherwise.

    Notes
    -----
    Every field but ``factor_idx`` may be given as :class:`_Gathered` (values per distinct
    text and a code per line): the per-line array is then made when the attribute is first
    read, and kept. A calculation whose lines all compute reads none of ``detail``,
    ``matched_text``, ``rule_file`` and ``rule_line``, and reads ``method`` and ``reason``
    through :meth:`read_only`.
    """

    factor_idx: np.ndarray
    method: np.ndarray = _OnRead()  # noqa: RUF009 (a descriptor: made on first read)
    reason: np.ndarray = _OnRead()  # noqa: RUF009
    detail: np.ndarray = _OnRead()  # noqa: RUF009
    matched_text: np.ndarray = _OnRead()  # noqa: RUF009
    rule_file: np.ndarray = _OnRead()  # noqa: RUF009
    rule_line: np.ndarray = _OnRead()  # noqa: RUF009

    def read_only(self, name: str) -> np.ndarray:
        """The field ``name`` for reading: the same values as the attribute, perhaps read-only.

        A field that holds one value on every line and is not made yet (``method``
        ``"factor_id"`` and ``reason`` None where every line names a known factor) comes as a
        read-only view of that one value: no per-line array is made. Any other field is the
        attribute itself.

        Parameters
        ----------
        name : str
            A field name, e.g. ``"method"``.

        Returns
        -------
        numpy.ndarray
        """
        value = self.__dict__.get(f"_{name}_value")
        if isinstance(value, _Gathered) and value.codes.ndim == 1 and value.codes.strides == (0,):
            return np.broadcast_to(value.values[value.codes[:1]], value.codes.shape)  # read-only
        return getattr(self, name)


@functools.cache
def load_mappings() -> Mappings:
    """Load the shipped mapping tables: ``data/mappings/material_aliases*.csv`` and ``ns3420*.csv``."""
    folder = data_path("mappings")
    alias_paths = sorted(folder.glob("material_aliases*.csv"))
    code_paths = sorted(folder.glob("ns3420*.csv"))
    aliases = pd.concat([_read_with_lines(p) for p in alias_paths], ignore_index=True)
    codes = pd.concat([_read_with_lines(p) for p in code_paths], ignore_index=True)
    names = (", ".join(p.name for p in alias_paths), ", ".join(p.name for p in code_paths))
    return mappings_from_frames(aliases, codes, names=names,
                                labour=load_labour_patterns())


@functools.cache
def load_labour_patterns() -> pd.DataFrame:
    """Load ``data/mappings/labour_only.csv``: descriptions of work without material.

    Returns
    -------
    pandas.DataFrame
        ``pattern``, ``unless`` (empty for none), ``kind``, ``note``,
        ``source_id``, ``file`` and ``line`` (header = line 1).

    Raises
    ------
    DataError
        When a column is missing or a pattern does not compile.
    """
    path = data_path("mappings") / "labour_only.csv"
    return _labour_table(_read_with_lines(path), path.name)


def _labour_table(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Check a labour-pattern frame: columns present, every pattern compiles."""
    missing = [c for c in ("pattern", "unless") if c not in frame.columns]
    if missing:
        raise DataError(f"missing columns {missing}", file=name)
    frame = _with_lines(frame.fillna({"unless": ""}), name)
    for column in ("pattern", "unless"):
        for i, pattern in enumerate(frame[column]):  # data rows, not line items
            try:
                re.compile(pattern, re.IGNORECASE)  # as _labour_pattern compiles it: cached once
            except re.error as exc:
                raise DataError(f"{column} {pattern!r} does not compile: {exc}", file=name,
                                row=i + 2) from None
    return frame.reset_index(drop=True)


def _read_with_lines(path) -> pd.DataFrame:
    """Read a mapping CSV as text, with the file name and line number of each row."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame.assign(file=path.name, line=np.arange(2, len(frame) + 2))


def mappings_from_frames(aliases: pd.DataFrame, item_codes: pd.DataFrame,
                         names: tuple[str, str] = ("aliases", "item codes"),
                         labour: pd.DataFrame | None = None) -> Mappings:
    """Validate mapping frames.

    Parameters
    ----------
    aliases : pandas.DataFrame
        ``pattern``, ``factor_id``, ``priority``.
    item_codes : pandas.DataFrame
        ``item_code_prefix``, ``factor_id``.
    names : tuple of str
        Names of the two tables, for error messages.
    labour : pandas.DataFrame, optional
        ``pattern`` and ``unless`` of descriptions that are work without
        material; None uses the shipped ``labour_only.csv``.

    Returns
    -------
    Mappings
    """
    for frame, columns, name in ((aliases, ("pattern", "factor_id", "priority"), names[0]),
                                 (item_codes, ("item_code_prefix", "factor_id"), names[1])):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise DataError(f"missing columns {missing}", file=name)
    aliases, item_codes = (_with_lines(aliases, names[0]), _with_lines(item_codes, names[1]))
    aliases = aliases.assign(priority=pd.to_numeric(aliases["priority"], errors="coerce"))
    if aliases["priority"].isna().any():
        raise DataError("priority must be a number", file=names[0],
                        row=int(np.flatnonzero(aliases["priority"].isna())[0]) + 2)
    for i, pattern in enumerate(aliases["pattern"]):  # data rows, not line items
        try:
            # compiled as the search compiles it (_search_pattern): re's cache then holds it
            re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise DataError(f"pattern {pattern!r} does not compile: {exc}", file=names[0], row=i + 2) from None
    aliases = aliases.sort_values("priority", ascending=False, kind="stable").reset_index(drop=True)
    item_codes = item_codes.assign(item_code_prefix=item_codes["item_code_prefix"].str.strip().str.upper())
    order = item_codes["item_code_prefix"].str.len().sort_values(ascending=False, kind="stable").index
    labour = load_labour_patterns() if labour is None else _labour_table(labour, "labour")
    return Mappings(aliases=aliases, item_codes=item_codes.loc[order].reset_index(drop=True),
                    labour=labour)


def _with_lines(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Add ``file`` and ``line`` (header = line 1) where a frame does not carry them."""
    if "file" not in frame.columns:
        frame = frame.assign(file=name)
    if "line" not in frame.columns:
        frame = frame.assign(line=np.arange(2, len(frame) + 2))
    return frame


def match_factors(lines: pd.DataFrame, factor_ids: pd.Index, mappings: Mappings | None = None
                  ) -> MatchResult:
    """Find the factor row of every line.

    Parameters
    ----------
    lines : pandas.DataFrame
        With ``factor_id``, ``description`` and ``item_code`` columns (any may be empty).
    factor_ids : pandas.Index
        Ids of the factor table, in row order.
    mappings : Mappings, optional
        Defaults to the shipped tables.

    Returns
    -------
    MatchResult
    """
    mappings = mappings or load_mappings()
    n = len(lines)

    # each text column coded once; rules run on the distinct texts, results go back by code
    id_keys, id_key_codes, ids = _coded_parts(lines, "factor_id")
    # every line names an id (each key is some line's): per line, one gather through the keys
    every_named = bool(n and (id_key_codes >= 0).all() and id_keys.min() >= 0)
    id_codes = None if every_named else np.append(id_key_codes, -1)[id_keys]
    has_explicit = np.ones(n, dtype=bool) if every_named else id_codes >= 0
    some_explicit = every_named or bool(has_explicit.any())
    if some_explicit:
        found_u = factor_ids.get_indexer(pd.Index(ids, dtype=object))
        # unknown_factor keeps the bare id asked for; a found id says where it came from
        said_u = np.where(found_u >= 0, _quote("factor id {} given on the line", ids), ids)
    if every_named:  # every line names its factor: gathers, no masks
        factor_idx = found_u[id_key_codes][id_keys].astype(np.int64, copy=False)
        every_line = np.broadcast_to(np.intp(0), (n,))  # row 0 for every line, no array
        method = _Gathered(np.array(["factor_id"], dtype=object), every_line)
        matched = _Gathered(ids[id_key_codes], id_keys)  # per line when read: seldom
        detail = _Gathered(said_u[id_key_codes], id_keys)
        rule_file = _Gathered(np.array([None], dtype=object), every_line)
        rule_line = _Gathered(np.array([-1], dtype=np.int64), every_line)
    else:  # the columns the other rules fill, made only when some line needs them
        rule_line = np.full(n, -1, dtype=np.int64)
        factor_idx = np.full(n, -1, dtype=np.int64)
        # object columns of None: one reference each, not np.full's conversion per element
        method, detail, matched, rule_file = (filled(n, None) for _ in range(4))
        if some_explicit:
            codes = id_codes[has_explicit]
            factor_idx[has_explicit] = found_u[codes]
            method[has_explicit] = "factor_id"
            matched[has_explicit] = ids[codes]
            detail[has_explicit] = said_u[codes]

    todo = ~has_explicit
    text_codes_of = {}  # coded when a line still open needs it
    labour = np.zeros(n, dtype=bool)
    layered = np.zeros(n, dtype=bool)
    for flag, finder in ((labour, _by_labour), (layered, _by_assembly)):
        if not todo.any():
            break
        if "description" not in text_codes_of:
            text_codes_of["description"] = _coded(lines, "description")
        codes, uniques = _open_texts(*text_codes_of["description"], todo)
        if len(uniques):
            args = (mappings.labour,) if finder is _by_labour else (factor_ids, mappings)
            per_unique = finder(pd.Series(uniques, dtype=object), *args)
            hit_detail = np.append(per_unique, None)[codes]
            at = np.flatnonzero(todo)[hit_detail != None]  # noqa: E711 (object array)
            flag[at] = True
            detail[at] = hit_detail[hit_detail != None]  # noqa: E711
            todo[at] = False
    for column, resolver in (("description", _by_alias), ("item_code", _by_code)):
        if not todo.any():
            break
        if column not in text_codes_of:
            text_codes_of[column] = _coded(lines, column)
        codes, uniques = _open_texts(*text_codes_of[column], todo)  # -1 for missing text
        if len(uniques) == 0:
            continue
        per_unique = resolver(pd.Series(uniques, dtype=object), factor_ids, mappings)
        hit_idx = np.append(per_unique["idx"], -1)[codes]  # code -1 -> no match
        rows = np.flatnonzero(todo)
        hit = hit_idx >= 0
        at, pick = rows[hit], codes[hit]
        factor_idx[at] = hit_idx[hit]
        method[at] = "alias" if column == "description" else "item_code"
        detail[at] = per_unique["detail"][pick]
        matched[at] = per_unique["matched"][pick]
        rule_file[at] = per_unique["file"][pick]
        rule_line[at] = per_unique["line"][pick]
        todo[at] = False

    missed = factor_idx < 0
    if not missed.any():  # labour and build-up lines are unmatched too: none missed, no reason
        reason = _Gathered(np.array([None], dtype=object), np.broadcast_to(np.intp(0), (n,)))
    else:
        reason = filled(n, None)
        matched, detail, rule_file, rule_line, method = (
            v() if isinstance(v, _Gathered) else v
            for v in (matched, detail, rule_file, rule_line, method))
        reason[missed & has_explicit] = "unknown_factor"
        reason[missed & ~has_explicit & ~labour & ~layered] = "no_factor"
        reason[labour] = "labour_only"
        reason[layered] = "assembly"
        matched[missed] = None
        rule_file[missed] = None
        rule_line[missed] = -1
    return MatchResult(factor_idx=factor_idx, method=method, reason=reason, detail=detail,
                       matched_text=matched, rule_file=rule_file, rule_line=rule_line)


def own_text(descriptions: pd.Series) -> pd.Series:
    """Descriptions with their context clauses taken out (see the module docstring).

    Parameters
    ----------
    descriptions : pandas.Series of str
        Distinct description texts, already on one line.

    Returns
    -------
    pandas.Series of str
        The same texts with each context clause replaced by ``" ¦ "``.

    Examples
    --------
    >>> own_text(pd.Series(["Stålbjelke HEB 240 innfestet i limtresøyler"]))[0]
    'Stålbjelke HEB 240  ¦ '
    """
    return descriptions.str.replace(_CONTEXT, _CUT, case=False, regex=True)


def labour_only(descriptions: pd.Series, labour: pd.DataFrame | None = None) -> np.ndarray:
    """Which descriptions read as work without material (labour, hire, temporary works, design).

    Parameters
    ----------
    descriptions : pandas.Series of str
        Description texts (distinct ones, for speed).
    labour : pandas.DataFrame, optional
        Labour patterns (``pattern``, ``unless``); default the shipped
        ``data/mappings/labour_only.csv``.

    Returns
    -------
    numpy.ndarray of bool
        True where a row's ``pattern`` matches and its ``unless`` does not.

    Examples
    --------
    >>> labour_only(pd.Series(["Montasje av stålkonstruksjoner",
    ...                        "Levering og montasje av stålbjelker HEB 300"])).tolist()
    [True, False]
    """
    table = load_labour_patterns() if labour is None else _labour_table(labour, "labour")
    return _by_labour(descriptions.fillna("").astype(str), table) != None  # noqa: E711


def assembly(descriptions: pd.Series, factor_ids: pd.Index | None = None,
             mappings: Mappings | None = None) -> np.ndarray:
    """Which descriptions list several layers of different materials, each with its size.

    Parameters
    ----------
    descriptions : pandas.Series of str
        Description texts (distinct ones, for speed).
    factor_ids : pandas.Index, optional
        Ids of the factor table; default every factor the aliases name.
    mappings : Mappings, optional
        Defaults to the shipped tables.

    Returns
    -------
    numpy.ndarray of bool
        True where at least two comma-separated parts of the own text carry a
        size and their aliases name at least two different factors.

    Examples
    --------
    >>> assembly(pd.Series(["Innervegg: 48x98 stender, 2x13 mm gips, 100 mm mineralull",
    ...                     "Steinull 200 mm (2x100) i yttervegg"])).tolist()
    [True, False]
    """
    mappings = mappings or load_mappings()
    if factor_ids is None:
        factor_ids = pd.Index(mappings.aliases["factor_id"].unique(), dtype=object)
    return _by_assembly(descriptions.fillna("").astype(str), factor_ids, mappings) != None  # noqa: E711


def _by_assembly(descriptions: pd.Series, factor_ids: pd.Index, mappings: Mappings) -> np.ndarray:
    """Detail text per distinct description that lists layers of two or more materials, else None."""
    flat = _bounded(descriptions)
    parts = own_text(flat).str.split(r"[,;]").explode()
    parts = parts[parts.str.contains(_SIZE, case=False, regex=True)].str.strip()
    result = np.full(len(descriptions), None, dtype=object)
    if parts.empty:
        return result
    codes, uniques = pd.factorize(parts)
    hit = _alias_hits(pd.Series(uniques, dtype=object), factor_ids, mappings, (False,))["idx"]
    layers = pd.DataFrame({"text": parts.index, "factor": hit[codes]})
    layers = layers[layers["factor"] >= 0].drop_duplicates()
    names = pd.Series(factor_ids.to_numpy(dtype=object)[layers["factor"].to_numpy()],
                      index=layers["text"].to_numpy(), dtype=object)
    grouped = names.groupby(level=0).agg(list)
    many = grouped[grouped.str.len() >= 2]
    if len(many):
        listed = many.map(lambda ids: ", ".join(f'"{i}"' for i in ids))  # one per layered text
        result[many.index.to_numpy()] = ("description lists layers of " + many.str.len().astype(str)
                                         + " materials: " + listed).to_numpy(dtype=object)
    return result


def _bounded(descriptions: pd.Series) -> pd.Series:
    """Runs of white space as one space, and no more than the first :data:`_MATCH_CHARS` characters."""
    return (descriptions.str.slice(0, 4 * _MATCH_CHARS).str.replace(r"\s+", " ", regex=True)
            .str.slice(0, _MATCH_CHARS))


def _by_labour(descriptions: pd.Series, labour: pd.DataFrame | None) -> np.ndarray:
    """Detail text per distinct description that reads as work without material, else None."""
    labour = load_labour_patterns() if labour is None else labour
    n = len(descriptions)
    row = np.full(n, -1, dtype=np.int64)
    flat = _bounded(descriptions).to_numpy(dtype=object)
    words = filled(n, "")
    index = LiteralIndex(flat)  # texts without a pattern's words are not searched
    for i, (pattern, unless) in enumerate(zip(labour["pattern"], labour["unless"], strict=True)):
        still = row < 0  # a handful of data rows; texts still open only
        if not still.any():
            break
        todo = _open_candidates(index, pattern, still)
        text = flat[todo]
        hit = _searched(_labour_pattern(pattern), text)
        if unless:
            hit = hit & ~_searched(_labour_pattern(unless), text)
        if hit.any():
            row[todo[hit]] = i
            words[todo[hit]] = _first_match(_whole_match(pattern), text[hit])
    found = row >= 0
    words = pd.Series(words, dtype=object).str.replace(r"^\W+", "", regex=True).str.strip()
    file = np.append(labour["file"].to_numpy(dtype=object), None)[row]
    line = np.append(labour["line"].to_numpy(dtype=np.int64), -1)[row]
    detail = (pd.Series(_quote("description reads as labour: {}", words.to_numpy(dtype=object)),
                        dtype=object)
              + " (" + pd.Series(file, dtype=object).astype(str) + " line "
              + pd.Series(line).astype(str) + ")")
    return np.where(found, detail.to_numpy(dtype=object), None)


def _coded(lines: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Code per line and distinct cleaned texts of a column (see :func:`text_codes`).

    Blanks are missing (code -1); an absent column is all missing.
    """
    if column not in lines.columns:
        return np.full(len(lines), -1, dtype=np.int64), np.array([], dtype=object)
    return text_codes(lines[column])


def _coded_parts(lines: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_coded` in two steps: a key per line and a code per key.

    See :func:`~klimafotavtrykk._frames.text_code_parts`.
    """
    if column not in lines.columns:
        return (np.full(len(lines), -1, dtype=np.int64), np.array([], dtype=np.int64),
                np.array([], dtype=object))
    return text_code_parts(lines[column])


def _open_texts(codes: np.ndarray, uniques: np.ndarray, todo: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the lines still open (``todo``) into the distinct texts they use, and those texts.

    The texts keep the order of the whole column; a missing text is -1.
    """
    sub = codes[todo]
    used = np.zeros(len(uniques) + 1, dtype=bool)
    used[sub] = True  # -1 marks the spare last slot
    keep = np.flatnonzero(used[:-1])
    remap = np.full(len(uniques) + 1, -1, dtype=np.int64)
    remap[keep] = np.arange(len(keep))
    return remap[sub], uniques[keep]


def _quote(template: str, values: np.ndarray) -> np.ndarray:
    """``template`` with each value in double quotes, over an object array."""
    head, tail = template.split("{}")
    if all(type(v) is str for v in values):  # distinct texts (ids, words), not lines
        return np.array([f'{head}"{v}"{tail}' for v in values] or [], dtype=object)
    return (head + '"' + pd.Series(values, dtype=object).astype(str) + '"' + tail).to_numpy(object)


def _by_alias(descriptions: pd.Series, factor_ids: pd.Index, mappings: Mappings) -> dict:
    """Factor row per distinct description: own text first, then the whole text.

    Within each pass the highest-priority alias wins (ties: the earlier row).
    """
    found = _alias_hits(descriptions, factor_ids, mappings, (True, False))
    return _rule_fields(found, mappings.aliases, found["text"],
                        'description names {}', "description matches")


def _alias_hits(descriptions: pd.Series, factor_ids: pd.Index, mappings: Mappings,
                passes: tuple[bool, ...]) -> dict:
    """Alias row and factor row per distinct text, trying the own text (True) and/or the whole text."""
    n = len(descriptions)
    found = {"idx": np.full(n, -1, dtype=np.int64), "row": np.full(n, -1, dtype=np.int64)}
    open_ = np.ones(n, dtype=bool)
    targets = factor_ids.get_indexer(pd.Index(mappings.aliases["factor_id"], dtype=object))
    flat = (descriptions.str.slice(0, 4 * _MATCH_CHARS)  # bounded work per text (_MATCH_CHARS)
            .str.replace(r"\s+", " ", regex=True)  # multi-line cell texts read as one line
            .str.slice(0, _MATCH_CHARS))
    own = own_text(flat)
    whole = flat.str.replace(_INCLUDED, _CUT, case=False, regex=True)  # never an accessory
    text = filled(n, "")
    for candidate in (own if cut else whole for cut in passes):
        values = candidate.to_numpy(dtype=object)
        index = LiteralIndex(values)  # texts without a pattern's words are not searched
        for row, (pattern, target) in enumerate(zip(mappings.aliases["pattern"], targets,
                                                    strict=True)):
            if target < 0 or not open_.any():
                continue  # mapping to a factor this table does not have
            if 2 * np.count_nonzero(open_) < index.n:  # most texts have their factor: index the rest
                still = np.flatnonzero(open_)
                index = LiteralIndex(values[still], positions=still)
            todo = _open_candidates(index, pattern, open_)  # texts still without a factor only
            hit = todo[_searched(_search_pattern(pattern), values[todo])]
            if len(hit):
                found["idx"][hit] = target
                found["row"][hit] = row
                text[hit] = _first_match(_whole_match(pattern), values[hit])
                open_[hit] = False
    found["text"] = pd.Series(text, dtype=object).str.replace(r"\s*¦\s*", " … ", regex=True).str.strip()
    return found


def _open_candidates(index: LiteralIndex, pattern: str, open_: np.ndarray) -> np.ndarray:
    """Positions of the texts still open (``open_``) that ``pattern`` may match.

    Those holding one of its words (:func:`~klimafotavtrykk._regex_literals.may_match`, in
    ascending order); every open text when it requires none.
    """
    at = may_match(index, pattern)
    todo = np.flatnonzero(open_) if at is None else index.positions[at]
    return todo[open_[todo]]


def _searched(pattern: re.Pattern, texts: np.ndarray) -> np.ndarray:
    """Whether ``pattern`` occurs in each of a few hundred distinct texts (not lines).

    A plain pass of the compiled pattern: what ``Series.str.contains`` does,
    without its fixed cost per call, which over some two hundred alias rows
    was most of the time of matching a short bill of quantities.
    """
    search = pattern.search
    return np.fromiter((search(t) is not None for t in texts), dtype=bool, count=len(texts))


def _first_match(pattern: re.Pattern, texts: np.ndarray) -> np.ndarray:
    """The first text each pattern match covers ("" where none), per distinct text."""
    found = (pattern.search(t) for t in texts)
    return np.array([m.group(1) if m is not None else "" for m in found], dtype=object)


@functools.lru_cache(maxsize=4096)
def _labour_pattern(pattern: str) -> re.Pattern:
    """A labour pattern compiled for searching, case-insensitive."""
    return re.compile(pattern, re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def _whole_match(pattern: str) -> re.Pattern:
    """An alias pattern as one group, case-insensitive: the words a hit covers."""
    return re.compile(f"({pattern})", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def _search_pattern(pattern: str) -> re.Pattern:
    """An alias pattern compiled for searching one-line texts, case-insensitive.

    A pattern made only of lookaheads that start with ``.*``, such as
    ``(?=.*kantstein)(?=.*betong)``, holds at some position of a text exactly
    when it holds at its start (``.*`` reaches everything after any later
    position too), so it is anchored there: the same answer in one attempt
    instead of one per character, whose cost grew with the square of the text.
    """
    import re._constants as sre_constants

    anchored = pattern
    try:
        items = list(parse_tree(pattern, re.IGNORECASE))  # TypeError where unreadable: as written
        any_run = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)
        if items and all(
                op is sre_constants.ASSERT and arg[0] == 1 and len(arg[1]) > 0
                and arg[1][0][0] in any_run and arg[1][0][1][:2] == (0, sre_constants.MAXREPEAT)
                and list(arg[1][0][1][2]) == [(sre_constants.ANY, None)]
                for op, arg in items):
            anchored = r"\A(?:" + pattern + ")"
    except Exception:  # noqa: BLE001 (a private parser: on any change, search as written)
        anchored = pattern
    return re.compile(anchored, re.IGNORECASE)


def _by_code(codes: pd.Series, factor_ids: pd.Index, mappings: Mappings) -> dict:
    """Factor row per distinct item code (longest prefix first)."""
    n = len(codes)
    found = {"idx": np.full(n, -1, dtype=np.int64), "row": np.full(n, -1, dtype=np.int64)}
    open_ = np.ones(n, dtype=bool)
    upper = codes.str.strip().str.upper()
    targets = factor_ids.get_indexer(pd.Index(mappings.item_codes["factor_id"], dtype=object))
    for row, (prefix, target) in enumerate(zip(mappings.item_codes["item_code_prefix"], targets,
                                               strict=True)):
        if target < 0 or not open_.any():
            continue
        todo = np.flatnonzero(open_)
        hit = todo[upper.iloc[todo].str.startswith(prefix).to_numpy(dtype=bool)]
        found["idx"][hit] = target
        found["row"][hit] = row
        open_[hit] = False
    prefix = mappings.item_codes["item_code_prefix"].to_numpy(dtype=object)
    text = pd.Series(np.append(prefix, None)[found["row"]], dtype=object)
    return _rule_fields(found, mappings.item_codes, text, 'item code starts with {}', "")


def _rule_fields(found: dict, table: pd.DataFrame, text: pd.Series, said: str, bare: str) -> dict:
    """Detail, matched text, file and line per distinct value from the winning rule row."""
    row = found["row"]
    hit = row >= 0
    file = np.append(table["file"].to_numpy(dtype=object), None)[row]
    line = np.append(table["line"].to_numpy(dtype=np.int64), -1)[row]
    where = (" (" + pd.Series(file, dtype=object).astype(str) + " line "
             + pd.Series(line).astype(str) + ")")
    stated = pd.Series(_quote(said, text.to_numpy(dtype=object)), dtype=object)
    stated = stated.where(text.fillna("") != "", bare)  # a pattern of conditions only
    detail = (stated + where).where(hit, None).to_numpy(dtype=object)
    return {"idx": found["idx"], "detail": detail, "matched": text.where(hit, None).to_numpy(object),
            "file": file, "line": line}
