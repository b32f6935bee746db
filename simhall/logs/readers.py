"""Reading case logs (CSV, Parquet, XES) and item catalogues into the simhall schema.

A hall's case-log export is like a stack of photocopied register pages handed to an analyst:
the analyst copies only the columns needed for timing (file number, item, step, clerk,
times) onto a fresh sheet, never the applicant's name or phone number, notes every line
that could not be copied and why, and writes down any caveat (no start times, dates without
hours). :func:`read_event_log` does exactly that and returns a :class:`LogReadResult`.

Formats by suffix: ``.csv``, ``.csv.gz``, ``.parquet``, ``.xes``, ``.xes.gz``. CSV encodings:
UTF-8 (with or without BOM), else GBK, else GB18030, detected by decoding the whole file
incrementally, unless ``encoding`` is given. Only mapped columns are read (``usecols`` /
Parquet column selection / XES attribute filter), so personal-data columns never load.
"""

from __future__ import annotations

import codecs
import gzip
from collections.abc import Collection
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO, Any, cast

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from simhall.logs.cleaning import Issue, clean_events, format_issues, issues_frame, parse_timestamps
from simhall.logs.privacy import pseudonymize, scrub_with_notes
from simhall.logs.schema import (
    CHINESE,
    EVENT_COLUMNS,
    IDENTITY,
    ITEM_COLUMNS,
    ITEM_KIND_ALIASES,
    ITEMS_CHINESE,
    REQUIRED_EVENT_COLUMNS,
    REQUIRED_ITEM_COLUMNS,
    XES,
    ColumnMapping,
    LogError,
    canonicalize_events,
)
from simhall.logs.xes import CASE_PREFIX, TRANSITION, pair_lifecycle, read_xes

__all__ = [
    "LogError",
    "LogReadResult",
    "bpic15_path",
    "detect_encoding",
    "log_format",
    "read_bpic15",
    "read_event_log",
    "read_items",
    "write_event_log",
]

_CHUNK = 1 << 20


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


def log_format(path: str | Path) -> str:
    """Format of a log file from its suffix.

    Parameters
    ----------
    path : str or Path
        File name.

    Returns
    -------
    str
        ``"csv"``, ``"parquet"`` or ``"xes"``.

    Raises
    ------
    LogError
        For any other suffix.
    """
    name = Path(path).name.lower()
    for suffix, fmt in (
        (".csv", "csv"),
        (".csv.gz", "csv"),
        (".parquet", "parquet"),
        (".pq", "parquet"),
        (".xes", "xes"),
        (".xes.gz", "xes"),
    ):
        if name.endswith(suffix):
            return fmt
    raise LogError(
        "unsupported log format",
        file=path,
        expected=".csv, .csv.gz, .parquet, .xes or .xes.gz",
    )


_GZIP_MAGIC = b"\x1f\x8b"


def _check_gzip(path: Path) -> None:
    """Raise :class:`LogError` if a file named ``*.gz`` is not gzip-compressed."""
    if not path.name.lower().endswith(".gz"):
        return
    with open(path, "rb") as fh:
        magic = fh.read(2)
    if magic != _GZIP_MAGIC:
        raise LogError(
            f"not a gzip file (it starts with {magic!r}, a gzip file with {_GZIP_MAGIC!r}); "
            "if it is plain text, rename it without .gz",
            file=path,
        )


