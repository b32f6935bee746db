"""``simhall validate``: a scenario checked against a case log, PASS/FAIL per metric.

Like an inspection office, it checks a hall's model against its real files: it simulates the
scenario over the log's period and compares durations, waits and counts with stated
tolerances (with ``--holdout``: calibrates on one period and scores the next). Bad input
(a missing file, a log without the needed columns, a malformed tolerances file) ends with a
message naming the file and rows and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from simhall.cli.options import (
    add_lang_option,
    add_log_options,
    check_out_dir,
    print_warnings,
    read_log,
    replaced_note,
)
from simhall.cli.options import nonneg_int as _nonneg
from simhall.cli.options import parse_date as _date
from simhall.cli.options import positive_int as _positive
from simhall.errors import UsageError

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``validate`` sub-command to the ``simhall`` parser.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The sub-parsers of ``simhall``.
    """
    p = sub.add_parser(
        "validate",
        help="compare a scenario with a case log (PASS/FAIL per metric)",
        description="Simulate SCENARIO over the period of LOG and compare working-day "
        "durations, on-site completion, window waits, weekly counts and the hourly ticket "
        "profile against stated tolerances (docs/validation.md). With --holdout, calibrate "
        "on cases starting up to --train-until and score the later ones.",
    )
    p.add_argument("log", type=Path, help="event log (.csv, .csv.gz, .parquet, .xes, .xes.gz)")
    p.add_argument(
        "scenario",
        type=Path,
        nargs="?",
        help="scenario file (TOML); with --holdout optional (then only its items are used "
        "when --items is missing)",
    )
    p.add_argument("--items", type=Path, help="items catalogue (default: the scenario's items)")
    p.add_argument("--reps", type=_positive, default=3, help="replications (default 3)")
    p.add_argument("--seed", type=_nonneg, default=0, help="master seed (default 0)")
    p.add_argument("--out", type=Path, default=Path("results/validation"), help="output folder")
    p.add_argument("--tolerances", type=Path, help="TOML file overriding tolerances")
    p.add_argument("--holdout", action="store_true", help="held-out mode (needs --train-until)")
    p.add_argument("--train-until", type=_date, help="last start day of training cases")
    p.add_argument("--train-since", type=_date, help="first start day of training cases")
    p.add_argument("--test-until", type=_date, help="last start day of test cases")
    p.add_argument("--warmup-days", type=_nonneg, default=0, help="days simulated before start")
    p.add_argument("--workers", type=_positive, default=1, help="worker processes")
    add_log_options(p, holidays_help="calendar of the calibrated scenario (held-out mode)")
    p.add_argument("--no-figures", action="store_true", help="do not write PNG figures")
    p.add_argument("--show", type=_nonneg, default=10, help="items shown in the table")
    add_lang_option(p)
    p.set_defaults(func=_cmd_validate)


def _cmd_validate(args: argparse.Namespace) -> int:
    from simhall.logs import read_items
    from simhall.logs.bpic15 import closed_by_status
    from simhall.validation import Tolerances, holdout, validate

    check_out_dir(args.out)
    note = replaced_note(args.out)

    if not args.log.is_file():
        raise UsageError(f"log {args.log}: no such file")
    if args.scenario is None and not args.holdout:
        raise UsageError("validate needs a SCENARIO (or --holdout)")
    if args.scenario is not None and not args.scenario.is_file():
        raise UsageError(f"scenario {args.scenario}: no such file")
    if args.items is not None and not args.items.is_file():
        raise UsageError(f"items catalogue {args.items}: no such file")
    if args.holdout and args.train_until is None:
        raise UsageError("--holdout needs --train-until DATE")
    if not args.holdout and args.train_until is not None:
        raise UsageError("--train-until is only used with --holdout")
    tolerances = Tolerances.from_toml(args.tolerances) if args.tolerances else None
    scenario = None
    if args.scenario is not None:
        from simhall.scenario import load_scenario

        scenario = load_scenario(args.scenario)
        print_warnings(scenario.warnings)
    if args.items is not None:
        items = read_items(args.items)
    elif scenario is not None:
        from simhall.synth import items_catalogue

        items = items_catalogue(scenario)
    else:
        raise UsageError("--holdout without SCENARIO needs --items")
    result = read_log(args, items)
    if len(result.issues):
        # rows the reader dropped or flagged (e.g. items missing from the scenario) are said
        print("log rows not used or flagged:\n" + result.report().split("\n", 1)[-1] + "\n")
    closed = closed_by_status(result.cases)
    common = {
        "reps": args.reps,
        "seed": args.seed,
        "tolerances": tolerances,
        "accept_activity": args.accept_activity,
        "closed": closed,
        "warmup_days": args.warmup_days,
        "workers": args.workers,
        "log_label": args.log.name,
    }
    if args.holdout:
        held = holdout(
            result.events,
            items,
            train_until=args.train_until,
            train_since=args.train_since,
            test_until=args.test_until,
            holidays=args.calendar_holidays,
            **common,  # type: ignore[arg-type]
        )
        held.write(args.out, figures=not args.no_figures)
        val = held.validation
        print(val.render(args.show))
        print("\nnaive forecast (training period as prediction), Wasserstein distances:")
        print(held.naive.to_string(index=False))
    else:
        assert scenario is not None
        val = validate(result.events, scenario, items=items, **common)  # type: ignore[arg-type]
        val.write(args.out, figures=not args.no_figures)
        print(val.render(args.show))
    for note in val.notes:
        print(f"note: {note}")
    written = "validation.csv, validation.md" + ("" if args.no_figures else ", figures")
    print(f"\nresults written to {args.out}/{note} ({written})")
    return 0 if val.passed else 1
