"""Tenders: the competition file, the bid workbook, and scoring many bids.

A client describes a competition in ``konkurranse.toml``
(:mod:`~klimafotavtrykk.tender.competition`) and attaches the bid climate
workbook to the tender (:mod:`~klimafotavtrykk.tender.template`); each filled
bid is read back (:mod:`~klimafotavtrykk.tender.reader`; writer and reader
both take the workbook's layout from :mod:`~klimafotavtrykk.tender.schema`),
computed (:mod:`~klimafotavtrykk.tender.evaluation`, with
:mod:`~klimafotavtrykk.tender.claims`, :mod:`~klimafotavtrykk.tender.materials`
and :mod:`~klimafotavtrykk.tender.site_energy`) and the batch scored
(:mod:`~klimafotavtrykk.tender.batch`). The point models themselves live in
:mod:`klimafotavtrykk.scoring`.

The names below are the public ones; import them from here::

    from klimafotavtrykk.tender import load_competition, score_bids

They are loaded on first use, each from its own module, so that a command
that needs one of them (``beregn`` reads a workbook's site sheet with
:func:`read_site_sheet`) does not import the batch, the evaluation and the
scoring with it.
"""

from __future__ import annotations

import importlib

#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(("Evaluation", "bid_paths", "evaluate_summaries", "score_bid", "score_bids"),
                    "klimafotavtrykk.tender.batch"),
    **dict.fromkeys(("CLIENT_SOURCE", "Competition", "ProductLimit", "competition_parameters",
                     "load_competition"), "klimafotavtrykk.tender.competition"),
    **dict.fromkeys(("BidSummary", "evaluate_bid"), "klimafotavtrykk.tender.evaluation"),
    **dict.fromkeys(("DOWNGRADES", "FINDING_KINDS"), "klimafotavtrykk.tender.findings"),
    **dict.fromkeys(("Bid", "bid_frames", "read_bid", "read_site_sheet", "site_amounts"),
                    "klimafotavtrykk.tender.reader"),
    **dict.fromkeys(("DATASET_TYPES", "DECLARATION_FIELDS", "MATERIAL_COLUMNS", "SHEETS",
                     "SITE_COLUMNS", "Column", "bid_aliases", "parse_dataset_type",
                     "parse_yes_no", "template_headers"), "klimafotavtrykk.tender.schema"),
    "write_template": "klimafotavtrykk.tender.template",
}

__all__ = [
    # the competition
    "CLIENT_SOURCE", "Competition", "ProductLimit", "load_competition",
    # the bid workbook
    "SHEETS", "MATERIAL_COLUMNS", "SITE_COLUMNS", "DECLARATION_FIELDS", "DATASET_TYPES", "Column",
    "template_headers", "write_template",
    "Bid", "read_bid", "read_site_sheet", "bid_aliases", "bid_frames", "parse_yes_no",
    "parse_dataset_type", "site_amounts",
    # one bid, and the batch
    "BidSummary", "DOWNGRADES", "FINDING_KINDS", "evaluate_bid", "score_bid",
    "Evaluation", "bid_paths", "competition_parameters", "evaluate_summaries", "score_bids",
]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'klimafotavtrykk.tender' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # found here from now on, without this function
    return value


def __dir__():
    return sorted({*globals(), *__all__})
