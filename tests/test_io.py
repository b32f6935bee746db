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


def test_output_folder_replaces_a_folder_whole(tmp_path: Path) -> None:
    from simhall.io import output_folder

    out = tmp_path / "run"
    with output_folder(out, {"command": "run"}) as folder:
        atomic_write_text("first", folder.path / "summary.csv")
        atomic_write_text("stale", folder.path / "contributions.csv")
    assert not folder.replaced
    names = ["contributions.csv", "manifest.json", "summary.csv"]
    assert sorted(p.name for p in out.iterdir()) == names
    with output_folder(out, {"command": "run"}) as folder:
        atomic_write_text("second", folder.path / "summary.csv")
        assert (out / "summary.csv").read_text() == "first"  # untouched while writing
    assert folder.replaced
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "summary.csv"]
    assert (out / "summary.csv").read_text() == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_interrupted_folder_leaves_the_old_one(tmp_path: Path, error: type) -> None:
    from simhall.io import output_folder

    out = tmp_path / "run"
    with output_folder(out, {"command": "run"}) as first:
        atomic_write_text("old", first.path / "summary.csv")
    with pytest.raises(error):
        with output_folder(out) as folder:
            atomic_write_text("new", folder.path / "log.parquet")
            raise error()
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "summary.csv"]
    assert (out / "summary.csv").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_output_folder_refuses_a_file(tmp_path: Path) -> None:
    from simhall.errors import UsageError
    from simhall.io import output_folder

    target = tmp_path / "afile"
    target.write_text("x")
    with pytest.raises(UsageError, match="expected a folder, found a file"):
        with output_folder(target):
            pass
    assert target.read_text() == "x"


def test_a_folder_simhall_did_not_write_is_never_replaced(tmp_path: Path) -> None:
    from simhall.errors import UsageError
    from simhall.io import output_folder

    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "thesis.docx").write_text("precious")
    with pytest.raises(UsageError, match="was not written by simhall"):
        with output_folder(mine, {"command": "run"}):
            raise AssertionError("never reached")
    assert (mine / "thesis.docx").read_text() == "precious"
    empty = tmp_path / "empty"
    empty.mkdir()
    with output_folder(empty, {"command": "run"}) as folder:
        atomic_write_text("x", folder.path / "a.txt")
    assert (empty / "a.txt").is_file()


def test_manifest_records_version_settings_and_files(tmp_path: Path) -> None:
    import hashlib
    import json

    import simhall
    from simhall.io import file_sha256, output_folder

    source = tmp_path / "s.toml"
    source.write_text("x = 1\n")
    with output_folder(
        tmp_path / "out", {"command": "run", "seed": 7, "inputs": {"s.toml": file_sha256(source)}}
    ) as folder:
        atomic_write_text("a", folder.path / "summary.csv")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["simhall"] == simhall.__version__
    assert manifest["seed"] == 7 and manifest["files"] == ["summary.csv"]
    assert manifest["inputs"]["s.toml"] == hashlib.sha256(b"x = 1\n").hexdigest()


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A simulated event log and case table: categoricals, strings, timestamps, NaT, <NA>."""
    from tests.helpers import department, item, model, scenario

    scn = scenario([item("a", volume=40.0)], [department("d")])
    events, cases, _ = model(scn, days=5, drain_days=5, seed=1).run().frames()
    return events, cases


def test_parquet_reads_back_equal_and_dictionaries_only_where_they_pay(tmp_path: Path) -> None:
    import numpy as np
    import pyarrow.parquet as pq

    events, cases = _frames()
    for name, frame in (("log", events), ("cases", cases)):
        path = atomic_write_parquet(frame, tmp_path / f"{name}.parquet")
        # reads back as pandas' own writer's file does, with the frame's values
        plain = tmp_path / f"{name}-plain.parquet"
        frame.to_parquet(plain, index=False, engine="pyarrow")
        back = pd.read_parquet(path)
        pd.testing.assert_frame_equal(back, pd.read_parquet(plain))
        pd.testing.assert_frame_equal(back.astype(str), frame.astype(str))
        meta = pq.ParquetFile(path).metadata.row_group(0)
        encodings = {
            meta.column(k).path_in_schema: meta.column(k).encodings for k in range(meta.num_columns)
        }
        for column, dtype in frame.dtypes.items():
            dictionary = any("DICTIONARY" in e for e in encodings[str(column)])
            wanted = isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(dtype)
            assert dictionary == wanted, (name, column, encodings[str(column)])
    assert np.issubdtype(events["start"].dtype, np.datetime64)


def test_parquets_side_by_side_are_the_files_written_one_by_one(tmp_path: Path) -> None:
    from simhall.io import atomic_write_parquets

    events, cases = _frames()
    one = [
        atomic_write_parquet(f, tmp_path / f"{n}-1.parquet")
        for n, f in (("e", events), ("c", cases))
    ]
    both = atomic_write_parquets(
        {tmp_path / "e-2.parquet": events, tmp_path / "c-2.parquet": cases}
    )
    assert both == [tmp_path / "e-2.parquet", tmp_path / "c-2.parquet"]
    for a, b in zip(one, both, strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "c-1.parquet",
        "c-2.parquet",
        "e-1.parquet",
        "e-2.parquet",
    ]


def test_a_failing_parquet_is_raised_after_the_others_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import simhall.io as io_module

    events, cases = _frames()
    real = io_module.atomic_write_parquet

    def fails_for_the_log(frame: pd.DataFrame, path: Path) -> Path:
        if path.name == "log.parquet":
            raise OSError(28, "No space left on device")
        return real(frame, path)

    monkeypatch.setattr(io_module, "atomic_write_parquet", fails_for_the_log)
    with pytest.raises(OSError, match="No space left"):
        io_module.atomic_write_parquets(
            {tmp_path / "log.parquet": events, tmp_path / "cases.parquet": cases}
        )
    # the other file was written whole; no temporary is left behind
    assert [p.name for p in tmp_path.iterdir()] == ["cases.parquet"]
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "cases.parquet"),
        pd.read_parquet(real(cases, tmp_path / "again.parquet")),
    )
