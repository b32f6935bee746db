"""Reading case logs: encodings, formats, mappings, missing columns, items catalogue."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pandas as pd
import pytest

from simhall.logs import (
    CHINESE,
    EVENT_COLUMNS,
    ColumnMapping,
    LogError,
    detect_encoding,
    read_event_log,
    read_items,
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


def test_gbk_csv_detected_and_equal_to_utf8() -> None:
    assert detect_encoding(DATA / "events_zh_gbk.csv") == "gbk"
    utf8 = read_event_log(DATA / "events_zh_utf8.csv", accept_activity="受理")
    gbk = read_event_log(DATA / "events_zh_gbk.csv", accept_activity="受理")
    assert gbk.meta["encoding"] == "gbk"
    assert any("gbk" in n for n in gbk.notes)
    pd.testing.assert_frame_equal(utf8.events, gbk.events)
    explicit = read_event_log(DATA / "events_zh_gbk.csv", encoding="gb18030")
    pd.testing.assert_frame_equal(explicit.events, gbk.events)


def test_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (DATA / "events_zh_utf8.csv").read_bytes())
    assert detect_encoding(path) == "utf-8-sig"
    r = read_event_log(path, accept_activity="受理")
    assert len(r.events) == 5 and r.meta["columns"]["case_id"] == "办件编号"


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


def test_mapping_file_with_candidates_and_timezone() -> None:
    mapping = ColumnMapping.from_file(DATA / "mapping_zh.toml")
    assert mapping.timezone == "Asia/Shanghai"
    assert mapping.columns["activity"] == ("步骤", "环节名称")
    r = read_event_log(DATA / "events_custom.csv", mapping=mapping)
    e = r.events
    assert list(e["case_id"]) == ["X1", "X1", "X2"]
    # "...T01:10:00Z" converted to Shanghai wall-clock time; naive times kept as written
    assert list(e["end"]) == [
        pd.Timestamp("2024-03-04 09:10"),
        pd.Timestamp("2024-03-05 10:00"),
        pd.Timestamp("2024-03-04 09:30"),
    ]
    assert any("no start timestamps" in n for n in r.notes)


def test_mapping_from_cli_and_constant_item() -> None:
    mapping = ColumnMapping.from_cli(
        ["case_id=业务号", "activity=步骤", "end=完成于", "item_id:=licence"]
    )
    assert mapping.constants == {"item_id": "licence"}
    r = read_event_log(DATA / "events_custom.csv", mapping=mapping)
    assert set(r.events["item_id"]) == {"licence"}
    assert r.events["resource"].isna().all()
    overridden = read_event_log(DATA / "events_zh_utf8.csv", item_id="one", accept_activity=None)
    assert set(overridden.events["item_id"]) == {"one"}


def test_mapping_errors(tmp_path: Path) -> None:
    with pytest.raises(LogError, match="unknown target"):
        ColumnMapping.from_cli(["caseid=办件编号"])
    with pytest.raises(LogError, match="target:=constant"):
        ColumnMapping.from_cli(["case_id"])
    bad = tmp_path / "bad.toml"
    bad.write_text("[colums]\ncase_id = 'x'\n", encoding="utf-8")
    with pytest.raises(LogError, match="unknown table"):
        ColumnMapping.from_file(bad)


def test_missing_required_columns_names_missing_and_found(tmp_path: Path) -> None:
    path = tmp_path / "few.csv"
    path.write_text("case_id,activity,when\nc1,accept,2024-01-01\n", encoding="utf-8")
    with pytest.raises(LogError) as info:
        read_event_log(path)
    message = str(info.value)
    assert "item_id" in message and "end" in message
    assert "'when'" in message and str(path) in message


def test_unsupported_suffix_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "log.xlsx"
    path.write_bytes(b"x")
    with pytest.raises(LogError, match="unsupported"):
        read_event_log(path)
    with pytest.raises(LogError, match="no such file"):
        read_event_log(tmp_path / "absent.csv")


def test_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"case_id,item_id,activity,end\n\xff\xfe\xff,a,b,2024-01-01\n")
    with pytest.raises(LogError, match="cannot decode") as info:
        detect_encoding(path)
    assert info.value.rows == [2]


def test_quoted_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text(
        'case_id,item_id,activity,end\nc1,I1,"acc\nept",2024-01-01 09:00\n', encoding="utf-8"
    )
    r = read_event_log(path, accept_activity=None)
    assert list(r.events["activity"]) == ["acc\nept"]
    assert list(r.events["end"]) == [pd.Timestamp("2024-01-01 09:00")]


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
