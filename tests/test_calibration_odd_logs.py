"""Every calibrated scenario runs (issue 8 item 8): calibrate -> run on odd but valid logs.

A property test (hypothesis) writes small logs a real export could hold: date-only
timestamps, a single case, steps that run past midnight, work on weekends, gaps of months
between cases, one item, one resource, steps without a start. Calibration may say a lot
about such a log; what it writes must load and simulate without raising.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simhall
from simhall.calibration import calibrate
from simhall.errors import UsageError

MONDAY = pd.Timestamp("2024-03-04")
ACTIVITIES = ("review", "signoff", "inspection", "补正", "领证", "transfer_to_back_office")
RESOURCES = ("w1", "窗口2", "staff-1", "dept/window/3", "courier")


@st.composite
def odd_logs(draw: st.DrawFn) -> pd.DataFrame:
    """A small event log of 1-6 cases with odd but valid timings."""
    date_only = draw(st.booleans())
    one_resource = draw(st.booleans())
    n_items = draw(st.integers(1, 2))
    with_start = draw(st.booleans())
    rows = []
    day = 0
    for k in range(draw(st.integers(1, 6))):
        day += draw(st.sampled_from([0, 1, 2, 5, 6, 90, 400]))  # weekends, huge gaps
        minute = 0 if date_only else draw(st.integers(0, 24 * 60 - 1))  # after midnight too
        t = MONDAY + pd.Timedelta(days=day, minutes=minute)
        case, item = f"c{k}", f"I{k % n_items}"
        steps = ["accept", *draw(st.lists(st.sampled_from(ACTIVITIES), max_size=3))]
        for activity in steps:
            gap = draw(st.sampled_from([0, 5, 60, 600, 2000, 3 * 1440]))  # past midnight
            length = draw(st.sampled_from([0, 1, 30, 300, 1500]))
            start = t + pd.Timedelta(minutes=gap)
            end = start + pd.Timedelta(minutes=length)
            if date_only:
                start, end = start.normalize(), end.normalize()
            resource = RESOURCES[0] if one_resource else draw(st.sampled_from(RESOURCES))
            rows.append((case, item, activity, resource, start if with_start else pd.NaT, end))
            t = end
    columns = ["case_id", "item_id", "activity", "resource", "start", "end"]
    return pd.DataFrame(rows, columns=columns)


def catalogue(events: pd.DataFrame) -> pd.DataFrame:
    ids = sorted(set(events["item_id"]))
    return pd.DataFrame(
        {
            "item_id": ids,
            "department": "d",
            "kind": ["commitment" if k % 2 == 0 else "onsite" for k in range(len(ids))],
            "committed_days": [5 if k % 2 == 0 else 0 for k in range(len(ids))],
        }
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(events=odd_logs())
def test_calibrate_then_run_never_raises(events: pd.DataFrame) -> None:
    cal = calibrate(events, catalogue(events), source="odd")
    scenario = cal.scenario()
    try:
        result = simhall.run(
            scenario, days=60, warmup_days=0, drain_days=30, reps=1, show_progress=False
        )
    except UsageError as exc:  # a clear message, not a crash: demand too thin for 60 days
        assert "no applicant arrived" in str(exc)
        return
    assert len(result.cases) > 0
