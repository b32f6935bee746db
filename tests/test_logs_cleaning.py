"""Cleaning checks: every problem reported with source rows and counts; strict mode raises."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from simhall.logs import LogError, read_event_log
from simhall.logs.cleaning import check_duplicates, clean_events, parse_timestamps

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


def test_rows_truncated_to_twenty_in_text(tmp_path: Path) -> None:
    lines = ["case_id,item_id,activity,end"] + [f"c{i},I1,review,bad" for i in range(30)]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LogError) as info:
        read_event_log(path, strict=True)
    assert "(+10 more)" in str(info.value)
    r = read_event_log(path)
    assert r.issues.loc[0, "rows"] == list(range(2, 32))  # the frame keeps all rows
    assert len(r.events) == 0


def test_parse_timestamps_offsets_and_forms() -> None:
    raw = pd.Series(
        [
            "2014-04-11T00:00:00+02:00",
            "2014-11-11T09:30:00+01:00",
            "2024-03-04 09:00",
            "2024年3月4日 9时5分",
            "2024-03-04",
            "",
            None,
            "13/13/2024",
        ],
        dtype="str",
    )
    values, bad, out_of_range = parse_timestamps(raw)
    assert values.dtype == "datetime64[ns]"
    assert values[0] == pd.Timestamp("2014-04-11 00:00")  # wall-clock kept
    assert values[1] == pd.Timestamp("2014-11-11 09:30")
    assert values[3] == pd.Timestamp("2024-03-04 09:05")
    assert values[4] == pd.Timestamp("2024-03-04")
    assert list(bad) == [False] * 7 + [True]
    assert not out_of_range.any()
    converted, _, _ = parse_timestamps(raw[:2], timezone="Asia/Shanghai")
    assert converted[0] == pd.Timestamp("2014-04-11 06:00")
    assert converted[1] == pd.Timestamp("2014-11-11 16:30")


def test_parse_tz_aware_datetimes() -> None:
    aware = pd.Series(pd.to_datetime(["2024-03-04 09:00"]).tz_localize("Asia/Shanghai"))
    values, bad, _ = parse_timestamps(aware)
    assert values[0] == pd.Timestamp("2024-03-04 09:00") and not bad.any()
    utc, _, _ = parse_timestamps(aware, timezone="UTC")
    assert utc[0] == pd.Timestamp("2024-03-04 01:00")


def test_out_of_range_dates_are_impossible() -> None:
    raw = pd.DataFrame(
        {
            "case_id": ["a", "a"],
            "item_id": ["I", "I"],
            "activity": ["x", "accept"],
            "end": ["0001-01-01", "2024-01-01 10:00"],
        },
        index=pd.Index([2, 3]),
    )
    cleaned = clean_events(raw, today=TODAY)
    assert [i.check for i in cleaned.issues] == ["impossible_date"]
    assert list(cleaned.issues[0].rows) == [2]


def test_date_only_duplicates_are_kept_as_possible() -> None:
    df = pd.DataFrame(
        {
            "case_id": ["a", "a", "a", "a"],
            "activity": ["x", "x", "y", "y"],
            "end": pd.to_datetime(
                ["2024-01-01", "2024-01-01", "2024-01-01 10:00", "2024-01-01 10:00"],
                format="ISO8601",
            ),
        },
        index=pd.Index([2, 3, 4, 5]),
    )
    out, issues = check_duplicates(df)
    checks = {i.check: list(i.rows) for i in issues}
    assert checks == {"possible_duplicate": [3], "duplicate_event": [5]}
    assert list(out.index) == [2, 3, 4]


def test_events_that_became_ready_at_different_times_are_not_duplicates() -> None:
    """Two files of one case on the same courier run: same start and end, other ready."""
    t = pd.to_datetime(["2007-01-12 10:00", "2007-01-12 10:40"])
    df = pd.DataFrame(
        {
            "case_id": ["a", "a", "a"],
            "activity": ["transfer_to_hall"] * 3,
            "resource": ["d/courier"] * 3,
            "ready": pd.to_datetime(["2007-01-12 08:44", "2007-01-12 09:39", "2007-01-12 09:39"]),
            "start": [t[0]] * 3,
            "end": [t[1]] * 3,
        },
        index=pd.Index([2, 3, 4]),
    )
    out, issues = check_duplicates(df)
    assert [(i.check, list(i.rows)) for i in issues] == [("duplicate_event", [4])]
    assert list(out.index) == [2, 3]


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
