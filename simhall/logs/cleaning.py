"""Cleaning: a raw case-log extract through every check to a clean event log, saying what went.

Cleaning a hall's export is like an auditor going through the register before computing
waiting times: lines without a file number are set aside, dates written as "2023-13-45" or
"1900-01-01" are questioned, a step recorded as finished before it began is queried, a line
entered twice is counted once. The auditor never quietly tears out a page: every check here
reports the source rows it touched (CSV: file line numbers, the header being line 1 -- exact
unless a quoted value spans several lines, then record number + 1; Parquet: 1-based row
numbers; XES: 1-based event numbers in file order), how many, and what was done.

:func:`clean_events` runs the checks of :mod:`simhall.logs.checks` in order (blank rows,
missing values, timestamps, time order, duplicates, unknown items, acceptance), collects
their :class:`~simhall.logs.issues.Issue` list, gives the events the schema's dtypes, sorts
them by case and completion, and adds notes on the log as a whole (no start times, share of
date-only timestamps, rows dropped). With ``strict`` it raises instead, listing every problem.
The function is pure: it takes a frame and returns new objects. The raw frame's index holds
the source row numbers.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simhall.logs.checks import (
    check_acceptance,
    check_blank_rows,
    check_duplicates,
    check_missing_values,
    check_offsets,
    check_time_order,
    check_timestamps,
    check_unknown_items,
)
from simhall.logs.errors import LogError
from simhall.logs.issues import Issue, format_issues, issues_frame
from simhall.logs.schema import REQUIRED_EVENT_COLUMNS, canonicalize_events
from simhall.logs.timestamps import low_precision_flags, precision_note

__all__ = ["CleanedLog", "clean_events"]


@dataclass
class CleanedLog:
    """Outcome of :func:`clean_events`.

    Parameters
    ----------
    events : DataFrame
        Clean events (schema columns, canonical dtypes), sorted by ``case_id`` then ``end``;
        the index (``source_row``) holds the source row numbers.
    issues : list of Issue
        What was found and done.
    low_precision : Series of bool
        Per event: a timestamp of it carries no time of day (exactly local midnight).
    notes : list of str
        Remarks on the log as a whole.
    """

    events: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    low_precision: pd.Series = field(default_factory=lambda: pd.Series(dtype=bool))
    notes: list[str] = field(default_factory=list)


def clean_events(
    raw: pd.DataFrame,
    *,
    items: Collection[str] | None = None,
    accept_activity: str | None = "accept",
    timezone: str | None = None,
    today: pd.Timestamp | None = None,
    strict: bool = False,
    file: str | None = None,
) -> CleanedLog:
    """Run all checks on a raw event extract.

    Parameters
    ----------
    raw : DataFrame
        Schema-named columns (``end`` required; strings or datetimes), index = 1-based
        source row numbers.
    items : collection of str, optional
        Known item ids; when given, events of other items are dropped.
    accept_activity : str or None, default "accept"
        Activity marking acceptance; None skips the ``no_acceptance`` check.
    timezone : str, optional
        See :func:`~simhall.logs.timestamps.parse_timestamps`.
    today : Timestamp, optional
        Reference for the upper bound of possible dates.
    strict : bool, default False
        Raise instead of dropping or blanking anything.
    file : str, optional
        Source file named in errors.

    Returns
    -------
    CleanedLog
        Clean, canonical events sorted by ``case_id`` and ``end`` with the issues found.

    Raises
    ------
    LogError
        If required columns are absent, or if ``strict`` and any check found a problem
        (the message lists every problem and its rows).
    """
    missing = [c for c in REQUIRED_EVENT_COLUMNS if c not in raw.columns]
    if missing:
        raise LogError(
            f"missing required column(s) {missing}; columns found: {list(raw.columns)}",
            file=file,
        )
    issues: list[Issue] = []
    df, issue = check_blank_rows(raw)
    issues += [issue] if issue else []
    df, found = check_missing_values(df)
    issues += found
    issues += check_offsets(df, timezone=timezone)
    df, found = check_timestamps(df, timezone=timezone, today=today)
    issues += found
    df, found = check_time_order(df)
    issues += found
    df, found = check_duplicates(df)
    issues += found
    if items is not None:
        df, issue = check_unknown_items(df, items)
        issues += [issue] if issue else []
    if accept_activity is not None:
        issue = check_acceptance(df, accept_activity)
        issues += [issue] if issue else []
    if strict and issues:
        raise LogError(
            f"{len(issues)} problem(s) in the log (strict mode):\n"
            + format_issues(issues_frame(issues)),
            file=file,
        )
    events = canonicalize_events(df)
    events.index = pd.Index(df.index.to_numpy(dtype=np.int64), name="source_row")
    events = events.sort_values(["case_id", "end"], kind="stable")
    notes = column_notes(events) if len(events) else []
    dropped = sum(i.count for i in issues if i.action == "dropped")
    if dropped:
        notes.append(f"{dropped} source row(s) dropped by cleaning (see issues)")
    return CleanedLog(events, issues, low_precision_flags(events), notes)


def column_notes(events: pd.DataFrame) -> list[str]:
    """Caveats about the columns of a log's (non-empty) clean events: start or ready
    timestamps missing, timestamps without a time of day."""
    notes: list[str] = []
    if events["start"].isna().all():
        notes.append("no start timestamps: durations will be estimated from completion times")
    elif events["start"].isna().any():
        share = 100 * events["start"].isna().mean()
        notes.append(f"{share:.1f}% of events have no start timestamp")
    if events["ready"].isna().all():
        notes.append("no ready timestamps: waiting before activities is not observed")
    precision = precision_note(events)
    if precision:
        notes.append(precision)
    return notes
