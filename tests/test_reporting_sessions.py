"""Sessions as stations (``simhall.reporting.sessions``) and the busiest station of a
department: a saturated sign-off round is flagged by name and its items withheld, a light
one is not; one saturated pool among idle ones shows in ``max_station_util``."""

from __future__ import annotations

import dataclasses
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from simhall.calendar import WorkCalendar
from simhall.distributions import Exponential, Fixed
from simhall.experiment import run
from simhall.model.timetables import SessionTimetable
from simhall.reporting import sessions, stability, tables
from simhall.scenario.schema import Pool, SessionSchedule, SessionStep, WorkStep
from tests.helpers import at, calendar, department, item, scenario

NOV = date(2007, 11, 5)
"""A Monday with no holiday for five weeks."""
KW = dict(days=30, warmup_days=5, drain_days=10, reps=2, seed=5, show_progress=False)
ROUND_MIN = 90.0
"""A round at 16:00 in a hall that closes at 17:30 offers 90 minutes."""


def _session_hall():  # type: ignore[no-untyped-def]
    """``s``'s leader signs every weekday at 16:00, 10 minutes a file, 20 files a day: 200
    minutes of signing for a 90-minute round (2.2). ``e``'s leader signs on Tuesday and
    Friday at 16:00, 20 minutes plus 1 a file, 2 files a day: about 25 of 90 minutes."""
    busy = SessionSchedule(weekdays=(0, 1, 2, 3, 4), times_min=(960,), per_file_min=10.0)
    light = SessionSchedule(weekdays=(1, 4), times_min=(960,), duration_min=20, per_file_min=1)
    return scenario(
        [
            item("busy", department="s", volume=20.0, route=(SessionStep("sign", "s", "signoff"),)),
            item("calm", department="e", volume=2.0, route=(SessionStep("sign", "e", "signoff"),)),
        ],
        [department("s", signoff=busy), department("e", signoff=light)],
        start=NOV,
    )


@pytest.fixture(scope="module")
def signing():  # type: ignore[no-untyped-def]
    return run(_session_hall(), **KW)  # type: ignore[arg-type]


def test_a_saturated_round_is_an_unstable_station(signing) -> None:  # type: ignore[no-untyped-def]
    rows = signing.stations[signing.stations["kind"] == "session"]
    assert set(rows["department"] + "/" + rows["station"]) == {"s/signoff", "e/signoff"}
    # minutes offered: 90 per weekday round of the measured period (days 5-29: 17 weekdays)
    cal = WorkCalendar(signing.scenario.calendar, 40)
    weekdays = sum(cal.date_of(d).weekday() < 5 for d in range(5, 30))
    assert weekdays == 17
    s = rows[rows["department"] == "s"]
    assert (s["open_min"] == weekdays * ROUND_MIN).all()
    st = stability.station_table(stability.stations_by_replication(signing.stations))
    st = st.set_index("station")
    # 20 files x 10 minutes a day over 90 minutes: 2.22, whatever the model's leader does
    assert 1.9 < st.loc["s/signoff", "utilization"] < 2.6
    assert 1.9 < st.loc["s/signoff", "offered_load"] < 2.6
    assert st.loc["s/signoff", "unstable"]
    assert "offered load" in st.loc["s/signoff", "reason"]
    # e: Tuesday and Friday, 20 + 1 x about 5 files of 90 minutes
    assert 0.2 < st.loc["e/signoff", "utilization"] < 0.4
    assert not st.loc["e/signoff", "unstable"] and st.loc["e/signoff", "reason"] == ""


def test_the_items_of_a_saturated_round_get_no_recommendation(signing) -> None:  # type: ignore[no-untyped-def]
    items = signing.items.set_index("item_id")
    assert items.loc["busy", "withheld"] == "route through unstable s/signoff"
    assert math.isnan(items.loc["busy", "recommended_days"])
    assert items.loc["calm", "withheld"] == ""
    assert items.loc["calm", "recommended_days"] >= 0
    shown = tables.station_table(signing, unstable_only=True)
    assert list(shown.index) == ["s/signoff"]
    # a session's utilization above 1 is not clipped to 1 (its CI neither)
    summary = signing.summary.set_index(["id", "metric"])
    assert summary.loc[("s/signoff", "utilization"), "ci_high"] > 1.5
    assert str(summary.loc[("s/signoff", "utilization"), "note"]).startswith("unstable: ")
    # and the department's busiest station is its round
    depts = signing.departments.set_index("department")
    assert depts.loc["s", "max_station"] == "s/signoff"
    assert depts.loc["s", "max_station_util"] > 1.5


