"""Log formats: suffixes, the gzip check and CSV encoding detection (UTF-8, BOM, GBK)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from simhall.logs import LogError, detect_encoding, read_event_log
from simhall.logs.formats import check_gzip, log_format

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.csv", "csv"),
        ("A.CSV.GZ", "csv"),
        ("a.parquet", "parquet"),
        ("a.pq", "parquet"),
        ("a.xes", "xes"),
        ("a.xes.gz", "xes"),
    ],
)
def test_log_format_by_suffix(name: str, fmt: str) -> None:
    assert log_format(name) == fmt


def test_log_format_refuses_other_suffixes() -> None:
    with pytest.raises(LogError, match="unsupported log format") as info:
        log_format("log.xlsx")
    assert "file: log.xlsx" in str(info.value)
    assert "expected: .csv, .csv.gz, .parquet, .xes or .xes.gz" in str(info.value)


def test_check_gzip(tmp_path: Path) -> None:
    plain = tmp_path / "events.csv.gz"
    plain.write_text("case_id,item_id,activity,end\n", encoding="utf-8")
    with pytest.raises(LogError, match="not a gzip file") as info:
        check_gzip(plain)
    assert "rename it without .gz" in str(info.value) and str(plain) in str(info.value)
    real = tmp_path / "real.csv.gz"
    with gzip.open(real, "wt", encoding="utf-8") as fh:
        fh.write("case_id,item_id,activity,end\n")
    check_gzip(real)  # a real gzip file passes
    check_gzip(tmp_path / "absent.csv")  # not named .gz: not opened at all


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


def test_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"case_id,item_id,activity,end\n\xff\xfe\xff,a,b,2024-01-01\n")
    with pytest.raises(LogError, match="cannot decode") as info:
        detect_encoding(path)
    assert info.value.rows == [2]


def test_gbk_detected_beyond_the_first_chunk(tmp_path: Path) -> None:
    """The whole file is decoded: a GBK line after more than 1 MiB of ASCII is still found."""
    path = tmp_path / "late.csv"
    ascii_part = "case_id,item_id,activity,end\n" + "c1,I1,accept,2024-01-01 09:00\n" * 40_000
    path.write_bytes(ascii_part.encode("ascii") + "c2,I1,受理,2024-01-02 09:00\n".encode("gbk"))
    assert len(ascii_part) > 1 << 20
    assert detect_encoding(path) == "gbk"
    gz = tmp_path / "late.csv.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    assert detect_encoding(gz) == "gbk"
    events = read_event_log(path, accept_activity=None).events
    assert events["activity"].iloc[-1] == "受理"
    assert events["end"].iloc[-1] == pd.Timestamp("2024-01-02 09:00")
