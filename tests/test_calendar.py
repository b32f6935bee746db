"""Tests of the working-day calendar and the working-minute clock."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simhall.calendar import MINUTES_PER_DAY, CalendarError, WorkCalendar, WorkClock
from simhall.scenario.schema import CalendarSpec

DAY = MINUTES_PER_DAY
OPENING = ((510, 720), (870, 1050))  # 08:30-12:00, 14:30-17:30


def hm(h: int, m: int = 0) -> int:
    return 60 * h + m


@pytest.fixture(scope="module")
def cal2007() -> WorkCalendar:
    return WorkCalendar(CalendarSpec(start=date(2007, 1, 1), opening=OPENING), 400)


def at(cal: WorkCalendar, d: date, minute: float) -> float:
    return cal.day_of(d) * DAY + minute


# --- working days -----------------------------------------------------------------------


def test_2007_golden_week(cal2007: WorkCalendar) -> None:
    for day in range(1, 8):
        assert not cal2007.is_working_day(cal2007.day_of(date(2007, 10, day)))
    assert cal2007.is_working_day(cal2007.day_of(date(2007, 9, 29)))  # Saturday, make-up
    assert cal2007.is_working_day(cal2007.day_of(date(2007, 9, 30)))  # Sunday, make-up
    assert cal2007.is_working_day(cal2007.day_of(date(2007, 10, 8)))


def test_2007_spring_festival(cal2007: WorkCalendar) -> None:
    for day in range(18, 25):
        assert not cal2007.is_working_day(cal2007.day_of(date(2007, 2, day)))
    assert cal2007.is_working_day(cal2007.day_of(date(2007, 2, 17)))  # Saturday
    assert cal2007.is_working_day(cal2007.day_of(date(2007, 2, 25)))  # Sunday


def _count(cal: WorkCalendar, first: date, last: date) -> int:
    return int(cal.working[cal.day_of(first) : cal.day_of(last) + 1].sum())


def test_2007_counts(cal2007: WorkCalendar) -> None:
    # Checked against chinese_calendar 1.11: 23 weekdays - 5 (Oct 1-5) = 18.
    assert _count(cal2007, date(2007, 10, 1), date(2007, 10, 31)) == 18
    # September: 20 weekdays + Sep 29, 30 = 22.
    assert _count(cal2007, date(2007, 9, 1), date(2007, 9, 30)) == 22
    # February: 20 weekdays - Feb 19-23 + Feb 17, 25 = 17.
    assert _count(cal2007, date(2007, 2, 1), date(2007, 2, 28)) == 17
    # Whole year 2007 (State Council notice: 249 working days).
    assert _count(cal2007, date(2007, 1, 1), date(2007, 12, 31)) == 249
    assert cal2007.workday_ordinal[-1] == cal2007.working.sum()
    assert cal2007.workday_ordinal.dtype == np.int64


def test_date_round_trip(cal2007: WorkCalendar) -> None:
    assert cal2007.date_of(0) == date(2007, 1, 1)
    assert cal2007.day_of(date(2007, 10, 8)) == 280
    assert cal2007.date_of(280) == date(2007, 10, 8)


def test_working_days_between_golden_week(cal2007: WorkCalendar) -> None:
    accepted = at(cal2007, date(2007, 9, 28), hm(10))
    completed = at(cal2007, date(2007, 10, 8), hm(16))
    # Sat 29 and Sun 30 are make-up working days, Oct 1-7 are off, Mon Oct 8 works: 3.
    assert cal2007.working_days_between(accepted, completed) == 3
    assert cal2007.working_days_between(accepted, accepted + 300) == 0
    # Friday to Monday in an ordinary week counts one working day.
    fri = at(cal2007, date(2007, 11, 2), hm(9))
    assert cal2007.working_days_between(fri, fri + 3 * DAY) == 1


def test_next_and_add_working_days(cal2007: WorkCalendar) -> None:
    sep30 = cal2007.day_of(date(2007, 9, 30))
    oct8 = cal2007.day_of(date(2007, 10, 8))
    assert cal2007.next_working_day(sep30) == oct8
    assert cal2007.next_working_day(cal2007.day_of(date(2007, 10, 3))) == oct8
    sep28 = cal2007.day_of(date(2007, 9, 28))
    assert cal2007.add_working_days(sep28, 0) == sep28
    assert cal2007.add_working_days(sep28, 1) == sep28 + 1
    assert cal2007.add_working_days(sep28, 3) == oct8
    # From a holiday: the first working day after it.
    assert cal2007.add_working_days(cal2007.day_of(date(2007, 10, 2)), 1) == oct8
    assert cal2007.next_working_day(cal2007.n_days - 1) == cal2007.n_days
    assert cal2007.add_working_days(cal2007.n_days - 5, 100) == cal2007.n_days


def test_working_days_between_matches_add(cal2007: WorkCalendar) -> None:
    for day in range(0, 300, 7):
        for n in (1, 5, 12, 20):
            end = cal2007.add_working_days(day, n)
            assert cal2007.working_days_between(day * DAY, end * DAY + 600) == n


# --- opening, sessions, couriers --------------------------------------------------------


def test_opening_and_close(cal2007: WorkCalendar) -> None:
    assert cal2007.opening(cal2007.day_of(date(2007, 10, 3))) == ()
    assert cal2007.opening(cal2007.day_of(date(2007, 10, 8))) == OPENING
    sat = cal2007.day_of(date(2007, 9, 29))
    assert cal2007.close_of_day(sat) == sat * DAY + 1050
    with pytest.raises(ValueError):
        cal2007.close_of_day(cal2007.day_of(date(2007, 10, 3)))


def test_opening_by_weekday_and_make_up_day() -> None:
    spec = CalendarSpec(
        start=date(2007, 9, 1),
        opening=OPENING,
        opening_by_weekday=((4, ((510, 720),)), (5, ((600, 660),))),
    )
    cal = WorkCalendar(spec, 60)
    fri = cal.day_of(date(2007, 9, 28))
    assert cal.opening(fri) == ((510, 720),)
    assert cal.close_of_day(fri) == fri * DAY + 720
    # A make-up Saturday keeps the ordinary opening.
    assert cal.opening(cal.day_of(date(2007, 9, 29))) == OPENING


def test_weekly_meeting_october_2007(cal2007: WorkCalendar) -> None:
    times = cal2007.session_times((0,), (hm(9),), "next_working_day")
    oct_lo, oct_hi = at(cal2007, date(2007, 10, 1), 0), at(cal2007, date(2007, 11, 1), 0)
    october = [cal2007.date_of(int(t // DAY)) for t in times if oct_lo <= t < oct_hi]
    # Mon Oct 1 (holiday) moves to Mon Oct 8, merging with Oct 8's own meeting.
    assert october == [
        date(2007, 10, 8),
        date(2007, 10, 15),
        date(2007, 10, 22),
        date(2007, 10, 29),
    ]
    assert all(t % DAY == hm(9) for t in times)
    skipped = cal2007.session_times((0,), (hm(9),), "skip")
    assert at(cal2007, date(2007, 10, 1), hm(9)) not in skipped
    assert at(cal2007, date(2007, 10, 8), hm(9)) in skipped


def test_session_moves_to_next_working_day(cal2007: WorkCalendar) -> None:
    # Tuesday and Friday sign-offs at 16:00; Tue Oct 2 and Fri Oct 5 are holidays.
    moved = cal2007.session_times((1, 4), (hm(16),), "next_working_day")
    skipped = cal2007.session_times((1, 4), (hm(16),), "skip")
    oct8_16 = at(cal2007, date(2007, 10, 8), hm(16))
    assert oct8_16 in moved and oct8_16 not in skipped
    assert np.all(np.diff(moved) > 0) and np.all(np.diff(skipped) > 0)
    assert set(skipped.tolist()) <= set(moved.tolist())
    # Every session lies on a working day.
    assert all(cal2007.is_working_day(int(t // DAY)) for t in moved)
    # Two clock times a day.
    both = cal2007.session_times((4,), (hm(10), hm(16)), "skip")
    assert len(both) == 2 * len(cal2007.session_times((4,), (hm(10),), "skip"))
    with pytest.raises(ValueError):
        cal2007.session_times((0,), (hm(9),), "never")


def test_daily_times(cal2007: WorkCalendar) -> None:
    times = cal2007.daily_times((hm(10), hm(15)))
    assert len(times) == 2 * int(cal2007.working.sum())
    assert np.all(np.diff(times) > 0)
    assert at(cal2007, date(2007, 9, 30), hm(10)) in times
    assert at(cal2007, date(2007, 10, 3), hm(10)) not in times


# --- WorkClock --------------------------------------------------------------------------


def test_advance_over_lunch_and_night(cal2007: WorkCalendar) -> None:
    clock = cal2007.clock()
    mon = at(cal2007, date(2007, 11, 5), 0)
    assert clock.advance(mon + hm(11, 30), 60) == mon + hm(15)
    assert clock.advance(mon + hm(17), 60) == mon + DAY + hm(9)
    assert clock.advance(mon + hm(11, 30), 0) == mon + hm(11, 30)
    assert clock.advance(mon + hm(12, 30), 30) == mon + hm(15)  # starts after lunch
    assert clock.advance(mon + hm(11, 30), 30) == mon + hm(12)  # finishes at 12:00
    # Friday 17:00 + 60 -> Monday 09:00.
    fri = at(cal2007, date(2007, 11, 9), 0)
    assert clock.advance(fri + hm(17), 60) == fri + 3 * DAY + hm(9)
    # Across the golden week: Sun Sep 30 16:30 + 120 -> Mon Oct 8 09:30.
    sep30 = at(cal2007, date(2007, 9, 30), 0)
    assert clock.advance(sep30 + hm(16, 30), 120) == at(cal2007, date(2007, 10, 8), hm(9, 30))
    # A full working day (390 min) from opening ends at close.
    assert clock.advance(mon + hm(8, 30), 390) == mon + hm(17, 30)


def test_from_work_boundaries() -> None:
    clock = WorkClock(np.array([[510, 720], [870, 1050], [1950, 2160]], dtype=np.float64))
    assert clock.total == 210 + 180 + 210
    assert clock.from_work(210) == 720  # end of the morning, not 14:30
    assert clock.from_work(211) == 871
    assert clock.from_work(390) == 1050
    assert clock.from_work(0) == 510
    assert clock.from_work(600) == 2160
    assert clock.from_work(600.5) == math.inf
    assert clock.to_work(0) == 0
    assert clock.to_work(800) == 210
    assert clock.to_work(900) == 240
    assert clock.to_work(5000) == 600


def test_next_open_and_is_open(cal2007: WorkCalendar) -> None:
    clock = cal2007.clock()
    mon = at(cal2007, date(2007, 11, 5), 0)
    assert clock.next_open(mon + hm(10)) == mon + hm(10)
    assert clock.is_open(mon + hm(8, 30))
    assert not clock.is_open(mon + hm(12))  # half-open: closed at 12:00
    assert clock.next_open(mon + hm(12, 15)) == mon + hm(14, 30)  # lunch
    assert clock.next_open(mon + hm(17, 30)) == mon + DAY + hm(8, 30)  # after close
    assert clock.next_open(mon + hm(7)) == mon + hm(8, 30)  # before opening
    holiday = at(cal2007, date(2007, 10, 3), hm(10))
    assert not clock.is_open(holiday)
    assert clock.next_open(holiday) == at(cal2007, date(2007, 10, 8), hm(8, 30))
    assert clock.next_open(cal2007.n_days * DAY) == math.inf


def test_empty_clock() -> None:
    clock = WorkClock(np.empty((0, 2)))
    assert clock.to_work(100) == 0
    assert clock.next_open(0) == math.inf
    assert clock.advance(0, 10) == math.inf
    assert clock.advance(5, 0) == 5
    with pytest.raises(ValueError):
        WorkClock(np.array([[0, 10], [5, 20]], dtype=np.float64))


def test_pool_hours(cal2007: WorkCalendar) -> None:
    mornings = cal2007.clock(hours=((hm(8, 30), hm(12)),))
    assert cal2007.clock(hours=((hm(8, 30), hm(12)),)) is mornings
    assert cal2007.clock() is cal2007.clock()
    mon = at(cal2007, date(2007, 11, 5), 0)
    # 60 minutes from 11:30: 30 today, 30 tomorrow morning.
    assert mornings.advance(mon + hm(11, 30), 60) == mon + DAY + hm(9)
    assert not mornings.is_open(mon + hm(15))
    assert mornings.total == 210 * int(cal2007.working.sum())
    # Hours wider than the opening are cut to it; overlapping hours are merged.
    wide = cal2007.clock(hours=((hm(8), hm(13)), (hm(12), hm(20))))
    assert wide.total == cal2007.clock().total
    # Afternoon-only hours that straddle lunch.
    part = cal2007.clock(hours=((hm(11), hm(15)),))
    assert part.to_work(mon + DAY) - part.to_work(mon) == 60 + 30
    # A short Friday restricts the pool too.
    spec = CalendarSpec(
        start=date(2007, 11, 5), opening=OPENING, opening_by_weekday=((4, ((510, 720),)),)
    )
    short = WorkCalendar(spec, 7).clock(hours=((hm(14), hm(18)),))
    assert short.total == 4 * 180


# --- holiday sources --------------------------------------------------------------------


def test_uncovered_year_raises() -> None:
    with pytest.raises(CalendarError) as info:
        WorkCalendar(CalendarSpec(start=date(2035, 3, 1)), 30)
    message = str(info.value)
    assert "2035" in message and "custom" in message and "weekends-only" in message
    # A period running into an uncovered year also fails, naming that year.
    with pytest.raises(CalendarError, match="2027"):
        WorkCalendar(CalendarSpec(start=date(2026, 6, 1)), 400)


def test_weekends_only_and_custom_accept_any_year() -> None:
    for source in ("weekends-only", "custom"):
        cal = WorkCalendar(CalendarSpec(start=date(2035, 1, 1), holidays=source), 365)
        assert cal.is_working_day(0)  # Mon Jan 1 2035
        assert not cal.is_working_day(cal.day_of(date(2035, 1, 6)))  # Saturday
        assert int(cal.working.sum()) == 261


def test_extras_override() -> None:
    spec = CalendarSpec(
        start=date(2007, 9, 1),
        extra_holidays=(date(2007, 9, 28), date(2007, 9, 29)),
        extra_workdays=(date(2007, 10, 4), date(2007, 10, 13)),
    )
    cal = WorkCalendar(spec, 60)
    assert not cal.is_working_day(cal.day_of(date(2007, 9, 28)))  # ordinary Friday closed
    assert not cal.is_working_day(cal.day_of(date(2007, 9, 29)))  # make-up day closed
    assert cal.is_working_day(cal.day_of(date(2007, 10, 4)))  # holiday opened
    assert cal.is_working_day(cal.day_of(date(2007, 10, 13)))  # Saturday opened
    assert cal.opening(cal.day_of(date(2007, 10, 13))) == spec.opening
    custom = WorkCalendar(
        CalendarSpec(start=date(2035, 1, 1), holidays="custom", extra_holidays=(date(2035, 1, 1),)),
        7,
    )
    assert not custom.is_working_day(0)


def test_out_of_range_time_raises(cal2007: WorkCalendar) -> None:
    with pytest.raises(ValueError):
        cal2007.working_days_between(0, cal2007.n_days * DAY + 1)
    with pytest.raises(ValueError):
        cal2007.working_days_between(-1, 0)


# --- properties -------------------------------------------------------------------------

_CAL = WorkCalendar(
    CalendarSpec(
        start=date(2007, 9, 20), opening=OPENING, opening_by_weekday=((4, ((510, 720),)),)
    ),
    60,
)
_CLOCKS = [_CAL.clock(), _CAL.clock(hours=((hm(9), hm(11)), (hm(15), hm(16))))]


@settings(max_examples=300, deadline=None)
@given(
    which=st.integers(0, 1),
    frac=st.floats(0.0, 1.0, allow_nan=False),
    whole=st.booleans(),
)
def test_round_trip(which: int, frac: float, whole: bool) -> None:
    clock = _CLOCKS[which]
    w = round(frac * clock.total) if whole else frac * clock.total
    t = clock.from_work(w)
    assert t < math.inf
    assert clock.to_work(t) == pytest.approx(w, abs=1e-9)
    # Earliest: just before t the meter shows less (when w > 0).
    if w > 1e-6:
        assert clock.to_work(t - 1e-6) < w


@settings(max_examples=300, deadline=None)
@given(
    which=st.integers(0, 1),
    t=st.floats(0.0, 55 * DAY, allow_nan=False),
    dt=st.floats(0.0, 3 * DAY, allow_nan=False),
    work=st.floats(0.0, 2000.0, allow_nan=False),
    extra=st.floats(0.0, 500.0, allow_nan=False),
)
def test_advance_monotone(which: int, t: float, dt: float, work: float, extra: float) -> None:
    clock = _CLOCKS[which]
    done = clock.advance(t, work)
    assert done >= t
    assert clock.advance(t + dt, work) >= done  # later start, no earlier finish
    assert clock.advance(t, work + extra) >= done  # more work, no earlier finish
    if work > 0 and done < math.inf:
        assert clock.to_work(done) - clock.to_work(t) == pytest.approx(work, abs=1e-6)


@settings(max_examples=400, deadline=None)
@given(
    which=st.integers(0, 1),
    t=st.one_of(st.floats(-100.0, 70 * DAY, allow_nan=False), st.sampled_from([0.0, 480.0, 720.0])),
    work=st.one_of(st.floats(0.0, 3000.0, allow_nan=False), st.just(0.0)),
)
def test_work_span_is_next_open_and_advance(which: int, t: float, work: float) -> None:
    # the engine's one-search shortcut must give exactly the two answers it replaces
    clock = _CLOCKS[which]
    assert clock.work_span(t, work) == (clock.next_open(t), clock.advance(t, work))


def test_work_span_of_an_empty_clock() -> None:
    clock = WorkClock(np.empty((0, 2)))
    assert clock.work_span(5.0, 3.0) == (clock.next_open(5.0), clock.advance(5.0, 3.0))


def test_holiday_start_dates_vectorized_match_package() -> None:
    import chinese_calendar

    cal = WorkCalendar(CalendarSpec(start=date(2019, 1, 1)), 1000)
    expected = [
        chinese_calendar.is_workday(date(2019, 1, 1) + timedelta(days=i)) for i in range(1000)
    ]
    assert cal.working.tolist() == expected


def test_to_work_many_matches_to_work() -> None:
    cal = WorkCalendar(CalendarSpec(start=date(2007, 9, 24)), 30)
    clock = cal.clock()
    t = np.linspace(-100.0, 30 * 1440 + 100.0, 4001)
    expected = np.array([clock.to_work(float(x)) for x in t])
    np.testing.assert_allclose(clock.to_work_many(t), expected, rtol=0, atol=1e-9)
