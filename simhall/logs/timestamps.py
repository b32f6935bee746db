"""Timestamps of a case log: parsing them to naive local wall-clock time, and their precision.

Registers write times in many hands: ``2023-05-06 09:12:33``, ``2023/05/06 09:12``,
``2024年3月4日 9时5分``, ISO 8601 with a UTC offset (``2014-04-11T00:00:00+02:00``), or a date
alone. Like a clerk copying them onto one form, :func:`parse_timestamps` writes every one as
the hall's local wall-clock time (naive ``datetime64[ns]``), says which could not be read and
which lie outside the representable range, and handles offsets in one rule: with no
``timezone`` the wall-clock time written is kept and the offset dropped; with one, offset
times are converted to it. A date without a time of day reads as local midnight;
:func:`low_precision_flags` and :func:`precision_note` say which events and what share of
timestamps carry no time of day.

Fast paths use pyarrow's RE2 on Arrow-backed strings (a million-event log parses in
vectorized passes); only the few values ISO 8601 cannot read are retried one unique value at
a time.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from simhall.logs.schema import TIME_COLUMNS

__all__ = ["low_precision_flags", "parse_timestamps", "precision_note"]

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


def precision_note(df: pd.DataFrame) -> str | None:
    """A note on the share of timestamps exactly at local midnight (None when there are none)."""
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
