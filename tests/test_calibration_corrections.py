"""``simhall.calibration.corrections``: returns for correction (补正) at the window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd
import pytest

from simhall.calendar import WorkCalendar
from simhall.calibration.corrections import estimate_corrections, find_corrections
from simhall.calibration.durations import measure_durations
from simhall.calibration.kinds import classify_events
from simhall.calibration.workdays import hall_calendar
from simhall.scenario.schema import CalendarSpec


def test_probability_per_visit_and_delay_in_working_days() -> None:
    """Case 0 is sent back on a Friday and returns on Monday (1 working day); case 1 is
    accepted at once; case 2 (item 1) is sent back twice, one and then three days."""
    calendar = WorkCalendar(CalendarSpec(start=date(2007, 3, 5), holidays="weekends-only"), 30)
    at = lambda day: day * 1440.0 + 600  # noqa: E731
    case = np.array([0, 0, 1, 2, 2, 2])
    item = np.array([0, 0, 0, 1, 1, 1])
    accept = np.array([False, True, True, False, False, True])
    ticket = np.array([at(4), at(7), at(1), at(1), at(2), at(7)])
    table, delays = estimate_corrections(case, item, accept, ticket, ticket + 5, calendar, 3)
    assert table["visits"].tolist() == [3, 3, 0]
    assert table["corrections"].tolist() == [1, 2, 0]
    assert table["incomplete_prob"].tolist() == pytest.approx([1 / 3, 2 / 3, 0.0])
    assert delays[0].tolist() == [1.0] and delays[1].tolist() == [1.0, 3.0]
    assert 2 not in delays


def test_no_acceptance_means_no_corrections(
    period_of: Callable[..., tuple],
    case_log: Callable[..., pd.DataFrame],
    catalogue_of: Callable[..., pd.DataFrame],
) -> None:
    catalogue, period = period_of(case_log(20), catalogue_of("A"), accept_activity="受理")
    hall = hall_calendar(period, "weekends-only")
    kinds = classify_events(period, measure_durations(period, hall), day_min=hall.day_min)
    found = find_corrections(period, kinds, hall.calendar, catalogue.n_items)
    assert found.delays == {}
    assert found.table.to_dict("list") == {
        "item": [0],
        "visits": [0],
        "corrections": [0],
        "incomplete_prob": [0.0],
    }
