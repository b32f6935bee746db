"""The case-log contract: which columns an event log has, and how source headers map onto them.

A case log is to calibration what a hall's paper register is to an inspector: one line per
piece of work done on a file (办件), saying which file, which item (事项) it is for, which step
(环节) was done, by whom, and when. The simulator writes its output in exactly this shape, and
the readers in :mod:`simhall.logs.readers` turn real exports into it, so the two can be
compared column by column.

Event log columns (:data:`EVENT_COLUMNS`), one row per activity instance:

========== ===================== ==========================================================
column     dtype                 meaning
========== ===================== ==========================================================
case_id    ``str``               the file (办件) the event belongs to
item_id    ``category`` of str   the service item (事项) the file is for
activity   ``category`` of str   the step done (``accept`` = acceptance at the window)
resource   ``category`` of str   who did it (optional; missing = NaN)
ready      ``datetime64[ns]``    when the case became ready for the step (ticket time for
                                 window service; optional)
start      ``datetime64[ns]``    when work on the step started (optional)
end        ``datetime64[ns]``    when the step was completed (required)
========== ===================== ==========================================================

Timestamps are naive local wall-clock times of the hall. Identifier columns other than
``case_id`` are categoricals (a million-event log repeats a few hundred activity names);
``case_id`` is a plain ``str`` column. :func:`canonicalize_events` enforces these dtypes.

Items catalogue columns (:data:`ITEM_COLUMNS`): ``item_id``, ``department``, ``kind``
(``onsite`` = 即办件, settled at the window; ``commitment`` = 承诺件, promised within
``committed_days`` working days), ``committed_days``, and optionally ``name`` and
``statutory_days`` (法定时限).

Column mappings
---------------
A :class:`ColumnMapping` says, for each schema column, which source column (CSV header,
Parquet column, XES attribute) holds it, or a constant value. Each target may list several
candidate source names; the first one present in the file is used. Presets:

* :data:`XES`: ``case:concept:name`` -> ``case_id``, ``concept:name`` -> ``activity``,
  ``time:timestamp`` -> ``end``, ``org:resource`` -> ``resource``. ``item_id`` must come from
  an attribute you map or a constant (``item_id=`` of the reader).
* :data:`BPIC15`: the XES preset with the constant item ``building_permit`` and the trace
  attributes ``caseStatus``, ``startDate``, ``endDate`` kept in ``LogReadResult.cases``.
* :data:`CHINESE`: common headers of Chinese hall-system exports (政务服务平台 办件库):

  ========== ==============================================================
  column     accepted headers (first present wins)
  ========== ==============================================================
  case_id    办件编号, 办件号, 办件流水号, 受理编号, 申办流水号, 业务流水号, 流水号
  item_id    事项编码, 事项编号, 事项代码, 实施编码, 基本编码
  activity   环节名称, 办理环节, 节点名称, 环节
  resource   办理人, 经办人, 处理人, 办理人员
  ready      就绪时间, 取号时间, 到达时间
  start      开始时间, 办理开始时间, 叫号时间
  end        结束时间, 办理结束时间, 完成时间, 办结时间
  ========== ==============================================================

A mapping file is a small TOML file::

    [columns]
    case_id = "办件编号"
    activity = "环节名称"
    end = "结束时间"

    [constants]
    item_id = "building_permit"     # every event gets this item

    [options]
    timezone = "Asia/Shanghai"      # convert tz-aware timestamps to this zone
    case_attributes = ["caseStatus"]  # XES trace attributes kept in `cases`

On the command line (:meth:`ColumnMapping.from_cli`) the same is ``case_id=办件编号`` for a
column and ``item_id:=building_permit`` for a constant.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

EVENT_COLUMNS: tuple[str, ...] = (
    "case_id",
    "item_id",
    "activity",
    "resource",
    "ready",
    "start",
    "end",
)
"""Columns of an event log, in canonical order."""

REQUIRED_EVENT_COLUMNS: tuple[str, ...] = ("case_id", "item_id", "activity", "end")
"""Columns every event log must have (``item_id`` may be a constant)."""

ACCEPT = "accept"
"""Activity of a window visit that ends in acceptance (受理): the limit's clock starts."""

