"""Progress bars that know when to keep quiet.

A long run in a terminal deserves a progress bar; a notebook whose outputs nbval compares,
a CI log or a pipe does not. :func:`progress` shows a ``tqdm`` bar on stderr only when
stderr is a terminal and ``SIMHALL_PROGRESS`` is not ``0``, unless told explicitly.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def progress_enabled(enabled: bool | None = None) -> bool:
    """Whether to show a bar: ``enabled`` if given, else terminal and not ``SIMHALL_PROGRESS=0``."""
    if enabled is not None:
        return enabled
    if os.environ.get("SIMHALL_PROGRESS", "") == "0" or os.environ.get("CI"):
        return False
    return sys.stderr.isatty()


def progress(
    iterable: Iterable[T], *, total: int | None = None, desc: str = "", enabled: bool | None = None
) -> Iterator[T]:
    """Iterate with a progress bar when :func:`progress_enabled` says so."""
    if not progress_enabled(enabled):
        yield from iterable
        return
    from tqdm import tqdm

    yield from tqdm(iterable, total=total, desc=desc, file=sys.stderr, leave=False)
