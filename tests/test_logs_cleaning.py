"""Cleaning checks: every problem reported with source rows and counts; strict mode raises."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from simhall.logs import LogError, read_event_log
from simhall.logs.cleaning import clean_events

DATA = Path(__file__).parent / "data"
TODAY = pd.Timestamp("2025-01-01")


@pytest.fixture(scope="module")
def dirty() -> pd.DataFrame:
    return read_event_log(DATA / "events_dirty.csv", items=["I1"], today=TODAY).issues


def _issue(issues: pd.DataFrame, check: str, column: str = "") -> dict[Hashable, Any]:
    found = [
        rec
        for rec in issues.to_dict("records")
        if rec["check"] == check
        and (rec["column"] if isinstance(rec["column"], str) else "") == column
    ]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize(
    ("check", "column", "rows", "action"),
    [
        ("blank_row", "", [13], "dropped"),
        ("missing_value", "case_id", [11], "dropped"),
        ("unparseable_time", "end", [5], "dropped"),
        ("unparseable_time", "start", [12], "kept"),
        ("impossible_date", "end", [8, 14], "dropped"),
        ("end_before_start", "start", [6], "kept"),
        ("ready_after_start", "ready", [7], "kept"),
        ("duplicate_event", "", [4], "dropped"),
        ("unknown_item", "item_id", [9], "dropped"),
        ("no_acceptance", "activity", [6, 10], "kept"),
    ],
)
def test_each_check_reports_rows_and_counts(
    dirty: pd.DataFrame, check: str, column: str, rows: list[int], action: str
) -> None:
    issue = _issue(dirty, check, column)
    assert issue["rows"] == rows
    assert issue["count"] == len(rows)
    assert issue["action"] == action


def test_dirty_log_result() -> None:
    r = read_event_log(DATA / "events_dirty.csv", items=["I1"], today=TODAY)
    e = r.events
    assert list(e.index) == [2, 3, 6, 7, 10, 12]
    assert e["start"].isna()[6]  # end before start: start blanked
    assert e["ready"].isna()[7]  # ready after start: blanked
    assert e["start"].isna()[12]  # unparseable start blanked
    assert "'not a time'" in _issue(r.issues, "unparseable_time", "end")["detail"]
    dropped = r.issues.loc[r.issues["action"] == "dropped", "count"].sum()
    assert dropped + len(e) == r.meta["n_rows_read"]  # nothing dropped silently
    assert "7 source row(s) dropped" in " ".join(r.notes)
    assert "rows 8, 14" in r.report()


def test_strict_raises_listing_all_problems() -> None:
    with pytest.raises(LogError) as info:
        read_event_log(DATA / "events_dirty.csv", items=["I1"], today=TODAY, strict=True)
    message = str(info.value)
    for fragment in (
        "blank_row",
        "rows 13",
        "unparseable_time [end]: 1 row(s) dropped: rows 5",
        "impossible_date [end]: 2 row(s) dropped: rows 8, 14",
        "duplicate_event",
        "unknown_item",
        "no_acceptance",
    ):
        assert fragment in message


def test_strict_passes_clean_log() -> None:
    r = read_event_log(DATA / "events_zh_utf8.csv", strict=True, accept_activity="受理")
    assert len(r.events) == 5


def test_low_precision_flags_and_note() -> None:
    raw = pd.DataFrame(
        {
            "case_id": ["a", "a", "b"],
            "item_id": ["I"] * 3,
            "activity": ["accept", "x", "accept"],
            "end": ["2024-01-01", "2024-01-01 10:00", "2024-01-02 00:00:00"],
        },
        index=pd.Index([2, 3, 4]),
    )
    cleaned = clean_events(raw, today=TODAY)
    assert list(cleaned.low_precision) == [True, False, True]
    assert any(n.startswith("66.7% of timestamps carry no time of day") for n in cleaned.notes)
    assert cleaned.low_precision.dtype == np.bool_
