"""``simhall report FOLDER --out DIR``: figures and tables of an output folder for slides
and papers (PDF, SVG, PNG; CSV, Markdown, LaTeX) with a ``report.md``
(:mod:`simhall.reporting.folder_report`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from simhall.cli.options import add_lang_option, check_out_dir, replaced_note

__all__ = ["register"]


def _cmd_report(args: argparse.Namespace) -> int:
    from simhall.reporting.folder_report import write_report

    check_out_dir(args.out)
    note = replaced_note(args.out)
    out = write_report(args.folder, args.out, lang=args.lang)
    print(
        f"report written to {out}/{note} (report.md, figures as PDF/SVG/PNG, tables as "
        "CSV/Markdown/LaTeX, README.md)"
    )
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``report`` sub-command to ``simhall``'s parser."""
    p = subparsers.add_parser(
        "report",
        help="figures and tables of an output folder for slides and papers",
        description="Read the output folder of run, compare, validate or study (its "
        "manifest.json says which) and write every figure as PDF, SVG and PNG (300 dpi), "
        "every table as CSV, Markdown and LaTeX (booktabs), and a report.md with captions. "
        "The same folder gives byte-identical files.",
    )
    p.add_argument("folder", type=Path, help="output folder of simhall run/compare/validate/study")
    p.add_argument("--out", type=Path, default=Path("results/report"), help="output folder")
    add_lang_option(p)
    p.set_defaults(func=_cmd_report)
