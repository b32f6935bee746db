"""Issues: what a check found in a case log, on which source rows, and what was done.

An auditor's query slip says "lines 5 and 7: the completion time cannot be read; the lines
were set aside". An :class:`Issue` is one such slip for one class of problem: the check that
found it, the schema column, every source row concerned, and the action (``dropped``,
``kept`` or ``failed``). Row numbers are those of the source file: CSV file line numbers,
the header being line 1 (exact unless a quoted value spans several lines, then record
number + 1); Parquet 1-based row numbers; XES 1-based event numbers in file order.
:func:`issues_frame` collects slips into a tidy frame (:data:`ISSUE_COLUMNS`) and
:func:`format_issues` writes them for a terminal, row numbers truncated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simhall.logs.errors import format_rows

__all__ = ["ISSUE_COLUMNS", "Issue", "format_issues", "issues_frame"]

ISSUE_COLUMNS: tuple[str, ...] = ("check", "column", "count", "rows", "action", "detail")
"""Columns of the issues frame."""


@dataclass(frozen=True)
class Issue:
    """One class of problem found by a check.

    Parameters
    ----------
    check : str
        Name of the check (see :mod:`simhall.logs.checks`).
    rows : ndarray of int
        1-based source row numbers concerned.
    action : {"dropped", "kept", "failed"}
        What was done with the rows (``failed``: nothing could be done, reading failed).
    column : str, optional
        The schema column concerned.
    detail : str
        Explanation with examples.
    """

    check: str
    rows: np.ndarray
    action: str
    column: str | None = None
    detail: str = ""

    @property
    def count(self) -> int:
        """Number of rows concerned."""
        return len(self.rows)


def issues_frame(issues: Sequence[Issue]) -> pd.DataFrame:
    """Collect issues into a frame with one row per problem class.

    Parameters
    ----------
    issues : sequence of Issue
        Issues found.

    Returns
    -------
    DataFrame
        Columns :data:`ISSUE_COLUMNS`; ``rows`` holds Python lists of all row numbers.
    """
    return pd.DataFrame(
        {
            "check": [i.check for i in issues],
            "column": [i.column for i in issues],
            "count": np.array([i.count for i in issues], dtype=np.int64),
            "rows": [[int(r) for r in i.rows] for i in issues],
            "action": [i.action for i in issues],
            "detail": [i.detail for i in issues],
        },
        columns=list(ISSUE_COLUMNS),
    )


def format_issues(issues: pd.DataFrame, limit: int = 20) -> str:
    """Render an issues frame as text, one line per problem, rows truncated to ``limit``.

    Parameters
    ----------
    issues : DataFrame
        As returned by :func:`issues_frame`.
    limit : int, default 20
        Row numbers shown per problem.

    Returns
    -------
    str
        Lines like ``"unparseable_time [end]: 2 row(s) dropped: rows 3, 7 -- ..."``.
    """
    lines = []
    for rec in issues.to_dict("records"):
        column = f" [{rec['column']}]" if isinstance(rec["column"], str) else ""
        detail = f" -- {rec['detail']}" if rec["detail"] else ""
        rows = format_rows([int(r) for r in rec["rows"]], limit)
        lines.append(
            f"{rec['check']}{column}: {rec['count']} row(s) {rec['action']}: rows {rows}{detail}"
        )
    return "\n".join(lines)
