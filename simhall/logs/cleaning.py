"""Checks that turn a raw case-log extract into a clean event log, and say what they removed.

Cleaning a hall's export is like an auditor going through the register before computing
waiting times: lines without a file number are set aside, dates written as "2023-13-45" or
"1900-01-01" are questioned, a step recorded as finished before it began is queried, a line
entered twice is counted once. The auditor never quietly tears out a page: every check here
reports the source rows it touched (CSV: file line numbers, the header being line 1 -- exact
unless a quoted value spans several lines, then record number + 1; Parquet: 1-based row
numbers; XES: 1-based event numbers in file order), how many, and what was done.

Rule for what is done: a bad value in a required column (``case_id``, ``item_id``,
``activity``, ``end``) drops the event; a bad value in an optional column (``ready``,
``start``) is blanked and the event kept. Checks (``check`` names in the issues frame):

================== =========================================================== ==========
check              what                                                        action
================== =========================================================== ==========
blank_row          a completely empty source row                               dropped
missing_value      empty ``case_id``, ``item_id``, ``activity`` or ``end``     dropped
unparseable_time   a timestamp that cannot be read (``end`` / optional)        dropped /
                                                                               kept
impossible_date    before 1990-01-01 or after today + 1 year                   dropped /
                                                                               kept
end_before_start   ``end`` earlier than ``start`` (start blanked)              kept
ready_after_start  ``ready`` later than ``start`` (or ``end`` if no start)     kept
duplicate_event    same case, activity, ready, start, end, resource as an earlier row dropped
possible_duplicate the same, but all its timestamps are date-only               kept
unknown_item       ``item_id`` not in the items catalogue                      dropped
no_acceptance      rows of cases without an acceptance event                   kept
================== =========================================================== ==========

All functions are pure: they take a frame and return new objects. The raw frame's index
holds the source row numbers.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from simhall.logs.errors import LogError, format_rows
from simhall.logs.schema import REQUIRED_EVENT_COLUMNS, TIME_COLUMNS, canonicalize_events

ISSUE_COLUMNS: tuple[str, ...] = ("check", "column", "count", "rows", "action", "detail")
"""Columns of the issues frame."""

EARLIEST_DATE = pd.Timestamp("1990-01-01")
"""Timestamps before this are impossible for a service-hall log."""

_TZ_SUFFIX = re.compile(
    r"(\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$"
)
_HAS_TZ = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$")
_CJK_DATE = (
    ("年", "-"),
    ("月", "-"),
    ("日", " "),
    ("时", ":"),
    ("点", ":"),
    ("分", ":"),
    ("秒", ""),
)


@dataclass(frozen=True)
class Issue:
    """One class of problem found by a check.

    Parameters
    ----------
    check : str
        Name of the check (see the module docstring).
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


def _examples(values: pd.Series, n: int = 3) -> str:
    uniq = pd.unique(values.astype("object"))[:n]
    return ", ".join(repr(v) for v in uniq)


