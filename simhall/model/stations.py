"""The station table of a replication: per window row and staff pool, how busy and how long
the queue.

Like the hall's monthly counter report: for each row of windows and each back-office
section, the minutes it was open after the warm-up, the minutes its servers were busy, how
many joined its queue and were served, and the queue's average and longest length (overall
and per day). Read from each pool's tallies (:class:`~simhall.model.resources.ServerPool`:
busy spells, queue joins and leaves) once the run is over.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from simhall.calendar import WorkClock
from simhall.model.compile import CompiledHall
from simhall.model.timetables import MIN_PER_DAY

__all__ = ["QueueTrace", "daily_queue", "queue_stats", "queue_trace", "station_frame", "traffic"]


def station_frame(hall: CompiledHall, lo: float, hi: float, replication: int) -> pd.DataFrame:
    """Per window row and staff pool: capacity, utilization, queue length and traffic.

    Measured over each pool's open working time between minutes ``lo`` (end of the warm-up)
    and ``hi`` (the horizon): ``arrivals`` (jobs joining the queue; an applicant sent home at
    the evening close and back the next day counts once), ``served`` (services started),
    ``work_min`` (their service minutes: wall-clock at windows, overtime included; working
    minutes of the pool's clock in back offices) and ``daily_queue`` (the time-average queue
    of each day with open time, a tuple), besides busy minutes, utilization and the queue's
    time average and maximum.
    """
    rows = []
    for kind, pool in hall.all_pools():
        clock = pool.clock
        w_lo, w_hi = clock.to_work(lo), clock.to_work(hi)
        available = (w_hi - w_lo) * pool.capacity
        busy = 0.0
        spans_all = pool.busy_spans()
        queue = pool.queue_changes()
        if len(spans_all):
            spans = np.clip(spans_all, lo, hi)
            busy = float(np.sum(clock.to_work_many(spans[:, 1]) - clock.to_work_many(spans[:, 0])))
        trace = queue_trace(queue, clock, lo, hi)
        mean_q, max_q = queue_stats(trace, clock, lo, hi)
        arrivals, served, work = traffic(kind, queue, spans_all, clock, lo, hi)
        rows.append(
            {
                "department": pool.department,
                "station": pool.station,
                "kind": kind,
                "capacity": pool.capacity,
                "open_min": w_hi - w_lo,
                "busy_min": busy,
                "utilization": busy / available if available > 0 else math.nan,
                "mean_queue": mean_q,
                "max_queue": max_q,
                "sent_home": pool.sent_home if kind == "window" else 0,
                "arrivals": arrivals,
                "served": served,
                "work_min": work,
                "daily_queue": daily_queue(trace, clock, lo, hi),
            }
        )
    frame = pd.DataFrame(rows)
    frame["replication"] = np.int64(replication)
    return frame


class QueueTrace(NamedTuple):
    """A queue's length over time: the change times in order, the length from each, and
    the working-time meter at each (clipped to ``[lo, hi]``) and at the next change."""

    t: np.ndarray
    level: np.ndarray
    w: np.ndarray
    w_next: np.ndarray


def queue_trace(
    events: Sequence[tuple[float, int]] | np.ndarray, clock: WorkClock, lo: float, hi: float
) -> QueueTrace | None:
    """The :class:`QueueTrace` of ``(minute, change)`` rows; ``None`` without rows."""
    if not len(events):
        return None
    arr = np.asarray(events, dtype=np.float64)
    order = np.lexsort((-arr[:, 1], arr[:, 0]))  # at equal times, joins before leaves
    t = arr[order, 0]
    level = np.cumsum(arr[order, 1])
    # level holds on [t_k, t_{k+1}); integrate in working time within [lo, hi]
    w = clock.to_work_many(np.clip(t, lo, hi))
    w_next = np.append(w[1:], clock.to_work(hi))
    return QueueTrace(t, level, w, w_next)


def _as_trace(
    events: Sequence[tuple[float, int]] | np.ndarray | QueueTrace | None,
    clock: WorkClock,
    lo: float,
    hi: float,
) -> QueueTrace | None:
    if events is None or isinstance(events, QueueTrace):
        return events
    return queue_trace(events, clock, lo, hi)


def queue_stats(
    events: Sequence[tuple[float, int]] | np.ndarray | QueueTrace | None,
    clock: WorkClock,
    lo: float,
    hi: float,
) -> tuple[float, int]:
    """Time-average (over open working time in ``[lo, hi]``) and maximum of a queue.

    ``events``: ``(minute, change)`` rows, or their :func:`queue_trace` (``None``: none).
    """
    trace = _as_trace(events, clock, lo, hi)
    if trace is None:
        return 0.0, 0
    t, level, w, w_next = trace
    area = float(np.sum(level * (w_next - w)))
    span = clock.to_work(hi) - clock.to_work(lo)
    inside = (t >= lo) & (t <= hi)
    max_q = int(level[inside].max()) if inside.any() else 0
    return (area / span if span > 0 else 0.0), max_q


def traffic(
    kind: str,
    events: Sequence[tuple[float, int]] | np.ndarray,
    busy: Sequence[tuple[float, float]] | np.ndarray,
    clock: WorkClock,
    lo: float,
    hi: float,
) -> tuple[int, int, float]:
    """Arrivals, services started and their service minutes in ``[lo, hi)``.

    A window applicant leaves the queue either when served (at the start of the service) or
    when sent home at the close (and joins again the next day); those leaves without a
    service are taken off the joins, so that each applicant counts once.
    """
    spans = np.asarray(busy, dtype=np.float64).reshape(-1, 2)
    started = (spans[:, 0] >= lo) & (spans[:, 0] < hi)
    served = int(np.count_nonzero(started))
    begin, end = spans[started, 0], spans[started, 1]
    if kind == "window":
        work = float(np.sum(end - begin))
    else:
        work = float(np.sum(clock.to_work_many(end) - clock.to_work_many(begin)))
    ev = np.asarray(events, dtype=np.float64).reshape(-1, 2)
    inside = (ev[:, 0] >= lo) & (ev[:, 0] < hi)
    joins = int(np.count_nonzero(inside & (ev[:, 1] > 0)))
    if kind == "window":
        leaves = int(np.count_nonzero(inside & (ev[:, 1] < 0)))
        joins -= max(leaves - served, 0)
    return joins, served, work


def daily_queue(
    events: Sequence[tuple[float, int]] | np.ndarray | QueueTrace | None,
    clock: WorkClock,
    lo: float,
    hi: float,
) -> tuple[float, ...]:
    """Time-average queue of each calendar day in ``[lo, hi)`` with open working time.

    ``events``: ``(minute, change)`` rows, or their :func:`queue_trace` (``None``: none).
    """
    first, last = int(lo // MIN_PER_DAY), int(math.ceil(hi / MIN_PER_DAY))
    bounds = np.clip(np.arange(first, last + 1, dtype=np.float64) * MIN_PER_DAY, lo, hi)
    w_bounds = clock.to_work_many(bounds)
    open_min = np.diff(w_bounds)
    trace = _as_trace(events, clock, lo, hi)
    if trace is None:
        return tuple(0.0 for m in open_min if m > 0)
    _, level, w, w_next = trace
    # cumulative area under the level at each change (piecewise linear between changes)
    area = np.concatenate([[0.0], np.cumsum(level * (w_next - w))])
    at = np.interp(w_bounds, np.append(w, w_next[-1]), area, left=0.0)
    per_day = np.diff(at)
    return tuple(float(a / m) for a, m in zip(per_day, open_min, strict=True) if m > 0)
