"""``simhall study NAME``: run a bundled case study and write its tables.

* ``huainan-2007``: the report's post-reform figures against simhall's predictions
  (:mod:`simhall.studies.huainan`).
* ``bpic15``: calibrate on the real BPIC15 log, score a held-out year against the naive
  forecast (:mod:`simhall.studies.bpic15`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from simhall.cli.options import (
    add_lang_option,
    check_out_dir,
    nonneg_int,
    positive_int,
    replaced_note,
)


def _cmd_study(args: argparse.Namespace) -> int:
    check_out_dir(args.out)
    note = replaced_note(args.out)
    if args.name == "huainan-2007":
        from simhall.studies.huainan import run_study as huainan

        study = huainan(
            days=args.days or 365,
            reps=args.reps or 5,
            seed=2007 if args.seed is None else args.seed,
            workers=args.workers,
            show_progress=False if args.quiet else None,
        )
        out = study.write(args.out)
        print(study.table.round(3).to_string(index=False))
    else:
        from simhall.studies.bpic15 import run_study as bpic15

        result = bpic15(
            reps=args.reps or 3, seed=2015 if args.seed is None else args.seed, workers=args.workers
        )
        out = result.write(args.out)
        print(result.to_markdown())
    print(f"\nresults written to {out}/{note}")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``study`` sub-command to ``simhall``'s parser."""
    p = subparsers.add_parser("study", help="run a bundled case study (huainan-2007, bpic15)")
    p.add_argument("name", choices=["huainan-2007", "bpic15"], help="which study")
    p.add_argument("--days", type=positive_int, help="calendar days (huainan-2007; default 365)")
    p.add_argument("--reps", type=positive_int, help="replications")
    p.add_argument("--seed", type=nonneg_int, help="master seed")
    p.add_argument("--workers", type=positive_int, default=1, help="worker processes")
    p.add_argument("--out", type=Path, default=Path("results/study"), help="output folder")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_lang_option(p)
    p.set_defaults(func=_cmd_study)
