"""The zone a log is read in: a preset's own (BPIC15: Europe/Amsterdam), a zone given
(``--timezone``) wins, else the hall's default; which one and why is said.

The log is BPIC15-like: XES with the Dutch offsets, +01:00 in winter and +02:00 in summer,
every event at 09:30 local time. Read in the preset's zone it keeps its Dutch working hours;
read in Asia/Shanghai (the old default) the same events move to 16:30 and 15:30.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from simhall.cli import main
from simhall.cli.app import build_parser
from simhall.cli.options import read_log
from simhall.logs import BPIC15, read_event_log
from simhall.logs.mapping import CHINESE, PRESETS, XES
from simhall.logs.readers import zone_source
from simhall.logs.schema import HALL_TIMEZONE

TIMES = {
    "c1": ["2012-01-10T09:30:00.000+01:00", "2012-01-11T09:30:00.000+01:00"],
    "c2": ["2012-07-10T09:30:00.000+02:00", "2012-07-12T09:30:00.000+02:00"],
}


def _xes(path: Path, times: dict[str, list[str]] = TIMES) -> Path:
    traces = []
    for case, stamps in times.items():
        events = "".join(
            f'<event><string key="concept:name" value="{name}"/>'
            f'<string key="org:resource" value="560999"/>'
            f'<date key="time:timestamp" value="{stamp}"/></event>'
            for name, stamp in zip(("01_HOOFD_010", "01_HOOFD_020"), stamps, strict=True)
        )
        traces.append(
            f'<trace><string key="concept:name" value="{case}"/>'
            f'<string key="caseStatus" value="G"/>{events}</trace>'
        )
    path.write_text(f'<?xml version="1.0"?><log>{"".join(traces)}</log>', encoding="utf-8")
    return path


def _hours(events: pd.DataFrame) -> list[str]:
    return sorted(pd.to_datetime(events["end"]).dt.strftime("%m-%d %H:%M"))


LOCAL = ["01-10 09:30", "01-11 09:30", "07-10 09:30", "07-12 09:30"]


def test_presets_carry_their_zone() -> None:
    assert BPIC15.timezone == "Europe/Amsterdam" and PRESETS["bpic15"] is BPIC15
    assert CHINESE.timezone == HALL_TIMEZONE
    assert XES.timezone is None  # a plain XES file says nothing about its hall


def test_the_preset_zone_keeps_the_dutch_hours(tmp_path: Path) -> None:
    log = _xes(tmp_path / "bpic.xes")
    read = read_event_log(log, mapping=BPIC15, accept_activity=None)
    assert _hours(read.events) == LOCAL
    assert (read.meta["timezone"], read.meta["timezone_from"]) == ("Europe/Amsterdam", "mapping")
    # +01:00 and +02:00 are the zone's own winter and summer time: nothing to report
    assert "mixed_offsets" not in set(read.issues.get("check", pd.Series(dtype="str")))
    assert zone_source(read.meta) == (
        "timestamps read in Europe/Amsterdam: the zone of the bpic15 mapping (give --timezone "
        "to override)"
    )
    # a zone given wins over the preset's
    given = read_event_log(log, mapping=BPIC15, accept_activity=None, timezone="Asia/Shanghai")
    assert _hours(given.events) == ["01-10 16:30", "01-11 16:30", "07-10 15:30", "07-12 15:30"]
    assert given.meta["timezone_from"] == "given"
    # the default applies only when neither a zone nor the mapping has one
    dflt = read_event_log(log, mapping=BPIC15, accept_activity=None, default_timezone="UTC")
    assert _hours(dflt.events) == LOCAL


def test_an_offset_that_is_not_the_zones_is_still_reported(tmp_path: Path) -> None:
    odd = {**TIMES, "c3": ["2012-03-10T09:30:00.000+08:00", "2012-03-11T09:30:00.000+01:00"]}
    read = read_event_log(_xes(tmp_path / "odd.xes", odd), mapping=BPIC15, accept_activity=None)
    issues = read.issues
    row = issues[issues["check"] == "mixed_offsets"]
    assert len(row) == 1 and "converted to Europe/Amsterdam" in str(row["detail"].iloc[0])
    assert "02:30" in " ".join(_hours(read.events))  # 09:30+08:00 is 02:30 in Amsterdam


def _args(tmp_path: Path, *extra: str) -> tuple[object, pd.DataFrame]:
    log = _xes(tmp_path / "bpic.xes")
    argv = ["calibrate", str(log), "--items", "i.csv", "--out", "o.toml", *extra]
    items = pd.DataFrame({"item_id": ["building_permit"], "department": ["wabo"]})
    return build_parser().parse_args(argv), items


@pytest.mark.parametrize(
    ("extra", "hours", "why"),
    [
        (("--mapping", "bpic15"), LOCAL, "Europe/Amsterdam: the zone of the bpic15 mapping"),
        (
            ("--mapping", "bpic15", "--timezone", "Asia/Shanghai"),
            ["01-10 16:30", "01-11 16:30", "07-10 15:30", "07-12 15:30"],
            "Asia/Shanghai: given (--timezone)",
        ),
        (
            ("--map", "item_id:=building_permit"),
            ["01-10 16:30", "01-11 16:30", "07-10 15:30", "07-12 15:30"],
            "Asia/Shanghai: the default hall zone: the xes mapping has none",
        ),
    ],
)
def test_the_command_line_zone(
    tmp_path: Path, extra: tuple[str, ...], hours: list[str], why: str
) -> None:
    """``--mapping bpic15`` reads in the preset's zone; ``--timezone`` wins; a mapping
    without a zone gets the hall's default; the first note says which and why."""
    args, items = _args(tmp_path, *extra)
    result = read_log(args, items)  # type: ignore[arg-type]
    assert _hours(result.events) == hours
    assert result.notes[0].startswith("timestamps read in ") and why in result.notes[0]


def test_an_unknown_preset_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = _xes(tmp_path / "bpic.xes")
    items = tmp_path / "items.csv"
    items.write_text(
        "item_id,department,kind,committed_days\nbuilding_permit,wabo,commitment,40\n",
        encoding="utf-8",
    )
    argv = ["calibrate", str(log), "--items", str(items), "--out", str(tmp_path / "o.toml")]
    assert main([*argv, "--mapping", "bpic16"]) == 2
    err = capsys.readouterr().err
    assert "--mapping bpic16: no such file and no such preset" in err and "bpic15" in err
