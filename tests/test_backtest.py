"""Back-tests of reforms: calibrate on a pre-reform log only, predict the post-reform log.

Protocol (``simhall.validation.backtest.reform_backtest``): a known hall writes a six-month
pre-reform log (seed A) and, with the reform applied, a six-month post-reform log over the following
period (seed B). Calibration sees the pre-reform log and the item catalogue only. The same
``[[reforms]]`` table is applied to the calibrated scenario, which is simulated over the
post-reform period (seed C, 3 replications) and compared with the post-reform log per item.

Tolerances (``simhall.validation.backtest.BacktestTolerances``; reasoning in ``docs/backtest.md``):

* mean working days: within 1 day or 20% of the observed post-reform mean (the larger);
* P90 working days: within 1 day or 20% (whole working days: P90 moves in one-day steps);
* on-site completion rate: within 0.10;
* change post - pre of mean working days: the predicted change (calibrated + reform minus
  calibrated, paired replications) has the observed sign wherever the observed change is at
  least 0.5 working days, and is within 1 day or 30% of the observed change (the larger);
* change of the on-site rate: the observed sign wherever it moved by at least 0.05, and
  within 0.10;
* items with fewer than 30 completed cases in either log are not scored (none here).

The hall is chosen so that no resource is near saturation after either reform: there a
single six-month log is itself too noisy for these tolerances (see docs/backtest.md).
"""

from __future__ import annotations

import pandas as pd
import pytest

from simhall.reforms.routes import flatten
from simhall.scenario import load_scenario_text
from simhall.scenario.schema import Scenario, WorkStep
from simhall.validation.backtest import BacktestResult, reform_backtest

HALL = """
[scenario]
name = "Back-test hall"
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
seed = 1

[demand]
weekday_factors = { mon = 1.3, tue = 1.1, wed = 1.0, thu = 0.9, fri = 0.8 }

[demand.intraday]
"08:30" = 1.0
"09:30" = 1.6
"10:30" = 1.3
"14:30" = 1.0
"15:30" = 0.8
"16:30" = 0.5

# Construction bureau: back office outside the hall, files go by courier, the leader signs
# twice a week, the director's meeting is on Mondays.
[[departments]]
id = "jianwei"
windows = 2
back_office = "outside"
courier = { times = ["10:00", "15:00"], travel_min = 40 }
pools = { section = 3 }
signoff = { weekdays = ["tue", "fri"], times = ["16:00"] }
meeting = { weekdays = ["mon"], times = ["09:00"] }

# Commerce bureau: back office in the hall, daily sign-off.
[[departments]]
id = "gongshang"
windows = 2
pools = { clerk = 2 }
signoff = { weekdays = ["mon", "tue", "wed", "thu", "fri"], times = ["11:00"], duration_min = 30 }

[[items]]
id = "JW-permit"
department = "jianwei"
kind = "commitment"
committed_days = 10
daily_demand = 6.0
window_service = { dist = "lognormal", mean_min = 15, sd_min = 8 }
incomplete_prob = 0.15
return_delay = { dist = "uniform_int", low_days = 1, high_days = 4 }

[[items.route]]
step = "section_review"
kind = "work"
pool = "section"
duration = { dist = "lognormal", mean_min = 90, sd_min = 45 }

[[items.route]]
step = "leader_signoff"
kind = "signoff"

[[items]]
id = "JW-plan"
department = "jianwei"
kind = "commitment"
committed_days = 15
daily_demand = 3.0
window_service = { dist = "lognormal", mean_min = 20, sd_min = 10 }
incomplete_prob = 0.2
return_delay = { dist = "uniform_int", low_days = 1, high_days = 4 }

[[items.route]]
step = "section_review"
kind = "work"
pool = "section"
duration = { dist = "lognormal", mean_min = 120, sd_min = 60 }

[[items.route]]
step = "site_inspection"
kind = "delay"
days = { dist = "uniform", low_days = 1, high_days = 3 }

[[items.route]]
step = "director_meeting"
kind = "meeting"
probability = 0.3

[[items.route]]
step = "leader_signoff"
kind = "signoff"

[[items]]
id = "JW-query"
department = "jianwei"
kind = "onsite"
daily_demand = 5.0
window_service = { dist = "lognormal", mean_min = 8, sd_min = 4 }
incomplete_prob = 0.05

[[items]]
id = "GS-licence"
department = "gongshang"
kind = "commitment"
committed_days = 5
daily_demand = 10.0
window_service = { dist = "gamma", mean_min = 12, sd_min = 6 }
incomplete_prob = 0.1
return_delay = { dist = "uniform_int", low_days = 1, high_days = 3 }

[[items.route]]
step = "clerk_review"
kind = "work"
pool = "clerk"
duration = { dist = "gamma", mean_min = 45, sd_min = 20 }

[[items.route]]
step = "jw_opinion"
kind = "work"
department = "jianwei"
pool = "section"
duration = { dist = "exponential", mean_min = 30 }
probability = 0.2

[[items.route]]
step = "leader_signoff"
kind = "signoff"
"""

