"""Sizing a hall: how many windows and staff meet the wait target and the committed limits.

=====================  ==================================================================
:mod:`~.erlang`        the queueing start: busiest-hour loads, Erlang C staffing rule
:mod:`~.plan`          :class:`Plan` (windows and staff per :class:`Unit`), the overlay
:mod:`~.measure`       :class:`Target`, :class:`Measurement` of one run
:mod:`~.runs`          :class:`PlanRuns`: plans simulated with common random numbers, once
:mod:`~.search`        :func:`size`: Erlang start, simulation refinement, minimality
:mod:`~.result`        :class:`SizingResult`: table, overlay, report, folder
:mod:`~.budget`        :func:`allocate_budget`: N extra people, greedy marginal analysis
=====================  ==================================================================

See ``docs/sizing.md``.
"""

from __future__ import annotations

from simhall.sizing.budget import OBJECTIVES, BudgetResult, allocate_budget
from simhall.sizing.erlang import (
    mmc_wait,
    pool_loads,
    servers_for_wait,
    window_loads,
)
from simhall.sizing.measure import Measurement, Target
from simhall.sizing.plan import Plan, Unit, overlay_toml
from simhall.sizing.result import SizingResult
from simhall.sizing.runs import PlanRuns, default_runner
from simhall.sizing.search import size

__all__ = [
    "OBJECTIVES",
    "BudgetResult",
    "Measurement",
    "Plan",
    "PlanRuns",
    "SizingResult",
    "Target",
    "Unit",
    "allocate_budget",
    "default_runner",
    "mmc_wait",
    "overlay_toml",
    "pool_loads",
    "servers_for_wait",
    "size",
    "window_loads",
]
