"""Item catalogues: a CSV file with one item per row, for halls with hundreds of items.

A hall's catalogue (事项目录) lists every item with its department, kind and time limits;
keeping it as a CSV file lets it come straight from a spreadsheet. Each row becomes an
``[[items]]`` table, merged by ``id`` with the TOML file's own items; what a row leaves
empty comes from the item's group, its department's ``item_defaults`` or ``[defaults]``.
Problems name the CSV file and line: ``items.csv: line 7, daily_demand = "abc"``.
"""

from __future__ import annotations

import csv
import io
from typing import Any, TypeAlias

from simhall.scenario.checks import Checks, Origin, suggest

__all__ = ["CSV_COLUMNS", "EntrySource", "catalogue_rows"]

CSV_COLUMNS = (
    "id",
    "name",
    "department",
    "kind",
    "committed_days",
    "statutory_days",
    "daily_demand",
    "group",
    "route",
    "incomplete_prob",
    "tags",
)
"""The columns a catalogue may have (only ``id`` is required)."""
_INT_COLUMNS = frozenset({"committed_days", "statutory_days"})
_FLOAT_COLUMNS = frozenset({"daily_demand", "incomplete_prob"})

EntrySource: TypeAlias = tuple[object, Origin, str]
"""A raw ``[[items]]``/``[[departments]]`` entry, where it came from, and its path there."""


def catalogue_rows(chk: Checks, text: str, label: str) -> list[EntrySource] | None:
    """The rows of the catalogue ``text`` (file ``label``) as item tables.

    Blank lines are skipped; the first other line is the header. Returns ``None`` when the
    file cannot be used at all (no ``id`` column, broken CSV); problems go to ``chk``.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[EntrySource] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                for col in header:
                    if col not in CSV_COLUMNS:
                        chk.add_in(
                            Origin(label, line),
                            "header",
                            col,
                            f"unknown column; expected one of: {', '.join(CSV_COLUMNS)}"
                            f"{suggest(col, CSV_COLUMNS)}",
                        )
                if "id" not in header:
                    chk.add_in(Origin(label, line), "header", None, 'a column "id"')
                    return None
                continue
            row_origin = Origin(label, line)
            display = f"items[{len(rows)}]"
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                chk.add_in(
                    row_origin,
                    display,
                    cells,
                    f"at most {len(header)} cells, as many as header columns",
                )
            entry: dict[str, Any] = {}
            for col, cell in zip(header, cells, strict=False):
                cell = cell.strip()
                if not cell or col not in CSV_COLUMNS:
                    continue
                entry[col] = _cell_value(col, cell)
            rows.append((entry, row_origin, display))
    except csv.Error as exc:
        chk.add_in(Origin(label, reader.line_num), "", None, f"valid CSV ({exc})")
        return None
    return rows


def _cell_value(column: str, cell: str) -> object:
    """A CSV cell converted for its column; left as text if it does not convert.

    Text left in a numeric column is then reported by validation, with the CSV line.
    ``tags`` are separated by ``;``.
    """
    if column == "tags":
        return [tag.strip() for tag in cell.split(";") if tag.strip()]
    try:
        if column in _INT_COLUMNS:
            return int(cell)
        if column in _FLOAT_COLUMNS:
            return float(cell)
    except ValueError:
        return cell
    return cell
