"""``simhall.calibration.sessions``: clock times of sign-off rounds, meetings and couriers."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from simhall.calendar import WorkCalendar
from simhall.calibration.sessions import clock_concentration, estimate_courier, estimate_session
from simhall.scenario.schema import CalendarSpec


def test_clock_concentration_of_one_time() -> None:
    times, coverage = clock_concentration(np.full(50, 960.0))
    assert times == (960,) and coverage == 1.0


def test_session_weekdays_times_and_duration() -> None:
    """Tue/Fri 16:00 rounds of 30 minutes over 12 weeks from a Monday."""
    calendar = WorkCalendar(CalendarSpec(start=date(2007, 3, 5), holidays="weekends-only"), 100)
    days = np.array([w * 7 + d for w in range(12) for d in (1, 4)], dtype=np.float64)
    start = np.repeat(days * 1440 + 960, 3)
    end = start + 30.0
    est = estimate_session(start, end, calendar)
    assert est.times_min == (960,) and est.coverage == 1.0
    assert est.weekdays == (1, 4)
    assert est.duration_min == 30.0
    assert est.n == len(start) and est.n_dates == 24
    assert est.weekday_share[1] == pytest.approx(1.0) and est.weekday_share[0] == 0.0


def test_session_known_from_completions_starts_a_minute_before_them() -> None:
    """Without start times the round's files come out at 16:30: the session is written to
    start at 16:29 and last a minute, so that a file a round of another leader finished at
    16:30 (same days, same time) waits for the next session, as the log shows."""
    calendar = WorkCalendar(CalendarSpec(start=date(2007, 3, 5), holidays="weekends-only"), 100)
    days = np.array([w * 7 + d for w in range(12) for d in (1, 4)], dtype=np.float64)
    end = np.repeat(days * 1440 + 990, 3)
    est = estimate_session(np.full(len(end), np.nan), end, calendar)
    assert est.times_min == (989,) and est.duration_min == 1.0
    assert est.weekdays == (1, 4)


def test_courier_departures_and_travel() -> None:
    day = np.repeat(np.arange(20), 2) * 1440.0
    start = day + np.tile([600.0, 900.0], 20)
    end = start + np.tile([38.0, 42.0], 20)
    est = estimate_courier(start, end)
    assert est.times_min == (600, 900) and est.coverage == 1.0
    assert est.travel_min == 40.0 and est.n == 40
