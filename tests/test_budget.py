"""A run that would not fit in memory stops before it starts (issue 9, item 1)."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest

import simhall
from simhall.budget import estimate_memory, expected_cases
from simhall.cli import main
from simhall.errors import UsageError
from tests.helpers import item, scenario

ROOT = Path(__file__).resolve().parents[1]


def test_expected_cases_is_demand_times_days() -> None:
    scn = scenario([item("a", volume=10.0), item("b", volume=5.0)])
    assert expected_cases(scn, 20) == pytest.approx(300.0)


def test_estimate_grows_with_workers_and_replications() -> None:
    scn = scenario([item("a", volume=100.0)])
    one = estimate_memory(scn, 100, reps=1, workers=1).bytes
    assert estimate_memory(scn, 100, reps=4, workers=1).bytes > one
    assert (
        estimate_memory(scn, 100, reps=4, workers=2).bytes
        > estimate_memory(scn, 100, reps=4, workers=1).bytes
    )


def test_huge_demand_stops_before_allocating() -> None:
    scn = scenario([item("a", volume=1e9)])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(UsageError) as info:
        simhall.run(scn, days=5, reps=1, show_progress=False)
    message = str(info.value)
    assert "cases per replication" in message and "--memory-limit-gb" in message
    # nothing close to the 40 GB the arrivals would have taken was allocated
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert after - before < 500 * 1024  # kB


def test_the_bound_is_an_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    small = ROOT / "scenarios" / "examples" / "small_hall.toml"
    argv = ["run", str(small), "--days", "10", "--reps", "1", "--warmup-days", "0"]
    code = main([*argv, "--memory-limit-gb", "0.01", "--out", str(tmp_path / "a")])
    assert code == 2
    assert "more than the 0.0 GB it may use" in capsys.readouterr().err
    assert main([*argv, "--memory-limit-gb", "8", "--out", str(tmp_path / "b")]) == 0


def test_warmup_from_the_scenario_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    small = ROOT / "scenarios" / "examples" / "small_hall.toml"
    assert main(["run", str(small), "--days", "5", "--out", "unused"]) == 2
    err = capsys.readouterr().err
    assert "warmup_days = 20 (from the [run] table of" in err and "small_hall.toml" in err
    assert "give --warmup-days" in err
