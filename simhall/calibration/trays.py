"""Waits that no capacity explains: files lying in a tray before the staff take them.

A file that reached the section on Monday and was opened on Wednesday waited two days. If
every clerk of the section was busy all that time, the wait is a queue, and the simulated
pool reproduces it from the staff count and the work minutes. If the clerks were idle part
of that time, no queue explains it: the file lay in a tray (an in-box emptied once a day, a
rule to let files rest, a clerk who takes the oldest pile first). Like a time-and-motion
study that sees the desk empty while the in-box is full, :func:`find_trays` measures, for
every pool, the share of its staff's time that was idle while its files waited. Where the
waits are long (:data:`MIN_WAIT_DAYS`) and the staff mostly idle meanwhile
(:data:`MIN_IDLE_SHARE`), the pool's work steps get an explicit tray delay in working days
before them: the observed waits from the file being ready to the work starting. In a FIFO
pool a file waits only while all staff are busy, so a simulated queue never shows idle
staff during a wait, and logs of queues get no tray.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simhall.calibration.departments import PoolStaff
from simhall.calibration.durations import Durations
from simhall.calibration.evidence import Evidence
from simhall.calibration.kinds import ActivityKinds
from simhall.calibration.period import PeriodLog
from simhall.calibration.timebase import to_work
from simhall.calibration.workdays import HallCalendar

__all__ = ["MIN_IDLE_SHARE", "MIN_WAIT_DAYS", "TrayEstimate", "Trays", "busy_minutes", "find_trays"]

MIN_WAIT_DAYS = 0.25
"""A pool's mean wait (working days) from which its waits may be a tray."""
MIN_IDLE_SHARE = 0.25
"""Mean share of staff time idle during its files' waits above which the waits are a tray."""
WAITING_MIN = 30.0
"""Waits shorter than this many working minutes do not count towards the idle share."""


def busy_minutes(start: np.ndarray, end: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Staff-minutes worked before each ``t`` by the intervals ``[start, end)`` (one clock).

    ``B(t) = sum_i clip(t - start_i, 0, end_i - start_i)``, by sorting and prefix sums, so a
    pool's million events cost a sort, not a loop.
    """
    s = np.sort(start)
    e = np.sort(end)
    cs = np.concatenate([[0.0], np.cumsum(s)])
    ce = np.concatenate([[0.0], np.cumsum(e)])
    ks = np.searchsorted(s, t, side="right")
    ke = np.searchsorted(e, t, side="right")
    return (ks * t - cs[ks]) - (ke * t - ce[ke])


@dataclass(frozen=True)
class TrayEstimate:
    """The evidence for one pool's tray.

    Attributes
    ----------
    department, pool : str
        The pool.
    staff : int
        Its staff.
    mean_wait_days : float
        Mean working days from ready to start.
    idle_share : float
        Mean share of the staff's time idle while a file waited (waits >= 30 working min).
    n : int
        Timed work events with a known ready time.
    tray : bool
        Whether the waits are a tray.
    """

    department: str
    pool: str
    staff: int
    mean_wait_days: float
    idle_share: float
    n: int
    tray: bool

    @property
    def reason(self) -> str:
        """The evidence in words."""
        verdict = "a tray delay before its steps" if self.tray else "queueing on its staff"
        return (
            f"pool {self.department}/{self.pool} ({self.staff} staff): files waited a mean "
            f"{self.mean_wait_days:.2f} working days from ready to start while "
            f"{100 * self.idle_share:.0f}% of the staff's time was idle: {verdict}"
        )


@dataclass(frozen=True)
class Trays:
    """Tray waits of the pools that have one.

    Attributes
    ----------
    pools : dict
        ``(department code, pool name)`` -> :class:`TrayEstimate` (every pool examined).
    wait_days : numpy.ndarray
        Per event: working days from ready to start (NaN where not a timed work event with
        a known ready time).
    evidence : Evidence
    """

    pools: dict[tuple[int, str], TrayEstimate]
    wait_days: np.ndarray
    evidence: Evidence

    def has_tray(self, key: tuple[int, str] | None) -> bool:
        """Whether pool ``key`` has a tray."""
        est = self.pools.get(key) if key is not None else None
        return est is not None and est.tray


def find_trays(
    period: PeriodLog,
    kinds: ActivityKinds,
    durations: Durations,
    pools: PoolStaff,
    hall: HallCalendar,
    dept_ids: tuple[str, ...],
) -> Trays:
    """Which pools' waits are trays, and every work event's wait.

    Parameters
    ----------
    period : PeriodLog
        The period's events.
    kinds : ActivityKinds
        Which events are staff work.
    durations : Durations
        Previous completions (the ready time when the log has no ``ready``).
    pools : PoolStaff
        Pool of each work event and staff per pool.
    hall : HallCalendar
        Working clock and day length.
    dept_ids : tuple of str
        Department ids by code.

    Returns
    -------
    Trays
        No trays in a log without start times (its durations already include the waits).
    """
    n = period.n_events
    wait_days = np.full(n, np.nan)
    if period.durations_estimated:
        return Trays({}, wait_days, Evidence())
    clock = hall.clock
    ready = np.where(np.isfinite(period.ready), period.ready, durations.prev_end)
    is_work = kinds.events_of("work") & np.isfinite(period.start) & (pools.code >= 0)
    w_start = to_work(clock, np.where(is_work, period.start, np.nan))
    w_end = to_work(clock, np.where(is_work, period.end, np.nan))
    w_ready = to_work(clock, np.where(is_work, ready, np.nan))
    wait = np.maximum(w_start - w_ready, 0.0)
    wait_days[:] = wait / hall.day_min
    out: dict[tuple[int, str], TrayEstimate] = {}
    notes: list[str] = []
    for key, c in pools.keys.items():
        sel = is_work & (pools.code == c)
        ok = sel & np.isfinite(wait)
        if ok.sum() < 10:
            continue
        staff = pools.pools[dept_ids[key[0]]][key[1]].staff
        waiting = ok & (wait >= WAITING_MIN)
        idle = 0.0
        if waiting.any():
            busy = busy_minutes(w_start[sel], w_end[sel], w_start[waiting]) - busy_minutes(
                w_start[sel], w_end[sel], w_ready[waiting]
            )
            idle = float(np.mean(np.clip(1.0 - busy / (staff * wait[waiting]), 0.0, 1.0)))
        med = float(np.mean(wait[ok])) / hall.day_min
        est = TrayEstimate(
            dept_ids[key[0]],
            key[1],
            staff,
            med,
            idle,
            int(ok.sum()),
            med >= MIN_WAIT_DAYS and idle >= MIN_IDLE_SHARE,
        )
        out[key] = est
        if est.tray:
            notes.append(est.reason)
    assumptions: tuple[str, ...] = ()
    if notes:
        assumptions = (
            f"{len(notes)} pool(s) leave files waiting while their staff are idle: the waits "
            "are calibrated as tray delays in working days before their steps (the observed "
            "waits from ready to start), not as staff shortage; see the notes",
        )
    return Trays(out, wait_days, Evidence(assumptions=assumptions, notes=tuple(notes)))
