"""Scoring: one observed-vs-simulated comparison row per metric, scope and id.

An examiner marks each answer against the key with a stated allowance and writes one line
per question: the answer, the key, the gap, the allowance, pass or fail. The functions here
write those lines for case durations (:func:`duration_rows`), window waits
(:func:`wait_rows`) and the hourly ticket profile (:func:`profile_row`), each scored by
:func:`metric_row` against :class:`~simhall.validation.tolerances.Tolerances`. They are pure
functions of case tables and wait tables, so any caller that has both sides (validation,
a calibration self-check) can score with them.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import wasserstein_distance

from simhall.validation.cases import event_times
from simhall.validation.tolerances import Tolerances

__all__ = [
    "duration_rows",
    "hour_shares",
    "metric_row",
    "profile_row",
    "scored_row",
    "ticket_times",
    "wait_rows",
    "window_waits",
]


def metric_row(
    scope: str,
    id_: str,
    metric: str,
    observed: float,
    simulated: float,
    n_obs: int,
    n_sim: int,
    tol: Tolerances,
    *,
    distance: float | None = None,
    reference: float | None = None,
    se: float = math.nan,
) -> dict[str, Any]:
    """One comparison row: error, limit and PASS/FAIL/n/a for ``metric``.

    With ``distance`` the distance itself is the error and ``reference`` the value the
    relative allowance applies to; otherwise the error is ``|simulated - observed|``. Rows
    with fewer than ``tol.min_cases`` observations or no simulated one are ``n/a``.
    """
    t = tol.metrics[metric]
    if distance is None:
        both = math.isfinite(observed) and math.isfinite(simulated)
        error = abs(simulated - observed) if both else math.nan
        limit = t.limit(observed, se)
    else:
        error = distance
        limit = t.limit(reference if reference is not None else math.nan, se)
    return scored_row(
        scope, id_, metric, (observed, simulated), error, limit, (n_obs, n_sim), tol.min_cases, se
    )


def scored_row(
    scope: str,
    id_: str,
    metric: str,
    values: tuple[float, float],
    error: float,
    limit: float,
    counts: tuple[int, int],
    min_cases: int,
    se: float = math.nan,
) -> dict[str, Any]:
    """A comparison row with its status: ``n/a`` with fewer than ``min_cases`` observations,
    no simulated one or no finite error, else PASS when ``error <= limit``.

    ``values`` is ``(observed, simulated)``, ``counts`` ``(n_observed, n_simulated)``: the one
    rule of PASS/FAIL/n/a for every row of a validation or a calibration's self-check.
    """
    (observed, simulated), (n_obs, n_sim) = values, counts
    if n_obs < min_cases or not math.isfinite(error) or n_sim == 0:
        status = "n/a"
    else:
        status = "PASS" if error <= limit + 1e-12 else "FAIL"
    return {
        "scope": scope,
        "id": id_,
        "metric": metric,
        "observed": observed,
        "simulated": simulated,
        "error": error,
        "limit": limit,
        "se": se,
        "n_observed": int(n_obs),
        "n_simulated": int(n_sim),
        "status": status,
    }


def _quant(x: np.ndarray, q: float) -> float:
    return float(np.quantile(x, q)) if x.size else math.nan


def _rep_spread(values: list[float], reps: int) -> float:
    """Between-replication standard error of "one more realization": ``sd * sqrt(1 + 1/R)``.

    The observed log is one realization of the hall; a simulated statistic varies from
    replication to replication (much more than case-level noise suggests when staff work
    near capacity), so the observed value is compared with that spread. NaN with fewer than
    two finite replication values.
    """
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    if x.size < 2:
        return math.nan
    return float(x.std(ddof=1)) * math.sqrt(1.0 + 1.0 / reps)


def _nanmax(*values: float) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return max(finite) if finite else math.nan


def _se_mean(o: np.ndarray, s: np.ndarray) -> float:
    """Standard error of the difference of two sample means (NaN if a sample is tiny)."""
    if o.size < 2 or s.size < 2:
        return math.nan
    return math.sqrt(float(o.var(ddof=1)) / o.size + float(s.var(ddof=1)) / s.size)


def duration_rows(
    scope: str,
    id_: str,
    obs: pd.DataFrame,
    sim: pd.DataFrame,
    n_weeks: float,
    reps: int,
    tol: Tolerances,
) -> list[dict[str, Any]]:
    """Rows of case counts per week and working-day durations of one scope and id.

    ``obs`` and ``sim`` are accepted cases (case tables with ``scored``; ``sim`` with
    ``replication``); ``n_weeks`` the length of the period in weeks.
    """
    rows = []
    n_obs_cases = len(obs)
    n_sim_cases = len(sim)
    o = obs.loc[obs["scored"], "working_days"].to_numpy(dtype=np.float64)
    s = sim.loc[sim["scored"], "working_days"].to_numpy(dtype=np.float64)
    per_rep: dict[str, list[float]] = {k: [] for k in ("count", "mean", "p50", "p90", "w1", "on")}
    for r in range(reps):
        g = sim[sim["replication"] == r]
        x = g.loc[g["scored"], "working_days"].to_numpy(dtype=np.float64)
        per_rep["count"].append(len(g) / n_weeks)
        per_rep["mean"].append(float(x.mean()) if x.size else math.nan)
        per_rep["p50"].append(_quant(x, 0.5))
        per_rep["p90"].append(_quant(x, 0.9))
        per_rep["on"].append(float(np.mean(x == 0)) if x.size else math.nan)
        if reps > 1 and x.size and s.size:
            per_rep["w1"].append(float(wasserstein_distance(x, s)))
    spread = {k: _rep_spread(v, reps) for k, v in per_rep.items() if k != "w1"}
    # Poisson counts: var(observed) = n_obs, var(mean of reps) = (n_sim / reps) / reps
    se_count = math.sqrt(n_obs_cases + n_sim_cases / reps / reps) / n_weeks
    rows.append(
        metric_row(
            scope,
            id_,
            "cases_per_week",
            n_obs_cases / n_weeks,
            n_sim_cases / reps / n_weeks,
            n_obs_cases,
            n_sim_cases,
            tol,
            se=_nanmax(se_count, spread["count"]),
        )
    )
    mo = float(o.mean()) if o.size else math.nan
    ms = float(s.mean()) if s.size else math.nan
    se_mean = _nanmax(_se_mean(o, s), spread["mean"])
    rows.append(metric_row(scope, id_, "mean_days", mo, ms, o.size, s.size, tol, se=se_mean))
    p50o, p50s, p90o, p90s = _quant(o, 0.5), _quant(s, 0.5), _quant(o, 0.9), _quant(s, 0.9)
    rows.append(
        metric_row(scope, id_, "p50_days", p50o, p50s, o.size, s.size, tol, se=spread["p50"])
    )
    rows.append(
        metric_row(scope, id_, "p90_days", p90o, p90s, o.size, s.size, tol, se=spread["p90"])
    )
    w = float(wasserstein_distance(o, s)) if o.size and s.size else math.nan
    # how far one replication typically lies from the pooled simulation
    typical = float(np.mean(per_rep["w1"])) if per_rep["w1"] else math.nan
    rows.append(
        metric_row(
            scope,
            id_,
            "wasserstein_days",
            math.nan,
            math.nan,
            o.size,
            s.size,
            tol,
            distance=w,
            reference=mo,
            se=typical,
        )
    )
    ro = float(np.mean(o == 0)) if o.size else math.nan
    rs = float(np.mean(s == 0)) if s.size else math.nan
    se_on = _nanmax(
        _se_mean((o == 0).astype(np.float64), (s == 0).astype(np.float64)), spread["on"]
    )
    rows.append(metric_row(scope, id_, "onsite_rate", ro, rs, o.size, s.size, tol, se=se_on))
    return rows


def window_waits(
    events: pd.DataFrame, windows: Collection[str], dept_of: Mapping[str, str]
) -> pd.DataFrame:
    """Window waits in minutes (ticket to call); timestamps without a time of day skipped."""
    ready = event_times(events, "ready")
    start = event_times(events, "start")
    precise = (ready != ready.dt.normalize()) & (start != start.dt.normalize())
    mask = (
        events["activity"].astype("str").isin(list(windows)).to_numpy()
        & (ready.notna() & start.notna() & precise).to_numpy()
    )
    sub = events[mask]
    wait = (start[mask] - ready[mask]).dt.total_seconds() / 60.0
    out = pd.DataFrame(
        {
            "department": sub["item_id"].astype("str").map(dept_of).to_numpy(),
            "wait_min": wait.to_numpy(dtype=np.float64),
        }
    )
    out["replication"] = (
        sub["replication"].to_numpy() if "replication" in sub.columns else np.zeros(len(sub))
    )
    return out


def wait_rows(
    scope: str, id_: str, o: np.ndarray, sim: pd.DataFrame, reps: int, tol: Tolerances
) -> list[dict[str, Any]]:
    """Rows of mean and P90 window waits: observed waits ``o`` against ``sim`` (with
    ``wait_min`` and ``replication``)."""
    s = sim["wait_min"].to_numpy(dtype=np.float64)
    means, p90s = [], []
    for r in range(reps):
        x = sim.loc[sim["replication"] == r, "wait_min"].to_numpy(dtype=np.float64)
        means.append(float(x.mean()) if x.size else math.nan)
        p90s.append(_quant(x, 0.9))
    mo = float(o.mean()) if o.size else math.nan
    ms = float(s.mean()) if s.size else math.nan
    se_m = _nanmax(_se_mean(o, s), _rep_spread(means, reps))
    p90o, p90s_all = _quant(o, 0.9), _quant(s, 0.9)
    return [
        metric_row(scope, id_, "mean_wait_min", mo, ms, o.size, s.size, tol, se=se_m),
        metric_row(
            scope,
            id_,
            "p90_wait_min",
            p90o,
            p90s_all,
            o.size,
            s.size,
            tol,
            se=_rep_spread(p90s, reps),
        ),
    ]


def ticket_times(events: pd.DataFrame, windows: Collection[str]) -> pd.Series:
    """Ticket times of window visits with a time of day (ready, else start, else end)."""
    win = events["activity"].astype("str").isin(list(windows)).to_numpy()
    t = (
        event_times(events, "ready")
        .fillna(event_times(events, "start"))
        .fillna(event_times(events, "end"))
    )
    t = t[win]
    return t[t.notna() & (t != t.dt.normalize())]


def hour_shares(t: pd.Series) -> np.ndarray:
    """Share of ``t`` in each hour of the day (24 values; all 0 when ``t`` is empty)."""
    counts = np.bincount(t.dt.hour.to_numpy(dtype=np.int64), minlength=24).astype(np.float64)
    total = counts.sum()
    return counts / total if total else counts


def profile_row(observed: pd.Series, simulated: pd.Series, tol: Tolerances) -> dict[str, Any]:
    """The hall's ``hourly_profile_tv`` row: total-variation distance of hourly ticket shares.

    Parameters
    ----------
    observed, simulated : pandas.Series
        Ticket times (:func:`ticket_times`).
    tol : Tolerances
        The tolerances.

    Returns
    -------
    dict
        One comparison row.
    """
    po, ps = hour_shares(observed), hour_shares(simulated)
    tv = 0.5 * float(np.abs(po - ps).sum()) if len(observed) and len(simulated) else math.nan
    return metric_row(
        "hall",
        "hall",
        "hourly_profile_tv",
        math.nan,
        math.nan,
        len(observed),
        len(simulated),
        tol,
        distance=tv,
    )
