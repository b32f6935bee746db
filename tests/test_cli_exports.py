"""Real exports through ``simhall calibrate`` (issue 8 item 6): Chinese activity names and
headers, ``--accept-activity`` checked against the log, pickups (领证) not taken for returns,
mixed UTC offsets and ``--timezone``, ``--map`` extending the preset, one missing column
named in Chinese and English. Each case: the exit status and the message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from simhall.cli import main
from simhall.scenario import load_scenario
from simhall.scenario.schema import VisitStep

ZH = {
    "case_id": "办件编号",
    "item_id": "事项编码",
    "activity": "环节名称",
    "resource": "办理人",
    "start": "开始时间",
    "end": "结束时间",
}
"""Schema column -> header of the Chinese export written here."""
NAMES = {"accept": "受理", "review": "审查"}


def chinese_log(case_log: Callable[..., pd.DataFrame], n_cases: int = 90) -> pd.DataFrame:
    """``case_log`` with Chinese names, windows ``窗口1``, and a pickup (领证) at the window two
    days after the review for every case."""
    ev = case_log(n_cases, "11010001").drop(columns="ready")
    ev["activity"] = ev["activity"].map(NAMES)
    ev["resource"] = ev["resource"].str.replace("d/window/", "窗口", regex=False)
    review = ev[ev["activity"] == "审查"]
    pickup = review.assign(
        activity="领证",
        resource="窗口1",
        start=review["end"].dt.normalize() + pd.Timedelta(days=2, hours=10),
    )
    pickup["end"] = pickup["start"] + pd.Timedelta(minutes=5)
    ev = pd.concat([ev, pickup], ignore_index=True).sort_values(["case_id", "end"])
    return ev.rename(columns=ZH)


@pytest.fixture()
def files(tmp_path: Path, case_log: Callable[..., pd.DataFrame]) -> tuple[Path, Path]:
    log = tmp_path / "办件.csv"
    chinese_log(case_log).to_csv(log, index=False, date_format="%Y-%m-%d %H:%M:%S")
    items = tmp_path / "items.csv"
    items.write_text(
        "item_id,department,kind,committed_days,name\n11010001,d,commitment,5,企业设立登记\n",
        encoding="utf-8",
    )
    return log, items


def _calibrate(log: Path, items: Path, *extra: str) -> tuple[int, Path]:
    out = log.parent / "cal.toml"
    code = main(["calibrate", str(log), "--items", str(items), "--out", str(out), *extra])
    return code, out


def test_chinese_acceptance_found_and_pickup_is_a_visit_not_a_return(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    log, items = files
    code, out = _calibrate(log, items)
    assert code == 0
    printed = capsys.readouterr().out
    assert "no_acceptance" not in printed and "without an" not in printed
    (item,) = load_scenario(out).items
    # 受理 is the acceptance: every window visit ends in acceptance, none is a return (补正)
    assert item.incomplete_prob == 0.0
    visits = [s for s in item.route if isinstance(s, VisitStep)]
    visits += [
        s
        for p in item.route
        for branch in getattr(p, "branches", ())
        for s in branch
        if isinstance(s, VisitStep)
    ]
    assert [v.name for v in visits] == ["领证"]  # the applicant collects the licence


def test_accept_activity_not_in_the_log_exits_2_naming_the_activities(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    log, items = files
    code, out = _calibrate(log, items, "--accept-activity", "收件")
    assert code == 2
    err = capsys.readouterr().err
    assert "'收件' names no activity" in err
    assert "'受理' (90)" in err and "'审查' (90)" in err and "'领证' (90)" in err
    assert log.name in err and not out.exists()


def test_mixed_offsets_converted_to_the_zone_and_reported(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    log, items = files
    frame = pd.read_csv(log, dtype=str)
    end = pd.to_datetime(frame["结束时间"])
    utc = end - pd.Timedelta(hours=8)
    # rows 0-9 in UTC with Z, rows 10-19 with +08:00, the rest naive Shanghai time
    frame.loc[:9, "结束时间"] = utc[:10].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    frame.loc[10:19, "结束时间"] = end[10:20].dt.strftime("%Y-%m-%dT%H:%M:%S+08:00")
    frame.to_csv(log, index=False)
    code, out = _calibrate(log, items, "--report", str(log.parent / "cal.md"))
    assert code == 0
    printed = capsys.readouterr().out
    assert "mixed_offsets" in printed
    assert "10 UTC" in printed and "10 +08:00" in printed
    assert "converted to Asia/Shanghai" in printed
    # the UTC values were converted back to the hall's wall-clock time: opening hours as
    # in the naive rows (an 8-hour shift would put completions at 01:00-04:00)
    text = out.read_text(encoding="utf-8")
    assert 'opening = [["08:' in text
    # --timezone keep: offsets dropped, reported as not comparable
    code, _ = _calibrate(log, items, "--timezone", "keep")
    assert code == 0
    assert "not comparable" in capsys.readouterr().out
    code, _ = _calibrate(log, items, "--timezone", "Mars/Olympus")
    assert code == 2
    assert "unknown time zone 'Mars/Olympus'" in capsys.readouterr().err


def test_map_extends_the_chinese_preset(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    log, items = files
    frame = pd.read_csv(log, dtype=str).rename(columns={"办理人": "处理者"})
    frame.to_csv(log, index=False)
    code, out = _calibrate(log, items, "--map", "resource=处理者")
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert "windows = 1" in text  # the window resource 窗口1 was read from 处理者
    code, _ = _calibrate(log, items, "--map", "resource=经手人")
    assert code == 2
    err = capsys.readouterr().err
    assert "no column '经手人' for 办理人 (resource)" in err and "'处理者'" in err


def test_chinese_log_missing_one_column_is_told_which(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    log, items = files
    pd.read_csv(log, dtype=str).drop(columns="环节名称").to_csv(log, index=False)
    code, _ = _calibrate(log, items)
    assert code == 2
    err = capsys.readouterr().err
    assert "missing required column 环节名称 (activity)" in err
    assert "'办理环节'" in err  # where it looked
    for present in ("办件编号", "事项编码", "结束时间"):
        assert f"{present} (" not in err.split("columns found")[0]
