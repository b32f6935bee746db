"""The hall's working time: opening hours, the holiday table, and its own closures.

Working days and working minutes are the unit of every committed limit, so calibration
fixes them before it measures any duration. The opening hours come from the ticket times
(:func:`~simhall.calibration.hours.detect_hours`); the working days from the national
holiday table with its 调休 make-up days (falling back to weekends only when the table does
not cover the period); and the hall's own departures from the table, seen from the tickets:
a working day on which a busy hall sold no ticket was a closure, a weekend with a crowd was
worked (:func:`own_days`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import numpy as np

from simhall.calendar import MINUTES_PER_DAY, CalendarError, WorkCalendar, WorkClock
from simhall.calibration.evidence import Evidence
from simhall.calibration.hours import HoursEstimate, detect_hours
from simhall.calibration.period import PeriodLog
from simhall.scenario.schema import CalendarSpec

__all__ = ["OWN_DAY_MIN_TICKETS", "HallCalendar", "hall_calendar", "own_days"]

OWN_DAY_MIN_TICKETS = 5
"""Mean tickets per working day above which a working day without tickets is a closure."""


@dataclass(frozen=True)
class HallCalendar:
    """When the hall works.

    Attributes
    ----------
    hours : HoursEstimate
        Opening sessions.
    spec : CalendarSpec
        The ``[calendar]`` of the scenario.
    calendar : WorkCalendar
        Working days, covering every event of the period.
    clock : WorkClock
        Working minutes.
    holidays : str
        Holiday source in effect (``"weekends-only"`` when ``"cn"`` had to be given up).
    day_min : float
        Open minutes of an ordinary working day.
    evidence : Evidence
    """

    hours: HoursEstimate
    spec: CalendarSpec
    calendar: WorkCalendar
    clock: WorkClock
    holidays: str
    day_min: float
    evidence: Evidence


def _opening_hours(period: PeriodLog) -> HoursEstimate:
    """Opening hours from the window visits' ticket (or service start) times."""
    if period.low_precision:
        hours = detect_hours(np.empty(0), np.empty(0))
        return dataclasses.replace(
            hours,
            notes=[
                "timestamps have no time of day (low precision): opening hours not estimated, "
                "default 08:30-12:00, 14:30-17:30 assumed; all estimates are day-level",
                *hours.notes[1:],
            ],
        )
    # Only window visits with a ready or start time say when tickets were drawn; logs
    # with completion times only have none (all NaN): the defaults are kept, explicitly.
    win_clock = np.where(np.isfinite(period.ready), period.ready, period.start)[period.is_window]
    win_clock = win_clock[np.isfinite(win_clock)]
    if len(win_clock) == 0:
        hours = detect_hours(np.empty(0), np.empty(0))
        return dataclasses.replace(
            hours,
            notes=[
                "no window visit has a ready or start time (completion times only): opening "
                "hours not estimated, default 08:30-12:00, 14:30-17:30 assumed",
                *hours.notes[1:],
            ],
        )
    wday = np.floor(win_clock / MINUTES_PER_DAY).astype(np.int64)
    weekday = (wday + period.since.weekday()) % 7
    return detect_hours(np.mod(win_clock, MINUTES_PER_DAY), weekday)


def own_days(
    calendar: WorkCalendar, ticket: np.ndarray, n_period: int, low_precision: bool
) -> tuple[tuple[date, ...], tuple[date, ...]]:
    """The hall's own closures and extra working days, seen from ticket dates.

    A working day of the holiday table without a single ticket, in a log with at least
    :data:`OWN_DAY_MIN_TICKETS` tickets per working day on average, is a closure; a
    non-working day with at least that many tickets is an extra working day (never in a
    low-precision log).

    Parameters
    ----------
    calendar : WorkCalendar
        The holiday table's calendar.
    ticket : numpy.ndarray
        Ticket times (wall minutes).
    n_period : int
        Calendar days of the period.
    low_precision : bool
        Dates only.

    Returns
    -------
    closures, extra_workdays : tuple of datetime.date
    """
    n = min(n_period, calendar.n_days)
    day = np.floor(ticket[np.isfinite(ticket)] / MINUTES_PER_DAY).astype(np.int64)
    day = day[(day >= 0) & (day < n)]
    counts = np.bincount(day, minlength=n)
    working = calendar.working[:n]
    if working.sum() == 0 or counts[working].mean() < OWN_DAY_MIN_TICKETS:
        return (), ()
    seen = np.flatnonzero(counts > 0)
    if len(seen) == 0:
        return (), ()
    first, last = int(seen[0]), int(seen[-1])
    idx = np.arange(n)
    inside = (idx >= first) & (idx <= last)
    closed = np.flatnonzero(working & inside & (counts == 0))
    extra = np.flatnonzero(~working & inside & (counts >= OWN_DAY_MIN_TICKETS))
    if low_precision:
        extra = extra[:0]
    return (
        tuple(calendar.date_of(int(d)) for d in closed),
        tuple(calendar.date_of(int(d)) for d in extra),
    )


def hall_calendar(period: PeriodLog, holidays: str) -> HallCalendar:
    """Opening hours and working days of the hall in the calibration period.

    Parameters
    ----------
    period : PeriodLog
        The period's events.
    holidays : {"cn", "weekends-only"}
        Holiday table asked for.

    Returns
    -------
    HallCalendar
        Its calendar covers the period and every later event of its cases.
    """
    assumptions: list[str] = []
    notes: list[str] = []
    hours = _opening_hours(period)
    if not hours.estimated:
        assumptions.append(hours.notes[0])
    last_day = int(np.nanmax(period.end) // MINUTES_PER_DAY) + 2
    cal_days = max(last_day, period.n_days) + 1
    by_weekday = tuple(sorted(hours.by_weekday.items()))
    try:
        spec = CalendarSpec(
            start=period.since,
            holidays=cast(Any, holidays),
            opening=hours.opening,
            opening_by_weekday=by_weekday,
        )
        calendar = WorkCalendar(spec, cal_days)
    except CalendarError as exc:
        assumptions.append(f"{exc}; calendar falls back to weekends-only")
        holidays = "weekends-only"
        spec = CalendarSpec(
            start=period.since,
            holidays="weekends-only",
            opening=hours.opening,
            opening_by_weekday=by_weekday,
        )
        calendar = WorkCalendar(spec, cal_days)
    closures, extra = own_days(
        calendar, period.ticket[period.is_window], period.n_days, period.low_precision
    )
    if closures or extra:
        spec = dataclasses.replace(spec, extra_holidays=closures, extra_workdays=extra)
        calendar = WorkCalendar(spec, cal_days)
        if closures:
            notes.append(
                "hall closures (extra_holidays): working days without any ticket in a period "
                f"averaging >= {OWN_DAY_MIN_TICKETS} tickets a day: "
                + ", ".join(d.isoformat() for d in closures)
            )
        if extra:
            notes.append(
                "extra working days: non-working days with tickets: "
                + ", ".join(d.isoformat() for d in extra)
            )
    return HallCalendar(
        hours=hours,
        spec=spec,
        calendar=calendar,
        clock=calendar.clock(),
        holidays=holidays,
        day_min=float(sum(b - a for a, b in hours.opening)),
        evidence=Evidence(assumptions=tuple(assumptions), notes=tuple(notes)),
    )
