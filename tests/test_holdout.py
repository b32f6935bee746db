"""simhall.validation.holdout: calibrate on an earlier period, score the later one next to
the naive forecast."""

from __future__ import annotations

import math
from datetime import date

import pytest

from simhall.scenario.schema import Scenario
from simhall.synth import synthesize
from simhall.validation import holdout
from simhall.validation.holdout import split_periods


def test_holdout_scores_later_period_against_naive(scenario: Scenario) -> None:
    events, items = synthesize(scenario, days=80, seed=21)
    held = holdout(events, items, train_until="2007-02-28", reps=1, seed=1)
    assert held.test_period[0].isoformat() == "2007-03-01"
    hall = held.naive[held.naive["scope"] == "hall"]
    assert set(hall["measure"]) == {"working_days", "calendar_days"}
    for value in [*hall["model"], *hall["naive"]]:
        assert math.isfinite(float(value))
    assert (held.validation.table["metric"] == "naive_wasserstein_days").any()
    assert "Naive forecast" in held.to_markdown()


def test_split_periods_by_first_timestamp_and_refuses_empty_periods(scenario: Scenario) -> None:
    events, _ = synthesize(scenario, days=30, seed=5)
    events = events.assign(case_id=events["case_id"].astype(str))
    split = split_periods(events, "2007-01-15")
    stamps = events[["ready", "start", "end"]].min(axis=1)
    firsts = stamps.groupby(events["case_id"]).min().dt.date
    assert split.train_since == min(firsts)
    assert split.test_start == date(2007, 1, 16) and split.test_end == max(firsts)
    assert split.train_ids | split.test_ids == set(firsts.index)
    assert not split.train_ids & split.test_ids
    assert all(firsts[c] <= date(2007, 1, 15) for c in split.train_ids)
    assert "held-out: calibrated on" in split.note()
    with pytest.raises(ValueError, match="before train_since"):
        split_periods(events, "2007-01-15", train_since="2007-01-20")
    with pytest.raises(ValueError, match="no test period"):
        split_periods(events, "2007-01-15", test_until="2007-01-10")
    with pytest.raises(ValueError, match=r"no case starts .* \(test\)"):
        split_periods(events, "2007-01-19", test_until="2007-01-21")  # a weekend
    with pytest.raises(ValueError, match=r"no case starts .* \(training\)"):
        split_periods(events, "2007-01-21", train_since="2007-01-20")
