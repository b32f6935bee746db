"""A worker's result handed to the parent through shared memory, not through the pipe.

A clerk in a back office who has finished a thick file does not read it down the telephone
page by page to the hall; they put it in the pigeonhole and ring to say which one.
:class:`concurrent.futures.ProcessPoolExecutor` sends a worker's result down a pipe whose
buffer holds 64 KiB: a replication's frames (about 20 MB for 120 days of the Huainan hall)
take some 330 turns of "write, wait until the parent has read", each a switch between
processes on cores that the other workers keep busy. Measured on 2 cores, 120 days x 4
replications: 0.1-0.3 s from a worker's end of a replication to the parent's having it, and
the worker waits all that time before it starts its next replication.

:func:`packed` runs the task in the worker and writes its result into a block of shared
memory (:class:`multiprocessing.shared_memory.SharedMemory`, a file in ``/dev/shm``): the
pickle (protocol 5) and, beside it, the arrays' data straight from the arrays (out of band,
not copied into the pickle first). Only the block's name and layout (a :class:`Parcel`)
travel down the pipe. :func:`unpacked` in the parent reads the block into its own memory
with one copy, makes the value on it, and frees the block. The value equals the one that
would have come down the pipe; only the way differs.

- The space is reserved before anything is written (``posix_fallocate``): when ``/dev/shm``
  is too small (a container's 64 MB) the worker gets an error at once, frees the block and
  sends the value down the pipe as before, instead of dying of a bus error halfway.
- A block the parent never opens (a Ctrl-C, an error in another replication) is freed by
  :func:`discard`; one left by a process that was killed is freed by multiprocessing's
  resource tracker when the last process of the run has ended.
- Where there is no ``/dev/shm`` or no ``posix_fallocate`` (not Linux), results travel down
  the pipe as before.
- Only simhall's own pools use it (:class:`simhall.executors.LocalPool`, whose workers share
  the parent's resource tracker); results from an executor the caller gives (a Dask
  cluster, a pool of their own) come back the executor's way.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import shared_memory
from typing import Any

import numpy as np

__all__ = [
    "ALIGN_BYTES",
    "MIN_BYTES",
    "Parcel",
    "available",
    "discard",
    "pack",
    "packed",
    "unpacked",
]


MIN_BYTES = 1 << 20
"""Results smaller than this (1 MiB) go down the pipe: up to 16 turns of its 64 KiB cost
less than making a block."""

ALIGN_BYTES = 64
"""Each array's data starts at a multiple of this in the block (and in the parent's copy)."""

_SHM_DIR = "/dev/shm"


def available() -> bool:
    """Whether results can travel through shared memory here (Linux's ``/dev/shm``)."""
    return hasattr(os, "posix_fallocate") and os.path.isdir(_SHM_DIR)


@dataclass(frozen=True)
class Parcel:
    """The slip that says where a pickled result lies: a shared-memory block and its layout.

    Attributes
    ----------
    name : str
        The block's name (:class:`multiprocessing.shared_memory.SharedMemory`).
    sizes_bytes : tuple of int
        The pickle stream's bytes, then those of each of its out-of-band buffers (the
        arrays' data, pickle protocol 5), laid one after the other from offset 0, each
        starting at a multiple of :data:`ALIGN_BYTES`.
    """

    name: str
    sizes_bytes: tuple[int, ...]

    def offsets(self) -> list[int]:
        """Where each piece starts in the block."""
        out, at = [], 0
        for size in self.sizes_bytes:
            out.append(at)
            at += -(-size // ALIGN_BYTES) * ALIGN_BYTES
        return out

    def total_bytes(self) -> int:
        """The block's length: the last piece's end."""
        return self.offsets()[-1] + self.sizes_bytes[-1]


def pack(value: object) -> object:
    """``value`` pickled into a new shared-memory block: its :class:`Parcel`.

    The arrays' data are written straight from the arrays (pickle protocol 5, out of band),
    with no copy of them into a pickle first. The value itself when it is small
    (:data:`MIN_BYTES`), when shared memory is not :func:`available`, or when ``/dev/shm``
    has no room for it.
    """
    if not available():
        return value
    buffers: list[pickle.PickleBuffer] = []
    head = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
    # raw(): each buffer as flat bytes (pickle hands over only contiguous ones)
    pieces = [memoryview(head), *(b.raw() for b in buffers)]
    parcel = Parcel("", tuple(p.nbytes for p in pieces))
    total = parcel.total_bytes()
    if total < MIN_BYTES:
        return value
    try:
        block = shared_memory.SharedMemory(create=True, size=total)
    except OSError:
        return value
    fd = block._fd  # type: ignore[attr-defined]
    try:
        # reserve the pages first: on a full tmpfs this fails (ENOSPC) here, not as a bus
        # error in a later access to a page there is no room for
        os.posix_fallocate(fd, 0, total)
        for at, piece in zip(parcel.offsets(), pieces, strict=True):
            _write_at(fd, piece, at)
    except OSError:
        block.close()
        block.unlink()
        return value
    block.close()
    return Parcel(block.name, parcel.sizes_bytes)


def _write_at(fd: int, data: memoryview, offset: int) -> None:
    """All of ``data`` (bytes, format ``B``) written at ``offset`` (``os.pwrite`` may write
    less)."""
    while len(data):
        n = os.pwrite(fd, data, offset)
        data, offset = data[n:], offset + n


def packed(task: Callable[..., object], *args: Any) -> object:
    """``pack(task(*args))``: what a worker runs instead of ``task(*args)``.

    A top-level function, so that process pools can pickle it (with ``task``).
    """
    return pack(task(*args))


def unpacked(result: object) -> Any:
    """The value a :class:`Parcel` stands for (its block freed); anything else as it is.

    The block is read into this process's memory at once (one copy), and the value's arrays
    are made on that memory, without a second copy.
    """
    if not isinstance(result, Parcel):
        return result
    block = shared_memory.SharedMemory(name=result.name)
    try:
        total = result.total_bytes()
        # numpy's memory: not zeroed first (as a bytearray is), and aligned here at will
        memory = np.empty(total + ALIGN_BYTES, dtype=np.uint8)
        shift = -memory.ctypes.data % ALIGN_BYTES
        view = memory.data[shift : shift + total]
        fd = block._fd  # type: ignore[attr-defined]
        done = 0
        while done < total:
            n = os.preadv(fd, [view[done:]], done)
            if n == 0:
                raise EOFError(f"shared memory block {result.name}: {done} of {total} bytes")
            done += n
    finally:
        block.close()
        block.unlink()
    pieces = [view[at : at + size] for at, size in zip(result.offsets(), result.sizes_bytes)]
    return pickle.loads(pieces[0], buffers=pieces[1:])


def discard(result: object) -> None:
    """Free the block of a :class:`Parcel` that will not be opened (nothing else)."""
    if not isinstance(result, Parcel):
        return
    try:
        block = shared_memory.SharedMemory(name=result.name)
    except FileNotFoundError:
        return
    block.close()
    block.unlink()
