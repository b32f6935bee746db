"""The scorecard's indicators a case log (or a simulated run) holds, per window (department).

An evaluation office scoring the windows of a hall reads its files the way an auditor does:
for each department, how many cases were settled on the spot (现场办结率), how many within
the committed limit (按时办结率), how long applicants waited at the windows (mean and P90),
how many were sent home to complete their papers (补正), how often the windows served after
the evening close, how many working days a case took against its limit, and how long the
queue was in the busiest hour. :data:`INDICATORS` names them; :func:`indicators` computes
them per replication and department from a :class:`~simhall.scorecard.source.CaseData`
(an observed log is one replication); :func:`across` averages them with 95% CIs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simhall.reporting.metrics import confidence_interval
from simhall.scorecard.source import CaseData

__all__ = ["INDICATORS", "Indicator", "across", "indicators", "peak_queue"]


@dataclass(frozen=True)
class Indicator:
    """What an indicator measures: English and Chinese labels and its unit."""

    label: str
    label_zh: str
    unit: str


INDICATORS: dict[str, Indicator] = {
    "onsite_rate": Indicator("on-site completion", "现场办结率", "share"),
    "share_within": Indicator("commitment cases within the limit", "按时办结率", "share"),
    "mean_wait_min": Indicator("mean window wait", "平均等候时间", "minutes"),
    "p90_wait_min": Indicator("P90 window wait", "90%等候时间", "minutes"),
    "correction_rate": Indicator("cases sent back for correction", "补正率", "share"),
    "overtime_share": Indicator("window visits ending after the close", "超时服务比例", "share"),
    "days_to_limit": Indicator("working days over the committed limit", "用时/承诺时限", "ratio"),
    "peak_queue": Indicator("mean queue in the busiest hour", "高峰排队长度", "applicants"),
}
"""The indicators computable from a case log or a run, in report order."""


def _share(mask: pd.Series) -> float:
    return float(mask.mean()) if len(mask) else math.nan


def peak_queue(visits: pd.DataFrame) -> float:
    """The mean number waiting in the busiest clock hour.

    Each visit waits from ``ready`` to ``start``; the waiting minutes falling in each clock
    hour of each day, over 60, are the time-average queue of that hour on that day. The
    average over the days with visits, per clock hour, peaks at the busiest hour.

    Parameters
    ----------
    visits : pandas.DataFrame
        Window visits with ``ready`` and ``start`` timestamps.
    """
    v = visits.dropna(subset=["ready", "start"])
    if v.empty:
        return math.nan
    day = v["ready"].dt.normalize()
    t0 = ((v["ready"] - day).dt.total_seconds() / 60.0).to_numpy()
    t1 = ((v["start"] - day).dt.total_seconds() / 60.0).to_numpy()
    days = day.to_numpy()
    n_days = len(np.unique(days))
    best = 0.0
    for hour in range(24):
        lo, hi = 60.0 * hour, 60.0 * (hour + 1)
        overlap = np.clip(np.minimum(t1, hi) - np.maximum(t0, lo), 0.0, None)
        best = max(best, float(overlap.sum()) / 60.0 / n_days)
    return best


def _department_row(cases: pd.DataFrame, visits: pd.DataFrame) -> dict[str, float]:
    done = cases[cases["completed"]]
    commit = done[done["kind"] == "commitment"]
    limit = commit["committed_days"].astype("float64")
    has_limit = limit > 0
    wait = (visits["start"] - visits["ready"]).dt.total_seconds() / 60.0
    wait = wait.dropna()
    return {
        "cases": float(len(cases)),
        "onsite_rate": _share(done["onsite"]),
        "share_within": _share(commit["working_days"] <= limit),
        "mean_wait_min": float(wait.mean()) if len(wait) else math.nan,
        "p90_wait_min": float(np.quantile(wait, 0.9)) if len(wait) else math.nan,
        "correction_rate": _share(cases["corrections"] > 0),
        "overtime_share": _share(visits["after_close"]),
        "days_to_limit": float((commit["working_days"][has_limit] / limit[has_limit]).mean())
        if has_limit.any()
        else math.nan,
        "peak_queue": peak_queue(visits),
    }


def indicators(data: CaseData) -> pd.DataFrame:
    """Every indicator per replication and department.

    Returns
    -------
    pandas.DataFrame
        ``replication, department, cases`` and one column per :data:`INDICATORS` key
        (NaN where the log cannot say: no commitment case, no ready or start times).
    """
    rows = []
    cases_by = dict(tuple(data.cases.groupby(["replication", "department"])))
    visits_by = dict(tuple(data.visits.groupby(["replication", "department"])))
    empty_visits = data.visits.iloc[0:0]
    for key in sorted(cases_by):
        row = _department_row(cases_by[key], visits_by.get(key, empty_visits))
        rows.append({"replication": key[0], "department": key[1], **row})
    return pd.DataFrame(rows, columns=["replication", "department", "cases", *INDICATORS])


def across(per_rep: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95% CI over replications of every indicator, per department.

    Returns
    -------
    pandas.DataFrame
        ``department, indicator, value, ci_low, ci_high, reps``.
    """
    rows = []
    for dept, group in per_rep.groupby("department", sort=False):
        for name in INDICATORS:
            values = group[name].to_numpy(dtype=np.float64)
            mean, lo, hi = confidence_interval(values, lower=0.0)
            rows.append(
                {
                    "department": dept,
                    "indicator": name,
                    "value": mean,
                    "ci_low": lo,
                    "ci_high": hi,
                    "reps": int(np.isfinite(values).sum()),
                }
            )
    return pd.DataFrame(
        rows, columns=["department", "indicator", "value", "ci_low", "ci_high", "reps"]
    )
