"""Simulating staffing plans with common random numbers, each plan once.

Sizing tries many plans that differ by one window or one clerk. Like a trial in which every
candidate staffing faces the very same year of applicants, every plan runs with the same
seed and replications: the named streams of :mod:`simhall.streams` give each item the same
arrivals and service draws whatever the staffing, so the difference between two plans is the
staffing's, not the dice's. :class:`PlanRuns` runs a plan on first request, keeps only its
:class:`~simhall.sizing.measure.Measurement`, and records every run in a trace.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from simhall.executors import local_pool
from simhall.experiment import RunResult, run
from simhall.scenario.schema import Scenario
from simhall.sizing.measure import Measurement, measure
from simhall.sizing.plan import Plan

__all__ = ["PlanRuns", "Runner", "default_runner", "plan_runner", "stderr_log"]

Runner = Callable[[Scenario], RunResult]
"""Runs a scenario with fixed settings (the same seed for every plan)."""


def default_runner(**settings: Any) -> Runner:
    """A runner calling :func:`simhall.run` with ``settings`` (``days``, ``reps``,
    ``seed``, ...; no progress bar)."""
    settings = {**settings, "show_progress": False}

    def runner(scenario: Scenario) -> RunResult:
        return run(scenario, **settings)

    return runner


@contextmanager
def plan_runner(
    base: Scenario, runner: Runner | None, settings: dict[str, Any]
) -> Iterator[Runner]:
    """The runner of a sizing: ``runner`` if given, else :func:`default_runner` with
    ``settings``, whose ``workers`` (if more than one) start once for all the plans rather
    than once per plan."""
    workers = int(settings.get("workers", 1))
    if runner is not None:
        yield runner
    elif workers > 1 and settings.get("executor") is None:
        reps = settings.get("reps") or base.run.replications
        with local_pool(min(workers, reps)) as pool:
            yield default_runner(**settings, executor=pool)
    else:
        yield default_runner(**settings)


def stderr_log(line: str) -> None:
    """Print a progress line on stderr."""
    print(f"simhall size: {line}", file=sys.stderr, flush=True)


@dataclass
class PlanRuns:
    """Runs plans on ``base`` with ``runner``; each distinct plan once.

    Parameters
    ----------
    base : Scenario
        The hall with its reforms applied.
    runner : Runner
        Runs a scenario; the same settings (seed) for every plan.
    log : callable, optional
        Called with one line per simulated plan.
    """

    base: Scenario
    runner: Runner
    log: Callable[[str], None] | None = None
    _cache: dict[Plan, Measurement] = field(default_factory=dict)
    _trace: list[dict[str, object]] = field(default_factory=list)

    def __call__(self, plan: Plan, phase: str) -> Measurement:
        """The measurement of ``plan`` (simulated now unless seen before)."""
        found = self._cache.get(plan)
        if found is not None:
            return found
        found = measure(self.runner(plan.apply(self.base)))
        self._cache[plan] = found
        label = ", ".join(f"{u.label()} {n}" for u, n in plan.counts)
        self._trace.append({"run": len(self._trace) + 1, "phase": phase, "plan": label})
        if self.log is not None:
            self.log(f"run {len(self._trace)} ({phase}): {label}")
        return found

    @property
    def runs(self) -> int:
        """Plans simulated so far."""
        return len(self._trace)

    def trace(self) -> pd.DataFrame:
        """``run, phase, plan``: every simulated plan in order."""
        return pd.DataFrame(self._trace, columns=["run", "phase", "plan"])
