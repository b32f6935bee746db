"""The items catalogue (事项目录): which service items a hall offers, with their kinds and
committed time limits.

A hall's catalogue is the list on the wall: each item (事项) with its department, whether it
is settled at the window (即办件, ``onsite``) or promised within a number of working days
(承诺件, ``commitment``, ``committed_days``), and the statutory limit (法定时限) the promise
must not exceed. :func:`read_items` reads such a list from CSV or Parquet, with the schema's
headers (:data:`~simhall.logs.schema.ITEM_COLUMNS`) or common Chinese ones
(:data:`ITEMS_CHINESE`), and refuses one that contradicts itself, naming the rows.
:func:`known_item_ids` gives the ids a case log is checked against.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import numpy as np
import pandas as pd

from simhall.logs.errors import LogError
from simhall.logs.formats import detect_encoding, log_format
from simhall.logs.schema import ITEM_COLUMNS, REQUIRED_ITEM_COLUMNS

__all__ = ["ITEMS_CHINESE", "ITEM_KIND_ALIASES", "known_item_ids", "read_items"]

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


def known_item_ids(
    items: pd.DataFrame | Collection[str] | str | Path | None,
) -> set[str] | None:
    """Item ids of a catalogue given as a frame, a collection of ids or a file (None: no check)."""
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
