"""Summaries of simulated (or observed) cases: pure functions from frames to tidy frames.

A hall director reads a run the way an inspector reads a year's case files: per item, how
many working days did cases take (mean, P50, P90, P95), what share met the committed limit,
and what is the *shortest* committed limit the hall could promise while still meeting it for
95% of cases; per department, how long applicants waited at the windows and how busy the
staff were; hall-wide, the on-site completion rate (现场办结率) and visits per case.

Per-replication values are computed first (``*_by_replication``), then :func:`across` turns
them into means with 95% confidence intervals (Student t over replications, which are
independent by construction).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from simhall.logs.schema import WINDOW_ACTIVITIES
from simhall.reporting import censoring, durations
from simhall.reporting.student_t import t_quantile

"""Activities that are window service (their ``start - ready`` is the window wait)."""


def limit_at_service_level(days: np.ndarray, service_level: float) -> float:
    """Shortest whole number of working days ``L`` with share(days <= L) >= service_level.

    Parameters
    ----------
    days : numpy.ndarray
        Counted working days of completed cases.
    service_level : float
        Target share in (0, 1), e.g. 0.95.

    Returns
    -------
    float
        ``L`` (NaN when there are no cases). With cases still open, see
        :func:`simhall.reporting.censoring.limit_at_service_level`.

    Examples
    --------
    >>> limit_at_service_level(np.array([0, 1, 1, 2, 5]), 0.8)
    2.0
    """
    return censoring.limit_at_service_level(days, durations.NONE, service_level)


def items_by_replication(cases: pd.DataFrame, service_level: float = 0.95) -> pd.DataFrame:
    """Per replication and item: working-day statistics and time-limit compliance.

    Cases still open when the run stopped count (:mod:`simhall.reporting.censoring`): one
    open past its committed limit is a failure; durations and shares are Kaplan-Meier
    estimates over completed and open cases, NaN where they cannot be estimated. Without
    open cases they are the plain figures over the completed cases.

    Parameters
    ----------
    cases : pandas.DataFrame
        Case table (:meth:`simhall.model.HallModel.case_frame` columns).
    service_level : float
        Share of cases the limit must cover.

    Returns
    -------
    pandas.DataFrame
        One row per ``(replication, item_id)`` with ``cases``, ``completed``,
        ``completed_share`` (completed / cases), ``open`` (accepted, still open),
        ``open_past_limit`` (open ones past the committed limit), ``mean_days``,
        ``p50_days``, ``p90_days``, ``p95_days``, ``share_within``, ``limit_at_sl``,
        ``onsite_rate`` (of the accepted cases), ``visits_per_case``.
    """
    rows = []
    col = _CaseColumns(cases)
    for (rep, item), idx in _groups(cases, ["replication", "item_id"]):
        done, days, open_days = col.split(idx)
        p50, p90, p95 = censoring.quantiles(days, open_days)
        limit = float(col.committed[idx[0]])
        n_done = int(done.size)
        if open_days.size == 0:
            within = col.within[done]
            within = within[np.isfinite(within)]
            share = float(within.mean()) if within.size else math.nan
            onsite = _mean(col.onsite[done]) if n_done else math.nan
        else:
            share = censoring.done_by(days, open_days, limit) if math.isfinite(limit) else math.nan
            onsite = _sum(col.onsite[done]) / (n_done + open_days.size)
        rows.append(
            {
                "replication": rep,
                "item_id": item,
                "cases": len(idx),
                "completed": n_done,
                "completed_share": n_done / len(idx),
                "open": int(open_days.size),
                "open_past_limit": censoring.past_limit(open_days, limit)
                if math.isfinite(limit)
                else 0,
                "mean_days": censoring.mean_days(days, open_days),
                "p50_days": p50,
                "p90_days": p90,
                "p95_days": p95,
                "share_within": share,
                "limit_at_sl": censoring.limit_at_service_level(days, open_days, service_level),
                "onsite_rate": onsite,
                "visits_per_case": _mean(col.visits[idx]),
            }
        )
    return pd.DataFrame(rows)


def _mean(values: np.ndarray) -> float:
    """Mean of the values present (NaN = missing, skipped as pandas does)."""
    present = values[~np.isnan(values)]
    return float(present.mean()) if present.size else math.nan


def _sum(values: np.ndarray) -> float:
    """Sum of the values present (NaN = missing)."""
    return float(values[~np.isnan(values)].sum())


def _groups(frame: pd.DataFrame, keys: list[str]) -> list[tuple[Any, np.ndarray]]:
    """``(key, row positions)`` of each group in sorted key order (as ``groupby``).

    Key columns of integers or strings without missing values are grouped in numpy (the
    same groups, keys and positions as ``groupby``, without its fixed cost); others by
    ``groupby``.
    """
    if not len(frame):
        return []
    columns = [frame[k] for k in keys]
    if not all(_plain_key(c) for c in columns):
        grouped = frame.groupby(keys, sort=True)
        indices = grouped.indices
        return [(key, np.asarray(indices[key])) for key in grouped.size().index]
    factors = [pd.factorize(c, sort=True) for c in columns]
    shape = [len(uniques) for _, uniques in factors]
    codes = np.ravel_multi_index([c for c, _ in factors], shape) if len(keys) > 1 else factors[0][0]
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    levels = np.unravel_index(ordered[starts], shape)
    values = [u.take(c).tolist() for (_, u), c in zip(factors, levels, strict=True)]
    names = list(zip(*values, strict=True)) if len(keys) > 1 else values[0]
    bounds = [*starts.tolist(), len(order)]
    return [(name, order[a:b]) for name, a, b in zip(names, bounds, bounds[1:], strict=False)]


def _plain_key(column: pd.Series) -> bool:
    """Whether ``column`` is integers or strings with no value missing (grouped in numpy)."""
    dtype = column.dtype
    plain = (isinstance(dtype, np.dtype) and dtype.kind in "iu") or isinstance(
        dtype, pd.StringDtype
    )
    return plain and not column.hasnans


class _CaseColumns:
    """A case table's columns as numpy arrays (NaN for missing), for per-group figures
    without a pandas sub-frame per group."""

    def __init__(self, cases: pd.DataFrame) -> None:
        def floats(column: str) -> np.ndarray:
            return cases[column].to_numpy(dtype=np.float64, na_value=np.nan)

        status = cases["status"]
        self.completed = (status == "completed").to_numpy(dtype=bool, na_value=False)
        self.not_completed = (status != "completed").to_numpy(dtype=bool, na_value=False)
        self.counted = floats("counted_days")
        self.censored = floats("censored_days") if "censored_days" in cases.columns else None
        self.committed = floats("committed_days")
        self.within = floats("within_limit")
        self.onsite = floats("onsite_completion")
        self.visits = floats("visits")
        self.commitment = (cases["kind"] == "commitment").to_numpy(dtype=bool, na_value=False)

    def split(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Positions of the completed cases among ``idx``, their counted days, and the
        counted days so far of the open ones (:func:`simhall.reporting.durations.split_cases`)."""
        done = idx[self.completed[idx]]
        if self.censored is None:
            open_days = durations.NONE
        else:
            open_days = self.censored[idx]
            open_days = open_days[np.isfinite(open_days)]
        return done, self.counted[done], open_days


