"""Round trip: simulate a known hall for 6 months, calibrate from its log, compare.

Tolerances (stated in the brief): daily volumes +-10%; windows and staff +-1; sign-off and
meeting times and weekdays exact; courier departures exact, travel +-2 min;
return-for-correction probabilities +-0.05; duration means +-15%; opening hours +-15 min;
the calibrated scenario's per-item mean working-day durations within 1 day or 15%.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from simhall.calibration import calibrate
from simhall.experiment import run
from simhall.scenario import load_scenario_text
from simhall.scenario.schema import Scenario

TRUTH = """
[scenario]
name = "Round trip"
synthetic = true

[calendar]
start = 2007-03-05
holidays = "cn"
opening = [["08:30", "12:00"], ["14:30", "17:30"]]
evening = "overtime"

[run]
days = 182
warmup_days = 0
drain_days = 60
replications = 1
seed = 9

[demand]
weekday_factors = { mon = 1.2, tue = 1.0, wed = 1.0, thu = 1.0, fri = 0.8 }
intraday = INTRADAY

[[departments]]
id = "jianwei"
windows = 3
back_office = "outside"
courier = { times = ["10:00", "15:00"], travel_min = 40 }
pools = { section = 4 }
signoff = { weekdays = ["tue", "fri"], times = ["16:00"] }
meeting = { weekdays = ["mon"], times = ["09:00"] }

[[departments]]
id = "gongshang"
windows = 4
pools = { clerk = 3 }
signoff = { weekdays = ["mon", "tue", "wed", "thu", "fri"], times = ["11:00"], duration_min = 30 }

[[items]]
id = "JW-A"
department = "jianwei"
kind = "commitment"
committed_days = 12
daily_demand = 6.0
window_service = { dist = "lognormal", mean_min = 15, sd_min = 8 }
incomplete_prob = 0.2
return_delay = { dist = "uniform_int", low_days = 1, high_days = 5 }
route = [
  { step = "section_review", kind = "work", pool = "section", duration = SECTION },
  { step = "site_inspection", kind = "delay", days = INSPECTION },
  { step = "director_meeting", kind = "meeting", probability = 0.3 },
  { step = "leader_signoff", kind = "signoff" },
]

[[items]]
id = "JW-B"
department = "jianwei"
kind = "onsite"
daily_demand = 8.0
window_service = { dist = "lognormal", mean_min = 10, sd_min = 5 }
incomplete_prob = 0.1

[[items]]
id = "GS-A"
department = "gongshang"
kind = "commitment"
committed_days = 3
daily_demand = 12.0
window_service = { dist = "gamma", mean_min = 12, sd_min = 6 }
incomplete_prob = 0.15
route = [
  { step = "clerk_review", kind = "work", pool = "clerk", duration = CLERK },
  { step = "leader_signoff", kind = "signoff" },
]

