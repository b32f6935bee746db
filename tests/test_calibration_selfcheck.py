"""``simhall.calibration.selfcheck``: the calibrated scenario re-runs its own period, the fit
table says PASS/FAIL per row, and a delay that is off is corrected (bounded rounds).

The log is the independent generator's small hall (six months): calibration on it passes its
own check; a tray made three times too long by hand is found by ``step_days`` and scaled
back towards what the log says, on the whole period and on a sample of its weeks (the rule a
large log is checked by: :mod:`simhall.calibration.checkperiod`).
"""

from __future__ import annotations

import dataclasses
import math
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from simhall.calibration import Calibration
from simhall.calibration.checkperiod import (
    SAMPLE_MIN_WEEKS,
    TAIL_DAYS,
    WARMUP_DAYS,
    check_period,
    first_visits,
)
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


SAMPLE = 400
"""Scored cases above which the sampled tests check a sample (the small hall has about 90
accepted cases a week: a sample of five weeks)."""


def _check(
    world: tuple[GeneratedLog, Calibration],
    cal: Calibration,
    rounds: int,
    sample_cases: int = 100_000,
) -> Calibration:
    log, _ = world
    return check_calibration(
        cal,
        calibration_log(log),
        reps=2,
        seed=0,
        max_rounds=rounds,
        accept_activity=log.truth.config.activities.accept,
        sample_cases=sample_cases,
    )


def _bad_tray(cal: Calibration) -> tuple[Calibration, str, float]:
    """``cal`` with item P2's first tray before back-office work three times too long; the
    fit-table id of its step and the tray's calibrated mean."""
    item = next(i for i in cal.items if i.id == "P2")
    k, tray = next(
        (k, s) for k, s in enumerate(item.route) if s.wait is not None and s.kind == "work"
    )
    assert tray.wait is not None
    bad_wait = dataclasses.replace(tray.wait, dist=scale_distribution(tray.wait.dist, 3.0))
    route = list(item.route)
    route[k] = dataclasses.replace(tray, wait=bad_wait)
    bad_item = dataclasses.replace(item, route=tuple(route))
    bad = dataclasses.replace(cal, items=tuple(bad_item if i.id == "P2" else i for i in cal.items))
    return bad, f"P2/{tray.name}", tray.wait.dist.mean


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
        "cases_per_week",
        "mean_days",
        "p90_days",
        "onsite_rate",
        "mean_wait_min",
        "step_days",
        "daily_cv",
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
    bad, row_id, true_mean = _bad_tray(world[1])
    only = _check(world, bad, rounds=0).fit_check
    assert only is not None and only.corrections == ()
    row = only.table.set_index("id").loc[row_id]
    assert row["status"] == "FAIL" and row["simulated"] > row["observed"] + 1.0
    assert not only.passed and row_id in only.render()

    fixed = _check(world, bad, rounds=2)
    fc = fixed.fit_check
    assert fc is not None and fc.rounds >= 2
    step = row_id.split("/", 1)[1]
    tray = next(s for s in next(i for i in bad.items if i.id == "P2").route if s.name == step)
    assert any(c.startswith(f"round 1: P2/{tray.wait_name} mean ") for c in fc.corrections)
    new = next(s for s in next(i for i in fixed.items if i.id == "P2").route if s.name == step)
    assert new.wait is not None
    # back within 0.3 working days of the tray the log shows (bounded by MAX_FACTOR a round)
    assert new.wait.dist.mean == pytest.approx(true_mean, abs=0.3)
    assert 3 * true_mean / new.wait.dist.mean <= MAX_FACTOR**fc.rounds
    assert fc.table.set_index("id").loc[row_id, "status"] == "PASS"
    assert np.isfinite(fc.table["observed"]).all()


def test_the_sample_rule(world: tuple[GeneratedLog, Calibration]) -> None:
    """Whole weeks, Monday to Sunday, centred, with room for the warm-up and the tail; the
    whole period when the log is small or too short for a sample."""
    log, cal = world
    first = first_visits(calibration_log(log))
    whole = check_period(cal.since, cal.until, first, 100_000)
    assert not whole.sampled and (whole.start, whole.warmup_days, whole.tail_days) == (
        cal.since,
        0,
        0,
    )
    assert (
        whole.n_cases
        == whole.n_period_cases
        == int(((first >= pd.Timestamp(whole.start)) & (first <= pd.Timestamp(whole.end))).sum())
    )
    assert "the whole calibration period" in whole.describe()
    part = check_period(cal.since, cal.until, first, SAMPLE)
    assert part.sampled and (part.period_start, part.period_end) == (whole.start, whole.end)
    assert part.start.weekday() == 0 and (part.end - part.start).days % 7 == 6
    weeks = ((part.end - part.start).days + 1) // 7
    per_week = whole.n_cases / (((whole.end - whole.start).days + 1) / 7)
    assert weeks == max(SAMPLE_MIN_WEEKS, math.ceil(SAMPLE / per_week))
    assert (part.start - whole.start).days >= WARMUP_DAYS
    assert (whole.end - part.end).days >= TAIL_DAYS
    # centred: the room before and after differs by less than two weeks
    assert abs((part.start - whole.start).days - (whole.end - part.end).days) < 14
    assert 0 < part.n_cases < whole.n_cases
    text = part.describe()
    assert f"{part.start} to {part.end}" in text and "same weeks of the log" in text
    # a period too short for the sample with its warm-up and tail is checked whole
    short_until = cal.since + timedelta(days=25)
    assert not check_period(cal.since, short_until, first, 10).sampled


def test_a_sample_passes_and_still_catches_the_bad_tray(
    world: tuple[GeneratedLog, Calibration],
) -> None:
    good = _check(world, world[1], rounds=0, sample_cases=SAMPLE).fit_check
    assert good is not None and good.period is not None and good.period.sampled
    assert good.passed, good.render()
    assert "scored: a sample of the calibration period" in good.render()
    assert f"Scored: {good.period.describe()}." in good.markdown()
    # fewer cases scored than on the whole period, the same rows
    full = _check(world, world[1], rounds=0).fit_check
    assert full is not None and full.period is not None and not full.period.sampled
    hall = good.table.set_index(["id", "metric"]).loc[("hall", "mean_days")]
    assert (
        hall["n_observed"]
        < full.table.set_index(["id", "metric"]).loc[("hall", "mean_days"), "n_observed"]
    )
    bad, row_id, _ = _bad_tray(world[1])
    only = _check(world, bad, rounds=0, sample_cases=SAMPLE).fit_check
    assert only is not None and not only.passed
    row = only.table.set_index("id").loc[row_id]
    assert row["status"] == "FAIL" and row["simulated"] > row["observed"] + 1.0
    fixed = _check(world, bad, rounds=2, sample_cases=SAMPLE).fit_check
    assert fixed is not None and fixed.corrections
    assert fixed.table.set_index("id").loc[row_id, "status"] == "PASS"


def test_workers_give_the_same_table(world: tuple[GeneratedLog, Calibration]) -> None:
    log, cal = world
    kw = {
        "reps": 2,
        "seed": 0,
        "max_rounds": 0,
        "accept_activity": log.truth.config.activities.accept,
        "sample_cases": SAMPLE,
    }
    one = check_calibration(cal, calibration_log(log), workers=1, **kw).fit_check  # type: ignore[arg-type]
    two = check_calibration(cal, calibration_log(log), workers=2, **kw).fit_check  # type: ignore[arg-type]
    assert one is not None and two is not None
    pd.testing.assert_frame_equal(one.table, two.table)
