"""The EPD files bidders attached, and the check of each bid line against the EPD it cites.

A competition file may name a folder of EPD files (``epd_folder = "epd/"``,
relative to the competition file). They are read once, with the library's EPD
readers (:func:`klimafotavtrykk.epd.read_epds`), under the indicator the bid
workbook asks for (GWP-GHG/IOBC, biogenic uptake excluded). A bid line whose
EPD number matches one of them is checked against the file:

* **declared value**: the bid's A1-A3, converted to the file's declared base
  unit, may lie at most ``epd_value_tolerance`` (a share, from the competition
  or ``data/procurement/defaults.toml``) below the file's value
  (``epd_attached_value``); above it is a finding only
  (``epd_attached_value_higher``), as declaring more never raises points;
* **declared unit**: of the file's dimension (``epd_attached_unit``: a bid
  citing a per-kg EPD for a value per m³);
* **validity**: the file's EPD valid on the tender date
  (``epd_attached_expired``), and the bid's valid-until date not later than
  the file's (``epd_attached_valid_until``).

Each failing check is a finding at the bid's cell and the claim counts as not
made (:mod:`~klimafotavtrykk.tender.epd_checks`); the client's
``accepted_epds`` does not answer them, since the file contradicts the bid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from klimafotavtrykk._frames import filled

__all__ = ["AttachedEpds", "load_attached_epds", "attached_check", "ATTACHED_CHECKS",
           "ATTACHED_INDICATOR"]

#: Indicator the bid workbook asks for, under which the attached files are read.
ATTACHED_INDICATOR = "GWP-GHG"
#: Check kinds that make a claim count as not made; ``epd_attached_value_higher`` is a finding only.
ATTACHED_CHECKS: tuple[str, ...] = ("epd_attached_unit", "epd_attached_value",
                                    "epd_attached_expired", "epd_attached_valid_until")


@dataclass(frozen=True, eq=False)
class AttachedEpds:
    """EPD files read from a competition's ``epd_folder``.

    Attributes
    ----------
    folder : str
        The folder as read.
    frame : pandas.DataFrame
        One row per EPD, indexed by its normalised registration number
        (:func:`~klimafotavtrykk.tender.epd_checks.normalise_epd_number`):
        ``epd_id``, ``file``, ``declared_unit`` (base unit), ``A1-A3``
        [kg CO2e per declared unit], ``valid_until`` (datetime64; NaT unknown).
    refused : tuple of (str, str)
        Files not read: name and reason (error code and problem).
    """

    folder: str
    frame: pd.DataFrame
    refused: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        text = f"{self.folder} ({len(self.frame)} EPD read"
        if self.refused:
            text += "; refused: " + ", ".join(f"{f} ({why})" for f, why in self.refused)
        return text + ")"


def load_attached_epds(folder, indicator: str = ATTACHED_INDICATOR) -> AttachedEpds:
    """Read a folder of EPD files for the checks of :func:`attached_check`.

    Parameters
    ----------
    folder : str or path-like
    indicator : str
        Indicator read (:func:`klimafotavtrykk.epd.read_epd`).

    Returns
    -------
    AttachedEpds
        A file without a registration number cannot be cited and is listed
        as refused; so is a file the readers refuse, and a second file with
        the same number.
    """
    from klimafotavtrykk.epd import read_epds
    from klimafotavtrykk.tender.epd_checks import normalise_epd_number

    factors, summary = read_epds(folder, indicator=indicator)
    refused = [(e["file"], f"{e['error'].code}: {e['error'].problem}") for e in summary["refused"]]
    columns = ["epd_id", "file", "declared_unit", "A1-A3", "valid_until"]
    if not len(factors):
        frame = pd.DataFrame(columns=columns)
        frame["valid_until"] = pd.to_datetime(frame["valid_until"])
        return AttachedEpds(str(folder), frame, tuple(refused))
    frame = factors.assign(file=[e["file"] for e in summary["read"]])
    numbered = frame["epd_id"].fillna("").astype(str) != ""
    refused += [(f, "no EPD registration number in the file") for f in frame.loc[~numbered, "file"]]
    frame = frame[numbered]
    key = frame["epd_id"].map(normalise_epd_number)
    twice = key.duplicated()
    refused += [(f, "the same EPD number as another file") for f in frame.loc[twice, "file"]]
    frame = frame[~twice.to_numpy()].set_axis(key[~twice].to_numpy(), axis=0)[columns].copy()
    frame["valid_until"] = pd.to_datetime(frame["valid_until"].replace("", None), errors="coerce")
    return AttachedEpds(str(Path(folder)), frame, tuple(refused))


def attached_check(materials: pd.DataFrame, claims, attached: AttachedEpds | None,
                   tolerance: float, tender_date: dt.date) -> tuple[dict, np.ndarray]:
    """Check each usable claim against the attached EPD its number names.

    Parameters
    ----------
    materials : DataFrame
        The bid's material lines (``epd_id``).
    claims : EpdClaims
        Value, unit and valid-until date as the bid gives them.
    attached : AttachedEpds or None
        None: no folder, no check.
    tolerance : float
        Largest share by which the bid's value may lie below the file's. [-]
    tender_date : datetime.date

    Returns
    -------
    flags : dict of str to numpy.ndarray of bool
        :data:`ATTACHED_CHECKS` and ``epd_attached_value_higher``.
    detail : numpy.ndarray of object
        Per line: the file, its value and unit and its valid-until date, and
        the bid's value in the file's unit; "" for lines without a match.
    """
    from klimafotavtrykk.tender.epd_checks import normalise_epd_number
    from klimafotavtrykk.units import parse_units

    n = len(materials)
    kinds = (*ATTACHED_CHECKS, "epd_attached_value_higher")
    flags = {k: np.zeros(n, dtype=bool) for k in kinds}
    detail = filled(n, "")
    if attached is None or not len(attached.frame) or not claims.usable.any():
        return flags, detail
    codes, distinct = pd.factorize(pd.Series(materials["epd_id"].to_numpy(dtype=object)))
    keys = [normalise_epd_number(d) for d in distinct]  # distinct numbers only
    row = np.append(attached.frame.index.get_indexer(keys), -1)[codes]
    hit = claims.usable & (row >= 0)
    if not hit.any():
        return flags, detail
    at = np.flatnonzero(hit)
    epd = attached.frame.iloc[row[at]]
    spellings = pd.unique(pd.concat([claims.unit.iloc[at].astype(object),
                                     epd["declared_unit"].astype(object)]))
    parsed = parse_units(spellings)
    bid_unit = claims.unit.iloc[at].astype(object)
    bid_dim = bid_unit.map(parsed["dimension"]).to_numpy(dtype=object)
    bid_scale = bid_unit.map(parsed["scale"]).to_numpy(dtype=float)
    epd_dim = epd["declared_unit"].map(parsed["dimension"]).to_numpy(dtype=object)
    epd_value = epd["A1-A3"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        bid_value = claims.value[at] / bid_scale  # [kg CO2e per base unit]
    same_unit = bid_dim == epd_dim
    margin = tolerance * np.abs(epd_value)
    expired = (epd["valid_until"] < pd.Timestamp(tender_date)).to_numpy(dtype=bool)
    later = (claims.valid_until.iloc[at].to_numpy() > epd["valid_until"].to_numpy())
    found = {
        "epd_attached_unit": ~same_unit,
        "epd_attached_value": same_unit & (bid_value < epd_value - margin),
        "epd_attached_expired": expired,
        "epd_attached_valid_until": ~expired & later,
        "epd_attached_value_higher": same_unit & (bid_value > epd_value + margin),
    }
    for kind, mask in found.items():
        flags[kind][at] = mask
    dates = epd["valid_until"].dt.strftime("%Y-%m-%d").fillna("?")
    unit = epd["declared_unit"].astype(str)
    bid_text = pd.Series(bid_value, index=epd.index).map("{:.6g}".format).where(same_unit, "?")
    detail[at] = (epd["file"].astype(str) + ": " + epd["A1-A3"].map("{:.6g}".format) + " kg CO2e/"
                  + unit + ", valid until " + dates + "; bid " + bid_text + " kg CO2e/"
                  + unit).to_numpy(dtype=object)  # formatted for the matched lines only
    return flags, detail
