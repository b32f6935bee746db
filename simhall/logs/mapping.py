"""Column mappings: where each schema column comes from in a source file, and the presets.

Copying a foreign register into the hall's own form needs a key: "their 办件编号 is our file
number, their 结束时间 is our completion time". A :class:`ColumnMapping` is that key. It says,
for each schema column (:data:`~simhall.logs.schema.EVENT_COLUMNS`), which source column
(CSV header, Parquet column, XES attribute) holds it, or a constant value. Each target may
list several candidate source names; the first one present in the file is used. Presets:

* :data:`IDENTITY`: the source headers already are the schema's column names.
* :data:`XES`: ``case:concept:name`` -> ``case_id``, ``concept:name`` -> ``activity``,
  ``time:timestamp`` -> ``end``, ``org:resource`` -> ``resource``. ``item_id`` must come from
  an attribute you map or a constant (``item_id=`` of the reader).
* :data:`BPIC15`: the XES preset with the constant item ``building_permit``, the zone
  ``Europe/Amsterdam`` and the trace attributes ``caseStatus``, ``startDate``, ``endDate``
  kept in ``LogReadResult.cases`` (the log itself: :mod:`simhall.logs.bpic15`).
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

  in the zone ``Asia/Shanghai`` (:data:`~simhall.logs.schema.HALL_TIMEZONE`).

A preset's zone is the one its timestamps are read in unless the caller gives one
(``timezone=`` of :func:`~simhall.logs.readers.read_event_log`, ``--timezone``).
:data:`PRESETS` holds them by name. A mapping file is a small TOML file::

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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from simhall.logs.errors import LogError
from simhall.logs.schema import (
    COLUMN_NAMES_ZH,
    EVENT_COLUMNS,
    HALL_TIMEZONE,
    REQUIRED_EVENT_COLUMNS,
    column_label,
)
from simhall.tomlfile import TomlFileError, read_toml

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
            data = read_toml(path, "mapping file")
        except TomlFileError as exc:
            raise LogError(f"cannot read mapping file: {exc.reason}", file=path) from None
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
    def from_cli(
        cls, items: Sequence[str], *, base: ColumnMapping | None = None, name: str = "cli"
    ) -> ColumnMapping:
        """Build a mapping from command-line strings.

        Parameters
        ----------
        items : sequence of str
            ``"target=source"`` maps a column; ``"target:=value"`` sets a constant.
        base : ColumnMapping, optional
            A mapping (e.g. a preset) the items extend: its other columns, constants and
            options are kept; an item replaces only its own target's source.
        name : str, default "cli"
            Label of the result in messages.

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
            name=name,
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
    timezone="Europe/Amsterdam",
    case_attributes=("caseStatus", "startDate", "endDate"),
    name="bpic15",
)
"""BPI Challenge 2015 logs: one item, ``building_permit`` (a regular Wabo building permit);
the municipalities' zone, ``Europe/Amsterdam`` (their +01:00/+02:00 offsets are its
standard and summer time, so the Dutch wall-clock hours are kept)."""

CHINESE = ColumnMapping(
    columns={
        "case_id": (
            COLUMN_NAMES_ZH["case_id"],
            "办件号",
            "办件流水号",
            "受理编号",
            "申办流水号",
            "业务流水号",
            "流水号",
        ),
        "item_id": (COLUMN_NAMES_ZH["item_id"], "事项编号", "事项代码", "实施编码", "基本编码"),
        "activity": (COLUMN_NAMES_ZH["activity"], "办理环节", "节点名称", "环节"),
        "resource": (COLUMN_NAMES_ZH["resource"], "经办人", "处理人", "办理人员"),
        "ready": ("就绪时间", COLUMN_NAMES_ZH["ready"], "到达时间"),
        "start": (COLUMN_NAMES_ZH["start"], "办理开始时间", "叫号时间"),
        "end": (COLUMN_NAMES_ZH["end"], "办理结束时间", "完成时间", "办结时间"),
    },
    timezone=HALL_TIMEZONE,
    name="chinese",
)
"""Common headers of Chinese hall-system exports (see the module docstring)."""

PRESETS: dict[str, ColumnMapping] = {
    "schema": IDENTITY,
    "xes": XES,
    "bpic15": BPIC15,
    "chinese": CHINESE,
}
"""Presets by name."""


def _required_found(mapping: ColumnMapping, header: list[str]) -> int:
    resolved = mapping.resolve(header)
    return sum(c in resolved or c in mapping.constants for c in REQUIRED_EVENT_COLUMNS)


def auto_mapping(header: list[str], items: Sequence[str] = ()) -> ColumnMapping:
    """The preset a CSV or Parquet header fits best, extended by command-line ``items``.

    The schema's own names, else the Chinese preset, whichever (with ``items`` applied, see
    :meth:`ColumnMapping.from_cli`) finds more of the required columns; ties go to the
    schema's names. A Chinese export missing one column is thus read with the Chinese preset
    and told which column is missing, not that all of them are.
    """
    candidates = [IDENTITY, CHINESE]
    if items:
        candidates = [
            ColumnMapping.from_cli(items, base=c, name=f"{c.name} with --map") for c in candidates
        ]
    return max(candidates, key=lambda m: _required_found(m, header))


def check_mapped_sources(path: Path, items: Sequence[str], found: list[str]) -> None:
    """Raise :class:`LogError` when a ``target=source`` item of ``--map`` names a column the
    file does not have (a typo would otherwise leave an optional column silently empty)."""
    present = set(found)
    for item in items:
        if ":=" in item or "=" not in item:
            continue
        target, source = (t.strip() for t in item.split("=", 1))
        if source not in present:
            raise LogError(
                f"--map {item}: the file has no column {source!r} for {column_label(target)}; "
                f"columns found: {_shown(found)}",
                file=path,
            )


def _shown(found: list[str]) -> str:
    return ", ".join(repr(c) for c in found[:60]) + (" ..." if len(found) > 60 else "")


def check_required_columns(
    path: Path, mapping: ColumnMapping, resolved: dict[str, str], found: list[str]
) -> None:
    """Raise :class:`LogError` naming the required columns a mapping finds no source for
    (in Chinese and English, with where it looked) and the columns found in ``path``."""
    missing = [
        c for c in REQUIRED_EVENT_COLUMNS if c not in resolved and c not in mapping.constants
    ]
    if missing:
        wanted = "; ".join(f"{column_label(c)} <- {mapping.describe(c)}" for c in missing)
        hint = " (item_id can be a constant: item_id='...')" if "item_id" in missing else ""
        what = "column" if len(missing) == 1 else "columns"
        raise LogError(
            f"missing required {what} {', '.join(column_label(c) for c in missing)}: looked "
            f"for {wanted} with mapping {mapping.name!r}{hint}; columns found: {_shown(found)}",
            file=path,
        )
