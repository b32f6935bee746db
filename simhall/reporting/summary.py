"""The summary of a run: per-replication rows, then means with 95% CIs over replications.

A run is summarized the way an audit office works through a year of case files from several
branch offices: each office (replication) first fills in its own sheet of figures (per item,
per department, hall-wide, and the working days of its completed cases); the head office
then puts the sheets side by side and reports each figure's mean and confidence interval,
and the shortest committed limit met over all offices' cases together.

The two halves are separate functions so that the sheets can be filled in wherever a
replication ran (a worker process) and only they travel to the parent:

- :func:`summarize_replications` -- frames of one or more replications to a
  :class:`ReplicationSummary` (pure, per replication; replications never mix);
- :meth:`ReplicationSummary.concat` -- several of those, in replication order, as one;
- :func:`combine_replications` -- the across-replication tables (:class:`Summary`).

:func:`summarize` is the two in a row on the concatenated frames of a run;
``combine_replications(scn, ReplicationSummary.concat(parts))`` gives the same tables, bit
for bit, when ``parts`` are the replications summarized one by one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, cast

import numpy as np
import pandas as pd

from simhall.reporting import durations, metrics, stability
from simhall.reporting.stability import STATION_METRICS, StabilityRule
from simhall.scenario.schema import Scenario

__all__ = [
    "DEPT_METRICS",
    "HALL_METRICS",
    "ITEM_METRICS",
    "ReplicationSummary",
    "Summary",
    "combine_replications",
    "summarize",
    "summarize_replications",
]

ITEM_METRICS = [
    "cases",
    "completed_share",
    "open_past_limit",
    "mean_days",
    "p50_days",
    "p90_days",
    "p95_days",
    "share_within",
    "limit_at_sl",
    "onsite_rate",
    "visits_per_case",
]
"""Per-item metrics summarized over replications (columns of ``items_by_replication``)."""

DEPT_METRICS = [
    "mean_wait_min",
    "p90_wait_min",
    "mean_queue",
    "window_utilization",
    "staff_utilization",
    "max_station_util",
]
"""Per-department metrics summarized over replications (``max_station_util``: the busiest
station's utilization, named in the department table's ``max_station``)."""

HALL_METRICS = [
    "cases",
    "in_progress",
    "onsite_rate",
    "visits_per_case",
    "share_within",
    "completed_share",
    "open_past_limit",
]
"""Hall-wide metrics summarized over replications."""


@dataclass(frozen=True)
class ReplicationSummary:
    """Per-replication rows of one or more replications: what a replication reports.

    Attributes
    ----------
    items : pandas.DataFrame
        One row per ``(replication, item_id)``
        (:func:`simhall.reporting.metrics.items_by_replication`).
    departments : pandas.DataFrame
        One row per ``(replication, department)``: window waits, mean queue, utilizations.
    hall : pandas.DataFrame
        One row per replication (:func:`simhall.reporting.metrics.hall_by_replication`).
    completed_days : pandas.DataFrame
        ``item_id, counted_days`` of every completed case, for the limit over all
        replications' cases pooled (:func:`simhall.reporting.metrics.limits_by_item`).
    open_days : pandas.DataFrame
        ``item_id, censored_days`` of every accepted case still open when the run stopped
        (:func:`simhall.reporting.durations.open_days`), for the same limit.
    stations : pandas.DataFrame
        One row per ``(replication, station)``
        (:func:`simhall.reporting.stability.stations_by_replication`).
    """

    items: pd.DataFrame
    departments: pd.DataFrame
    hall: pd.DataFrame
    completed_days: pd.DataFrame
    open_days: pd.DataFrame = field(default_factory=pd.DataFrame)
    stations: pd.DataFrame = field(default_factory=pd.DataFrame)

    @classmethod
    def concat(cls, parts: Sequence[ReplicationSummary]) -> ReplicationSummary:
        """The summaries of several replications (in replication order) as one."""
        if not parts:
            raise ValueError("no replication summaries to concatenate: expected at least one")
        return cls(
            items=_concat([p.items for p in parts]),
            departments=_concat([p.departments for p in parts]),
            hall=_concat([p.hall for p in parts]),
            completed_days=_concat([p.completed_days for p in parts]),
            open_days=_concat([p.open_days for p in parts]),
            stations=_concat([p.stations for p in parts]),
        )


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Row-wise union; frames without rows (a replication without cases) add nothing."""
    rows = [f for f in frames if len(f)]
    if not rows:
        return frames[0]
    if len(rows) == 1:
        return rows[0]
    return pd.concat(rows, ignore_index=True)


