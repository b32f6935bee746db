"""The checks a raw case-log extract goes through, each reporting the rows it touched.

Each check is one question an auditor asks of the register before computing waiting times:
is this line empty, has it a file number, can its dates be read and are they possible, did
the step end before it began, was the line entered twice, is the item in the catalogue, was
the file ever accepted. Each function takes the events (index = source rows) and returns the
events it keeps with the :class:`~simhall.logs.issues.Issue` found; none changes its input.
:func:`simhall.logs.cleaning.clean_events` runs them in the order below.

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
mixed_offsets      a timestamp column mixing UTC offsets (``Z``, ``+08:00``,     kept
                   none); the rows are those not in the most common one
================== =========================================================== ==========
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from simhall.logs.issues import Issue
from simhall.logs.schema import TIME_COLUMNS
from simhall.logs.timestamps import NO_OFFSET, offset_labels, parse_timestamps

__all__ = [
    "EARLIEST_DATE",
    "check_acceptance",
    "check_blank_rows",
    "check_duplicates",
    "check_offsets",
    "check_missing_values",
    "check_time_order",
    "check_timestamps",
    "check_unknown_items",
]

EARLIEST_DATE = pd.Timestamp("1990-01-01")
"""Timestamps before this are impossible for a service-hall log."""


def _examples(values: pd.Series, n: int = 3) -> str:
    uniq = pd.unique(values.astype("object"))[:n]
    return ", ".join(repr(v) for v in uniq)


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


def _daylight_saving(labels: list[str]) -> bool:
    """Two offsets one hour apart and no value without one: one zone's standard and summer
    time (BPIC15: +01:00 and +02:00), whose written wall-clock time is right as it is."""
    if len(labels) != 2 or NO_OFFSET in labels:
        return False
    minutes = [_offset_minutes(x) for x in labels]
    return abs(minutes[0] - minutes[1]) == 60


def _zone_offsets(raw: pd.Series, labels: pd.Series, timezone: str) -> bool:
    """Whether every value carries an offset and each is the zone's own at that moment (its
    standard and summer time: BPIC15's +01:00 and +02:00 in Europe/Amsterdam), so that the
    values converted to the zone keep the wall-clock time written."""
    if (labels == NO_OFFSET).any():
        return False
    present = labels.notna()
    utc = pd.to_datetime(raw[present], utc=True, errors="coerce", format="mixed")
    if utc.isna().any():
        return False
    local = utc.dt.tz_convert(timezone).dt.tz_localize(None)
    zone_min = ((local - utc.dt.tz_localize(None)).dt.total_seconds() // 60).astype("int64")
    written = labels[present].map(_offset_minutes).astype("int64")
    return bool((zone_min.to_numpy() == written.to_numpy()).all())


def _offset_minutes(label: str) -> int:
    """Minutes east of UTC of an offset label (``UTC``, ``+08:00``)."""
    return 0 if label == "UTC" else int(label[0] + "1") * (60 * int(label[1:3]) + int(label[4:6]))


def check_offsets(df: pd.DataFrame, *, timezone: str | None = None) -> list[Issue]:
    """Report timestamp columns that mix UTC offsets (values kept, converted as
    :func:`~simhall.logs.timestamps.parse_timestamps` does).

    Parameters
    ----------
    df : DataFrame
        Raw events (timestamp columns as read).
    timezone : str, optional
        The zone values are converted to (None: offsets dropped, wall-clock time kept).

    Returns
    -------
    list of Issue
        One ``mixed_offsets`` issue per column whose present values carry more than one
        offset (no offset counting as one); its rows are the values not in the most common.
        Without a zone, two offsets one hour apart (summer time) are not reported; with one,
        offsets that are each the zone's own at their moment are not reported.
    """
    issues: list[Issue] = []
    for column in TIME_COLUMNS:
        if column not in df.columns:
            continue
        labels = offset_labels(df[column])
        if labels is None:
            continue
        counts = labels.value_counts()
        if len(counts) < 2 or (timezone is None and _daylight_saving(list(counts.index))):
            continue
        if timezone is not None and _zone_offsets(df[column], labels, timezone):
            continue
        odd = (labels.notna() & (labels != counts.index[0])).to_numpy(dtype=bool)
        mix = ", ".join(f"{n} {label}" for label, n in counts.items())
        if timezone is None:
            done = (
                "offsets dropped and the wall-clock time written kept, so times written in "
                "different offsets are not comparable (give the hall's zone: --timezone)"
            )
        else:
            done = (
                f"values with an offset converted to {timezone}, values without one read as "
                f"{timezone} wall-clock time"
            )
        issues.append(
            Issue("mixed_offsets", df.index.to_numpy()[odd], "kept", column, f"{mix}: {done}")
        )
    return issues


def check_timestamps(
    df: pd.DataFrame, *, timezone: str | None = None, today: pd.Timestamp | None = None
) -> tuple[pd.DataFrame, list[Issue]]:
    """Parse the timestamp columns; drop or blank unreadable, missing and impossible values.

    Parameters
    ----------
    df : DataFrame
        Raw events with an ``end`` column and optionally ``ready``/``start``.
    timezone : str, optional
        See :func:`~simhall.logs.timestamps.parse_timestamps`.
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
