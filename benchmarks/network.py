"""The issue-10 benchmark network, as a simhall scenario, in plain SimPy and in Ciw.

Poisson arrivals at 3 per minute join a row of 5 windows (exponential service, mean 1.5
min); with probability 0.6 the case then goes to a back-office pool of 3 (mean 1.4 min) and
on to a single sign-off server (mean 0.45 min), else it leaves. Open 24 hours on every day,
FIFO. As a Jackson network its mean waits are known exactly (:data:`JACKSON_WAITS_MIN`).

In simhall the branch is two items of the one department sharing its windows: an on-site
item with 40% of the demand and a commitment item (60%) whose route is the back office and
the sign-off (a Poisson stream split at random is two independent Poisson streams).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Generator
from typing import Any

import numpy as np

LAM_PER_MIN = 3.0
WINDOWS = (5, 1.5)  # servers, mean service minutes
BACK_OFFICE = (3, 1.4)
SIGN_OFF = (1, 0.45)
P_BACK = 0.6
START = dt.date(2007, 3, 5)


def _erlang_c_wait(lam: float, mean: float, c: int) -> float:
    a = lam * mean
    terms = sum(a**k / math.factorial(k) for k in range(c))
    top = a**c / math.factorial(c) / (1 - a / c)
    return top / (terms + top) * mean / (c - a)


JACKSON_WAITS_MIN = (
    _erlang_c_wait(LAM_PER_MIN, WINDOWS[1], WINDOWS[0]),
    _erlang_c_wait(LAM_PER_MIN * P_BACK, BACK_OFFICE[1], BACK_OFFICE[0]),
    _erlang_c_wait(LAM_PER_MIN * P_BACK, SIGN_OFF[1], SIGN_OFF[0]),
)
"""Mean waits (minutes) at the windows, the back office and the sign-off: 2.29, 2.08, 1.92."""


def scenario(days: float, drain_days: int = 1) -> Any:
    """The network as a simhall scenario with arrivals over ``days`` days (24 h a day)."""
    from simhall.distributions import Exponential
    from simhall.queueing import round_the_clock
    from simhall.scenario.schema import Demand, Department, Item, Pool, Scenario, WorkStep

    dept = Department(
        id="D",
        name="window row",
        windows=WINDOWS[0],
        back_office="hall",
        pools=(Pool("back", BACK_OFFICE[0], in_hall=True), Pool("sign", SIGN_OFF[0], in_hall=True)),
    )
    per_day = LAM_PER_MIN * 1440.0
    service = Exponential(mean=WINDOWS[1])
    leave = Item(
        id="A",
        name="window only",
        department="D",
        kind="onsite",
        demand=Demand(daily_volume=per_day * (1 - P_BACK)),
        window_service=service,
        committed_days=0,
    )
    route = (
        WorkStep("back", "D", "back", Exponential(mean=BACK_OFFICE[1])),
        WorkStep("sign", "D", "sign", Exponential(mean=SIGN_OFF[1])),
    )
    on = Item(
        id="B",
        name="back office and sign-off",
        department="D",
        kind="commitment",
        demand=Demand(daily_volume=per_day * P_BACK),
        window_service=service,
        committed_days=30,
        route=route,
    )
    n_days = int(math.ceil(days)) + drain_days
    return Scenario(
        name="issue-10 network",
        calendar=round_the_clock(START, n_days),
        departments=(dept,),
        items=(leave, on),
        description="issue 10 benchmark network (benchmarks/network.py)",
        synthetic=True,
    )


def plain_simpy(horizon_min: float, seed: int = 1) -> tuple[int, list[float]]:
    """The idiomatic SimPy model: a process per customer, a ``simpy.Resource`` per station,
    ``with`` requests, ``random.expovariate``; returns customers and mean waits."""
    import random

    import simpy

    rnd = random.Random(seed)
    env = simpy.Environment()
    stations = [simpy.Resource(env, capacity=c) for c, _ in (WINDOWS, BACK_OFFICE, SIGN_OFF)]
    rates = [1.0 / m for _, m in (WINDOWS, BACK_OFFICE, SIGN_OFF)]
    wait_sum = [0.0, 0.0, 0.0]
    wait_n = [0, 0, 0]
    count = [0]

    def visit(k: int) -> Generator[Any, Any, None]:
        t = env.now
        with stations[k].request() as req:
            yield req
            wait_sum[k] += env.now - t
            wait_n[k] += 1
            yield env.timeout(rnd.expovariate(rates[k]))

    def customer() -> Generator[Any, Any, None]:
        yield from visit(0)
        if rnd.random() < P_BACK:
            yield from visit(1)
            yield from visit(2)

    def source() -> Generator[Any, Any, None]:
        while True:
            yield env.timeout(rnd.expovariate(LAM_PER_MIN))
            if env.now >= horizon_min:
                return
            count[0] += 1
            env.process(customer())

    env.process(source())
    env.run()
    return count[0], [s / max(n, 1) for s, n in zip(wait_sum, wait_n, strict=True)]


def ciw_run(horizon_min: float, seed: int = 1) -> tuple[int, list[float]]:
    """The network in Ciw (if installed): customers and mean waits per node."""
    import ciw

    ciw.seed(seed)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(LAM_PER_MIN), None, None],
        service_distributions=[
            ciw.dists.Exponential(1.0 / m) for _, m in (WINDOWS, BACK_OFFICE, SIGN_OFF)
        ],
        routing=[[0.0, P_BACK, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]],
        number_of_servers=[WINDOWS[0], BACK_OFFICE[0], SIGN_OFF[0]],
    )
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(horizon_min)
    recs = sim.get_all_records()
    n = sim.nodes[0].number_of_individuals
    waits = [float(np.mean([r.waiting_time for r in recs if r.node == k])) for k in (1, 2, 3)]
    return n, waits


def toml(days: int, drain_days: int = 1) -> str:
    """The network as a scenario file (for the ``simhall run`` command), equal to
    :func:`scenario`: every day a working day, open 00:00-24:00."""
    n_days = days + drain_days
    weekends = [
        START + dt.timedelta(days=k)
        for k in range(n_days)
        if (START + dt.timedelta(days=k)).weekday() >= 5
    ]
    per_day = LAM_PER_MIN * 1440.0
    return f"""# The issue-10 benchmark network (benchmarks/network.py): \