class Summary(NamedTuple):
    """The summaries of a run (unpacks as ``items, departments, hall, summary``).

    Attributes
    ----------
    items, departments, hall : pandas.DataFrame
        Wide tables: each metric's mean with ``<metric>_ci_low``/``_ci_high`` columns (the
        hall table is long: ``metric, mean, ci_low, ci_high, reps``).
    summary : pandas.DataFrame
        Tidy union ``scope, id, name, metric, mean, ci_low, ci_high, reps, note`` of the
        items, departments, stations (``department/name``; ``note`` says why one is
        unstable) and the hall; an item's ``note`` says why its recommendation is withheld.
    """

    items: pd.DataFrame
    departments: pd.DataFrame
    hall: pd.DataFrame
    summary: pd.DataFrame


def summarize_replications(
    scenario: Scenario,
    events: pd.DataFrame,
    cases: pd.DataFrame,
    stations: pd.DataFrame,
    service_level: float = 0.95,
) -> ReplicationSummary:
    """Per-replication rows of the frames of one or more replications.

    Parameters
    ----------
    scenario : Scenario
        The hall that ran (its departments name the department rows).
    events, cases, stations : pandas.DataFrame
        Frames of :meth:`simhall.model.HallModel.frames`, with column ``replication``.
    service_level : float
        Share of cases the per-replication ``limit_at_sl`` must cover.
    """
    dept_ids = [d.id for d in scenario.departments]
    waits = metrics.window_waits_by_replication(events, dept_ids)
    keys = ["replication", "department"]
    queues = stations[stations["kind"] == "window"][[*keys, "mean_queue"]]
    departments = waits.merge(queues, on=keys, how="left").merge(
        metrics.utilization_by_replication(stations, keys), on=keys, how="left"
    )
    return ReplicationSummary(
        items=metrics.items_by_replication(cases, service_level),
        departments=departments,
        hall=metrics.hall_by_replication(cases),
        completed_days=metrics.completed_days(cases),
        open_days=durations.open_days(cases),
        stations=stability.stations_by_replication(stations),
    )


def _wide(tidy: pd.DataFrame, key: str) -> pd.DataFrame:
    wide = tidy.pivot(index=key, columns="metric", values=["mean", "ci_low", "ci_high"])
    pairs = cast(list[tuple[str, str]], list(wide.columns))
    wide.columns = [m if stat == "mean" else f"{m}_{stat}" for stat, m in pairs]
    return wide.reset_index()


def _item_table(
    info: pd.DataFrame, item_tidy: pd.DataFrame, pooled: pd.Series, withheld: pd.Series
) -> pd.DataFrame:
    if len(item_tidy):
        items = info.merge(_wide(item_tidy, "item_id"), on="item_id", how="left")
    else:
        items = info.copy()
        for m in ITEM_METRICS:
            items[m] = math.nan
            items[f"{m}_ci_low"] = math.nan
            items[f"{m}_ci_high"] = math.nan
    reasons = items["item_id"].map(withheld).fillna("").astype("string")
    recommended = items["item_id"].map(pooled).astype("float64")
    items["recommended_days"] = recommended.where(reasons == "")
    items["withheld"] = reasons
    committed = items["committed_days"].astype("float64")
    items["compression_days"] = committed - items["recommended_days"]
    items["compression_pct"] = np.where(
        committed > 0, 100.0 * items["compression_days"] / committed, np.nan
    )
    return items


def _item_info(scenario: Scenario) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item_id": [i.id for i in scenario.items],
            "name": [i.name for i in scenario.items],
            "department": [i.department for i in scenario.items],
            "kind": [i.kind for i in scenario.items],
            "committed_days": pd.array([i.committed_days for i in scenario.items], dtype="Int64"),
        }
    )


def _department_info(scenario: Scenario) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "department": [d.id for d in scenario.departments],
            "name": [d.name for d in scenario.departments],
            "windows": [d.windows for d in scenario.departments],
        }
    )


def _tidy_union(
    scenario: Scenario,
    info: pd.DataFrame,
    dept_info: pd.DataFrame,
    tidy: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame],
    notes: tuple[pd.Series, pd.Series],
) -> pd.DataFrame:
    item_tidy, dept_tidy, station_tidy, hall_tidy = tidy
    withheld, unstable = notes
    names = dict(zip(info["item_id"], info["name"], strict=True))
    dnames = dict(zip(dept_info["department"], dept_info["name"], strict=True))
    parts = []
    if len(item_tidy):
        why = item_tidy["item_id"].map(withheld).fillna("")
        parts.append(
            item_tidy.assign(
                scope="item",
                id=item_tidy["item_id"],
                name=item_tidy["item_id"].map(names),
                note=np.where(why != "", "recommendation withheld: " + why, ""),
            )
        )
    parts.append(
        dept_tidy.assign(
            scope="department", id=dept_tidy["department"], name=dept_tidy["department"].map(dnames)
        )
    )
    if len(station_tidy):
        why = station_tidy["station"].map(unstable).fillna("")
        parts.append(
            station_tidy.assign(
                scope="station",
                id=station_tidy["station"],
                name=station_tidy["station"],
                note=np.where(why != "", "unstable: " + why, ""),
            )
        )
    parts.append(hall_tidy.assign(scope="hall", id="hall", name=scenario.name))
    out = pd.concat(parts, ignore_index=True)
    out["note"] = out["note"].fillna("").astype("string") if "note" in out else ""
    return out[["scope", "id", "name", "metric", "mean", "ci_low", "ci_high", "reps", "note"]]


