"""``simhall.handover``: results of worker processes handed over in shared memory."""

from __future__ import annotations

import errno
import os
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simhall import handover
from simhall.experiment import iterate_replications, resolve_settings, run
from tests.helpers import two_department_hall

pytestmark = pytest.mark.skipif(not handover.available(), reason="no /dev/shm here")


def _blocks() -> set[str]:
    """The shared-memory blocks in /dev/shm (names as SharedMemory gives them)."""
    return {p.name for p in Path("/dev/shm").iterdir() if p.name.startswith("psm_")}


def _frames() -> dict[str, pd.DataFrame]:
    """Frames of the kinds a replication holds (numbers, Arrow strings, categoricals,
    timestamps, nullable integers), about 2 MB pickled."""
    n = 40_000
    rng = np.random.default_rng(1)
    labels = pd.Categorical([f"c{k:07d}" for k in range(n)], ordered=True)
    return {
        "events": pd.DataFrame(
            {
                "case_id": labels,
                "start": pd.Timestamp("2007-01-01") + pd.to_timedelta(rng.random(n), "D"),
                "wait_min": rng.exponential(2.0, n),
            }
        ),
        "cases": pd.DataFrame(
            {
                "item_id": pd.array(rng.choice(["甲", "b"], n), dtype="string"),
                "counted_days": pd.array(rng.integers(0, 9, n), dtype="Int64"),
            }
        ),
    }


def test_a_value_comes_back_equal_and_its_block_is_freed() -> None:
    value = _frames()
    before = _blocks()
    parcel = handover.pack(value)
    assert isinstance(parcel, handover.Parcel)
    assert len(_blocks() - before) == 1  # in shared memory, not in the parcel
    assert len(pickle.dumps(parcel)) < 1_000
    back = handover.unpacked(parcel)
    assert _blocks() == before
    assert back.keys() == value.keys()
    for name, frame in value.items():
        pd.testing.assert_frame_equal(back[name], frame)
    # the arrays' data are aligned in the copy, and can be written to as any frame's
    events = back["events"]
    assert events["wait_min"].to_numpy().ctypes.data % handover.ALIGN_BYTES == 0
    events.loc[0, "wait_min"] = -1.0
    assert events["wait_min"].iloc[0] == -1.0 and value["events"]["wait_min"].iloc[0] > 0


def test_the_layout_puts_each_piece_at_an_aligned_offset() -> None:
    parcel = handover.Parcel("x", (100, 64, 1, 5))
    assert parcel.offsets() == [0, 128, 192, 256]
    assert parcel.total_bytes() == 261


def test_small_values_and_other_results_go_as_they_are() -> None:
    small = {"a": np.arange(10)}
    assert handover.pack(small) is small
    assert handover.unpacked(small) is small
    handover.discard(small)  # nothing to free


def test_a_full_dev_shm_sends_the_value_down_the_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    """A container's /dev/shm of 64 MB: no room is an error at once, not a bus error."""

    def full(fd: int, offset: int, length: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "posix_fallocate", full)
    value = _frames()
    before = _blocks()
    assert handover.pack(value) is value
    assert _blocks() == before  # the block it had made is gone


def test_without_shared_memory_values_go_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handover, "available", lambda: False)
    value = _frames()
    assert handover.pack(value) is value


def test_a_parcel_never_opened_is_discarded() -> None:
    before = _blocks()
    parcel = handover.pack(_frames())
    handover.discard(parcel)
    assert _blocks() == before
    handover.discard(parcel)  # already freed: nothing happens
    with pytest.raises(FileNotFoundError):
        handover.unpacked(parcel)


def _big_hall_settings():  # type: ignore[no-untyped-def]
    """A hall whose replications are over handover.MIN_BYTES pickled (48,000 cases, most
    of them never served: an overloaded hall, quick to simulate)."""
    scn = two_department_hall(route_kind=3, volume=3000.0)
    return scn, dict(days=20, drain_days=10, reps=3, seed=3, show_progress=False)


def test_worker_processes_hand_over_the_serial_results(monkeypatch: pytest.MonkeyPatch) -> None:
    scn, kw = _big_hall_settings()
    before = _blocks()
    serial = run(scn, workers=1, **kw)  # type: ignore[arg-type]
    received: list[object] = []
    unpack = handover.unpacked
    monkeypatch.setattr(handover, "unpacked", lambda r: unpack(received.append(r) or r))
    pooled = run(scn, workers=2, **kw)  # type: ignore[arg-type]
    assert [type(r) for r in received] == [handover.Parcel] * 3
    first = [f[f["replication"] == 0] for f in (serial.events, serial.cases)]
    assert len(pickle.dumps(first)) > handover.MIN_BYTES  # each goes in shared memory
    for name in ("events", "cases", "stations", "summary"):
        pd.testing.assert_frame_equal(getattr(serial, name), getattr(pooled, name))
    assert _blocks() == before


def test_a_pool_of_the_callers_sends_results_down_its_pipe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its workers may each have a resource tracker of their own (which would warn of the
    blocks as leaked): only simhall's pools hand over in shared memory."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    scn, kw = _big_hall_settings()
    received: list[object] = []
    unpack = handover.unpacked
    monkeypatch.setattr(handover, "unpacked", lambda r: unpack(received.append(r) or r))
    ctx = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        mine = run(scn, executor=pool, **{**kw, "reps": 2})  # type: ignore[arg-type]
    assert len(received) == 2 and not any(isinstance(r, handover.Parcel) for r in received)
    assert len(mine.cases) > 1_000


def test_results_not_read_are_freed_when_the_caller_stops() -> None:
    """The caller takes the first replication and stops: the others, handed over in
    shared memory by then, are freed with the pool."""
    scn, kw = _big_hall_settings()
    settings = resolve_settings(scn, days=20, drain_days=10, reps=4, seed=3)
    before = _blocks()
    replications = iterate_replications(scn, settings, workers=2)
    first = next(replications)
    assert first.replication == 0 and len(first.cases) > 1_000
    replications.close()
    assert _blocks() == before
