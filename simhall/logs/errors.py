"""The one error of the logs package: a case log or catalogue that cannot be read.

When a records office refuses a register it says exactly what is wrong and where: which file,
which lines, which column, the value found and what was expected. :class:`LogError` carries
those parts and writes them into its message, so a command line shows a hall's analyst the
line to fix instead of a traceback; the command-line layer turns it into exit status 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class LogError(ValueError):
    """A case log or catalogue that cannot be read as the schema requires.

    The message names what is known of the problem: the file, the source row or line, the
    column, the offending value and what was expected.

    Parameters
    ----------
    message : str
        What is wrong.
    file : str or Path, optional
        The source file.
    rows : sequence of int, optional
        1-based source row numbers (CSV: file line numbers, the header being line 1).
    column : str, optional
        The (source) column concerned.
    value : object, optional
        The offending value.
    expected : str, optional
        What would have been acceptable.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        rows: Sequence[int] | None = None,
        column: str | None = None,
        value: object = None,
        expected: str | None = None,
    ) -> None:
        self.file = None if file is None else str(file)
        self.rows = list(rows) if rows is not None else []
        self.column = column
        self.value = value
        self.expected = expected
        parts = [message]
        if self.file is not None:
            parts.append(f"file: {self.file}")
        if self.rows:
            parts.append(f"rows: {format_rows(self.rows)}")
        if column is not None:
            parts.append(f"column: {column!r}")
        if value is not None:
            parts.append(f"value: {value!r}")
        if expected is not None:
            parts.append(f"expected: {expected}")
        super().__init__("; ".join(parts))


def format_rows(rows: Sequence[int], limit: int = 20) -> str:
    """Render row numbers for a message, truncated to the first ``limit``.

    Parameters
    ----------
    rows : sequence of int
        Row numbers.
    limit : int, default 20
        How many to show.

    Returns
    -------
    str
        E.g. ``"2, 5, 9"`` or ``"2, 3, ... (+980 more)"``.
    """
    shown = ", ".join(str(int(r)) for r in list(rows[:limit]))
    if len(rows) > limit:
        shown += f", ... (+{len(rows) - limit} more)"
    return shown
