"""Batch sessions as stations: how much of the leader's round the files take.

A leader who signs on Tuesday and Friday at 16:00 takes every file in the tray; the model
never makes a file wait for a second round, so a session has no queue that can grow for
lack of capacity. What it can run out of is the leader's time: at ``per_file_min`` a file,
forty files take two hours, and a round at 16:00 in a hall that closes at 17:30 offers
ninety minutes. The model lets the leader sign on past the close (the k-th file is done
``duration_min + k x per_file_min`` after the start, however late), so a saturated round
does not show in the durations of the cases: it shows here.

Per session kind of a department (station ``<department>/signoff`` or
``<department>/meeting``, ``kind = "session"``, ``capacity = 1``: one leader or director),
over the measured period ``[lo, hi)``:

- ``open_min`` (minutes offered): per session held, the hall's open working minutes from
  its start to the earlier of the day's close and the next session of the same kind, but at
  least its own ``duration_min`` (a meeting booked for two hours at 16:30 is offered two
  hours);
- ``busy_min`` (:func:`busy_minutes`): per session held with files, from its start to its
  last file done (wall minutes: the model's leader does not stop at the close); a file
  handled at its supervision cap (督办) instead adds its ``per_file_min`` only (no session
  is convened for it; its ``duration_min`` is a wait, not the leader's work);
- ``utilization`` = ``busy_min / open_min`` (above 1: the rounds run past the close);
- ``arrivals`` (files ready for the session), ``served`` (files whose session started),
  ``work_min`` (= ``busy_min``), so the offered load of
  :func:`simhall.reporting.stability.stations_by_replication` is arrivals x minutes per
  file / minutes offered;
- ``mean_queue``, ``max_queue``, ``daily_queue``: files waiting for the next session (from
  ready to the session's start), over the hall's open time, by day.

Computed from the event log and the compiled timetables (held sessions, skips drawn), in
the schema of :func:`simhall.model.stations.station_frame`. The log holds only the cases
kept after the warm-up, so in the first days of the measured period the files of warm-up
cases still on their way to the session are missing from it: a session's tray would seem
to fill up over the first weeks, a queue "growing" for no reason. So a session is measured
from ``lo`` plus its *ramp* (:func:`ramp_minutes`: the 99th percentile of the time its
files took from their case's first ticket to the session), when at most about 1% of its
files are still missing. A ramp longer than half the measured period leaves too few days:
the session is then measured over the period's second half (its utilization and queue
biased low by the missing files) and its queue trend is not judged (no ``daily_queue``,
so ``queue_growth`` is NaN): run longer to see it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from simhall.calendar import WorkCalendar
from simhall.model.stations import daily_queue, queue_stats
from simhall.model.timetables import MIN_PER_DAY, SessionTimetable

__all__ = ["SESSION_ROLES", "busy_minutes", "offered_minutes", "ramp_minutes", "session_stations"]

SESSION_ROLES = {"signoff": "leader", "meeting": "director"}
"""Who holds each session kind: the resource ``<department>/<role>`` of its events."""

_COLUMNS = [
    "department",
    "station",
    "kind",
    "capacity",
    "open_min",
    "busy_min",
    "utilization",
    "mean_queue",
    "max_queue",
    "sent_home",
    "arrivals",
    "served",
    "work_min",
    "daily_queue",
    "replication",
]


def offered_minutes(
    timetable: SessionTimetable, calendar: WorkCalendar, lo: float, hi: float
) -> float:
    """Minutes offered by the sessions held in ``[lo, hi)``.

    Per session: the hall's open working minutes from its start to the earlier of its day's
    close and the next session held, at least ``timetable.session_min``.
    """
    times = np.asarray(timetable.times, dtype=np.float64)
    if not times.size:
        return 0.0
    nxt = np.append(times[1:], math.inf)
    keep = (times >= lo) & (times < hi)
    clock = calendar.clock()
    total = 0.0
    for t, n in zip(times[keep].tolist(), nxt[keep].tolist(), strict=True):
        sessions = calendar.opening(int(t // MIN_PER_DAY))
        close = (t // MIN_PER_DAY) * MIN_PER_DAY + max(b for _, b in sessions) if sessions else t
        left = clock.to_work(max(min(n, close), t)) - clock.to_work(t)
        total += max(float(left), timetable.session_min)
    return total


def _minutes(stamps: pd.Series, origin: pd.Timestamp) -> np.ndarray:
    if not len(stamps):
        return np.empty(0, dtype=np.float64)
    return np.asarray((stamps - origin).dt.total_seconds() / 60.0, dtype=np.float64)


RAMP_QUANTILE = 0.99
"""Share of a session's files that reach it within its ramp after their first ticket."""


