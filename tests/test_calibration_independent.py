"""Calibration judged on logs simhall did not write (issue 8): the independent round trip.

:func:`tests.calibration_roundtrip.round_trip` calibrates on six months of the independent
generator's log, predicts the next four with :func:`simhall.run` and scores both with the
generator's own scoring. Two kinds of test:

* the acceptance test (slow): the errors averaged over three generated worlds (generator
  seeds 0, 1, 2) against the generator's own noise floor (:data:`NOISE_FLOOR`, itself an
  average over three seed pairs): per-item mean working days within 0.1 of the floor (and
  at most 0.3 where the floor is below 0.3), P90 within ``max(1, floor + 0.2)`` working
  days, the window wait within ``max(15%, floor)``, the on-site share within 0.03
  (issue 8's targets, read against the floor where a four-month test period cannot meet
  them: ``docs/validation.md``);
* the regression test: the seed-0 world of every hall within :data:`BOUNDS`, the errors
  measured today plus a small margin, so that a change that makes calibration worse fails.

The generator's noise floor itself is recomputed by the last (slow) test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.calibration_roundtrip import NOISE_FLOOR, RoundTrip, round_trip
from tests.independent import HALLS, noise_floor
from tests.independent.halls import PERIOD, TEST

BOUNDS: dict[str, dict[str, float]] = {
    "eighteen": {
        "mean_wd_mae": 0.33,
        "p90_wd_mae": 0.6,
        "window_wait_rel": 0.12,
        "onsite_share_diff": 0.01,
    },
    "small": {
        "mean_wd_mae": 0.7,
        "p90_wd_mae": 1.8,
        "window_wait_rel": 0.08,
        "onsite_share_diff": 0.01,
    },
    "chinese": {
        "mean_wd_mae": 0.52,
        "p90_wd_mae": 1.2,
        "window_wait_rel": 0.08,
        "onsite_share_diff": 0.02,
    },
}
"""Largest errors accepted on the seed-0 world (3 replications); measured 0.295 / 0.539 /
0.088 / 0.003 (eighteen), 0.652 / 1.667 / 0.045 / 0.004 (small), 0.478 / 1.078 / 0.045 /
0.012 (chinese). One world's four test months are noisy (the small hall's seed-2 world
scores 0.156): the acceptance test averages worlds."""

WORLDS = (0, 1, 2)
"""Generator seeds of the acceptance test."""


def acceptance_bound(metric: str, floor: float) -> float:
    """Issue 8's target for ``metric``, read against the hall's noise floor ``floor``."""
    if metric == "mean_wd_mae":
        return min(floor + 0.1, 0.3) if floor < 0.3 else floor + 0.1
    if metric == "p90_wd_mae":
        return max(1.0, floor + 0.2)
    if metric == "window_wait_rel":
        return max(0.15, floor)
    return 0.03


@pytest.fixture(scope="module", params=sorted(BOUNDS))
def trip(request: pytest.FixtureRequest) -> RoundTrip:
    return round_trip(request.param, seed=0, reps=3)


def test_round_trip_errors_within_todays_bounds(trip: RoundTrip) -> None:
    bounds = BOUNDS[trip.hall]
    for metric, value in trip.errors.items():
        assert math.isfinite(value), (trip.hall, metric)
        assert value <= bounds[metric], (trip.hall, metric, trip.summary())


def test_round_trip_scores_every_item(trip: RoundTrip) -> None:
    table = trip.per_item()
    assert set(table.index) == {i.item_id for i in trip.world.truth.config.items}
    # the prediction has three replications of the same four months
    ratio = table["cases_p"].sum() / table["cases_o"].sum()
    assert ratio == pytest.approx(3.0, rel=0.1)


@pytest.mark.slow
@pytest.mark.parametrize("hall", sorted(NOISE_FLOOR))
def test_round_trip_averaged_over_worlds_near_the_noise_floor(hall: str) -> None:
    errors = [round_trip(hall, seed=s, reps=3).errors for s in WORLDS]
    floor = NOISE_FLOOR[hall]
    for metric in floor:
        mean = float(np.mean([e[metric] for e in errors]))
        bound = acceptance_bound(metric, floor[metric])
        assert mean <= bound, (hall, metric, mean, bound, [e[metric] for e in errors])


@pytest.mark.slow
@pytest.mark.parametrize("hall", sorted(NOISE_FLOOR))
def test_noise_floor_as_documented(hall: str) -> None:
    floor = noise_floor(HALLS[hall](), *PERIOD, TEST, other_seeds=(1, 2, 3))
    for metric, value in NOISE_FLOOR[hall].items():
        assert floor[metric] == pytest.approx(value, abs=max(0.01, 0.05 * value)), (hall, metric)
