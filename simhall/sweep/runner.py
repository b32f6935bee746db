"""Run every variant of a grid with common random numbers: :func:`sweep`.

The sweep is the planning office's afternoon of what-ifs done at once: every variant is
the same hall on the same days of applicants (one seed and the same replications for all,
streams named per item and purpose, :mod:`simhall.streams`), so that differences between
rows are the variants' doing and not luck. Each variant runs whole in one task (in this
process, a local worker process or a Dask worker), and only its row of figures travels
back; a variant's numbers are therefore the same whatever runs it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from simhall.budget import check_memory, expected_cases
from simhall.errors import UsageError
from simhall.experiment import Settings, resolve_settings, run
from simhall.io import atomic_write_csv, atomic_write_text, file_sha256, output_folder
from simhall.progress import progress
from simhall.reforms import apply_reforms
from simhall.scenario.schema import Scenario
from simhall.sweep import objective as obj
from simhall.sweep.grid import Grid, read_grid
from simhall.sweep.metrics import variant_metrics
from simhall.sweep.variants import (
    Variant,
    base_value,
    expand,
    load_variant,
    overlay_text,
    relative_extends,
)

__all__ = ["SweepResult", "run_variant", "sweep"]


def run_variant(
    scenario: Scenario, settings: Settings, memory_limit_gb: float | None = None
) -> dict[str, float]:
    """Run one variant (its reforms applied) in this process; its row of figures.

    A top-level function, so that process pools and Dask can send it to their workers.
    """
    result = run(
        scenario,
        start=settings.start,
        days=settings.days,
        warmup_days=settings.warmup_days,
        drain_days=settings.drain_days,
        reps=settings.replications,
        seed=settings.seed,
        service_level=settings.service_level,
        workers=1,
        show_progress=False,
        memory_limit_gb=memory_limit_gb,
    )
    return variant_metrics(result)


@dataclass
class SweepResult:
    """The variants of a sweep and their figures.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per variant: ``variant, name``, one column per parameter, the figures of
        :data:`simhall.sweep.metrics.METRICS` (with CI columns), ``cost`` when the objective
        has weights, ``feasible`` and ``rank`` (1 = best).
    best : pandas.DataFrame
        The best feasible variants under ``grid.objective``, best first.
    """

    base: Scenario
    grid: Grid
    settings: Settings
    variants: list[Variant]
    frame: pd.DataFrame
    best: pd.DataFrame

    def overlay(self, variant: Variant, folder: Path) -> str:
        """The overlay text of ``variant`` as written into ``folder``."""
        extends = relative_extends(self.base, folder)
        return overlay_text(variant, self.base, self.grid, self.settings, extends)

    def manifest(self) -> dict[str, object]:
        """How to reproduce the sweep: files and their hashes, settings, objective."""
        files = [self.base.source, self.grid.source]
        files += [f for f, _ in self.grid.reform_files.values()]
        inputs = {f: file_sha256(f) for f in files if f and Path(f).is_file()}
        return {
            "command": "sweep",
            "scenario": self.base.source,
            "grid": self.grid.source,
            "settings": dataclasses.asdict(self.settings),
            "variants": len(self.variants),
            "objective": self.grid.objective.text(),
            "inputs": inputs,
            "warnings": list(self.base.warnings),
        }

    def write(self, out_dir: str | os.PathLike[str]) -> Path:
        """Write ``sweep.csv``, ``best.csv``, ``variants/<id>.toml`` (each runs as is) and
        ``manifest.json`` into ``out_dir``, which appears whole or not at all."""
        target = Path(out_dir)
        with output_folder(target, self.manifest()) as folder:
            atomic_write_csv(self.frame, folder.path / "sweep.csv")
            atomic_write_csv(self.best, folder.path / "best.csv")
            for v in self.variants:
                text = self.overlay(v, target / "variants")
                atomic_write_text(text, folder.path / "variants" / f"{v.id}.toml")
        return folder.target


def _load_base(scenario: Scenario | str | os.PathLike[str]) -> Scenario:
    if not isinstance(scenario, Scenario):
        from simhall.scenario import load_scenario

        scenario = load_scenario(scenario)
    if not scenario.source or not Path(scenario.source).is_file():
        raise UsageError(
            f"scenario {scenario.source or scenario.name}: a sweep writes its variants as "
            "overlays that extend the scenario's file; expected a scenario loaded from a file"
        )
    return scenario


def _run_all(
    tasks: Sequence[tuple[Scenario, Settings, float | None]],
    variants: Sequence[Variant],
    executor: Executor | None,
    show_progress: bool | None,
) -> list[dict[str, float]]:
    """The rows of all tasks, in task order, computed here or on ``executor``; a variant
    that fails stops the sweep with its id and settings in the message."""

    def failed(i: int, exc: Exception) -> UsageError:
        v = variants[i]
        return UsageError(f"sweep variant {v.id} ({v.label()}): {exc}")

    if executor is None:
        rows = []
        bar = progress(range(len(tasks)), total=len(tasks), desc="variants", enabled=show_progress)
        for i in bar:
            try:
                rows.append(run_variant(*tasks[i]))
            except (UsageError, ValueError) as exc:
                raise failed(i, exc) from None
        return rows
    futures = [executor.submit(run_variant, *t) for t in tasks]
    index = {f: i for i, f in enumerate(futures)}
    try:
        done = as_completed(futures)
        for fut in progress(done, total=len(futures), desc="variants", enabled=show_progress):
            try:
                fut.result()  # the first failure stops the sweep
            except (UsageError, ValueError) as exc:
                raise failed(index[fut], exc) from None
        return [f.result() for f in futures]
    finally:
        for f in futures:
            f.cancel()


def _frame(
    base: Scenario, grid: Grid, variants: list[Variant], rows: list[dict[str, float]]
) -> pd.DataFrame:
    keys = list(dict.fromkeys(s.key for v in variants for s in v.settings))
    records = []
    for v, row in zip(variants, rows, strict=True):
        values = v.values()
        params = {k: values.get(k, base_value(base, k)) for k in keys}
        records.append({"variant": v.id, "name": v.name, **params, **row})
    return obj.rank(pd.DataFrame(records), grid.objective)


def sweep(
    scenario: Scenario | str | os.PathLike[str],
    grid: Grid | str | os.PathLike[str] | Mapping[str, Any],
    *,
    start: date | None = None,
    days: int | None = None,
    warmup_days: int | None = None,
    drain_days: int | None = None,
    reps: int | None = None,
    seed: int | None = None,
    service_level: float | None = None,
    workers: int = 1,
    executor: Executor | None = None,
    show_progress: bool | None = None,
    memory_limit_gb: float | None = None,
) -> SweepResult:
    """Run every variant of a grid with common random numbers and rank them.

    Parameters
    ----------
    scenario : Scenario or path
        The base scenario (loaded from a file: the variants extend it).
    grid : Grid, path or mapping
        The grid file (:func:`simhall.sweep.read_grid`), or a grid already read.
    start, days, warmup_days, drain_days, reps, seed, service_level
        Overrides of the scenario's calendar start and ``[run]`` defaults, the same for
        every variant; ``seed`` is the master seed of all of them (Mesa-style).
    workers : int
        Local worker processes (variants run in parallel; 1 = in this process).
    executor : concurrent.futures.Executor, optional
        Run the variants on this executor instead (a Dask client's executor).
    show_progress : bool, optional
        Progress bar of the variants; default only on a terminal, and not with
        ``SIMHALL_PROGRESS=0``.
    memory_limit_gb : float, optional
        The memory one variant's run may plan to use (:mod:`simhall.budget`).

    Returns
    -------
    SweepResult
        The same numbers for any ``workers`` or ``executor``.

    Raises
    ------
    ScenarioError
        For a bad grid file or a variant whose overlay does not load.
    UsageError
        For a scenario not loaded from a file, or a variant needing too much memory.
    """
    base = _load_base(scenario)
    if not isinstance(grid, Grid):
        grid = read_grid(grid, base)
    settings = resolve_settings(
        base,
        start=start,
        days=days,
        warmup_days=warmup_days,
        drain_days=drain_days,
        reps=reps,
        seed=seed,
        service_level=service_level,
    )
    variants = expand(grid)
    extends = str(Path(base.source).resolve())
    scenarios = [
        apply_reforms(load_variant(overlay_text(v, base, grid, settings, extends), v, base))
        for v in variants
    ]
    busiest = max(scenarios, key=lambda s: expected_cases(s, settings.days))
    limit = None if memory_limit_gb is None else memory_limit_gb * 1e9
    check_memory(busiest, settings.days, settings.replications, 1, limit)
    tasks = [(s, settings, memory_limit_gb) for s in scenarios]
    if executor is None and workers > 1:
        from simhall.executors import local_pool

        with local_pool(min(workers, len(tasks))) as pool:
            rows = _run_all(tasks, variants, pool, show_progress)
    else:
        rows = _run_all(tasks, variants, executor, show_progress)
    frame = _frame(base, grid, variants, rows)
    return SweepResult(base, grid, settings, variants, frame, obj.best(frame, grid.objective))
