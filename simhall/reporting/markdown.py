"""Markdown tables for the reports simhall writes (calibration, validation, comparison,
studies): one renderer, each report choosing how its cells are formatted."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd


def markdown_table(frame: pd.DataFrame, cell: Callable[[object], str] = str) -> str:
    """A GitHub Markdown table of ``frame``, each value rendered by ``cell``.

    Examples
    --------
    >>> print(markdown_table(pd.DataFrame({"item": ["a"], "days": [3]})))
    | item | days |
    | --- | --- |
    | a | 3 |
    """
    cols = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "| " + " | ".join("---" for _ in cols) + " |"]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return "\n".join(lines)
