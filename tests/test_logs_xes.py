"""XES: streaming read, lifecycle start/complete pairing, trace attributes, gzip."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pandas as pd
import pytest

from simhall.logs import XES, ColumnMapping, LogError, read_event_log
from simhall.logs.xes import read_xes

DATA = Path(__file__).parent / "data"
MAPPING = ColumnMapping(
    columns={**XES.columns, "item_id": "case:item"},
    case_attributes=("caseStatus", "startDate"),
    name="tiny",
)


def test_read_xes_keeps_only_requested_attributes() -> None:
    t = read_xes(DATA / "lifecycle.xes", event_keys={"concept:name"}, trace_keys={"item"})
    assert list(t.events.columns) == ["concept:name", "case:item"]
    assert len(t.events) == 12 and t.n_traces == 2
    assert "note" in t.event_keys_seen and "nested:key" not in t.event_keys_seen
    assert "case:caseStatus" in t.trace_keys_seen
    assert list(t.events.index[:2]) == [1, 2]


def test_start_complete_pairs() -> None:
    r = read_event_log(DATA / "lifecycle.xes", mapping=MAPPING)
    e = r.events
    assert len(e) == 5
    c1 = e[e["case_id"] == "c1"]
    assert list(c1["activity"]) == ["accept", "review", "review", "sign"]
    assert list(c1["start"][:3]) == [
        pd.Timestamp("2024-03-04 09:00"),
        pd.Timestamp("2024-03-04 10:00"),
        pd.Timestamp("2024-03-05 11:00"),
    ]
    assert list(c1["end"][:3]) == [
        pd.Timestamp("2024-03-04 09:05"),
        pd.Timestamp("2024-03-04 10:30"),
        pd.Timestamp("2024-03-05 11:20"),
    ]
    assert c1["ready"].iloc[1] == pd.Timestamp("2024-03-04 09:05")  # schedule -> ready
    assert pd.isna(c1["start"].iloc[3])
    assert list(e["item_id"]) == ["I1"] * 4 + ["I2"]
    issues = r.issues.set_index("check")
    assert issues.loc["start_without_complete", "rows"] == [12]
    assert issues.loc["other_lifecycle", "rows"] == [10]
    assert issues.loc["complete_without_start", "action"] == "kept"
    assert any("start/complete pairs matched" in n for n in r.notes)


def test_cases_frame_from_trace_attributes() -> None:
    r = read_event_log(DATA / "lifecycle.xes", mapping=MAPPING)
    assert r.cases is not None
    assert list(r.cases.columns) == ["case_id", "caseStatus", "startDate"]
    assert list(r.cases["caseStatus"]) == ["G", "O"]
    assert r.cases["startDate"].iloc[0] == pd.Timestamp("2024-03-04")
    assert pd.isna(r.cases["startDate"].iloc[1])


def test_complete_only_and_gzip(tmp_path: Path) -> None:
    text = (DATA / "lifecycle.xes").read_text(encoding="utf-8")
    text = text.replace('value="start"', 'value="complete"')
    path = tmp_path / "complete.xes.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(text)
    r = read_event_log(path, item_id="tiny", accept_activity=None)
    assert r.events["start"].isna().all()
    assert any("no start timestamps" in n for n in r.notes)
    plain = tmp_path / "plain.xes"
    with gzip.open(path, "rb") as src, open(plain, "wb") as dst:
        shutil.copyfileobj(src, dst)
    again = read_event_log(plain, item_id="tiny", accept_activity=None)
    pd.testing.assert_frame_equal(r.events, again.events)


def test_xes_needs_item_id(tmp_path: Path) -> None:
    with pytest.raises(LogError, match="item_id"):
        read_event_log(DATA / "lifecycle.xes")


def test_malformed_xes(tmp_path: Path) -> None:
    path = tmp_path / "broken.xes"
    path.write_text("<log><trace><event></trace></log>", encoding="utf-8")
    with pytest.raises(LogError, match="well-formed"):
        read_event_log(path, item_id="x")
