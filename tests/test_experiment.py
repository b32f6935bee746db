"""``simhall.experiment``: settings, and replications that do not depend on where they ran."""

from __future__ import annotations

import pandas as pd
import pytest

from simhall.experiment import resolve_settings, run
from tests.helpers import item, scenario, two_department_hall


def test_settings_take_the_scenarios_defaults_and_the_overrides() -> None:
    scn = scenario([item()])
    s = resolve_settings(scn, days=10, reps=2)
    assert (s.days, s.replications) == (10, 2)
    assert (s.warmup_days, s.drain_days, s.seed) == (
        scn.run.warmup_days,
        scn.run.drain_days,
        scn.run.seed,
    )
    assert s.start == scn.calendar.start


def test_bad_settings_are_reported_together() -> None:
    with pytest.raises(ValueError) as err:
        resolve_settings(scenario([item()]), days=5, warmup_days=5, reps=0, service_level=1.0)
    message = str(err.value)
    assert "warmup_days = 5: expected 0 <= warmup_days < days" in message
    assert "reps = 0: expected a whole number >= 1" in message
    assert "service_level = 1.0: expected a share in (0, 1)" in message


def test_process_pool_gives_the_serial_frames() -> None:
    scn = two_department_hall(route_kind=3, volume=6.0)
    kw = dict(days=6, drain_days=10, reps=2, seed=3, show_progress=False)
    serial = run(scn, workers=1, **kw)  # type: ignore[arg-type]
    pooled = run(scn, workers=2, **kw)  # type: ignore[arg-type]
    assert len(serial.events) and set(serial.cases["replication"]) == {0, 1}
    for name in ("events", "cases", "stations", "items", "departments", "hall"):
        pd.testing.assert_frame_equal(getattr(serial, name), getattr(pooled, name))


def test_any_executor_gives_the_serial_frames() -> None:
    """Replications may run on any concurrent.futures.Executor (a Dask client's, threads):
    results must not depend on which one ran them, nor in which order they finished."""
    from concurrent.futures import ThreadPoolExecutor

    scn = two_department_hall(route_kind=3, volume=6.0)
    kw = dict(days=6, drain_days=10, reps=3, seed=3, show_progress=False)
    serial = run(scn, workers=1, **kw)  # type: ignore[arg-type]
    with ThreadPoolExecutor(max_workers=3) as pool:
        threaded = run(scn, executor=pool, **kw)  # type: ignore[arg-type]
    for name in ("events", "cases", "stations", "summary"):
        pd.testing.assert_frame_equal(getattr(serial, name), getattr(threaded, name))


def test_no_more_worker_processes_than_replications(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--workers 99999`` with one replication starts no pool at all (it once started
    99,999 processes, each waiting for the others)."""
    import simhall.executors as executors

    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process pool was started for one replication")

    monkeypatch.setattr(executors, "ProcessPoolExecutor", no_pool)
    scn = two_department_hall(route_kind=3, volume=6.0)
    result = run(scn, days=6, drain_days=10, reps=1, seed=3, workers=99999, show_progress=False)
    assert set(result.cases["replication"]) == {0}


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"days": 23.5}, "days = 23.5: expected a whole number >= 1"),
        ({"days": 30.0}, "days = 30.0: expected a whole number >= 1"),
        ({"reps": True}, "reps = True: expected a whole number >= 1"),
        ({"seed": "7"}, "seed = '7': expected a whole number >= 0"),
        ({"warmup_days": 1.5}, "warmup_days = 1.5: expected a whole number >= 0"),
        ({"drain_days": None, "service_level": "0.9"}, "service_level = '0.9': expected a share"),
        ({"start": "2007-03-05"}, "start = '2007-03-05': expected a date (datetime.date)"),
    ],
)
def test_overrides_of_the_wrong_type_are_named_not_a_traceback(
    override: dict[str, object], expected: str
) -> None:
    # the Python API's keywords (the command line and scenario files check their own)
    with pytest.raises(ValueError, match="expected") as err:
        resolve_settings(scenario([item()]), **override)  # type: ignore[arg-type]
    assert expected in str(err.value)


def test_numpy_integers_are_whole_numbers() -> None:
    import numpy as np

    s = resolve_settings(scenario([item()]), days=np.int64(10), reps=np.int32(2))
    assert (s.days, s.replications) == (10, 2)
