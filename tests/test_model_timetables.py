"""``simhall.model.timetables``: courier departures, batch sessions and working-day rulers.

Calendar of :mod:`tests.helpers`: day 0 is Monday 2007-09-24, open 08:30-12:00 and
14:30-17:30 (390 minutes); Sat 09-29 and Sun 09-30 are make-up working days, 10-01..10-07
the National Day holidays.
"""

from __future__ import annotations

import math
from datetime import date

import pytest

from simhall.calendar import WorkCalendar
from simhall.model.timetables import CourierTimetable, SessionTimetable, WorkingDays
from simhall.scenario.schema import Courier, SessionSchedule
from tests.helpers import at, calendar

MON, TUE, FRI, SAT, SUN = (date(2007, 9, d) for d in (24, 25, 28, 29, 30))
OCT1, OCT3, OCT8 = date(2007, 10, 1), date(2007, 10, 3), date(2007, 10, 8)
N_DAYS = 20  # up to Fri 10-12


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar(calendar(), N_DAYS)


def test_courier_leaves_at_its_times_on_working_days(cal: WorkCalendar) -> None:
    courier = CourierTimetable.of(cal, Courier((600, 930), 40.0), resource=7)
    assert courier.travel_min == 40.0 and courier.resource == 7
    assert courier.departure(at(MON, 9, 0)) == at(MON, 10, 0)
    assert courier.departure(at(MON, 10, 0)) == at(MON, 10, 0)  # ready at the departure
    assert courier.departure(at(MON, 10, 1)) == at(MON, 15, 30)
    assert courier.departure(at(SUN, 15, 31)) == at(OCT8, 10, 0)  # over the golden week
    assert courier.departure(at(N_DAYS - 1, 15, 31)) == math.inf


def test_sessions_on_holidays_move_and_merge(cal: WorkCalendar) -> None:
    rounds = SessionTimetable.of(cal, SessionSchedule((1, 4), (960,), duration_min=30.0))
    assert rounds.session_min == 30.0 and rounds.max_wait_days == math.inf
    assert rounds.next_start(at(MON, 9, 0)) == at(TUE, 16, 0)
    assert rounds.next_start(at(TUE, 16, 0)) == at(TUE, 16, 0)
    # Tue 10-02 and Fri 10-05 are holidays: both rounds become one on Mon 10-08
    assert rounds.next_start(at(FRI, 16, 1)) == at(OCT8, 16, 0)
    assert rounds.next_start(at(OCT8, 16, 1)) == at(date(2007, 10, 9), 16, 0)
    capped = SessionTimetable.of(cal, SessionSchedule((0,), (540,), max_wait_days=2))
    assert capped.max_wait_days == 2.0


def test_working_days_close_of_each_day(cal: WorkCalendar) -> None:
    days = WorkingDays(cal, cal.clock())
    assert days.close(0) == at(MON, 17, 30)
    assert days.close((SAT - MON).days) == at(SAT, 17, 30)  # a make-up working day
    assert days.close((OCT1 - MON).days) == -1.0
    assert days.close(N_DAYS) == -1.0
    assert len(days.starts) == len(days.lengths) == int(cal.working.sum())
    assert set(days.lengths) == {390.0}


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        (at(MON, 8, 30), 0.5, at(MON, 11, 45)),  # half of 390 open minutes
        (at(MON, 15, 0), 1.0, at(TUE, 15, 0)),
        (at(MON, 17, 30), 1.0, at(TUE, 17, 30)),  # from a close to the next close
        (at(FRI, 15, 0), 1.0, at(SAT, 15, 0)),  # the make-up Saturday counts
        (at(SUN, 15, 0), 1.0, at(OCT8, 15, 0)),  # the golden week does not
        (at(OCT3, 10, 0), 1.0, at(OCT8, 17, 30)),  # from a holiday: the next day's close
        (at(MON, 12, 30), 0.25, at(MON, 16, 7) + 0.5),  # from lunch: 210 + 97.5 open minutes
    ],
)
def test_working_days_advance(cal: WorkCalendar, start: float, days: float, end: float) -> None:
    assert WorkingDays(cal, cal.clock()).advance(start, days) == pytest.approx(end)


def test_working_days_beyond_the_calendar_are_infinite(cal: WorkCalendar) -> None:
    ruler = WorkingDays(cal, cal.clock())
    assert ruler.advance(at(N_DAYS - 1, 9, 0), 1.0) == math.inf
    assert ruler.advance(N_DAYS * 1440.0, 0.0) == math.inf
