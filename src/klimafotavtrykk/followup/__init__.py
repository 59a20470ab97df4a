"""Contract follow-up: hold the winning bid to its promise, month by month.

:mod:`~klimafotavtrykk.followup.model` declares what a contract promised and
what a monthly report holds; the modules beside it read the contract file and
the contractor's monthly workbooks, and compare them with the promise.
"""

from klimafotavtrykk.followup.model import (
    PROMISE_MACHINE_COLUMNS,
    PROMISE_MATERIAL_COLUMNS,
    REPORT_MATERIAL_COLUMNS,
    REPORT_SITE_COLUMNS,
    RULE_KINDS,
    Contract,
    MonthlyReport,
    Rule,
)

__all__ = ["RULE_KINDS", "REPORT_SITE_COLUMNS", "REPORT_MATERIAL_COLUMNS", "PROMISE_MACHINE_COLUMNS",
           "PROMISE_MATERIAL_COLUMNS", "Rule", "Contract", "MonthlyReport"]
