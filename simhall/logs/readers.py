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

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from simhall.logs.cleaning import clean_events
from simhall.logs.errors import LogError
from simhall.logs.formats import check_gzip, detect_encoding, log_format
from simhall.logs.issues import Issue, format_issues, issues_frame
from simhall.logs.items import known_item_ids
from simhall.logs.mapping import XES, ColumnMapping, auto_mapping, check_required_columns
from simhall.logs.privacy import pseudonymize, scrub_with_notes
from simhall.logs.schema import EVENT_COLUMNS, canonicalize_events
from simhall.logs.timestamps import parse_timestamps
from simhall.logs.xes import CASE_PREFIX, TRANSITION, pair_lifecycle, read_xes

__all__ = ["LogReadResult", "read_event_log", "write_event_log"]


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


def _with_item(mapping: ColumnMapping, item_id: str | None) -> ColumnMapping:
    return mapping if item_id is None else mapping.with_constant("item_id", item_id)


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
    path: Path, mapping: ColumnMapping | None, encoding: str | None, item_id: str | None
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
    mapping = _with_item(mapping or auto_mapping(header), item_id)
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
    meta: dict[str, Any] = {"encoding": enc, "csv_engine": engine}
    return frame, mapping, resolved, meta


def _read_parquet(
    path: Path, mapping: ColumnMapping | None, item_id: str | None
) -> tuple[pd.DataFrame, ColumnMapping, dict[str, str], dict[str, Any]]:
    try:
        header = [str(n) for n in pq.read_schema(path).names]
    except Exception as exc:  # pyarrow raises several error types for bad files
        raise LogError(f"cannot read Parquet file: {exc}", file=path) from exc
    mapping = _with_item(mapping or auto_mapping(header), item_id)
    resolved = mapping.resolve(header)
    check_required_columns(path, mapping, resolved, header)
    sources = sorted(set(resolved.values()))
    frame = pd.read_parquet(path, columns=sources)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="source_row")
    return frame, mapping, resolved, {"encoding": None}


def _read_xes(
    path: Path, mapping: ColumnMapping | None, item_id: str | None
) -> tuple[pd.DataFrame, ColumnMapping, dict[str, str], dict[str, Any], list[Issue], list[str]]:
    mapping = _with_item(mapping or XES, item_id)
    event_keys: set[str] = {TRANSITION}
    trace_keys: set[str] = {
        CASE_PREFIX + a.removeprefix(CASE_PREFIX) for a in mapping.case_attributes
    }
    for source in mapping.columns.values():
        for name in (source,) if isinstance(source, str) else source:
            (trace_keys if name.startswith(CASE_PREFIX) else event_keys).add(name)
    tables = read_xes(path, event_keys=event_keys, trace_keys=trace_keys)
    found = sorted(tables.event_keys_seen | tables.trace_keys_seen)
    resolved = mapping.resolve(found)
    check_required_columns(path, mapping, resolved, found)
    frame = tables.events
    meta: dict[str, Any] = {
        "encoding": "xml",
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


def read_event_log(
    path: str | Path,
    *,
    mapping: ColumnMapping | None = None,
    encoding: str | None = None,
    item_id: str | None = None,
    strict: bool = False,
    items: pd.DataFrame | Collection[str] | str | Path | None = None,
    accept_activity: str | None = "accept",
    salt: str = "",
    today: pd.Timestamp | None = None,
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
    accept_activity : str or None, default "accept"
        Activity that marks acceptance (受理); cases without it are reported
        (``no_acceptance``, kept). None skips that check.
    salt : str, default ""
        Salt for case-id pseudonyms, used only if case ids look like personal data.
    today : Timestamp, optional
        Reference date for impossible (future) dates; default today.

    Returns
    -------
    LogReadResult
        Events, issues, notes, low-precision flags, metadata and (XES) per-case attributes.

    Raises
    ------
    LogError
        Unsupported format, undecodable file, missing required columns, or (``strict``) any
        data problem.
    """
    path = Path(path)
    if not path.is_file():
        raise LogError("no such file", file=path)
    fmt = log_format(path)
    if fmt == "csv":
        check_gzip(path)  # .xes.gz is recognized by content
    pre_issues: list[Issue] = []
    notes: list[str] = []
    if fmt == "xes":
        raw, mapping, resolved, meta, pre_issues, notes = _read_xes(path, mapping, item_id)
    else:
        if fmt == "csv":
            source, mapping, resolved, meta = _read_csv(path, mapping, encoding, item_id)
        else:
            source, mapping, resolved, meta = _read_parquet(path, mapping, item_id)
        raw = _frame_from_sources(source, resolved, dict(mapping.constants))
        meta["n_rows_read"] = len(source)
        del source
        if meta.get("encoding") in ("gbk", "gb18030"):
            notes.append(f"CSV encoding detected as {meta['encoding']}")
    raw, privacy_notes = scrub_with_notes(raw, salt=salt, headers=resolved)
    cleaned = clean_events(
        raw,
        items=known_item_ids(items),
        accept_activity=accept_activity,
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
