"""The memory Arrow allocates simhall's frames from: the C library's, not mimalloc.

A hall that files its paperwork in its own cabinets does not wait for a second building's
cabinets to be unlocked, filled and emptied again. pandas keeps its string and categorical
columns in Arrow, and Arrow allocates from its own pool, by default mimalloc beside the C
library's malloc that numpy and Python use. For simhall's pattern (a replication's frames
built once, tens of megabytes, then written and dropped) that second allocator costs page
faults and commits on every fresh run: a 100,000-customer network run's event frame took
70-75 ms on mimalloc in most fresh processes and 40 ms on the system allocator, and
``simhall.run`` end to end was about 4% slower (``docs/speed.md``).

:func:`system_pool` makes the system allocator Arrow's default for the length of a block:
the whole of :func:`simhall.experiment.run` (each replication in whichever process runs
it, the frames workers send back, combining them) and writing the folder. The choice only
changes where bytes live, never a result. A user who chose a pool with the environment
variable ``ARROW_DEFAULT_MEMORY_POOL`` keeps it. Blocks nest and may overlap in threads (a
``ThreadPoolExecutor`` running replications): the first to enter switches, the last to
leave switches back (each Arrow buffer frees itself to the pool it came from, so switching
in between is safe).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa

__all__ = ["ENV_VAR", "system_pool"]

ENV_VAR = "ARROW_DEFAULT_MEMORY_POOL"
"""Arrow's own setting of its default pool; when set, simhall leaves the pool alone."""

_lock = threading.Lock()
_depth = 0
_previous: pa.MemoryPool | None = None


@contextmanager
def system_pool() -> Iterator[None]:
    """Arrow allocates from the system allocator during the block (see the module doc)."""
    global _depth, _previous
    if os.environ.get(ENV_VAR):
        yield
        return
    with _lock:
        if _depth == 0:
            _previous = pa.default_memory_pool()
            pa.set_memory_pool(pa.system_memory_pool())
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _previous is not None:
                pa.set_memory_pool(_previous)
                _previous = None
