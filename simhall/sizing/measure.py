"""What sizing asks of a simulated hall, and what it reads from one run.

A sizing brief is a pair of promises: applicants at a department's windows wait at most so
many minutes (on average, or nine in ten of them), and every commitment item (承诺件) meets
its committed limit for the service level's share of its cases. :class:`Target` is that
brief; :class:`Measurement` keeps, of one simulated run, just the figures the brief and the
budget question need (per replication, so that plans run with the same seed can be paired).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simhall.experiment import RunResult
from simhall.reporting import censoring, durations, metrics
from simhall.reporting.stability import stations_of

__all__ = ["Measurement", "Target", "ci", "measure", "pooled_within"]


@dataclass(frozen=True)
class Target:
    """The sizing brief.

    Parameters
    ----------
    wait_target_min : float
        The longest acceptable window wait, minutes (its ``wait_stat``).
    wait_stat : {"mean", "p90"}
        Which wait statistic of a department (mean over replications) must stay within it.
    service_level : float
        Share of an item's completed cases (all replications pooled) that must finish
        within the committed limit.
    """

    wait_target_min: float
    wait_stat: str = "mean"
    service_level: float = 0.95

    def __post_init__(self) -> None:
        if not (math.isfinite(self.wait_target_min) and self.wait_target_min >= 0):
            raise ValueError(f"wait target = {self.wait_target_min!r}: expected minutes >= 0")
        if self.wait_stat not in ("mean", "p90"):
            raise ValueError(f"wait statistic = {self.wait_stat!r}: expected mean or p90")
        if not 0 < self.service_level < 1:
            raise ValueError(f"service level = {self.service_level!r}: expected a share in (0, 1)")

    @property
    def wait_metric(self) -> str:
        """``"mean_wait_min"`` or ``"p90_wait_min"``."""
        return f"{self.wait_stat}_wait_min"


def ci(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95% Student-t interval of replication values (NaN bounds with one)."""
    return metrics.confidence_interval(np.asarray(values, dtype=np.float64), lower=0.0)


@dataclass(frozen=True)
class Measurement:
    """The figures of one run that sizing reads.

    Attributes
    ----------
    waits : pandas.DataFrame
        ``replication, department, visits, mean_wait_min, p90_wait_min``.
    items : pandas.DataFrame
        Per replication and commitment item: ``replication, item_id, cases, completed,
        mean_days, share_within, limit_at_sl``.
    pooled_within : pandas.Series
        Per commitment item, the share of all replications' completed cases within the
        committed limit.
    utilization : pandas.Series
        Mean staff utilization per ``(department, pool)``.
    unstable : mapping of str to str
        The run's unstable stations (``department/window``, ``department/<pool>``) and why
        (:func:`simhall.reporting.stability.stations_of`): work comes faster than they can
        do it, so the cases that got through say little of a longer run.
    """

    waits: pd.DataFrame
    items: pd.DataFrame
    pooled_within: pd.Series
    utilization: pd.Series
    unstable: Mapping[str, str] = field(default_factory=dict)

    def wait(self, department: str, metric: str) -> tuple[float, float, float]:
        """Mean and CI over replications of a department's wait ``metric`` (NaN when no
        applicant came to its windows)."""
        rows = self.waits[self.waits["department"] == department]
        return ci(rows[metric].to_numpy())

    def wait_met(self, department: str, target: Target) -> bool:
        """Whether the department's mean wait statistic is within the target."""
        mean = self.wait(department, target.wait_metric)[0]
        return not mean > target.wait_target_min

    def item_met(self, item_id: str, target: Target) -> bool:
        """Whether the item's pooled share within its limit (the cases still open counted:
        :func:`pooled_within`) reaches the service level (an item without cases counts as
        met)."""
        share = self.pooled_within.get(item_id, math.nan)
        return not share < target.service_level

    def worst_item(self, item_ids: Sequence[str]) -> tuple[str, float, float, float]:
        """The item of ``item_ids`` with the lowest pooled share within its limit, that
        share and the CI of its per-replication shares (``("", nan, nan, nan)`` if none has
        cases)."""
        shares = self.pooled_within.reindex(list(item_ids)).dropna()
        if shares.empty:
            return "", math.nan, math.nan, math.nan
        worst = str(shares.idxmin())
        per_rep = self.items.loc[self.items["item_id"] == worst, "share_within"].to_numpy()
        _, lo, hi = ci(per_rep)
        return worst, float(shares.min()), min(lo, 1.0), min(hi, 1.0)

    def limit_sum(self) -> np.ndarray:
        """Per replication: the summed shortest limits meeting the service level over the
        commitment items (working days)."""
        return self._per_rep(self.items.groupby("replication")["limit_at_sl"].sum())

    def case_days(self) -> np.ndarray:
        """Per replication: working days of all completed commitment cases."""
        days = self.items["mean_days"] * self.items["completed"]
        return self._per_rep(days.groupby(self.items["replication"]).sum())

    def hall_wait(self) -> np.ndarray:
        """Per replication: the mean window wait over every visit in the hall (minutes)."""
        w = self.waits.dropna(subset=["mean_wait_min"])
        total = (w["mean_wait_min"] * w["visits"]).groupby(w["replication"]).sum()
        visits = w["visits"].groupby(w["replication"]).sum()
        return self._per_rep(total / visits)

    def _per_rep(self, series: pd.Series) -> np.ndarray:
        reps = sorted(self.waits["replication"].unique())
        return series.reindex(reps).to_numpy(dtype=np.float64)


def measure(result: RunResult) -> Measurement:
    """The :class:`Measurement` of a run."""
    dept_ids = [d.id for d in result.scenario.departments]
    waits = metrics.window_waits_by_replication(result.events, dept_ids)
    cases = result.cases[result.cases["kind"] == "commitment"]
    items = metrics.items_by_replication(cases, result.settings.service_level)
    if items.empty:
        items = pd.DataFrame(
            columns=[
                "replication",
                "item_id",
                "cases",
                "completed",
                "mean_days",
                "share_within",
                "limit_at_sl",
            ]
        )
    items = items[
        ["replication", "item_id", "cases", "completed", "mean_days", "share_within", "limit_at_sl"]
    ]
    st = result.stations[result.stations["kind"] == "pool"]
    utilization = st.groupby(["department", "station"])["utilization"].mean()
    stations = stations_of(result.summary)
    bad = stations[stations["unstable"].astype(bool)]
    unstable = dict(zip(bad["station"].astype(str), bad["reason"].astype(str), strict=True))
    return Measurement(
        waits, items.reset_index(drop=True), pooled_within(cases), utilization, unstable
    )


def pooled_within(cases: pd.DataFrame) -> pd.Series:
    """Per commitment item, the share of all replications' cases done within the committed
    limit, as ``simhall run`` counts it: a case still open past its limit is a failure, the
    others still open are right-censored (Kaplan-Meier,
    :func:`simhall.reporting.censoring.done_by`); the plain share of the completed cases
    when none is open. A plan whose files pile up unfinished does not pass for one that
    keeps its limits because the few that finished did."""
    shares = {}
    for item_id, group in cases.groupby("item_id", sort=True, observed=True):
        limit = group["committed_days"].iloc[0]
        if pd.isna(limit):
            continue
        _, days, open_days = durations.split_cases(group)
        share = censoring.done_by(days, open_days, float(limit))
        if math.isfinite(share):
            shares[str(item_id)] = share
    return pd.Series(shares, dtype="float64", name="within_limit")
