"""Streaming reader for XES event logs (the IEEE 1849 process-mining format).

An XES file is a filing cabinet of case folders (``<trace>``), each holding its own cover
sheet (trace attributes such as the case number) and the dated slips of work done on it
(``<event>``). This reader walks through the cabinet folder by folder with
:func:`xml.etree.ElementTree.iterparse`, copies only the few attributes asked for, and
throws each folder away once copied, so memory stays small however big the file (``.xes``
or gzip-compressed ``.xes.gz``, detected by content).

Attribute names follow the usual flattened convention: trace attributes are prefixed
``case:`` (``case:concept:name`` is the case id), event attributes keep their key
(``concept:name``, ``time:timestamp``, ``org:resource``, ``lifecycle:transition``). Values
are kept as the strings written in the file; timestamps are parsed later, in cleaning, by
:mod:`simhall.logs.timestamps`. Nested attributes (children of attributes) are ignored.

:func:`pair_lifecycle` turns lifecycle transitions into activity instances: ``start`` and
``complete`` of the same activity in the same case are paired in order (the k-th start with
the k-th complete) into ``start``/``end``; ``schedule`` likewise gives ``ready``. A log with
only ``complete`` transitions yields events without start times.
"""

from __future__ import annotations

import gzip
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, cast
from xml.etree.ElementTree import ParseError, iterparse

import numpy as np
import pandas as pd

from simhall.logs.errors import LogError
from simhall.logs.issues import Issue

ATTRIBUTE_TAGS = frozenset({"string", "date", "int", "float", "boolean", "id"})
"""XES element names that carry a ``key``/``value`` attribute."""

TRANSITION = "lifecycle:transition"
"""Event attribute holding the lifecycle transition."""

CASE_PREFIX = "case:"
"""Prefix of trace attributes in flattened column names."""

_NS = "{http://www.xes-standard.org/}"


@dataclass
class XesTables:
    """Attributes read from an XES file.

    Parameters
    ----------
    events : DataFrame
        One row per ``<event>``, index = 1-based event number in file order; columns = the
        requested event attribute keys and ``case:``-prefixed trace attribute keys (strings;
        None where absent).
    traces : DataFrame
        One row per ``<trace>``, columns = the requested trace keys with ``case:`` prefix.
    event_keys_seen, trace_keys_seen : set of str
        Every attribute key met at event or trace level (``case:``-prefixed for traces).
    types : dict of str to str
        XES type (``string``, ``date``, ...) of each requested attribute, by column name.
    n_traces : int
        Number of traces.
    """

    events: pd.DataFrame
    traces: pd.DataFrame
    event_keys_seen: set[str] = field(default_factory=set)
    trace_keys_seen: set[str] = field(default_factory=set)
    types: dict[str, str] = field(default_factory=dict)
    n_traces: int = 0


def _open(path: Path) -> IO[bytes]:
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def read_xes(
    path: str | Path,
    *,
    event_keys: Collection[str],
    trace_keys: Collection[str],
) -> XesTables:
    """Stream-read the requested attributes of an XES file.

    Parameters
    ----------
    path : str or Path
        ``.xes`` or ``.xes.gz`` file (gzip recognized by content).
    event_keys : collection of str
        Event attribute keys to keep (e.g. ``concept:name``).
    trace_keys : collection of str
        Trace attribute keys to keep, with or without the ``case:`` prefix.

    Returns
    -------
    XesTables
        The requested attributes; all other attributes are never stored.

    Raises
    ------
    LogError
        If the file is not well-formed XML (with the line and column of the error).
    """
    path = Path(path)
    ev_keys = set(event_keys)
    tr_keys = {k.removeprefix(CASE_PREFIX) for k in trace_keys}
    ev_cols: dict[str, list[str | None]] = {k: [] for k in ev_keys}
    tr_cols: dict[str, list[str | None]] = {k: [] for k in tr_keys}
    trace_of_event: list[int] = []
    ev_seen: set[str] = set()
    tr_seen: set[str] = set()
    types: dict[str, str] = {}
    n_traces = 0
    attribute_tags = {t for tag in ATTRIBUTE_TAGS for t in (tag, _NS + tag)}
    event_tags = {"event", _NS + "event"}
    trace_tags = {"trace", _NS + "trace"}
    try:
        with _open(path) as fh:
            # Only "end" events: an element is complete then, and its direct children are
            # its attributes (nested attributes are grandchildren and so ignored).
            for _, elem in iterparse(fh, events=("end",)):
                tag = elem.tag
                if tag in event_tags:
                    event: dict[str, str] = {}
                    for child in elem:
                        if child.tag in attribute_tags:
                            key = child.get("key", "")
                            ev_seen.add(key)
                            if key in ev_keys:
                                event[key] = child.get("value", "")
                                types.setdefault(key, _local(child.tag))
                    for key, values in ev_cols.items():
                        values.append(event.get(key))
                    trace_of_event.append(n_traces)
                    elem.clear()
                elif tag in trace_tags:
                    trace: dict[str, str] = {}
                    for child in elem:
                        if child.tag in attribute_tags:
                            key = child.get("key", "")
                            tr_seen.add(key)
                            if key in tr_keys:
                                trace[key] = child.get("value", "")
                                types.setdefault(CASE_PREFIX + key, _local(child.tag))
                    for key, values in tr_cols.items():
                        values.append(trace.get(key))
                    n_traces += 1
                    elem.clear()
    except ParseError as exc:
        line = getattr(exc, "position", (None, None))[0]
        raise LogError(
            f"not a well-formed XES file: {exc}", file=path, rows=[line] if line else None
        ) from exc
    except (OSError, EOFError) as exc:
        raise LogError(f"cannot read XES file: {exc}", file=path) from exc
    n_events = len(trace_of_event)
    index = pd.RangeIndex(1, n_events + 1, name="source_row")
    events = pd.DataFrame({k: np.asarray(v, dtype=object) for k, v in ev_cols.items()}, index=index)
    traces = pd.DataFrame(
        {CASE_PREFIX + k: np.asarray(v, dtype=object) for k, v in tr_cols.items()},
        index=pd.RangeIndex(n_traces),
    )
    idx = np.asarray(trace_of_event, dtype=np.int64)
    for column in traces.columns:
        events[column] = traces[column].to_numpy()[idx]
    return XesTables(
        events=events.astype({c: "str" for c in events.columns}),
        traces=traces.astype({c: "str" for c in traces.columns}),
        event_keys_seen=ev_seen,
        trace_keys_seen={CASE_PREFIX + k for k in tr_seen},
        types=types,
        n_traces=n_traces,
    )


