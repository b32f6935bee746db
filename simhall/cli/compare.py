"""``simhall compare BASE REFORM [REFORM ...]``: reforms against a base, with common random
numbers, paired 95% CIs, time-limit compression and contributions."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from simhall.cli.options import (
    add_lang_option,
    add_run_options,
    check_out_dir,
    print_warnings,
    replaced_note,
    run_options,
)


def _cmd_compare(args: argparse.Namespace) -> int:
    from simhall.compare import compare, write_comparison
    from simhall.executors import command_executor
    from simhall.reporting.paired_tables import headline_table
    from simhall.scenario import load_scenario

    check_out_dir(args.out)
    weights = None
    if not args.no_scorecard:
        from simhall.scorecard import read_weights

        weights = read_weights(args.weights)

    base = load_scenario(args.base)
    print_warnings(base.warnings)
    overlays = {}
    for path in args.reforms:
        label = path.stem
        while label in overlays or label == "base":
            label += "_"
        overlays[label] = load_scenario(path)
        print_warnings([w for w in overlays[label].warnings if w not in base.warnings])
    tags = tuple(args.items_tag or ())
    with command_executor(args.workers, args.scheduler) as executor:
        cmp = compare(
            base,
            overlays,
            tags=tags,
            base_label="base",
            with_contributions=not args.no_contributions,
            rank_budget=args.rank_budget,
            scorecard_weights=weights,
            with_scorecard=not args.no_scorecard,
            executor=executor,
            **run_options(args),
        )
    note = replaced_note(args.out)
    out = write_comparison(cmp, args.out, tags)
    if len(cmp.aggregates):
        print(f"Headlines ({', '.join(tags) or 'all items'}): committed before -> recommended")
        print("after = slack in today's limits (base run) + the reform's effect (paired)")
        with pd.option_context("display.width", 250, "display.max_columns", 20):
            print(headline_table(cmp.aggregates).to_string())
        agg = cmp.aggregates[cmp.aggregates["figure"].isin(["limit_sum", "steps_sum"])]
        print()
        print(
            agg[["scenario", "figure", "before", "after", "change_pct", "n_withheld"]]
            .round(2)
            .to_string(index=False)
        )
    if len(cmp.hall):
        print()
        print(
            cmp.hall[["scenario", "metric", "before", "after", "diff", "ci_low", "ci_high"]]
            .round(3)
            .to_string(index=False)
        )
    if len(cmp.scorecard):
        card = cmp.scorecard[cmp.scorecard["metric"] == "total"]
        print("\nWindow scorecard total (of 100) per department, before -> after (paired CI):")
        print(
            card[["scenario", "department", "before", "after", "diff", "ci_low", "ci_high"]]
            .round(2)
            .to_string(index=False)
        )
    bad = cmp.stations[cmp.stations["unstable"].astype(bool)] if len(cmp.stations) else None
    if bad is not None and len(bad):
        print(
            f"\nUNSTABLE stations ({len(bad)} in {bad['scenario'].nunique()} runs): the "
            "recommendations of the items passing them are withheld (report.md, stations.csv)"
        )
        cols = ["scenario", "station", "utilization", "offered_load", "reason"]
        print(bad[cols].round(3).to_string(index=False))
    print(
        f"\nresults written to {out}/{note} (comparison.csv, items.csv, aggregates.csv, "
        "scorecard_paired.csv, report.md, figures)"
    )
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``compare`` sub-command to ``simhall``'s parser."""
    p = subparsers.add_parser(
        "compare", help="compare reform overlays with a base scenario (paired, CRN)"
    )
    p.add_argument("base", type=Path, help="base scenario (TOML)")
    p.add_argument("reforms", type=Path, nargs="+", help="reform overlays extending the base")
    add_run_options(p)
    p.add_argument("--out", type=Path, default=Path("results/compare"), help="output folder")
    p.add_argument(
        "--items-tag",
        action="append",
        metavar="TAG",
        help="item tag of the aggregate set (repeatable; default: all items)",
    )
    p.add_argument(
        "--no-contributions", action="store_true", help="skip the add-one / leave-one-out runs"
    )
    p.add_argument(
        "--rank-budget",
        type=int,
        metavar="N",
        help="rank departments for chief representatives within N representatives",
    )
    p.add_argument(
        "--weights",
        type=Path,
        metavar="WEIGHTS.toml",
        help="scheme of the window scorecard before and after (default: the bundled one)",
    )
    p.add_argument(
        "--no-scorecard", action="store_true", help="skip the window scorecard before and after"
    )
    add_lang_option(p)
    p.set_defaults(func=_cmd_compare)
