"""Atomic output files follow the umask like any other tool (issue 9, item 5)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from simhall.io import atomic_write_csv, atomic_write_parquet, atomic_write_text


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_files_follow_the_umask(tmp_path: Path, umask: None, mask: int, mode: int) -> None:
    os.umask(mask)
    frame = pd.DataFrame({"a": [1, 2]})
    for path in (
        atomic_write_text("x", tmp_path / "a.txt"),
        atomic_write_csv(frame, tmp_path / "a.csv"),
        atomic_write_parquet(frame, tmp_path / "a.parquet"),
    ):
        assert stat.S_IMODE(path.stat().st_mode) == mode, path
    assert not list(tmp_path.glob(".*.tmp"))


def test_failed_write_leaves_nothing(tmp_path: Path) -> None:
    from simhall.io import atomic_write

    def fail(p: Path) -> None:
        p.write_text("half")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        atomic_write(tmp_path / "out.csv", fail)
    assert list(tmp_path.iterdir()) == []