def combine_replications(
    scenario: Scenario,
    per_rep: ReplicationSummary,
    service_level: float = 0.95,
    rule: StabilityRule | None = None,
) -> Summary:
    """Item, department and hall summaries with 95% CIs over replications, and their union.

    The item table puts the shortest committed limit meeting ``service_level`` next to the
    current one: per replication (``limit_at_sl``, mean and CI) and over all replications'
    cases pooled (``recommended_days``), with the compression in days and percent.

    Parameters
    ----------
    scenario : Scenario
        The hall that ran (names, departments' windows, committed limits).
    per_rep : ReplicationSummary
        Rows of all replications (:func:`summarize_replications`, or
        :meth:`ReplicationSummary.concat` of one per replication).
    service_level : float
        Share of the pooled cases ``recommended_days`` must cover.
    rule : StabilityRule, optional
        When a station is unstable and a recommendation lacks support; an item whose
        recommendation is withheld has ``recommended_days`` and the compression NaN and
        the reason in ``withheld`` (:func:`simhall.reporting.stability.withheld`).
    """
    rule = rule or StabilityRule()
    item_rep = per_rep.items
    item_tidy = (
        durations.blank(
            metrics.across(item_rep, ["item_id"], ITEM_METRICS), durations.not_estimable(item_rep)
        )
        if len(item_rep)
        else pd.DataFrame()
    )
    dept_tidy = metrics.across(per_rep.departments, ["department"], DEPT_METRICS)
    hall_tidy = metrics.across(per_rep.hall, [], HALL_METRICS)
    station_rep = per_rep.stations
    station_tidy = (
        metrics.across(station_rep, ["station"], STATION_METRICS)
        if len(station_rep)
        else pd.DataFrame()
    )
    stations = stability.station_table(station_rep, rule)
    unstable = stations.set_index("station")["reason"] if len(stations) else pd.Series()
    pooled = metrics.limits_by_item(per_rep.completed_days, service_level, per_rep.open_days)
    completed = (
        item_tidy[item_tidy["metric"] == "completed_share"].set_index("item_id")["mean"]
        if len(item_tidy)
        else pd.Series(dtype=float)
    )
    shares = {str(k): float(v) for k, v in completed.items()}
    withheld = stability.withheld(scenario, shares, unstable[unstable != ""].index, rule)
    info, dept_info = _item_info(scenario), _department_info(scenario)
    items = _item_table(info, item_tidy, pooled, withheld)
    departments = dept_info.merge(_wide(dept_tidy, "department"), on="department", how="left")
    busiest = _busiest(per_rep.departments)
    departments["max_station"] = departments["department"].map(busiest).astype("string")
    hall = hall_tidy[["metric", "mean", "ci_low", "ci_high", "reps"]].copy()
    tidy = _tidy_union(
        scenario,
        info,
        dept_info,
        (item_tidy, dept_tidy, station_tidy, hall_tidy),
        (withheld, unstable),
    )
    hit = (tidy["scope"] == "department") & (tidy["metric"] == "max_station_util")
    named = tidy.loc[hit, "id"].map(busiest)
    tidy.loc[hit, "note"] = ("busiest station: " + named).fillna("").astype("string")
    return Summary(items, departments, hall, tidy)


def _busiest(dept_rep: pd.DataFrame) -> pd.Series:
    """Per department, the station most often the busiest over replications (ties: the
    first name in order)."""
    if "max_station" not in dept_rep.columns or not len(dept_rep):
        return pd.Series(dtype="string")
    n = dept_rep.dropna(subset=["max_station"]).groupby(["department", "max_station"]).size()
    ranked = (
        n.rename("n")
        .reset_index()
        .sort_values(
            ["department", "n", "max_station"], ascending=[True, False, True], kind="stable"
        )
    )
    return ranked.drop_duplicates("department").set_index("department")["max_station"]


def summarize(
    scenario: Scenario,
    events: pd.DataFrame,
    cases: pd.DataFrame,
    stations: pd.DataFrame,
    service_level: float = 0.95,
) -> Summary:
    """Item, department and hall summaries with 95% CIs of a run's frames, and their union.

    :func:`summarize_replications` followed by :func:`combine_replications`; see there.
    """
    per_rep = summarize_replications(scenario, events, cases, stations, service_level)
    return combine_replications(scenario, per_rep, service_level)
