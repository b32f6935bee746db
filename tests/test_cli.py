"""Functional tests of the ``simhall`` command line, run as a user would (a subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "scenarios" / "examples" / "small_hall.toml"


def simhall(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SIMHALL_PROGRESS": "0", "PYTHONHASHSEED": "0"}
    env.pop("SIMHALL_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "simhall", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("run")
    proc = simhall(
        "run",
        SMALL,
        "--days",
        "40",
        "--warmup-days",
        "5",
        "--reps",
        "2",
        "--seed",
        "7",
        "--out",
        out,
    )
    assert proc.returncode == 0, proc.stderr
    return out, proc.stdout


def test_run_writes_log_cases_and_summary(small_run: tuple[Path, str]) -> None:
    out, stdout = small_run
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "README.md",
        "cases.parquet",
        "departments.csv",
        "hall.csv",
        "items.csv",
        "log.parquet",
        "manifest.json",
        "settings.txt",
        "summary.csv",
    ]
    log = pd.read_parquet(out / "log.parquet")
    assert list(log.columns) == [
        "case_id",
        "item_id",
        "activity",
        "resource",
        "ready",
        "start",
        "end",
        "replication",
    ]
    assert set(log["replication"]) == {0, 1}
    assert (log["end"] >= log["start"]).all() and (log["start"] >= log["ready"]).all()
    cases = pd.read_parquet(out / "cases.parquet")
    # cases accepted during the 5-day warm-up are left out of both frames
    accepted = cases["acceptance"].dropna()
    assert (accepted >= pd.Timestamp("2007-01-06")).all()
    assert set(log["case_id"]) <= set(cases["case_id"])
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["scope"]) == {"item", "department", "hall"}
    assert {"mean", "ci_low", "ci_high", "reps"} <= set(summary.columns)
    assert "市建委" in stdout  # Chinese names survive into the terminal table
    assert f"results written to {out}" in stdout


def test_same_seed_same_files(small_run: tuple[Path, str], tmp_path: Path) -> None:
    out, _ = small_run
    proc = simhall(
        "run",
        SMALL,
        "--days",
        "40",
        "--warmup-days",
        "5",
        "--reps",
        "2",
        "--seed",
        "7",
        "--workers",
        "2",
        "--out",
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    for name in ("log.parquet", "cases.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(out / name), pd.read_parquet(tmp_path / name))
    assert (out / "summary.csv").read_bytes() == (tmp_path / "summary.csv").read_bytes()


def _bad(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_scenario_exits_2_with_file_key_and_value(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8").replace(
        'items_csv = "small_hall_items.csv"',
        f'items_csv = "{SMALL.parent / "small_hall_items.csv"}"',
    )
    text = text.replace("windows = 3", "windows = 0", 1)
    proc = simhall("run", _bad(tmp_path, text), "--days", "5", "--out", tmp_path / "o")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "bad.toml: departments[0].windows = 0: expected a whole number >= 1" in proc.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reps", "0"], "expected a whole number >= 1"),
        (["--start", "2007-13-01"], "expected a date YYYY-MM-DD"),
        (["--days", "10", "--warmup-days", "10"], "warmup_days = 10: expected 0 <= warmup_days"),
        (
            ["--start", "2035-01-01", "--days", "5", "--warmup-days", "0"],
            "does not cover year 2035",
        ),
    ],
)
def test_bad_options_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    proc = simhall("run", SMALL, *args, "--out", tmp_path / "o")
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_scenario_file_exits_2(tmp_path: Path) -> None:
    proc = simhall("run", tmp_path / "nope.toml", "--out", tmp_path / "o")
    assert proc.returncode == 2
    assert "nope.toml" in proc.stderr
    assert "Traceback" not in proc.stderr
