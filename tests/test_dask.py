"""Dask: a real ``distributed.LocalCluster`` on loopback with two worker processes gives a
comparison and a sweep the same numbers as the serial run; a missing extra, an unreachable
scheduler or a bad address end with exit status 2 and a message."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import simhall
from simhall import executors
from simhall.cli import main
from simhall.compare import compare
from simhall.scenario import load_scenario

SMALL = Path(__file__).resolve().parents[1] / "scenarios" / "examples" / "small_hall.toml"
RUN: dict[str, Any] = {
    "days": 10,
    "warmup_days": 2,
    "drain_days": 20,
    "reps": 2,
    "seed": 9,
    "show_progress": False,
    "memory_limit_gb": 4.0,
}
GRID = {"grid": {"windows": {"gongan": [1, 2]}, "demand_factor": [1.0, 1.3]}}


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a local cluster: a scheduler and two worker processes on 127.0.0.1."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=40,
    ) as cluster:
        yield cluster.scheduler_address


def _overlay(tmp_path: Path) -> Path:
    path = tmp_path / "two.toml"
    path.write_text(
        f'extends = "{SMALL.as_posix()}"\n\n[[reforms]]\nkind = "two_concentrations"\n'
        'department = "jianwei"\n',
        encoding="utf-8",
    )
    return path


def test_comparison_on_the_cluster_equals_the_serial_one(scheduler: str, tmp_path: Path) -> None:
    base = load_scenario(SMALL)
    overlays = {"two": load_scenario(_overlay(tmp_path))}
    serial = compare(base, overlays, with_contributions=False, **RUN)
    with executors.dask_executor(scheduler) as executor:
        remote = compare(base, overlays, with_contributions=False, executor=executor, **RUN)
    pd.testing.assert_frame_equal(remote.hall, serial.hall)
    pd.testing.assert_frame_equal(remote.items, serial.items)
    pd.testing.assert_frame_equal(remote.results["two"].cases, serial.results["two"].cases)
    assert len(serial.hall) and serial.hall["diff"].notna().any()


def test_sweep_on_the_cluster_equals_the_serial_one(scheduler: str) -> None:
    serial = simhall.sweep(SMALL, GRID, **RUN)
    with executors.dask_executor(scheduler) as executor:
        remote = simhall.sweep(SMALL, GRID, executor=executor, **RUN)
    pd.testing.assert_frame_equal(remote.frame, serial.frame)
    assert serial.frame["mean_wait_min"].nunique() > 1  # the variants differ


def test_cli_sweep_and_run_with_scheduler(scheduler: str, tmp_path: Path) -> None:
    common = ["--days", "10", "--warmup-days", "2", "--drain-days", "20", "--reps", "2"]
    common += ["--seed", "9", "--quiet", "--memory-limit-gb", "4"]
    grid = tmp_path / "grid.toml"
    grid.write_text("[grid.windows]\ngongan = [1, 2]\n", encoding="utf-8")
    sweep = ["sweep", str(SMALL), "--grid", str(grid), *common]
    assert main([*sweep, "--out", str(tmp_path / "serial")]) == 0
    assert main([*sweep, "--scheduler", scheduler, "--out", str(tmp_path / "dask")]) == 0
    serial = (tmp_path / "serial" / "sweep.csv").read_bytes()
    assert (tmp_path / "dask" / "sweep.csv").read_bytes() == serial
    run = ["run", str(SMALL), *common]
    assert main([*run, "--out", str(tmp_path / "run1")]) == 0
    assert main([*run, "--scheduler", scheduler, "--out", str(tmp_path / "run2")]) == 0
    for name in ("summary.csv", "items.csv", "hall.csv"):
        assert (tmp_path / "run2" / name).read_bytes() == (tmp_path / "run1" / name).read_bytes()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    "command", [["run"], ["size", "--wait-target-min", "10"], ["size", "--budget", "1"]]
)
def test_unreachable_scheduler_exits_2_quickly(
    command: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # every simulating command honours --scheduler (size once ignored it silently)
    pytest.importorskip("distributed")
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT_S", 1.0)
    address = f"tcp://127.0.0.1:{_free_port()}"
    code = main(
        [command[0], str(SMALL), *command[1:], "--scheduler", address, "--out", str(tmp_path / "o")]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert f"--scheduler {address}: no Dask scheduler answered within 1 s" in err
    assert "Traceback" not in err and not (tmp_path / "o").exists()


def test_missing_dask_extra_exits_2_with_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    code = main(
        ["compare", str(SMALL), str(_overlay(tmp_path)), "--scheduler", "tcp://127.0.0.1:8786"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "needs the optional packages dask and distributed" in err
    assert "pip install 'simhall[dask]'" in err


def test_bad_addresses_and_workers_with_scheduler_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for bad in ("localhost", "tcp://host", "http://host:8786", "tcp://host:99999"):
        with pytest.raises(SystemExit) as stop:
            main(["run", str(SMALL), "--scheduler", bad])
        assert stop.value.code == 2
        assert "expected a scheduler address tcp://HOST:PORT" in capsys.readouterr().err
    code = main(["run", str(SMALL), "--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"])
    assert code == 2
    assert "give one of them" in capsys.readouterr().err
    assert executors.scheduler_address("tcp://[::1]:8786") == "tcp://[::1]:8786"


def test_workers_are_bounded_before_any_process_starts(capsys: pytest.CaptureFixture[str]) -> None:
    """--workers 99999 would start 99999 processes: refused with exit 2."""
    from simhall.cli.options import max_workers

    with pytest.raises(SystemExit) as stop:
        main(["run", str(SMALL), "--workers", "99999"])
    assert stop.value.code == 2
    assert f"expected a whole number from 1 to {max_workers()}" in capsys.readouterr().err
