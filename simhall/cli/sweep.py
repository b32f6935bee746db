"""``simhall sweep SCENARIO --grid GRID.toml``: many variants of a scenario, ranked."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from simhall.cli.options import (
    add_run_options,
    check_out_dir,
    nonneg_int,
    print_warnings,
    replaced_note,
    run_options,
)

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``sweep`` sub-command to ``simhall``'s parser."""
    p = sub.add_parser(
        "sweep", help="run the variants of a grid (windows, staff, demand, limits, reforms)"
    )
    p.add_argument("scenario", type=Path, help="base scenario (TOML)")
    p.add_argument("--grid", type=Path, required=True, help="grid file (TOML; docs/sweep.md)")
    add_run_options(p)
    p.add_argument("--out", type=Path, default=Path("results/sweep"), help="output folder")
    p.add_argument("--show", type=nonneg_int, default=10, help="best variants shown")
    p.set_defaults(func=_cmd_sweep)


def _cmd_sweep(args: argparse.Namespace) -> int:
    from simhall.errors import UsageError
    from simhall.executors import command_executor
    from simhall.scenario import load_scenario
    from simhall.sweep import read_grid, sweep

    check_out_dir(args.out)
    if not args.grid.is_file():
        raise UsageError(f"--grid {args.grid}: no such file; expected a grid file (TOML)")
    base = load_scenario(args.scenario)
    print_warnings(base.warnings)
    grid = read_grid(args.grid, base)
    print(f"sweep: {grid.size} variants of {args.scenario}; {grid.objective.text()}")
    options = run_options(args)
    with command_executor(args.workers, args.scheduler, local=True) as executor:
        if executor is not None:
            options["workers"] = 1
        result = sweep(base, grid, executor=executor, **options)
    note = replaced_note(args.out)
    out = result.write(args.out)
    print(render_best(result.best, result.frame, top=args.show))
    print(
        f"\nresults written to {out}/{note} (sweep.csv, best.csv, variants/*.toml, manifest.json)"
    )
    return 0


def render_best(best: pd.DataFrame, frame: pd.DataFrame, top: int = 10) -> str:
    """The best variants, or why there is none."""
    if not len(best):
        return (
            f"no variant of {len(frame)} meets the objective's targets; all figures are in "
            "sweep.csv"
        )
    skip = {"feasible"}
    cols = [c for c in best.columns if not c.endswith(("_ci_low", "_ci_high")) and c not in skip]
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        shown = best[cols].head(top).round(3).to_string(index=False)
    feasible = int(frame["feasible"].sum())
    return f"Best variants ({min(top, len(best))} of {feasible} feasible)\n{shown}"
