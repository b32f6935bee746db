"""Reforms against a base scenario: common random numbers, paired CIs, time-limit
compression, contributions and rankings (:func:`compare`)."""

from simhall.compare.core import (
    Comparison,
    aggregate,
    bundle_table,
    combine,
    compare,
    contributions,
    department_reps,
    hall_reps,
    item_reps,
    item_table,
    markdown_table,
    paired,
    rank_chief_representatives,
    run_scenarios,
    steps_table,
    write_comparison,
)

__all__ = [
    "Comparison",
    "aggregate",
    "bundle_table",
    "combine",
    "compare",
    "contributions",
    "department_reps",
    "hall_reps",
    "item_reps",
    "item_table",
    "markdown_table",
    "paired",
    "rank_chief_representatives",
    "run_scenarios",
    "steps_table",
    "write_comparison",
]
