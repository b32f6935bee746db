"""``simhall.calibration.workdays``: opening hours, holiday table and the hall's own days."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from simhall.calendar import WorkCalendar
from simhall.calibration.workdays import hall_calendar, own_days
from simhall.scenario.schema import CalendarSpec


def test_own_closures_and_extra_working_days() -> None:
    """Ten tickets every working day of three weeks from a Monday, except Wednesday of week 2
    (a closure); and ten on the Saturday of week 1 (an extra working day)."""
    calendar = WorkCalendar(CalendarSpec(start=date(2007, 3, 5), holidays="weekends-only"), 21)
    days = [d for d in range(21) if calendar.working[d] and d != 9] + [5]
    ticket = np.repeat(np.array(days, dtype=np.float64) * 1440 + 600, 10)
    closed, extra = own_days(calendar, ticket, 21, low_precision=False)
    assert closed == (date(2007, 3, 14),) and extra == (date(2007, 3, 10),)
    assert own_days(calendar, ticket, 21, low_precision=True) == ((date(2007, 3, 14),), ())
    quiet = ticket[::5]  # two tickets a day: too few to call an empty day a closure
    assert own_days(calendar, quiet, 21, low_precision=False) == ((), ())


def test_holiday_table_fallback_and_default_hours(
    period_of: Callable[..., tuple], catalogue_of: Callable[..., pd.DataFrame]
) -> None:
    """A log of 1999 (before the Chinese holiday table) with completion times only."""
    end = pd.Timestamp("1999-03-01 10:00") + pd.to_timedelta(np.arange(20), "D")
    ev = pd.DataFrame({"case_id": np.arange(20), "item_id": "A", "activity": "accept", "end": end})
    _, period = period_of(ev, catalogue_of("A"))
    hall = hall_calendar(period, "cn")
    assert hall.holidays == "weekends-only" and hall.spec.holidays == "weekends-only"
    assert not hall.hours.estimated and hall.day_min == 390.0
    first, second = hall.evidence.assumptions
    assert first.startswith("no window visit has a ready or start time")
    assert "does not cover year 1999" in second and "falls back to weekends-only" in second
    assert hall.calendar.n_days >= period.n_days