CHIEF_REPRESENTATIVE = {
    "name": "chief representative at the construction window",
    "kind": "chief_representative",
    "department": "jianwei",
    "replace": ["section_review", "leader_signoff"],
    "onsite_duration": {"dist": "lognormal", "mean_min": 20, "sd_min": 8},
}
DAILY_SIGNOFF = {
    "name": "supervision: the construction leader signs every working day",
    "kind": "chief_representative",
    "department": "jianwei",
    "replace": [],
    "daily_signoff": True,
}
SEEDS = (2007, 2008, 2009)


@pytest.fixture(scope="module")
def hall() -> Scenario:
    return load_scenario_text(HALL, name="backtest_hall.toml")


@pytest.fixture(scope="module")
def chief(hall: Scenario) -> BacktestResult:
    return reform_backtest(hall, [CHIEF_REPRESENTATIVE], days=182, seeds=SEEDS, reps=3)


@pytest.fixture(scope="module")
def daily(hall: Scenario) -> BacktestResult:
    return reform_backtest(hall, [DAILY_SIGNOFF], days=182, seeds=SEEDS, reps=3)


def _explain(result: BacktestResult) -> str:
    failed = result.failures()
    lines = [result.markdown()]
    if len(failed):
        lines.append(failed[["item_id", "failed", "oracle_ok"]].to_string(index=False))
    return "\n".join(lines)


def _row(result: BacktestResult, item_id: str) -> pd.Series:
    row = result.items.set_index("item_id").loc[item_id]
    assert isinstance(row, pd.Series)
    return row


def test_calibration_keeps_what_reforms_refer_to(hall: Scenario, chief: BacktestResult) -> None:
    """Reform tables name department ids, step names and pool names: calibration must keep
    them (from the catalogue, the log's activity names and the resource prefixes)."""
    calibrated = chief.predicted_base.scenario
    assert [d.id for d in calibrated.departments] == [d.id for d in hall.departments]
    for d in hall.departments:
        got = calibrated.department(d.id)
        assert {p.name for p in got.pools} == {p.name for p in d.pools}, d.id
        assert got.back_office == d.back_office, d.id
        assert (got.signoff is None) == (d.signoff is None), d.id
        assert (got.meeting is None) == (d.meeting is None), d.id
    for item in hall.items:
        steps = list(flatten(item.route))
        got_steps = list(flatten(calibrated.item(item.id).route))
        assert [(s.name, getattr(s, "department", "")) for s in got_steps] == [
            (s.name, getattr(s, "department", "")) for s in steps
        ], item.id
        pools = [s.pool for s in got_steps if isinstance(s, WorkStep)]
        assert pools == [s.pool for s in steps if isinstance(s, WorkStep)], item.id


def test_chief_representative_backtest(chief: BacktestResult) -> None:
    """Chief representative replacing section review and sign-off by an on-site approval.

    Tolerances as in the module docstring: mean days 1 day or 20%, P90 1 day or 20%, on-site
    rate 0.10, change of mean days right sign (>= 0.5 day) and 1 day or 30%, change of the
    on-site rate right sign (>= 0.05) and 0.10.
    """
    permit, plan = _row(chief, "JW-permit"), _row(chief, "JW-plan")
    # the reform does change a lot (so the back-test is not vacuous)
    assert permit["obs_change_onsite"] >= 0.7
    assert permit["obs_change_days"] <= -2.0 and plan["obs_change_days"] <= -2.0
    assert int(chief.items["scored"].sum()) == len(chief.items)
    assert chief.passed, _explain(chief)
    # the items the reform leaves alone are predicted unchanged
    for other in ("JW-query", "GS-licence"):
        assert abs(_row(chief, other)["pred_change_days"]) < 0.2, other


def test_daily_signoff_backtest(daily: BacktestResult) -> None:
    """Supervision: the construction leader signs every working day instead of twice a week.

    Tolerances as in the module docstring (the changes here are 0.7-1 working day, so the
    sign check is what gives the test its teeth).
    """
    for item_id in ("JW-permit", "JW-plan"):
        row = _row(daily, item_id)
        assert row["obs_change_days"] <= -0.5, item_id
        assert row["pred_change_days_ci_high"] < 0, item_id
    assert daily.passed, _explain(daily)