[[items]]
id = "GS-B"
department = "gongshang"
kind = "onsite"
daily_demand = 20.0
window_service = { dist = "lognormal", mean_min = 8, sd_min = 4 }
incomplete_prob = 0.05
"""
PARTS = {
    "INTRADAY": '{ "08:30" = 1.0, "09:30" = 1.5, "10:30" = 1.2, "14:30" = 1.0, '
    '"15:30" = 0.8, "16:30" = 0.5 }',
    "SECTION": '{ dist = "lognormal", mean_min = 120, sd_min = 60 }',
    "INSPECTION": '{ dist = "uniform", low_days = 1, high_days = 3 }',
    "CLERK": '{ dist = "gamma", mean_min = 45, sd_min = 20 }',
}
for _key, _value in PARTS.items():
    TRUTH = TRUTH.replace(_key, _value)


def items_catalogue(scenario: Scenario) -> pd.DataFrame:
    """The items catalogue of a scenario, in the case-log schema."""
    return pd.DataFrame(
        {
            "item_id": [i.id for i in scenario.items],
            "department": [i.department for i in scenario.items],
            "kind": [i.kind for i in scenario.items],
            "committed_days": [i.committed_days or 0 for i in scenario.items],
            "name": [i.name for i in scenario.items],
        }
    )


@pytest.fixture(scope="module")
def truth() -> Scenario:
    return load_scenario_text(TRUTH, name="truth.toml")


@pytest.fixture(scope="module")
def simulated(truth: Scenario):  # type: ignore[no-untyped-def]
    return run(truth, reps=1, show_progress=False)


@pytest.fixture(scope="module")
def calibration(truth: Scenario, simulated):  # type: ignore[no-untyped-def]
    events = simulated.events.drop(columns="replication")
    return calibrate(events, items_catalogue(truth), source="truth simulation", seed=1)


def test_daily_volumes_within_10_percent(truth: Scenario, calibration) -> None:  # type: ignore[no-untyped-def]
    for est in calibration.items:
        true = truth.item(est.id).demand.daily_volume
        assert est.daily_demand == pytest.approx(true, rel=0.10), est.id


def test_windows_and_staff(calibration) -> None:  # type: ignore[no-untyped-def]
    deps = {d.id: d for d in calibration.departments}
    assert abs(deps["jianwei"].windows - 3) <= 1
    assert abs(deps["gongshang"].windows - 4) <= 1
    assert abs(deps["jianwei"].pools["section"][0] - 4) <= 1
    assert abs(deps["gongshang"].pools["clerk"][0] - 3) <= 1


def test_sessions_exact(calibration) -> None:  # type: ignore[no-untyped-def]
    deps = {d.id: d for d in calibration.departments}
    jw, gs = deps["jianwei"], deps["gongshang"]
    assert jw.signoff is not None and jw.meeting is not None and gs.signoff is not None
    assert jw.signoff[1].weekdays == (1, 4) and jw.signoff[1].times_min == (960,)
    assert jw.meeting[1].weekdays == (0,) and jw.meeting[1].times_min == (540,)
    assert gs.signoff[1].weekdays == (0, 1, 2, 3, 4) and gs.signoff[1].times_min == (660,)
    assert gs.signoff[1].duration_min == pytest.approx(30, abs=1)
    assert gs.meeting is None


def test_courier(calibration) -> None:  # type: ignore[no-untyped-def]
    deps = {d.id: d for d in calibration.departments}
    courier = deps["jianwei"].courier
    assert courier is not None and courier.times_min == (600, 900)
    assert courier.travel_min == pytest.approx(40, abs=2)
    assert deps["gongshang"].courier is None


def test_return_for_correction(truth: Scenario, calibration) -> None:  # type: ignore[no-untyped-def]
    for est in calibration.items:
        assert est.incomplete_prob == pytest.approx(truth.item(est.id).incomplete_prob, abs=0.05), (
            est.id
        )


def test_duration_means(truth: Scenario, calibration) -> None:  # type: ignore[no-untyped-def]
    for est in calibration.items:
        item = truth.item(est.id)
        assert est.window_service is not None
        assert est.window_service.dist.mean == pytest.approx(item.window_service.mean, rel=0.15), (
            est.id
        )
        true_steps = {s.name: s for s in item.route}
        assert [s.name for s in est.route] == [s.name for s in item.route], est.id
        for st in est.route:
            ts = true_steps[st.name]
            assert st.probability == pytest.approx(ts.probability, abs=0.05)
            if st.fit is not None:
                true_mean = ts.duration.mean if st.kind == "work" else ts.days.mean  # type: ignore[union-attr]
                assert st.fit.dist.mean == pytest.approx(true_mean, rel=0.15), (est.id, st.name)


def test_opening_hours(calibration) -> None:  # type: ignore[no-untyped-def]
    opening = calibration.hours.opening
    assert len(opening) == 2
    for (a, b), (ta, tb) in zip(opening, ((510, 720), (870, 1050))):
        assert abs(a - ta) <= 15 and abs(b - tb) <= 15
    assert calibration.hours.by_weekday == {}


def test_calibrated_scenario_reproduces_durations(truth: Scenario, simulated, calibration) -> None:  # type: ignore[no-untyped-def]
    scenario = calibration.scenario()
    again = run(scenario, reps=1, seed=99, show_progress=False)
    original = simulated.items.set_index("item_id")["mean_days"]
    recalibrated = again.items.set_index("item_id")["mean_days"]
    for item_id, true_days in original.items():
        got = recalibrated[item_id]
        assert math.isfinite(got), item_id
        assert abs(got - true_days) <= max(1.0, 0.15 * true_days), (item_id, got, true_days)


def test_outputs_carry_no_case_ids(simulated, calibration) -> None:  # type: ignore[no-untyped-def]
    text = calibration.to_toml() + calibration.report()
    some_ids = simulated.events["case_id"].astype(str).unique()[:50]
    assert not any(cid in text for cid in some_ids)
