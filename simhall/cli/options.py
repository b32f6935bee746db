"""Option types and option groups shared by the sub-commands of ``simhall``.

An option means the same on every command that has it: ``--days`` on ``run`` and ``compare``,
``--map`` on ``calibrate`` and ``validate``. Each is defined here once, with the argparse type
that checks its value (a bad value is an argparse error: a usage line and exit status 2).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simhall.executors import scheduler_address
from simhall.logs.mapping import PRESETS, ColumnMapping
from simhall.logs.schema import HALL_TIMEZONE

if TYPE_CHECKING:
    import pandas as pd

    from simhall.logs.readers import LogReadResult

__all__ = [
    "add_lang_option",
    "add_log_options",
    "add_run_options",
    "check_out_dir",
    "mapping_from_args",
    "max_workers",
    "nonneg_int",
    "parse_date",
    "positive_float",
    "positive_int",
    "print_warnings",
    "read_log",
    "replaced_note",
    "run_options",
    "share",
    "workers_count",
]


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


def max_workers() -> int:
    """The most local worker processes ``--workers`` accepts: 4 per core, at least 8."""
    return max(8, 4 * (os.cpu_count() or 1))


def workers_count(text: str) -> int:
    """argparse type: local worker processes, 1 to :func:`max_workers` (more would only
    compete for the cores, and thousands would exhaust the machine)."""
    value = _whole(text, 1)
    if value > max_workers():
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected a whole number from 1 to {max_workers()} (4 per core of this "
            "machine); to use more machines give --scheduler tcp://HOST:PORT"
        )
    return value


def nonneg_int(text: str) -> int:
    """argparse type: a whole number >= 0."""
    return _whole(text, 0)


def positive_float(text: str) -> float:
    """argparse type: a number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a number > 0") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r}: expected a number > 0")
    return value


def share(text: str) -> float:
    """argparse type: a share in [0, 1]."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a share in [0, 1]") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a share in [0, 1]")
    return value


def add_run_options(p: argparse.ArgumentParser) -> None:
    """Options shared by commands that simulate (run, compare, sweep)."""
    p.add_argument("--start", type=parse_date, help="first simulated day (default: scenario)")
    p.add_argument("--days", type=positive_int, help="calendar days with arrivals")
    p.add_argument("--warmup-days", type=nonneg_int, help="days left out of results")
    p.add_argument("--drain-days", type=nonneg_int, help="days for open cases to finish")
    p.add_argument("--reps", type=positive_int, help="replications")
    p.add_argument("--seed", type=nonneg_int, help="master seed")
    p.add_argument("--workers", type=workers_count, default=1, help="worker processes")
    p.add_argument(
        "--scheduler",
        type=scheduler_address,
        metavar="tcp://HOST:PORT",
        help="run on the Dask cluster of this scheduler (extra simhall[dask]; docs/dask.md)",
    )
    p.add_argument("--service-level", type=float, help="share for the limit (default 0.95)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--memory-limit-gb",
        type=positive_float,
        help="memory the run may plan to use (default: 80%% of what is available)",
    )


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
        "memory_limit_gb": args.memory_limit_gb,
    }


def check_out_dir(path: Path, option: str = "--out") -> None:
    """Stop before any work when an output folder cannot be written.

    Raises
    ------
    UsageError
        If ``path`` (or a parent) is an existing file rather than a folder, or an existing
        folder that simhall did not write (it would be replaced whole).
    """
    from simhall.errors import UsageError
    from simhall.io import MANIFEST, replaceable

    if path.is_dir() and not replaceable(path):
        raise UsageError(
            f"{option} {path}: the folder exists, is not empty and was not written by simhall "
            f"(no {MANIFEST}); results replace their folder whole: give another {option} "
            "or empty it"
        )
    for p in (path, *path.parents):
        if p.exists():
            if not p.is_dir():
                what = "" if p == path else f" (its parent {p} is a file)"
                raise UsageError(f"{option} {path}: expected a folder, found a file{what}")
            return


def print_warnings(warnings: Sequence[str]) -> None:
    """Print the scenario's warnings (things that may be meant but are unusual) on stderr."""
    for warning in warnings:
        print(f"simhall: warning: {warning}", file=sys.stderr)


