"""simhall.validation.cases: case tables count working days as the simulator does, and the
closure rule finds the cases still open when the log ends."""

from __future__ import annotations

import simhall
from simhall.calendar import WorkCalendar
from simhall.scenario.schema import Scenario
from simhall.validation import case_table, infer_closed


def test_working_days_match_the_simulator(scenario: Scenario) -> None:
    res = simhall.run(
        scenario, days=40, warmup_days=0, drain_days=30, reps=1, seed=3, show_progress=False
    )
    cal = WorkCalendar(scenario.calendar, 40 + 30 + 1)
    cases = case_table(res.events, cal).set_index("case_id")
    truth = res.cases.set_index(res.cases["case_id"].astype(str))
    done = truth[truth["status"] == "completed"]
    ours = cases.loc[done.index, "working_days"].astype("int64")
    assert (ours.to_numpy() == done["elapsed_days"].astype("int64").to_numpy()).all()


def test_inferred_open_cases_match_the_truth(scenario: Scenario) -> None:
    res = simhall.run(
        scenario, days=60, warmup_days=0, drain_days=0, reps=1, seed=8, show_progress=False
    )
    inferred = infer_closed(res.events)
    truth = res.cases.set_index(res.cases["case_id"].astype(str))["status"] == "completed"
    agree = (inferred.reindex(truth.index).fillna(False) == truth).mean()
    assert agree > 0.99
    assert (~truth).sum() > 20  # the test has open cases to find
