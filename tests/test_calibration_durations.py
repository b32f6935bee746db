"""``simhall.calibration.durations``: working minutes and working days of each event."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from simhall.calibration.durations import measure_durations, previous_end
from simhall.calibration.workdays import hall_calendar


def test_previous_end_within_each_case() -> None:
    case = np.array([0, 1, 0, 0, 1])
    end = np.array([10.0, 5.0, 30.0, 20.0, 7.0])
    np.testing.assert_array_equal(previous_end(case, end), [np.nan, np.nan, 20.0, 10.0, 5.0])


def test_durations_stop_outside_opening_hours(
    period_of: Callable[..., tuple], catalogue_of: Callable[..., pd.DataFrame]
) -> None:
    """A review from Monday 16:30 to Tuesday 09:30 takes 2 working hours (close 17:30, open
    08:30); with completions only, the gap since the previous completion is the duration."""
    mon = pd.Timestamp("2007-03-05")
    ev = pd.DataFrame(
        {
            "case_id": ["c", "c"],
            "item_id": "A",
            "activity": ["accept", "review"],
            "start": [mon + pd.Timedelta("16:00:00"), mon + pd.Timedelta("16:30:00")],
            "end": [mon + pd.Timedelta("16:10:00"), mon + pd.Timedelta("1 days 09:30:00")],
        }
    )
    catalogue, period = period_of(ev, catalogue_of("A"))
    hall = hall_calendar(period, "weekends-only")  # defaults: 08:30-12:00, 14:30-17:30
    d = measure_durations(period, hall)
    np.testing.assert_allclose(d.work_min, [10.0, 120.0])
    # a delay runs from the previous completion (16:10) when the log has no ready time
    np.testing.assert_allclose(d.delay_days, [10.0 / 390, 140.0 / 390])
    np.testing.assert_allclose(d.since_prev_days, [np.nan, 20.0 / 390])  # ticket: start 16:30
    assert d.evidence.assumptions == ()
    _, period = period_of(ev.drop(columns="start"), catalogue_of("A"))
    d = measure_durations(period, hall_calendar(period, "weekends-only"))
    assert d.work_min[1] == 140.0  # since the acceptance ended at 16:10
    assert "durations are estimated" in d.evidence.assumptions[0]
