"""A delay of 0 working days never ends before it began (issue 8, item 8).

A calibrated tray or pickup wait has an atom at 0 days; a file accepted in overtime (after
the close) with such a delay used to be sent to the previous close, and simpy stopped the
run with ``ValueError: Negative delay``.
"""

from __future__ import annotations

from datetime import date

from simhall.calendar import WorkCalendar
from simhall.distributions import Fixed
from simhall.model.timetables import WorkingDays
from simhall.scenario.schema import DelayStep
from tests.helpers import at, calendar, case_row, item, model, play, scenario

MON, TUE = date(2007, 9, 24), date(2007, 9, 25)


def test_zero_days_from_outside_the_opening_hours_is_now() -> None:
    cal = WorkCalendar(calendar(), 20)
    ruler = WorkingDays(cal, cal.clock())
    for t in (at(MON, 17, 48), at(TUE, 7, 0), at(MON, 12, 30)):
        assert ruler.advance(t, 0.0) == t
    assert ruler.advance(at(MON, 17, 30), 1.0) == at(TUE, 17, 30)  # unchanged otherwise


def test_a_zero_day_delay_after_an_overtime_acceptance_runs() -> None:
    route = [DelayStep("tray", "d", Fixed(0.0))]
    scn = scenario([item("a", service=40.0, route=route)])
    # the second applicant is served from 17:20 and accepted at 18:00, after the close
    m = play(model(scn, days=5, drain_days=10), [(at(MON, 16, 40), 0), (at(MON, 16, 45), 0)])
    row = case_row(m, 1)
    assert row["status"] == "completed"
    assert row["elapsed_days"] == 0
