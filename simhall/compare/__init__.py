"""Reforms against a base scenario: common random numbers, paired CIs, time-limit
compression, contributions and rankings (:func:`compare`).

Modules, one concept each: :mod:`~simhall.compare.runs` (running with common random numbers,
per-replication frames), :mod:`~simhall.compare.paired` (paired differences),
:mod:`~simhall.compare.items` (per-item table, sets of items, one-form bundles),
:mod:`~simhall.compare.headlines` (each headline split into slack and reform effect),
:mod:`~simhall.compare.scorecards` (the window scorecard before and after),
:mod:`~simhall.compare.contributions` (combined reforms), :mod:`~simhall.compare.ranking`
(chief representatives), :mod:`~simhall.compare.comparison` (:func:`compare`),
:mod:`~simhall.compare.figures` and :mod:`~simhall.compare.report` (files written).
"""

from simhall.compare.comparison import Comparison, compare
from simhall.compare.contributions import combine, contributions
from simhall.compare.headlines import headline_split
from simhall.compare.items import aggregate, bundle_table, item_table, steps_table
from simhall.compare.paired import paired, sectioned_interval
from simhall.compare.ranking import rank_chief_representatives
from simhall.compare.report import report_cell, write_comparison
from simhall.compare.runs import department_reps, hall_reps, item_reps, run_scenarios
from simhall.compare.scorecards import scorecard_change

__all__ = [
    "Comparison",
    "aggregate",
    "bundle_table",
    "combine",
    "compare",
    "contributions",
    "department_reps",
    "hall_reps",
    "headline_split",
    "item_reps",
    "item_table",
    "paired",
    "rank_chief_representatives",
    "report_cell",
    "run_scenarios",
    "scorecard_change",
    "sectioned_interval",
    "steps_table",
    "write_comparison",
]
