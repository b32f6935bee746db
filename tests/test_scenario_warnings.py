"""Scenario values that are possible but unusual are warnings, values that cannot work are
errors naming the key (issue 9, item 6): sessions in the lunch break or past midnight, an
intraday profile with no weight in the opening hours."""

from __future__ import annotations

from pathlib import Path

import pytest

from simhall.cli import main
from simhall.scenario import ScenarioError, load_scenario

SMALL = Path(__file__).resolve().parents[1] / "scenarios" / "examples" / "small_hall.toml"


def _overlay(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "overlay.toml"
    path.write_text(f'extends = "{SMALL.as_posix()}"\n{body}', encoding="utf-8")
    return path


def _signoff(times: str, duration: int = 30) -> str:
    return (
        '[[departments]]\nid = "jianwei"\n'
        f'signoff = {{ weekdays = ["tue"], times = [{times}], duration_min = {duration} }}\n'
    )


def test_the_example_halls_have_no_warnings() -> None:
    assert load_scenario(SMALL).warnings == ()


def test_signoff_in_the_lunch_break_is_a_warning(tmp_path: Path) -> None:
    scn = load_scenario(_overlay(tmp_path, _signoff('"13:00"')))
    assert len(scn.warnings) == 1
    warning = scn.warnings[0]
    assert 'overlay.toml: departments[0].signoff.times[0] = "13:00"' in warning
    assert "outside the opening hours (08:30-12:00, 14:30-16:30, 14:30-17:30)" in warning


def test_warning_is_printed_and_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    code = main(
        [
            "run",
            str(_overlay(tmp_path, _signoff('"13:00"'))),
            "--days",
            "10",
            "--reps",
            "1",
            "--drain-days",
            "5",
            "--warmup-days",
            "0",
            "--out",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert "simhall: warning: " in err and "overlay.toml: departments[0].signoff.times[0]" in err
    assert "overlay.toml: departments[0].signoff" in (out / "settings.txt").read_text()


def test_session_past_midnight_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(_overlay(tmp_path, _signoff('"23:30"', duration=60)))
    assert 'departments[0].signoff.times[0] = "23:30": expected a session ending by 24:00' in (
        str(info.value)
    )


def test_intraday_without_weight_in_opening_hours_is_an_error(tmp_path: Path) -> None:
    body = '[demand]\nintraday = { "08:30" = 0.0, "12:00" = 1.0, "14:30" = 0.0 }\n'
    with pytest.raises(ScenarioError) as info:
        load_scenario(_overlay(tmp_path, body))
    assert "demand.intraday" in str(info.value)
    assert "positive weight inside the opening hours" in str(info.value)
