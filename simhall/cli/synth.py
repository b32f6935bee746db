"""``simhall synth``: a SYNTHETIC case log and items catalogue written from a scenario.

Like a training office handing out practice files, it simulates a scenario once and writes
the event log, the items catalogue and a README that says the data are synthetic.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from simhall.cli.options import check_out_dir, nonneg_int, parse_date, positive_int, share
from simhall.errors import UsageError

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``synth`` sub-command to the ``simhall`` parser."""
    s = sub.add_parser(
        "synth",
        help="write a SYNTHETIC case log and items catalogue",
        description="Simulate a scenario once and write a SYNTHETIC case log (events), the "
        "items catalogue and a README saying so.",
    )
    s.add_argument(
        "scenario",
        type=Path,
        nargs="?",
        help="scenario file (default scenarios/huainan_2007/baseline.toml)",
    )
    s.add_argument("--days", type=positive_int, default=90, help="calendar days (default 90)")
    s.add_argument("--seed", type=nonneg_int, default=0, help="seed (default 0)")
    s.add_argument("--start", type=parse_date, help="first day (default: the scenario's)")
    s.add_argument("--out", type=Path, required=True, help="output folder")
    s.add_argument("--format", choices=("csv", "parquet"), default="csv", help="event log format")
    s.add_argument("--drop-start", action="store_true", help="completion times only")
    s.add_argument(
        "--date-only-share",
        type=share,
        default=0.0,
        help="share of events whose timestamps keep only the date",
    )
    s.add_argument(
        "--keep-unaccepted",
        action="store_true",
        help="keep cases never accepted (only returns for correction)",
    )
    s.set_defaults(func=_cmd_synth)


def _cmd_synth(args: argparse.Namespace) -> int:
    from simhall.synth import write

    if args.scenario is not None and not args.scenario.is_file():
        raise UsageError(f"scenario {args.scenario}: no such file")
    check_out_dir(args.out)
    out = write(
        args.out,
        args.scenario,
        args.days,
        args.seed,
        fmt=args.format,
        start=args.start,
        drop_start=args.drop_start,
        date_only_share=args.date_only_share,
        keep_unaccepted=args.keep_unaccepted,
    )
    print(f"SYNTHETIC case log written to {out}/ (events.{args.format}, items.csv, README.md)")
    return 0