def _open_bytes(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        _check_gzip(path)
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")


def _decodes(path: Path, encoding: str) -> tuple[bool, int]:
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with _open_bytes(path) as fh:
        while chunk := fh.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return False, offset + exc.start
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False, offset
    return True, -1


def _line_of(path: Path, position: int) -> int:
    line = 1
    seen = 0
    with _open_bytes(path) as fh:
        while seen < position and (chunk := fh.read(min(_CHUNK, position - seen))):
            line += chunk.count(b"\n")
            seen += len(chunk)
    return line


def detect_encoding(path: str | Path) -> str:
    """Detect the text encoding of a (possibly gzip-compressed) CSV file.

    UTF-8 with BOM gives ``"utf-8-sig"``; otherwise the file is decoded incrementally as
    UTF-8, then GBK, then GB18030 (a superset of GBK), and the first that decodes the whole
    file wins.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    str
        ``"utf-8-sig"``, ``"utf-8"``, ``"gbk"`` or ``"gb18030"``.

    Raises
    ------
    LogError
        If none decodes the file (naming the line of the first bad byte under UTF-8).
    """
    path = Path(path)
    with _open_bytes(path) as fh:
        head = fh.read(3)
    if head == codecs.BOM_UTF8:
        return "utf-8-sig"
    ok, position = _decodes(path, "utf-8")
    if ok:
        return "utf-8"
    for encoding in ("gbk", "gb18030"):
        if _decodes(path, encoding)[0]:
            return encoding
    raise LogError(
        "cannot decode the file as UTF-8, GBK or GB18030 (is it a text CSV?); name its "
        "encoding with --encoding (Python: encoding=)",
        file=path,
        rows=[_line_of(path, position)],
    )


def _auto_mapping(header: list[str]) -> ColumnMapping:
    for candidate in (IDENTITY, CHINESE):
        resolved = candidate.resolve(header)
        if all(c in resolved for c in ("case_id", "activity", "end")):
            return candidate
    return IDENTITY


def _with_item(mapping: ColumnMapping, item_id: str | None) -> ColumnMapping:
    return mapping if item_id is None else mapping.with_constant("item_id", item_id)


def _missing_columns_error(
    path: Path, mapping: ColumnMapping, resolved: dict[str, str], found: list[str]
) -> None:
    missing = [
        c for c in REQUIRED_EVENT_COLUMNS if c not in resolved and c not in mapping.constants
    ]
    if missing:
        wanted = "; ".join(f"{c} <- {mapping.describe(c)}" for c in missing)
        shown = ", ".join(repr(c) for c in found[:60]) + (" ..." if len(found) > 60 else "")
        hint = " (item_id can be a constant: item_id='...')" if "item_id" in missing else ""
        raise LogError(
            f"missing required column(s) {', '.join(missing)} ({wanted}) with mapping "
            f"{mapping.name!r}{hint}; columns found: {shown}",
            file=path,
        )


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
    mapping = _with_item(mapping or _auto_mapping(header), item_id)
    resolved = mapping.resolve(header)
    _missing_columns_error(path, mapping, resolved, header)
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
    mapping = _with_item(mapping or _auto_mapping(header), item_id)
    resolved = mapping.resolve(header)
    _missing_columns_error(path, mapping, resolved, header)
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
    _missing_columns_error(path, mapping, resolved, found)
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
        Raise :class:`LogError` listing every problem instead of dropping or blanking.
    items : DataFrame, collection of str, str or Path, optional
        Items catalogue (frame, ids, or a file for :func:`read_items`); when given, events
        of items not in it are dropped (``unknown_item``).
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
        _check_gzip(path)  # .xes.gz is recognized by content
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
        items=_known_items(items),
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


def _known_items(
    items: pd.DataFrame | Collection[str] | str | Path | None,
) -> set[str] | None:
    if items is None:
        return None
    if isinstance(items, (str, Path)):
        return set(read_items(items)["item_id"].astype("str"))
    if isinstance(items, pd.DataFrame):
        return set(items["item_id"].astype("str"))
    return {str(i) for i in items}


def read_items(path: str | Path, *, encoding: str | None = None) -> pd.DataFrame:
    """Read and validate an items catalogue (CSV or Parquet).

    Headers may be the schema's (:data:`~simhall.logs.schema.ITEM_COLUMNS`) or common
    Chinese ones (事项编码, 实施部门, 办件类型, 承诺时限, 事项名称, 法定时限). ``kind``
    accepts ``onsite``/``即办件`` and ``commitment``/``承诺件``; day counts may carry units
    (``"20个工作日"``). An ``onsite`` item without ``committed_days`` gets 0.

    Parameters
    ----------
    path : str or Path
        ``.csv``, ``.csv.gz`` or ``.parquet`` file.
    encoding : str, optional
        CSV encoding; default detected.

    Returns
    -------
    DataFrame
        Columns ``item_id``, ``department``, ``kind`` (str), ``committed_days`` (int64),
        ``name`` (str, may be missing), ``statutory_days`` (nullable Int64).

    Raises
    ------
    LogError
        Missing columns, duplicate item ids, unknown kinds, unreadable or negative day
        counts, or committed days beyond statutory days (with the rows concerned).
    """
    path = Path(path)
    fmt = log_format(path)
    if fmt == "csv":
        frame = pd.read_csv(path, encoding=encoding or detect_encoding(path), dtype="str")
        frame.index = pd.RangeIndex(2, len(frame) + 2)
    elif fmt == "parquet":
        frame = pd.read_parquet(path)
        frame.index = pd.RangeIndex(1, len(frame) + 1)
    else:
        raise LogError("items catalogue must be CSV or Parquet", file=path)
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    found = list(frame.columns)
    columns: dict[str, str] = {}
    for target in ITEM_COLUMNS:
        for candidate in (target, *ITEMS_CHINESE.get(target, ())):
            if candidate in found:
                columns[target] = candidate
                break
    missing = [c for c in REQUIRED_ITEM_COLUMNS if c not in columns]
    if missing:
        raise LogError(
            f"items catalogue lacks column(s) {', '.join(missing)}; columns found: {found}",
            file=path,
        )
    out = pd.DataFrame(index=frame.index)
    for target in ("item_id", "department", "kind", "name"):
        if target in columns:
            out[target] = frame[columns[target]].astype("str").str.strip()
        else:
            out[target] = pd.Series(np.nan, index=frame.index, dtype="str")
    for target in ("item_id", "department", "kind"):
        empty = out[target].isna() | (out[target] == "")
        if empty.any():
            raise LogError(
                f"empty {target}", file=path, rows=list(out.index[empty]), column=columns[target]
            )
    dup = out["item_id"].duplicated(keep=False)
    if dup.any():
        raise LogError(
            "duplicate item_id",
            file=path,
            rows=list(out.index[dup]),
            column=columns["item_id"],
            value=out["item_id"][dup].iloc[0],
        )
    kinds = out["kind"].map(lambda v: ITEM_KIND_ALIASES.get(str(v).lower(), None))
    bad = kinds.isna()
    if bad.any():
        raise LogError(
            "unknown item kind",
            file=path,
            rows=list(out.index[bad]),
            column=columns["kind"],
            value=out["kind"][bad].iloc[0],
            expected="onsite (即办件) or commitment (承诺件)",
        )
    out["kind"] = kinds.astype("str")
    for target in ("committed_days", "statutory_days"):
        if target not in columns:
            out[target] = pd.array([pd.NA] * len(out), dtype="Int64")
            continue
        text = frame[columns[target]].astype("str").str.strip()
        number = pd.to_numeric(text.str.extract(r"^\s*(-?\d+(?:\.\d+)?)")[0], errors="coerce")
        given = text.notna() & (text != "")
        bad = (given & number.isna()) | (number < 0) | (number.notna() & (number % 1 != 0))
        if bad.any():
            raise LogError(
                f"unreadable {target}",
                file=path,
                rows=list(out.index[bad]),
                column=columns[target],
                value=text[bad].iloc[0],
                expected="a whole number of days >= 0",
            )
        out[target] = number.astype("Int64")
    lacking = out["committed_days"].isna()
    onsite = out["kind"] == "onsite"
    out.loc[lacking & onsite, "committed_days"] = 0
    if (lacking & ~onsite).any():
        rows = list(out.index[lacking & ~onsite])
        raise LogError(
            "commitment item without committed_days",
            file=path,
            rows=rows,
            column=columns["committed_days"],
        )
    over = (out["statutory_days"] < out["committed_days"]).fillna(False).astype(bool)
    if over.any():
        raise LogError(
            "committed_days longer than statutory_days",
            file=path,
            rows=list(out.index[over]),
            expected="committed_days <= statutory_days",
        )
    out["committed_days"] = out["committed_days"].astype("int64")
    return out[list(ITEM_COLUMNS)].reset_index(drop=True)


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


def bpic15_path() -> Path:
    """Path of the bundled BPI Challenge 2015 municipality 1 log (``BPIC15_1.xes.gz``).

    The file ships as package data in ``simhall/data/bpic15/`` (with its README and
    attribution: van Dongen, B.F. (2015) BPI Challenge 2015, 4TU.ResearchData,
    doi:10.4121/uuid:a0addfda-2044-4541-a450-fdcc9fe16d17), so it is found from an installed
    package as well as from a source checkout.

    Returns
    -------
    Path
        The file path.

    Raises
    ------
    FileNotFoundError
        If the data file is not installed.
    """
    resource = resources.files("simhall").joinpath("data", "bpic15", "BPIC15_1.xes.gz")
    path = Path(str(resource))
    if not path.is_file():
        raise FileNotFoundError(f"bundled BPIC15 log not found at {path}")
    return path


def read_bpic15(**kwargs: Any) -> LogReadResult:
    """Read the bundled BPIC15 municipality-1 log with the ``BPIC15`` preset.

    One item, ``building_permit``; acceptance is ``01_HOOFD_010`` (registration of the
    submission date, present in every case); trace attributes ``caseStatus``,
    ``startDate``, ``endDate`` in ``cases``.

    Parameters
    ----------
    **kwargs
        Passed on to :func:`read_event_log` (e.g. ``strict``).

    Returns
    -------
    LogReadResult
        The log.
    """
    from simhall.logs.schema import BPIC15

    kwargs.setdefault("mapping", BPIC15)
    kwargs.setdefault("accept_activity", "01_HOOFD_010")
    return read_event_log(bpic15_path(), **kwargs)
