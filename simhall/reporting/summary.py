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
from typing import NamedTuple

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
    windows = np.flatnonzero((stations["kind"] == "window").to_numpy(dtype=bool, na_value=False))
    queues = stations.iloc[windows]
    util = metrics.utilization_by_replication(stations, keys)
    extra = [c for c in util.columns if c not in keys]
    at_queue, at_util = _rows_of(waits, queues, keys), _rows_of(waits, util, keys)
    clash = len({*waits.columns, "mean_queue", *extra}) < len(waits.columns) + 1 + len(extra)
    if at_queue is None or at_util is None or clash:  # the merges' suffixes, to be exact
        departments = waits.merge(queues[[*keys, "mean_queue"]], on=keys, how="left")
        departments = departments.merge(util, on=keys, how="left")
    else:
        columns = {c: waits[c].array for c in waits.columns}
        columns["mean_queue"] = queues["mean_queue"].array.take(at_queue, allow_fill=True)
        columns |= {c: util[c].array.take(at_util, allow_fill=True) for c in extra}
        departments = pd.DataFrame(columns)
    return ReplicationSummary(
        items=metrics.items_by_replication(cases, service_level),
        departments=departments,
        hall=metrics.hall_by_replication(cases),
        completed_days=metrics.completed_days(cases),
        open_days=durations.open_days(cases),
        stations=stability.stations_by_replication(stations),
    )


def _rows_of(left: pd.DataFrame, right: pd.DataFrame, keys: list[str]) -> np.ndarray | None:
    """Per row of ``left``, the position of the row of ``right`` with the same ``keys``
    (-1: none), as ``left.merge(right, on=keys, how="left")`` pairs them; None when that
    merge would do more (keys missing, or repeated in ``right``)."""
    if any(left[k].hasnans or right[k].hasnans for k in keys):
        return None
    rows = {k: i for i, k in enumerate(zip(*(right[k].tolist() for k in keys), strict=True))}
    if len(rows) != len(right):
        return None
    wanted = zip(*(left[k].tolist() for k in keys), strict=True)
    return np.array([rows.get(k, -1) for k in wanted], dtype=np.intp)


_STATS = ("mean", "ci_low", "ci_high")

_Grid = tuple[np.ndarray, dict[str, np.ndarray]]
"""Keys and ``(keys, metrics)`` arrays of an ``across`` table (:func:`metrics.across_grid`)."""


def _wide_columns(
    keys: np.ndarray, stats: dict[str, np.ndarray], metrics: list[str], wanted: Sequence[str]
) -> dict[str, np.ndarray]:
    """The columns ``DataFrame.pivot`` of a tidy table would give (each statistic's metrics
    in sorted order, ``<metric>_<stat>`` but the mean), in the order of the keys ``wanted``
    (NaN for a key without rows)."""
    where = {k: i for i, k in enumerate(keys.tolist())}
    at = np.array([where.get(k, -1) for k in wanted], dtype=np.intp)
    missing = at < 0
    out = {}
    for stat in _STATS:
        values = stats[stat][at] if keys.size else np.full((at.size, len(metrics)), math.nan)
        values[missing] = math.nan
        for m in sorted(metrics):
            out[m if stat == "mean" else f"{m}_{stat}"] = values[:, metrics.index(m)]
    return out


def _item_table(
    scenario: Scenario,
    item_grid: _Grid | None,
    pooled: pd.Series,
    withheld: dict[str, str],
) -> pd.DataFrame:
    """Per scenario item: its facts, each metric's mean and CI over replications, the
    pooled recommendation (NaN where withheld), why it is withheld, and the cut."""
    ids = [i.id for i in scenario.items]
    committed_days = pd.array([i.committed_days for i in scenario.items], dtype="Int64")
    table: dict[str, object] = {
        "item_id": ids,
        "name": [i.name for i in scenario.items],
        "department": [i.department for i in scenario.items],
        "kind": [i.kind for i in scenario.items],
        "committed_days": committed_days,
    }
    if item_grid is not None:
        table |= _wide_columns(*item_grid, ITEM_METRICS, ids)
    else:
        for m in ITEM_METRICS:
            for column in (m, f"{m}_ci_low", f"{m}_ci_high"):
                table[column] = np.full(len(ids), math.nan)
    reasons = [withheld.get(i, "") for i in ids]
    limits = dict(zip(pooled.index, pooled.to_numpy(dtype=np.float64), strict=True))
    recommended = np.array([limits.get(i, math.nan) for i in ids], dtype=np.float64)
    recommended[np.array([r != "" for r in reasons], dtype=bool)] = math.nan
    committed = committed_days.to_numpy(dtype=np.float64, na_value=math.nan)
    cut = committed - recommended
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100.0 * cut / committed
    table["recommended_days"] = recommended
    table["withheld"] = pd.array(reasons, dtype="string")
    table["compression_days"] = cut
    table["compression_pct"] = np.where(committed > 0, pct, math.nan)
    return pd.DataFrame(table)


def _department_table(
    scenario: Scenario, dept_tidy: pd.DataFrame, busiest: dict[str, str]
) -> pd.DataFrame:
    """Per scenario department: id, name, windows, each metric's mean and CI over
    replications, and the station most often the busiest."""
    ids = [d.id for d in scenario.departments]
    table: dict[str, object] = {
        "department": ids,
        "name": [d.name for d in scenario.departments],
        "windows": [d.windows for d in scenario.departments],
    }
    keys, stats = metrics.across_grid(dept_tidy, "department", DEPT_METRICS)
    table |= _wide_columns(keys, stats, DEPT_METRICS, ids)
    table["max_station"] = pd.array([busiest.get(d) for d in ids], dtype="string")
    return pd.DataFrame(table)


