"""The ``simhall`` command line.

``simhall run SCENARIO`` simulates a hall and writes its event log, case table and summary;
other sub-commands (calibrate, validate, synth, compare) hang off the same parser. Bad input
(a scenario with a typo, a date the holiday table does not cover, a missing file) ends with a
message naming the file, key and value and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from simhall.experiment import RunResult

EXIT_USAGE = 2


class UsageError(Exception):
    """A problem with the user's input, reported without a traceback (exit status 2)."""


def parse_date(text: str) -> date:
    """argparse type: a date ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a date YYYY-MM-DD") from None


def _whole(text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number >= {minimum}")
    return value


def positive_int(text: str) -> int:
    """argparse type: a whole number >= 1."""
    return _whole(text, 1)


def nonneg_int(text: str) -> int:
    """argparse type: a whole number >= 0."""
    return _whole(text, 0)


def add_run_options(p: argparse.ArgumentParser) -> None:
    """Options shared by commands that simulate (run, compare, validate)."""
    p.add_argument("--start", type=parse_date, help="first simulated day (default: scenario)")
    p.add_argument("--days", type=positive_int, help="calendar days with arrivals")
    p.add_argument("--warmup-days", type=nonneg_int, help="days left out of results")
    p.add_argument("--drain-days", type=nonneg_int, help="days for open cases to finish")
    p.add_argument("--reps", type=positive_int, help="replications")
    p.add_argument("--seed", type=nonneg_int, help="master seed")
    p.add_argument("--workers", type=positive_int, default=1, help="worker processes")
    p.add_argument("--service-level", type=float, help="share for the limit (default 0.95)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def run_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of :func:`simhall.run` given by :func:`add_run_options`."""
    return {
        "start": args.start,
        "days": args.days,
        "warmup_days": args.warmup_days,
        "drain_days": args.drain_days,
        "reps": args.reps,
        "seed": args.seed,
        "service_level": args.service_level,
        "workers": args.workers,
        "show_progress": False if args.quiet else None,
    }


def _cmd_run(args: argparse.Namespace) -> int:
    from simhall.experiment import run
    from simhall.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    result = run(scenario, **run_options(args))
    out = result.write(args.out)
    print(render_summary(result, top=args.show))
    print(
        f"\nresults written to {out}/ (log.parquet, cases.parquet, summary.csv, items.csv, "
        "departments.csv, hall.csv)"
    )
    return 0


def render_summary(result: RunResult, top: int = 15) -> str:
    """The terminal summary: hall-wide metrics, departments, and the items with most slack."""
    from simhall import tables

    with pd.option_context("display.width", 200, "display.max_columns", 20):
        parts = [
            "Hall (mean [95% CI] over replications)",
            tables.hall_table(result).to_string(),
            "",
            "Departments",
            tables.department_table(result).to_string(),
        ]
        n_commit = int((result.items["kind"] == "commitment").sum())
        if n_commit and top:
            shown = tables.compression_table(result, top=top)
            parts += [
                "",
                f"Commitment items with the most room to cut the limit ({len(shown)} of "
                f"{n_commit}; all in items.csv)",
                shown.to_string(),
            ]
    return "\n".join(parts)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``simhall`` and its sub-commands."""
    parser = argparse.ArgumentParser(
        prog="simhall",
        description="Simulate government service halls under working-day time limits.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("run", help="simulate a scenario and summarize it")
    p.add_argument("scenario", type=Path, help="scenario file (TOML)")
    add_run_options(p)
    p.add_argument("--out", type=Path, default=Path("results/run"), help="output folder")
    p.add_argument("--show", type=nonneg_int, default=15, help="items shown in the table")
    p.set_defaults(func=_cmd_run)
    for register in _EXTENSIONS:
        register(sub)
    return parser


_EXTENSIONS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = []
"""Sub-command registrars of other modules (calibrate, validate, synth, compare)."""


def _load_extensions() -> None:
    import importlib

    for module in (
        "simhall.calibration.cli",
        "simhall.validation_cli",
        "simhall.compare_cli",
        "simhall.studies.cli",
    ):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name is not None and module.startswith(exc.name):
                continue
            raise
        register = getattr(mod, "register", None)
        if register is not None and register not in _EXTENSIONS:
            _EXTENSIONS.append(register)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (2 for bad input, without a traceback)."""
    from simhall.calendar import CalendarError
    from simhall.scenario import ScenarioError

    _load_extensions()
    parser = build_parser()
    args = parser.parse_args(argv)
    if os.environ.get("SIMHALL_DEBUG"):
        return int(args.func(args))
    try:
        return int(args.func(args))
    except ScenarioError as exc:
        print(f"simhall: invalid scenario\n{exc}", file=sys.stderr)
    except CalendarError as exc:
        print(f"simhall: calendar: {exc}", file=sys.stderr)
    except (UsageError, ValueError) as exc:
        print(f"simhall: {exc}", file=sys.stderr)
    except FileNotFoundError as exc:
        print(f"simhall: file not found: {exc.filename or exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("simhall: interrupted", file=sys.stderr)
        return 130
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