def window_waits_by_replication(events: pd.DataFrame, departments: Iterable[str]) -> pd.DataFrame:
    """Per replication and department: mean and P90 window wait in minutes.

    The wait of a window visit is ``start - ready`` (ticket to call), in wall-clock minutes.
    The department is the first part of the window resource name (``dept/window/k``).
    """
    departments = list(departments)
    distinct = list(dict.fromkeys(departments))
    reps = sorted(events["replication"].unique()) if len(events) else []
    if not reps:
        return pd.DataFrame([])
    window = np.flatnonzero(events["activity"].isin(WINDOW_ACTIVITIES).to_numpy(dtype=bool))
    wait = events["start"].to_numpy()[window] - events["ready"].to_numpy()[window]
    minutes = pd.Series(wait).dt.total_seconds().to_numpy(dtype=np.float64) / 60.0
    rep = pd.Index(reps).get_indexer(events["replication"].to_numpy()[window])
    dept = _department_codes(events["resource"].iloc[window], distinct)
    known = dept >= 0
    cell = rep[known] * len(distinct) + dept[known]
    order = np.argsort(cell, kind="stable")
    values = minutes[known][order]
    bounds = np.searchsorted(cell[order], np.arange(len(reps) * len(distinct) + 1))
    at = {d: k for k, d in enumerate(distinct)}
    visits, mean, p90 = [], [], []
    for c in [r * len(distinct) + at[d] for r in range(len(reps)) for d in departments]:
        w = values[bounds[c] : bounds[c + 1]]
        visits.append(int(w.size))
        mean.append(float(w.mean()) if w.size else math.nan)
        p90.append(float(np.quantile(w, 0.9)) if w.size else math.nan)
    return pd.DataFrame(
        {
            "replication": [r for r in reps for _ in departments],
            "department": departments * len(reps),
            "visits": visits,
            "mean_wait_min": mean,
            "p90_wait_min": p90,
        }
    )


