"""Validation: a scenario against a case log, held-out forecasts, parameter recovery and
reform back-tests (docs/validation.md, docs/backtest.md)."""

from simhall.validation.validate import (
    DEFAULT_MIN_CASES,
    DEFAULT_TOLERANCES,
    METRICS,
    HoldoutResult,
    Tolerance,
    Tolerances,
    ValidationResult,
    case_table,
    holdout,
    infer_closed,
    naive_comparison,
    validate,
)

__all__ = [
    "DEFAULT_MIN_CASES",
    "DEFAULT_TOLERANCES",
    "METRICS",
    "HoldoutResult",
    "Tolerance",
    "Tolerances",
    "ValidationResult",
    "case_table",
    "holdout",
    "infer_closed",
    "naive_comparison",
    "validate",
]
