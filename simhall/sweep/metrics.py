"""One row of figures per variant: what a sweep compares its variants by.

A variant's row is the front page of its run report: hall-wide means with 95% CIs over
replications (share of cases within their limits, on-site rate, visits, the mean window
wait, utilizations), the worst department's mean wait, the summed recommended limits of
the commitment items (the shortest limits met by the service level of their cases, pooled
over replications) next to the summed committed limits, and what the variant staffs.
"""

from __future__ import annotations

import math

import numpy as np

from simhall.experiment import RunResult
from simhall.reporting.metrics import across

__all__ = ["CI_METRICS", "METRICS", "variant_metrics"]

CI_METRICS = (
    "share_within",
    "mean_wait_min",
    "onsite_rate",
    "visits_per_case",
    "window_utilization",
    "staff_utilization",
    "cases",
    "in_progress",
)
"""Hall-wide figures with a 95% CI over replications (columns ``<m>_ci_low/_ci_high``)."""

METRICS = (
    *CI_METRICS,
    "worst_wait_min",
    "limit_sum_days",
    "committed_sum_days",
    "items_without_limit",
    "windows",
    "staff",
)
"""Every figure of a variant's row (the objective may use any of them, or ``cost``)."""


def variant_metrics(result: RunResult) -> dict[str, float]:
    """The figures of one variant's run.

    ``limit_sum_days`` sums the recommended limits (``recommended_days`` of
    :attr:`RunResult.items`) of the commitment items that have one;
    ``items_without_limit`` counts those that have none (no completed case).
    """
    from simhall.compare.runs import hall_reps

    per_rep = hall_reps(result)
    row: dict[str, float] = {}
    for rec in across(per_rep, [], list(CI_METRICS)).to_dict("records"):
        row[rec["metric"]] = float(rec["mean"])
        row[f"{rec['metric']}_ci_low"] = float(rec["ci_low"])
        row[f"{rec['metric']}_ci_high"] = float(rec["ci_high"])
    waits = result.departments["mean_wait_min"].to_numpy(dtype=np.float64)
    row["worst_wait_min"] = float(np.nanmax(waits)) if np.isfinite(waits).any() else math.nan
    items = result.items[result.items["kind"] == "commitment"]
    limits = items["recommended_days"].to_numpy(dtype=np.float64)
    row["limit_sum_days"] = float(np.nansum(limits))
    row["committed_sum_days"] = float(items["committed_days"].astype("float64").sum())
    row["items_without_limit"] = float(np.isnan(limits).sum())
    row["windows"] = float(sum(d.windows for d in result.scenario.departments))
    row["staff"] = float(sum(p.staff for d in result.scenario.departments for p in d.pools))
    return row
