"""Run scenarios with common random numbers and read each run per replication.

Like timing the same customers through two hall layouts: every scenario runs with the same
seed and replications, and streams are named per item and purpose (:mod:`simhall.streams`),
so an item a reform leaves alone draws the same numbers in both runs and replication ``r``
of the base pairs with replication ``r`` of the reform. The ``*_reps`` frames hold one row
per replication (and item or department), ready for :func:`simhall.compare.paired`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from simhall.experiment import RunResult, run
from simhall.reforms import apply_reforms
from simhall.reporting import metrics
from simhall.reporting.stability import stations_of
from simhall.scenario.schema import Scenario

__all__ = [
    "DEPT_PAIRED",
    "HALL_PAIRED",
    "ITEM_PAIRED",
    "department_reps",
    "hall_reps",
    "item_reps",
    "run_scenarios",
    "station_reps",
]


ITEM_PAIRED = [
    "completed_share",
    "mean_days",
    "p95_days",
    "limit_at_sl",
    "share_within",
    "onsite_rate",
]
DEPT_PAIRED = ["mean_wait_min", "window_utilization", "staff_utilization", "max_station_util"]
HALL_PAIRED = [
    "onsite_rate",
    "completed_share",
    "open_past_limit",
    "share_within",
    "visits_per_case",
    "mean_wait_min",
    "window_utilization",
    "staff_utilization",
    "district_cases_per_day",
]


def run_scenarios(scenarios: Mapping[str, Scenario], **options: Any) -> dict[str, RunResult]:
    """Run every scenario (reforms applied) with the same ``options`` (seed, reps, ...).

    Parameters
    ----------
    scenarios : mapping of str to Scenario
        Labelled scenarios; their ``[[reforms]]`` are applied first.
    **options
        Keyword arguments of :func:`simhall.experiment.run` (``reps``, ``seed``, ``days``,
        ``workers``, ...), the same for every scenario (common random numbers).

    Returns
    -------
    dict
        Label -> :class:`~simhall.experiment.RunResult`.
    """
    return {label: run(apply_reforms(s), **options) for label, s in scenarios.items()}


def item_reps(result: RunResult) -> pd.DataFrame:
    """Per replication and item: the metrics of
    :func:`simhall.reporting.metrics.items_by_replication`."""
    return metrics.items_by_replication(result.cases, result.settings.service_level)


def department_reps(result: RunResult) -> pd.DataFrame:
    """Per replication and department: mean window wait, window and staff utilization."""
    ids = [d.id for d in result.scenario.departments]
    waits = metrics.window_waits_by_replication(result.events, ids)
    util = metrics.utilization_by_replication(result.stations, ["replication", "department"])
    return waits.merge(util, on=["replication", "department"], how="left")


def hall_reps(result: RunResult) -> pd.DataFrame:
    """Per replication, hall-wide: on-site rate, share within limits, visits per case, mean
    window wait, window and staff utilization, and cases per working day at district centers
    (items tagged ``district_center``)."""
    hall = metrics.hall_by_replication(result.cases)
    ids = [d.id for d in result.scenario.departments]
    waits = metrics.window_waits_by_replication(result.events, ids)
    w = waits.assign(tot=waits["mean_wait_min"] * waits["visits"]).groupby("replication")
    mean_wait = (w["tot"].sum() / w["visits"].sum().where(w["visits"].sum() > 0)).rename(
        "mean_wait_min"
    )
    util = metrics.utilization_by_replication(result.stations, ["replication"])
    hall = hall.merge(mean_wait.reset_index(), on="replication", how="left")
    hall = hall.merge(util, on="replication", how="left")
    district = {i.id for i in result.scenario.items if "district_center" in i.tags}
    n_days = _working_days(result)
    if district:
        counts = result.cases[result.cases["item_id"].isin(district)].groupby("replication").size()
        hall["district_cases_per_day"] = (
            hall["replication"].map(counts).fillna(0).astype(float) / n_days
        )
    else:
        hall["district_cases_per_day"] = 0.0
    return hall


def station_reps(results: Mapping[str, RunResult]) -> pd.DataFrame:
    """Per scenario and station: utilization, offered load, mean queue and queue growth
    (means and 95% CIs over replications), and whether the station is unstable, and why
    (:func:`simhall.reporting.stability.stations_of`): ``scenario, station, ...``."""
    parts = [stations_of(r.summary).assign(scenario=label) for label, r in results.items()]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return frame[["scenario", *[c for c in frame.columns if c != "scenario"]]]


def _working_days(result: RunResult) -> int:
    """Working days with arrivals counted in the results (after the warm-up)."""
    from simhall.calendar import WorkCalendar

    s = result.settings
    cal = WorkCalendar(result.scenario.calendar, s.days)
    return int(np.asarray(cal.working[s.warmup_days : s.days]).sum())
