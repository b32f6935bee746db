"""``simhall.calibration.fit``: the distribution choice (AIC with a moment check)."""

from __future__ import annotations

import numpy as np
import pytest

from simhall.calibration.fit import MEAN_TOL, fit_days, fit_duration, fit_whole_days


def test_aic_picks_lognormal_for_lognormal_data() -> None:
    x = np.random.default_rng(3).lognormal(np.log(60), 0.8, 2000)
    fit = fit_duration(x)
    assert fit.dist.name == "lognormal"
    assert fit.candidates["lognormal"] < min(
        v for k, v in fit.candidates.items() if k != "lognormal"
    )
    assert fit.dist.mean == pytest.approx(x.mean(), rel=0.1)


def test_constant_durations_are_fixed_and_whole_days_uniform() -> None:
    assert fit_duration(np.full(100, 15.0)).dist.name == "fixed"
    days = np.random.default_rng(4).integers(1, 6, 500)
    fit = fit_whole_days(days)
    assert fit.dist.name == "uniform_int"
    assert fit.dist.params() == {"low": 1.0, "high": 5.0}


def test_moment_check_rejects_runaway_lognormal() -> None:
    """A very wide sample: the ML lognormal wins on AIC but overshoots the sample mean."""
    x = np.random.default_rng(7).lognormal(np.log(10), 3.0, 100)
    fit = fit_duration(x)
    assert min(fit.candidates, key=lambda k: fit.candidates[k]) == "lognormal"
    assert abs(fit.dist.mean - x.mean()) <= 0.2 * x.mean(), fit.criterion
    p90 = np.quantile(x, 0.9)
    assert p90 / 1.5 <= fit.fitted_p90 <= p90 * 1.5, fit.criterion
    assert "lognormal (mean" in fit.criterion  # the rejected ML fit is named


def test_zero_heavy_sample_is_empirical_with_its_mean() -> None:
    rng = np.random.default_rng(8)
    x = np.concatenate([np.zeros(300), rng.lognormal(7, 1.5, 700)])
    fit = fit_duration(x)
    assert fit.dist.name == "empirical"
    assert fit.zero_share == pytest.approx(0.3)
    assert fit.dist.mean == pytest.approx(x.mean(), rel=1e-6)  # group means keep the mean
    values = fit.dist.params()["values"]
    assert isinstance(values, list) and min(values) == 0.0


def test_fit_days_whole_days_and_continuous() -> None:
    rng = np.random.default_rng(5)
    whole = rng.integers(1, 4, 400).astype(np.float64)
    fit = fit_days(whole, rng)
    assert fit.dist.name == "uniform_int"
    assert abs(fit.dist.mean - whole.mean()) <= MEAN_TOL * whole.mean()
    continuous = rng.uniform(1.0, 3.0, 400)
    fit = fit_days(continuous, rng)
    assert fit.dist.name not in ("uniform_int", "fixed")
    assert fit.dist.mean == pytest.approx(continuous.mean(), rel=MEAN_TOL)