def replaced_note(out: Path) -> str:
    """``" (replacing the earlier results there)"`` when ``out`` holds results already."""
    return " (replacing the earlier results there)" if out.is_dir() and any(out.iterdir()) else ""


def add_log_options(
    p: argparse.ArgumentParser, holidays_help: str = "working-day calendar"
) -> None:
    """Add the options of a command that reads a case log: ``--accept-activity``,
    ``--calendar-holidays``, ``--encoding``, ``--map``, ``--mapping`` and ``--timezone``."""
    p.add_argument(
        "--accept-activity",
        help="acceptance activity (受理); default: the first of accept, 受理, ... in the log",
    )
    p.add_argument(
        "--calendar-holidays",
        choices=("cn", "weekends-only"),
        default="cn",
        help=holidays_help,
    )
    p.add_argument("--encoding", help="CSV encoding (default: detected)")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="TARGET=SOURCE",
        help="column mapping item (repeatable), extending the preset or --mapping; "
        "TARGET:=VALUE sets a constant",
    )
    p.add_argument(
        "--mapping",
        type=Path,
        help="column mapping file (TOML) or a preset's name: "
        + ", ".join(f"{name} ({m.timezone or 'no zone'})" for name, m in PRESETS.items()),
    )
    p.add_argument(
        "--timezone",
        metavar="ZONE",
        help=f"the hall's zone: timestamps with a UTC offset (Z, +08:00) are converted to it, "
        f"those without one read as its wall-clock time (default: the mapping's zone, e.g. "
        f"bpic15's Europe/Amsterdam, else {HALL_TIMEZONE}); 'keep' keeps the time written "
        "and drops offsets",
    )


def read_log(
    args: argparse.Namespace, items: pd.DataFrame, *, strict: bool = False
) -> LogReadResult:
    """Read and clean ``args.log`` with the options of :func:`add_log_options`.

    The acceptance activity used is ``result.meta["accept_activity"]`` (the one given, else
    the first name of acceptance found in the log).

    Raises
    ------
    UsageError
        If the file is missing or no usable event is left after cleaning.
    """
    from simhall.errors import UsageError
    from simhall.logs import read_event_log
    from simhall.logs.readers import AUTO, zone_source

    if not args.log.is_file():
        raise UsageError(f"log {args.log}: no such file")
    result = read_event_log(
        args.log,
        mapping=mapping_from_args(args),
        map_items=args.map,
        timezone=args.timezone,
        default_timezone=HALL_TIMEZONE,
        encoding=args.encoding,
        strict=strict,
        items=items,
        accept_activity=args.accept_activity or AUTO,
    )
    if result.meta.get("n_rows_read") == 0:
        raise UsageError(
            f"{args.log}: the log has no events (column names but no rows); expected one row per "
            "event: case, item, activity and its end time at least"
        )
    if len(result.events) == 0:
        raise UsageError(f"{args.log}: no usable events left after cleaning\n{result.report()}")
    # which zone the timestamps were read in, and why: the first note of the read
    return dataclasses.replace(result, notes=[zone_source(result.meta), *result.notes])


def mapping_from_args(args: argparse.Namespace) -> ColumnMapping | None:
    """The column mapping of ``--mapping``: a mapping file, or a preset named
    (:data:`~simhall.logs.mapping.PRESETS`, with its zone) when no such file exists
    (``None``: the preset the header fits); the ``--map`` items extend it when the log is
    read (:func:`read_log`)."""
    if not args.mapping:
        return None
    path = Path(args.mapping)
    if not path.exists():
        if str(path) in PRESETS:
            return PRESETS[str(path)]
        from simhall.errors import UsageError

        raise UsageError(
            f"--mapping {path}: no such file and no such preset (presets: {', '.join(PRESETS)})"
        )
    return ColumnMapping.from_file(path)


def add_lang_option(p: argparse.ArgumentParser) -> None:
    """Add ``--lang zh|en|both``: the language of the figures' labels (default both: Chinese
    names from the scenario next to ids, axis titles in both languages). ``simhall``'s
    :func:`~simhall.cli.app.main` applies it before the command runs."""
    p.add_argument(
        "--lang",
        choices=("zh", "en", "both"),
        default="both",
        help="language of figure labels (default: both)",
    )
