"""How many windows and back-office clerks each department has.

The counting rule itself (distinct resources on the busiest day, else the most overlapping
intervals) is :mod:`~simhall.calibration.staffing`; this stage applies it to the period's
window visits per department (:func:`staff_windows`) and to its staff work per department
and pool (:func:`staff_pools`). A log of completion times only has one more rule: a pool
must hold at least as many files at once as its step did in the log, because the gaps it
is given already contain the wait for a clerk. :func:`department_estimates` puts each
department's windows, pools and schedules together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from simhall.calibration.catalogue import Catalogue
from simhall.calibration.durations import Durations
from simhall.calibration.evidence import Evidence
from simhall.calibration.kinds import ActivityKinds
from simhall.calibration.period import PeriodLog
from simhall.calibration.resources import ResourceMap
from simhall.calibration.result import DepartmentEstimate, PoolEstimate
from simhall.calibration.schedules import Schedules
from simhall.calibration.staffing import max_concurrent, staff_per_group

__all__ = [
    "PoolStaff",
    "WindowCount",
    "WindowStaff",
    "department_estimates",
    "staff_pools",
    "staff_windows",
]


class WindowCount(NamedTuple):
    """Windows of one department, the days behind the number, and the method."""

    windows: int
    days: int
    method: str


DEFAULT_WINDOWS = WindowCount(1, 0, "default")
"""A department whose window visits cannot be counted."""


@dataclass(frozen=True)
class WindowStaff:
    """Windows per department id."""

    by_dept: dict[str, WindowCount]
    evidence: Evidence


@dataclass(frozen=True)
class PoolStaff:
    """Back-office pools.

    Attributes
    ----------
    pools : dict
        Department id -> pool name -> :class:`~simhall.calibration.result.PoolEstimate`.
    code : numpy.ndarray
        int64 pool code per event (-1 for events that are not staff work).
    keys : dict
        ``(department code, pool name)`` -> pool code.
    evidence : Evidence
    """

    pools: dict[str, dict[str, PoolEstimate]]
    code: np.ndarray
    keys: dict[tuple[int, str], int]
    evidence: Evidence

    def key_of(self, code: int) -> tuple[int, str] | None:
        """``(department code, pool name)`` of a pool code (``None`` for -1)."""
        for key, c in self.keys.items():
            if c == code:
                return key
        return None


def _start_else_end(period: PeriodLog) -> np.ndarray:
    return np.where(np.isfinite(period.start), period.start, period.end)


def staff_windows(
    period: PeriodLog, kinds: ActivityKinds, resources: ResourceMap, catalogue: Catalogue
) -> WindowStaff:
    """Windows of each department from its items' window visits.

    Parameters
    ----------
    period : PeriodLog
        The period's events.
    kinds : ActivityKinds
        Which events are window visits.
    resources : ResourceMap
        Department of each event's item.
    catalogue : Catalogue
        Departments.

    Returns
    -------
    WindowStaff
        One window per department when the log has no window visits (an assumption).
    """
    is_win = kinds.events_of("window")
    dept_ids = catalogue.dept_ids
    by_dept = {d: DEFAULT_WINDOWS for d in dept_ids}
    if not is_win.any():
        return WindowStaff(
            by_dept, Evidence(("no window visits in the log: 1 window per department assumed",))
        )
    staff, ndays = staff_per_group(
        resources.item_dept[is_win],
        period.resource[is_win],
        _start_else_end(period)[is_win],
        len(dept_ids),
    )
    for k, d in enumerate(dept_ids):
        if staff[k] > 0:
            by_dept[d] = WindowCount(
                int(staff[k]),
                int(ndays[k]),
                "max distinct window resources active on a working day",
            )
        else:
            sel = is_win & (resources.item_dept == k)
            s0 = np.where(np.isfinite(period.start), period.start, period.end - 10.0)[sel]
            by_dept[d] = WindowCount(
                max(1, max_concurrent(s0, period.end[sel])),
                0,
                "max concurrent window services (no resources)",
            )
    return WindowStaff(by_dept, Evidence())


def staff_pools(
    period: PeriodLog,
    kinds: ActivityKinds,
    resources: ResourceMap,
    durations: Durations,
    catalogue: Catalogue,
) -> PoolStaff:
    """Staff of each department's pools from its staff work.

    Parameters
    ----------
    period : PeriodLog
        The period's events.
    kinds : ActivityKinds
        Which events are staff work.
    resources : ResourceMap
        Department and pool of each event.
    durations : Durations
        Working minutes and previous completions (for logs without start times).
    catalogue : Catalogue
        Departments.

    Returns
    -------
    PoolStaff
    """
    is_work = kinds.events_of("work")
    end = period.end
    assumptions: list[str] = []
    pools: dict[str, dict[str, PoolEstimate]] = {d: {} for d in catalogue.dept_ids}
    keys: dict[tuple[int, str], int] = {}
    code = np.full(period.n_events, -1, dtype=np.int64)
    if is_work.any():
        codes, uniques = pd.factorize(
            pd.Series(resources.dept[is_work]).astype(str)
            + "\x00"
            + pd.Series(resources.pool[is_work])
        )
        code[is_work] = codes
        for c, key in enumerate(uniques):
            dept_text, name = str(key).split("\x00", 1)
            keys[(int(dept_text), name)] = c
        staff, ndays = staff_per_group(
            code[is_work], period.resource[is_work], _start_else_end(period)[is_work], len(uniques)
        )
        n_raised = 0
        for (pdept, name), c in keys.items():
            sel = is_work & (code == c)
            if staff[c] > 0:
                value, method = int(staff[c]), "max distinct resources active on a working day"
            else:
                s0 = end[sel] - np.nan_to_num(durations.work_min[sel], nan=0.0)
                value = max(1, max_concurrent(s0, end[sel]))
                method = "max concurrent work intervals (no resources)"
            if period.durations_estimated:
                # The step's "duration" is the gap since the previous completion: it already
                # holds the file's wait for a clerk. A pool smaller than the number of files
                # seen in the step at once would make the simulation queue them a second time
                # (BPIC15: utilisation above 1, throughput nearly doubled).
                prev = durations.prev_end[sel]
                inside = max_concurrent(np.where(np.isfinite(prev), prev, end[sel]), end[sel])
                if inside > value:
                    value, n_raised = inside, n_raised + 1
                    method = (
                        f"max files inside the step at once ({inside}; completion gaps "
                        "include the wait, so fewer staff would queue twice)"
                    )
            pools[catalogue.dept_ids[pdept]][name] = PoolEstimate(value, int(ndays[c]), method)
        if n_raised:
            assumptions.append(
                f"{n_raised} pool(s) are staffed with the largest number of files seen inside "
                "their step at once (more than the distinct resources per day): durations "
                "are gaps between completions that already include the wait for a clerk, so "
                "these pools must not add a queue of their own; staff counts of such pools "
                "are capacity for files in progress, not head counts"
            )
    if not (period.resource >= 0).any():
        assumptions.append(
            "the log names no resources: staff counts are the largest number of overlapping "
            "intervals, a lower bound"
        )
    return PoolStaff(pools, code, keys, Evidence(assumptions=tuple(assumptions)))


def department_estimates(
    catalogue: Catalogue, windows: WindowStaff, pools: PoolStaff, schedules: Schedules
) -> tuple[DepartmentEstimate, ...]:
    """Each department's windows, pools, courier and sessions, in catalogue order."""
    out = []
    for d in catalogue.dept_ids:
        w = windows.by_dept[d]
        out.append(
            DepartmentEstimate(
                id=d,
                windows=w.windows,
                windows_days=w.days,
                windows_method=w.method,
                pools=pools.pools[d],
                courier=schedules.couriers.get(d),
                signoff=schedules.signoffs.get(d),
                meeting=schedules.meetings.get(d),
            )
        )
    return tuple(out)
