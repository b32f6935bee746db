"""How long each event took, in working minutes and in working days.

A stopwatch that only runs while the hall is open: a review started at 16:50 and finished
at 09:10 the next morning took 40 working minutes, not 16 hours. Where the log has start
times, an event's duration is start to end on the working clock; where it has completion
times only, the duration is the working time since the previous completion in the case
(or since the file was ready), which includes waiting, and the report says so. Delays are
measured in working days: from ready (else the duration) over the minutes of a working day,
or, in a log of dates only, the working days between completions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simhall.calibration.evidence import Evidence
from simhall.calibration.period import PeriodLog
from simhall.calibration.timebase import to_work, working_days_between
from simhall.calibration.workdays import HallCalendar

__all__ = ["Durations", "measure_durations", "previous_end"]


@dataclass(frozen=True)
class Durations:
    """Per-event durations of the period's events.

    Attributes
    ----------
    prev_end : numpy.ndarray
        Wall minutes of the previous completion in the same case (NaN for the first).
    work_min : numpy.ndarray
        Working minutes (start to end; estimated from completion gaps without starts).
    delay_days : numpy.ndarray
        Working days (ready to end, else the previous completion in the case to end, else
        the duration; whole days in a dates-only log).
    since_prev_days : numpy.ndarray
        Working days from the previous completion in the case to the event's ticket (ready,
        else start, else end): how long after the file's last step an applicant came back.
    evidence : Evidence
    """

    prev_end: np.ndarray
    work_min: np.ndarray
    delay_days: np.ndarray
    since_prev_days: np.ndarray
    evidence: Evidence


def previous_end(case: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Per event: the end of the case's previous completion (NaN for its first).

    Parameters
    ----------
    case : numpy.ndarray
        Case code per event.
    end : numpy.ndarray
        Completion per event.
    """
    n = len(end)
    order = np.lexsort((end, case))
    prev_end = np.full(n, np.nan)
    same = np.zeros(n, dtype=bool)
    same[1:] = case[order][1:] == case[order][:-1]
    pe = np.full(n, np.nan)
    pe[1:] = end[order][:-1]
    prev_end[order] = np.where(same, pe, np.nan)
    return prev_end


def measure_durations(period: PeriodLog, hall: HallCalendar) -> Durations:
    """Working minutes and working days of every event of the period.

    Parameters
    ----------
    period : PeriodLog
        The period's events.
    hall : HallCalendar
        Working clock and open minutes per day.

    Returns
    -------
    Durations
    """
    clock = hall.clock
    assumptions: list[str] = []
    end, start = period.end, period.start
    w_end, w_start, w_ready = (
        to_work(clock, end),
        to_work(clock, start),
        to_work(clock, period.ready),
    )
    prev_end = previous_end(period.case, end)
    w_prev = to_work(clock, prev_end)
    dur_work = np.where(np.isfinite(start), w_end - w_start, np.nan)
    if period.durations_estimated:
        dur_work = np.where(np.isfinite(w_ready), w_end - w_ready, w_end - w_prev)
        assumptions.append(
            "the log has no start times: durations are estimated as the working time since "
            "the previous completion in the case (or since ready), so they include waiting"
        )
    w_base = np.where(np.isfinite(w_ready), w_ready, w_prev)
    delay_days = np.where(np.isfinite(w_base), w_end - w_base, dur_work) / hall.day_min
    since_prev = np.maximum(to_work(clock, period.ticket) - w_prev, 0.0) / hall.day_min
    if period.low_precision:
        base = np.where(np.isfinite(prev_end), prev_end, end)
        delay_days = working_days_between(hall.calendar, base, end)
        assumptions.append(
            "most timestamps have no time of day: step durations are whole working days "
            "between completions; window service, hours and intraday profile are not estimated"
        )
    return Durations(
        prev_end=prev_end,
        work_min=dur_work,
        delay_days=delay_days,
        since_prev_days=since_prev,
        evidence=Evidence(assumptions=tuple(assumptions)),
    )
