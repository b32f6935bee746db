"""``simhall validate``: a scenario checked against a case log, PASS/FAIL per metric.

Like an inspection office, it checks a hall's model against its real files: it simulates the
scenario over the log's period and compares durations, waits and counts with stated
tolerances (with ``--holdout``: calibrates on one period and scores the next). Which
observed cases were closed at extraction comes from the log's status (``caseStatus`` of
XES logs, or ``--closed-rule status:COLUMN=VALUES``) or is inferred (``--closed-rule
both|terminal|idle``). Bad input (a missing file, a log without the needed columns, a
malformed tolerances file, an unknown status column) ends with a message naming the file and
rows and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    import pandas as pd

    from simhall.logs import LogReadResult
    from simhall.validation import ClosedRule

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
    p.add_argument(
        "--closed-rule",
        type=_closed_rule,
        metavar="RULE",
        help="which observed cases were closed at extraction: both (terminal step or idle "
        "time, the default without a status), terminal, idle, or status:COLUMN=V1,V2 (a "
        "status column of the log; default the XES trace attribute caseStatus=G when present)",
    )
    p.add_argument("--workers", type=_positive, default=1, help="worker processes")
    add_log_options(p, holidays_help="calendar of the calibrated scenario (held-out mode)")
    p.add_argument("--no-figures", action="store_true", help="do not write PNG figures")
    p.add_argument("--show", type=_nonneg, default=10, help="items shown in the table")
    add_lang_option(p)
    p.set_defaults(func=_cmd_validate)


def _cmd_validate(args: argparse.Namespace) -> int:
    from simhall.logs import read_items
    from simhall.logs.readers import zone_source
    from simhall.validation import Tolerances, holdout, validate
    from simhall.validation.naive import format_naive

    check_out_dir(args.out)
    replaced = replaced_note(args.out)

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
    closed, rule = _closure_options(args, result)
    common = {
        "reps": args.reps,
        "seed": args.seed,
        "tolerances": tolerances,
        "accept_activity": result.meta["accept_activity"],
        "closed": closed,
        "closed_rule": rule,
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
        held.write(args.out, figures=not args.no_figures, lang=args.lang)
        val = held.validation
        print(val.render(args.show))
        print(
            "\nnaive forecast (training period as prediction), Wasserstein distances: plain "
            "(naive, n_train cases) and censored like the test period (naive_followup, "
            "n_train_followup cases, ess_followup effective):"
        )
        print(format_naive(held.naive).to_string(index=False))
    else:
        assert scenario is not None
        val = validate(result.events, scenario, items=items, **common)  # type: ignore[arg-type]
        val.write(args.out, figures=not args.no_figures, lang=args.lang)
        print(val.render(args.show))
    for note in [zone_source(result.meta), *val.notes]:
        print(f"note: {note}")
    for warning in val.warnings:
        print(f"warning: {warning}")
    written = "validation.csv, validation.md" + ("" if args.no_figures else ", figures")
    if args.holdout:
        written += ", naive.csv, calibrated.toml"
    print(f"\nresults written to {args.out}/{replaced} ({written})")
    return 0 if val.passed else 1


def _closed_rule(text: str) -> ClosedRule:
    from simhall.validation import ClosedRule

    try:
        return ClosedRule.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _closure_options(
    args: argparse.Namespace, result: LogReadResult
) -> tuple[pd.Series | None, ClosedRule | str]:
    """The status (bool per case) and the inference rule ``--closed-rule`` asks for.

    Without the option: the XES trace attribute ``caseStatus`` when the log has one, else the
    rule ``both``. An explicit inference rule is used even when the log has a status.
    """
    from simhall.logs.bpic15 import closed_by_status

    rule = args.closed_rule
    if rule is None:
        return closed_by_status(result.cases), "both"
    if rule.kind != "status":
        return None, rule
    assert rule.column is not None
    if result.cases is not None and rule.column in result.cases.columns:
        return closed_by_status(result.cases, rule.column, rule.values), rule
    return _status_from_source(args.log, result, rule.column, rule.values), rule


def _status_from_source(
    path: Path, result: LogReadResult, column: str, values: tuple[str, ...]
) -> pd.Series:
    """Closed per case from a status column of a CSV or Parquet log (last value per case),
    read from the file and aligned with the clean events by their source rows."""
    import pandas as pd

    from simhall.validation.closure import closed_from_values

    fmt = result.meta.get("format")
    if fmt == "csv":
        enc = result.meta.get("encoding")
        header = [str(h) for h in pd.read_csv(path, encoding=enc, nrows=0).columns]
        names = {h.strip().lstrip("\ufeff"): h for h in header}
        first_row = 2
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        names = {str(n): str(n) for n in pq.read_schema(path).names}
        first_row = 1
    else:
        cols = [] if result.cases is None else list(result.cases.columns)
        raise UsageError(
            f"{path}: --closed-rule status:{column}=...: no trace attribute {column!r} kept "
            f"(kept: {cols}); name it in the mapping file's case_attributes"
        )
    if column not in names:
        raise UsageError(
            f"{path}: --closed-rule status:{column}=...: no column {column!r}; columns: "
            f"{sorted(names)}"
        )
    if fmt == "csv":
        raw = pd.read_csv(
            path, encoding=enc, usecols=[names[column]], dtype="str", skip_blank_lines=False
        )[names[column]]
    else:
        raw = pd.read_parquet(path, columns=[column])[column].astype("str")
    raw.index = pd.RangeIndex(first_row, len(raw) + first_row)
    events = result.events
    status = raw.reindex(events.index.to_numpy())
    return closed_from_values(events["case_id"], status, values)
