"""The queueing-theory start of sizing: offered loads and the Erlang C staffing rule.

A hall manager planning next year's counters starts from a back-of-the-envelope sum: how
many applicants take a ticket in the busiest hour of the busiest weekday, how long each
takes at the window, and how many counters keep the wait below the target if that hour
went on for ever (an M/M/c queue, Erlang's C formula). The same sum for a back-office
section uses the files of an average working day and their minutes of work. The answer is a
*start*: the hall's hour is not stationary, services are not exponential, files wait for
sign-off rounds; the simulation (:mod:`simhall.sizing.search`) refines it.

* :func:`window_loads` -- per department: the busiest hour's visit rate and mean service;
* :func:`pool_loads` -- per back-office pool: the daily work and the pool's open minutes;
* :func:`servers_for_wait` -- the fewest M/M/c servers meeting a mean or P90 wait;
* :func:`erlang_windows`, :func:`erlang_staff` -- the start of each department and pool.

Rates are per minute, times in minutes (working minutes for back-office work).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from simhall.model.arrivals import intraday_pieces
from simhall.queueing import erlang_c
from simhall.scenario.schema import (
    Item,
    ParallelStep,
    Scenario,
    Step,
    VisitStep,
    WorkStep,
)

__all__ = [
    "MAX_SERVERS",
    "WAIT_STATS",
    "busiest_hour",
    "erlang_staff",
    "erlang_windows",
    "mmc_wait",
    "pool_loads",
    "servers_for_wait",
    "weighted_steps",
    "window_loads",
]

WAIT_STATS: tuple[str, ...] = ("mean", "p90")
"""Window-wait statistics a target may be set on."""

MAX_SERVERS = 10_000
"""Search bound of :func:`servers_for_wait` (a hall never gets near it)."""

WORKING_WEEKDAYS = range(5)
"""Weekdays whose demand sets the busiest hour (a Saturday works only as a make-up day)."""


def mmc_wait(arrival_rate: float, mean_service: float, servers: int, stat: str) -> float:
    """Steady-state M/M/c wait in queue: its mean or its 90th percentile.

    The wait of an M/M/c queue is 0 with probability ``1 - C`` and otherwise exponential
    with rate ``c mu - lambda``, so ``P(Wq > t) = C exp(-(c mu - lambda) t)``: the mean is
    ``C / (c mu - lambda)`` and the P90 is ``ln(C / 0.1) / (c mu - lambda)`` (0 when
    ``C <= 0.1``).

    Parameters
    ----------
    arrival_rate, mean_service : float
        ``lambda`` (> 0) and ``1 / mu`` (> 0).
    servers : int
        ``c`` (>= 1).
    stat : {"mean", "p90"}

    Returns
    -------
    float
        The wait; ``inf`` for an unstable queue (``lambda / mu >= c``).

    Examples
    --------
    >>> round(mmc_wait(0.1, 6.0, 1, "mean"), 6)  # M/M/1, rho = 0.6: rho / (mu - lambda)
    9.0
    """
    if stat not in WAIT_STATS:
        raise ValueError(f"stat = {stat!r}: expected one of {', '.join(WAIT_STATS)}")
    offered = arrival_rate * mean_service
    if offered >= servers:
        return math.inf
    p_wait = erlang_c(servers, offered)
    drain = servers / mean_service - arrival_rate
    if stat == "mean":
        return p_wait / drain
    return max(0.0, math.log(p_wait / 0.1) / drain) if p_wait > 0.1 else 0.0


def servers_for_wait(
    arrival_rate: float, mean_service: float, target_min: float, stat: str = "mean"
) -> int:
    """The fewest servers whose steady-state M/M/c wait ``stat`` is at most ``target_min``.

    Returns 1 when nobody arrives. Raises ValueError for a negative target or when even
    :data:`MAX_SERVERS` servers do not meet it.

    Examples
    --------
    >>> servers_for_wait(0.5, 6.0, 1.0)  # a = 3 erlangs: 4 servers wait 3.1 min, 5 wait 0.7
    5
    """
    if not target_min >= 0:
        raise ValueError(f"target = {target_min!r}: expected minutes >= 0")
    if arrival_rate <= 0:
        return 1
    c = max(1, math.floor(arrival_rate * mean_service) + 1)
    while c <= MAX_SERVERS:
        if mmc_wait(arrival_rate, mean_service, c, stat) <= target_min:
            return c
        c += 1
    raise ValueError(
        f"no number of servers up to {MAX_SERVERS} meets a {stat} wait of {target_min} min"
    )


def weighted_steps(route: Sequence[Step], probability: float = 1.0) -> Iterator[tuple[Step, float]]:
    """Leaf steps of ``route`` with the probability that a case passes them.

    A step inside a parallel branch is passed with the parallel step's probability times
    its own.
    """
    for step in route:
        p = probability * step.probability
        if isinstance(step, ParallelStep):
            for branch in step.branches:
                yield from weighted_steps(branch, p)
        else:
            yield step, p


def _visits_per_ticket(item: Item) -> float:
    """Expected window visits per applicant: each visit finds the file incomplete with
    ``incomplete_prob`` and the applicant comes back (a geometric number of visits)."""
    return 1.0 / (1.0 - item.incomplete_prob) if item.incomplete_prob < 1 else math.inf


def busiest_hour(scenario: Scenario, department: str) -> tuple[int, int, float, float]:
    """The busiest clock hour of ``department``'s windows over the working weekdays.

    Window visits per minute in clock hour ``h`` of weekday ``w`` are summed over the
    department's items (daily volume x weekday factor x the intraday profile's share of
    that hour, x the visits per applicant of the correction returns) and the visits other
    items' routes make to its windows (``kind = "visit"`` steps, at the same intraday
    profile).

    Returns
    -------
    tuple
        ``(weekday, hour, visits_per_min, mean_service_min)``; a department nobody visits
        gives ``(0, 0, 0.0, nan)``.
    """
    rates = np.zeros((7, 24))
    minutes = np.zeros((7, 24))  # rate-weighted service minutes
    for item in scenario.items:
        contributions: list[tuple[float, float]] = []
        if item.department == department:
            contributions.append((_visits_per_ticket(item), item.window_service.mean))
        for step, p in weighted_steps(item.route):
            if isinstance(step, VisitStep) and step.department == department:
                contributions.append((p, step.service.mean))
        for weekday in WORKING_WEEKDAYS:
            tickets = item.demand.daily_volume * item.demand.weekday_factors[weekday]
            if not contributions or tickets <= 0:
                continue
            hourly = _hourly_shares(item, scenario.calendar.opening_on(weekday))
            for visits, service in contributions:
                rate = tickets * visits * hourly / 60.0
                rates[weekday] += rate
                minutes[weekday] += rate * service
    if not rates.any():
        return 0, 0, 0.0, math.nan
    peak_day, peak_hour = (int(k) for k in np.unravel_index(int(np.argmax(rates)), rates.shape))
    peak = float(rates[peak_day, peak_hour])
    return peak_day, peak_hour, peak, float(minutes[peak_day, peak_hour]) / peak


def _hourly_shares(item: Item, opening: tuple[tuple[int, int], ...]) -> np.ndarray:
    """Share of the item's tickets of a day falling in each clock hour 0..23."""
    pieces = intraday_pieces(item.demand.intraday, opening)
    shares = np.zeros(24)
    total = sum(w * (b - a) for a, b, w in pieces)
    if total <= 0:
        return shares
    for a, b, w in pieces:
        for hour in range(int(a // 60), int(math.ceil(b / 60))):
            lo, hi = max(a, 60.0 * hour), min(b, 60.0 * (hour + 1))
            if hi > lo:
                shares[hour] += w * (hi - lo) / total
    return shares


def window_loads(scenario: Scenario) -> pd.DataFrame:
    """The busiest hour of every department's windows (:func:`busiest_hour`).

    Returns
    -------
    pandas.DataFrame
        ``department, windows, peak_weekday, peak_hour, visits_per_min, mean_service_min,
        offered_erlangs``.
    """
    rows = []
    for dept in scenario.departments:
        weekday, hour, rate, service = busiest_hour(scenario, dept.id)
        rows.append(
            {
                "department": dept.id,
                "windows": dept.windows,
                "peak_weekday": weekday,
                "peak_hour": hour,
                "visits_per_min": rate,
                "mean_service_min": service,
                "offered_erlangs": rate * service if rate > 0 else 0.0,
            }
        )
    return pd.DataFrame(rows)


def _open_minutes(scenario: Scenario, hours: tuple[tuple[int, int], ...] | None) -> float:
    """Mean open minutes of a pool on a working weekday (its hours within the hall's)."""
    total = 0.0
    for weekday in WORKING_WEEKDAYS:
        for a, b in scenario.calendar.opening_on(weekday):
            if hours is None:
                total += b - a
            else:
                total += sum(max(0, min(b, hb) - max(a, ha)) for ha, hb in hours)
    return total / len(WORKING_WEEKDAYS)


def pool_loads(scenario: Scenario) -> pd.DataFrame:
    """The daily work of every back-office pool that some item's route uses.

    Files per working day are the items' daily volumes (mean working-weekday factor) times
    the probability that a case passes each work step of the pool; the work is their mean
    working minutes.

    Returns
    -------
    pandas.DataFrame
        ``department, pool, staff, files_per_day, work_min_per_day, open_min_per_day,
        offered_erlangs, mean_service_min`` (one row per pool used, in scenario order).
    """
    files: dict[tuple[str, str], float] = {}
    work: dict[tuple[str, str], float] = {}
    for item in scenario.items:
        volume = item.demand.daily_volume * float(
            np.mean([item.demand.weekday_factors[w] for w in WORKING_WEEKDAYS])
        )
        for step, p in weighted_steps(item.route):
            if isinstance(step, WorkStep):
                key = (step.department, step.pool)
                files[key] = files.get(key, 0.0) + volume * p
                work[key] = work.get(key, 0.0) + volume * p * step.duration.mean
    rows = []
    for dept in scenario.departments:
        for pool in dept.pools:
            key = (dept.id, pool.name)
            if key not in files:
                continue
            open_min = _open_minutes(scenario, pool.hours)
            rows.append(
                {
                    "department": dept.id,
                    "pool": pool.name,
                    "staff": pool.staff,
                    "files_per_day": files[key],
                    "work_min_per_day": work[key],
                    "open_min_per_day": open_min,
                    "offered_erlangs": work[key] / open_min if open_min > 0 else math.inf,
                    "mean_service_min": work[key] / files[key] if files[key] > 0 else math.nan,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "department",
            "pool",
            "staff",
            "files_per_day",
            "work_min_per_day",
            "open_min_per_day",
            "offered_erlangs",
            "mean_service_min",
        ],
    )


def erlang_windows(loads: pd.DataFrame, target_min: float, stat: str) -> dict[str, int]:
    """The Erlang C start per department: the fewest windows meeting the wait target in
    the busiest hour (:func:`servers_for_wait`)."""
    out = {}
    columns = ("department", "visits_per_min", "mean_service_min")
    for dept, rate, service in zip(*(loads[c].tolist() for c in columns), strict=True):
        mean = float(service) if rate > 0 else 1.0
        out[str(dept)] = servers_for_wait(float(rate), mean, target_min, stat)
    return out


def erlang_staff(loads: pd.DataFrame) -> dict[tuple[str, str], int]:
    """The Erlang C start per pool: the fewest staff whose P90 queueing delay on an
    average day is at most one working day of the pool's open minutes.

    Limits are counted in working days, so a pool that keeps one file in ten waiting more
    than a day eats into every limit; the simulation decides from there.
    """
    out = {}
    columns = ("department", "pool", "files_per_day", "open_min_per_day", "mean_service_min")
    for dept, pool, files, open_min, service in zip(
        *(loads[c].tolist() for c in columns), strict=True
    ):
        key = (str(dept), str(pool))
        if files <= 0 or not open_min > 0:
            out[key] = 1
        else:
            out[key] = servers_for_wait(files / open_min, float(service), open_min, "p90")
    return out
