"""``simhall synth``: synthetic case logs that read back cleanly and say they are synthetic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from simhall.logs import read_event_log, read_items
from simhall.synth import default_scenario_path, synthesize, write

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "scenarios" / "examples" / "small_hall.toml"


def simhall(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SIMHALL_PROGRESS": "0", "PYTHONHASHSEED": "0"}
    env.pop("SIMHALL_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "simhall", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("synth"), SMALL, days=30, seed=4)


def test_files_read_back_without_issues(synth_dir: Path) -> None:
    items = read_items(synth_dir / "items.csv")
    result = read_event_log(synth_dir / "events.csv", items=items)
    assert len(result.issues) == 0, result.report()
    assert len(result.events) > 1000
    assert set(result.events["item_id"].astype(str)) <= set(items["item_id"])
    assert list(items.columns) == [
        "item_id",
        "department",
        "kind",
        "committed_days",
        "name",
        "statutory_days",
    ]
    assert result.events["start"].notna().all() and result.events["ready"].notna().all()


def test_readme_says_synthetic(synth_dir: Path) -> None:
    text = (synth_dir / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in text and "synthetic" in text
    assert "seed | 4" in text and "small_hall.toml" in text
    for column in ("case_id", "item_id", "activity", "resource", "ready", "start", "end"):
        assert f"`{column}`:" in text


def test_same_seed_same_log() -> None:
    a, _ = synthesize(SMALL, days=10, seed=3)
    b, _ = synthesize(SMALL, days=10, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert "replication" not in a.columns


def test_realism_knobs() -> None:
    events, _ = synthesize(SMALL, days=20, seed=5, drop_start=True, date_only_share=0.3)
    assert events["start"].isna().all() and events["ready"].isna().all()
    midnight = (events["end"] == events["end"].dt.normalize()).mean()
    assert 0.25 < midnight < 0.35
    full, _ = synthesize(SMALL, days=20, seed=5, keep_unaccepted=True)
    accepted = set(full.loc[full["activity"].astype(str) == "accept", "case_id"])
    assert (
        len(accepted) < full["case_id"].nunique()
    )  # some applicants never came back before the cut


def test_default_scenario_is_found() -> None:
    path = default_scenario_path()
    assert path.name == "baseline.toml" and path.parent.name == "huainan_2007"


def test_cli_parquet_and_bad_input(tmp_path: Path) -> None:
    proc = simhall(
        "synth", SMALL, "--days", "5", "--seed", "1", "--out", tmp_path, "--format", "parquet"
    )
    assert proc.returncode == 0, proc.stderr
    assert "SYNTHETIC" in proc.stdout
    events = pd.read_parquet(tmp_path / "events.parquet")
    assert len(events) > 0 and pd.api.types.is_datetime64_any_dtype(events["end"])
    assert (tmp_path / "items.csv").is_file()
    bad = simhall("synth", tmp_path / "missing.toml", "--out", tmp_path / "x")
    assert bad.returncode == 2 and "missing.toml" in bad.stderr
    assert "Traceback" not in bad.stderr
    share = simhall("synth", SMALL, "--out", tmp_path / "y", "--date-only-share", "2")
    assert share.returncode == 2
