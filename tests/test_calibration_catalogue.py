"""``simhall.calibration.catalogue``: the items catalogue, checked and numbered."""

from __future__ import annotations

import pandas as pd
import pytest

from simhall.calibration.catalogue import read_catalogue, require_columns


def test_items_and_departments_in_catalogue_order() -> None:
    items = pd.DataFrame(
        {
            "item_id": [7, "B", "C"],
            "department": ["y", "x", "y"],
            "kind": "commitment",
            "committed_days": 5,
        },
        index=[10, 11, 12],
    )
    cat = read_catalogue(items)
    assert cat.item_ids == ("7", "B", "C") and cat.n_items == 3
    assert cat.dept_ids == ("y", "x")
    assert cat.item_code == {"7": 0, "B": 1, "C": 2}
    assert cat.item_dept_code.tolist() == [0, 1, 0]
    assert list(cat.table.index) == [0, 1, 2]


def test_bad_catalogues_are_errors() -> None:
    good = {"department": ["d", "d"], "kind": "onsite", "committed_days": 0}
    with pytest.raises(ValueError, match="duplicate item_id 'A'"):
        read_catalogue(pd.DataFrame({"item_id": ["A", "A"], **good}))
    with pytest.raises(ValueError, match="items catalogue is empty"):
        read_catalogue(pd.DataFrame(columns=["item_id", "department", "kind", "committed_days"]))
    with pytest.raises(ValueError, match=r"lacks column\(s\) kind, committed_days; columns found"):
        read_catalogue(pd.DataFrame({"item_id": ["A"], "department": ["d"]}))


def test_require_columns_names_what_and_what_was_found() -> None:
    frame = pd.DataFrame(columns=["case_id", "x"])
    with pytest.raises(ValueError) as err:
        require_columns(frame, ("case_id", "end"), "event log")
    assert str(err.value) == "event log lacks column(s) end; columns found: ['case_id', 'x']"
    require_columns(frame, ("case_id",), "event log")  # no error
