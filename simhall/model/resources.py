"""Staffed pools: a row of windows or a section's clerks with one ticket queue.

Picture a department's row of counters: the ticket machine hands out numbers, the display
calls the next number as soon as any counter is free, and the clerks are numbered 1, 2, ...
so that the case log can say who served whom. A :class:`ServerPool` is that row: numbered
servers, one first-come-first-served queue and the tallies a station report needs (busy
spells, queue joins and leaves, applicants sent home at the evening close).

The same object serves window rows (in the hall's opening hours) and back-office pools (in
their own office hours): its :attr:`ServerPool.clock` says when its servers work.
"""

from __future__ import annotations

from array import array
from collections import deque
from typing import TYPE_CHECKING

import numpy as np
import simpy

from simhall.calendar import WorkClock

if TYPE_CHECKING:
    from simhall.model.driver import Driver


class ServerPool:
    """Numbered servers with a FIFO queue: :class:`simpy.Resource` without request objects.

    :meth:`acquire` takes a free server at once (no event at all) or returns the pool, which
    a case's steps yield to wait in line (:mod:`simhall.model.driver`); :meth:`release`
    hands the server to the first in line or frees it. Which server is taken is the
    caller's business (:attr:`free` holds the free server numbers, lowest last), so that a
    hall with hundreds of thousands of visits creates no per-request objects.

    Parameters
    ----------
    env : simpy.Environment
        The simulation the pool lives in.
    key : str
        ``"department/station"``, e.g. ``"d/window"`` or ``"d/section"``.
    capacity : int
        Number of servers (windows or clerks).
    clock : WorkClock
        When the servers work.

    Attributes
    ----------
    busy_start, busy_end : array.array of float
        Service spells in wall-clock minutes (:meth:`busy_spans`).
    joins, leaves : array.array of float
        Minutes at which a job joined and left the queue (:meth:`queue_changes`: for the
        time-average queue length). Unboxed floats: no tuple, no float object kept.
    codes : list of int
        Resource codes of the servers in the event records (index = server number; index 0
        is ``-1``, no server).
    sent_home : int
        Applicants still queueing at the evening close and sent home (windows only).
    """

    __slots__ = (
        "env",
        "key",
        "capacity",
        "in_use",
        "waiting",
        "free",
        "clock",
        "busy_start",
        "busy_end",
        "joins",
        "leaves",
        "codes",
        "sent_home",
    )

    def __init__(self, env: simpy.Environment, key: str, capacity: int, clock: WorkClock) -> None:
        self.env = env
        self.key = key
        self.capacity = capacity
        self.in_use = 0
        self.waiting: deque[Driver] = deque()
        self.free = list(range(capacity, 0, -1))
        self.clock = clock
        self.busy_start = array("d")
        self.busy_end = array("d")
        self.joins = array("d")
        self.leaves = array("d")
        self.codes: list[int] = []
        self.sent_home = 0

    def busy_spans(self) -> np.ndarray:
        """The service spells as an ``(n, 2)`` array of ``(start, end)`` minutes."""
        return np.column_stack(
            (np.frombuffer(self.busy_start, np.float64), np.frombuffer(self.busy_end, np.float64))
        ).reshape(-1, 2)

    def queue_changes(self) -> np.ndarray:
        """Joins (``+1``) then leaves (``-1``) of the queue as ``(minute, change)`` rows."""
        minutes = np.concatenate(
            (np.frombuffer(self.joins, np.float64), np.frombuffer(self.leaves, np.float64))
        )
        change = np.ones(minutes.size)
        change[len(self.joins) :] = -1.0
        return np.column_stack((minutes, change)).reshape(-1, 2)

    @property
    def department(self) -> str:
        """The department part of :attr:`key`."""
        return self.key.partition("/")[0]

    @property
    def station(self) -> str:
        """The station part of :attr:`key` (``window`` or the pool's name)."""
        return self.key.partition("/")[2]

    def acquire(self) -> ServerPool | None:
        """``None`` if a server was free and is now taken, else the pool itself: yielded by
        a case's steps, it puts the case in line (:class:`simhall.model.driver.Driver`)."""
        if self.in_use < self.capacity:
            self.in_use += 1
            return None
        return self

    def release(self) -> None:
        """Hand the server to the first in line (resumed now, after what is already due
        now, as a SimPy event would be), or free it."""
        if self.waiting:
            self.waiting.popleft().wake()
        else:
            self.in_use -= 1
