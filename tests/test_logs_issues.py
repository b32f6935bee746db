"""Issues: the frame of problems and its text, with row numbers truncated but all kept."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from simhall.logs import ISSUE_COLUMNS, LogError, format_issues, read_event_log
from simhall.logs.issues import Issue, issues_frame


def test_issues_frame_and_text() -> None:
    issues = [
        Issue("unparseable_time", np.array([3, 7]), "dropped", "end", "cannot read"),
        Issue("blank_row", np.arange(2, 40), "dropped"),
    ]
    frame = issues_frame(issues)
    assert tuple(frame.columns) == ISSUE_COLUMNS
    assert frame["count"].tolist() == [2, 38] and frame["count"].dtype == np.int64
    assert frame.loc[1, "rows"] == list(range(2, 40))
    text = format_issues(frame, limit=3).splitlines()
    assert text == [
        "unparseable_time [end]: 2 row(s) dropped: rows 3, 7 -- cannot read",
        "blank_row: 38 row(s) dropped: rows 2, 3, 4, ... (+35 more)",
    ]
    assert len(issues_frame([])) == 0 and format_issues(issues_frame([])) == ""


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
