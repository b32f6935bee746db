"""``simhall.sweep``: variants run with common random numbers, overlays that run as they are,
the objective's ranking, the same numbers on local worker processes, and the command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import simhall
from simhall.cli import main
from simhall.reforms import apply_reforms
from simhall.scenario import load_scenario
from simhall.sweep import Objective, SweepResult
from simhall.sweep.metrics import variant_metrics
from simhall.sweep.objective import best, rank

RUN: dict[str, Any] = {
    "days": 12,
    "warmup_days": 2,
    "drain_days": 20,
    "reps": 2,
    "seed": 5,
    "show_progress": False,
    "memory_limit_gb": 4.0,
}

GRID = """
[grid]
demand_factor = [1.0, 1.25]
[grid.windows]
gongan = [1, 2]
[grid.committed_days]
JW-001 = [12, 8]
[grid.reforms]
two = [false, true]

[reform_files]
two = "two.toml"

[objective]
minimise = "cost"
weights = { windows = 1.0, staff = 0.5 }
at_most = { mean_wait_min = 30 }
best = 3
"""


def _files(folder: Path, examples_dir: Path) -> tuple[Path, Path]:
    small = examples_dir / "small_hall.toml"
    (folder / "two.toml").write_text(
        f'extends = "{small.as_posix()}"\n\n[[reforms]]\nkind = "two_concentrations"\n'
        'department = "jianwei"\n',
        encoding="utf-8",
    )
    grid = folder / "grid.toml"
    grid.write_text(GRID, encoding="utf-8")
    return small, grid


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> SweepResult:
    folder = tmp_path_factory.mktemp("sweep")
    small, grid = _files(folder, examples_dir)
    return simhall.sweep(small, grid, **RUN)


def _row(result: SweepResult, **values: object) -> pd.Series:
    frame = result.frame
    mask = pd.Series(True, index=frame.index)
    for key, value in values.items():
        mask &= frame[key.replace("__", ".")] == value
    assert mask.sum() == 1
    return frame[mask].iloc[0]


def test_frame_has_a_row_per_variant_with_parameters_and_figures(swept: SweepResult) -> None:
    frame = swept.frame
    assert len(frame) == 16
    assert list(frame.columns[:6]) == [
        "variant",
        "name",
        "demand_factor",
        "windows.gongan",
        "committed_days.JW-001",
        "reforms.two",
    ]
    for column in ("share_within", "mean_wait_min_ci_high", "limit_sum_days", "cost", "rank"):
        assert column in frame
    assert (frame["cost"] == frame["windows"] + 0.5 * frame["staff"]).all()
    assert frame["windows"].tolist() == [8.0 if w == 1 else 9.0 for w in frame["windows.gongan"]]


def test_base_variant_gives_the_numbers_of_a_plain_run(
    swept: SweepResult, examples_dir: Path
) -> None:
    """Windows 2 at gongan, JW-001 at 12 days, demand as is, no reform: the base itself."""
    row = _row(
        swept,
        demand_factor=1.0,
        windows__gongan=2,
        **{"committed_days.JW-001": 12},
        reforms__two=False,
    )
    plain = variant_metrics(simhall.run(examples_dir / "small_hall.toml", **RUN))
    assert {k: row[k] for k in plain} == pytest.approx(plain, nan_ok=True, rel=0, abs=0)


def test_reform_switch_gives_the_numbers_of_the_reform_overlay(
    swept: SweepResult, tmp_path: Path, examples_dir: Path
) -> None:
    _, _ = _files(tmp_path, examples_dir)
    row = _row(
        swept,
        demand_factor=1.0,
        windows__gongan=2,
        **{"committed_days.JW-001": 12},
        reforms__two=True,
    )
    reformed = apply_reforms(load_scenario(tmp_path / "two.toml"))
    plain = variant_metrics(simhall.run(reformed, **RUN))
    assert {k: row[k] for k in plain} == pytest.approx(plain, nan_ok=True, rel=0, abs=0)


def test_common_random_numbers_across_variants(swept: SweepResult) -> None:
    """A committed limit changes no wait or working day (same draws), only the share within
    limits and the summed committed limits; more demand brings about 25% more cases."""
    common = dict(demand_factor=1.0, windows__gongan=2, reforms__two=False)
    at12 = _row(swept, **common, **{"committed_days.JW-001": 12})
    at8 = _row(swept, **common, **{"committed_days.JW-001": 8})
    for same in ("mean_wait_min", "cases", "limit_sum_days", "visits_per_case"):
        assert at8[same] == at12[same]
    assert at12["committed_sum_days"] - at8["committed_sum_days"] == 4
    assert at8["share_within"] < at12["share_within"]
    busy = _row(swept, **{**common, "demand_factor": 1.25}, **{"committed_days.JW-001": 12})
    assert 1.1 < busy["cases"] / at12["cases"] < 1.4
    one = _row(swept, **{**common, "windows__gongan": 1}, **{"committed_days.JW-001": 12})
    assert one["mean_wait_min"] > at12["mean_wait_min"]


def test_best_are_the_cheapest_feasible_variants(swept: SweepResult) -> None:
    frame = swept.frame
    assert frame["feasible"].tolist() == (frame["mean_wait_min"] <= 30).tolist()
    feasible = frame[frame["feasible"]]
    assert len(swept.best) == 3
    assert swept.best["rank"].tolist() == [1, 2, 3]
    assert swept.best["cost"].tolist() == sorted(feasible["cost"])[:3]


def test_rank_uses_ci_bounds_when_confident() -> None:
    frame = pd.DataFrame(
        {
            "variant": ["v1", "v2", "v3", "v4"],
            "x": [3.0, 1.0, 2.0, float("nan")],
            "w": [1.0, 1.0, 4.0, 1.0],
            "w_ci_high": [2.0, 6.0, 5.0, 1.0],
        }
    )
    on_means = rank(frame, Objective(metric="x", at_most=(("w", 5.0),)))
    assert on_means["rank"].tolist() == [3, 1, 2, pd.NA]
    confident = rank(frame, Objective(metric="x", at_most=(("w", 5.0),), confident=True))
    assert confident["feasible"].tolist() == [True, False, True, True]
    assert best(confident, Objective(metric="x", best=5))["variant"].tolist() == ["v3", "v1"]
    assert rank(frame, Objective(metric="x", sense="max"))["rank"].tolist() == [1, 3, 2, pd.NA]


def test_written_overlays_run_as_they_are(swept: SweepResult, tmp_path: Path) -> None:
    out = swept.write(tmp_path / "out")
    files = sorted(p.name for p in (out / "variants").iterdir())
    assert files == [f"v{i:03d}.toml" for i in range(1, 17)]
    frame = pd.read_csv(out / "sweep.csv")
    assert frame["variant"].tolist() == swept.frame["variant"].tolist()
    assert len(pd.read_csv(out / "best.csv")) == 3
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == "sweep" and manifest["variants"] == 16
    assert manifest["settings"]["seed"] == 5
    # the busiest, reformed variant read back from its file: the same figures
    row = swept.frame.iloc[-1]
    text = (out / "variants" / f"{row['variant']}.toml").read_text(encoding="utf-8")
    assert "[[reforms]]" in text and 'extends = "../../' in text
    again = simhall.run(
        out / "variants" / f"{row['variant']}.toml", memory_limit_gb=4.0, show_progress=False
    )
    figures = variant_metrics(again)
    assert {k: row[k] for k in figures} == pytest.approx(figures, nan_ok=True, rel=0, abs=0)


def test_local_workers_give_the_same_frame(examples_dir: Path) -> None:
    small = examples_dir / "small_hall.toml"
    grid = {"grid": {"windows": {"gongan": [1, 2]}, "demand_factor": [1.0, 1.25]}}
    serial = simhall.sweep(small, grid, **RUN)
    parallel = simhall.sweep(small, grid, workers=2, **RUN)
    pd.testing.assert_frame_equal(parallel.frame, serial.frame)


def test_progress_bar_of_variants(
    tmp_path: Path, examples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = examples_dir / "small_hall.toml"
    grid = {"grid": {"windows": {"gongan": [1, 2]}}}
    simhall.sweep(small, grid, **{**RUN, "reps": 1, "show_progress": True})
    assert "variants" in capsys.readouterr().err
    simhall.sweep(small, grid, **{**RUN, "reps": 1, "show_progress": None})
    assert capsys.readouterr().err == ""  # not a terminal: silent


def test_scenario_without_a_file_is_refused(small_hall: object) -> None:
    import dataclasses

    from simhall.errors import UsageError

    text_only = dataclasses.replace(small_hall, source="<string>")  # type: ignore[type-var]
    with pytest.raises(UsageError, match="expected a scenario loaded from a file"):
        simhall.sweep(text_only, {"grid": {"windows": {"gongan": [1]}}}, **RUN)


def test_cli_sweep_writes_the_folder(
    tmp_path: Path, examples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small, grid = _files(tmp_path, examples_dir)
    grid.write_text('[grid.windows]\ngongan = [1, 2]\n[objective]\nminimise = "staff"\n')
    args = ["sweep", str(small), "--grid", str(grid), "--days", "12", "--warmup-days", "2"]
    args += ["--drain-days", "20", "--reps", "1", "--quiet", "--memory-limit-gb", "4"]
    assert main([*args, "--out", str(tmp_path / "o")]) == 0
    printed = capsys.readouterr().out
    assert "sweep: 2 variants" in printed and "Best variants (2 of 2 feasible)" in printed
    assert (tmp_path / "o" / "variants" / "v002.toml").is_file()


def test_failing_variant_is_named(examples_dir: Path) -> None:
    from simhall.errors import UsageError

    grid = {"grid": {"demand_factor": [1.0, 1e-9]}}
    with pytest.raises(UsageError, match=r"sweep variant v002 \(demand_factor = 1e-09\): no app"):
        simhall.sweep(examples_dir / "small_hall.toml", grid, **{**RUN, "reps": 1})
