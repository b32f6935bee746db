"""Reading a case log (CSV, Parquet, XES) into the simhall event schema, and writing one.

A hall's case-log export is like a stack of photocopied register pages handed to an analyst:
the analyst copies only the columns needed for timing (file number, item, step, clerk,
times) onto a fresh sheet, never the applicant's name or phone number, notes every line
that could not be copied and why, and writes down any caveat (no start times, dates without
hours). :func:`read_event_log` does exactly that and returns a :class:`LogReadResult`.

One reader per format turns the file into schema-named raw columns: the format and the CSV
encoding come from :mod:`simhall.logs.formats`, the source of each column from a
:class:`~simhall.logs.mapping.ColumnMapping` (chosen from the header when not given), XES
from :mod:`simhall.logs.xes`. Only mapped columns are read (``usecols`` / Parquet column
selection / XES attribute filter), so personal-data columns never load. Then the pipeline is
the same for every format: :mod:`simhall.logs.privacy` scrubs, :mod:`simhall.logs.cleaning`
checks, and the issues and notes are collected. :func:`write_event_log` writes the schema
back as CSV or Parquet.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from simhall.logs.cleaning import clean_events
from simhall.logs.errors import LogError
from simhall.logs.formats import check_gzip, detect_encoding, log_format
from simhall.logs.issues import Issue, format_issues, issues_frame
from simhall.logs.items import known_item_ids
from simhall.logs.mapping import (
    XES,
    ColumnMapping,
    auto_mapping,
    check_mapped_sources,
    check_required_columns,
)
from simhall.logs.privacy import pseudonymize, scrub_with_notes
from simhall.logs.schema import (
    EVENT_COLUMNS,
    HALL_TIMEZONE,
    canonicalize_events,
    find_accept_activity,
)
from simhall.logs.timestamps import parse_timestamps
from simhall.logs.xes import CASE_PREFIX, TRANSITION, pair_lifecycle, read_xes

__all__ = ["AUTO", "KEEP", "LogReadResult", "read_event_log", "write_event_log", "zone_source"]

AUTO = "auto"
"""``accept_activity=AUTO``: the first name of acceptance (``accept``, 受理, ...) in the log."""


@dataclass
class LogReadResult:
    """What :func:`read_event_log` returns.

    Parameters
    ----------
    events : DataFrame
        Clean events: columns :data:`~simhall.logs.schema.EVENT_COLUMNS` with canonical
        dtypes (``case_id`` str; ``item_id``/``activity``/``resource`` categoricals of str;
        timestamps naive local ``datetime64[ns]``), sorted by ``case_id`` then ``end``.
        The index, named ``source_row``, holds each event's source row number.
    issues : DataFrame
        One row per problem class: ``check``, ``column``, ``count``, ``rows`` (list of all
        1-based source row numbers), ``action`` (``dropped``/``kept``/``failed``),
        ``detail``.
    notes : list of str
        Caveats about the log as a whole.
    low_precision : Series of bool
        Per event (aligned with ``events``): a timestamp has no time of day (local midnight).
    meta : dict
        ``format``, ``encoding``, ``path``, ``mapping``, ``columns`` (target -> source),
        ``constants``, ``n_rows_read``, ``n_events``, ``n_cases``, ``n_traces`` (XES).
    cases : DataFrame, optional
        XES only: one row per trace with ``case_id`` and the requested trace attributes
        (dates parsed like event timestamps); None for CSV and Parquet.
    """

    events: pd.DataFrame
    issues: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    low_precision: pd.Series = field(default_factory=lambda: pd.Series(dtype=bool))
    meta: dict[str, Any] = field(default_factory=dict)
    cases: pd.DataFrame | None = None

    def report(self, limit: int = 20) -> str:
        """Text summary: counts, notes and issues (row numbers truncated to ``limit``).

        Parameters
        ----------
        limit : int, default 20
            Row numbers shown per issue.

        Returns
        -------
        str
            A few lines for a terminal or a log file.
        """
        head = (
            f"{self.meta.get('path', '?')}: {self.meta.get('n_events', len(self.events))} "
            f"events, {self.meta.get('n_cases', '?')} cases "
            f"({self.meta.get('n_rows_read', '?')} source rows, {self.meta.get('format', '?')})"
        )
        lines = [head, *(f"note: {n}" for n in self.notes)]
        if len(self.issues):
            lines.append(format_issues(self.issues, limit))
        return "\n".join(lines)


@dataclass(frozen=True)
class _Choice:
    """What the caller says about the mapping: a mapping (or None: the preset the header
    fits), command-line items extending it, a constant item id, the zone given and the zone
    used when neither it nor the mapping has one."""

    mapping: ColumnMapping | None
    items: tuple[str, ...]
    item_id: str | None
    timezone: str | None
    default_timezone: str | None = None

    def pick(self, header: list[str], default: ColumnMapping | None) -> tuple[ColumnMapping, str]:
        """The mapping for a file with columns ``header`` (``default`` when no mapping is
        given and the format has its own preset), and where its zone comes from: a zone
        given wins, then the mapping's (a preset's or a mapping file's), then the default
        zone (:func:`zone_source`)."""
        if self.mapping is not None or default is not None:
            base = self.mapping or default
            assert base is not None
            mapping = ColumnMapping.from_cli(self.items, base=base, name=base.name)
        else:
            mapping = auto_mapping(header, self.items)
        if self.item_id is not None:
            mapping = mapping.with_constant("item_id", self.item_id)
        if self.timezone is not None:
            zone = None if self.timezone == KEEP else self.timezone
            return replace(mapping, timezone=zone), "given"
        if mapping.timezone is not None:
            return mapping, "mapping"
        if self.default_timezone is not None:
            return replace(mapping, timezone=self.default_timezone), "default"
        return mapping, "none"


def zone_source(meta: dict[str, Any]) -> str:
    """In words, the zone a log was read in and why (from :func:`read_event_log`'s
    ``meta``): the zone given, the mapping's (a preset's or a mapping file's) or the
    default."""
    zone, source, name = meta.get("timezone"), meta.get("timezone_from"), meta.get("mapping")
    if zone is None:
        return "timestamps kept as written (UTC offsets dropped, no zone)"
    why = {
        "given": "given (--timezone)",
        "mapping": f"the zone of the {name} mapping (give --timezone to override)",
        "default": f"the default hall zone: the {name} mapping has none (give --timezone "
        "to override)",
    }.get(str(source), str(source))
    return f"timestamps read in {zone}: {why}"


KEEP = "keep"
"""``timezone=KEEP``: keep the wall-clock time written and drop any UTC offset."""


def _check_zone(timezone: str | None) -> None:
    if timezone is None or timezone == KEEP:
        return
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise LogError(
            f"unknown time zone {timezone!r}",
            expected=f"an IANA zone such as {HALL_TIMEZONE!r} or 'UTC', or {KEEP!r} (keep the "
            "wall-clock time written, drop offsets)",
        ) from None


def _frame_from_sources(
    source: pd.DataFrame, resolved: dict[str, str], constants: dict[str, str]
) -> pd.DataFrame:
    raw = pd.DataFrame(index=source.index)
    for target in EVENT_COLUMNS:
        if target in resolved:
            raw[target] = source[resolved[target]]
        elif target in constants:
            raw[target] = pd.Series(
                pd.Categorical.from_codes(
                    np.zeros(len(source), dtype=np.int8),
                    categories=pd.Index([constants[target]], dtype="str"),
                ),
                index=source.index,
            )
    return raw


def _read_csv(
    path: Path, choice: _Choice, encoding: str | None
) -> tuple[pd.DataFrame, ColumnMapping, dict[str, str], dict[str, Any]]:
    enc = encoding or detect_encoding(path)
    try:
        header_raw = list(pd.read_csv(path, encoding=enc, nrows=0, dtype="str").columns)
    except UnicodeDecodeError as exc:
        raise LogError(f"cannot decode header with encoding {enc!r}: {exc}", file=path) from exc
    except pd.errors.EmptyDataError as exc:
        raise LogError("empty file: no header line", file=path) from exc
    stripped = {str(h).strip().lstrip("\ufeff"): str(h) for h in header_raw}
    header = list(stripped)
    mapping, zone_from = choice.pick(header, None)
    check_mapped_sources(path, choice.items, header)
    resolved = mapping.resolve(header)
    check_required_columns(path, mapping, resolved, header)
    sources = sorted({stripped[s] for s in resolved.values()})
    options: dict[str, Any] = {
        "encoding": enc,
        "usecols": sources,
        "dtype": "str",
        "skip_blank_lines": False,
    }
    try:
        # The pyarrow engine is several times faster; it refuses some files the C engine
        # reads (line breaks inside quoted values), so fall back to the C engine then.
        frame = pd.read_csv(path, engine="pyarrow", **options)
        engine = "pyarrow"
    except Exception:  # any pyarrow failure means: try the C engine
        try:
            frame = pd.read_csv(path, engine="c", **options)
            engine = "c"
        except UnicodeDecodeError as exc:
            raise LogError(
                f"cannot decode with encoding {enc!r} (pass encoding=): {exc}", file=path
            ) from exc
        except pd.errors.ParserError as exc:
            raise LogError(f"malformed CSV: {exc}", file=path) from exc
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="source_row")
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    meta: dict[str, Any] = {"encoding": enc, "csv_engine": engine, "timezone_from": zone_from}
    return frame, mapping, resolved, meta


def _read_parquet(
    path: Path, choice: _Choice
) -> tuple[pd.DataFrame, ColumnMapping, dict[str, str], dict[str, Any]]:
    try:
        header = [str(n) for n in pq.read_schema(path).names]
    except Exception as exc:  # pyarrow raises several error types for bad files
        raise LogError(f"cannot read Parquet file: {exc}", file=path) from exc
    mapping, zone_from = choice.pick(header, None)
    check_mapped_sources(path, choice.items, header)
    resolved = mapping.resolve(header)
    check_required_columns(path, mapping, resolved, header)
    sources = sorted(set(resolved.values()))
    frame = pd.read_parquet(path, columns=sources)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="source_row")
    return frame, mapping, resolved, {"encoding": None, "timezone_from": zone_from}


def _read_xes(
    path: Path, choice: _Choice
) -> tuple[pd.DataFrame, ColumnMapping, dict[str, str], dict[str, Any], list[Issue], list[str]]:
    mapping, zone_from = choice.pick([], XES)
    event_keys: set[str] = {TRANSITION}
    trace_keys: set[str] = {
        CASE_PREFIX + a.removeprefix(CASE_PREFIX) for a in mapping.case_attributes
    }
    for source in mapping.columns.values():
        for name in (source,) if isinstance(source, str) else source:
            (trace_keys if name.startswith(CASE_PREFIX) else event_keys).add(name)
    tables = read_xes(path, event_keys=event_keys, trace_keys=trace_keys)
    found = sorted(tables.event_keys_seen | tables.trace_keys_seen)
    check_mapped_sources(path, choice.items, found)
    resolved = mapping.resolve(found)
    check_required_columns(path, mapping, resolved, found)
    frame = tables.events
    meta: dict[str, Any] = {
        "encoding": "xml",
        "timezone_from": zone_from,
        "n_traces": tables.n_traces,
        "n_rows_read": len(frame),
    }
    raw = _frame_from_sources(frame, resolved, dict(mapping.constants))
    if TRANSITION in tables.event_keys_seen:
        raw["_transition"] = frame[TRANSITION]
    paired, issues, notes = pair_lifecycle(raw)
    cases = None
    if "case_id" in resolved and resolved["case_id"].startswith(CASE_PREFIX):
        attrs = [CASE_PREFIX + a.removeprefix(CASE_PREFIX) for a in mapping.case_attributes]
        cases = pd.DataFrame({"case_id": tables.traces[resolved["case_id"]].astype("str")})
        for attr in attrs:
            name = attr.removeprefix(CASE_PREFIX)
            values = (
                tables.traces[attr]
                if attr in tables.traces
                else pd.Series([None] * len(cases), dtype="str")
            )
            if tables.types.get(attr) == "date":
                cases[name] = parse_timestamps(values, timezone=mapping.timezone)[0].to_numpy()
            else:
                cases[name] = values.to_numpy()
    meta["cases"] = cases
    return paired, mapping, resolved, meta, issues, notes


def _acceptance(raw: pd.DataFrame, accept_activity: str | None, path: Path) -> str | None:
    """The acceptance activity to check the log with (see ``accept_activity`` of
    :func:`read_event_log`)."""
    if accept_activity is None or "activity" not in raw.columns:
        return accept_activity
    counts = raw["activity"].astype("str").str.strip().value_counts()
    given = None if accept_activity == AUTO else accept_activity
    try:
        return find_accept_activity({str(k): int(v) for k, v in counts.items()}, given)
    except LogError as exc:
        raise LogError(str(exc), file=path) from None


def read_event_log(
    path: str | Path,
    *,
    mapping: ColumnMapping | None = None,
    encoding: str | None = None,
    item_id: str | None = None,
    strict: bool = False,
    items: pd.DataFrame | Collection[str] | str | Path | None = None,
    accept_activity: str | None = AUTO,
    salt: str = "",
    today: pd.Timestamp | None = None,
    map_items: Sequence[str] = (),
    timezone: str | None = None,
    default_timezone: str | None = None,
) -> LogReadResult:
    """Read a case log into the simhall event schema, cleaning it and saying what was done.

    Parameters
    ----------
    path : str or Path
        ``.csv``, ``.csv.gz``, ``.parquet``, ``.xes`` or ``.xes.gz`` file.
    mapping : ColumnMapping, optional
        Where schema columns come from. Default: the XES preset for XES; for CSV/Parquet the
        schema's own names if present, else the Chinese preset.
    encoding : str, optional
        CSV text encoding; default detected (UTF-8, GBK, GB18030).
    item_id : str, optional
        A constant item id for every event (overrides any mapped ``item_id`` column).
    strict : bool, default False
        Raise :class:`~simhall.logs.errors.LogError` listing every problem instead of
        dropping or blanking.
    items : DataFrame, collection of str, str or Path, optional
        Items catalogue (frame, ids, or a file for :func:`~simhall.logs.items.read_items`);
        when given, events of items not in it are dropped (``unknown_item``).
    accept_activity : str or None, default :data:`AUTO`
        Activity that marks acceptance (受理); cases without it are reported
        (``no_acceptance``, kept). :data:`AUTO` finds it among the names of
        :data:`~simhall.logs.schema.ACTIVITY_NAMES` (``accept``, 受理, ...); a name given must
        be an activity of the log. None skips that check. The name used is in
        ``meta["accept_activity"]``.
    salt : str, default ""
        Salt for case-id pseudonyms, used only if case ids look like personal data.
    today : Timestamp, optional
        Reference date for impossible (future) dates; default today.
    map_items : sequence of str
        Command-line mapping items (``target=source``, ``target:=constant``) extending
        ``mapping``, or the preset the header fits (see :meth:`ColumnMapping.from_cli`);
        each ``source`` must be a column of the file.
    timezone : str, optional
        The hall's zone, replacing the mapping's: values with a UTC offset are converted to
        it, values without one are read as its wall-clock time; :data:`KEEP` keeps the
        wall-clock time written and drops offsets. Default: the mapping's (a preset's, e.g.
        :data:`~simhall.logs.mapping.BPIC15`'s ``Europe/Amsterdam``, or a mapping file's).
    default_timezone : str, optional
        The zone when neither ``timezone`` nor the mapping gives one (None: keep the
        wall-clock time written). Which one was used is ``meta["timezone"]``, why
        ``meta["timezone_from"]`` (``given``, ``mapping``, ``default``, ``none``; in words:
        :func:`zone_source`).

    Returns
    -------
    LogReadResult
        Events, issues, notes, low-precision flags, metadata and (XES) per-case attributes.

    Raises
    ------
    LogError
        Unsupported format, undecodable file, missing required columns, an unknown zone,
        an ``accept_activity`` that is not an activity of the log, or (``strict``) any data
        problem.
    """
    path = Path(path)
    if not path.is_file():
        raise LogError("no such file", file=path)
    _check_zone(timezone)
    _check_zone(default_timezone)
    choice = _Choice(mapping, tuple(map_items), item_id, timezone, default_timezone)
    fmt = log_format(path)
    if fmt == "csv":
        check_gzip(path)  # .xes.gz is recognized by content
    pre_issues: list[Issue] = []
    notes: list[str] = []
    if fmt == "xes":
        raw, mapping, resolved, meta, pre_issues, notes = _read_xes(path, choice)
    else:
        if fmt == "csv":
            source, mapping, resolved, meta = _read_csv(path, choice, encoding)
        else:
            source, mapping, resolved, meta = _read_parquet(path, choice)
        raw = _frame_from_sources(source, resolved, dict(mapping.constants))
        meta["n_rows_read"] = len(source)
        del source
        if meta.get("encoding") in ("gbk", "gb18030"):
            notes.append(f"CSV encoding detected as {meta['encoding']}")
    raw, privacy_notes = scrub_with_notes(raw, salt=salt, headers=resolved)
    accept = _acceptance(raw, accept_activity, path)
    cleaned = clean_events(
        raw,
        items=known_item_ids(items),
        accept_activity=accept,
        timezone=mapping.timezone,
        today=today,
        file=str(path),
    )
    del raw
    all_issues = [*pre_issues, *cleaned.issues]
    if strict and all_issues:
        raise LogError(
            f"{len(all_issues)} problem(s) in the log (strict mode):\n"
            + format_issues(issues_frame(all_issues)),
            file=path,
        )
    events = cleaned.events
    cases = meta.pop("cases", None)
    if cases is not None:
        if any(n.startswith("case_id:") for n in privacy_notes):
            cases["case_id"] = pseudonymize(cases["case_id"], salt)
        cases, case_notes = scrub_with_notes(cases, salt=salt)
        privacy_notes += [f"cases: {n}" for n in case_notes]
    meta.update(
        {
            "format": fmt,
            "path": str(path),
            "mapping": mapping.name,
            "columns": dict(resolved),
            "constants": dict(mapping.constants),
            "timezone": mapping.timezone,
            "accept_activity": accept,
            "n_events": len(events),
            "n_cases": int(events["case_id"].nunique()),
        }
    )
    return LogReadResult(
        events=events,
        issues=issues_frame(all_issues),
        notes=[*notes, *privacy_notes, *cleaned.notes],
        low_precision=cleaned.low_precision,
        meta=meta,
        cases=cases,
    )


def write_event_log(events: pd.DataFrame, path: str | Path) -> Path:
    """Write an event log in the schema (``.csv``, ``.csv.gz`` or ``.parquet``).

    Parameters
    ----------
    events : DataFrame
        Events with at least the required schema columns.
    path : str or Path
        Destination; the format follows the suffix.

    Returns
    -------
    Path
        The path written.
    """
    path = Path(path)
    fmt = log_format(path)
    frame = canonicalize_events(events).reset_index(drop=True)
    # CSV keeps whole seconds; Parquet keeps the full datetime64[ns] precision and dtypes.
    if fmt == "parquet":
        frame.to_parquet(path, index=False)
    elif fmt == "csv":
        frame.to_csv(path, index=False, date_format="%Y-%m-%d %H:%M:%S")
    else:
        raise LogError("cannot write XES", file=path, expected=".csv, .csv.gz or .parquet")
    return path
