"""Validation: a scenario against a case log, held-out forecasts, parameter recovery and
reform back-tests (docs/validation.md, docs/backtest.md).

Modules: :mod:`~simhall.validation.tolerances`, :mod:`~simhall.validation.cases`,
:mod:`~simhall.validation.closure`, :mod:`~simhall.validation.closure_rules`,
:mod:`~simhall.validation.scoring`, :mod:`~simhall.validation.result`,
:mod:`~simhall.validation.figures`, :mod:`~simhall.validation.validate`,
:mod:`~simhall.validation.holdout`, :mod:`~simhall.validation.naive`,
:mod:`~simhall.validation.recovery`, :mod:`~simhall.validation.backtest`,
:mod:`~simhall.validation.backtest_scoring`.
"""

from simhall.validation.cases import case_table
from simhall.validation.closure import ClosedRule, Closure
from simhall.validation.closure_rules import infer_closed, infer_closure
from simhall.validation.holdout import HoldoutResult, holdout
from simhall.validation.naive import naive_comparison
from simhall.validation.result import ValidationResult
from simhall.validation.tolerances import (
    DEFAULT_MIN_CASES,
    DEFAULT_TOLERANCES,
    METRICS,
    Tolerance,
    Tolerances,
    TolerancesError,
)
from simhall.validation.validate import validate

__all__ = [
    "ClosedRule",
    "Closure",
    "DEFAULT_MIN_CASES",
    "DEFAULT_TOLERANCES",
    "METRICS",
    "HoldoutResult",
    "Tolerance",
    "Tolerances",
    "TolerancesError",
    "ValidationResult",
    "case_table",
    "holdout",
    "infer_closed",
    "infer_closure",
    "naive_comparison",
    "validate",
]
