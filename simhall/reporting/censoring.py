"""Durations of cases some of which had not finished: right-censoring on counted working days.

When the year's files are counted on New Year's Eve, some are still on a desk. Leaving them
out makes the hall look faster than it is: the files still open are the slow ones. A file
open for 30 counted days is known to take *at least* 30, so against a 15-day limit it is a
known failure, whenever it ends; a file open for 3 days against the same limit may still
make it. The Kaplan-Meier estimator uses both kinds of knowledge: each open case counts as
"not done yet" for as long as it was watched, then leaves the count.

Conventions (one place for them): durations are whole counted working days; a case open
when the run stopped after ``c`` counted days will count at least ``c``: it is known to
exceed every limit below ``c`` (a known failure against those), and may still finish on day
``c`` itself. Without open cases
every function here gives exactly the usual figure over the completed cases (the same
floating-point operations), so a hall whose cases all finish reads as before.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = [
    "done_by",
    "kaplan_meier",
    "limit_at_service_level",
    "limits_of_groups",
    "mean_days",
    "past_limit",
    "quantiles",
    "within_count",
]

_TOL = 1e-9
"""Slack when comparing an estimated share with a target (a product of ratios vs a ratio)."""


def kaplan_meier(done: np.ndarray, open_: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kaplan-Meier estimate of the share done by each day: ``(days, share_done)``.

    Parameters
    ----------
    done : numpy.ndarray
        Counted working days of the completed cases.
    open_ : numpy.ndarray
        Counted working days of the cases still open when the run stopped.

    Returns
    -------
    days, share_done : numpy.ndarray
        The distinct days on which cases completed (sorted) and the estimated share of all
        cases done by the end of each; without open cases, the plain share.

    Examples
    --------
    >>> kaplan_meier(np.array([1, 2]), np.array([5, 5]))
    (array([1., 2.]), array([0.25, 0.5 ]))
    """
    d = np.sort(np.asarray(done, dtype=np.float64))
    c = np.sort(np.asarray(open_, dtype=np.float64))
    days, finished = np.unique(d, return_counts=True)
    # at risk on day t: cases not done before t, and open ones watched beyond t (an open
    # case of c days may still finish on day c: it leaves the count before day c, and its
    # share goes to the cases still watched, as Kaplan-Meier does)
    at_risk = (d.size - np.searchsorted(d, days, side="left")) + (
        c.size - np.searchsorted(c, days, side="right")
    )
    surviving = np.cumprod(1.0 - finished / at_risk)
    return days, 1.0 - surviving


def done_by(done: np.ndarray, open_: np.ndarray, limit: float) -> float:
    """Estimated share of cases done within ``limit`` counted days (NaN without cases)."""
    d = np.asarray(done, dtype=np.float64)
    c = np.asarray(open_, dtype=np.float64)
    if d.size + c.size == 0:
        return math.nan
    if c.size == 0:
        return float((d <= limit).mean())
    days, share = kaplan_meier(d, c)
    k = int(np.searchsorted(days, limit, side="right"))
    return float(share[k - 1]) if k else 0.0


def within_count(done: np.ndarray, open_: np.ndarray, limit: float) -> float:
    """Estimated number of cases done within ``limit``: completed ones exactly when none is
    open, else all cases x :func:`done_by` (for hall-wide shares over several items)."""
    d = np.asarray(done, dtype=np.float64)
    c = np.asarray(open_, dtype=np.float64)
    if c.size == 0:
        return float(np.count_nonzero(d <= limit))
    return (d.size + c.size) * done_by(d, c, limit)


def past_limit(open_: np.ndarray, limit: float) -> int:
    """Open cases whose counted days already exceed ``limit``: known failures."""
    return int(np.count_nonzero(np.asarray(open_, dtype=np.float64) > limit))


def limit_at_service_level(done: np.ndarray, open_: np.ndarray, service_level: float) -> float:
    """Shortest whole number of days ``L`` with an estimated share done by ``L`` of at least
    ``service_level``; NaN when there are no cases or the estimate never gets there (too
    many cases open).

    Examples
    --------
    >>> limit_at_service_level(np.array([0, 1, 1, 2, 5]), np.array([]), 0.8)
    2.0
    >>> limit_at_service_level(np.array([0, 1, 1, 2]), np.array([9]), 0.8)  # 9 is a failure
    2.0
    >>> limit_at_service_level(np.array([0, 1]), np.array([9, 9, 9]), 0.8)
    nan
    """
    d = np.asarray(done, dtype=np.float64)
    c = np.asarray(open_, dtype=np.float64)
    if c.size == 0:
        if d.size == 0:
            return math.nan
        return float(limits_of_groups(d, np.zeros(d.size, dtype=np.int64), 1, service_level)[0])
    if d.size == 0:
        return math.nan
    days, share = kaplan_meier(d, c)
    k = int(np.searchsorted(share, service_level - _TOL, side="left"))
    return float(math.ceil(days[k])) if k < days.size else math.nan