def _arrow(s: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    if not isinstance(s.array, pd.arrays.ArrowStringArray):
        return None
    try:
        return pa.array(s.array)
    except (TypeError, pa.ArrowInvalid):
        return None


def _matches(s: pd.Series, pattern: re.Pattern[str]) -> np.ndarray:
    """Vectorized regex search (pyarrow RE2 when possible); missing values give False."""
    arr = _arrow(s)
    if arr is None:
        return s.str.contains(pattern, na=False).to_numpy(dtype=bool)
    found = pc.fill_null(pc.match_substring_regex(arr, pattern.pattern), False)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def _strip_offsets(s: pd.Series) -> pd.Series:
    """Drop UTC offsets after the time of day, keeping the wall-clock time as written."""
    arr = _arrow(s)
    if arr is None:
        return s.str.replace(_TZ_SUFFIX, r"\1", regex=True)
    stripped = pc.replace_substring_regex(arr, pattern=_TZ_SUFFIX.pattern, replacement=r"\1")
    return pd.Series(pd.array(stripped, dtype="str"), index=s.index, name=s.name)


def parse_timestamps(
    raw: pd.Series, *, timezone: str | None = None
) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Parse a timestamp column to naive local wall-clock ``datetime64[ns]``.

    Strings are read as ISO 8601 first (``2023-05-06 09:12:33``, ``2023/05/06 09:12``,
    ``2023-05-06``, ``2014-04-11T00:00:00+02:00``); the few that fail are retried with
    ``年月日`` forms normalized and pandas' flexible parser. UTC offsets: with ``timezone``
    None the wall-clock time written is kept and the offset dropped; otherwise times are
    converted to ``timezone`` and the zone dropped. Datetime columns (Parquet) are converted
    the same way.

    Parameters
    ----------
    raw : Series
        Strings, datetimes or missing values.
    timezone : str, optional
        IANA zone to convert offset-carrying times to.

    Returns
    -------
    Series
        ``datetime64[ns]`` values (NaT where missing or unreadable).
    ndarray of bool
        Values present but unreadable.
    ndarray of bool
        Values readable but outside the representable range (years 1678-2261); they are
        NaT in the result and belong to the impossible dates.
    """
    n = len(raw)
    none = np.zeros(n, dtype=bool)
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        values = raw
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            if timezone is not None:
                values = values.dt.tz_convert(timezone)
            values = values.dt.tz_localize(None)
        return values.astype("datetime64[ns]"), none, none.copy()
    s = raw.astype("str").str.strip()
    missing = (s.isna() | (s == "")).to_numpy(dtype=bool, na_value=True)
    s = s.where(~missing)
    has_tz = _matches(s, _HAS_TZ)
    if has_tz.any():
        if timezone is None:
            s = _strip_offsets(s)
            parsed = pd.to_datetime(s, format="ISO8601", errors="coerce")
        else:
            naive = pd.to_datetime(s.where(~has_tz), format="ISO8601", errors="coerce")
            aware = pd.to_datetime(s.where(has_tz), format="ISO8601", errors="coerce", utc=True)
            local = aware.dt.tz_convert(timezone).dt.tz_localize(None)
            parsed = naive.where(~has_tz, local.astype(naive.dtype))
    else:
        parsed = pd.to_datetime(s, format="ISO8601", errors="coerce")
    failed = parsed.isna().to_numpy() & ~missing
    if failed.any():
        retry = s[failed]
        uniq = pd.Series(pd.unique(retry.astype("object")))
        norm = uniq.astype("str")
        for a, b in _CJK_DATE:
            norm = norm.str.replace(a, b, regex=False)
        norm = norm.str.strip().str.rstrip(":")
        second = pd.to_datetime(norm, format="mixed", errors="coerce")
        lookup = pd.Series(second.to_numpy(), index=uniq.to_numpy())
        fixed = lookup.reindex(retry.astype("object").to_numpy()).to_numpy()
        parsed = parsed.copy()
        parsed[failed] = fixed
    bad = parsed.isna().to_numpy() & ~missing
    lo, hi = pd.Timestamp.min + pd.Timedelta(days=1), pd.Timestamp.max - pd.Timedelta(days=1)
    out_of_range = (parsed.notna() & ((parsed < lo) | (parsed > hi))).to_numpy(dtype=bool)
    parsed = parsed.where(~out_of_range)
    return parsed.astype("datetime64[ns]"), bad, out_of_range


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


def check_blank_rows(df: pd.DataFrame) -> tuple[pd.DataFrame, Issue | None]:
    """Drop rows where every column is empty (blank lines in a CSV).

    Parameters
    ----------
    df : DataFrame
        Raw events, index = source rows.

    Returns
    -------
    DataFrame
        Without the blank rows.
    Issue or None
        ``blank_row`` issue, if any.
    """
    blank = np.ones(len(df), dtype=bool)
    for column in df.columns:
        col = df[column]
        empty = col.isna().to_numpy(dtype=bool).copy()
        if not pd.api.types.is_datetime64_any_dtype(col.dtype):
            empty |= (col.astype("str").str.strip() == "").to_numpy(dtype=bool, na_value=True)
        blank &= empty
    if not blank.any():
        return df, None
    rows = df.index.to_numpy()[blank]
    return df[~blank], Issue("blank_row", rows, "dropped", None, "empty row")


def check_missing_values(
    df: pd.DataFrame, columns: Sequence[str] = ("case_id", "item_id", "activity")
) -> tuple[pd.DataFrame, list[Issue]]:
    """Drop events with an empty required identifier.

    Parameters
    ----------
    df : DataFrame
        Raw events.
    columns : sequence of str
        Required identifier columns to check (``end`` is checked with the timestamps).

    Returns
    -------
    DataFrame
        Events with all of ``columns`` present.
    list of Issue
        One ``missing_value`` issue per column with empties.
    """
    issues: list[Issue] = []
    drop = np.zeros(len(df), dtype=bool)
    for column in columns:
        if column not in df.columns:
            continue
        col = df[column]
        empty = col.isna().to_numpy(dtype=bool) | (col.astype("str").str.strip() == "").to_numpy(
            dtype=bool, na_value=True
        )
        if empty.any():
            rows = df.index.to_numpy()[empty & ~drop]
            issues.append(
                Issue("missing_value", rows, "dropped", column, f"no {column}: event dropped")
            )
            drop |= empty
    return (df[~drop] if drop.any() else df), issues


def check_timestamps(
    df: pd.DataFrame, *, timezone: str | None = None, today: pd.Timestamp | None = None
) -> tuple[pd.DataFrame, list[Issue]]:
    """Parse the timestamp columns; drop or blank unreadable, missing and impossible values.

    Parameters
    ----------
    df : DataFrame
        Raw events with an ``end`` column and optionally ``ready``/``start``.
    timezone : str, optional
        See :func:`parse_timestamps`.
    today : Timestamp, optional
        Reference date for the upper bound of possible dates (today + 1 year); default now.

    Returns
    -------
    DataFrame
        Events with parsed ``datetime64[ns]`` timestamp columns.
    list of Issue
        ``missing_value`` (end), ``unparseable_time`` and ``impossible_date`` issues.
    """
    today = pd.Timestamp.now().normalize() if today is None else pd.Timestamp(today)
    latest = today + pd.Timedelta(days=366)
    issues: list[Issue] = []
    out = df.copy()
    drop = np.zeros(len(df), dtype=bool)
    index = df.index.to_numpy()
    for column in TIME_COLUMNS:
        if column not in df.columns:
            continue
        raw = df[column]
        values, bad, out_of_range = parse_timestamps(raw, timezone=timezone)
        required = column == "end"
        action = "dropped" if required else "kept"
        consequence = "event dropped" if required else f"{column} blanked, event kept"
        if required:
            missing = values.isna().to_numpy() & ~bad & ~out_of_range
            if missing.any():
                issues.append(
                    Issue("missing_value", index[missing], "dropped", column, "no end: dropped")
                )
                drop |= missing
        if bad.any():
            issues.append(
                Issue(
                    "unparseable_time",
                    index[bad],
                    action,
                    column,
                    f"cannot read as a date/time ({consequence}); e.g. {_examples(raw[bad])}",
                )
            )
            if required:
                drop |= bad
        impossible = out_of_range | (
            values.notna() & ((values < EARLIEST_DATE) | (values > latest))
        ).to_numpy(dtype=bool)
        if impossible.any():
            issues.append(
                Issue(
                    "impossible_date",
                    index[impossible],
                    action,
                    column,
                    f"before {EARLIEST_DATE.date()} or after {latest.date()} ({consequence}); "
                    f"e.g. {_examples(raw[impossible])}",
                )
            )
            values = values.where(~impossible)
            if required:
                drop |= impossible
        out[column] = values
    return (out[~drop] if drop.any() else out), issues


def check_time_order(df: pd.DataFrame) -> tuple[pd.DataFrame, list[Issue]]:
    """Blank ``start`` where it is after ``end``, and ``ready`` where it is after the start.

    Parameters
    ----------
    df : DataFrame
        Events with parsed timestamps.

    Returns
    -------
    DataFrame
        Events with contradicting optional timestamps blanked.
    list of Issue
        ``end_before_start`` and ``ready_after_start`` issues (rows kept).
    """
    issues: list[Issue] = []
    out = df
    index = df.index.to_numpy()
    if "start" in df.columns:
        wrong = (df["end"] < df["start"]).to_numpy(dtype=bool, na_value=False)
        if wrong.any():
            issues.append(
                Issue(
                    "end_before_start",
                    index[wrong],
                    "kept",
                    "start",
                    "end earlier than start: start blanked, event kept",
                )
            )
            out = out.copy()
            out["start"] = out["start"].where(~wrong)
    if "ready" in df.columns:
        began = out["start"].fillna(out["end"]) if "start" in out.columns else out["end"]
        wrong = (out["ready"] > began).to_numpy(dtype=bool, na_value=False)
        if wrong.any():
            issues.append(
                Issue(
                    "ready_after_start",
                    index[wrong],
                    "kept",
                    "ready",
                    "ready later than start (or end where no start): ready blanked, event kept",
                )
            )
            out = out.copy()
            out["ready"] = out["ready"].where(~wrong)
    return out, issues


def check_duplicates(df: pd.DataFrame) -> tuple[pd.DataFrame, list[Issue]]:
    """Drop repeated events (same case, activity, ready, start, end and resource), keeping
    the first.

    ``ready`` takes part when the log has it: two files of one case leaving on the same
    courier run (parallel branches) share start and end but became ready at different
    times, and are two events, not one.

    A repeat is dropped only when its timestamps carry a time of day. When they are all
    date-only (exactly local midnight), two identical rows may well be two real executions
    of the step on the same day (BPIC15 has such pairs, differing in attributes not read):
    they are kept and reported as ``possible_duplicate``.

    Parameters
    ----------
    df : DataFrame
        Events with parsed timestamps.

    Returns
    -------
    DataFrame
        Without the dropped repeats.
    list of Issue
        ``duplicate_event`` (dropped) and ``possible_duplicate`` (kept) issues.
    """
    columns = ("case_id", "activity", "ready", "start", "end", "resource")
    subset = [c for c in columns if c in df.columns]
    dup = df.duplicated(subset=subset, keep="first").to_numpy()
    if not dup.any():
        return df, []
    precise = np.zeros(len(df), dtype=bool)
    for column in TIME_COLUMNS:
        if column in df.columns:
            values = df[column]
            precise |= (values.notna() & (values != values.dt.normalize())).to_numpy(dtype=bool)
    rows = df.index.to_numpy()
    same = f"same {', '.join(subset)} as an earlier row"
    issues = []
    drop = dup & precise
    if drop.any():
        issues.append(
            Issue("duplicate_event", rows[drop], "dropped", None, f"{same}: repeat dropped")
        )
    maybe = dup & ~precise
    if maybe.any():
        issues.append(
            Issue(
                "possible_duplicate",
                rows[maybe],
                "kept",
                None,
                f"{same}, but timestamps have no time of day (may be a real repeat the same "
                "day): kept",
            )
        )
    return (df[~drop] if drop.any() else df), issues


def check_unknown_items(
    df: pd.DataFrame, known: Collection[str]
) -> tuple[pd.DataFrame, Issue | None]:
    """Drop events whose ``item_id`` is not in the items catalogue.

    Parameters
    ----------
    df : DataFrame
        Events.
    known : collection of str
        Item ids of the catalogue.

    Returns
    -------
    DataFrame
        Events of known items.
    Issue or None
        ``unknown_item`` issue.
    """
    unknown = ~df["item_id"].astype("str").isin(list(known)).to_numpy(dtype=bool)
    if not unknown.any():
        return df, None
    return df[~unknown], Issue(
        "unknown_item",
        df.index.to_numpy()[unknown],
        "dropped",
        "item_id",
        f"item not in the catalogue: dropped; e.g. {_examples(df['item_id'][unknown])}",
    )


def check_acceptance(df: pd.DataFrame, accept_activity: str) -> Issue | None:
    """Report the rows of cases that have no acceptance event (they are kept).

    Parameters
    ----------
    df : DataFrame
        Events.
    accept_activity : str
        Activity name of acceptance (受理).

    Returns
    -------
    Issue or None
        ``no_acceptance`` issue with all rows of those cases.
    """
    codes, uniques = pd.factorize(df["case_id"])
    is_accept = (df["activity"].astype("str") == accept_activity).to_numpy(dtype=bool)
    accepted = np.zeros(len(uniques), dtype=bool)
    accepted[codes[is_accept]] = True
    lacking = ~accepted[codes]
    if not lacking.any():
        return None
    n_cases = int((~accepted).sum())
    return Issue(
        "no_acceptance",
        df.index.to_numpy()[lacking],
        "kept",
        "activity",
        f"{n_cases} case(s) without an {accept_activity!r} event: kept",
    )


def low_precision_flags(df: pd.DataFrame) -> pd.Series:
    """Flag events with a timestamp exactly at local midnight (no time of day recorded).

    Parameters
    ----------
    df : DataFrame
        Events with parsed timestamps.

    Returns
    -------
    Series of bool
        Same index as ``df``.
    """
    flag = np.zeros(len(df), dtype=bool)
    for column in TIME_COLUMNS:
        if column in df.columns:
            values = df[column]
            flag |= (values.notna() & (values == values.dt.normalize())).to_numpy(dtype=bool)
    return pd.Series(flag, index=df.index, name="low_precision")


def _precision_note(df: pd.DataFrame) -> str | None:
    n = 0
    midnight = 0
    for column in TIME_COLUMNS:
        if column in df.columns:
            values = df[column].dropna()
            n += len(values)
            midnight += int((values == values.dt.normalize()).sum())
    if n == 0 or midnight == 0:
        return None
    return (
        f"{100 * midnight / n:.1f}% of timestamps carry no time of day (low precision): "
        f"{midnight} of {n} are exactly local midnight"
    )


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
        See :func:`parse_timestamps`.
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
    notes: list[str] = []
    if events["start"].isna().all():
        notes.append("no start timestamps: durations will be estimated from completion times")
    elif events["start"].isna().any():
        share = 100 * events["start"].isna().mean()
        notes.append(f"{share:.1f}% of events have no start timestamp")
    if events["ready"].isna().all():
        notes.append("no ready timestamps: waiting before activities is not observed")
    precision = _precision_note(events)
    if precision:
        notes.append(precision)
    dropped = sum(i.count for i in issues if i.action == "dropped")
    if dropped:
        notes.append(f"{dropped} source row(s) dropped by cleaning (see issues)")
    return CleanedLog(events, issues, low_precision_flags(events), notes)
