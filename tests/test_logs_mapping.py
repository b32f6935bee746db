"""Column mappings: TOML files, command-line items, presets, and missing required columns."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from simhall.logs import CHINESE, EVENT_COLUMNS, ColumnMapping, LogError, read_event_log
from simhall.logs.mapping import IDENTITY, PRESETS, XES, auto_mapping

DATA = Path(__file__).parent / "data"


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


def test_auto_mapping_from_header() -> None:
    assert auto_mapping(list(EVENT_COLUMNS)) is IDENTITY
    assert auto_mapping(["办件编号", "环节名称", "结束时间", "身份证号"]) is CHINESE
    assert auto_mapping(["办件号", "节点名称", "完成时间"]) is CHINESE  # later candidates
    assert auto_mapping(["when", "what"]) is IDENTITY  # then its missing columns are named


def test_presets_by_name() -> None:
    assert set(PRESETS) == {"schema", "xes", "bpic15", "chinese"}
    assert PRESETS["xes"] is XES and PRESETS["chinese"] is CHINESE
    bpic15 = PRESETS["bpic15"]
    assert dict(bpic15.columns) == dict(XES.columns)
    assert bpic15.constants == {"item_id": "building_permit"}
    assert bpic15.case_attributes == ("caseStatus", "startDate", "endDate")


def test_describe_and_with_constant() -> None:
    assert CHINESE.describe("ready") == "'就绪时间' or '取号时间' or '到达时间'"
    one = CHINESE.with_constant("item_id", "licence")
    assert "item_id" not in one.columns and one.describe("item_id") == "constant 'licence'"
    assert XES.describe("start") == "not mapped"
    with pytest.raises(LogError, match="given both a source column and a constant"):
        ColumnMapping(columns={"item_id": "x"}, constants={"item_id": "y"})