def ramp_minutes(lag_min: np.ndarray) -> float:
    """Minutes from the end of the warm-up before a session's tray is measured.

    ``lag_min`` are its files' minutes from their case's first ticket to being ready for
    the session; the ramp is their :data:`RAMP_QUANTILE` (0 without files).
    """
    lag = lag_min[np.isfinite(lag_min)]
    if not lag.size:
        return 0.0
    return float(max(np.quantile(lag, RAMP_QUANTILE), 0.0))


def busy_minutes(timetable: SessionTimetable, start: np.ndarray, end: np.ndarray) -> float:
    """The leader's minutes on the files that started at ``start`` and were done at ``end``.

    Files taken at a session held: per session, from its start to its last file done. A
    file taken at its supervision cap (督办; its start is no session held): no session is
    convened for it, so only its ``per_file_min``.
    """
    held = np.isin(np.round(start * 60.0), np.round(np.asarray(timetable.times) * 60.0))
    spans = pd.Series(end[held]).groupby(start[held]).max()
    in_rounds = float((spans.to_numpy() - spans.index.to_numpy()).sum())
    return in_rounds + float(np.count_nonzero(~held)) * timetable.per_file_min


def session_stations(
    timetables: Mapping[tuple[str, str], SessionTimetable],
    events: pd.DataFrame,
    calendar: WorkCalendar,
    lo_period: float,
    hi: float,
    replication: int,
) -> pd.DataFrame:
    """Station rows of the sessions of one replication (module docstring).

    Parameters
    ----------
    timetables : mapping of (department id, "signoff" | "meeting") to SessionTimetable
        The compiled timetables the replication ran with (``CompiledHall.sessions``).
    events : pandas.DataFrame
        The replication's event log (:func:`simhall.model.records.event_frame`).
    calendar : WorkCalendar
        The hall's calendar (its start is the log's time origin).
    lo_period, hi : float
        The measured period in minutes (end of the warm-up, horizon); each session is
        measured from ``lo_period`` plus its ramp (:func:`ramp_minutes`), at most half the
        period (then without a queue trend).
    replication : int
        Written to the ``replication`` column.
    """
    if not timetables:
        return pd.DataFrame(columns=_COLUMNS)
    origin = pd.Timestamp(calendar.start)
    clock = calendar.clock()
    # one pass over the log: each event's resource and case as dense codes, its minutes, and
    # each case's first ready minute (per-session string tests and lookups through the case
    # ids cost seconds a hall-year)
    n = len(events)
    res_codes, res_names = (
        pd.factorize(events["resource"]) if n else (np.empty(0, np.int64), pd.Index([]))
    )
    res_code = {str(name): k for k, name in enumerate(res_names)}
    codes, _ = pd.factorize(events["case_id"]) if n else (np.empty(0, np.int64), None)
    ready_all = _minutes(events["ready"], origin)
    start_all = _minutes(events["start"], origin)
    end_all = _minutes(events["end"], origin)
    first_min = np.full(int(codes.max()) + 1 if len(codes) else 0, np.nan)
    np.fmin.at(first_min, codes, ready_all)
    rows = []
    for (dept, kind), tt in sorted(timetables.items()):
        at = res_codes == res_code.get(f"{dept}/{SESSION_ROLES[kind]}", -2)
        ready = ready_all[at]
        start = start_all[at]
        end = end_all[at]
        lag = ready - first_min[codes[at]]
        ramp = ramp_minutes(lag)
        settled = ramp <= (hi - lo_period) / 2.0
        lo = lo_period + min(ramp, (hi - lo_period) / 2.0)
        inside = (start >= lo) & (start < hi)
        busy = busy_minutes(tt, start[inside], end[inside])
        offered = offered_minutes(tt, calendar, lo, hi)
        queue = np.column_stack(
            (np.concatenate((ready, start)), np.repeat((1.0, -1.0), (ready.size, start.size)))
        ).reshape(-1, 2)
        mean_q, max_q = queue_stats(queue, clock, lo, hi)
        rows.append(
            {
                "department": dept,
                "station": kind,
                "kind": "session",
                "capacity": 1,
                "open_min": offered,
                "busy_min": busy,
                "utilization": busy / offered if offered > 0 else math.nan,
                "mean_queue": mean_q,
                "max_queue": max_q,
                "sent_home": 0,
                "arrivals": int(np.sum((ready >= lo) & (ready < hi))),
                "served": int(inside.sum()),
                "work_min": busy,
                "daily_queue": daily_queue(queue, clock, lo, hi) if settled else (),
                "replication": np.int64(replication),
            }
        )
    return pd.DataFrame(rows, columns=_COLUMNS)
