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
"""

from __future__ import annotations

from klimafotavtrykk.tender.batch import (
    Evaluation,
    bid_paths,
    evaluate_summaries,
    score_bid,
    score_bids,
)
from klimafotavtrykk.tender.competition import (
    CLIENT_SOURCE,
    Competition,
    ProductLimit,
    competition_parameters,
    load_competition,
)
from klimafotavtrykk.tender.evaluation import BidSummary, evaluate_bid
from klimafotavtrykk.tender.findings import DOWNGRADES, FINDING_KINDS
from klimafotavtrykk.tender.reader import Bid, bid_frames, read_bid, read_site_sheet, site_amounts
from klimafotavtrykk.tender.schema import (
    DATASET_TYPES,
    DECLARATION_FIELDS,
    MATERIAL_COLUMNS,
    SHEETS,
    SITE_COLUMNS,
    Column,
    bid_aliases,
    parse_dataset_type,
    parse_yes_no,
    template_headers,
)
from klimafotavtrykk.tender.template import write_template

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
