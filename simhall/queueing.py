"""Queueing theory for checking the simulator: Erlang C, M/M/c and Little's law.

A surveyor checks a new instrument on a baseline whose length is known exactly before taking
it into the field. The known baseline of a service hall is the M/M/c queue: when applicants
arrive as a Poisson process around the clock and every window's service time is exponential,
queueing theory gives the mean wait exactly (Erlang's C formula), and Little's law ties the
time-average queue length to the arrival rate and the mean wait. :func:`mmc_validation` builds
that hall as an ordinary simhall scenario (:func:`mmc_scenario`: one department open 24 hours
every day, no lunch, no holidays, one on-site item), runs simhall's own model on it and lays
the simulated figures next to the theoretical ones.

All rates are per minute and all times in minutes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from simhall.distributions import Exponential
from simhall.logs.schema import ACCEPT
from simhall.reporting.metrics import confidence_interval
from simhall.scenario.schema import (
    CalendarSpec,
    Demand,
    Department,
    Item,
    Pool,
    Scenario,
    WorkStep,
)

__all__ = [
    "DEFAULT_CONFIGS",
    "MMcMetrics",
    "erlang_b",
    "erlang_c",
    "mmc_metrics",
    "mmc_scenario",
    "mmc_validation",
]

MINUTES_PER_DAY = 1440.0

DEFAULT_START = date(2007, 3, 5)
"""First day of the analytic runs (a Monday; the calendar has no holidays anyway)."""

DEFAULT_CONFIGS: tuple[tuple[int, float, float], ...] = (
    (1, 6.0, 0.7),
    (2, 8.0, 0.8),
    (3, 10.0, 0.85),
)
"""``(windows, mean service minutes, utilization)`` of the default comparison."""


def _check_load(servers: int, offered: float) -> None:
    if isinstance(servers, bool) or not isinstance(servers, (int, np.integer)) or servers < 1:
        raise ValueError(f"servers = {servers!r}: expected a whole number >= 1")
    if not (math.isfinite(offered) and offered >= 0.0):
        raise ValueError(f"offered load = {offered!r}: expected a finite number >= 0")


def erlang_b(servers: int, offered: float) -> float:
    """Erlang's B formula: blocking probability of M/M/c/c.

    Computed by the numerically stable recursion ``B(0) = 1``,
    ``B(k) = a B(k-1) / (k + a B(k-1))``, which needs no factorials.

    Parameters
    ----------
    servers : int
        Number of servers ``c`` (>= 1).
    offered : float
        Offered load ``a = lambda / mu`` in erlangs (>= 0).

    Returns
    -------
    float
        The blocking probability, in ``[0, 1]``.

    Raises
    ------
    ValueError
        For ``servers < 1`` or a negative or non-finite load.

    Examples
    --------
    >>> round(erlang_b(2, 1.0), 4)
    0.2
    """
    _check_load(servers, offered)
    b = 1.0
    for k in range(1, int(servers) + 1):
        b = offered * b / (k + offered * b)
    return b


def erlang_c(servers: int, offered: float) -> float:
    """Erlang's C formula: probability that an arrival has to wait in M/M/c.

    Parameters
    ----------
    servers : int
        Number of servers ``c`` (>= 1).
    offered : float
        Offered load ``a = lambda / mu`` in erlangs, below ``c`` (a stable queue).

    Returns
    -------
    float
        ``P(wait > 0)``, in ``[0, 1)``.

    Raises
    ------
    ValueError
        For ``servers < 1``, a negative load or ``offered >= servers`` (unstable).

    Examples
    --------
    >>> round(erlang_c(1, 0.5), 6)  # M/M/1: P(wait) = rho
    0.5
    """
    _check_load(servers, offered)
    if offered >= servers:
        raise ValueError(
            f"offered load {offered} >= servers {servers}: the queue is unstable (rho >= 1)"
        )
    b = erlang_b(servers, offered)
    return servers * b / (servers - offered * (1.0 - b))


@dataclass(frozen=True)
class MMcMetrics:
    """Steady-state figures of an M/M/c queue (times in the unit of the rates' inverse).

    Attributes
    ----------
    arrival_rate, mean_service : float
        ``lambda`` and ``1 / mu``.
    servers : int
        ``c``.
    utilization : float
        ``rho = lambda / (c mu)``.
    p_wait : float
        Erlang C probability of waiting.
    mean_wait : float
        ``Wq``: mean time in queue.
    mean_sojourn : float
        ``W = Wq + 1 / mu``.
    mean_queue : float
        ``Lq = lambda Wq`` (Little's law).
    mean_in_system : float
        ``L = lambda W``.
    """

    arrival_rate: float
    mean_service: float
    servers: int
    utilization: float
    p_wait: float
    mean_wait: float
    mean_sojourn: float
    mean_queue: float
    mean_in_system: float


def mmc_metrics(arrival_rate: float, mean_service: float, servers: int) -> MMcMetrics:
    """Steady-state M/M/c figures from Erlang's C formula and Little's law.

    Parameters
    ----------
    arrival_rate : float
        Poisson arrival rate ``lambda`` (> 0), e.g. per minute.
    mean_service : float
        Mean exponential service time ``1 / mu`` (> 0), in the inverse unit.
    servers : int
        Number of servers ``c`` (>= 1).

    Returns
    -------
    MMcMetrics

    Raises
    ------
    ValueError
        Non-positive rates or an unstable queue (``rho >= 1``).

    Examples
    --------
    >>> m = mmc_metrics(0.1, 6.0, 1)  # M/M/1 with rho = 0.6
    >>> round(m.mean_wait, 6)  # rho / (mu - lambda) = 0.6 / (1/6 - 0.1)
    9.0
    """
    if not (math.isfinite(arrival_rate) and arrival_rate > 0):
        raise ValueError(f"arrival_rate = {arrival_rate!r}: expected a number > 0")
    if not (math.isfinite(mean_service) and mean_service > 0):
        raise ValueError(f"mean_service = {mean_service!r}: expected a number > 0")
    a = arrival_rate * mean_service
    p_wait = erlang_c(servers, a)
    wq = p_wait * mean_service / (servers - a)
    w = wq + mean_service
    return MMcMetrics(
        arrival_rate=arrival_rate,
        mean_service=mean_service,
        servers=int(servers),
        utilization=a / servers,
        p_wait=p_wait,
        mean_wait=wq,
        mean_sojourn=w,
        mean_queue=arrival_rate * wq,
        mean_in_system=arrival_rate * w,
    )


def round_the_clock(start: date, n_days: int) -> CalendarSpec:
    """A calendar on which every day is a working day, open ``00:00-24:00`` (no lunch, no
    evening close): the setting in which queueing formulas apply to the hall."""
    if n_days < 1:
        raise ValueError(f"n_days = {n_days}: expected a whole number >= 1")
    days = (start + timedelta(days=k) for k in range(n_days))
    weekends = tuple(d for d in days if d.weekday() >= 5)
    return CalendarSpec(
        start=start, holidays="custom", extra_workdays=weekends, opening=((0, 1440),)
    )


def tandem_scenario(
    arrival_rate: float,
    stations: Sequence[tuple[int, float]],
    *,
    n_days: int,
    start: date = DEFAULT_START,
) -> Scenario:
    """A Jackson tandem: window, then exponential back-office stations, open 24 hours.

    Parameters
    ----------
    arrival_rate : float
        Poisson arrivals per minute (> 0).
    stations : sequence of (servers, mean_service_min)
        The window first, then each back-office pool in the order a file visits them.
    n_days : int
        Calendar days the calendar must cover (arrivals plus drain), >= 1.
    start : datetime.date
        First day.

    Returns
    -------
    Scenario
        With one department ``D`` (pools ``s0``, ``s1``...) and one item ``I``: on-site when
        there is only the window, a commitment item otherwise.

    Raises
    ------
    ValueError
        Non-positive rates or means, fewer than one server, ``n_days < 1`` or no station.
    """
    if not (math.isfinite(arrival_rate) and arrival_rate > 0):
        raise ValueError(f"arrival_rate = {arrival_rate!r}: expected a number > 0")
    if not stations:
        raise ValueError("stations: expected at least the window (servers, mean_service)")
    for servers, mean in stations:
        if not (math.isfinite(mean) and mean > 0):
            raise ValueError(f"mean_service = {mean!r}: expected a number > 0")
        _check_load(servers, 0.0)
    (windows, window_mean), *pools = stations
    dept = Department(
        id="D",
        name="M/M/c window",
        windows=int(windows),
        back_office="hall",
        pools=tuple(Pool(f"s{k}", int(c), in_hall=True) for k, (c, _) in enumerate(pools)),
    )
    route = tuple(
        WorkStep(f"step{k}", "D", f"s{k}", Exponential(mean=m)) for k, (_, m) in enumerate(pools)
    )
    item = Item(
        id="I",
        name="M/M/c item",
        department="D",
        kind="commitment" if route else "onsite",
        demand=Demand(daily_volume=arrival_rate * MINUTES_PER_DAY),
        window_service=Exponential(mean=window_mean),
        committed_days=30 if route else 0,
        route=route,
    )
    name = f"M/M/{windows}" if not route else f"Jackson tandem of {len(stations)} stations"
    return Scenario(
        name=name,
        calendar=round_the_clock(start, n_days),
        departments=(dept,),
        items=(item,),
        description="24-hour single-department hall: M/M/c stations (simhall.queueing)",
        synthetic=True,
    )


def mmc_scenario(
    arrival_rate: float,
    mean_service: float,
    servers: int,
    *,
    n_days: int,
    start: date = DEFAULT_START,
) -> Scenario:
    """A hall that is an M/M/c queue: one department open 24 hours on every day.

    The calendar has no holidays, every weekend day is a working day and the opening hours
    are ``00:00-24:00`` (no lunch break, no evening close); the one on-site item has Poisson
    arrivals at ``arrival_rate`` per minute (flat weekday and intraday profiles), exponential
    window service and no incomplete applications. See :func:`tandem_scenario`.

    Raises
    ------
    ValueError
        Non-positive rates, ``servers < 1`` or ``n_days < 1``.
    """
    return tandem_scenario(arrival_rate, [(servers, mean_service)], n_days=n_days, start=start)


def mmc_validation(
    configs: Iterable[Sequence[float]] = DEFAULT_CONFIGS,
    *,
    days: int = 20,
    warmup_days: int = 2,
    reps: int = 3,
    seed: int = 0,
    digits: int | None = None,
) -> pd.DataFrame:
    """Erlang C against simhall's simulated M/M/c waits, with a Little's-law check.

    For each configuration the hall of :func:`mmc_scenario` is simulated by simhall's own
    model (:func:`simhall.experiment.simulate_replication`); per replication the mean window
    wait (ticket to call) of the applicants accepted after the warm-up, the share of them
    who waited, the time-average queue length and the observed arrival rate are measured.

    Parameters
    ----------
    configs : iterable of (windows, mean_service_min, utilization)
        Configurations; the arrival rate is ``utilization * windows / mean_service_min``
        per minute. Default :data:`DEFAULT_CONFIGS`.
    days : int, default 20
        Days with arrivals (24 hours each), including the warm-up.
    warmup_days : int, default 2
        Days left out at the start (the queue starts empty).
    reps : int, default 3
        Replications (2 or more for confidence intervals).
    seed : int, default 0
        Master seed.
    digits : int, optional
        Round the float columns to this many decimals (default: full precision).

    Returns
    -------
    pandas.DataFrame
        One row per configuration: ``windows``, ``mean_service_min``, ``rho``,
        ``p_wait_theory``, ``p_wait_sim``, ``wait_theory_min`` (Erlang C ``Wq``),
        ``wait_sim_min`` with its 95% t-interval ``wait_ci_low``, ``wait_ci_high`` over
        replications (:func:`simhall.reporting.metrics.confidence_interval`),
        ``rel_error`` (``|sim - theory| / theory``), ``within_ci`` (theory inside the
        interval), ``queue_theory`` (``Lq``), ``queue_sim`` (time-average queue length
        measured by the model), ``little_ratio`` (``queue_sim`` over the measured arrival
        rate times ``wait_sim_min``, 1 when Little's law holds) and ``cases`` (per
        replication, after the warm-up).

    Raises
    ------
    ValueError
        Bad configurations (unstable, non-positive) or run settings.
    """
    from simhall.experiment import Settings, simulate_replication

    if days < 1 or not 0 <= warmup_days < days:
        raise ValueError(
            f"days = {days}, warmup_days = {warmup_days}: expected 0 <= warmup_days < days"
        )
    if reps < 1:
        raise ValueError(f"reps = {reps}: expected a whole number >= 1")
    if seed < 0:
        raise ValueError(f"seed = {seed}: expected a whole number >= 0")
    drain = 2
    settings = Settings(DEFAULT_START, days, warmup_days, drain, reps, seed, 0.95)
    observed_min = (days - warmup_days) * MINUTES_PER_DAY
    rows = []
    for config in configs:
        if len(config) != 3:
            raise ValueError(
                f"configuration {tuple(config)!r}: expected (windows, mean_service_min, "
                "utilization)"
            )
        c_raw, mean_service, rho = config
        if float(c_raw) != int(c_raw):
            raise ValueError(f"windows = {c_raw!r}: expected a whole number >= 1")
        c = int(c_raw)
        if not 0 < rho < 1:
            raise ValueError(f"utilization = {rho!r}: expected a number in (0, 1)")
        lam = rho * c / mean_service
        theory = mmc_metrics(lam, float(mean_service), c)
        scenario = mmc_scenario(lam, float(mean_service), c, n_days=days + drain)
        waits, waited, queues, ratios, counts = [], [], [], [], []
        for rep in range(reps):
            r = simulate_replication(scenario, settings, rep)
            ev = r.events[r.events["activity"].astype("str") == ACCEPT]
            wait = (ev["start"] - ev["ready"]).dt.total_seconds().to_numpy() / 60.0
            window = r.stations[r.stations["station"] == "window"].iloc[0]
            mean_wait = float(wait.mean())
            rate = wait.size / observed_min
            waits.append(mean_wait)
            waited.append(float(np.mean(wait > 1e-9)))
            queues.append(float(window["mean_queue"]))
            ratios.append(
                float(window["mean_queue"]) / (rate * mean_wait) if mean_wait > 0 else math.nan
            )
            counts.append(wait.size)
        w_mean, w_lo, w_hi = confidence_interval(np.asarray(waits))
        rows.append(
            {
                "windows": c,
                "mean_service_min": float(mean_service),
                "rho": float(rho),
                "p_wait_theory": theory.p_wait,
                "p_wait_sim": float(np.mean(waited)),
                "wait_theory_min": theory.mean_wait,
                "wait_sim_min": w_mean,
                "wait_ci_low": w_lo,
                "wait_ci_high": w_hi,
                "rel_error": abs(w_mean - theory.mean_wait) / theory.mean_wait,
                "within_ci": bool(w_lo <= theory.mean_wait <= w_hi),
                "queue_theory": theory.mean_queue,
                "queue_sim": float(np.mean(queues)),
                "little_ratio": float(np.mean(ratios)),
                "cases": int(round(float(np.mean(counts)))),
            }
        )
    frame = pd.DataFrame(rows)
    if digits is not None and len(frame):
        floats = frame.select_dtypes("float").columns
        frame[floats] = frame[floats].round(digits)
    return frame
