"""``simhall.calibration.selfcheck``: the calibrated scenario re-runs its own period, the fit
table says PASS/FAIL per row, and a delay that is off is corrected (bounded rounds).

The log is the independent generator's small hall (six months): calibration on it passes its
own check; a tray made three times too long by hand is found by ``step_days`` and scaled
back towards what the log says.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simhall.calibration import Calibration
from simhall.calibration.scaling import scale_distribution
from simhall.calibration.selfcheck import MAX_FACTOR, FitCheck, check_calibration
from simhall.distributions import (
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    Uniform,
    UniformInt,
    Weibull,
)
from tests.calibration_roundtrip import calibrate_world, calibration_log
from tests.independent import GeneratedLog


@pytest.fixture(scope="module")
def world() -> tuple[GeneratedLog, Calibration]:
    return calibrate_world("small", seed=0)


def _check(world: tuple[GeneratedLog, Calibration], cal: Calibration, rounds: int) -> Calibration:
    log, _ = world
    return check_calibration(
        cal,
        calibration_log(log),
        reps=2,
        seed=0,
        max_rounds=rounds,
        accept_activity=log.truth.config.activities.accept,
    )


@pytest.mark.parametrize(
    "dist",
    [
        Exponential(mean=2.0),
        Lognormal(mean=2.0, sd=1.0),
        Gamma(mean=2.0, sd=1.0),
        Weibull(shape=2.0, scale=2.0),
        Uniform(low=1.0, high=3.0),
        Empirical([1.0, 2.0, 4.0]),
        UniformInt(low=1, high=3),
    ],
)
def test_scaled_distribution_keeps_its_family_and_scales_its_mean(dist) -> None:  # type: ignore[no-untyped-def]
    scaled = scale_distribution(dist, 1.5)
    assert scaled.mean == pytest.approx(1.5 * dist.mean)
    if isinstance(dist, UniformInt):
        assert isinstance(scaled, Empirical) and scaled.values == (1.5, 3.0, 4.5)
    else:
        assert type(scaled) is type(dist)
    if isinstance(dist, Weibull):
        assert scaled.shape == dist.shape  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="factor = 0"):
        scale_distribution(dist, 0.0)


def test_calibration_passes_its_own_check(world: tuple[GeneratedLog, Calibration]) -> None:
    checked = _check(world, world[1], rounds=2)
    fc = checked.fit_check
    assert isinstance(fc, FitCheck)
    table = fc.table
    assert set(table["metric"]) >= {
        "cases_per_week", "mean_days", "p90_days", "onsite_rate", "mean_wait_min",
        "step_days", "daily_cv",
    }
    steps = table[table["metric"] == "step_days"]
    assert set(steps["id"]) == {f"{i.id}/{s.name}" for i in checked.items for s in i.route}
    assert fc.passed, fc.render()
    assert fc.corrections == () and fc.rounds == 1
    assert fc.verdict.startswith("PASS: ")
    # the check is visible in the report and the scenario header
    assert "## Fit check" in checked.report()
    assert f"# Self-check on the calibration period: {fc.verdict}" in checked.to_toml()


def test_a_tray_three_times_too_long_is_found_and_corrected(
    world: tuple[GeneratedLog, Calibration],
) -> None:
    _, cal = world
    item = next(i for i in cal.items if i.id == "P2")
    k, tray = next((k, s) for k, s in enumerate(item.route) if s.wait is not None and
                   s.kind == "work")
    assert tray.wait is not None
    true_mean = tray.wait.dist.mean
    bad_wait = dataclasses.replace(tray.wait, dist=scale_distribution(tray.wait.dist, 3.0))
    route = list(item.route)
    route[k] = dataclasses.replace(tray, wait=bad_wait)
    bad_item = dataclasses.replace(item, route=tuple(route))
    bad = dataclasses.replace(
        cal, items=tuple(bad_item if i.id == "P2" else i for i in cal.items)
    )
    row_id = f"P2/{tray.name}"

    only = _check(world, bad, rounds=0).fit_check
    assert only is not None and only.corrections == ()
    row = only.table.set_index("id").loc[row_id]
    assert row["status"] == "FAIL" and row["simulated"] > row["observed"] + 1.0
    assert not only.passed and row_id in only.render()

    fixed = _check(world, bad, rounds=2)
    fc = fixed.fit_check
    assert fc is not None and fc.rounds >= 2
    assert any(c.startswith(f"round 1: P2/{tray.wait_name} mean ") for c in fc.corrections)
    new = next(s for s in next(i for i in fixed.items if i.id == "P2").route if s.name == tray.name)
    assert new.wait is not None
    # back within 0.3 working days of the tray the log shows (bounded by MAX_FACTOR a round)
    assert new.wait.dist.mean == pytest.approx(true_mean, abs=0.3)
    assert 3 * true_mean / new.wait.dist.mean <= MAX_FACTOR**fc.rounds
    assert fc.table.set_index("id").loc[row_id, "status"] == "PASS"
    assert np.isfinite(fc.table["observed"]).all()
