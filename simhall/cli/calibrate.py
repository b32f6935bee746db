"""``simhall calibrate``: the command-line face of :func:`simhall.calibration.calibrate`.

Like a clerk's intake desk, it checks the papers first (the log and the item catalogue are
read and cleaned by :mod:`simhall.logs`, with every dropped row counted), then hands them to
calibration and files the results: the scenario TOML and, on request, the Markdown report.
Bad input ends with a message naming the file and rows and exit status 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from simhall.cli.options import add_lang_option, add_log_options, read_log, workers_count
from simhall.cli.options import nonneg_int as _nonnegative
from simhall.cli.options import parse_date as _date
from simhall.cli.options import positive_int as _positive
from simhall.errors import UsageError

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``calibrate`` sub-command to the ``simhall`` parser.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The sub-parsers of ``simhall``.
    """
    p = sub.add_parser(
        "calibrate",
        help="calibrate a scenario from a case log",
        description="Learn a scenario (hours, demand, routes, durations, staff, sessions, "
        "couriers) from a case log and an items catalogue.",
    )
    p.add_argument("log", type=Path, help="event log (.csv, .csv.gz, .parquet, .xes, .xes.gz)")
    p.add_argument("--items", type=Path, required=True, help="items catalogue (CSV or Parquet)")
    p.add_argument("--out", type=Path, required=True, help="scenario file to write (TOML)")
    p.add_argument("--report", type=Path, help="Markdown report to write")
    p.add_argument("--figures", action="store_true", help="PNG figures next to the report")
    p.add_argument("--since", type=_date, help="first date of first visits (YYYY-MM-DD)")
    p.add_argument("--until", type=_date, help="last date of first visits (YYYY-MM-DD)")
    p.add_argument(
        "--classify",
        type=Path,
        help="TOML file: [activities] name = kind, [resources] name = role",
    )
    add_log_options(p)
    p.add_argument(
        "--strict",
        action="store_true",
        help="fail on any data problem (exit 2) and on a failed self-check (exit 1)",
    )
    p.add_argument(
        "--check-reps",
        type=_positive,
        default=2,
        help="replications of the self-check (the scenario simulated over its own period)",
    )
    p.add_argument(
        "--check-rounds",
        type=_nonnegative,
        default=2,
        help="correction rounds of the self-check at most (0: check only)",
    )
    p.add_argument(
        "--workers",
        type=workers_count,
        default=1,
        help="worker processes for the self-check's replications (same result for any)",
    )
    p.add_argument("--no-check", action="store_true", help="skip the self-check")
    p.add_argument("--min-cases", type=_positive, default=30, help="pool below this many cases")
    p.add_argument("--bin-min", type=int, choices=(30, 60), default=60, help="intraday bin")
    p.add_argument("--seed", type=int, default=0, help="seed (fits, scenario [run] seed)")
    add_lang_option(p)
    p.set_defaults(func=_cmd_calibrate)


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from simhall.calibration import calibrate
    from simhall.calibration.classify import read_classification
    from simhall.calibration.roles import read_resource_overrides
    from simhall.calibration.selfcheck import check_calibration
    from simhall.logs import read_items
    from simhall.logs.readers import zone_source

    for label, path in (("log", args.log), ("items catalogue", args.items)):
        if not path.is_file():
            raise UsageError(f"{label} {path}: no such file")
    items = read_items(args.items, encoding=None)
    overrides = read_classification(args.classify) if args.classify else None
    resource_roles = read_resource_overrides(args.classify) if args.classify else None
    result = read_log(args, items, strict=args.strict)
    cal = calibrate(
        result.events,
        items,
        since=args.since,
        until=args.until,
        accept_activity=result.meta["accept_activity"],
        classification=overrides,
        holidays=args.calendar_holidays,
        min_cases=args.min_cases,
        seed=args.seed,
        source=args.log.name,
        bin_min=args.bin_min,
        read_issues=result.issues,
        read_notes=result.notes,
        resource_roles=resource_roles,
    )
    if args.strict and len(cal.dropped):
        raise UsageError(
            f"{args.log}: --strict and calibration dropped data:\n"
            + cal.dropped.to_string(index=False)
        )
    if not args.no_check:
        cal = check_calibration(
            cal,
            result.events,
            reps=args.check_reps,
            seed=args.seed,
            max_rounds=args.check_rounds,
            accept_activity=result.meta["accept_activity"],
            workers=args.workers,
        )
    cal.write(args.out, args.report, figures=args.figures, lang=args.lang)
    print(
        f"calibrated {cal.n_cases} cases ({cal.n_events} events, {cal.since} to {cal.until}) "
        f"from {args.log.name}; {zone_source(result.meta)}"
    )
    print(f"scenario written to {args.out}" + (f", report to {args.report}" if args.report else ""))
    if len(cal.dropped):
        print("data not used or flagged:")
        print(cal.dropped.to_string(index=False))
    if cal.fit_check is not None:
        print(cal.fit_check.render())
        if args.strict and not cal.fit_check.passed:
            print("--strict: the self-check failed (exit 1)")
            return 1
    return 0
