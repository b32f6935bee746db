"""Working days and working minutes: the hall's clock.

A hall runs on two clocks. The wall clock (SimPy's ``env.now``, float minutes since midnight
of the first simulated day) keeps ticking through nights, weekends and the Spring Festival.
The *working* clock only ticks while the hall is open, like a taxi meter that stops whenever
the car is parked: a reviewer who needs 60 minutes for a file and starts at 11:30 works until
the lunch break at 12:00, puts the file down, and finishes at 15:00 after lunch (14:30-17:30
afternoon session); started at 17:00 it finishes at 09:00 on the next *working* day.

Committed time limits (承诺时限) are counted in working days, not calendar days. Which days
are working days comes from the Chinese public-holiday table (including make-up working
weekends, 调休), maintained in the PyPI package ``chinesecalendar``, or from Monday-Friday
plus the scenario's own lists.

:class:`WorkClock` turns a set of open intervals into a working-minute meter (``to_work``,
``from_work``, ``advance``); :class:`WorkCalendar` decides which days work and builds the
clocks, session times and day counts the simulation needs. Everything is precomputed once so
the calls made from the simulation's event loop are a binary search on Python lists.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from datetime import date, timedelta

import numpy as np

from simhall.scenario.schema import CalendarSpec, Interval

__all__ = ["MINUTES_PER_DAY", "CalendarError", "WorkCalendar", "WorkClock"]

MINUTES_PER_DAY = 1440
"""Minutes in a calendar day; day index ``d`` of time ``t`` is ``floor(t / 1440)``."""

_ON_HOLIDAY = ("next_working_day", "skip")


class CalendarError(ValueError):
    """The holiday source cannot say which days of the simulated period are working days."""


class WorkClock:
    """Working time inside a set of absolute open intervals (sorted, disjoint, minutes).

    Working time is the wall-clock time spent inside the intervals: ``to_work(t)`` reads the
    meter at wall time ``t`` and ``from_work(w)`` finds when the meter shows ``w``.

    Parameters
    ----------
    intervals : numpy.ndarray
        Shape ``(k, 2)``, float64: absolute ``(start, end)`` minutes, sorted and disjoint
        (touching is allowed). Empty intervals are dropped.

    Attributes
    ----------
    intervals : numpy.ndarray
        The non-empty intervals, shape ``(k, 2)``.
    total : float
        Working minutes in all intervals.

    Notes
    -----
    Work beyond the last interval never finishes: :meth:`from_work` and :meth:`advance`
    return ``math.inf`` for it.
    """

    __slots__ = ("intervals", "total", "_starts", "_ends", "_cum", "_cum_end", "_k")

    def __init__(self, intervals: np.ndarray) -> None:
        arr = np.asarray(intervals, dtype=np.float64).reshape(-1, 2)
        if np.any(arr[:, 1] < arr[:, 0]):
            raise ValueError("WorkClock: an interval ends before it starts")
        arr = arr[arr[:, 1] > arr[:, 0]]
        if len(arr) > 1 and np.any(arr[1:, 0] < arr[:-1, 1]):
            raise ValueError("WorkClock: intervals must be sorted and disjoint")
        lengths = arr[:, 1] - arr[:, 0]
        cum_end = np.cumsum(lengths)
        self.intervals: np.ndarray = arr
        self.total: float = float(cum_end[-1]) if len(arr) else 0.0
        self._starts: list[float] = arr[:, 0].tolist()
        self._ends: list[float] = arr[:, 1].tolist()
        self._cum_end: list[float] = cum_end.tolist()
        self._cum: list[float] = (cum_end - lengths).tolist()
        self._k: int = len(arr)

    def __repr__(self) -> str:
        return f"WorkClock({self._k} intervals, {self.total:g} working minutes)"

    def to_work(self, t: float) -> float:
        """Working minutes inside the intervals before wall time ``t``.

        Parameters
        ----------
        t : float
            Absolute wall-clock minutes.

        Returns
        -------
        float
            Non-decreasing in ``t``; constant outside the intervals.
        """
        i = bisect_right(self._starts, t) - 1
        if i < 0:
            return 0.0
        end = self._ends[i]
        return self._cum[i] + ((t if t < end else end) - self._starts[i])

    def to_work_many(self, t: np.ndarray) -> np.ndarray:
        """Vectorized :meth:`to_work` for an array of wall times (for summaries)."""
        t = np.asarray(t, dtype=np.float64)
        if not self._k:
            return np.zeros(t.shape)
        starts, ends = self.intervals[:, 0], self.intervals[:, 1]
        i = np.searchsorted(starts, t, side="right") - 1
        before = i < 0  # before the first interval: no working time yet
        j = np.maximum(i, 0)
        out = np.asarray(self._cum)[j]
        out += np.minimum(t, ends[j])
        out -= starts[j]
        out[before] = 0.0
        return out

    def from_work(self, w: float) -> float:
        """Earliest wall time at which ``w`` working minutes have elapsed.

        At a boundary between intervals this is the *end* of the earlier interval: work that
        completes exactly at 12:00 completes at 12:00, not when the hall reopens at 14:30.

        Parameters
        ----------
        w : float
            Working minutes; ``w <= 0`` gives the start of the first interval.

        Returns
        -------
        float
            Wall time, or ``math.inf`` if ``w`` exceeds :attr:`total`.
        """
        i = bisect_left(self._cum_end, w)
        if i >= self._k:
            return math.inf
        if w <= self._cum[i]:
            return self._starts[i]
        return self._starts[i] + (w - self._cum[i])

    def advance(self, t: float, work_min: float) -> float:
        """Finish time of ``work_min`` working minutes started at wall time ``t``.

        The work pauses outside the intervals (lunch, night, holidays).

        Parameters
        ----------
        t : float
            Start (wall time, possibly outside the intervals).
        work_min : float
            Working minutes needed; ``0`` returns ``t`` unchanged.

        Returns
        -------
        float
            Finish time ``>= t``, or ``math.inf`` if the intervals run out first.
        """
        if work_min <= 0.0:
            return t
        i = bisect_right(self._starts, t) - 1
        if i < 0:
            w = work_min
        else:
            end = self._ends[i]
            w = self._cum[i] + ((t if t < end else end) - self._starts[i]) + work_min
        j = bisect_left(self._cum_end, w)
        if j >= self._k:
            return math.inf
        done = self._starts[j] + (w - self._cum[j])
        return done if done > t else t

    def work_span(self, t: float, work_min: float) -> tuple[float, float]:
        """``(next_open(t), advance(t, work_min))`` with one search: when work taken up at
        wall time ``t`` starts and when it is done (a clerk's task)."""
        k = self._k
        i = bisect_right(self._starts, t) - 1
        if i >= 0:
            end = self._ends[i]
            if t < end:
                start = t
                w = self._cum[i] + (t - self._starts[i])
            else:
                start = self._starts[i + 1] if i + 1 < k else math.inf
                w = self._cum[i] + (end - self._starts[i])
        else:
            start = self._starts[0] if k else math.inf
            w = 0.0
        if work_min <= 0.0:
            return start, t
        w += work_min
        j = bisect_left(self._cum_end, w)
        if j >= k:
            return start, math.inf
        done = self._starts[j] + (w - self._cum[j])
        return start, (done if done > t else t)

    def next_open(self, t: float) -> float:
        """``t`` if an interval is open at ``t``, else the start of the next interval.

        Returns
        -------
        float
            ``math.inf`` when no interval opens at or after ``t``.
        """
        i = bisect_right(self._starts, t) - 1
        if i >= 0 and t < self._ends[i]:
            return t
        if i + 1 < self._k:
            return self._starts[i + 1]
        return math.inf

    def is_open(self, t: float) -> bool:
        """Whether ``start <= t < end`` for some interval."""
        i = bisect_right(self._starts, t) - 1
        return i >= 0 and t < self._ends[i]


def _merge(hours: tuple[Interval, ...]) -> list[tuple[int, int]]:
    """Union of clock intervals, sorted and disjoint (empty ones dropped)."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted(hours):
        if b <= a:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _intersect(
    opening: tuple[Interval, ...], hours: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Clock intervals inside both ``opening`` and ``hours`` (``hours`` merged), sorted."""
    out: list[tuple[int, int]] = []
    for a, b in opening:
        for c, d in hours:
            lo, hi = max(a, c), min(b, d)
            if lo < hi:
                out.append((lo, hi))
    out.sort()
    return out


def _cn_working(start: date, n_days: int) -> np.ndarray:
    """Working-day mask from the ``chinesecalendar`` table (raises :class:`CalendarError`)."""
    try:
        import chinese_calendar as cc
    except ImportError as exc:  # pragma: no cover - it is a dependency
        raise CalendarError(
            'holidays = "cn" needs the package chinesecalendar (pip install chinesecalendar)'
        ) from exc
    end = start + timedelta(days=n_days - 1)
    version = getattr(cc, "__version__", "?")
    for year in range(start.year, end.year + 1):
        try:
            cc.is_workday(date(year, 1, 1))
        except NotImplementedError as exc:
            first = max(start, date(year, 1, 1))
            raise CalendarError(
                f"the Chinese holiday table (chinesecalendar {version}) does not cover year "
                f"{year} (simulated days from {first.isoformat()}): supply the year's holidays "
                f'with holidays = "custom" plus extra_holidays/extra_workdays, or accept '
                f'holidays = "weekends-only"'
            ) from exc
    working = _weekday_numbers(start, n_days) < 5
    for table, value in ((cc.holidays, False), (cc.workdays, True)):
        for d in table:
            day = (d - start).days
            if 0 <= day < n_days:
                working[day] = value
    return working


def _weekday_numbers(start: date, n_days: int) -> np.ndarray:
    """Weekday (Monday = 0) of each calendar day ``0 .. n_days-1``."""
    return (np.arange(n_days, dtype=np.int64) + start.weekday()) % 7


class WorkCalendar:
    """Working days of the hall over calendar days ``[0, n_days)`` from ``spec.start``.

    Parameters
    ----------
    spec : CalendarSpec
        The scenario's calendar.
    n_days : int
        Calendar days to cover (run days plus drain days).

    Attributes
    ----------
    spec : CalendarSpec
    start : datetime.date
        Day 0.
    n_days : int
    working : numpy.ndarray
        Bool, length ``n_days``: whether each day is a working day.
    workday_ordinal : numpy.ndarray
        int64, length ``n_days``: number of working days in ``[0, day]`` inclusive.

    Raises
    ------
    CalendarError
        If ``spec.holidays == "cn"`` and the holiday table does not cover a year of the
        period.
    """

    def __init__(self, spec: CalendarSpec, n_days: int) -> None:
        if n_days <= 0:
            raise ValueError(f"WorkCalendar: n_days must be positive, got {n_days}")
        self.spec: CalendarSpec = spec
        self.start: date = spec.start
        self.n_days: int = int(n_days)
        weekday = _weekday_numbers(self.start, self.n_days)
        if spec.holidays == "cn":
            working = _cn_working(self.start, self.n_days)
        elif spec.holidays in ("weekends-only", "custom"):
            working = weekday < 5
        else:
            raise CalendarError(
                f"unknown holiday source {spec.holidays!r}; expected 'cn', 'weekends-only' "
                "or 'custom'"
            )
        for days, value in ((spec.extra_holidays, False), (spec.extra_workdays, True)):
            for d in days:
                day = (d - self.start).days
                if 0 <= day < self.n_days:
                    working[day] = value
        self.working: np.ndarray = working
        self.workday_ordinal: np.ndarray = np.cumsum(working, dtype=np.int64)
        self._weekday: np.ndarray = weekday
        self._working_list: list[bool] = working.tolist()
        self._ordinal_list: list[int] = self.workday_ordinal.tolist()
        # _next_ge[d]: smallest working day >= d (n_days if none); length n_days + 1.
        idx = np.where(working, np.arange(self.n_days), self.n_days)
        next_ge = np.minimum.accumulate(idx[::-1])[::-1]
        self._next_ge: np.ndarray = np.append(next_ge, self.n_days).astype(np.int64)
        self._working_days: np.ndarray = np.flatnonzero(working)
        self._openings: list[tuple[Interval, ...]] = [
            self._opening_for(int(wd)) if w else () for w, wd in zip(working, weekday)
        ]
        self._clocks: dict[tuple[Interval, ...] | None, WorkClock] = {}

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(start={self.start.isoformat()}, n_days={self.n_days}, "
            f"holidays={self.spec.holidays!r}, working_days={int(self.working.sum())})"
        )

    def _opening_for(self, weekday: int) -> tuple[Interval, ...]:
        # A make-up weekend working day (调休) keeps ordinary hours.
        return self.spec.opening if weekday >= 5 else self.spec.opening_on(weekday)

    def is_working_day(self, day: int) -> bool:
        """Whether calendar day ``day`` is a working day (``False`` outside the period)."""
        return 0 <= day < self.n_days and self._working_list[day]

    def date_of(self, day: int) -> date:
        """The date of calendar day ``day``."""
        return self.start + timedelta(days=int(day))

    def day_of(self, d: date) -> int:
        """The calendar day index of date ``d`` (may lie outside ``[0, n_days)``)."""
        return (d - self.start).days

    def opening(self, day: int) -> tuple[Interval, ...]:
        """Clock sessions of ``day``; ``()`` when it is not a working day.

        A make-up weekend working day uses ``spec.opening``.
        """
        if 0 <= day < self.n_days:
            return self._openings[day]
        return ()

    def clock(self, hours: tuple[Interval, ...] | None = None) -> WorkClock:
        """A working-minute clock of the hall's working days (cached per ``hours``).

        Parameters
        ----------
        hours : tuple of Interval or None
            ``None``: the hall's opening sessions on every working day. Otherwise these clock
            hours intersected with each working day's opening (a pool present only in the
            mornings).

        Returns
        -------
        WorkClock
        """
        key = None if hours is None else tuple((int(a), int(b)) for a, b in hours)
        cached = self._clocks.get(key)
        if cached is not None:
            return cached
        merged = None if key is None else _merge(key)
        rows: list[tuple[float, float]] = []
        for day in self._working_days.tolist():
            base = day * MINUTES_PER_DAY
            sessions = self._openings[day]
            if merged is not None:
                sessions = tuple(_intersect(sessions, merged))
            rows.extend((base + a, base + b) for a, b in sessions)
        clock = WorkClock(np.array(rows, dtype=np.float64).reshape(-1, 2))
        self._clocks[key] = clock
        return clock

    def _day_index(self, t: float) -> int:
        day = math.floor(t / MINUTES_PER_DAY)
        if not 0 <= day < self.n_days:
            raise ValueError(
                f"time {t} (day {day}) lies outside the calendar's days [0, {self.n_days})"
            )
        return day

    def working_days_between(self, t0: float, t1: float) -> int:
        """Working days after the day of ``t0`` up to and including the day of ``t1``.

        ``workday_ordinal[day(t1)] - workday_ordinal[day(t0)]``: 0 on the same day; a case
        accepted on Friday and completed on the next Monday took 1 working day.
        """
        ordinal = self._ordinal_list
        return ordinal[self._day_index(t1)] - ordinal[self._day_index(t0)]

    def session_times(
        self, weekdays: tuple[int, ...], times_min: tuple[int, ...], on_holiday: str
    ) -> np.ndarray:
        """Absolute minutes of recurring sessions within ``[0, n_days)``, sorted and unique.

        Parameters
        ----------
        weekdays : tuple of int
            Weekdays with sessions (Monday = 0).
        times_min : tuple of int
            Clock times of the sessions.
        on_holiday : {"next_working_day", "skip"}
            A session whose day is not a working day moves to the next working day at the
            same clock time, or is dropped. Sessions that coincide after moving are merged;
            moves past the last day are dropped.

        Returns
        -------
        numpy.ndarray
            float64 absolute minutes.
        """
        if on_holiday not in _ON_HOLIDAY:
            raise ValueError(f"on_holiday must be one of {_ON_HOLIDAY}, got {on_holiday!r}")
        days = np.flatnonzero(np.isin(self._weekday, np.asarray(weekdays, dtype=np.int64)))
        if on_holiday == "skip":
            days = days[self.working[days]]
        else:
            days = self._next_ge[days]
            days = days[days < self.n_days]
        return self._at_times(np.unique(days), times_min)

    def daily_times(self, times_min: tuple[int, ...]) -> np.ndarray:
        """Absolute minutes of ``times_min`` on every working day (courier departures)."""
        return self._at_times(self._working_days, times_min)

    @staticmethod
    def _at_times(days: np.ndarray, times_min: tuple[int, ...]) -> np.ndarray:
        times = np.asarray(times_min, dtype=np.float64)
        grid = days.astype(np.float64)[:, None] * MINUTES_PER_DAY + times[None, :]
        return np.unique(grid.ravel())

    def close_of_day(self, day: int) -> float:
        """Absolute minute at which the last opening session of working day ``day`` ends."""
        sessions = self.opening(day)
        if not sessions:
            raise ValueError(f"day {day} ({self.date_of(day)}) is not a working day")
        return float(day * MINUTES_PER_DAY + max(b for _, b in sessions))

    def next_working_day(self, day: int) -> int:
        """Smallest working day ``> day`` (``n_days`` if there is none in the period)."""
        if day >= self.n_days - 1:
            return self.n_days
        return int(self._next_ge[max(day + 1, 0)])

    def add_working_days(self, day: int, n: int) -> int:
        """The ``n``-th working day after ``day`` (``day`` itself for ``n == 0``).

        Returns ``n_days`` when that day lies beyond the period.
        """
        if n < 0:
            raise ValueError(f"add_working_days: n must be >= 0, got {n}")
        if n == 0:
            return day
        if day >= self.n_days:
            return self.n_days
        base = self._ordinal_list[day] if day >= 0 else 0
        return int(np.searchsorted(self.workday_ordinal, base + n, side="left"))