Poisson {LAM_PER_MIN}/min ->
# {WINDOWS[0]} windows (exp. mean {WINDOWS[1]}) -> p = {P_BACK}: back office of {BACK_OFFICE[0]}
# (mean {BACK_OFFICE[1]}) -> one sign-off server (mean {SIGN_OFF[1]}), else leave; 24 h a day.
[scenario]
name = "issue-10 network"
description = "issue 10 benchmark network (benchmarks/network.py)"
synthetic = true

[calendar]
start = {START.isoformat()}
holidays = "custom"
extra_workdays = [{", ".join(d.isoformat() for d in weekends)}]
opening = [["00:00", "24:00"]]

[run]
days = {days}
warmup_days = 0
drain_days = {drain_days}
replications = 1
seed = 1

[[departments]]
id = "D"
name = "window row"
windows = {WINDOWS[0]}
back_office = "hall"
pools = {{ back = {{ staff = {BACK_OFFICE[0]}, in_hall = true }}, \
sign = {{ staff = {SIGN_OFF[0]}, in_hall = true }} }}

[[items]]
id = "A"
name = "window only"
department = "D"
kind = "onsite"
committed_days = 0
daily_demand = {per_day * (1 - P_BACK)!r}
window_service = {{ dist = "exponential", mean_min = {WINDOWS[1]} }}

[[items]]
id = "B"
name = "back office and sign-off"
department = "D"
kind = "commitment"
committed_days = 30
daily_demand = {per_day * P_BACK!r}
window_service = {{ dist = "exponential", mean_min = {WINDOWS[1]} }}
route = [
  {{ step = "back", kind = "work", pool = "back", \
duration = {{ dist = "exponential", mean_min = {BACK_OFFICE[1]} }} }},
  {{ step = "sign", kind = "work", pool = "sign", \
duration = {{ dist = "exponential", mean_min = {SIGN_OFF[1]} }} }},
]
"""
