"""Scoring of tender bids on climate: point models, CO2-price add-on, gates, weights.

Layer 1 is pure functions on arrays or Series, one per published model and
vectorised over bids: :func:`dfo_linear`, :func:`dfo_proportional`,
:func:`reduction_points`, :func:`zero_emission_share_points`,
:func:`co2_price_addon`, the gates, :func:`committed_emissions`,
:func:`effective_weights` and :func:`rank_bids`. Layer 2 is
:class:`ScoringRule`, a frozen, validated set of parameters whose defaults come
from ``data/procurement/defaults.toml``; :func:`score` applies a rule to the
bids of one competition.

Lower emissions are better. Bids are the index of every Series (bidder names);
*valid* bids are those not rejected by a gate or for missing input, and every
"best" value is taken over valid bids only.

Modules
-------
=========================  ======================================================
:mod:`.models`             point models and the CO2-price add-on
:mod:`.gates`              committed emissions; frame, minimum share, product limits
:mod:`.weights`            weighted total, spread, effective and implied weights, § 7-9
:mod:`.rule`               :class:`ScoringRule`, :func:`load_procurement_defaults`
:mod:`.ranking`            :func:`score`, :func:`rank_bids`, :data:`EXPLANATIONS`;
                           the glossary of the columns :func:`score` returns
=========================  ======================================================

Every public name is re-exported here: ``from klimafotavtrykk.scoring import score``.
"""

from __future__ import annotations

from klimafotavtrykk.scoring.gates import (
    committed_emissions,
    frame_gate,
    minimum_share_gate,
    product_limit_gate,
)
from klimafotavtrykk.scoring.models import (
    co2_price_addon,
    dfo_linear,
    dfo_proportional,
    reduction_points,
    reduction_share,
    zero_emission_share_points,
)
from klimafotavtrykk.scoring.ranking import EXPLANATIONS, rank_bids, score
from klimafotavtrykk.scoring.rule import (
    BASES,
    CLIMATE_MODELS,
    CRITERIA,
    PRICE_MODELS,
    ZERO_EMISSION_BASES,
    ScoringRule,
    load_procurement_defaults,
)
from klimafotavtrykk.scoring.weights import (
    check_climate_weight,
    effective_weights,
    implied_climate_weight,
    spread,
    weighted_total,
)

__all__ = [
    "CLIMATE_MODELS",
    "PRICE_MODELS",
    "BASES",
    "ZERO_EMISSION_BASES",
    "CRITERIA",
    "EXPLANATIONS",
    "load_procurement_defaults",
    "dfo_linear",
    "dfo_proportional",
    "reduction_share",
    "reduction_points",
    "zero_emission_share_points",
    "co2_price_addon",
    "committed_emissions",
    "frame_gate",
    "minimum_share_gate",
    "product_limit_gate",
    "weighted_total",
    "spread",
    "effective_weights",
    "implied_climate_weight",
    "check_climate_weight",
    "rank_bids",
    "ScoringRule",
    "score",
]
