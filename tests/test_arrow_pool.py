"""simhall.arrow_pool: Arrow allocates from the system allocator inside a block, and the
process's own choice is back afterwards, whatever the nesting or the threads."""

from __future__ import annotations

import threading

import pyarrow as pa
import pytest

from simhall import arrow_pool
from simhall.arrow_pool import system_pool


@pytest.fixture(autouse=True)
def _not_the_system_pool(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A default other than the system pool (as in the wheels: mimalloc), so that a switch
    back can be seen; no environment setting."""
    monkeypatch.delenv(arrow_pool.ENV_VAR, raising=False)
    original = pa.default_memory_pool()
    for make in (pa.mimalloc_memory_pool, pa.jemalloc_memory_pool):
        try:
            pa.set_memory_pool(make())
            break
        except NotImplementedError:
            continue
    else:
        pytest.skip("this pyarrow has only the system allocator")
    yield
    pa.set_memory_pool(original)


def test_the_block_allocates_from_the_system_pool_and_restores_the_default() -> None:
    before = pa.default_memory_pool().backend_name
    assert before != "system"
    with system_pool():
        assert pa.default_memory_pool().backend_name == "system"
        column = pa.array(["c0000001", "c0000002"])
    assert pa.default_memory_pool().backend_name == before
    assert column.to_pylist() == ["c0000001", "c0000002"]  # still valid after the switch
    del column


def test_nested_blocks_restore_only_at_the_outermost() -> None:
    before = pa.default_memory_pool().backend_name
    with system_pool():
        with system_pool():
            pass
        assert pa.default_memory_pool().backend_name == "system"
    assert pa.default_memory_pool().backend_name == before


def test_overlapping_blocks_in_threads_restore_the_original() -> None:
    """Thread A enters, B enters, A leaves, B leaves: not B's view (system) left behind."""
    before = pa.default_memory_pool().backend_name
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[str] = []

    def a() -> None:
        with system_pool():
            a_in.set()
            b_in.wait(5)
        a_out.set()

    def b() -> None:
        a_in.wait(5)
        with system_pool():
            b_in.set()
            a_out.wait(5)
            seen.append(pa.default_memory_pool().backend_name)

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == ["system"]  # A leaving did not switch back under B
    assert pa.default_memory_pool().backend_name == before


def test_an_error_in_the_block_restores_the_default() -> None:
    before = pa.default_memory_pool().backend_name
    with pytest.raises(RuntimeError), system_pool():
        raise RuntimeError("stop")
    assert pa.default_memory_pool().backend_name == before


def test_a_pool_chosen_in_the_environment_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(arrow_pool.ENV_VAR, "mimalloc")
    before = pa.default_memory_pool().backend_name
    with system_pool():
        assert pa.default_memory_pool().backend_name == before


def test_a_run_and_its_folder_give_the_same_results_on_either_pool(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """The pool is where bytes live, never a result; the run leaves the default as it was."""
    import pandas as pd

    from simhall.experiment import run
    from tests.helpers import two_department_hall

    scn = two_department_hall(route_kind=3, volume=6.0)
    kw = dict(days=6, drain_days=10, reps=2, seed=3, show_progress=False)
    before = pa.default_memory_pool().backend_name
    ours = run(scn, **kw)  # type: ignore[arg-type]
    ours.write(tmp_path / "ours")
    assert pa.default_memory_pool().backend_name == before
    monkeypatch.setenv(arrow_pool.ENV_VAR, before)  # the user's choice: left alone
    theirs = run(scn, **kw)  # type: ignore[arg-type]
    theirs.write(tmp_path / "theirs")
    for name in ("events", "cases", "stations", "summary", "items", "hall"):
        pd.testing.assert_frame_equal(getattr(ours, name), getattr(theirs, name))
    for name in ("log.parquet", "cases.parquet", "summary.csv", "items.csv"):
        assert (tmp_path / "ours" / name).read_bytes() == (tmp_path / "theirs" / name).read_bytes()