CORRECTION = "return_for_correction"
"""Activity of a window visit that finds the materials incomplete (补正)."""

TO_BACK_OFFICE = "transfer_to_back_office"
"""Activity of the courier carrying a file from the hall to a department's home office."""

TO_HALL = "transfer_to_hall"
"""Activity of the courier carrying a file back to the hall."""

WINDOW_ACTIVITIES: tuple[str, ...] = (ACCEPT, CORRECTION)
"""Activities that are window visits (a ticket taken, a wait, a service)."""

TIME_COLUMNS: tuple[str, ...] = ("ready", "start", "end")
"""Timestamp columns of an event log."""

CATEGORY_COLUMNS: tuple[str, ...] = ("item_id", "activity", "resource")
"""Identifier columns stored as categoricals of strings."""

ITEM_COLUMNS: tuple[str, ...] = (
    "item_id",
    "department",
    "kind",
    "committed_days",
    "name",
    "statutory_days",
)
"""Columns of the items catalogue, in canonical order (``name`` and ``statutory_days``
optional)."""

REQUIRED_ITEM_COLUMNS: tuple[str, ...] = ("item_id", "department", "kind", "committed_days")
"""Columns every items catalogue must have."""

ITEM_KINDS: tuple[str, ...] = ("onsite", "commitment")
"""Allowed values of the catalogue's ``kind`` column."""


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


Source = str | tuple[str, ...]


def _candidates(source: Source) -> tuple[str, ...]:
    return (source,) if isinstance(source, str) else tuple(source)


