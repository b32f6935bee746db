"""``simhall run SCENARIO``: simulate a hall and write its event log, case table and summary."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from simhall.cli.options import (
    add_run_options,
    check_out_dir,
    nonneg_int,
    print_warnings,
    replaced_note,
    run_options,
)

if TYPE_CHECKING:
    from simhall.experiment import RunResult

__all__ = ["register", "render_summary"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``run`` sub-command to ``simhall``'s parser."""
    p = sub.add_parser("run", help="simulate a scenario and summarize it")
    p.add_argument("scenario", type=Path, help="scenario file (TOML)")
    add_run_options(p)
    p.add_argument("--out", type=Path, default=Path("results/run"), help="output folder")
    p.add_argument("--show", type=nonneg_int, default=15, help="items shown in the table")
    p.set_defaults(func=_cmd_run)


def _cmd_run(args: argparse.Namespace) -> int:
    from simhall.executors import command_executor
    from simhall.experiment import run
    from simhall.scenario import load_scenario

    check_out_dir(args.out)
    scenario = load_scenario(args.scenario)
    print_warnings(scenario.warnings)
    with command_executor(args.workers, args.scheduler) as executor:
        result = run(scenario, **run_options(args), executor=executor)
    note = replaced_note(args.out)
    out = result.write(args.out)
    print(render_summary(result, top=args.show))
    print(
        f"\nresults written to {out}/{note} (log.parquet, cases.parquet, summary.csv, "
        "items.csv, departments.csv, hall.csv, settings.txt, manifest.json)"
    )
    return 0


def render_summary(result: RunResult, top: int = 15) -> str:
    """The terminal summary: hall-wide metrics, departments, and the items with most slack."""
    from simhall.reporting import tables

    with pd.option_context("display.width", 200, "display.max_columns", 20):
        parts = [
            "Hall (mean [95% CI] over replications)",
            tables.hall_table(result).to_string(),
            "",
            "Departments",
            tables.department_table(result).to_string(),
        ]
        unstable = tables.station_table(result, unstable_only=True)
        if len(unstable):
            parts += [
                "",
                f"UNSTABLE stations ({len(unstable)}): work arrives faster than they can do it "
                "or their queue grows over the run; the figures of the cases that finished "
                "understate the others (all stations in summary.csv)",
                unstable.to_string(),
            ]
        n_commit = int((result.items["kind"] == "commitment").sum())
        if n_commit and top:
            shown = tables.compression_table(result, top=top)
            parts += [
                "",
                f"Commitment items with the most room to cut the limit ({len(shown)} of "
                f"{n_commit}; all in items.csv)",
                shown.to_string(na_rep="-"),
            ]
        withheld = tables.withheld_items(result)
        if len(withheld):
            parts += [
                "",
                f"Recommended limit withheld for {len(withheld)} commitment items (no cut "
                "without support):",
                withheld.to_string(),
            ]
    return "\n".join(parts)
