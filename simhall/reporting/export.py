"""Tables and figures for slides and papers: each table as CSV, Markdown and LaTeX, each
figure as PDF, SVG and PNG, byte for byte the same for the same input.

Like a print shop that keeps one plate per page and prints it on any paper, a table is
formatted once (:func:`format_cell`: at most 4 significant digits, missing values as ``-``)
and written in three formats; a figure is rendered by :mod:`simhall.reporting.figures`
without dates or random ids.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from simhall.io import atomic_write_csv, atomic_write_text
from simhall.reporting.figures import FIGURE_FORMATS, PRINT_DPI, save_figure
from simhall.reporting.markdown import markdown_table

__all__ = [
    "TABLE_FORMATS",
    "format_cell",
    "latex_table",
    "write_figure_files",
    "write_table_files",
]

TABLE_FORMATS = ("csv", "md", "tex")
"""The formats each table is written in."""

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def format_cell(value: object) -> str:
    """A table cell: whole numbers without decimals, other numbers to 4 significant digits,
    missing values as ``-``, ``|`` replaced so Markdown tables hold."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return "-"
        if value.is_integer() and abs(value) < 1e9:
            return f"{value:.0f}"
        return f"{value:.4g}"
    if value is None or value is pd.NA or value is pd.NaT:
        return "-"
    return str(value).replace("|", "/")


def _latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def latex_table(frame: pd.DataFrame, caption: str = "", label: str = "") -> str:
    """``frame`` as a LaTeX ``table`` with a booktabs ``tabular`` (``\\toprule``,
    ``\\midrule``, ``\\bottomrule``); numbers right-aligned, text left. Chinese text needs
    a CJK-capable LaTeX (xelatex with ``xeCJK``, or ``ctex``)."""
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    spec = "".join("r" if n else "l" for n in numeric)
    head = " & ".join(_latex_escape(str(c)) for c in frame.columns) + r" \\"
    body = [
        " & ".join(_latex_escape(format_cell(v)) for v in row) + r" \\"
        for row in frame.itertuples(index=False)
    ]
    lines = [r"\begin{table}[htbp]", r"\centering"]
    if caption:
        lines.append(r"\caption{" + _latex_escape(caption) + "}")
    if label:
        lines.append(r"\label{" + label + "}")
    lines += [
        r"\begin{tabular}{" + spec + "}",
        r"\toprule",
        head,
        r"\midrule",
        *body,
        r"\bottomrule",
        r"\end{tabular}",
        r"\end{table}",
    ]
    return "\n".join(lines) + "\n"


def write_table_files(
    frame: pd.DataFrame, stem: str | os.PathLike[str], caption: str = ""
) -> list[Path]:
    """Write ``frame`` as ``<stem>.csv``, ``<stem>.md`` and ``<stem>.tex``; the paths."""
    base = Path(stem)
    csv_path = atomic_write_csv(frame, base.with_name(base.name + ".csv"))
    md = markdown_table(frame, format_cell) + "\n"
    md_path = atomic_write_text(md, base.with_name(base.name + ".md"))
    tex = latex_table(frame, caption, label=f"tab:{base.name}")
    tex_path = atomic_write_text(tex, base.with_name(base.name + ".tex"))
    return [csv_path, md_path, tex_path]


def write_figure_files(
    fig: Figure, stem: str | os.PathLike[str], dpi: int = PRINT_DPI
) -> list[Path]:
    """Write ``fig`` as ``<stem>.pdf``, ``<stem>.svg`` and ``<stem>.png`` (``dpi``)."""
    return save_figure(fig, stem, FIGURE_FORMATS, dpi)
