"""Ctrl-C at a safe moment: critical sections that an interrupt must not cut in half.

Like a clerk who finishes stamping the page in front of her before answering the phone, a
block under :func:`deferred` holds SIGINT until it ends, then lets it through: starting the
worker processes (an interrupt in the middle leaves half-started children that print
tracebacks) and swapping an output folder into place (an interrupt in the middle leaves
neither the old nor the new folder).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["deferred", "ignore_in_worker", "worker_start"]


@contextmanager
def deferred() -> Iterator[None]:
    """Hold Ctrl-C during the block: one that comes meanwhile is delivered when it ends.

    The interrupt is caught by a Python handler that only notes it, and raised again
    (:func:`signal.raise_signal`) once the previous handler is back. Masking the signal
    would not do: the libraries' own threads (pyarrow's, OpenBLAS's) leave it unmasked, the
    kernel hands it to one of them, and Python raises it in the main thread all the same.
    Blocks nest. A no-op off the main thread, or when the handler in place was not set from
    Python (then there is nothing to restore).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.getsignal(signal.SIGINT)
    if old is None:
        yield
        return
    came: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, _frame: came.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
        if came:
            signal.raise_signal(signal.SIGINT)


def ignore_in_worker() -> None:
    """Worker processes leave Ctrl-C to the parent, which stops the run and cleans up (the
    terminal sends SIGINT to the whole process group)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def worker_start(started: Any = None) -> None:
    """Initializer of worker processes: ignore Ctrl-C, then wait (at most a minute) at the
    ``started`` barrier until every worker of the pool has started."""
    ignore_in_worker()
    if started is not None:
        try:
            started.wait(timeout=60)
        except threading.BrokenBarrierError:
            pass
