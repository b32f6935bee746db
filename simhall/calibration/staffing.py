"""How many clerks staff each window pool and back-office pool.

Counting staff from a log is like counting the desks in an office from the names on the
files: on a busy day nearly every clerk handles something, so the number of *distinct*
clerks (resources) active on a working day, at its maximum over the period, estimates the
pool's size. A log without resource names falls back to the largest number of overlapping
busy intervals (how many files were being worked on at once), which can only undercount.
"""

from __future__ import annotations

import numpy as np

from simhall.calendar import MINUTES_PER_DAY

__all__ = ["max_concurrent", "staff_per_group"]


def staff_per_group(
    group: np.ndarray, resource: np.ndarray, time: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray]:
    """Maximum over days of the number of distinct resources active per group and day.

    Parameters
    ----------
    group : numpy.ndarray
        int64 group code per event (``0 .. n_groups-1``).
    resource : numpy.ndarray
        int64 resource code per event (``-1`` = none; ignored).
    time : numpy.ndarray
        Wall minutes of each event (its start, else its end).
    n_groups : int
        Number of groups.

    Returns
    -------
    staff : numpy.ndarray
        int64 per group (0 where no event has a resource).
    n_days : numpy.ndarray
        int64 per group: days with at least one resourced event.
    """
    ok = (resource >= 0) & np.isfinite(time)
    g, r = group[ok].astype(np.int64), resource[ok].astype(np.int64)
    d = (time[ok] // MINUTES_PER_DAY).astype(np.int64)
    d -= d.min() if len(d) else 0
    n_days_total = int(d.max()) + 1 if len(d) else 1
    n_res = int(r.max()) + 1 if len(r) else 1
    key = (g * n_days_total + d) * n_res + r
    uniq = np.unique(key)
    gd = uniq // n_res
    per_gd = np.bincount(gd, minlength=n_groups * n_days_total).reshape(n_groups, n_days_total)
    return per_gd.max(axis=1).astype(np.int64), (per_gd > 0).sum(axis=1).astype(np.int64)


def max_concurrent(start: np.ndarray, end: np.ndarray) -> int:
    """Largest number of overlapping ``[start, end)`` intervals.

    Parameters
    ----------
    start, end : numpy.ndarray
        Interval bounds (pairs with a non-finite bound are ignored).

    Returns
    -------
    int
        0 for no intervals.
    """
    ok = np.isfinite(start) & np.isfinite(end) & (end >= start)
    if not ok.any():
        return 0
    t = np.concatenate([start[ok], end[ok]])
    step = np.concatenate([np.ones(ok.sum()), -np.ones(ok.sum())])
    order = np.lexsort((step, t))  # at equal times, ends (-1) before starts
    return int(np.cumsum(step[order]).max())
