"""simhall.validation.holdout: calibrate on an earlier period, score the later one next to
the naive forecast."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from scipy.stats import wasserstein_distance

from simhall.scenario.schema import Scenario
from simhall.synth import synthesize
from simhall.validation import holdout
from simhall.validation.holdout import split_periods
from tests.independent import HALLS, generate


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


def test_naive_forecast_rests_on_the_training_cases_that_closed() -> None:
    """Held out on a log simhall did not write (tests/independent, cut at extraction): the
    training cases are closed by the whole log's evidence (nearly all had ended before the
    cut, however they ended), and the naive forecasts rest on exactly those cases."""
    hall = HALLS["small"]()
    log = generate(hall, date(2024, 3, 1), date(2024, 7, 1), seed=3, censor=True)
    held = holdout(
        log.events,
        log.items,
        train_until="2024-05-31",
        reps=1,
        seed=1,
        accept_activity=hall.activities.accept,
    )
    train = held.train_cases
    truth = log.truth.cases.set_index("case_id")
    ended = truth["completed"].notna() & (truth["completed"] < pd.Timestamp("2024-07-01"))
    accepted = train["working_days"].notna().to_numpy()
    agree = (train["closed"].to_numpy() == ended.reindex(train["case_id"]).to_numpy())[accepted]
    assert agree.mean() >= 0.98
    assert train["scored"].sum() >= 0.95 * accepted.sum()
    hall_rows = held.naive[held.naive["scope"] == "hall"].set_index("measure")
    assert (hall_rows["n_train"] == int(train["scored"].sum())).all()
    assert (hall_rows["n_train_accepted"] == int(accepted.sum())).all()
    used = train[train["scored"]]
    test = held.validation.observed_cases
    for measure, row in hall_rows.iterrows():
        expected = wasserstein_distance(
            test.loc[test["scored"], measure].to_numpy(float), used[measure].to_numpy(float)
        )
        assert row["naive"] == pytest.approx(expected)
        assert 0 < row["n_train_followup"] <= row["n_train"]
        assert math.isfinite(float(row["naive_followup"]))
    # the hall's yardsticks rest on enough cases; only small items are flagged
    assert all("item(s) rest on" in w for w in held.validation.warnings)
    notes = " ".join(held.validation.notes)
    assert "closure of training cases" in notes and "closed by idle time" in notes
    table = held.validation.table
    assert (table["metric"] == "naive_followup_wasserstein_days").any()