def limits_of_groups(
    done: np.ndarray, group: np.ndarray, n_groups: int, service_level: float
) -> np.ndarray:
    """:func:`limit_at_service_level` of each group of completed cases (none open), at once.

    The limit of a group of ``n`` is its ``k``-th smallest duration, rounded up, with ``k``
    the least whole number at or above ``service_level * n`` (at least 1): one sort of all
    rows by group and duration, no call per group.

    Parameters
    ----------
    done : numpy.ndarray
        Counted working days of the completed cases.
    group : numpy.ndarray
        The group of each case, ``0 .. n_groups - 1``.
    n_groups : int
        Number of groups; a group without cases has NaN.

    Examples
    --------
    >>> limits_of_groups(np.array([5, 0, 1, 3, 2, 1]), np.array([0, 0, 0, 1, 0, 0]), 3, 0.8)
    array([ 2.,  3., nan])
    """
    d = np.asarray(done, dtype=np.float64)
    g = np.asarray(group, dtype=np.int64)
    sizes = np.bincount(g, minlength=n_groups)
    if d.size and d.min() >= 0 and d.max() < 2**31 and bool(np.all(d == np.floor(d))):
        # whole days (the rule): group and days in one integer, one sort (a tenth of lexsort)
        key = (g << 32) | d.astype(np.int64)
        key.sort()
        ordered = (key & 0xFFFFFFFF).astype(np.float64)
    else:
        ordered = d[np.lexsort((d, g))]
    first = np.cumsum(sizes) - sizes
    k = np.maximum(np.ceil(service_level * sizes - _TOL).astype(np.int64), 1)
    out = np.full(n_groups, math.nan)
    has = sizes > 0
    out[has] = np.ceil(ordered[(first + k - 1)[has]])
    return out


def quantiles(
    done: np.ndarray, open_: np.ndarray, probs: Sequence[float] = (0.5, 0.9, 0.95)
) -> tuple[float, ...]:
    """Quantiles of the counted days of all cases, completed or open.

    Without open cases: the sample quantiles of the completed (linear interpolation, as
    :func:`numpy.quantile`). With open cases, each quantile is still that sample quantile of
    *all* cases when the open ones cannot change it (they all lie beyond the order
    statistics it needs); otherwise the Kaplan-Meier quantile (the first day by which the
    estimated share done reaches it), NaN when the estimate never reaches it.
    """
    d = np.sort(np.asarray(done, dtype=np.float64))
    c = np.asarray(open_, dtype=np.float64)
    if d.size == 0:
        return (math.nan,) * len(probs)
    if c.size == 0:
        return tuple(float(q) for q in np.quantile(d, list(probs)))
    n = d.size + c.size
    first_open = float(c.min())
    days, share = kaplan_meier(d, c)
    out = []
    for p in probs:
        h = (n - 1) * p
        lo, hi = int(math.floor(h)), int(math.ceil(h))
        if hi < d.size and d[hi] <= first_open:
            out.append(float(d[lo] + (h - lo) * (d[hi] - d[lo])))
            continue
        k = int(np.searchsorted(share, p - _TOL, side="left"))
        out.append(float(days[k]) if k < days.size else math.nan)
    return tuple(out)


def mean_days(done: np.ndarray, open_: np.ndarray) -> float:
    """Mean counted days: of the completed when none is open; with open cases the
    Kaplan-Meier mean when the estimate reaches all cases done, else NaN (not estimable:
    the open cases' durations are unknown beyond the run)."""
    d = np.asarray(done, dtype=np.float64)
    c = np.asarray(open_, dtype=np.float64)
    if d.size == 0:
        return math.nan
    if c.size == 0:
        return float(d.mean())
    days, share = kaplan_meier(d, c)
    if share[-1] < 1.0 - _TOL:
        return math.nan
    return float(np.sum(days * np.diff(share, prepend=0.0)))
