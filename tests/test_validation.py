"""``simhall validate``: a scenario passes against its own synthetic log and fails a wrong one.

The synthetic log is the small example hall simulated for 90 days (seed 11); validation
re-simulates with other seeds. The example hall's business clerks (gongshang, 3 staff) work at
about 97% of capacity, so whole replications differ widely (mean working days of one item
from 1.3 to 2.6 over 10 replications); the test hall gets a fourth clerk to be a stable hall
whose log one replication represents. The deliberately wrong scenario has half the windows
and half the back-office staff, so waits and durations must fail while demand still passes.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from simhall.logs import write_event_log
from simhall.scenario.schema import Scenario
from simhall.synth import items_catalogue, synthesize
from simhall.validation import (
    DEFAULT_TOLERANCES,
    Tolerances,
    TolerancesError,
    ValidationResult,
    validate,
)

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "scenarios" / "examples" / "small_hall.toml"


def simhall_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SIMHALL_PROGRESS": "0", "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
    env.pop("SIMHALL_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "simhall", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )


def half_staff(sc: Scenario) -> Scenario:
    """Half the windows and half the back-office staff of every department (at least 1)."""
    deps = tuple(
        dataclasses.replace(
            d,
            windows=max(1, d.windows // 2),
            pools=tuple(dataclasses.replace(p, staff=max(1, p.staff // 2)) for p in d.pools),
        )
        for d in sc.departments
    )
    return dataclasses.replace(sc, departments=deps)


@pytest.fixture(scope="module")
def log(scenario: Scenario) -> pd.DataFrame:
    events, _ = synthesize(scenario, days=90, seed=11)
    return events


@pytest.fixture(scope="module")
def own(log: pd.DataFrame, scenario: Scenario) -> ValidationResult:
    return validate(log, scenario, reps=4, seed=2)


@pytest.fixture(scope="module")
def wrong(log: pd.DataFrame, scenario: Scenario) -> ValidationResult:
    return validate(log, half_staff(scenario), reps=4, seed=2)


def test_own_scenario_passes(own: ValidationResult) -> None:
    assert own.passed, own.failures.to_string()
    assert (own.table["status"] == "PASS").sum() >= 40
    metrics = set(own.table["metric"])
    assert set(DEFAULT_TOLERANCES) <= metrics
    w = own.row("wasserstein_days")
    assert 0 <= w["error"] < 0.5
    assert own.row("onsite_rate")["observed"] == pytest.approx(
        own.row("onsite_rate")["simulated"], abs=0.05
    )


def test_wrong_scenario_fails_where_it_is_wrong(wrong: ValidationResult) -> None:
    assert not wrong.passed
    failed = set(zip(wrong.failures["scope"], wrong.failures["id"], wrong.failures["metric"]))
    assert ("hall", "hall", "mean_wait_min") in failed
    assert ("hall", "hall", "mean_days") in failed
    assert ("hall", "hall", "wasserstein_days") in failed
    assert ("item", "GS-001", "p90_days") in failed
    # demand is not what was changed: it still passes
    assert wrong.row("cases_per_week")["status"] == "PASS"


def test_report_states_censoring_and_writes_files(own: ValidationResult, tmp_path: Path) -> None:
    out = own.write(tmp_path)
    text = (out / "validation.md").read_text(encoding="utf-8")
    assert "censoring" in text and "left out of the duration metrics on both sides" in text
    for name in ("validation.csv", "durations_ecdf.png", "weekly_counts.png", "hourly_profile.png"):
        assert (out / name).stat().st_size > 0
    table = pd.read_csv(out / "validation.csv")
    assert {"scope", "id", "metric", "observed", "simulated", "error", "limit", "status"} <= set(
        table.columns
    )
    assert len(own.weekly) >= 12 and own.hourly["observed"].sum() == pytest.approx(1.0)


def test_tolerances_file_overrides(
    tmp_path: Path, log: pd.DataFrame, wrong: ValidationResult, scenario: Scenario
) -> None:
    path = tmp_path / "tol.toml"
    path.write_text("min_cases = 10\n[mean_wait_min]\nabs = 1000\nz = 0\n", encoding="utf-8")
    tol = Tolerances.from_toml(path)
    assert tol.min_cases == 10 and tol.metrics["mean_wait_min"].abs == 1000
    assert tol.metrics["mean_days"] == DEFAULT_TOLERANCES["mean_days"]
    again = validate(log, half_staff(scenario), reps=4, seed=2, tolerances=path)
    assert again.row("mean_wait_min")["status"] == "PASS"
    assert wrong.row("mean_wait_min")["status"] == "FAIL"
    bad = tmp_path / "bad.toml"
    bad.write_text("[mean_dayz]\nabs = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.toml.*mean_dayz"):
        Tolerances.from_toml(bad)
    bad.write_text("[mean_days]\nabs = -1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mean_days.abs"):
        Tolerances.from_toml(bad)


THREE_MISTAKES = """\
min_cases = 2.5

