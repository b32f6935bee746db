"""``simhall validate`` and ``simhall synth``: the command-line faces of validation and synthesis.

Like an inspection office with two counters, one hands out practice files (``synth`` writes
a SYNTHETIC case log and catalogue) and the other checks a hall's model against its real
files (``validate`` simulates the scenario over the log's period and prints PASS/FAIL per
metric). Bad input (a missing file, a log without the needed columns, a malformed tolerances
file) ends with a message naming the file and rows and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from simhall.cli import nonneg_int as _nonneg
from simhall.cli import parse_date as _date
from simhall.cli import positive_int as _positive
from simhall.logs.cli import add_log_options, mapping_from_args

__all__ = ["register"]


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a share in [0, 1]") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a share in [0, 1]")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``validate`` and ``synth`` sub-commands to the ``simhall`` parser.

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
    p.add_argument(
        "--calendar-holidays",
        choices=("cn", "weekends-only"),
        default="cn",
        help="calendar of the calibrated scenario (held-out mode)",
    )
    p.add_argument("--accept-activity", default="accept", help="acceptance activity (受理)")
    p.add_argument("--warmup-days", type=_nonneg, default=0, help="days simulated before start")
    p.add_argument("--workers", type=_positive, default=1, help="worker processes")
    add_log_options(p)
    p.add_argument("--no-figures", action="store_true", help="do not write PNG figures")
    p.add_argument("--show", type=_nonneg, default=10, help="items shown in the table")
    p.set_defaults(func=_cmd_validate)

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
    s.add_argument("--days", type=_positive, default=90, help="calendar days (default 90)")
    s.add_argument("--seed", type=_nonneg, default=0, help="seed (default 0)")
    s.add_argument("--start", type=_date, help="first day (default: the scenario's)")
    s.add_argument("--out", type=Path, required=True, help="output folder")
    s.add_argument("--format", choices=("csv", "parquet"), default="csv", help="event log format")
    s.add_argument("--drop-start", action="store_true", help="completion times only")
    s.add_argument(
        "--date-only-share",
        type=_share,
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
    from simhall.cli import UsageError
    from simhall.synth import write

    if args.scenario is not None and not args.scenario.is_file():
        raise UsageError(f"scenario {args.scenario}: no such file")
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


def _cmd_validate(args: argparse.Namespace) -> int:
    import pandas as pd

    from simhall.cli import UsageError
    from simhall.logs import read_event_log, read_items
    from simhall.validation import Tolerances, holdout, validate

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
    if args.items is not None:
        items = read_items(args.items)
    elif scenario is not None:
        from simhall.synth import items_catalogue

        items = items_catalogue(scenario)
    else:
        raise UsageError("--holdout without SCENARIO needs --items")
    mapping = mapping_from_args(args)
    result = read_event_log(
        args.log,
        mapping=mapping,
        encoding=args.encoding,
        items=items,
        accept_activity=args.accept_activity,
    )
    if len(result.events) == 0:
        raise UsageError(f"{args.log}: no usable events left after reading\n{result.report()}")
    closed = None
    cases = result.cases
    if cases is not None and "caseStatus" in cases.columns:
        closed = pd.Series(
            (cases["caseStatus"].astype("str") != "O").to_numpy(),
            index=cases["case_id"].astype("str").to_numpy(),
        )
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
    print(f"\nresults written to {args.out}/ (validation.csv, validation.md, figures)")
    return 0 if val.passed else 1
