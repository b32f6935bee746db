"""What a run will cost before it starts: expected cases and memory.

Like a hall manager who counts the tickets expected tomorrow before opening the doors, a
run estimates from the scenario's demand how many applications its simulated days bring,
and from that the memory it will need, and stops before starting (exit status 2, with the
estimate) when that exceeds what the machine has. ``daily_demand = 1e9`` then ends with a
message instead of a machine that swaps until the kernel kills it.

The constants are measured (benchmarks/RESULTS.md): the Huainan hall-year, 247,000 cases
per replication, peaks at about 630 MB, i.e. some 2.5 kB per case while a replication is
simulated, of which about 0.6 kB stays in the frames the parent process keeps.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from simhall.errors import UsageError
from simhall.scenario.schema import Scenario

__all__ = [
    "BASE_BYTES",
    "BYTES_PER_CASE_SIMULATED",
    "BYTES_PER_CASE_KEPT",
    "MemoryEstimate",
    "available_memory_bytes",
    "check_memory",
    "estimate_memory",
]

BASE_BYTES = 250 * 2**20
"""Memory of the interpreter with simhall, numpy, pandas and SimPy imported."""

BYTES_PER_CASE_SIMULATED = 2_500
"""Memory per case of a replication while it is simulated (records, frames, summaries)."""

BYTES_PER_CASE_KEPT = 600
"""Memory per case of the frames a run keeps for every replication."""

USABLE_SHARE = 0.8
"""Share of the available memory a run may plan to use."""


@dataclass(frozen=True)
class MemoryEstimate:
    """The expected size of a run."""

    cases_per_replication: float
    replications: int
    concurrent: int
    bytes: float

    def text(self) -> str:
        """``"about 4.5e+09 cases per replication x 3 replications: about 31.0 GB"``."""
        return (
            f"about {self.cases_per_replication:.3g} cases per replication x "
            f"{self.replications} replication(s), {self.concurrent} at a time: about "
            f"{self.bytes / 1e9:.1f} GB"
        )


def expected_cases(scenario: Scenario, days: int) -> float:
    """Expected applications in ``days`` calendar days (an upper bound: every day counted
    as a working day at the busiest weekday factor)."""
    per_day = sum(i.demand.daily_volume * max(i.demand.weekday_factors) for i in scenario.items)
    return per_day * days


def estimate_memory(scenario: Scenario, days: int, reps: int, workers: int) -> MemoryEstimate:
    """The memory a run of ``reps`` replications of ``days`` days on ``workers`` needs."""
    cases = expected_cases(scenario, days)
    concurrent = max(1, min(workers, reps))
    total = (
        BASE_BYTES * concurrent
        + cases * BYTES_PER_CASE_SIMULATED * concurrent
        + cases * BYTES_PER_CASE_KEPT * reps
    )
    return MemoryEstimate(cases, reps, concurrent, total)


def available_memory_bytes() -> int | None:
    """Memory available to a new process (Linux ``MemAvailable``; else physical memory)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, OSError, ValueError):
        return None


def check_memory(
    scenario: Scenario,
    days: int,
    reps: int,
    workers: int,
    limit_bytes: float | None = None,
) -> MemoryEstimate:
    """Stop a run that would need more memory than ``limit_bytes``.

    Parameters
    ----------
    scenario : Scenario
    days, reps, workers : int
        Calendar days with arrivals, replications and worker processes.
    limit_bytes : float, optional
        The bound; default 80% of the memory available now (``--memory-limit-gb`` on the
        command line raises it for big machines).

    Raises
    ------
    UsageError
        With the estimate and how to proceed.
    """
    estimate = estimate_memory(scenario, days, reps, workers)
    if limit_bytes is None:
        available = available_memory_bytes()
        if available is None:
            return estimate
        limit_bytes = USABLE_SHARE * available
    if estimate.bytes > limit_bytes:
        raise UsageError(
            f"this run would need {estimate.text()}, more than the {limit_bytes / 1e9:.1f} GB "
            "it may use; check the demand (daily_demand) and --days, run fewer --reps or "
            "--workers, or raise the bound with --memory-limit-gb (Python: memory_limit_gb=)"
        )
    return estimate