@dataclass(frozen=True)
class ColumnMapping:
    """Where each schema column comes from in a source file.

    Parameters
    ----------
    columns : mapping of str to str or tuple of str
        Target schema column -> source column name, or candidate names (the first present
        in the file wins).
    constants : mapping of str to str
        Target schema column -> constant value for every event (e.g. one ``item_id``).
    timezone : str, optional
        IANA zone (``"Asia/Shanghai"``) to convert tz-aware timestamps to before dropping the
        zone. When None, the wall-clock time written in the source is kept and any UTC offset
        dropped (right for logs whose offsets are the hall's own local offsets, like BPIC15).
    case_attributes : tuple of str
        XES trace attributes kept in the per-case frame ``LogReadResult.cases``.
    name : str
        A label used in messages.
    """

    columns: Mapping[str, Source] = field(default_factory=dict)
    constants: Mapping[str, str] = field(default_factory=dict)
    timezone: str | None = None
    case_attributes: tuple[str, ...] = ()
    name: str = "custom"

    def __post_init__(self) -> None:
        for target in [*self.columns, *self.constants]:
            if target not in EVENT_COLUMNS:
                raise LogError(
                    f"mapping {self.name!r}: unknown target column {target!r}",
                    expected=f"one of {', '.join(EVENT_COLUMNS)}",
                )
        both = set(self.columns) & set(self.constants)
        if both:
            raise LogError(
                f"mapping {self.name!r}: {sorted(both)} given both a source column and a constant"
            )

    def resolve(self, found: Iterable[str]) -> dict[str, str]:
        """Pick, for each mapped target, the first candidate source present in ``found``.

        Parameters
        ----------
        found : iterable of str
            Column names (headers, attribute keys) present in the source.

        Returns
        -------
        dict of str to str
            Target -> source for the targets whose source is present.
        """
        present = set(found)
        resolved: dict[str, str] = {}
        for target, source in self.columns.items():
            for candidate in _candidates(source):
                if candidate in present:
                    resolved[target] = candidate
                    break
        return resolved

    def describe(self, target: str) -> str:
        """Human-readable source(s) of ``target`` for messages."""
        if target in self.constants:
            return f"constant {self.constants[target]!r}"
        if target in self.columns:
            return " or ".join(repr(c) for c in _candidates(self.columns[target]))
        return "not mapped"

    def with_constant(self, target: str, value: str) -> ColumnMapping:
        """Return a copy where ``target`` is the constant ``value`` (replacing any column)."""
        columns = {k: v for k, v in self.columns.items() if k != target}
        return replace(self, columns=columns, constants={**self.constants, target: value})

    @classmethod
    def from_file(cls, path: str | Path) -> ColumnMapping:
        """Load a mapping from a TOML file.

        Parameters
        ----------
        path : str or Path
            A TOML file with a ``[columns]`` table (target = source or list of candidate
            sources), optional ``[constants]`` and ``[options]`` (``timezone``,
            ``case_attributes``).

        Returns
        -------
        ColumnMapping
            The mapping, named after the file.

        Raises
        ------
        LogError
            If the file is not valid TOML or names unknown tables, targets or options.
        """
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except tomllib.TOMLDecodeError as exc:
            raise LogError(f"mapping file is not valid TOML: {exc}", file=path) from exc
        unknown = set(data) - {"columns", "constants", "options"}
        if unknown:
            raise LogError(
                f"unknown table(s) {sorted(unknown)} in mapping file",
                file=path,
                expected="[columns], [constants], [options]",
            )
        columns: dict[str, Source] = {}
        for target, source in dict(data.get("columns", {})).items():
            if isinstance(source, str):
                columns[target] = source
            elif isinstance(source, list) and all(isinstance(s, str) for s in source):
                columns[target] = tuple(source)
            else:
                raise LogError(
                    "mapping source must be a column name or a list of names",
                    file=path,
                    column=target,
                    value=source,
                )
        constants = {k: str(v) for k, v in dict(data.get("constants", {})).items()}
        options: dict[str, Any] = dict(data.get("options", {}))
        bad = set(options) - {"timezone", "case_attributes"}
        if bad:
            raise LogError(
                f"unknown option(s) {sorted(bad)} in mapping file",
                file=path,
                expected="timezone, case_attributes",
            )
        try:
            return cls(
                columns=columns,
                constants=constants,
                timezone=options.get("timezone"),
                case_attributes=tuple(options.get("case_attributes", ())),
                name=path.name,
            )
        except LogError as exc:
            raise LogError(str(exc), file=path) from exc

    @classmethod
    def from_cli(cls, items: Sequence[str], *, base: ColumnMapping | None = None) -> ColumnMapping:
        """Build a mapping from command-line strings.

        Parameters
        ----------
        items : sequence of str
            ``"target=source"`` maps a column; ``"target:=value"`` sets a constant.
        base : ColumnMapping, optional
            A mapping (e.g. a preset) the items override.

        Returns
        -------
        ColumnMapping
            The combined mapping.

        Raises
        ------
        LogError
            If an item has no ``=`` or names an unknown target.
        """
        columns: dict[str, Source] = dict(base.columns) if base else {}
        constants: dict[str, str] = dict(base.constants) if base else {}
        for item in items:
            if ":=" in item:
                target, value = (s.strip() for s in item.split(":=", 1))
                columns.pop(target, None)
                constants[target] = value
            elif "=" in item:
                target, source = (s.strip() for s in item.split("=", 1))
                constants.pop(target, None)
                columns[target] = source
            else:
                raise LogError(
                    "cannot read mapping item",
                    value=item,
                    expected='"target=source" or "target:=constant"',
                )
        return cls(
            columns=columns,
            constants=constants,
            timezone=base.timezone if base else None,
            case_attributes=base.case_attributes if base else (),
            name="cli",
        )


IDENTITY = ColumnMapping(columns={c: c for c in EVENT_COLUMNS}, name="schema")
"""Source headers already are the schema's column names."""

XES = ColumnMapping(
    columns={
        "case_id": "case:concept:name",
        "activity": "concept:name",
        "end": "time:timestamp",
        "resource": "org:resource",
    },
    name="xes",
)
"""Standard XES attributes (``item_id`` to be given as a constant or mapped attribute)."""

BPIC15 = ColumnMapping(
    columns=dict(XES.columns),
    constants={"item_id": "building_permit"},
    case_attributes=("caseStatus", "startDate", "endDate"),
    name="bpic15",
)
"""BPI Challenge 2015 logs: one item, ``building_permit`` (a regular Wabo building permit)."""

BPIC15_STATUS = "caseStatus"
"""Trace attribute of BPIC15 logs holding a case's status at extraction."""

BPIC15_CLOSED = ("G",)
"""BPIC15 ``caseStatus`` values of closed cases (``G``, gesloten); ``O`` is open at
extraction and the single ``T`` case is neither."""


