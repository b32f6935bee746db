"""The ``simhall`` command line.

``simhall run SCENARIO`` simulates a hall and writes its event log, case table and summary;
other sub-commands (calibrate, validate, synth, compare) hang off the same parser. Bad input
(a scenario with a typo, a date the holiday table does not cover, a missing file) ends with a
message naming the file, key and value and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pandas as pd

EXIT_USAGE = 2


class UsageError(Exception):
    """A problem with the user's input, reported without a traceback (exit status 2)."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a date YYYY-MM-DD") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number >= 1")
    return value


def _nonneg_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number >= 0")
    return value


def fmt_ci(mean: float, lo: float, hi: float, digits: int = 1) -> str:
    """``12.3 [11.8, 12.9]``; without bounds just the mean; ``-`` for NaN."""
    if not math.isfinite(mean):
        return "-"
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"


def add_run_options(p: argparse.ArgumentParser) -> None:
    """Options shared by commands that simulate (run, compare, validate)."""
    p.add_argument("--start", type=_date, help="first simulated day (default: scenario)")
    p.add_argument("--days", type=_positive_int, help="calendar days with arrivals")
    p.add_argument("--warmup-days", type=_nonneg_int, help="days left out of results")
    p.add_argument("--drain-days", type=_nonneg_int, help="days for open cases to finish")
    p.add_argument("--reps", type=_positive_int, help="replications")
    p.add_argument("--seed", type=_nonneg_int, help="master seed")
    p.add_argument("--workers", type=_positive_int, default=1, help="worker processes")
    p.add_argument("--service-level", type=float, help="share for the limit (default 0.95)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _cmd_run(args: argparse.Namespace) -> int:
    from simhall.experiment import run
    from simhall.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    result = run(
        scenario,
        start=args.start,
        days=args.days,
        warmup_days=args.warmup_days,
        drain_days=args.drain_days,
        reps=args.reps,
        seed=args.seed,
        service_level=args.service_level,
        workers=args.workers,
        show_progress=False if args.quiet else None,
    )
    out = result.write(args.out)
    print(render_summary(result.items, result.departments, result.hall, top=args.show))
    print(
        f"\nresults written to {out}/ (log.parquet, cases.parquet, summary.csv, items.csv, "
        "departments.csv, hall.csv)"
    )
    return 0


def render_summary(
    items: pd.DataFrame, departments: pd.DataFrame, hall: pd.DataFrame, top: int = 15
) -> str:
    """The terminal summary: hall-wide metrics, departments, and the items with most slack."""
    lines = ["Hall (mean [95% CI] over replications)"]
    for row in hall.itertuples():
        digits = 0 if row.metric in ("cases", "in_progress") else 3
        lines.append(f"  {row.metric:<16} {fmt_ci(row.mean, row.ci_low, row.ci_high, digits)}")
    lines.append("")
    dep = pd.DataFrame(
        {
            "department": departments["department"],
            "name": departments["name"],
            "windows": departments["windows"],
            "wait_min": [
                fmt_ci(m, lo, hi)
                for m, lo, hi in zip(
                    departments["mean_wait_min"],
                    departments["mean_wait_min_ci_low"],
                    departments["mean_wait_min_ci_high"],
                    strict=True,
                )
            ],
            "p90_wait_min": departments["p90_wait_min"].round(1),
            "window_util": departments["window_utilization"].round(2),
            "staff_util": departments["staff_utilization"].round(2),
        }
    )
    lines.append("Departments")
    lines.append(dep.to_string(index=False))
    commit = items[items["kind"] == "commitment"].copy()
    if len(commit):
        commit = commit.sort_values(["compression_days", "item_id"], ascending=[False, True])
        shown = commit.head(top)
        tab = pd.DataFrame(
            {
                "item": shown["item_id"],
                "name": shown["name"],
                "committed": shown["committed_days"],
                "P95_days": [
                    fmt_ci(m, lo, hi)
                    for m, lo, hi in zip(
                        shown["p95_days"],
                        shown["p95_days_ci_low"],
                        shown["p95_days_ci_high"],
                        strict=True,
                    )
                ],
                "within": shown["share_within"].round(3),
                "limit@SL": shown["recommended_days"],
                "cut_days": shown["compression_days"],
            }
        )
        lines.append("")
        lines.append(
            f"Commitment items with the most room to cut the limit ({len(shown)} of "
            f"{len(commit)}; all in items.csv)"
        )
        lines.append(tab.to_string(index=False))
    return "\n".join(lines)


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
    p.add_argument("--show", type=_nonneg_int, default=15, help="items shown in the table")
    p.set_defaults(func=_cmd_run)
    for register in _EXTENSIONS:
        register(sub)
    return parser


_EXTENSIONS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = []
"""Sub-command registrars of other modules (calibrate, validate, synth, compare)."""


def _load_extensions() -> None:
    import importlib

    for module in ("simhall.calibration.cli", "simhall.validation_cli", "simhall.compare_cli"):
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
