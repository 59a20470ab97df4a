"""What the evaluation of a bid lists: the kinds of findings and their frame.

A finding is a line or cell of a bid that was downgraded, not computed, or
not understood. Every finding frame has the columns of
:data:`FINDING_COLUMNS`; user-facing texts are ``messages`` keys
``finding.<kind>``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimafotavtrykk.tender.reference import QUANTITY_FINDINGS

__all__ = ["BATCH_KINDS", "DOWNGRADES", "FINDING_KINDS", "FINDING_COLUMNS", "empty_findings", "sorted_findings"]

#: Finding kinds that lower what a bid claims (a downgraded line).
DOWNGRADES: tuple[str, ...] = (
    "expired_epd", "epd_negative_value", "epd_bad_mass", "epd_number_malformed",
    "epd_missing_valid_until", "epd_validity_too_long", "epd_implausible", "epd_below_range",
    "epd_range_not_comparable", "epd_mass_below_range",
    "epd_mass_not_comparable", "uncommitted", "uncommitted_site", "missing_epd_id",
    "missing_epd_value", "unknown_epd_unit", "epd_not_usable",
    "epd_attached_unit", "epd_attached_value", "epd_attached_expired", "epd_attached_valid_until")
#: Findings on a whole bid that only the batch sees (tender-batch): duplicates and the price.
BATCH_KINDS: tuple[str, ...] = ("duplicate_file", "duplicate_content", "invalid_price")
#: Every finding kind, in the order the evaluation lists them (messages: ``finding.<kind>``).
FINDING_KINDS: tuple[str, ...] = (
    *BATCH_KINDS, "product_limit_exceeded", "product_limit_unit_mismatch", *QUANTITY_FINDINGS,
    *DOWNGRADES, "epd_above_range", "epd_attached_value_higher", "epd_accepted", "scenario_accepted", "bad_dataset_type",
    "scenario_not_counted", "bad_date", "bad_committed", "unknown_site_unit", "bad_site_number", "mass_transport_metered", "site_carrier_fallback",
    "site_not_computed",
    "not_computed",
    "second_materials_sheet", "reader")
#: Columns of a finding frame: ``kg_co2e_claimed`` and ``kg_co2e`` in [kg CO2e].
FINDING_COLUMNS: tuple[str, ...] = ("file", "source_ref", "kind", "reason", "detail",
                                    "kg_co2e_claimed", "kg_co2e")


def empty_findings() -> pd.DataFrame:
    """Return a finding frame without rows, with the columns' dtypes.

    Returns
    -------
    DataFrame
        Columns :data:`FINDING_COLUMNS`; the ``kg_`` ones float, the others object.
    """
    return _EMPTY.copy()  # a copy of one built once: 40 µs instead of 1 ms per call


_EMPTY = pd.DataFrame({c: pd.Series(dtype=float if c.startswith("kg") else object)
                       for c in FINDING_COLUMNS})


def sorted_findings(frames, file: str) -> pd.DataFrame:
    """Put the findings of one bid in one frame, in the order of :data:`FINDING_KINDS`.

    Parameters
    ----------
    frames : list of DataFrame
        Finding frames (any subset of :data:`FINDING_COLUMNS`); empty ones are skipped.
    file : str
        The bid's file name, set on every row.

    Returns
    -------
    DataFrame
        Columns :data:`FINDING_COLUMNS`; rows sorted by kind, stable within a kind.
    """
    frames = [f for f in frames if len(f)]
    findings = (pd.concat(frames, ignore_index=True).reindex(columns=list(FINDING_COLUMNS))
                if frames else empty_findings())
    findings["file"] = file
    codes, kinds = pd.factorize(findings["kind"].to_numpy(dtype=object), use_na_sentinel=True)
    # each distinct kind looked up once; an unknown or missing kind first (-1), as a category code
    rank = np.array([_KIND_ORDER.get(k, -1) if isinstance(k, str) else -1 for k in kinds] + [-1],
                    dtype=np.int64)[codes]
    return findings.iloc[np.argsort(rank, kind="stable")].reset_index(drop=True)


#: Position of each finding kind in :data:`FINDING_KINDS` (the sort key of :func:`sorted_findings`).
_KIND_ORDER = {kind: i for i, kind in enumerate(FINDING_KINDS)}
