"""``simhall.calibration.timebase``: wall and working minutes for a whole log at once."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from simhall.calendar import WorkCalendar
from simhall.calibration.timebase import minutes, to_work, working_days_between
from simhall.scenario.schema import CalendarSpec

CALENDAR = WorkCalendar(CalendarSpec(start=date(2007, 3, 5), holidays="weekends-only"), 14)


def test_minutes_after_origin() -> None:
    values = pd.Series(pd.to_datetime(["2007-03-05 08:30", None, "2007-03-06 00:01"]))
    np.testing.assert_array_equal(minutes(values, pd.Timestamp("2007-03-05")), [510, np.nan, 1441])


def test_to_work_matches_the_scalar_clock() -> None:
    clock = CALENDAR.clock()
    t = np.random.default_rng(0).uniform(0, 14 * 1440, 500)
    expected = [clock.to_work(float(x)) for x in t]
    np.testing.assert_allclose(to_work(clock, t), expected)
    assert np.isnan(to_work(clock, np.array([np.nan])))[0]


def test_working_days_between() -> None:
    friday, monday = 4 * 1440 + 600.0, 7 * 1440 + 540.0
    days = working_days_between(
        CALENDAR, np.array([friday, friday, np.nan]), np.array([monday, friday + 60, 0.0])
    )
    np.testing.assert_array_equal(days, [1.0, 0.0, np.nan])
