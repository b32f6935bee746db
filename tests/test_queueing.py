"""``simhall.queueing``: Erlang B/C, M/M/c figures and the theory-vs-simulation table."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from simhall.queueing import (
    MMcMetrics,
    erlang_b,
    erlang_c,
    mmc_metrics,
    mmc_scenario,
    mmc_validation,
)


def erlang_c_factorial(c: int, a: float) -> float:
    """The textbook formula with factorials (fine for small c)."""
    rho = a / c
    terms = sum(a**k / math.factorial(k) for k in range(c))
    top = a**c / math.factorial(c) / (1 - rho)
    return top / (terms + top)


def test_erlang_b_known_values() -> None:
    assert erlang_b(1, 1.0) == pytest.approx(0.5)
    assert erlang_b(2, 1.0) == pytest.approx(0.2)
    assert erlang_b(3, 0.0) == 0.0


@pytest.mark.parametrize(("c", "a"), [(1, 0.3), (2, 1.5), (3, 2.4), (5, 4.0), (8, 7.5)])
def test_erlang_c_matches_factorial_formula(c: int, a: float) -> None:
    assert erlang_c(c, a) == pytest.approx(erlang_c_factorial(c, a), rel=1e-12)


def test_erlang_c_is_stable_for_many_servers() -> None:
    p = erlang_c(500, 480.0)
    assert 0.0 < p < 1.0
    assert math.isfinite(p)


def test_mm1_closed_form() -> None:
    lam, s = 0.1, 6.0
    m = mmc_metrics(lam, s, 1)
    rho = lam * s
    assert isinstance(m, MMcMetrics)
    assert m.utilization == pytest.approx(rho)
    assert m.p_wait == pytest.approx(rho)
    assert m.mean_wait == pytest.approx(rho * s / (1 - rho))
    assert m.mean_sojourn == pytest.approx(s / (1 - rho))
    assert m.mean_queue == pytest.approx(rho**2 / (1 - rho))
    assert m.mean_in_system == pytest.approx(rho / (1 - rho))


def test_little_law_in_metrics() -> None:
    m = mmc_metrics(0.24, 10.0, 3)
    assert m.mean_queue == pytest.approx(m.arrival_rate * m.mean_wait)
    assert m.mean_in_system == pytest.approx(m.mean_queue + m.arrival_rate * m.mean_service)


@pytest.mark.parametrize(
    "call",
    [
        lambda: erlang_c(2, 2.0),
        lambda: erlang_c(0, 0.5),
        lambda: erlang_b(1, -1.0),
        lambda: mmc_metrics(0.0, 5.0, 1),
        lambda: mmc_metrics(0.5, 5.0, 2),
        lambda: mmc_scenario(0.1, 5.0, 1, n_days=0),
        lambda: mmc_validation([(1, 5.0, 1.2)]),
        lambda: mmc_validation([(1, 5.0)]),
        lambda: mmc_validation([(1.5, 5.0, 0.5)]),
        lambda: mmc_validation(days=5, warmup_days=5),
    ],
)
def test_bad_arguments_raise(call: object) -> None:
    with pytest.raises(ValueError):
        call()  # type: ignore[operator]


def test_mmc_scenario_is_a_24_hour_hall() -> None:
    sc = mmc_scenario(0.2, 7.5, 2, n_days=20)
    assert sc.calendar.opening == ((0, 1440),)
    assert sc.calendar.holidays == "custom"
    assert len(sc.calendar.extra_workdays) == 5  # every weekend day of the 20 works
    (dept,) = sc.departments
    (item,) = sc.items
    assert dept.windows == 2
    assert item.demand.daily_volume == pytest.approx(0.2 * 1440)
    assert item.window_service.mean == pytest.approx(7.5)
    assert item.incomplete_prob == 0.0
    assert item.route == ()


def test_mmc_validation_agrees_with_theory_and_is_reproducible() -> None:
    kwargs = {"configs": [(2, 8.0, 0.75)], "days": 25, "warmup_days": 2, "reps": 3, "seed": 3}
    table = mmc_validation(**kwargs)  # type: ignore[arg-type]
    assert list(table.columns) == [
        "windows",
        "mean_service_min",
        "rho",
        "p_wait_theory",
        "p_wait_sim",
        "wait_theory_min",
        "wait_sim_min",
        "wait_ci_low",
        "wait_ci_high",
        "rel_error",
        "within_ci",
        "queue_theory",
        "queue_sim",
        "little_ratio",
        "cases",
    ]
    row = table.iloc[0]
    assert row["rel_error"] < 0.15
    assert abs(row["p_wait_sim"] - row["p_wait_theory"]) < 0.05
    assert row["little_ratio"] == pytest.approx(1.0, abs=0.03)
    assert row["queue_sim"] == pytest.approx(row["queue_theory"], rel=0.2)
    assert row["wait_ci_low"] <= row["wait_sim_min"] <= row["wait_ci_high"]
    # arrivals: 0.75 * 2 / 8 per minute over 23 observed days
    assert row["cases"] == pytest.approx(0.1875 * 1440 * 23, rel=0.05)
    pd.testing.assert_frame_equal(table, mmc_validation(**kwargs))  # type: ignore[arg-type]


def test_mmc_validation_rounds_and_single_replication() -> None:
    table = mmc_validation([(1, 5.0, 0.5)], days=4, warmup_days=1, reps=1, digits=2)
    row = table.iloc[0]
    assert math.isnan(row["wait_ci_low"]) and math.isnan(row["wait_ci_high"])
    assert not bool(row["within_ci"])
    for col in ("p_wait_theory", "wait_theory_min", "wait_sim_min", "queue_sim"):
        assert row[col] == round(row[col], 2)
    assert row["wait_theory_min"] == pytest.approx(5.0, abs=0.005)  # rho s / (1 - rho)
