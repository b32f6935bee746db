"""The hall's timetables: courier runs, sign-off rounds and meetings, and working days.

A registry clerk plans a file's journey with the timetables pinned on the wall: the courier
to the home office leaves at 10:00 and 15:30 and takes forty minutes; the leader signs on
Tuesday and Friday at 16:00; the director meets on Monday at 09:00; and a delay of "three
working days" is counted on the wall calendar, skipping weekends and holidays but counting
make-up days (调休). These are all known before the day starts, so the model precomputes
them instead of running a process per courier run or session: a file simply waits until the
next departure or session.

* :class:`CourierTimetable`: departures of a department's courier (hall <-> home office);
  the template of any hand-over of a file between two sites.
* :class:`SessionTimetable`: batch sessions (sign-off rounds, director meetings).
* :class:`WorkingDays`: a ruler of working days, for delays in (fractional) working days
  and the close of each day.
"""

from __future__ import annotations

import math
from bisect import bisect_left

import numpy as np

from simhall.calendar import MINUTES_PER_DAY, WorkCalendar, WorkClock
from simhall.scenario.schema import Courier, SessionSchedule

MIN_PER_DAY = float(MINUTES_PER_DAY)
"""Minutes per calendar day, as a float (simulation time is in float minutes)."""


class CourierTimetable:
    """Departures of one courier and its travel time.

    Attributes
    ----------
    times : list of float
        Departure minutes over the whole calendar, sorted.
    travel_min : float
        Minutes from departure to arrival.
    resource : int
        Resource code of the courier in the event records.
    """

    __slots__ = ("times", "travel_min", "resource")

    def __init__(self, times: list[float], travel_min: float, resource: int) -> None:
        self.times = times
        self.travel_min = travel_min
        self.resource = resource

    @classmethod
    def of(cls, calendar: WorkCalendar, courier: Courier, resource: int) -> CourierTimetable:
        """The timetable of ``courier`` (daily departures on working days) on ``calendar``."""
        times = calendar.daily_times(courier.times_min).tolist()
        return cls(times, float(courier.travel_min), resource)

    def departure(self, ready: float) -> float:
        """The first departure at or after ``ready`` (``inf`` after the last one)."""
        i = bisect_left(self.times, ready)
        return self.times[i] if i < len(self.times) else math.inf


class SessionTimetable:
    """Times of one kind of batch session (sign-off round, meeting) and its length.

    Attributes
    ----------
    times : list of float
        Session start minutes over the whole calendar, sorted.
    session_min : float
        Minutes a session lasts; every file of the batch is done at its end.
    max_wait_days : float
        Supervision cap in working days (``inf`` without one): a file never waits longer.
    """

    __slots__ = ("times", "session_min", "max_wait_days")

    def __init__(self, times: list[float], session_min: float, max_wait_days: float) -> None:
        self.times = times
        self.session_min = session_min
        self.max_wait_days = max_wait_days

    @classmethod
    def of(
        cls,
        calendar: WorkCalendar,
        schedule: SessionSchedule,
        rng: np.random.Generator | None = None,
    ) -> SessionTimetable:
        """The timetable of ``schedule`` on ``calendar`` (holidays moved or skipped).

        With ``schedule.skip_share > 0`` each session is dropped with that probability, by
        one uniform draw per session from ``rng`` (required then).
        """
        times = calendar.session_times(
            schedule.weekdays, schedule.times_min, schedule.on_holiday
        ).tolist()
        if schedule.skip_share > 0:
            if rng is None:
                raise ValueError("a session schedule with skip_share > 0 needs a random stream")
            held = rng.random(len(times)) >= schedule.skip_share
            times = [t for t, h in zip(times, held.tolist(), strict=True) if h]
        cap = schedule.max_wait_days
        return cls(times, float(schedule.duration_min), math.inf if cap is None else float(cap))

    def next_start(self, ready: float) -> float:
        """The first session starting at or after ``ready`` (``inf`` after the last one)."""
        i = bisect_left(self.times, ready)
        return self.times[i] if i < len(self.times) else math.inf


class WorkingDays:
    """The calendar's working days laid end to end, each from its opening to its close.

    A working day's position runs from 0 at its opening to 1 at its close, whatever the
    day's length, so a delay of one working day started at 15:00 ends at the 15:00-equivalent
    of the next working day even when that day is shorter (a short Friday).

    Parameters
    ----------
    calendar : WorkCalendar
        The hall's calendar.
    clock : WorkClock
        The hall's opening-hours clock (``calendar.clock()``).
    """

    __slots__ = ("calendar", "clock", "starts", "lengths", "closes")

    def __init__(self, calendar: WorkCalendar, clock: WorkClock) -> None:
        self.calendar = calendar
        self.clock = clock
        starts, lengths = [], []
        for day in np.flatnonzero(calendar.working).tolist():
            sessions = calendar.opening(day)
            starts.append(clock.to_work(day * MIN_PER_DAY + sessions[0][0]))
            lengths.append(float(sum(b - a for a, b in sessions)))
        self.starts: list[float] = starts
        """Working-clock reading at each working day's opening."""
        self.lengths: list[float] = lengths
        """Open minutes of each working day."""
        closes = []
        for day in range(calendar.n_days):
            sessions = calendar.opening(day)
            closes.append(day * MIN_PER_DAY + sessions[-1][1] if sessions else -1.0)
        self.closes: list[float] = closes
        """Wall-clock minute of each calendar day's close (-1 on days without opening)."""

    def close(self, day: int) -> float:
        """Minute at which calendar day ``day`` closes (-1 when closed or past the calendar)."""
        return self.closes[day] if day < len(self.closes) else -1.0

    def advance(self, t: float, days: float) -> float:
        """Wall time ``days`` working days after ``t`` (``inf`` past the calendar), never
        before ``t`` (a 0-day delay from after the close or before the opening is ``t``, not
        the previous close)."""
        cal = self.calendar
        clock = self.clock
        day = int(t // MIN_PER_DAY)
        if day >= cal.n_days:
            return math.inf
        if cal.working[day]:
            k = int(cal.workday_ordinal[day]) - 1
            w0 = self.starts[k]
            pos = k + (clock.to_work(t) - w0) / self.lengths[k]
        else:
            pos = float(cal.workday_ordinal[day])
        target = pos + days
        k = int(target)
        frac = target - k
        if frac == 0.0 and k >= 1:
            k, frac = k - 1, 1.0
        if k >= len(self.starts):
            return math.inf
        return max(t, clock.from_work(self.starts[k] + frac * self.lengths[k]))
