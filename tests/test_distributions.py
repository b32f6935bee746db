"""Distributions: sample means, reprs that rebuild the object, params(), validation."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import numpy as np
import pytest

import simhall.distributions as sd
from simhall.distributions import (
    DISTRIBUTIONS,
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Triangular,
    Uniform,
    UniformInt,
    Weibull,
    from_params,
)

N = 200_000


def _triangular_sd(a: float, c: float, b: float) -> float:
    return math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18.0)


def _weibull_sd(k: float, lam: float) -> float:
    g1 = math.gamma(1.0 + 1.0 / k)
    g2 = math.gamma(1.0 + 2.0 / k)
    return lam * math.sqrt(g2 - g1 * g1)


EMPIRICAL_VALUES = [3.0, 5.0, 5.0, 8.0, 13.0, 21.0]

# (distribution, theoretical mean, theoretical standard deviation)
CASES: list[tuple[Distribution, float, float]] = [
    (Fixed(7.5), 7.5, 0.0),
    (Exponential(12.0), 12.0, 12.0),
    (Lognormal(mean=20.0, sd=8.0), 20.0, 8.0),
    (Lognormal(mean=3.0, sd=0.0), 3.0, 0.0),
    (Gamma(mean=15.0, sd=5.0), 15.0, 5.0),
    (Gamma(mean=4.0, sd=6.0), 4.0, 6.0),
    (Weibull(shape=1.5, scale=10.0), 10.0 * math.gamma(1 + 1 / 1.5), _weibull_sd(1.5, 10.0)),
    (Uniform(2.0, 6.0), 4.0, 4.0 / math.sqrt(12.0)),
    (Triangular(1.0, 2.0, 6.0), 3.0, _triangular_sd(1.0, 2.0, 6.0)),
    (UniformInt(1, 5), 3.0, math.sqrt((5**2 - 1) / 12.0)),
    (
        Empirical(EMPIRICAL_VALUES),
        float(np.mean(EMPIRICAL_VALUES)),
        float(np.std(EMPIRICAL_VALUES)),
    ),
]
IDS = [repr(d) for d, _, _ in CASES]


@pytest.mark.parametrize(("dist", "mean", "sd_"), CASES, ids=IDS)
def test_mean_property(dist: Distribution, mean: float, sd_: float) -> None:
    assert dist.mean == pytest.approx(mean, rel=1e-12)


@pytest.mark.parametrize(("dist", "mean", "sd_"), CASES, ids=IDS)
def test_sample_mean_within_five_standard_errors(
    dist: Distribution, mean: float, sd_: float
) -> None:
    x = dist.sample(np.random.default_rng(20071001), N)
    assert x.shape == (N,)
    assert x.dtype == np.float64
    assert np.all(x >= 0.0)
    se = sd_ / math.sqrt(N)
    # 5 standard errors: a false alarm about once in 1.7 million runs (seed is fixed anyway)
    assert abs(x.mean() - mean) <= 5.0 * se + 1e-12, (x.mean(), mean, se)


@pytest.mark.parametrize(("dist", "mean", "sd_"), CASES, ids=IDS)
def test_sample_sd_matches_parameters(dist: Distribution, mean: float, sd_: float) -> None:
    """Checks the mean/sd parametrisations (lognormal, gamma) to within 3 %."""
    x = dist.sample(np.random.default_rng(7), N)
    assert x.std() == pytest.approx(sd_, rel=0.03, abs=1e-12)


def test_same_rng_state_gives_same_draws() -> None:
    d = Lognormal(10.0, 3.0)
    a = d.sample(np.random.default_rng(1), 100)
    b = d.sample(np.random.default_rng(1), 100)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("dist", [d for d, _, _ in CASES], ids=IDS)
def test_repr_rebuilds(dist: Distribution) -> None:
    text = repr(dist)
    rebuilt = eval(text, vars(sd))
    assert rebuilt == dist
    assert type(rebuilt) is type(dist)
    assert repr(rebuilt) == text
    assert text.startswith(type(dist).__name__ + "(")


@pytest.mark.parametrize(
    "dist",
    [
        Fixed(0.1 + 0.2),
        Exponential(1 / 3),
        Lognormal(1e-7, 123456.789),
        Uniform(0, 1e16),
        Empirical(list(np.linspace(0.0, 1.0, 50))),  # long: no "..." abbreviation
        Empirical(np.array([1.5, 2.5])),
        UniformInt(np.int64(2), np.int64(9)),
    ],
    ids=repr,
)
def test_repr_rebuilds_awkward_numbers(dist: Distribution) -> None:
    assert eval(repr(dist), vars(sd)) == dist


@pytest.mark.parametrize("dist", [d for d, _, _ in CASES], ids=IDS)
def test_params_rebuild_by_name(dist: Distribution) -> None:
    params = dist.params()
    assert DISTRIBUTIONS[dist.name] is type(dist)
    assert DISTRIBUTIONS[dist.name](**params) == dist


@pytest.mark.parametrize("dist", [d for d, _, _ in CASES], ids=IDS)
def test_from_params_rebuilds_from_the_declared_parameters(dist: Distribution) -> None:
    params = dist.params()
    assert list(params) == [p.name for p in type(dist).parameters]
    rebuilt = from_params(dist.name, params)
    assert rebuilt == dist and type(rebuilt) is type(dist)


def test_from_params_rejects_unknown_names_and_bad_values() -> None:
    with pytest.raises(
        ValueError, match=r"unknown distribution 'lognorml'; expected one of: fixed"
    ):
        from_params("lognorml", {"mean": 1.0, "sd": 1.0})
    with pytest.raises(ValueError, match=re.escape("Lognormal: mean must be > 0")):
        from_params("lognormal", {"mean": 0.0, "sd": 1.0})


def test_declared_parameter_rules() -> None:
    # what scenario files are held to: > 0, whole numbers, no unit suffix, lists, order
    rules = {
        name: [
            (p.name, p.positive, p.whole, p.unitless, p.many, p.at_least) for p in cls.parameters
        ]
        for name, cls in DISTRIBUTIONS.items()
    }
    assert rules["gamma"] == [
        ("mean", True, False, False, False, None),
        ("sd", True, False, False, False, None),
    ]
    assert rules["lognormal"][1] == ("sd", False, False, False, False, None)
    assert rules["weibull"][0] == ("shape", True, False, True, False, None)
    assert [r[-1] for r in rules["triangular"]] == [None, "low", "mode"]
    assert [r[2] for r in rules["uniform_int"]] == [True, True]
    assert rules["empirical"] == [("values", False, False, False, True, None)]
    assert [n for n, cls in DISTRIBUTIONS.items() if cls.days_only] == ["uniform_int"]


def test_distributions_registry_names() -> None:
    assert set(DISTRIBUTIONS) == {
        "fixed",
        "exponential",
        "lognormal",
        "gamma",
        "weibull",
        "uniform",
        "triangular",
        "uniform_int",
        "empirical",
    }
    for name, cls in DISTRIBUTIONS.items():
        assert cls.name == name


def test_params_values() -> None:
    assert Fixed(2).params() == {"value": 2.0}
    assert Exponential(12).params() == {"mean": 12.0}
    assert Lognormal(10, 4).params() == {"mean": 10.0, "sd": 4.0}
    assert Gamma(10, 4).params() == {"mean": 10.0, "sd": 4.0}
    assert Weibull(2, 3).params() == {"shape": 2.0, "scale": 3.0}
    assert Uniform(1, 2).params() == {"low": 1.0, "high": 2.0}
    assert Triangular(1, 2, 3).params() == {"low": 1.0, "mode": 2.0, "high": 3.0}
    assert UniformInt(1, 3).params() == {"low": 1.0, "high": 3.0}
    assert Empirical([1, 2]).params() == {"values": [1.0, 2.0]}


def test_mean_value_attribute_and_keyword_constructor() -> None:
    for d in (Exponential(mean=4.0), Lognormal(mean=4.0, sd=1.0), Gamma(mean=4.0, sd=1.0)):
        assert d.mean_value == 4.0
        assert d.mean == 4.0
    assert Lognormal(mean=4.0, sd=1.0).sd == 1.0


def test_distributions_are_frozen_and_hashable() -> None:
    d = Exponential(3.0)
    with pytest.raises(AttributeError):
        d.mean_value = 4.0  # type: ignore[misc]
    assert hash(d) == hash(Exponential(3.0))
    assert len({Exponential(3.0), Exponential(3), Exponential(4.0)}) == 2


def test_fixed_is_exact() -> None:
    x = Fixed(4.25).sample(np.random.default_rng(0), 1000)
    assert np.all(x == 4.25)
    rng = np.random.default_rng(5)
    before = rng.bit_generator.state
    Fixed(1.0).sample(rng, 10)
    assert rng.bit_generator.state == before  # consumes no randomness


def test_uniform_int_bounds_inclusive() -> None:
    x = UniformInt(2, 5).sample(np.random.default_rng(3), 10_000)
    assert x.dtype == np.float64
    assert set(np.unique(x).tolist()) == {2.0, 3.0, 4.0, 5.0}
    y = UniformInt(3, 3).sample(np.random.default_rng(3), 100)
    assert np.all(y == 3.0)


def test_uniform_and_triangular_stay_in_range() -> None:
    rng = np.random.default_rng(11)
    u = Uniform(2.0, 3.0).sample(rng, 10_000)
    assert u.min() >= 2.0 and u.max() <= 3.0
    t = Triangular(1.0, 1.5, 4.0).sample(rng, 10_000)
    assert t.min() >= 1.0 and t.max() <= 4.0
    assert np.all(Triangular(2.0, 2.0, 2.0).sample(rng, 10) == 2.0)


def test_empirical_only_observed_values() -> None:
    x = Empirical([1.0, 4.0]).sample(np.random.default_rng(2), 1000)
    assert set(np.unique(x).tolist()) == {1.0, 4.0}


def test_degenerate_sd_zero() -> None:
    rng = np.random.default_rng(0)
    assert np.allclose(Lognormal(5.0, 0.0).sample(rng, 10), 5.0)
    assert np.all(Gamma(5.0, 0.0).sample(rng, 10) == 5.0)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Exponential(0), "mean must be > 0"),
        (lambda: Exponential(-1.0), "mean must be > 0"),
        (lambda: Lognormal(0, 1), "mean must be > 0"),
        (lambda: Lognormal(5, -1), "sd must be >= 0"),
        (lambda: Gamma(-2, 1), "mean must be > 0"),
        (lambda: Gamma(2, -0.5), "sd must be >= 0"),
        (lambda: Weibull(0, 1), "shape must be > 0"),
        (lambda: Weibull(-1, 1), "shape must be > 0"),
        (lambda: Weibull(1, 0), "scale must be > 0"),
        (lambda: Uniform(3, 2), "low must be <= high"),
        (lambda: Triangular(3, 4, 2), "low must be <= high"),
        (lambda: Triangular(1, 5, 4), "mode must lie in"),
        (lambda: UniformInt(5, 2), "low must be <= high"),
        (lambda: UniformInt(1.5, 3), "whole number"),
        (lambda: Empirical([]), "must not be empty"),
        (lambda: Empirical([1.0, -2.0]), "values[1] must be >= 0"),
        (lambda: Fixed(-1), "value must be >= 0"),
        (lambda: Fixed(float("nan")), "must be finite"),
        (lambda: Exponential(float("inf")), "must be finite"),
        (lambda: Exponential("ten"), "must be a number"),  # type: ignore[arg-type]
    ],
)
def test_invalid_parameters_raise_value_error(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        make()


def test_error_names_the_class() -> None:
    with pytest.raises(ValueError, match=r"^Gamma: "):
        Gamma(0, 1)