def pair_lifecycle(
    raw: pd.DataFrame, transition: str = "_transition"
) -> tuple[pd.DataFrame, list[Issue], list[str]]:
    """Turn lifecycle transitions into activity instances with ``ready``/``start``/``end``.

    Within each (``case_id``, ``activity``), the k-th ``complete`` (file order) is paired
    with the k-th ``start`` and the k-th ``schedule``. Events without a transition count as
    ``complete``.

    Parameters
    ----------
    raw : DataFrame
        Schema-named raw events (``case_id``, ``activity``, ``end`` holding each
        transition's timestamp, ...), index = source event numbers.
    transition : str, default "_transition"
        Column with the lifecycle transition; absent means all ``complete``.

    Returns
    -------
    DataFrame
        One row per activity instance (index = the ``complete`` event's number), with
        ``start`` and ``ready`` filled where paired; without the transition column.
    list of Issue
        ``start_without_complete`` (dropped), ``other_lifecycle`` (dropped) and
        ``complete_without_start`` (kept, when the log has start transitions).
    list of str
        Notes on how transitions were used.
    """
    if transition not in raw.columns:
        return raw, [], ["no lifecycle transitions: every event taken as complete"]
    t = raw[transition].astype("str").str.strip().str.lower().fillna("complete").to_numpy(object)
    is_complete = t == "complete"
    is_start = t == "start"
    is_schedule = t == "schedule"
    other = ~(is_complete | is_start | is_schedule)
    issues: list[Issue] = []
    notes: list[str] = []
    index = raw.index.to_numpy()
    if other.any():
        kinds = ", ".join(sorted({str(x) for x in t[other]}))
        issues.append(
            Issue(
                "other_lifecycle",
                index[other],
                "dropped",
                "activity",
                f"lifecycle transitions not used for timing ({kinds}): not kept as events",
            )
        )
    completes = raw[is_complete].drop(columns=[transition])
    if not is_start.any() and not is_schedule.any():
        notes.append(
            "all events are lifecycle 'complete': no start timestamps in the log"
            if not other.any()
            else "no 'start' transitions: start timestamps are missing"
        )
        return completes, issues, notes
    keys = ["case_id", "activity"]

    def _numbered(mask: np.ndarray, as_column: str) -> pd.DataFrame:
        part = raw.loc[mask, [*keys, "end"]].rename(columns={"end": as_column})
        part["_k"] = part.groupby(keys, sort=False, observed=True).cumcount()
        part["_row"] = part.index.to_numpy()
        return part

    left = completes.copy()
    left["_k"] = left.groupby(keys, sort=False, observed=True).cumcount()
    left["_row"] = left.index.to_numpy()
    for mask, column, label in ((is_start, "start", "start"), (is_schedule, "ready", "schedule")):
        if not mask.any():
            continue
        part = _numbered(mask, column)
        merged = left.merge(part.drop(columns="_row"), on=[*keys, "_k"], how="left")
        left[column] = merged[column].to_numpy()
        matched = part.merge(left[[*keys, "_k"]], on=[*keys, "_k"], how="left", indicator=True)
        orphan = (matched["_merge"] == "left_only").to_numpy()
        if orphan.any():
            issues.append(
                Issue(
                    f"{label}_without_complete",
                    part["_row"].to_numpy()[orphan],
                    "dropped",
                    column,
                    f"'{label}' transition with no matching 'complete': no end, dropped",
                )
            )
    if is_start.any():
        unpaired = left["start"].isna().to_numpy()
        if unpaired.any():
            issues.append(
                Issue(
                    "complete_without_start",
                    left["_row"].to_numpy()[unpaired],
                    "kept",
                    "start",
                    "'complete' with no matching 'start': kept without start",
                )
            )
        notes.append(
            f"lifecycle start/complete pairs matched into start/end "
            f"({int((~unpaired).sum())} of {len(left)} activity instances have a start)"
        )
    out = left.drop(columns=["_k", "_row"])
    return out, issues, notes
