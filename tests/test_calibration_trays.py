"""``simhall.calibration.trays``: waits no capacity explains become tray delays (issue 8, 3).

The hand-written export of the issue: every review starts 1-3 working days after the
acceptance although the section's two clerks are idle most of the day (the file lies in a
tray). Calibrated as staff work alone, the scenario finished the cases in 1 working day
instead of 3.7; with the tray it reproduces its own log.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simhall.calendar import WorkCalendar
from simhall.calibration import calibrate
from simhall.calibration.trays import busy_minutes
from simhall.experiment import run
from simhall.scenario.schema import CalendarSpec

MON = pd.Timestamp("2024-03-04")


def _working_days(n: int) -> list[pd.Timestamp]:
    cal = WorkCalendar(CalendarSpec(start=MON.date(), holidays="weekends-only"), n * 2)
    return [MON + pd.Timedelta(days=int(d)) for d in np.flatnonzero(cal.working)[:n]]


def _tray_log(n_days: int = 90, per_day: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(4)
    days = _working_days(n_days + 5)
    rows = []
    booked: dict[int, int] = {}  # reviews already started on a day (the clerks take turns)
    for d in range(n_days):
        for k in range(per_day):
            cid = f"c{d}-{k}"
            t0 = days[d] + pd.Timedelta(hours=9, minutes=int(rng.integers(0, 420)))
            rows.append((cid, "A", "accept", "d/window/1", t0, t0, t0 + pd.Timedelta(minutes=15)))
            lag = int(rng.integers(1, 4))
            n = booked.get(d + lag, 0)
            booked[d + lag] = n + 1
            late = 90 * (n // 2) + 5 * (n % 2) + int(rng.integers(0, 200))
            r0 = days[d + lag] + pd.Timedelta(hours=9, minutes=late)
            staff = f"d/section/{1 + n % 2}"
            ready = t0 + pd.Timedelta(minutes=15)
            work = pd.Timedelta(minutes=int(rng.integers(20, 50)))
            rows.append((cid, "A", "review", staff, ready, r0, r0 + work))
    events = pd.DataFrame(
        rows, columns=["case_id", "item_id", "activity", "resource", "ready", "start", "end"]
    )
    items = pd.DataFrame(
        {"item_id": ["A"], "department": ["d"], "kind": ["commitment"], "committed_days": [5]}
    )
    return events, items


def test_busy_minutes_is_the_work_done_before_t() -> None:
    start = np.array([0.0, 10.0, 100.0])
    end = np.array([20.0, 30.0, 110.0])
    got = busy_minutes(start, end, np.array([0.0, 15.0, 50.0, 105.0, 200.0]))
    np.testing.assert_allclose(got, [0.0, 20.0, 40.0, 45.0, 50.0])


@pytest.fixture(scope="module")
def tray_calibration():  # type: ignore[no-untyped-def]
    events, items = _tray_log()
    return events, calibrate(events, items, holidays="weekends-only", seed=1)


def test_idle_staff_with_waiting_files_make_a_tray(tray_calibration) -> None:  # type: ignore[no-untyped-def]
    _, cal = tray_calibration
    route = cal.items[0].route
    assert [s.name for s in route] == ["review"]
    review = route[0]
    assert review.wait is not None and review.wait_name == "review_tray"
    # 1-3 working days later, less the head start of a morning review on a file accepted
    # at any time of day: the observed mean wait is about 1.8 working days
    assert 1.6 <= review.wait.dist.mean <= 2.0
    assert "idle" in review.wait_reason
    assert "tray delays" in " ".join(cal.assumptions)
    text = cal.to_toml()
    assert '{ step = "review_tray", kind = "delay"' in text


def test_the_tray_makes_the_scenario_reproduce_its_log(tray_calibration) -> None:  # type: ignore[no-untyped-def]
    events, cal = tray_calibration
    acc = events[events["activity"] == "accept"].set_index("case_id")["end"]
    done = events.groupby("case_id")["end"].max()
    observed = np.mean(
        np.busday_count(
            acc.dt.date.to_numpy(dtype="datetime64[D]"),
            done[acc.index].dt.date.to_numpy(dtype="datetime64[D]"),
        )
    )
    sim = run(cal.scenario(), reps=2, seed=3, show_progress=False)
    assert sim.items["mean_days"].iloc[0] == pytest.approx(observed, abs=0.3)


def test_a_queue_is_not_a_tray(case_log, catalogue_of) -> None:  # type: ignore[no-untyped-def]
    """Reviews taken the moment the file is ready: no tray."""
    cal = calibrate(case_log(120), catalogue_of("A"), holidays="weekends-only")
    assert all(s.wait is None for s in cal.items[0].route)
