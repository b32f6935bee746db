"""``simhall size SCENARIO``: the fewest windows and staff meeting a wait target and the
committed limits, or (``--budget N``) where N extra people help most."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from simhall.cli.options import (
    add_run_options,
    check_out_dir,
    positive_int,
    print_warnings,
    replaced_note,
    run_options,
)
from simhall.errors import UsageError

if TYPE_CHECKING:
    from simhall.scenario.schema import Scenario
    from simhall.sizing.runs import Runner

__all__ = ["register"]


def _minutes(text: str) -> float:
    """argparse type: minutes >= 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected minutes >= 0") from None
    if not (value >= 0 and value != float("inf")):
        raise argparse.ArgumentTypeError(f"{text!r}: expected minutes >= 0")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``size`` sub-command to ``simhall``'s parser."""
    from simhall.sizing.budget import OBJECTIVES

    p = sub.add_parser(
        "size",
        help="the fewest windows and staff meeting a wait target and the limits",
        description="Size a hall: start from Erlang C on each department's busiest hour, "
        "refine by simulation with common random numbers, and check that one fewer window "
        "or clerk breaks a target (docs/sizing.md). With --budget N: place N extra people "
        "one at a time where they cut the summed limits (or the waits) most.",
    )
    p.add_argument("scenario", type=Path, help="scenario file (TOML)")
    p.add_argument("--wait-target-min", type=_minutes, help="longest acceptable window wait")
    p.add_argument("--wait-stat", choices=("mean", "p90"), default="mean", help="wait statistic")
    p.add_argument("--departments", nargs="+", metavar="DEPT", help="departments to size")
    p.add_argument("--budget", type=positive_int, metavar="N", help="extra people to place")
    p.add_argument(
        "--objective",
        choices=tuple(OBJECTIVES),
        default="limits",
        help="what the budget should cut (default: the summed limits)",
    )
    add_run_options(p)
    p.add_argument("--out", type=Path, default=Path("results/size"), help="output folder")
    p.set_defaults(func=_cmd_size)


def _cmd_size(args: argparse.Namespace) -> int:
    from simhall.scenario import load_scenario

    if args.budget is None and args.wait_target_min is None:
        raise UsageError("size needs --wait-target-min MINUTES (or --budget N)")
    if args.budget is not None and args.wait_target_min is not None:
        raise UsageError("--budget places extra people; it takes no --wait-target-min")
    check_out_dir(args.out)
    scenario = load_scenario(args.scenario)
    print_warnings(scenario.warnings)
    settings = run_options(args)
    settings.pop("show_progress")
    from simhall.executors import command_executor
    from simhall.sizing import default_runner

    # the local workers (or the Dask cluster) serve every plan of the search
    with command_executor(args.workers, args.scheduler, local=True) as executor:
        runner = None if executor is None else default_runner(**settings, executor=executor)
        return _size(args, scenario, settings, runner)


def _size(
    args: argparse.Namespace,
    scenario: Scenario,
    settings: dict[str, Any],
    runner: Runner | None,
) -> int:
    log = None if args.quiet else _log
    note = replaced_note(args.out)
    if args.budget is not None:
        return _budget(args, scenario, settings, runner, log, note)
    from simhall.sizing import Target, size

    service_level = args.service_level or scenario.run.service_level
    target = Target(args.wait_target_min, args.wait_stat, service_level)
    result = size(
        scenario, target, departments=args.departments, runner=runner, log=log, **settings
    )
    out = result.write(args.out)
    shown = result.table()[
        ["department", "pool", "current", "erlang_start", "proposed", "metric", "before", "after"]
    ]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(shown.round(3).to_string(index=False))
    if result.unreachable:
        print("limits not reachable by staffing: " + ", ".join(result.unreachable))
    if result.untouched:
        print("limits missed, no sized pool on the route: " + ", ".join(result.untouched))
    print(f"\nresults written to {out}/{note} (sizing.csv, sizing.toml, sizing.md, erlang.csv)")
    return 0


def _budget(
    args: argparse.Namespace,
    scenario: Scenario,
    settings: dict[str, Any],
    runner: Runner | None,
    log: Callable[[str], None] | None,
    note: str,
) -> int:
    from simhall.sizing import allocate_budget

    result = allocate_budget(
        scenario,
        args.budget,
        objective=args.objective,
        departments=args.departments,
        runner=runner,
        log=log,
        **settings,
    )
    out = result.write(args.out)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(result.steps.round(3).to_string(index=False))
    for line in result.notes:
        print(f"note: {line}")
    print(f"\nresults written to {out}/{note} (budget.csv, candidates.csv, sizing.toml)")
    return 0


def _log(line: str) -> None:
    from simhall.sizing.runs import stderr_log

    stderr_log(line)
