"""A minimal, idiomatic plain-SimPy model of an open tandem queueing network.

The yardstick for ``benchmarks/run.py`` (``per_case_vs_simpy``): what a competent modeller
would write by hand in SimPy for the same network simhall simulates, with nothing of
simhall's machinery (no calendars, no named streams, no frames). One ``simpy.Resource`` per
station, one process per customer, Poisson arrivals and exponential service times presampled
with numpy before the run. Each customer records ``(customer, station, ready, start, end)``
tuples into a list, the least a model must keep to report waiting times.

Usage::

    .venv/bin/python benchmarks/plain_simpy.py            # 60 days of the default tandem
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Generator, Sequence
from typing import Any

import numpy as np
import simpy


def simulate(
    lam_per_min: float,
    stations: Sequence[tuple[int, float]],
    horizon_min: float,
    seed: int = 1,
) -> tuple[int, list[tuple[int, int, float, float, float]]]:
    """Simulate arrivals in ``[0, horizon_min)`` and run until every customer has left.

    Parameters
    ----------
    lam_per_min : float
        Poisson arrival rate per minute at the first station.
    stations : sequence of (servers, mean service minutes)
        The tandem, in route order.
    horizon_min : float
        Arrivals stop at this time; the run continues until the system is empty.
    seed : int
        Seed of the numpy generator.

    Returns
    -------
    n_customers, records
        Number of customers and ``(customer, station, ready, start, end)`` per service.
    """
    rng = np.random.default_rng(seed)
    n = int(rng.poisson(lam_per_min * horizon_min))
    arrivals = np.sort(rng.uniform(0.0, horizon_min, n)).tolist()
    services = [rng.exponential(mean, n).tolist() for _, mean in stations]

    env = simpy.Environment()
    resources = [simpy.Resource(env, capacity=c) for c, _ in stations]
    records: list[tuple[int, int, float, float, float]] = []

    def customer(k: int) -> Generator[Any, Any, None]:
        for s, res in enumerate(resources):
            ready = env.now
            with res.request() as req:
                yield req
                start = env.now
                yield env.timeout(services[s][k])
            records.append((k, s, ready, start, env.now))

    def source() -> Generator[Any, Any, None]:
        for k, t in enumerate(arrivals):
            yield env.timeout(t - env.now)
            env.process(customer(k))

    env.process(source())
    env.run()
    return n, records


def main() -> None:
    """Time one run and print µs per customer and the mean wait per station."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=float, default=60.0)
    parser.add_argument("--lam", type=float, default=0.2, help="arrivals per minute")
    args = parser.parse_args()
    stations = [(2, 7.5), (3, 12.0), (1, 3.5)]
    t0 = time.perf_counter()
    n, records = simulate(args.lam, stations, args.days * 1440.0)
    wall = time.perf_counter() - t0
    rec = np.asarray(records)
    waits = [float((rec[rec[:, 1] == s, 3] - rec[rec[:, 1] == s, 2]).mean()) for s in range(3)]
    print(
        f"plain_simpy: {n:,} customers in {wall:.2f} s = {1e6 * wall / n:.1f} µs/customer; "
        f"mean waits {', '.join(f'{w:.2f}' for w in waits)} min"
    )


if __name__ == "__main__":
    main()
