"""Atomic output files: a result is either fully written or not there at all.

Like a clerk who drafts a certificate on scrap paper and only puts the clean copy in the
file, every writer here writes to a temporary file in the target folder and renames it into
place (an atomic operation on POSIX and Windows), so an interrupted run never leaves a
half-written ``log.parquet`` that a later step would read as if it were whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from simhall import interrupts


def _umask() -> int:
    """The process's file-mode creation mask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a new file gets from ``open()``: ``0o666`` less the umask (0o644 under 022)."""
    return 0o666 & ~_umask()


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` and move the temporary file to ``path`` atomically.

    The file gets the mode any other tool would give it under the umask (``mkstemp``'s
    private 0600 is not kept).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.chmod(tmp_path, file_mode())
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return target


def atomic_write_text(text: str, path: str | os.PathLike[str]) -> Path:
    """Write UTF-8 text atomically."""

    def write(p: Path) -> None:
        p.write_text(text, encoding="utf-8")

    return atomic_write(path, write)


def atomic_write_bytes(data: bytes, path: str | os.PathLike[str]) -> Path:
    """Write bytes atomically."""

    def write(p: Path) -> None:
        p.write_bytes(data)

    return atomic_write(path, write)


def atomic_write_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a frame as UTF-8 CSV (no index, 6 significant decimals) atomically."""
    return atomic_write(
        path, lambda p: frame.to_csv(p, index=False, encoding="utf-8", float_format="%.6g")
    )


def dictionary_columns(frame: pd.DataFrame) -> list[str]:
    """The columns worth Parquet's dictionary encoding: categoricals and strings.

    Timestamps and numbers are written plain: pyarrow would otherwise try a dictionary for
    every column and give it up on the high-cardinality ones, which took half the time of
    writing a run's event log (and made the file larger).
    """
    return [
        str(name)
        for name, dtype in frame.dtypes.items()
        if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(dtype)
    ]


def atomic_write_parquet(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a frame as Parquet (pyarrow) atomically (dictionaries: :func:`dictionary_columns`)."""
    return atomic_write(
        path,
        lambda p: frame.to_parquet(
            p, index=False, engine="pyarrow", use_dictionary=dictionary_columns(frame)
        ),
    )


@dataclass
class OutputFolder:
    """A folder being written: files go into :attr:`path`, a hidden sibling of
    :attr:`target`, which replaces the target as a whole when the writing ends."""

    target: Path
    path: Path
    replaced: bool = False
    """Set at the end: an existing folder was replaced."""


MANIFEST = "manifest.json"
"""The file in every output folder that says simhall wrote it and how to reproduce it."""


def atomic_write_parquets(files: Mapping[str | os.PathLike[str], pd.DataFrame]) -> list[Path]:
    """Write several frames as Parquet (:func:`atomic_write_parquet`) side by side.

    Two clerks copy two registers at once: pyarrow encodes and writes without holding the
    interpreter lock, so on a second core the files take about as long as the largest
    alone (a network run's event log and case table: 75-90 ms instead of 100-165). Every
    file is finished, or its temporary removed, before this returns; the first error is
    raised after all have stopped. A Ctrl-C meanwhile waits until they have (none is left
    writing into a folder that :func:`output_folder` is removing).
    """
    if len(files) <= 1:
        return [atomic_write_parquet(frame, path) for path, frame in files.items()]
    from concurrent.futures import ThreadPoolExecutor

    with interrupts.deferred(), ThreadPoolExecutor(max_workers=min(len(files), 4)) as pool:
        jobs = [pool.submit(atomic_write_parquet, frame, path) for path, frame in files.items()]
    return [job.result() for job in jobs]


def replaceable(folder: Path) -> bool:
    """An existing folder may be replaced whole if it is empty or simhall wrote it."""
    return (folder / MANIFEST).is_file() or not any(folder.iterdir())


@contextmanager
def output_folder(
    target: str | os.PathLike[str], manifest: Mapping[str, object] | None = None
) -> Iterator[OutputFolder]:
    """Write a folder of results so that it appears whole or not at all.

    Like a clerk who assembles a complete file in a folder of her own and swaps it for the
    old one on the shelf, the files are written into a temporary sibling folder, which is
    moved into place at the end; an existing folder of the same name (the results of an
    earlier run) is replaced as a whole, so no stale file of that run stays beside the new
    ones. If the writing fails or is interrupted (Ctrl-C), the temporary folder is removed
    and the target is left as it was.

    Only an empty folder or one simhall wrote (it holds :data:`MANIFEST`) is replaced; any
    other existing folder (``--out .``, a folder of the user's own files) is refused.

    Parameters
    ----------
    target : str or path-like
        The output folder.
    manifest : mapping, optional
        What to record in ``manifest.json`` (command, settings, seed, input hashes); the
        simhall version and the list of files written are added.

    Yields
    ------
    OutputFolder
        Write into ``.path``; after the block, ``.replaced`` says whether an existing folder
        was replaced.

    Raises
    ------
    UsageError
        If ``target`` is an existing file, or a folder simhall did not write.
    """
    from simhall.errors import UsageError

    final = Path(target)
    if final.exists() and not final.is_dir():
        raise UsageError(f"output folder {final}: expected a folder, found a file")
    if final.is_dir() and not replaceable(final):
        raise UsageError(
            f"output folder {final} exists, is not empty and was not written by simhall (no "
            f"{MANIFEST}); it would be replaced whole: give another --out or empty it"
        )
    final.parent.mkdir(parents=True, exist_ok=True)
    with interrupts.deferred():  # the temporary folder exists only inside the handler below
        tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".partial", dir=final.parent))
        os.chmod(tmp, 0o777 & ~_umask())
    folder = OutputFolder(final, tmp)
    try:
        yield folder
        if manifest is not None:
            atomic_write_text(_manifest_text(manifest, tmp), tmp / MANIFEST)
        with interrupts.deferred():  # the swap is never cut in half
            if final.exists():
                old = Path(
                    tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".old", dir=final.parent)
                )
                os.replace(final, old / final.name)
                os.replace(tmp, final)
                shutil.rmtree(old, ignore_errors=True)
                folder.replaced = True
            else:
                os.replace(tmp, final)
    except BaseException:
        with interrupts.deferred():
            shutil.rmtree(tmp, ignore_errors=True)
        raise


def _manifest_text(manifest: Mapping[str, object], folder: Path) -> str:
    """``manifest.json``: the given fields, the simhall version and the files written."""
    import json

    from simhall import __version__

    files = sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST
    )
    body = {"simhall": __version__, **manifest, "files": files}
    return json.dumps(body, indent=2, ensure_ascii=False, sort_keys=False, default=str) + "\n"


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's bytes (inputs are recorded in manifests by their hash)."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
