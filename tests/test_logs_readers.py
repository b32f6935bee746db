"""Reading case logs: CSV (plain, gzip, quoted line breaks), Parquet round trips, bad files."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pandas as pd
import pytest

from simhall.logs import (
    CHINESE,
    EVENT_COLUMNS,
    LogError,
    read_event_log,
    write_event_log,
)

DATA = Path(__file__).parent / "data"


def test_chinese_utf8_csv_with_preset() -> None:
    r = read_event_log(DATA / "events_zh_utf8.csv", mapping=CHINESE, accept_activity="受理")
    e = r.events
    assert tuple(e.columns) == EVENT_COLUMNS
    assert r.meta["encoding"] == "utf-8"
    assert r.meta["columns"]["case_id"] == "办件编号"
    assert len(e) == 5 and r.meta["n_cases"] == 2
    assert list(e.index) == [2, 3, 4, 5, 6]  # CSV line numbers, header = line 1
    assert str(e["case_id"].dtype) == "str"
    assert isinstance(e["activity"].dtype, pd.CategoricalDtype)
    assert e["end"].dtype == "datetime64[ns]"
    assert e.loc[2, "ready"] == pd.Timestamp("2024-03-04 08:50")
    assert e.loc[6, "end"] == pd.Timestamp("2024-03-04 09:45")  # 2024/03/04 09:45
    assert bool(r.low_precision.loc[4]) and not r.low_precision.loc[2]  # "2024-03-06"
    assert len(r.issues) == 0
    assert r.cases is None


def test_csv_gz(tmp_path: Path) -> None:
    path = tmp_path / "events.csv.gz"
    with open(DATA / "events_zh_gbk.csv", "rb") as src, gzip.open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    r = read_event_log(path, accept_activity="受理")
    assert r.meta["encoding"] == "gbk"
    assert len(r.events) == 5
    assert list(r.events.index) == [2, 3, 4, 5, 6]


def test_parquet_round_trip(tmp_path: Path) -> None:
    first = read_event_log(DATA / "events_zh_utf8.csv", accept_activity="受理")
    path = write_event_log(first.events, tmp_path / "events.parquet")
    again = read_event_log(path, accept_activity="受理")
    assert again.meta["format"] == "parquet" and again.meta["mapping"] == "schema"
    pd.testing.assert_frame_equal(
        first.events.reset_index(drop=True), again.events.reset_index(drop=True)
    )
    csv_path = write_event_log(first.events, tmp_path / "events.csv")
    csv_again = read_event_log(csv_path, accept_activity="受理")
    pd.testing.assert_frame_equal(
        first.events.reset_index(drop=True), csv_again.events.reset_index(drop=True)
    )


def test_unsupported_suffix_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "log.xlsx"
    path.write_bytes(b"x")
    with pytest.raises(LogError, match="unsupported"):
        read_event_log(path)
    with pytest.raises(LogError, match="no such file"):
        read_event_log(tmp_path / "absent.csv")


def test_quoted_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text(
        'case_id,item_id,activity,end\nc1,I1,"acc\nept",2024-01-01 09:00\n', encoding="utf-8"
    )
    r = read_event_log(path, accept_activity=None)
    assert list(r.events["activity"]) == ["acc\nept"]
    assert list(r.events["end"]) == [pd.Timestamp("2024-01-01 09:00")]
