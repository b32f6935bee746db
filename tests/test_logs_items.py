"""The items catalogue: English and Chinese headers, kinds, day counts, contradictions."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from simhall.logs import LogError, read_items
from simhall.logs.items import known_item_ids

DATA = Path(__file__).parent / "data"


def test_read_items_english_and_chinese() -> None:
    items = read_items(DATA / "items.csv")
    assert list(items.columns) == [
        "item_id",
        "department",
        "kind",
        "committed_days",
        "name",
        "statutory_days",
    ]
    assert list(items["kind"]) == ["commitment", "onsite"]
    assert list(items["committed_days"]) == [5, 0]
    zh = read_items(DATA / "items_zh.csv")
    assert list(zh["item_id"]) == ["11010001", "11010002"]
    assert list(zh["kind"]) == ["commitment", "onsite"]
    assert zh["committed_days"].tolist() == [5, 0]
    assert zh["statutory_days"].iloc[0] == 20 and pd.isna(zh["statutory_days"].iloc[1])


def test_read_items_validation(tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    path.write_text(
        "item_id,department,kind,committed_days\nA,d,onsite,0\nA,d,onsite,0\n", encoding="utf-8"
    )
    with pytest.raises(LogError, match="duplicate item_id") as info:
        read_items(path)
    assert info.value.rows == [2, 3]
    path.write_text("item_id,department,kind,committed_days\nA,d,walk-in,0\n", encoding="utf-8")
    with pytest.raises(LogError, match="unknown item kind"):
        read_items(path)
    path.write_text(
        "item_id,department,kind,committed_days,statutory_days\nA,d,commitment,30,20\n",
        encoding="utf-8",
    )
    with pytest.raises(LogError, match="longer than statutory"):
        read_items(path)
    path.write_text("item_id,kind\nA,onsite\n", encoding="utf-8")
    with pytest.raises(LogError, match="department"):
        read_items(path)


def test_known_item_ids() -> None:
    assert known_item_ids(None) is None
    assert known_item_ids(["A", 3]) == {"A", "3"}
    assert known_item_ids(pd.DataFrame({"item_id": [1, "B"]})) == {"1", "B"}
    assert known_item_ids(DATA / "items.csv") == {"I1", "I2"}
    assert known_item_ids(str(DATA / "items.csv")) == {"I1", "I2"}
