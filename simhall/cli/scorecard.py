"""``simhall scorecard LOG_OR_RUN_DIR``: the window scorecard (窗口绩效评估) of a hall, from a
case log or the folder of a simulated run, scored by a weights file."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from simhall.cli.options import (
    add_log_options,
    check_out_dir,
    print_warnings,
    read_log,
    replaced_note,
)
from simhall.errors import UsageError

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``scorecard`` sub-command to ``simhall``'s parser."""
    p = sub.add_parser(
        "scorecard",
        help="score and rank the windows from a case log or a run (绩效评估)",
        description="Compute per department the indicators a case log or a simulated run "
        "holds (on-site completion, share within limits, waits, corrections, overtime, "
        "working days against the limit, peak queue), score them with a weights file "
        "(default: the bundled Huainan 2007 scheme, weights assumed) and rank the windows "
        "(docs/scorecard.md).",
    )
    p.add_argument("log", type=Path, metavar="LOG_OR_RUN_DIR", help="case log or run folder")
    p.add_argument("--weights", type=Path, help="weights file (TOML; default: bundled)")
    p.add_argument(
        "--scenario",
        type=Path,
        help="scenario (TOML): calendar, departments, items; a run folder's own by default",
    )
    p.add_argument("--items", type=Path, help="items catalogue (default: the scenario's)")
    add_log_options(p)
    p.add_argument("--no-figures", action="store_true", help="do not write the PNG figure")
    p.add_argument("--out", type=Path, default=Path("results/scorecard"), help="output folder")
    p.set_defaults(func=_cmd_scorecard)


def _cmd_scorecard(args: argparse.Namespace) -> int:
    from simhall.scenario import load_scenario
    from simhall.scorecard import from_log, from_run, read_weights, scorecard
    from simhall.scorecard.source import run_scenario_path

    check_out_dir(args.out)
    weights = read_weights(args.weights)
    if not args.log.exists():
        raise UsageError(f"{args.log}: no such case log or run folder")
    scenario_path = args.scenario
    if scenario_path is None and args.log.is_dir():
        scenario_path = run_scenario_path(args.log)
    if scenario_path is None:
        what = "its manifest names none that exists" if args.log.is_dir() else "a log needs one"
        raise UsageError(f"scorecard needs --scenario SCENARIO.toml ({what})")
    if not scenario_path.is_file():
        raise UsageError(f"scenario {scenario_path}: no such file")
    scenario = load_scenario(scenario_path)
    print_warnings(scenario.warnings)
    if args.log.is_dir():
        data = from_run(args.log, scenario)
    else:
        from simhall.logs import read_items
        from simhall.logs.bpic15 import closed_by_status
        from simhall.synth import items_catalogue

        if args.items is not None and not args.items.is_file():
            raise UsageError(f"items catalogue {args.items}: no such file")
        items = read_items(args.items) if args.items else items_catalogue(scenario)
        log = read_log(args, items)
        data = from_log(
            log.events,
            scenario,
            items=items,
            closed=closed_by_status(log.cases),
            accept_activity=args.accept_activity,
            label=args.log.name,
        )
    card = scorecard(data, weights)
    note = replaced_note(args.out)
    out = card.write(args.out, figures=not args.no_figures)
    shown = card.ranking[["rank", "department", "name", "total", "assessment_points"]]
    with pd.option_context("display.width", 200):
        print(shown.round(2).to_string(index=False))
    for line in card.notes:
        print(f"note: {line}")
    written = "ranking.csv, scorecard.csv, indicators.csv, scorecard.md"
    written += "" if args.no_figures else ", scorecard.png"
    print(f"\nresults written to {out}/{note} ({written})")
    return 0
