"""The calendar and run defaults of a loaded scenario."""

from __future__ import annotations

from simhall.scenario import Scenario


def test_small_hall_calendar_and_run(small_hall: Scenario) -> None:
    cal = small_hall.calendar
    assert cal.start.isoformat() == "2007-01-01"
    assert cal.holidays == "cn"
    assert [d.isoformat() for d in cal.extra_holidays] == ["2007-05-08"]
    assert cal.opening_on(4) == ((510, 720), (870, 990))
    assert cal.opening_on(0) == ((510, 720), (870, 1050))
    assert small_hall.run.replications == 3
    assert small_hall.run.service_level == 0.95
