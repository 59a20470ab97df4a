"""Exception and warning classes.

Every error the library raises on purpose derives from
:class:`KlimafotavtrykkError` and from the builtin a caller would catch.
Errors carry typed fields (file, sheet, cell, expected, found) so that the
CLI can render them in bokmål or English, and they pickle, so that they
survive worker pools.
"""

from __future__ import annotations

import os
import sys

__all__ = [
    "KlimafotavtrykkError",
    "InputError",
    "MissingColumnError",
    "UnsafeWorkbookError",
    "UnitError",
    "DataError",
    "ProfileError",
    "KlimafotavtrykkWarning",
    "DefaultValueWarning",
    "DataQualityWarning",
]


class KlimafotavtrykkError(Exception):
    """Base of every error the library raises on purpose."""


class InputError(KlimafotavtrykkError, ValueError):
    """A workbook, file or frame is unusable as given.

    Parameters
    ----------
    problem : str
        What is wrong, in English (the CLI translates through ``code``).
    file, sheet, cell : str, optional
        Where the problem is; ``cell`` as Excel writes it (``E14``).
    expected, found : str, optional
        What was expected at that place and what was found.
    code : str, optional
        Stable message key for :mod:`klimafotavtrykk.messages`.
    """

    def __init__(
        self,
        problem: str,
        file: str | None = None,
        sheet: str | None = None,
        cell: str | None = None,
        expected: str | None = None,
        found: str | None = None,
        code: str | None = None,
    ):
        super().__init__(problem)
        self.problem = problem
        self.file = file
        self.sheet = sheet
        self.cell = cell
        self.expected = expected
        self.found = found
        self.code = code

    @property
    def where(self) -> str:
        """Location as Excel writes it: ``[file]sheet!cell``, or what is known of it."""
        parts = ""
        if self.file:
            parts += f"[{self.file}]"
        if self.sheet:
            parts += str(self.sheet)
        if self.cell:
            parts += f"!{self.cell}"
        return parts

    def __str__(self) -> str:
        text = f"{self.where}: {self.problem}" if self.where else self.problem
        if self.expected is not None:
            text += f" (expected {self.expected}"
            text += f", found {self.found!r})" if self.found is not None else ")"
        return text

    def __reduce__(self):
        return (
            type(self),
            (self.problem, self.file, self.sheet, self.cell, self.expected, self.found, self.code),
        )


class MissingColumnError(InputError, KeyError):
    """A required column is missing from a frame or sheet."""

    def __str__(self) -> str:  # KeyError would quote the message
        return InputError.__str__(self)


class UnsafeWorkbookError(InputError):
    """A file is too large, malformed or hostile to open safely."""


class UnitError(KlimafotavtrykkError, ValueError):
    """A unit or dimension is wrong at a public boundary."""

    def __init__(self, problem: str, unit: str | None = None):
        super().__init__(problem)
        self.problem = problem
        self.unit = unit

    def __reduce__(self):
        return type(self), (self.problem, self.unit)


class DataError(KlimafotavtrykkError, ValueError):
    """A data file (factors, profile, mapping) breaks its schema.

    Parameters
    ----------
    problem : str
        What is wrong.
    file : str, optional
        Which data file.
    row : int or str, optional
        Which row (or key) in it.
    """

    def __init__(self, problem: str, file: str | None = None, row: object = None):
        super().__init__(problem)
        self.problem = problem
        self.file = file
        self.row = row

    def __str__(self) -> str:
        where = self.file or ""
        if self.row is not None:
            where += f" row {self.row}"
        return f"{where}: {self.problem}" if where else self.problem

    def __reduce__(self):
        return type(self), (self.problem, self.file, self.row)


class ProfileError(DataError):
    """A calculation profile is unknown or inconsistent."""


class KlimafotavtrykkWarning(UserWarning):
    """Base of the library's warnings."""


class DefaultValueWarning(KlimafotavtrykkWarning):
    """A reasoned default, not a published figure, was used."""


class DataQualityWarning(KlimafotavtrykkWarning):
    """Input was read, but something in it deserves a look (hidden sheet, duplicates...)."""


class WeightWarning(KlimafotavtrykkWarning):
    """The climate weight of a scoring model is below the legal minimum (anskaffelsesforskriften § 7-9)."""


__all__.append("WeightWarning")


class SelectionWarning(KlimafotavtrykkWarning):
    """A selection (e.g. of lines to substitute) matched nothing, so nothing changed."""


__all__.append("SelectionWarning")


class PlausibilityWarning(DataQualityWarning):
    """Lines were computed, but their quantity is negative or larger than any real line."""


__all__.append("PlausibilityWarning")


#: Folder of the package's own modules: frames in it are not the caller's.
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def user_stacklevel() -> int:
    """``stacklevel`` that makes a warning point at the first line outside the package.

    Call it in the argument list of :func:`warnings.warn`. The warning then names the
    caller's line (a notebook cell, a script), however many of the library's own functions,
    wrappers included, lie between it and the warning.

    Returns
    -------
    int
        1 when the function calling ``warnings.warn`` is itself outside the package.
    """
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
        level += 1
    return level


__all__.append("user_stacklevel")
