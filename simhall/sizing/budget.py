"""The budget question: given N more people for the hall, where do they help most?

A director who is granted N new posts hands them out one at a time, each to the window row or
back-office section where one more person cuts the most: the summed committed limits the
hall could promise (the shortest limit meeting the service level, summed over commitment
items) or the applicants' window waits. This is greedy marginal analysis, as
``compare --rank-budget`` does for chief representatives: at each step every candidate
(one more window in a department, one more clerk in a pool) is simulated with common random
numbers against the current plan, the gain is paired per replication (mean and 95% CI),
and the best one is kept. Ties of the main objective (summed limits move in whole days) are
broken by a second one (case-days, or summed limits for the wait objective).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simhall.io import atomic_write_csv, atomic_write_text, file_sha256, output_folder
from simhall.reporting.metrics import confidence_interval
from simhall.scenario.schema import Scenario
from simhall.sizing.measure import Measurement
from simhall.sizing.plan import Plan, overlay_toml, run_settings
from simhall.sizing.runs import PlanRuns, Runner, plan_runner
from simhall.sizing.search import base_scenario, check_departments, sizing_units

__all__ = ["OBJECTIVES", "BudgetResult", "allocate_budget"]

Objective = Callable[[Measurement], np.ndarray]

OBJECTIVES: dict[str, tuple[tuple[str, Objective], tuple[str, Objective]]] = {
    "limits": (("limit_sum_days", Measurement.limit_sum), ("case_days", Measurement.case_days)),
    "waits": (
        ("hall_mean_wait_min", Measurement.hall_wait),
        ("limit_sum_days", Measurement.limit_sum),
    ),
}
"""Per objective: the figure to cut and the tie-breaker, each a per-replication function
(lower is better)."""


@dataclass(frozen=True)
class BudgetResult:
    """The greedy allocation of extra people.

    Attributes
    ----------
    steps : pandas.DataFrame
        One row per person given: ``step, unit, department, pool, count_before,
        count_after, figure, before, after, gain, gain_ci_low, gain_ci_high,
        tie_breaker_gain``.
    candidates : pandas.DataFrame
        Every candidate of every step with its paired gain.
    start, final : Plan
        The scenario's counts and the counts after the allocation.
    """

    scenario: Scenario
    objective: str
    budget: int
    steps: pd.DataFrame
    candidates: pd.DataFrame
    start: Plan
    final: Plan
    trace: pd.DataFrame
    notes: tuple[str, ...] = ()
    settings: Mapping[str, object] = field(default_factory=dict)

    def overlay(self, out_dir: str | os.PathLike[str]) -> str:
        """``sizing.toml``: the scenario with the extra people placed."""
        return overlay_toml(
            self.final,
            self.scenario,
            out_dir,
            name=f"{self.scenario.name}: +{len(self.steps)} staff ({self.objective})",
            header=[
                f"Written by simhall size --budget {self.budget} --objective {self.objective}:",
                "extra windows and staff placed one at a time where they cut most (budget.csv).",
                "Run it as is: simhall run sizing.toml",
            ],
            settings=run_settings(self.scenario, self.settings),
        )

    def manifest(self) -> dict[str, object]:
        """How to reproduce the folder."""
        source = Path(self.scenario.source) if self.scenario.source else None
        inputs = {str(source): file_sha256(source)} if source and source.is_file() else {}
        return {
            "command": "size --budget",
            "scenario": self.scenario.source or self.scenario.name,
            "settings": {"budget": self.budget, "objective": self.objective, **self.settings},
            "inputs": inputs,
            "warnings": [*self.scenario.warnings, *self.notes],
        }

    def write(self, out_dir: str | os.PathLike[str]) -> Path:
        """Write ``budget.csv``, ``candidates.csv``, ``trace.csv``, ``sizing.toml`` (when
        the scenario has a file) and ``manifest.json``; returns the folder."""
        with output_folder(out_dir, self.manifest()) as folder:
            atomic_write_csv(self.steps, folder.path / "budget.csv")
            atomic_write_csv(self.candidates, folder.path / "candidates.csv")
            atomic_write_csv(self.trace, folder.path / "trace.csv")
            if self.scenario.source and Path(self.scenario.source).is_file():
                atomic_write_text(self.overlay(folder.target), folder.path / "sizing.toml")
        return folder.target


def _gain(before: Measurement, after: Measurement, fn: Objective) -> tuple[float, float, float]:
    """Paired gain ``fn(before) - fn(after)`` over replications: mean and 95% CI (not
    clipped: a candidate may make things worse)."""
    return confidence_interval(fn(before) - fn(after))


def allocate_budget(
    scenario: Scenario | str,
    budget: int,
    *,
    objective: str = "limits",
    departments: Sequence[str] | None = None,
    runner: Runner | None = None,
    log: Callable[[str], None] | None = None,
    **settings: Any,
) -> BudgetResult:
    """Give ``budget`` extra windows or staff, one at a time, where they cut most.

    Parameters
    ----------
    scenario : Scenario or path
        The hall; its reforms are applied first.
    budget : int
        People to place (>= 1).
    objective : {"limits", "waits"}
        Cut the summed shortest limits at the service level, or the hall's mean window wait.
    departments : sequence of str, optional
        Departments whose windows and pools are candidates (default all).
    runner, log, **settings
        As for :func:`simhall.sizing.size`.

    Returns
    -------
    BudgetResult
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective = {objective!r}: expected one of {', '.join(OBJECTIVES)}")
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 1:
        raise ValueError(f"budget = {budget!r}: expected a whole number >= 1")
    base = base_scenario(scenario)
    units = sizing_units(base, check_departments(base, departments))
    if runner is None:  # simhall.run with the settings, its workers started once
        with plan_runner(base, None, settings) as default:
            return allocate_budget(
                scenario,
                budget,
                objective=objective,
                departments=departments,
                runner=default,
                log=log,
                **settings,
            )
    runs = PlanRuns(base, runner, log)
    (name, main), (_, tie) = OBJECTIVES[objective]
    plan = start = Plan.current(base, units)
    steps, candidates, notes = [], [], []
    for step in range(1, budget + 1):
        now = runs(plan, f"step {step}")
        scored = []
        for unit in units:
            after = runs(plan.with_count(unit, plan.get(unit) + 1), f"step {step} candidates")
            gain, tie_gain = _gain(now, after, main), _gain(now, after, tie)
            scored.append((unit, gain, tie_gain, after))
            candidates.append(
                {
                    "step": step,
                    "unit": unit.kind,
                    "department": unit.department,
                    "pool": unit.pool,
                    "gain": gain[0],
                    "gain_ci_low": gain[1],
                    "gain_ci_high": gain[2],
                    "tie_breaker_gain": tie_gain[0],
                }
            )
        best = max(
            scored,
            key=lambda s: (
                np.nan_to_num(s[1][0], nan=-np.inf),
                np.nan_to_num(s[2][0], nan=-np.inf),
            ),
        )
        unit, gain, tie_gain, after = best
        if not (gain[0] > 0 or tie_gain[0] > 0):
            notes.append(
                f"no candidate improves {name} after step {step - 1}: "
                f"{budget - step + 1} of {budget} people left unplaced"
            )
            break
        steps.append(
            {
                "step": step,
                "unit": unit.kind,
                "department": unit.department,
                "pool": unit.pool,
                "count_before": plan.get(unit),
                "count_after": plan.get(unit) + 1,
                "figure": name,
                "before": float(np.nanmean(main(now))),
                "after": float(np.nanmean(main(after))),
                "gain": gain[0],
                "gain_ci_low": gain[1],
                "gain_ci_high": gain[2],
                "tie_breaker_gain": tie_gain[0],
            }
        )
        plan = plan.with_count(unit, plan.get(unit) + 1)
    return BudgetResult(
        scenario=base,
        objective=objective,
        budget=budget,
        steps=pd.DataFrame(steps, columns=_STEP_COLUMNS),
        candidates=pd.DataFrame(candidates),
        start=start,
        final=plan,
        trace=runs.trace(),
        notes=tuple(notes),
        settings={k: v for k, v in settings.items() if v is not None},
    )


_STEP_COLUMNS = [
    "step",
    "unit",
    "department",
    "pool",
    "count_before",
    "count_after",
    "figure",
    "before",
    "after",
    "gain",
    "gain_ci_low",
    "gain_ci_high",
    "tie_breaker_gain",
]
