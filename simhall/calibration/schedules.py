"""Each department's fixed-time work: its courier, its sign-off round and its meeting.

The detectors (:func:`~simhall.calibration.sessions.estimate_courier`,
:func:`~simhall.calibration.sessions.estimate_session`) read clock times off a set of
events; this stage decides which events go to which schedule. A department has at most one
courier, one sign-off schedule and one meeting schedule (the scenario's tables): its
transfers make the courier (with its own return departures when the transfers after the
back office's first work leave at other times than those before it); of its session
activities, one whose name says meeting (会, 主任, director, ...) makes the meeting, the
busiest other the sign-off, the next the meeting if none was named, and any further one
shares the sign-off schedule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from simhall.calendar import WorkCalendar
from simhall.calibration.catalogue import Catalogue
from simhall.calibration.evidence import Evidence
from simhall.calibration.kinds import ActivityKinds
from simhall.calibration.period import PeriodLog
from simhall.calibration.resources import ResourceMap
from simhall.calibration.rounds import estimate_round, round_starts
from simhall.calibration.sessions import (
    CourierEstimate,
    SessionEstimate,
    estimate_courier,
    estimate_session,
)

__all__ = ["MEETING_NAME", "MIN_TRANSFERS", "Schedules", "find_schedules", "returning"]

MEETING_NAME = re.compile(r"meeting|director|会|主任|局长", re.IGNORECASE)
"""A session activity whose name matches is a meeting, not a sign-off."""

MIN_TRANSFERS = 5
"""Transfers a department needs before its courier is estimated."""


@dataclass(frozen=True)
class Schedules:
    """Couriers and sessions per department id.

    Attributes
    ----------
    couriers : dict
        Department -> courier (only departments with one).
    signoffs, meetings : dict
        Department -> ``(activity, SessionEstimate)`` (only departments with one).
    session_kind : dict
        ``(department code, activity code)`` -> ``"signoff"`` or ``"meeting"``: which
        schedule a session activity's files wait for.
    evidence : Evidence
    """

    couriers: dict[str, CourierEstimate]
    signoffs: dict[str, tuple[str, SessionEstimate]]
    meetings: dict[str, tuple[str, SessionEstimate]]
    session_kind: dict[tuple[int, int], str]
    evidence: Evidence

    def has(self, kind: str, dept: str) -> bool:
        """Whether department ``dept`` has a ``kind`` (``"signoff"``/``"meeting"``) schedule."""
        return dept in (self.signoffs if kind == "signoff" else self.meetings)


def returning(period: PeriodLog, kinds: ActivityKinds) -> np.ndarray:
    """Per event: whether it comes after its case's first back-office work or session (a
    transfer then carries the file back to the hall)."""
    is_bo = kinds.events_of("work") | kinds.events_of("session")
    t = np.where(np.isfinite(period.start), period.start, period.end)
    first = np.full(int(period.case.max()) + 1 if period.n_events else 0, np.inf)
    np.minimum.at(first, period.case[is_bo], period.end[is_bo])
    return first[period.case] <= t


def find_schedules(
    period: PeriodLog,
    kinds: ActivityKinds,
    resources: ResourceMap,
    catalogue: Catalogue,
    calendar: WorkCalendar,
) -> Schedules:
    """Couriers from transfers and sign-off/meeting schedules from session events.

    Parameters
    ----------
    period : PeriodLog
        The period's events.
    kinds : ActivityKinds
        Which events are transfers and sessions.
    resources : ResourceMap
        Department of each event.
    catalogue : Catalogue
        Departments.
    calendar : WorkCalendar
        Working days (for the weekdays a session is held).

    Returns
    -------
    Schedules
    """
    start, end, act = period.start, period.end, period.activity
    activities = period.activities
    couriers: dict[str, CourierEstimate] = {}
    is_tr = kinds.events_of("transfer")
    to_hall = returning(period, kinds)
    for k, d in enumerate(catalogue.dept_ids):
        sel = is_tr & (resources.dept == k)
        if sel.sum() >= MIN_TRANSFERS:
            couriers[d] = estimate_courier(start[sel], end[sel], to_hall[sel])
    signoffs: dict[str, tuple[str, SessionEstimate]] = {}
    meetings: dict[str, tuple[str, SessionEstimate]] = {}
    session_kind: dict[tuple[int, int], str] = {}
    assumptions: list[str] = []
    is_ses = kinds.events_of("session")
    table = kinds.table
    rounds = set(table.loc[table["pattern"] == "round", "activity"]) if "pattern" in table else ()
    first: dict[int, np.ndarray] = {}
    for k, d in enumerate(catalogue.dept_ids):
        sel = is_ses & (resources.dept == k)
        if not sel.any():
            continue
        acts, counts = np.unique(act[sel], return_counts=True)
        ranked = [a for a, _ in sorted(zip(acts.tolist(), counts.tolist()), key=lambda x: -x[1])]
        found = {}
        for a in ranked:
            m = sel & (act == a)
            if activities[a] in rounds:
                if a not in first:  # rounds formed from all departments' files
                    every = act == a
                    first[a] = np.full(len(act), np.nan)
                    first[a][every] = round_starts(period.resource[every], start[every], end[every])
                found[a] = estimate_round(
                    period.resource[m], start[m], end[m], calendar, first[a][m]
                )
            else:
                found[a] = estimate_session(start[m], end[m], calendar)
        pending = []
        for a in ranked:
            if MEETING_NAME.search(activities[a]) and d not in meetings:
                meetings[d] = (activities[a], found[a])
                session_kind[(k, a)] = "meeting"
            else:
                pending.append(a)
        for a in pending:
            if d not in signoffs:
                signoffs[d] = (activities[a], found[a])
                session_kind[(k, a)] = "signoff"
            elif d not in meetings:
                meetings[d] = (activities[a], found[a])
                session_kind[(k, a)] = "meeting"
            else:
                session_kind[(k, a)] = "signoff"
                assumptions.append(
                    f"department {d}: session activity {activities[a]!r} shares the sign-off "
                    "schedule (a department has one sign-off and one meeting schedule)"
                )
    return Schedules(
        couriers, signoffs, meetings, session_kind, Evidence(assumptions=tuple(assumptions))
    )