def test_session_routes_name_their_rounds() -> None:
    assert stability.route_stations(_session_hall()) == {
        "busy": ("s/window", "s/signoff"),
        "calm": ("e/window", "e/signoff"),
    }


def test_minutes_offered_run_to_the_close_or_the_next_round() -> None:
    """Rounds at 11:00 and 16:00 on Monday: the 11:00 one offers 11:00-12:00 and
    14:30-16:00 (150 open minutes, to the next round), the 16:00 one 90 (to the close); a
    round booked for 120 minutes is offered at least that."""
    cal = WorkCalendar(calendar(start=NOV), 7)
    times = [at(0, 11), at(0, 16)]
    tt = SessionTimetable(times, session_min=0.0, max_wait_days=math.inf)
    assert sessions.offered_minutes(tt, cal, 0.0, 7 * 1440.0) == pytest.approx(150.0 + 90.0)
    assert sessions.offered_minutes(tt, cal, at(0, 12), 7 * 1440.0) == pytest.approx(90.0)
    long = SessionTimetable(times, session_min=120.0, max_wait_days=math.inf)
    assert sessions.offered_minutes(long, cal, 0.0, 7 * 1440.0) == pytest.approx(150.0 + 120.0)


def test_the_ramp_is_the_files_99th_percentile() -> None:
    lag = np.arange(1.0, 101.0)
    assert sessions.ramp_minutes(lag) == pytest.approx(np.quantile(lag, 0.99))
    assert sessions.ramp_minutes(np.array([np.nan, 5.0])) == 5.0
    assert sessions.ramp_minutes(np.array([])) == 0.0


def _pools_hall():  # type: ignore[no-untyped-def]
    """``d``'s one clerk gets 3 jobs of 300 minutes a day (saturated); its archive of four
    gets 2 jobs of 30 minutes a day (about 4% busy)."""
    d = department("d", staff=1)
    d = dataclasses.replace(d, pools=(*d.pools, Pool("archive", 4)))
    return scenario(
        [
            item("slow", volume=3.0, route=(WorkStep("r", "d", "section", Fixed(value=300.0)),)),
            item("file", volume=2.0, route=(WorkStep("f", "d", "archive", Exponential(mean=30)),)),
        ],
        [d],
        start=NOV,
    )


def test_one_saturated_pool_among_idle_ones_shows_as_the_busiest_station() -> None:
    result = run(_pools_hall(), **KW)  # type: ignore[arg-type]
    dept = result.departments.set_index("department").loc["d"]
    assert dept["max_station"] == "d/section"
    assert dept["max_station_util"] > 0.98
    # staff utilization: busy minutes over staffed minutes, summed over the pools (the
    # saturated clerk is 1 of 5 staff: the figure stays low and hides it)
    pools = result.stations[result.stations["kind"] == "pool"]
    per_rep = pools.groupby("replication").apply(
        lambda g: g["busy_min"].sum() / (g["open_min"] * g["capacity"]).sum(),
        include_groups=False,
    )
    assert dept["staff_utilization"] == pytest.approx(per_rep.mean())
    assert dept["staff_utilization"] < 0.3
    shown = tables.department_table(result).loc["d"]
    assert shown["max_station"] == "d/section" and shown["max_station_util"] >= 0.98
    note = result.summary.set_index(["scope", "id", "metric"]).loc[
        ("department", "d", "max_station_util"), "note"
    ]
    assert note == "busiest station: d/section"
    assert isinstance(result.departments["max_station"].dtype, pd.StringDtype)


def test_a_file_at_its_supervision_cap_adds_its_per_file_minutes_only() -> None:
    """Sessions at minute 0 and 1440, 120 minutes long: two files at the first (the round's
    span counts), one handled at its cap at minute 500 (no session convened: 0 minutes,
    or ``per_file_min``)."""
    start = np.array([0.0, 0.0, 500.0])
    meeting = SessionTimetable([0.0, 1440.0], session_min=120.0, max_wait_days=3.0)
    assert sessions.busy_minutes(meeting, start, np.array([120.0, 120.0, 620.0])) == 120.0
    signing = SessionTimetable([0.0, 1440.0], 0.0, 3.0, per_file_min=5.0)
    assert sessions.busy_minutes(signing, start, np.array([5.0, 10.0, 505.0])) == 10.0 + 5.0
