"""Analytic validation: the simulated hall against queueing theory.

A 24-hour, single-department hall with Poisson arrivals and exponential service is an M/M/c
queue; its mean wait is given by Erlang's C formula and its time-average queue length by
Little's law. A tandem window -> review -> sign-off with exponential stations is a Jackson
network: each station behaves as an independent M/M/c queue with the same arrival rate.
Tolerances: the theory must lie within 4 standard errors of the replication mean (and the
relative error within 10%); with 5 replications of 60 days this test fails for a model whose
waits are off by more than a few percent.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from simhall.experiment import Settings, simulate_replication
from simhall.queueing import tandem_scenario
from simhall.scenario.schema import Scenario

START = date(2007, 3, 5)
DAYS = 60
WARMUP = 5
REPS = 5


def erlang_c_wait(lam: float, mean_service: float, c: int) -> float:
    """Mean waiting time in queue of M/M/c (Erlang C), written out independently of
    :mod:`simhall.queueing` so that the test does not check the library against itself."""
    a = lam * mean_service
    rho = a / c
    assert rho < 1
    terms = sum(a**k / math.factorial(k) for k in range(c))
    top = a**c / math.factorial(c) / (1 - rho)
    p_wait = top / (terms + top)
    return p_wait * mean_service / (c - a)


def tandem(lam_per_min: float, stations: list[tuple[int, float]]) -> Scenario:
    """Window then exponential back-office pools in the hall, all 24/7."""
    return tandem_scenario(lam_per_min, stations, n_days=DAYS + 30, start=START)


def station_waits(scenario: Scenario, seed: int) -> tuple[dict[str, list[float]], list[float]]:
    settings = Settings(START, DAYS, WARMUP, 30, REPS, seed, 0.95)
    waits: dict[str, list[float]] = {}
    queue_ratio: list[float] = []
    for rep in range(REPS):
        r = simulate_replication(scenario, settings, rep)
        ev = r.events
        wait = (ev["start"] - ev["ready"]).dt.total_seconds() / 60.0
        station = ev["resource"].str.rsplit("/", n=1).str[0]
        for name, w in wait.groupby(station):
            waits.setdefault(str(name), []).append(float(w.mean()))
        # Little's law at the window: time-average queue = arrival rate x mean wait
        window = r.stations[r.stations["station"] == "window"].iloc[0]
        lam = len(r.cases) / ((DAYS - WARMUP) * 1440.0)
        w_window = float(wait[ev["activity"] == "accept"].mean())
        queue_ratio.append(window["mean_queue"] / (lam * w_window))
    return waits, queue_ratio


def _check(sim: list[float], theory: float) -> None:
    x = np.asarray(sim)
    se = x.std(ddof=1) / math.sqrt(x.size)
    assert abs(x.mean() - theory) <= 4 * se + 1e-9, (x.mean(), theory, se)
    assert abs(x.mean() - theory) / theory < 0.10, (x.mean(), theory)


@pytest.mark.parametrize(("c", "mean_service", "rho"), [(1, 6.0, 0.7), (3, 10.0, 0.8)])
def test_mmc_window_wait_matches_erlang_c(c: int, mean_service: float, rho: float) -> None:
    lam = rho * c / mean_service
    scenario = tandem(lam, [(c, mean_service)])
    waits, queue_ratio = station_waits(scenario, seed=11)
    _check(waits["D/window"], erlang_c_wait(lam, mean_service, c))
    # Little's law L = lambda W holds within 5% in each replication
    assert np.allclose(queue_ratio, 1.0, atol=0.05), queue_ratio


def test_jackson_tandem_window_review_signoff() -> None:
    lam = 0.2
    stations = [(2, 7.5), (3, 12.0), (1, 3.5)]  # window, review, sign-off
    scenario = tandem(lam, stations)
    waits, _ = station_waits(scenario, seed=5)
    _check(waits["D/window"], erlang_c_wait(lam, 7.5, 2))
    _check(waits["D/s0"], erlang_c_wait(lam, 12.0, 3))
    _check(waits["D/s1"], erlang_c_wait(lam, 3.5, 1))
