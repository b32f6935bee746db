"""simhall.validation.holdout: calibrate on an earlier period, score the later one next to
the naive forecast."""

from __future__ import annotations

import math

from simhall.scenario.schema import Scenario
from simhall.synth import synthesize
from simhall.validation import holdout


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