def _department_codes(resource: pd.Series, departments: list[str]) -> np.ndarray:
    """Position in ``departments`` (distinct names) of each row's department
    (:func:`_department_of`), -1 for another department or no resource."""
    codes, names = pd.factorize(resource)
    first = {d: k for k, d in enumerate(departments)}
    parts = _department_of(pd.Series(np.asarray(names, dtype=object), dtype=object))
    lookup = np.array([first.get(d, -1) for d in parts.tolist()] + [-1], dtype=np.int64)
    return lookup[codes]


def _department_of(resource: pd.Series) -> pd.Series:
    """The department part of resource names ``dept/window/k`` (per category, not per row,
    when the column is categorical as in simulated logs)."""
    if isinstance(resource.dtype, pd.CategoricalDtype):
        cats = resource.cat.categories
        names = np.asarray(cats.str.split("/", n=1).str[0], dtype=object)
        codes = resource.cat.codes.to_numpy()
        out = np.full(len(codes), np.nan, dtype=object)
        out[codes >= 0] = names[codes[codes >= 0]]
        return pd.Series(out, index=resource.index, dtype=object)
    return resource.str.split("/", n=1).str[0]


def utilization_by_replication(stations: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Window and staff utilization per ``keys`` (e.g. replication and department), and
    the busiest station's.

    Capacity-weighted: the busy minutes of the windows (of the back-office pools) summed,
    over their staffed minutes summed (each pool's own open minutes x its staff, so a pool
    with shorter hours, like a mornings-only chief representative, weighs right). A
    saturated pool of one among idle ones still hides in that figure, as a full in-tray
    hides in a department's average, so ``max_station_util`` is the utilization of the
    busiest station (window rows, pools and sessions; a session's can exceed 1,
    :mod:`simhall.reporting.sessions`) and ``max_station`` its name
    (``department/name``). Returns ``keys + [window_utilization, staff_utilization,
    max_station_util, max_station]``.
    """
    if not len(stations) or not all(_plain_key(stations[k]) for k in [*keys, "kind"]):
        return _utilization_by_groupby(stations, keys)
    busy = stations["busy_min"].to_numpy(dtype=np.float64)
    avail = (stations["open_min"] * stations["capacity"]).to_numpy(dtype=np.float64)
    kind = stations["kind"].to_numpy(dtype=object)
    each = busy / np.where(avail > 0, avail, np.nan)
    groups = [idx for _, idx in _groups(stations, keys)]
    window, staff, top = [], [], []
    for idx in groups:
        window.append(_pooled_utilization(busy, avail, idx[kind[idx] == "window"]))
        staff.append(_pooled_utilization(busy, avail, idx[kind[idx] == "pool"]))
        known = idx[~np.isnan(each[idx])]
        top.append(int(known[np.argmax(each[known])]) if known.size else -1)
    first = [int(idx[0]) for idx in groups]
    out: dict[str, Any] = {k: _take(stations[k], first) for k in keys}
    out["window_utilization"] = np.array(window, dtype=np.float64)
    out["staff_utilization"] = np.array(staff, dtype=np.float64)
    out["max_station_util"] = np.array([each[t] if t >= 0 else math.nan for t in top])
    out["max_station"] = _station_names(stations, top)
    return pd.DataFrame(out)


def _pooled_utilization(busy: np.ndarray, avail: np.ndarray, rows: np.ndarray) -> float:
    """Busy over available minutes summed over ``rows`` (NaN without available minutes),
    the sums taken as ``groupby(...).sum()`` takes them (NaN skipped, Kahan-compensated in
    row order), so the ratio is the same bits."""
    if not rows.size:
        return math.nan
    total_busy, total_avail = _kahan_sum(busy[rows]), _kahan_sum(avail[rows])
    return total_busy / total_avail if total_avail > 0 else math.nan


def _kahan_sum(values: np.ndarray) -> float:
    """Sum of the values present, in order, compensated as pandas' ``group_sum`` does."""
    total, compensation = 0.0, 0.0
    for value in values.tolist():
        if value != value:
            continue
        y = value - compensation
        t = total + y
        compensation = t - total - y
        if compensation != compensation:
            compensation = 0.0
        total = t
    return total


def station_names(stations: pd.DataFrame) -> np.ndarray:
    """``department/name`` of each station row (the station's id in summaries)."""
    dept, name = stations["department"], stations["station"]
    if dept.hasnans or name.hasnans:
        return (dept.astype(str) + "/" + name.astype(str)).to_numpy()
    pairs = zip(dept.tolist(), name.tolist(), strict=True)
    return np.asarray([f"{d}/{n}" for d, n in pairs], dtype=object)


def _station_names(stations: pd.DataFrame, rows: list[int]) -> pd.api.extensions.ExtensionArray:
    """:func:`station_names` of the given rows (``-1``: none) as a ``string`` column."""
    if not {"department", "station"} <= set(stations.columns):
        return pd.array([pd.NA] * len(rows), dtype="string")
    names = station_names(stations)
    return pd.array([names[r] if r >= 0 else None for r in rows], dtype="string")


def _take(column: pd.Series, rows: list[int]) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """The values of ``column`` at row positions ``rows``, its dtype kept."""
    if isinstance(column.dtype, np.dtype):
        return column.to_numpy()[rows]
    return column.array.take(rows)


def _utilization_by_groupby(stations: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """:func:`utilization_by_replication` by ``groupby`` (any key columns, no rows)."""
    st = stations.assign(avail=stations["open_min"] * stations["capacity"])
    g = st.groupby([*keys, "kind"]).agg(busy=("busy_min", "sum"), avail=("avail", "sum"))
    g["u"] = g["busy"] / g["avail"].where(g["avail"] > 0)
    wide = g["u"].unstack("kind")
    out = pd.DataFrame(index=wide.index)
    out["window_utilization"] = wide.get("window", np.nan)
    out["staff_utilization"] = wide.get("pool", np.nan)
    names = (
        st["department"].astype(str) + "/" + st["station"].astype(str)
        if {"department", "station"} <= set(st.columns)
        else pd.Series(pd.NA, index=st.index, dtype="string")
    )
    each = st.assign(u=st["busy_min"] / st["avail"].where(st["avail"] > 0), name=names)
    each = each.dropna(subset=["u"])
    top = each.sort_values("u", ascending=False, kind="stable").drop_duplicates(keys)
    top = top.set_index(keys)
    out["max_station_util"] = top["u"].reindex(out.index).astype("float64")
    out["max_station"] = top["name"].reindex(out.index).astype("string")
    return out.reset_index()


def hall_by_replication(cases: pd.DataFrame) -> pd.DataFrame:
    """Per replication: on-site completion rate, visits per case, share within limits.

    ``share_within`` is over the commitment cases completed *and* still open, item by item
    (:func:`simhall.reporting.censoring.within_count`): a case open past its limit is a
    failure. ``completed_share`` is completed / cases; ``open_past_limit`` counts the open
    cases already past their limit. Without open cases, the plain figures.
    """
    rows = []
    col = _CaseColumns(cases)
    item_groups: dict[object, list[np.ndarray]] = {}
    commit_rows = np.flatnonzero(col.commitment)
    for (rep, _item), idx in _groups(cases.iloc[commit_rows], ["replication", "item_id"]):
        item_groups.setdefault(rep, []).append(commit_rows[idx])
    for rep, idx in _groups(cases, ["replication"]):
        rep = rep[0] if isinstance(rep, tuple) else rep
        done = idx[col.completed[idx]]
        within_n, total_n, past = 0.0, 0, 0
        any_open = False
        for g in item_groups.get(rep, []):
            limit = float(col.committed[g[0]])
            if not math.isfinite(limit):
                continue
            _, days, open_days = col.split(g)
            any_open = any_open or open_days.size > 0
            within_n += censoring.within_count(days, open_days, limit)
            total_n += days.size + open_days.size
            past += censoring.past_limit(open_days, limit)
        if any_open:
            share = within_n / total_n if total_n else math.nan
        else:
            within = col.within[done[col.commitment[done]]]
            within = within[np.isfinite(within)]
            share = float(within.mean()) if within.size else math.nan
        n_open = len(col.split(idx)[2])
        accepted = len(done) + n_open
        onsite = _sum(col.onsite[done]) / accepted if accepted else math.nan
        if not n_open:
            onsite = _mean(col.onsite[done]) if len(done) else math.nan
        rows.append(
            {
                "replication": rep,
                "cases": len(idx),
                "completed": len(done),
                "in_progress": int(col.not_completed[idx].sum()),
                "completed_share": len(done) / len(idx) if len(idx) else math.nan,
                "open_past_limit": past,
                "onsite_rate": onsite,
                "visits_per_case": _mean(col.visits[idx]) if len(idx) else math.nan,
                "share_within": share,
            }
        )
    return pd.DataFrame(rows)


def _t_quantile(level: float, dof: int) -> float:
    """Two-sided Student-t quantile (:func:`simhall.reporting.student_t.t_quantile`)."""
    return t_quantile(level, dof)


def confidence_interval(
    values: np.ndarray, level: float = 0.95, lower: float = -math.inf, upper: float = math.inf
) -> tuple[float, float, float]:
    """Mean and Student-t confidence interval of independent replication values.

    NaN values are ignored; with fewer than two values the bounds are NaN. The bounds are
    clipped to the metric's possible range ``[lower, upper]`` (a wait is never negative).
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    mean, low, high, _ = _intervals(x, np.zeros(x.size, dtype=np.intp), 1, level, lower, upper)
    return float(mean[0]), float(low[0]), float(high[0])


def metric_range(metric: str) -> tuple[float, float]:
    """The values ``metric`` can take: ``[0, 1]`` for shares (``share*``, ``*_share``),
    rates (``*rate``) and window and staff utilizations (``*_utilization``), any number for
    changes (``*_growth``), ``[0, inf)`` for the rest (days, minutes, counts, offered
    loads, and a station's ``utilization`` and ``max_station_util``: a session's rounds
    can take more minutes than they offer). Confidence bounds are clipped to it.

    Examples
    --------
    >>> metric_range("window_utilization"), metric_range("p95_days")
    ((0.0, 1.0), (0.0, inf))
    """
    bounded = metric.startswith("share") or metric.endswith(("rate", "_share", "_utilization"))
    if metric.endswith("_growth"):
        return -math.inf, math.inf
    return 0.0, (1.0 if bounded else math.inf)


def difference_range(metric: str) -> tuple[float, float]:
    """The values a difference of two values of ``metric`` can take (``[-1, 1]`` for a
    share, ``(-inf, inf)`` otherwise)."""
    lo, hi = metric_range(metric)
    return lo - hi, hi - lo


def across(
    per_rep: pd.DataFrame, keys: list[str], metrics: list[str], level: float = 0.95
) -> pd.DataFrame:
    """Tidy table of mean and CI over replications for each key and metric.

    Returns columns ``keys + [metric, mean, ci_low, ci_high, reps]``; the bounds are clipped
    to the metric's range (:func:`metric_range`). The figures are those of
    :func:`confidence_interval` for each key and metric (the same rule, :func:`_intervals`),
    computed for all keys at once.
    """
    groups = _groups(per_rep, keys) if keys else [((), np.arange(len(per_rep)))]
    if not groups:
        return pd.DataFrame([])
    order = np.concatenate([idx for _, idx in groups])
    group = np.repeat(np.arange(len(groups)), [len(idx) for _, idx in groups])
    stats = [
        _intervals(
            per_rep[m].to_numpy(dtype=np.float64)[order],
            group,
            len(groups),
            level,
            *metric_range(m),
        )
        for m in metrics
    ]
    named = [key if isinstance(key, tuple) else (key,) for key, _ in groups]
    columns: dict[str, Any] = {
        k: [key[j] for key in named for _ in metrics] for j, k in enumerate(keys)
    }
    columns["metric"] = metrics * len(groups)
    for j, name in enumerate(["mean", "ci_low", "ci_high", "reps"]):
        columns[name] = np.stack([s[j] for s in stats], axis=1).ravel()
    return pd.DataFrame(columns)


def across_grid(
    tidy: pd.DataFrame, key: str, metrics: list[str]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The keys of a tidy :func:`across` table with one key column,
    and its ``mean``, ``ci_low`` and ``ci_high`` as ``(keys, metrics)`` arrays.

    ``across`` gives each key's ``metrics`` in order, keys sorted: the columns are then
    reshaped; any other layout is pivoted (as ``DataFrame.pivot``).
    """
    n = len(metrics)
    keys = tidy[key].to_numpy()[::n] if n else np.empty(0, dtype=object)
    shape = (keys.size, n)
    regular = len(tidy) == keys.size * n and np.array_equal(
        tidy["metric"].to_numpy(), np.tile(np.asarray(metrics, dtype=object), keys.size)
    )
    stats = ("mean", "ci_low", "ci_high")
    if regular:
        return keys, {s: tidy[s].to_numpy(dtype=np.float64).reshape(shape) for s in stats}
    wide = tidy.pivot(index=key, columns="metric", values=list(stats))
    return wide.index.to_numpy(), {s: wide[s][metrics].to_numpy(dtype=np.float64) for s in stats}


def _intervals(
    values: np.ndarray,
    group: np.ndarray,
    n_groups: int,
    level: float,
    lower: float = -math.inf,
    upper: float = math.inf,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean and Student-t interval (clipped to ``[lower, upper]``) of the finite values of
    each group (``group``: sorted group number of each value), and their number: the rule
    of :func:`confidence_interval`, for all groups at once.

    The groups with ``n`` finite values are reduced together as the rows of an ``(groups, n)``
    array: numpy sums each row as it sums a 1-d array, so one group or many give the same
    bits.
    """
    finite = np.isfinite(values)
    reps = np.bincount(group[finite], minlength=n_groups)
    mean = np.full(n_groups, math.nan)
    low, high = mean.copy(), mean.copy()
    for n in np.unique(reps[reps > 0]).tolist():
        which = reps == n
        block = values[finite & which[group]].reshape(-1, n)
        m = block.sum(axis=1) / n
        mean[which] = m
        if n < 2:
            continue
        d = block - m[:, None]
        half = _t_quantile(level, n - 1) * np.sqrt((d * d).sum(axis=1) / (n - 1)) / math.sqrt(n)
        lo, hi = m - half, m + half
        low[which] = np.where(lower > lo, lower, lo)
        high[which] = np.where(upper < hi, upper, hi)
    return mean, low, high, reps.astype(np.int64)


def completed_days(cases: pd.DataFrame) -> pd.DataFrame:
    """``item_id, counted_days`` of the completed cases (what :func:`limits_by_item` needs)."""
    return cases.loc[cases["status"] == "completed", ["item_id", "counted_days"]]


def limits_by_item(
    days: pd.DataFrame, service_level: float = 0.95, open_: pd.DataFrame | None = None
) -> pd.Series:
    """Per item, the shortest limit meeting ``service_level`` over these cases.

    ``days`` holds ``item_id, counted_days`` of completed cases (:func:`completed_days`),
    ``open_`` the ``item_id, censored_days`` of open ones
    (:func:`simhall.reporting.durations.open_days`), of one replication or of several
    concatenated; the result does not depend on the rows' order.
    An item whose cases are too often still open has NaN
    (:func:`simhall.reporting.censoring.limit_at_service_level`).
    """
    if open_ is None or not len(open_):
        groups = days.groupby("item_id", observed=True)["counted_days"]
        sizes = groups.size()
        number = groups.ngroup().to_numpy(dtype=np.float64, na_value=np.nan)
        known = ~np.isnan(number)  # a case without an item is in no group
        limits = censoring.limits_of_groups(
            days["counted_days"].to_numpy(dtype=np.float64)[known],
            number[known].astype(np.int64),
            len(sizes),
            service_level,
        )
        # the dtype a group-wise aggregation gives: nullable for a nullable column
        nullable = isinstance(days["counted_days"].dtype, pd.api.extensions.ExtensionDtype)
        dtype = "Float64" if nullable else "float64"
        return pd.Series(limits, index=sizes.index, name="counted_days", dtype=dtype)
    censored = {
        str(k): g.to_numpy(dtype=np.float64)
        for k, g in open_.groupby("item_id", observed=True)["censored_days"]
    }
    done = {
        str(k): g.to_numpy(dtype=np.float64)
        for k, g in days.groupby("item_id", observed=True)["counted_days"]
    }
    ids = sorted(set(done) | set(censored))
    return pd.Series(
        [
            censoring.limit_at_service_level(
                done.get(i, durations.NONE), censored.get(i, durations.NONE), service_level
            )
            for i in ids
        ],
        index=pd.Index(ids, name="item_id"),
        name="counted_days",
        dtype="float64",
    )


def pooled_limits(cases: pd.DataFrame, service_level: float = 0.95) -> pd.Series:
    """Shortest limit meeting ``service_level`` over the cases of all replications together.

    This is the recommended committed limit: pooling uses every simulated case, so the
    estimate of a high quantile is far steadier than any single replication's. Open cases
    count (:func:`limits_by_item`).
    """
    return limits_by_item(completed_days(cases), service_level, durations.open_days(cases))
