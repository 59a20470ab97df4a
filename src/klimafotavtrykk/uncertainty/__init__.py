"""How sure is a footprint: Monte Carlo over emission factors and quantities.

Each factor row gets a lognormal multiplier with median 1 whose geometric
standard deviation (gsd) follows the row's data quality
(``data/uncertainty/factor_uncertainty.csv``: product EPD, industry EPD or
generic data, by material group); each line may carry a spread of its
quantity by design stage (``data/uncertainty/quantity_uncertainty.csv``).
Operational energy (B6) gets one multiplier for the gap between the energy
use calculated and measured (``data/uncertainty/energy_uncertainty.csv``);
the other contributions beside the lines (site, mass transport) are added
as calculated.
Lines that share a factor row share its multiplier: one draw per distinct
factor row, gathered per line, so that two lines of one EPD move together.

The footprint is linear in the multipliers, so the engine works per factor,
not per line (as the calculation does): the lines are binned once into
*cells* (factor row, intensity row, building part) with their emissions per
output (total, each module, each building part), and a chunk of samples is
``multipliers (samples × factors) @ contributions (factors × outputs)``.
Quantity spreads add one draw per cell: the sum of a cell's lines, each with
its own lognormal multiplier, is drawn as one lognormal with the same mean
and variance (Fenton 1960), exact for a cell of one line.

:func:`uncertainty` samples one :class:`~klimafotavtrykk.assessment.Assessment`;
:func:`sample_outputs` is the kernel, fed by :func:`result_cells` or by a
caller's own per-factor contributions (alternatives, bids) so that several
totals can share the same factor draws (common random numbers).

Modules
-------
=========================  ======================================================
:mod:`.spreads`            the spread tables (``data/uncertainty/``), look-ups
:mod:`.sampling`           kernels: lognormal draws in chunks, shared draws
:mod:`.footprint`          a calculation as cells, :func:`uncertainty`
=========================  ======================================================

Every public name is re-exported here. The module is callable as
:func:`uncertainty`, so ``kf.uncertainty(result)`` works whether the name
resolves to the function or to this module.
"""

from __future__ import annotations

import sys
import types

from klimafotavtrykk.uncertainty.footprint import (
    PERCENTILES,
    Cells,
    Uncertainty,
    result_cells,
    sample_together,
    summarise,
    uncertainty,
)
from klimafotavtrykk.uncertainty.sampling import (
    CHUNK_VALUES,
    fenton_wilkinson,
    probability_lower,
    sample_outputs,
    sample_shared,
)
from klimafotavtrykk.uncertainty.spreads import (
    age_sigma,
    energy_uncertainty_from_frame,
    factor_gsd,
    factor_uncertainty_from_frame,
    load_age_uncertainty,
    load_energy_uncertainty,
    load_factor_uncertainty,
    load_quantity_uncertainty,
    quantity_uncertainty_from_frame,
)

__all__ = [
    "PERCENTILES",
    "CHUNK_VALUES",
    "Cells",
    "Uncertainty",
    "load_factor_uncertainty",
    "load_quantity_uncertainty",
    "load_age_uncertainty",
    "load_energy_uncertainty",
    "energy_uncertainty_from_frame",
    "age_sigma",
    "factor_uncertainty_from_frame",
    "quantity_uncertainty_from_frame",
    "factor_gsd",
    "fenton_wilkinson",
    "result_cells",
    "sample_outputs",
    "sample_shared",
    "sample_together",
    "probability_lower",
    "summarise",
    "uncertainty",
]


class _CallableModule(types.ModuleType):
    """The module, callable as :func:`uncertainty`.

    ``kf.uncertainty`` is the function while the module is not imported, and
    the module once it is (Python binds an imported submodule to its
    package's attribute); calling either gives the same result.
    """

    def __call__(self, *args, **kwargs) -> Uncertainty:
        return uncertainty(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
