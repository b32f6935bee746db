"""Wall-clock and working-clock minutes for a whole log at once.

Calibration reads timestamps the way the simulator keeps time: minutes after midnight of the
first day of the calibration period (the "origin"), so that day ``d`` of a timestamp is
``floor(t / 1440)`` and its clock time is ``t mod 1440``. Working minutes are read off the
hall's :class:`~simhall.calendar.WorkClock` like a taxi meter that stops at lunch and at
night, but vectorized with ``numpy.searchsorted`` so that a million events take
milliseconds, not a Python loop.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simhall.calendar import MINUTES_PER_DAY, WorkCalendar, WorkClock

__all__ = ["MINUTES_PER_DAY", "minutes", "to_work", "working_days_between"]


def minutes(values: pd.Series, origin: pd.Timestamp) -> np.ndarray:
    """Minutes after ``origin`` of a timestamp column (NaN where missing).

    Parameters
    ----------
    values : pandas.Series
        ``datetime64`` values.
    origin : pandas.Timestamp
        Midnight of day 0.

    Returns
    -------
    numpy.ndarray
        float64 minutes.
    """
    arr = pd.to_datetime(values).to_numpy(dtype="datetime64[ns]")
    ok = ~np.isnat(arr)
    out = np.full(len(arr), np.nan)
    delta = (arr[ok] - origin.to_datetime64().astype("datetime64[ns]")).astype(np.int64)
    out[ok] = delta / 6e10
    return out


def to_work(clock: WorkClock, t: np.ndarray) -> np.ndarray:
    """Vectorized :meth:`WorkClock.to_work`: working minutes before each wall time.

    Parameters
    ----------
    clock : WorkClock
        The working clock.
    t : numpy.ndarray
        Wall minutes (NaN stays NaN).

    Returns
    -------
    numpy.ndarray
        float64 working minutes.
    """
    iv = clock.intervals
    t = np.asarray(t, dtype=np.float64)
    out = np.full(t.shape, np.nan)
    if len(iv) == 0:
        out[np.isfinite(t)] = 0.0
        return out
    starts, ends = iv[:, 0], iv[:, 1]
    lengths = ends - starts
    cum = np.concatenate(([0.0], np.cumsum(lengths)[:-1]))
    ok = np.isfinite(t)
    tt = t[ok]
    i = np.searchsorted(starts, tt, side="right") - 1
    inside = i >= 0
    ic = np.maximum(i, 0)
    val = cum[ic] + np.minimum(tt, ends[ic]) - starts[ic]
    out[ok] = np.where(inside, val, 0.0)
    return out


def working_days_between(calendar: WorkCalendar, t0: np.ndarray, t1: np.ndarray) -> np.ndarray:
    """Working days from the day of ``t0`` to the day of ``t1`` (ordinal difference).

    Parameters
    ----------
    calendar : WorkCalendar
        Covers both times.
    t0, t1 : numpy.ndarray
        Wall minutes (NaN gives NaN).

    Returns
    -------
    numpy.ndarray
        float64 day counts: 0 on the same day, 1 from Friday to Monday.
    """
    ordinal = calendar.workday_ordinal
    n = len(ordinal)
    out = np.full(np.shape(t0), np.nan)
    ok = np.isfinite(t0) & np.isfinite(t1)
    d0 = np.clip((t0[ok] // MINUTES_PER_DAY).astype(np.int64), 0, n - 1)
    d1 = np.clip((t1[ok] // MINUTES_PER_DAY).astype(np.int64), 0, n - 1)
    out[ok] = ordinal[d1] - ordinal[d0]
    return out
