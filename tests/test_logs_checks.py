"""The checks one by one: what each drops, blanks or keeps, and the rows it reports."""

from __future__ import annotations

import pandas as pd

from simhall.logs.checks import (
    check_acceptance,
    check_blank_rows,
    check_duplicates,
    check_missing_values,
    check_time_order,
    check_unknown_items,
)
from simhall.logs.cleaning import clean_events

TODAY = pd.Timestamp("2025-01-01")


def test_blank_rows_and_missing_values() -> None:
    raw = pd.DataFrame(
        {
            "case_id": ["a", None, " ", "b"],
            "item_id": ["I", None, "I", ""],
            "activity": ["accept", None, "x", "x"],
        },
        index=pd.Index([2, 3, 4, 5]),
    )
    kept, blank = check_blank_rows(raw)
    assert blank is not None and list(blank.rows) == [3] and blank.action == "dropped"
    assert list(kept.index) == [2, 4, 5]
    out, issues = check_missing_values(kept)
    assert [(i.column, list(i.rows)) for i in issues] == [("case_id", [4]), ("item_id", [5])]
    assert list(out.index) == [2]
    assert check_blank_rows(out)[1] is None


def test_time_order_blanks_the_optional_timestamp() -> None:
    t = pd.to_datetime(["2024-01-01 09:00", "2024-01-01 10:00", "2024-01-01 11:00"])
    df = pd.DataFrame(
        {
            "ready": [t[0], t[2], t[2]],
            "start": [t[1], t[1], pd.NaT],
            "end": [t[0], t[2], t[1]],
        },
        index=pd.Index([2, 3, 4]),
    )
    out, issues = check_time_order(df)
    found = {i.check: list(i.rows) for i in issues}
    # row 2: end before start; row 3: ready after start; row 4: ready after end (no start)
    assert found == {"end_before_start": [2], "ready_after_start": [3, 4]}
    assert out["start"].isna().tolist() == [True, False, True]
    assert out["ready"].isna().tolist() == [False, True, True]
    assert df["start"].notna().sum() == 2  # the input is not changed


def test_unknown_items_and_acceptance() -> None:
    df = pd.DataFrame(
        {
            "case_id": ["a", "a", "b", "c"],
            "item_id": ["I1", "I1", "I9", "I1"],
            "activity": ["accept", "review", "accept", "review"],
        },
        index=pd.Index([2, 3, 4, 5]),
    )
    known, unknown = check_unknown_items(df, {"I1"})
    assert unknown is not None and list(unknown.rows) == [4]
    assert "'I9'" in unknown.detail
    issue = check_acceptance(known, "accept")
    assert issue is not None and list(issue.rows) == [5] and issue.action == "kept"
    assert issue.detail == "1 case(s) without an 'accept' event: kept"
    assert check_acceptance(known.iloc[:2], "accept") is None
    everyone = check_acceptance(df, "受理")
    assert everyone is not None and list(everyone.rows) == [2, 3, 4, 5]


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
