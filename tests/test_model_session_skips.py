"""Skipped sessions (``skip_share``): a leader away on some round days (issue 8, item 1).

A file that reaches the tray before a skipped round waits for the next round held. The
skipped rounds are drawn once per replication from the department's own named stream, so
the same seed skips the same rounds, and a schedule without ``skip_share`` draws nothing
(results of older scenarios are unchanged bit for bit).
"""

from __future__ import annotations

import numpy as np
import pytest

from simhall.calendar import WorkCalendar
from simhall.experiment import run
from simhall.model.timetables import SessionTimetable
from simhall.scenario import ScenarioError, load_scenario_text
from simhall.scenario.schema import SessionSchedule
from tests.helpers import calendar

DAILY = SessionSchedule((0, 1, 2, 3, 4), (960,))

HALL = """
[calendar]
start = 2024-03-04
holidays = "cn"
[run]
days = 60
drain_days = 60
replications = 1
seed = 3
[[departments]]
id = "d"
windows = 2
pools = { s = 2 }
signoff = SIGNOFF
[[items]]
id = "a"
department = "d"
kind = "commitment"
committed_days = 5
daily_demand = 6
window_service = { dist = "fixed", value_min = 10 }
route = [
  { step = "review", kind = "work", pool = "s", duration = { dist = "fixed", value_min = 30 } },
  { step = "signoff", kind = "signoff" },
]
"""


def _hall(signoff: str):  # type: ignore[no-untyped-def]
    return load_scenario_text(HALL.replace("SIGNOFF", signoff), name="skips.toml")


def test_skip_share_drops_that_share_of_sessions() -> None:
    cal = WorkCalendar(calendar(), 400)
    full = SessionTimetable.of(cal, DAILY)
    rng = np.random.default_rng(5)
    thinned = SessionTimetable.of(
        cal, SessionSchedule((0, 1, 2, 3, 4), (960,), skip_share=0.3), rng
    )
    assert set(thinned.times) <= set(full.times)
    share = 1 - len(thinned.times) / len(full.times)
    assert share == pytest.approx(0.3, abs=0.06)


def test_skip_share_needs_a_stream() -> None:
    cal = WorkCalendar(calendar(), 30)
    with pytest.raises(ValueError, match="random stream"):
        SessionTimetable.of(cal, SessionSchedule((1,), (960,), skip_share=0.5))


def test_skipped_rounds_lengthen_the_wait_and_keep_the_seed() -> None:
    table = '{ weekdays = ["mon", "tue", "wed", "thu", "fri"], times = ["16:00"] }'
    skipping = table.replace("}", ", skip_share = 0.5 }")
    base = run(_hall(table), show_progress=False)
    skip = run(_hall(skipping), show_progress=False)
    again = run(_hall(skipping), show_progress=False)
    assert skip.items["mean_days"].iloc[0] > base.items["mean_days"].iloc[0] + 0.5
    assert skip.events.equals(again.events)
    zero = run(_hall(table.replace("}", ", skip_share = 0 }")), show_progress=False)
    assert zero.events.equals(base.events)


@pytest.mark.parametrize("value", ["1", "-0.1", '"half"'])
def test_skip_share_out_of_range_is_an_error(value: str) -> None:
    table = f'{{ weekdays = ["tue"], times = ["16:00"], skip_share = {value} }}'
    with pytest.raises(ScenarioError, match="skip_share"):
        _hall(table)