def closed_by_status(
    cases: pd.DataFrame | None,
    column: str = BPIC15_STATUS,
    closed_values: Sequence[str] = BPIC15_CLOSED,
) -> pd.Series | None:
    """Which cases a status column marks closed (``None`` when there is no such column).

    Parameters
    ----------
    cases : DataFrame or None
        Case attributes with ``case_id`` and the status ``column``.
    column : str, default ``"caseStatus"``
        The status column.
    closed_values : sequence of str, default ``("G",)``
        Values meaning closed.

    Returns
    -------
    Series of bool or None
        Indexed by ``case_id`` as strings.
    """
    if cases is None or column not in cases.columns:
        return None
    return pd.Series(
        cases[column].astype("str").isin(list(closed_values)).to_numpy(),
        index=cases["case_id"].astype("str").to_numpy(),
    )

CHINESE = ColumnMapping(
    columns={
        "case_id": (
            "办件编号",
            "办件号",
            "办件流水号",
            "受理编号",
            "申办流水号",
            "业务流水号",
            "流水号",
        ),
        "item_id": ("事项编码", "事项编号", "事项代码", "实施编码", "基本编码"),
        "activity": ("环节名称", "办理环节", "节点名称", "环节"),
        "resource": ("办理人", "经办人", "处理人", "办理人员"),
        "ready": ("就绪时间", "取号时间", "到达时间"),
        "start": ("开始时间", "办理开始时间", "叫号时间"),
        "end": ("结束时间", "办理结束时间", "完成时间", "办结时间"),
    },
    name="chinese",
)
"""Common headers of Chinese hall-system exports (see the module docstring)."""

ITEMS_CHINESE: dict[str, tuple[str, ...]] = {
    "item_id": ("事项编码", "事项编号", "事项代码", "实施编码"),
    "department": ("实施部门", "部门", "办理部门", "部门名称"),
    "kind": ("办件类型", "事项类型"),
    "committed_days": ("承诺时限", "承诺办结时限", "承诺期限"),
    "name": ("事项名称",),
    "statutory_days": ("法定时限", "法定办结时限"),
}
"""Chinese headers accepted for the items catalogue."""

ITEM_KIND_ALIASES: dict[str, str] = {
    "onsite": "onsite",
    "即办件": "onsite",
    "即办": "onsite",
    "commitment": "commitment",
    "承诺件": "commitment",
    "承诺": "commitment",
}
"""Accepted spellings of the catalogue's ``kind`` values."""

PRESETS: dict[str, ColumnMapping] = {
    "schema": IDENTITY,
    "xes": XES,
    "bpic15": BPIC15,
    "chinese": CHINESE,
}
"""Presets by name."""


def canonicalize_events(events: pd.DataFrame) -> pd.DataFrame:
    """Return ``events`` with exactly the schema columns, in order, with canonical dtypes.

    Missing optional columns are added empty. The index is kept.

    Parameters
    ----------
    events : DataFrame
        An event log with at least the required columns.

    Returns
    -------
    DataFrame
        Columns :data:`EVENT_COLUMNS`; ``case_id`` ``str``; ``item_id``, ``activity``,
        ``resource`` categoricals of strings; timestamps ``datetime64[ns]``.
    """
    out: dict[str, pd.Series] = {}
    n = len(events)
    for column in EVENT_COLUMNS:
        if column in events.columns:
            series = events[column]
        elif column in TIME_COLUMNS:
            series = pd.Series(np.full(n, np.datetime64("NaT", "ns")), index=events.index)
        else:
            series = pd.Series(np.full(n, np.nan, dtype=object), index=events.index)
        if column in TIME_COLUMNS:
            if isinstance(series.dtype, pd.DatetimeTZDtype):
                series = series.dt.tz_localize(None)
            series = pd.to_datetime(series).astype("datetime64[ns]")
        elif column == "case_id":
            if not (isinstance(series.dtype, pd.StringDtype)):
                series = series.astype("str")
        elif not isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype("str").astype("category")
        else:
            cats = series.cat.categories
            if not isinstance(cats.dtype, pd.StringDtype):
                series = series.cat.rename_categories(list(cats.astype("str")))
        out[column] = series
    return pd.DataFrame(out, index=events.index)
