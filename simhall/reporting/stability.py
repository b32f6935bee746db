"""Whether a run's figures stand: stable stations, and recommendations with support.

A hall's inspector does not read the case statistics of a desk whose in-tray grows every
week: the figures of the cases that got through say nothing of those still in the tray, and
a shorter limit promised on their strength would not be kept. So, before a recommended
limit is printed, two checks:

- **Stations** (:func:`station_table`): per window row and back-office pool, the
  utilization (busy / open minutes x staff), the offered load (arrivals x mean work / (open
  minutes x staff): above 1 the work comes in faster than the station can do it, whatever
  the utilization says) and the trend of its queue by day. A station is *unstable* when its
  utilization is near 1, its offered load is at least 1, or its queue grows over the run
  (:class:`StabilityRule`). Each batch session kind (sign-off rounds, meetings) is a
  station too (``department/signoff``, ``department/meeting``): its utilization is the
  leader's minutes on the files over the minutes its rounds offer
  (:mod:`simhall.reporting.sessions`).
- **Support** (:func:`withheld`): an item's recommended limit and cut are withheld, with
  the reason, when fewer than ``min_completed_share`` of its cases completed or its route
  passes an unstable station.

Pure functions of the per-replication station frames and the scenario, like
:mod:`simhall.reporting.metrics`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simhall.reporting.metrics import across, across_grid, station_names
from simhall.scenario.schema import Scenario, SessionStep, Step, VisitStep, WorkStep

__all__ = [
    "STATION_METRICS",
    "StabilityRule",
    "route_stations",
    "station_table",
    "stations_by_replication",
    "stations_of",
    "withheld",
    "withheld_reasons",
]

STATION_METRICS = ["utilization", "offered_load", "mean_queue", "queue_growth"]
"""Per-station metrics summarized over replications."""


@dataclass(frozen=True)
class StabilityRule:
    """When a station is unstable and when a recommendation lacks support.

    Attributes
    ----------
    max_utilization : float
        A station busy at least this share of its open time (mean over replications) is
        saturated: there is no idle time left to absorb a busier day.
    max_offered_load : float
        A station offered at least this much work per unit of capacity cannot keep up.
    growth_jobs, growth_of_mean : float
        A queue grows over the run when its fitted growth (least-squares trend of the daily
        time-average queue, over the run's days) is at least ``growth_jobs`` jobs and at
        least ``growth_of_mean`` x its mean, and, with two replications or more, the lower
        95% bound of the mean growth over replications is above 0 (replications are
        independent, the days within one are not).
    min_completed_share : float
        Fewer completed cases of an item than this share withhold its recommendation.
    """

    max_utilization: float = 0.99
    max_offered_load: float = 1.0
    growth_jobs: float = 1.0
    growth_of_mean: float = 1.0
    min_completed_share: float = 0.95


def _trend(daily: object) -> tuple[float, int]:
    """Least-squares growth of a daily series over its span, and its number of days."""
    q = np.asarray(daily if isinstance(daily, tuple | list | np.ndarray) else (), dtype=float)
    n = q.size
    if n < 3:
        return math.nan, n
    x = np.arange(n, dtype=np.float64)
    slope = float(np.polyfit(x, q, 1)[0])
    return slope * (n - 1), n


def stations_by_replication(stations: pd.DataFrame) -> pd.DataFrame:
    """Per replication and station: utilization, offered load, mean queue, queue growth.

    ``station`` is ``department/name`` (``gongshang/window``, ``gongshang/clerk``). The
    offered load is ``arrivals x (work_min / served) / (open_min x capacity)`` over the
    measured period (NaN when nothing was served); ``queue_growth`` the least-squares growth
    of ``daily_queue`` over the measured days.
    """
    cols = ["replication", "station", "department", "kind", "capacity", *STATION_METRICS]
    if not len(stations):
        return pd.DataFrame(columns=cols)
    s = stations

    def floats(column: str) -> np.ndarray:
        return s[column].to_numpy(dtype=np.float64, na_value=np.nan)

    avail = floats("open_min") * floats("capacity")
    avail[~(avail > 0)] = np.nan
    if {"arrivals", "served", "work_min"} <= set(s.columns):
        served = floats("served")
        served[~(served > 0)] = np.nan
        offered = floats("arrivals") * (floats("work_min") / served) / avail
    else:
        offered = np.full(len(s), math.nan)
    daily = s["daily_queue"].tolist() if "daily_queue" in s.columns else [()] * len(s)
    department = s["department"].to_numpy()
    out = {
        "replication": s["replication"].to_numpy(),
        "station": station_names(s),
        "department": department,
        "kind": s["kind"].to_numpy(),
        "capacity": s["capacity"].to_numpy(),
        "utilization": floats("busy_min") / avail,
        "offered_load": offered,
        "mean_queue": floats("mean_queue"),
        "queue_growth": np.asarray([_trend(d)[0] for d in daily], dtype=float),
    }
    return pd.DataFrame(out)


def _reasons(row: Mapping[str, float], growth_lo: float, reps: int, rule: StabilityRule) -> str:
    why = []
    u, rho, q, g = (row[m] for m in STATION_METRICS)
    if u >= rule.max_utilization:
        why.append(f"utilization {u:.3f} >= {rule.max_utilization:g}")
    if rho >= rule.max_offered_load:
        why.append(f"offered load {rho:.2f} >= {rule.max_offered_load:g}")
    material = g >= max(rule.growth_jobs, rule.growth_of_mean * q)
    significant = growth_lo > 0 if reps >= 2 and math.isfinite(growth_lo) else g > 0
    if material and significant:
        why.append(f"queue grows by {g:.1f} over the run (mean {q:.1f})")
    return "; ".join(why)


def station_table(
    per_rep: pd.DataFrame, rule: StabilityRule | None = None, tidy: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per station, over replications: metrics with 95% CIs and the stability verdict.

    Columns ``station, department, kind, capacity``, each of :data:`STATION_METRICS` with
    ``_ci_low``/``_ci_high``, ``unstable`` (bool) and ``reason`` (why; empty if stable).
    Stations in the order they first appear in ``per_rep``; ``tidy`` is
    ``across(per_rep, ["station"], STATION_METRICS)`` when the caller has it already.
    """
    rule = rule or StabilityRule()
    if not len(per_rep):
        return pd.DataFrame(columns=["station", "department", "kind", "capacity", "unstable"])
    if tidy is None:
        tidy = across(per_rep, ["station"], STATION_METRICS)
    keys, stats = across_grid(tidy, "station", STATION_METRICS)
    first, replications = _first_rows(per_rep["station"].tolist(), per_rep["replication"])
    where = {k: i for i, k in enumerate(keys.tolist())}
    at = np.array([where[k] for k in first], dtype=np.intp)
    rows = np.fromiter(first.values(), dtype=np.intp, count=len(first))
    table: dict[str, object] = {
        c: per_rep[c].array.take(rows) for c in ["station", "department", "kind", "capacity"]
    }
    for j, m in enumerate(STATION_METRICS):
        table[m] = stats["mean"][at, j]
        table[f"{m}_ci_low"] = stats["ci_low"][at, j]
        table[f"{m}_ci_high"] = stats["ci_high"][at, j]
    reps = np.array([len(replications[k]) for k in first], dtype=np.int64)
    growth_lo = stats["ci_low"][at, STATION_METRICS.index("queue_growth")]
    means = stats["mean"][at]
    reasons = [
        _reasons(dict(zip(STATION_METRICS, means[i].tolist(), strict=True)), lo, r, rule)
        for i, (lo, r) in enumerate(zip(growth_lo.tolist(), reps.tolist(), strict=True))
    ]
    table["reason"] = reasons
    table["unstable"] = np.asarray([r != "" for r in reasons], dtype=bool)
    return pd.DataFrame(table)


def _first_rows(
    stations: list[str], replication: pd.Series
) -> tuple[dict[str, int], dict[str, set[object]]]:
    """Each station's first row, in the order they first appear, and the replications
    (present, not NaN) of its rows."""
    first: dict[str, int] = {}
    reps: dict[str, set[object]] = {}
    present = replication.notna().to_numpy(dtype=bool)
    for i, (name, rep, ok) in enumerate(
        zip(stations, replication.tolist(), present.tolist(), strict=True)
    ):
        if name not in first:
            first[name], reps[name] = i, set()
        if ok:
            reps[name].add(rep)
    return first, reps


def _steps_stations(steps: Iterable[Step]) -> list[str]:
    out = []
    for step in steps:
        if isinstance(step, WorkStep):
            out.append(f"{step.department}/{step.pool}")
        elif isinstance(step, VisitStep):
            out.append(f"{step.department}/window")
        elif isinstance(step, SessionStep):
            out.append(f"{step.department}/{step.session}")
        for branch in getattr(step, "branches", ()):
            out += _steps_stations(branch)
    return out


def route_stations(scenario: Scenario) -> dict[str, tuple[str, ...]]:
    """Per item, the stations its cases may pass: its department's windows, then the pools
    of its work steps, the sessions of its session steps and the windows of its visits
    (optional steps included)."""
    return {
        i.id: tuple(dict.fromkeys([f"{i.department}/window", *_steps_stations(i.route)]))
        for i in scenario.items
    }


def withheld(
    scenario: Scenario,
    completed_share: Mapping[str, float],
    unstable: Iterable[str],
    rule: StabilityRule | None = None,
) -> pd.Series:
    """Per item, why its recommended limit is withheld (empty string: it stands).

    Parameters
    ----------
    scenario : Scenario
        The hall (items' routes).
    completed_share : mapping of item id to float
        Completed / cases over all replications.
    unstable : iterable of str
        Unstable stations (``department/name``).
    rule : StabilityRule, optional
        ``min_completed_share`` (default 95%).
    """
    reasons = withheld_reasons(scenario, completed_share, unstable, rule)
    return pd.Series(reasons, name="withheld", dtype="string")


def withheld_reasons(
    scenario: Scenario,
    completed_share: Mapping[str, float],
    unstable: Iterable[str],
    rule: StabilityRule | None = None,
) -> dict[str, str]:
    """:func:`withheld` as a dict of item id to reason (empty string: it stands)."""
    rule = rule or StabilityRule()
    bad = set(unstable)
    routes = route_stations(scenario)
    reasons = {}
    for item in scenario.items:
        why = []
        share = completed_share.get(item.id, math.nan)
        if math.isfinite(share) and share < rule.min_completed_share:
            need = 100 * rule.min_completed_share
            why.append(f"only {100 * share:.1f}% of cases completed (< {need:g}%)")
        through = [s for s in routes[item.id] if s in bad]
        if through:
            why.append("route through unstable " + ", ".join(through))
        reasons[item.id] = "; ".join(why)
    return reasons


def stations_of(summary: pd.DataFrame) -> pd.DataFrame:
    """The station rows of a run's tidy summary, one row per station: each of
    :data:`STATION_METRICS` (mean, ``_ci_low``, ``_ci_high``), ``unstable`` and ``reason``.

    ``summary`` is :attr:`simhall.experiment.RunResult.summary` (``scope == "station"``;
    ``note`` is ``"unstable: <reason>"`` or empty).
    """
    cols = ["station", *STATION_METRICS, "unstable", "reason"]
    st = summary[summary["scope"] == "station"] if "scope" in summary else summary.iloc[:0]
    if not len(st):
        return pd.DataFrame(columns=cols)
    wide = st.pivot(index="id", columns="metric", values=["mean", "ci_low", "ci_high"])
    out = pd.DataFrame(index=wide.index)
    for m in STATION_METRICS:
        out[m] = wide[("mean", m)].astype("float64")
        out[f"{m}_ci_low"] = wide[("ci_low", m)].astype("float64")
        out[f"{m}_ci_high"] = wide[("ci_high", m)].astype("float64")
    notes = st.groupby("id", sort=True)["note"].first().fillna("").astype(str)
    out["reason"] = notes.str.removeprefix("unstable: ").reindex(out.index).fillna("")
    out["unstable"] = out["reason"] != ""
    out.index.name = "station"
    return out.reset_index()
