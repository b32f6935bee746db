"""Distribution tables: written and read back, and problems with file and key path."""

from __future__ import annotations

import pytest

from simhall.distributions import (
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Scaled,
    Triangular,
    Uniform,
    UniformInt,
    Weibull,
)
from simhall.scenario import ScenarioError, distribution_to_toml, parse_distribution


@pytest.mark.parametrize(
    ("dist", "unit"),
    [
        (Fixed(value=3), "min"),
        (Exponential(mean=12.5), "min"),
        (Lognormal(mean=12, sd=6), "min"),
        (Gamma(mean=4, sd=2), "days"),
        (Weibull(shape=1.5, scale=40), "min"),
        (Uniform(low=1, high=3), "days"),
        (Triangular(low=3, mode=6, high=15), "min"),
        (UniformInt(low=1, high=5), "days"),
        (Empirical(values=[1.0, 2.5, 4.0]), "days"),
    ],
)
def test_distribution_round_trip(dist: object, unit: str) -> None:
    table = distribution_to_toml(dist, unit)  # type: ignore[arg-type]
    assert table["dist"] == dist.name  # type: ignore[attr-defined]
    assert all(k == "dist" or k == "shape" or k.endswith("_" + unit) for k in table)
    assert parse_distribution(table, unit, "x", "f.toml") == dist  # type: ignore[arg-type]


def test_parse_distribution_reports_file_and_path() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_distribution(
            {"dist": "exponential", "mean_min": -5}, "min", "work.duration", "c.toml"
        )
    assert str(info.value) == "c.toml: work.duration.mean_min = -5: expected a number > 0 (minutes)"


def _problems(table: dict[str, object], unit: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse_distribution(table, unit, "d", "f.toml")  # type: ignore[arg-type]
    return str(info.value).splitlines()


def test_tables_follow_the_declared_parameters() -> None:
    # gamma's sd must be > 0 in files, lognormal's may be 0
    assert _problems({"dist": "gamma", "mean_days": 2, "sd_days": 0}, "days") == [
        "f.toml: d.sd_days = 0: expected a number > 0 (working days)"
    ]
    assert parse_distribution({"dist": "lognormal", "mean_min": 2, "sd_min": 0}, "min", "d", "f")
    # whole days only, in order, no unit suffix on shape, one unit per table
    assert _problems({"dist": "uniform_int", "low_min": 1, "high_min": 2}, "min") == [
        'f.toml: d.dist = "uniform_int": expected one of: "fixed", "exponential", "lognormal", '
        '"gamma", "weibull", "uniform", "triangular", "empirical"; '
        "did you mean 'uniform'? (uniform_int is for whole days only)"
    ]
    assert _problems({"dist": "uniform_int", "low_days": 1.5, "high_days": 2}, "days") == [
        "f.toml: d.low_days = 1.5: expected a whole number >= 0 (working days)"
    ]
    assert _problems({"dist": "triangular", "low_min": 3, "mode_min": 2, "high_min": 4}, "min") == [
        "f.toml: d.mode_min = 2: expected a number >= low_min (3)"
    ]
    assert _problems({"dist": "weibull", "shape_min": 1, "scale_min": 2}, "min") == [
        "f.toml: d.shape_min = 1: unknown key; expected one of: dist, shape, scale_min; "
        "did you mean 'scale_min'?",
        "f.toml: d.shape is missing: expected a number > 0 (minutes)",
    ]
    assert _problems({"dist": "lognormal", "mean_days": 2, "sd_min": 1}, "min") == [
        "f.toml: d.mean_days = 2: expected mean_min (this value is in minutes, not working days)",
        "f.toml: d.mean_min is missing: expected a number > 0 (minutes)",
    ]
    assert _problems({"dist": "empirical", "values_days": []}, "days") == [
        "f.toml: d.values_days = []: expected a non-empty list of numbers >= 0 (working days)"
    ]


def test_writing_refuses_what_files_cannot_hold() -> None:
    with pytest.raises(ValueError, match="uniform_int is for whole days only"):
        distribution_to_toml(UniformInt(1, 5), "min")
    with pytest.raises(ValueError, match="Scaled has no scenario-file name"):
        distribution_to_toml(Scaled(Fixed(1.0), 2.0), "min")
    with pytest.raises(ValueError, match="unit must be 'min' or 'days'"):
        distribution_to_toml(Fixed(1.0), "hours")
    assert distribution_to_toml(UniformInt(1, 5), "days") == {
        "dist": "uniform_int",
        "low_days": 1,
        "high_days": 5,
    }
