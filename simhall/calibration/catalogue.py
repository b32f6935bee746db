"""The items catalogue as calibration reads it: items and departments, numbered.

The catalogue is the hall's list of services on the wall (事项清单): which department
answers for each item, whether the applicant leaves with the result (on-site) or a promise
(commitment, with a limit in working days). The log cannot tell these things; calibration
takes them from here and numbers items and departments in catalogue order, the order in
which the scenario file lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["REQUIRED_ITEMS", "Catalogue", "read_catalogue", "require_columns"]

REQUIRED_ITEMS: tuple[str, ...] = ("item_id", "department", "kind", "committed_days")
"""Columns the items catalogue must have (``name``, ``statutory_days`` optional)."""


def require_columns(frame: pd.DataFrame, required: tuple[str, ...], what: str) -> None:
    """Raise ``ValueError`` naming the missing columns and the columns found.

    Parameters
    ----------
    frame : DataFrame
        The table.
    required : tuple of str
        Columns it must have.
    what : str
        Its name in the message (``"event log"``, ``"items catalogue"``).
    """
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{what} lacks column(s) {', '.join(missing)}; columns found: {list(frame.columns)}"
        )


@dataclass(frozen=True)
class Catalogue:
    """Items and departments, numbered in catalogue order.

    Attributes
    ----------
    table : DataFrame
        The catalogue, ``item_id`` as text, index ``0 .. n-1``.
    item_ids : tuple of str
        Item code ``i`` is ``item_ids[i]``.
    item_dept : tuple of str
        Department of each item.
    dept_ids : tuple of str
        Departments in order of first appearance; department code ``k`` is ``dept_ids[k]``.
    """

    table: pd.DataFrame
    item_ids: tuple[str, ...]
    item_dept: tuple[str, ...]
    dept_ids: tuple[str, ...]

    @property
    def item_code(self) -> dict[str, int]:
        """Item id -> code."""
        return {s: i for i, s in enumerate(self.item_ids)}

    @property
    def dept_code(self) -> dict[str, int]:
        """Department id -> code."""
        return {s: i for i, s in enumerate(self.dept_ids)}

    @property
    def item_dept_code(self) -> np.ndarray:
        """int64 department code of each item."""
        code = self.dept_code
        return np.array([code[d] for d in self.item_dept], dtype=np.int64)

    @property
    def n_items(self) -> int:
        """Number of items."""
        return len(self.item_ids)


def read_catalogue(items: pd.DataFrame) -> Catalogue:
    """Check and number the items catalogue.

    Parameters
    ----------
    items : DataFrame
        Catalogue with :data:`REQUIRED_ITEMS`.

    Returns
    -------
    Catalogue

    Raises
    ------
    ValueError
        Missing columns, a duplicate ``item_id``, or an empty catalogue.
    """
    require_columns(items, REQUIRED_ITEMS, "items catalogue")
    cat = items.copy()
    cat["item_id"] = cat["item_id"].astype(str)
    if cat["item_id"].duplicated().any():
        dup = cat["item_id"][cat["item_id"].duplicated()].iloc[0]
        raise ValueError(f"items catalogue: duplicate item_id {dup!r}")
    if len(cat) == 0:
        raise ValueError("items catalogue is empty")
    item_dept = tuple(cat["department"].astype(str).tolist())
    return Catalogue(
        table=cat.reset_index(drop=True),
        item_ids=tuple(cat["item_id"].tolist()),
        item_dept=item_dept,
        dept_ids=tuple(dict.fromkeys(item_dept)),
    )