_UNION = ["scope", "id", "name", "metric", "mean", "ci_low", "ci_high", "reps", "note"]


def _part(
    tidy: pd.DataFrame, scope: str, ids: np.ndarray, names: list[object], notes: list[str]
) -> dict[str, object]:
    """One scope's rows of the tidy union, as columns."""
    return {
        "scope": np.full(len(tidy), scope, dtype=object),
        "id": ids,
        "name": np.asarray(names, dtype=object),
        **{c: tidy[c].to_numpy() for c in ("metric", "mean", "ci_low", "ci_high", "reps")},
        "note": np.asarray(notes, dtype=object),
    }


def _tidy_union(
    scenario: Scenario,
    tidy: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame],
    notes: tuple[dict[str, str], dict[str, str], dict[str, str]],
) -> pd.DataFrame:
    """The items', departments', stations' and hall's tidy rows as one table, each with the
    name of what it is about and a note (why a recommendation is withheld, why a station
    is unstable, which station is the busiest)."""
    item_tidy, dept_tidy, station_tidy, hall_tidy = tidy
    withheld, unstable, busiest = notes
    names = {i.id: i.name for i in scenario.items}
    dnames = {d.id: d.name for d in scenario.departments}
    parts = []
    if len(item_tidy):
        ids = item_tidy["item_id"].to_numpy()
        why = [withheld.get(i, "") for i in ids]
        parts.append(
            _part(
                item_tidy,
                "item",
                ids,
                [names.get(i, math.nan) for i in ids],
                ["recommendation withheld: " + w if w else "" for w in why],
            )
        )
    ids = dept_tidy["department"].to_numpy()
    top = [
        busiest.get(d, "") if m == "max_station_util" else ""
        for d, m in zip(ids, dept_tidy["metric"].to_numpy(), strict=True)
    ]
    names_d: list[object] = [dnames.get(d, math.nan) for d in ids]
    parts.append(
        _part(
            dept_tidy,
            "department",
            ids,
            names_d,
            ["busiest station: " + t if t else "" for t in top],
        )
    )
    if len(station_tidy):
        ids = station_tidy["station"].to_numpy()
        why = [unstable.get(i, "") for i in ids]
        parts.append(
            _part(
                station_tidy,
                "station",
                ids,
                list(ids),
                ["unstable: " + w if w else "" for w in why],
            )
        )
    n = len(hall_tidy)
    parts.append(
        _part(hall_tidy, "hall", np.full(n, "hall", dtype=object), [scenario.name] * n, [""] * n)
    )
    columns = {c: np.concatenate([p[c] for p in parts]) for c in _UNION}
    out = pd.DataFrame({c: columns[c] for c in _UNION[:-1]})
    # without item or station rows the notes were never missing: plain ``str`` then
    out["note"] = pd.array(columns["note"], dtype="string" if len(parts) > 2 else "str")
    return out


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
    station_tidy = pd.DataFrame()
    unstable: dict[str, str] = {}
    if len(station_rep):
        station_tidy = metrics.across(station_rep, ["station"], STATION_METRICS)
        stations = stability.station_table(station_rep, rule, station_tidy)
        unstable = dict(zip(stations["station"], stations["reason"], strict=True))
    pooled = metrics.limits_by_item(per_rep.completed_days, service_level, per_rep.open_days)
    item_grid = metrics.across_grid(item_tidy, "item_id", ITEM_METRICS) if len(item_tidy) else None
    withheld = stability.withheld_reasons(
        scenario, _completed_shares(item_grid), [s for s, r in unstable.items() if r], rule
    )
    busiest = _busiest(per_rep.departments)
    items = _item_table(scenario, item_grid, pooled, withheld)
    departments = _department_table(scenario, dept_tidy, busiest)
    hall = hall_tidy[["metric", "mean", "ci_low", "ci_high", "reps"]].copy()
    tidy = _tidy_union(
        scenario, (item_tidy, dept_tidy, station_tidy, hall_tidy), (withheld, unstable, busiest)
    )
    return Summary(items, departments, hall, tidy)


def _completed_shares(
    item_grid: _Grid | None,
) -> dict[str, float]:
    """Per item, the mean completed share over replications."""
    if item_grid is None:
        return {}
    keys, stats = item_grid
    shares = stats["mean"][:, ITEM_METRICS.index("completed_share")]
    return {str(k): float(v) for k, v in zip(keys, shares.tolist(), strict=True)}


def _busiest(dept_rep: pd.DataFrame) -> dict[str, str]:
    """Per department, the station most often the busiest over replications (ties: the
    first name in order)."""
    if "max_station" not in dept_rep.columns or not len(dept_rep):
        return {}
    depts, tops = dept_rep["department"], dept_rep["max_station"]
    named = (depts.notna() & tops.notna()).to_numpy(dtype=bool)
    counts: dict[str, dict[str, int]] = {}
    pairs = zip(depts.tolist(), tops.tolist(), named.tolist(), strict=True)
    for d, s, ok in pairs:
        if not ok:
            continue
        mine = counts.setdefault(d, {})
        mine[s] = mine.get(s, 0) + 1
    return {d: min(n, key=lambda s: (-n[s], s)) for d, n in sorted(counts.items())}


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