[mean_dayz]
abs = 1

[p90_days]
abs = -1
"""


def test_tolerances_file_reports_every_mistake_at_once(tmp_path: Path) -> None:
    bad = tmp_path / "three.toml"
    bad.write_text(THREE_MISTAKES, encoding="utf-8")
    with pytest.raises(TolerancesError) as info:
        Tolerances.from_toml(bad)
    assert [str(p) for p in info.value.problems] == [
        f"{bad}: mean_dayz = {{ abs = 1 }}: unknown key; expected one of: min_cases, "
        + ", ".join(DEFAULT_TOLERANCES)
        + "; did you mean 'mean_days'?",
        f"{bad}: min_cases = 2.5: expected a whole number >= 1",
        f"{bad}: p90_days.abs = -1: expected a number >= 0",
    ]
    assert str(info.value).splitlines()[0] == "invalid tolerances"


def test_tolerances_refuse_what_is_not_a_table_or_a_number() -> None:
    data = {"onsite_rate": 0.05, "mean_days": {"rel": "10%", "z": True, "zz": 1}}
    with pytest.raises(TolerancesError) as info:
        Tolerances.from_mapping(data, "t.toml")
    assert [str(p) for p in info.value.problems] == [
        "t.toml: onsite_rate = 0.05: expected a table with abs, rel and/or z",
        "t.toml: mean_days.zz = 1: unknown key; expected one of: abs, rel, z; did you mean 'z'?",
        't.toml: mean_days.rel = "10%": expected a number >= 0',
        "t.toml: mean_days.z = true: expected a number >= 0",
    ]
    assert Tolerances.from_mapping({}) == Tolerances()
    off = Tolerances.from_mapping({"onsite_rate": {"abs": float("inf")}})
    assert off.metrics["onsite_rate"] == dataclasses.replace(
        DEFAULT_TOLERANCES["onsite_rate"], abs=float("inf")
    )


def test_cli_validate_reports_every_tolerance_mistake(tmp_path: Path, log: pd.DataFrame) -> None:
    csv = write_event_log(log.head(200), tmp_path / "events.csv")
    bad = tmp_path / "three.toml"
    bad.write_text(THREE_MISTAKES, encoding="utf-8")
    proc = simhall_cli("validate", csv, SMALL, "--tolerances", bad)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0] == "simhall: invalid tolerances"
    assert [line.split(": ")[1] for line in lines[1:]] == [
        "mean_dayz = { abs = 1 }",
        "min_cases = 2.5",
        "p90_days.abs = -1",
    ]
    assert all(line.startswith(f"{bad}: ") for line in lines[1:])


def test_missing_columns_are_refused(log: pd.DataFrame, scenario: Scenario) -> None:
    with pytest.raises(ValueError, match="item_id"):
        validate(log.drop(columns="item_id"), scenario, reps=1)


def test_tail_days_keep_arriving_but_are_not_scored(log: pd.DataFrame, scenario: Scenario) -> None:
    """Cases arrive ``tail_days`` after the scored period (the load the last scored cases
    meet) but only those starting in it are scored; the tail stops at the end of the log."""
    first = pd.to_datetime(log["ready"]).min().date()
    end = first + timedelta(days=40)
    plain = validate(log, scenario, reps=1, seed=4, end=end)
    tail = validate(log, scenario, reps=1, seed=4, end=end, tail_days=7)
    assert tail.settings["tail_days"] == 7 and plain.settings["tail_days"] == 0
    assert tail.simulated_cases["first"].max().date() <= end
    assert len(tail.observed_cases) == len(plain.observed_cases)
    ev = tail.simulated_events
    assert ev is not None and plain.simulated_events is not None

    # cases arriving after the period exist only with the tail
    def last_accept(events: pd.DataFrame) -> pd.Timestamp:
        return pd.Timestamp(pd.to_datetime(events["ready"]).groupby(events["case_id"]).min().max())

    assert last_accept(plain.simulated_events).date() <= end
    assert last_accept(ev).date() > end + timedelta(days=3)
    last = pd.to_datetime(log["end"]).max().date()
    clipped = validate(log, scenario, reps=1, seed=4, end=last - timedelta(days=2), tail_days=30)
    assert clipped.settings["tail_days"] == 2
    with pytest.raises(ValueError, match="tail_days = -1"):
        validate(log, scenario, reps=1, tail_days=-1)


def test_completion_only_log_skips_waits(log: pd.DataFrame, scenario: Scenario) -> None:
    nat = pd.Series(pd.NaT, index=log.index, dtype="datetime64[ns]")
    bare = log.assign(start=nat, ready=nat)
    res = validate(bare, scenario, reps=1, seed=4)
    assert "mean_wait_min" not in set(res.table["metric"])
    assert any("no start times" in n for n in res.notes)
    assert res.row("mean_days")["status"] == "PASS"


def test_cli_validate_and_bad_input(tmp_path: Path, log: pd.DataFrame) -> None:
    csv = write_event_log(log, tmp_path / "events.csv")
    out = tmp_path / "val"
    ok = simhall_cli(
        "validate", csv, SMALL, "--reps", "1", "--seed", "3", "--out", out, "--no-figures"
    )
    assert ok.returncode in (0, 1), ok.stderr
    assert "PASS" in ok.stdout and (out / "validation.csv").is_file()
    missing = simhall_cli("validate", tmp_path / "nope.csv", SMALL)
    assert missing.returncode == 2 and "nope.csv" in missing.stderr
    lacking = tmp_path / "lacking.csv"
    log.drop(columns=["item_id"]).to_csv(lacking, index=False)
    proc = simhall_cli("validate", lacking, SMALL)
    assert proc.returncode == 2 and "lacking.csv" in proc.stderr and "item_id" in proc.stderr
    assert "Traceback" not in proc.stderr
    bad_time = tmp_path / "badtime.csv"
    frame = log.head(50).copy().astype({"end": "str"})
    frame.loc[frame.index[3], "end"] = "not a time"
    frame.to_csv(bad_time, index=False)
    tol = tmp_path / "tol.toml"
    tol.write_text("[nonsense]\nabs = 1\n", encoding="utf-8")
    proc = simhall_cli("validate", csv, SMALL, "--tolerances", tol)
    assert proc.returncode == 2 and "tol.toml" in proc.stderr and "nonsense" in proc.stderr
    holdout_no_date = simhall_cli("validate", csv, SMALL, "--holdout")
    assert holdout_no_date.returncode == 2 and "--train-until" in holdout_no_date.stderr


def test_items_catalogue_matches_scenario(scenario: Scenario) -> None:
    cat = items_catalogue(scenario)
    assert list(cat["item_id"]) == [i.id for i in scenario.items]
