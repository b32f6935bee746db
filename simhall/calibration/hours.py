"""Opening hours and the lunch break, read off the ticket times.

Nobody takes a queue ticket while the hall is closed, so the ticket times of a few months
draw the opening hours like footprints in snow draw a path: the earliest 1% of tickets mark
the morning opening, the latest 1% the evening close, and the longest stretch of the day
without tickets is the lunch break. Times are rounded to the quarter hour (opening down,
closing up). A weekday whose tickets stop at least 30 minutes earlier than the others gets
its own closing time (a short Friday afternoon).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simhall.scenario.schema import Interval

__all__ = ["DEFAULT_OPENING", "HoursEstimate", "detect_hours"]

DEFAULT_OPENING: tuple[Interval, ...] = ((510, 720), (870, 1050))
"""08:30-12:00 and 14:30-17:30, used when the log cannot tell."""
MIN_TICKETS = 50
"""Fewer ticket times than this: keep :data:`DEFAULT_OPENING`."""
MIN_WEEKDAY_TICKETS = 100
"""Tickets a weekday needs before it may get its own closing time."""
QUARTER = 15
MIN_SESSION_MIN = 60
"""A lunch break leaves at least this many minutes open before and after it (sparse ticket
times have quiet stretches that are no lunch)."""


def _floor(x: float) -> int:
    return int(np.floor(x / QUARTER) * QUARTER)


def _ceil(x: float) -> int:
    return int(np.ceil(x / QUARTER) * QUARTER)


def _round(x: float) -> int:
    return int(np.round(x / QUARTER) * QUARTER)


def fmt_clock(minute: float) -> str:
    """``"HH:MM"`` of a minute after midnight."""
    m = int(round(minute))
    return f"{m // 60:02d}:{m % 60:02d}"


@dataclass(frozen=True)
class HoursEstimate:
    """Estimated opening sessions.

    Parameters
    ----------
    opening : tuple of Interval
        Sessions of an ordinary working day.
    by_weekday : dict
        Weekday (Monday = 0) -> its own sessions.
    n : int
        Ticket times used.
    estimated : bool
        False when the defaults were kept.
    notes : list of str
        How each boundary was found.
    """

    opening: tuple[Interval, ...]
    by_weekday: dict[int, tuple[Interval, ...]] = field(default_factory=dict)
    n: int = 0
    estimated: bool = False
    notes: list[str] = field(default_factory=list)


def detect_hours(clock_min: np.ndarray, weekday: np.ndarray) -> HoursEstimate:
    """Opening hours from ticket clock times.

    Parameters
    ----------
    clock_min : numpy.ndarray
        Ticket (or window service start) times as minutes after midnight.
    weekday : numpy.ndarray
        Weekday of each ticket (Monday = 0).

    Returns
    -------
    HoursEstimate
        Opening sessions, weekday overrides and notes; the defaults when fewer than
        :data:`MIN_TICKETS` times are given.
    """
    x = np.asarray(clock_min, dtype=np.float64)
    ok = np.isfinite(x)
    x, weekday = x[ok], np.asarray(weekday)[ok]
    n = len(x)
    if n < MIN_TICKETS:
        return HoursEstimate(
            DEFAULT_OPENING,
            n=n,
            notes=[
                f"only {n} ticket times with a time of day: opening hours not estimated, "
                "default 08:30-12:00, 14:30-17:30 assumed"
            ],
        )
    q01, q99 = np.quantile(x, [0.01, 0.99])
    open_at, close_at = _floor(q01), _ceil(q99)
    if close_at <= open_at:
        close_at = open_at + QUARTER
    notes = [
        f"opening {fmt_clock(open_at)} = 1st percentile of {n} ticket times "
        f"({fmt_clock(q01)}) rounded down to the quarter hour",
        f"closing {fmt_clock(close_at)} = 99th percentile ({fmt_clock(q99)}) rounded up",
    ]
    counts = np.bincount(
        np.clip(x.astype(np.int64) - open_at, 0, close_at - open_at - 1),
        minlength=close_at - open_at,
    )
    quiet = counts <= 0.02 * counts.mean()
    best_len, best_start, run = 0, 0, 0
    for i, q in enumerate(quiet.tolist()):
        run = run + 1 if q else 0
        if run > best_len:
            best_len, best_start = run, i - run + 1
    opening: tuple[Interval, ...]
    lunch0 = _round(open_at + best_start)
    lunch1 = _round(open_at + best_start + best_len)
    if (
        best_len >= 30
        and best_start > 0
        and best_start + best_len < len(counts)
        and lunch0 - open_at >= MIN_SESSION_MIN
        and close_at - lunch1 >= MIN_SESSION_MIN
    ):
        opening = ((open_at, lunch0), (lunch1, close_at))
        notes.append(
            f"lunch break {fmt_clock(lunch0)}-{fmt_clock(lunch1)} = the longest stretch without "
            f"tickets ({best_len} min, fewer than 2% of the mean per minute), rounded"
        )
    else:
        opening = ((open_at, close_at),)
        notes.append("no midday stretch of 30 min without tickets: no lunch break")
    by_weekday: dict[int, tuple[Interval, ...]] = {}
    for wd in range(7):
        sel = x[weekday == wd]
        if len(sel) < MIN_WEEKDAY_TICKETS:
            continue
        wd_close = _ceil(float(np.quantile(sel, 0.99)))
        if wd_close <= close_at - 30 and wd_close > opening[-1][0]:
            by_weekday[wd] = (*opening[:-1], (opening[-1][0], wd_close))
            names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
            notes.append(
                f"{names[wd]}: closes at {fmt_clock(wd_close)} (99th percentile of its "
                f"{len(sel)} tickets, >= 30 min before the usual close)"
            )
    return HoursEstimate(opening, by_weekday, n=n, estimated=True, notes=notes)
