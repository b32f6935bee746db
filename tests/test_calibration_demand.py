"""``simhall.calibration.demand``: daily volumes, weekday factors, intraday profile."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from simhall.calendar import WorkCalendar
from simhall.calibration.demand import estimate_demand
from simhall.scenario.schema import CalendarSpec


def test_volumes_weekday_factors_and_intraday() -> None:
    """Four weeks from a Monday: item A has 2 tickets a working day and 6 on Mondays, all in
    the morning; item B one ticket on each working day at 15:00."""
    calendar = WorkCalendar(CalendarSpec(start=date(2007, 3, 5), holidays="weekends-only"), 28)
    case_item, ticket = [], []
    for day in range(28):
        if not calendar.working[day]:
            continue
        for k in range(6 if day % 7 == 0 else 2):
            case_item.append(0)
            ticket.append(day * 1440 + 540 + k)
        case_item.append(1)
        ticket.append(day * 1440 + 900)
    d = estimate_demand(
        ["A", "B"],
        np.array(case_item),
        np.array(ticket, dtype=np.float64),
        calendar,
        28,
        ((510, 720), (870, 1050)),
        min_cases=5,
    )
    assert d.working_days == 20
    assert d.items["daily_volume"].tolist() == pytest.approx([(4 * 6 + 16 * 2) / 20, 1.0])
    mean_factor = np.mean([d.weekday_factors[day % 7] for day in range(28) if day % 7 < 5])
    assert mean_factor == pytest.approx(1.0)
    assert d.weekday_factors[0] > 1.5 > d.weekday_factors[1]
    assert d.weekday_factors[5:] == (1.0, 1.0)  # no weekend working days
    starts = [a for a, _ in d.intraday]
    assert starts[0] == 510 and 870 in starts
    weights = dict(d.intraday)
    assert weights[510] > 1.0 and weights[630] == 0.0
