"""Sign-off rounds and meetings as they look in real logs: bursts of starts after a clock time.

A leader sits down at 16:00 on Tuesdays and Fridays and signs the tray, one file after
another. In the log this is a *burst*: on a round day the leader's events of that activity
start at about the same clock time, follow each other back to back, and every file in the
burst was ready before the round began (files arriving during the round wait for the next
one). On some round days nothing happens at all (the leader is away: a skipped round).
This differs from a clerk working a queue, whose first job of the day starts whenever a
file comes in and who takes a file the moment it is ready if idle.

:func:`round_pattern` tests an activity's events for that signature, per resource and day;
:func:`estimate_round` reads the schedule off them: the clock time(s) of the first starts,
the weekdays, the minutes per file, the mean minutes from the round's start until a file is
done (the scenario's ``duration_min``) and the share of scheduled rounds that were skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simhall.calendar import MINUTES_PER_DAY, WorkCalendar
from simhall.calibration.sessions import (
    SessionEstimate,
    clock_concentration,
    session_weekdays,
)

__all__ = [
    "CHAIN_GAP_MIN",
    "MIN_ROUND_DAYS",
    "RoundPattern",
    "estimate_round",
    "round_pattern",
    "round_starts",
]

CHAIN_GAP_MIN = 1.0
"""Two events of a round follow each other back to back: the next starts within this many
minutes of the previous end."""
MIN_ROUND_DAYS = 10
"""Rounds (resource-days) an activity needs before it can be called a round."""
CHAIN_SHARE = 0.8
"""Share of round days whose events form one back-to-back chain."""
READY_SHARE = 0.9
"""Share of a round's files that were ready before the round began."""
FIRST_START_COVERAGE = 0.8
"""Share of the rounds' first starts within +-5 min of at most four clock times."""
MAX_SKIP_SHARE = 0.9
"""Largest skip share written (a schedule held on fewer days is not a schedule)."""


@dataclass(frozen=True)
class RoundPattern:
    """The evidence that an activity is done in rounds.

    Attributes
    ----------
    is_round : bool
        All tests passed.
    n_rounds : int
        Resource-days with events.
    chain_share, ready_share, coverage : float
        See :data:`CHAIN_SHARE`, :data:`READY_SHARE`, :data:`FIRST_START_COVERAGE`.
    times_min : tuple of int
        Clock times of the first starts.
    """

    is_round: bool
    n_rounds: int
    chain_share: float
    ready_share: float
    coverage: float
    times_min: tuple[int, ...]

    @property
    def reason(self) -> str:
        """The evidence in words."""
        times = ", ".join(f"{m // 60:02d}:{m % 60:02d}" for m in self.times_min)
        return (
            f"rounds: {self.n_rounds} bursts of back-to-back starts ({100 * self.chain_share:.0f}% "
            f"one chain), {100 * self.coverage:.0f}% beginning at {times} (+-5 min), "
            f"{100 * self.ready_share:.0f}% of the files ready before the round began"
        )


def round_starts(resource: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Per event: the start of its round, the first start of its chain of back-to-back
    events on the same resource (NaN for untimed events).

    A chain goes on across midnight (a long meeting), and ends where the resource is idle
    for more than :data:`CHAIN_GAP_MIN`.
    """
    out = np.full(len(start), np.nan)
    ok = np.flatnonzero(np.isfinite(start) & np.isfinite(end))
    if not len(ok):
        return out
    order = ok[np.lexsort((start[ok], resource[ok]))]
    r, s, e = resource[order], start[order], end[order]
    new = np.ones(len(order), dtype=bool)
    same = r[1:] == r[:-1]
    frame = pd.DataFrame({"r": r, "e": e})
    prev_end = frame.groupby("r", sort=False)["e"].cummax().to_numpy()
    new[1:] = ~same | (s[1:] > prev_end[:-1] + CHAIN_GAP_MIN)
    chain = np.cumsum(new) - 1
    out[order] = s[new][chain]
    return out


def _rounds(
    resource: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    ready: np.ndarray,
    first: np.ndarray | None = None,
) -> pd.DataFrame:
    """The timed events with their round's start and the round's day, chains per
    resource-day and the readiness test."""
    first = round_starts(resource, start, end) if first is None else first
    ok = np.isfinite(start) & np.isfinite(end) & np.isfinite(first)
    frame = pd.DataFrame(
        {
            "r": resource[ok],
            "first": first[ok],
            "day": np.floor(first[ok] / MINUTES_PER_DAY).astype(np.int64),
            "s": start[ok],
            "e": end[ok],
        }
    )
    frame["late"] = ready[ok] > frame["first"].to_numpy() + CHAIN_GAP_MIN
    return frame


def round_pattern(
    resource: np.ndarray, start: np.ndarray, end: np.ndarray, ready: np.ndarray
) -> RoundPattern:
    """Whether these events (one activity) are done in rounds.

    Parameters
    ----------
    resource : numpy.ndarray
        Resource code per event (-1: none; such events are one unnamed resource).
    start, end : numpy.ndarray
        Wall minutes.
    ready : numpy.ndarray
        When each file was ready for the step (the log's ``ready``, else the previous
        completion in the case; NaN unknown: counted as ready in time).

    Returns
    -------
    RoundPattern
    """
    none = RoundPattern(False, 0, 0.0, 0.0, 0.0, ())
    if not np.isfinite(start).any():
        return none
    frame = _rounds(resource, start, end, np.where(np.isfinite(ready), ready, -np.inf))
    per = frame.groupby(["r", "day"], sort=False).agg(
        n=("s", "size"), chains=("first", "nunique"), first=("first", "min")
    )
    n_rounds = len(per)
    if n_rounds < MIN_ROUND_DAYS:
        return RoundPattern(False, n_rounds, 0.0, 0.0, 0.0, ())
    multi = per["n"] > 1
    chain = float((per.loc[multi, "chains"] == 1).mean()) if multi.any() else 0.0
    ready_share = 1.0 - float(frame["late"].mean())
    times, coverage = clock_concentration(per["first"].to_numpy() % MINUTES_PER_DAY)
    ok = (
        multi.mean() >= 0.5
        and chain >= CHAIN_SHARE
        and ready_share >= READY_SHARE
        and coverage >= FIRST_START_COVERAGE
    )
    return RoundPattern(bool(ok), n_rounds, chain, ready_share, coverage, times)


def estimate_round(
    resource: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    calendar: WorkCalendar,
    first: np.ndarray | None = None,
) -> SessionEstimate:
    """The schedule of a round: clock times, weekdays, minutes per file, skip share.

    Parameters
    ----------
    resource : numpy.ndarray
        Resource code per event.
    start, end : numpy.ndarray
        Wall minutes after the calendar's origin.
    calendar : WorkCalendar
        Working days of the period.
    first : numpy.ndarray, optional
        Per event: its round's start (:func:`round_starts`), when the rounds were formed
        from more events than these (a director's meeting shared by departments, estimated
        for each department from its own files).

    Returns
    -------
    SessionEstimate
        ``duration_min`` is the mean minutes from the round's first start to a file's end
        (what the simulated session, which finishes its files together, must last);
        ``skip_share`` is the share of the working days on the round weekdays, within the
        span of the rounds, without a round (capped at :data:`MAX_SKIP_SHARE`).
    """
    frame = _rounds(resource, start, end, np.full(len(start), -np.inf), first)
    per = frame.groupby(["r", "day"], sort=False)["first"].min().reset_index()
    first = per["first"].to_numpy()
    times, coverage = clock_concentration(first % MINUTES_PER_DAY)
    days = np.unique(per["day"].to_numpy())
    days = days[(days >= 0) & (days < calendar.n_days)]
    weekdays, share, span, weekday_of = session_weekdays(days, calendar)
    working = calendar.working
    possible = int(np.sum(working & span & np.isin(weekday_of, weekdays)))
    held = int(np.sum(np.isin(weekday_of[days], weekdays)))
    skip = 1.0 - held / possible if possible else 0.0
    on_holiday, n_holidays = _on_holiday(days, weekdays, span, calendar, weekday_of)
    per_file = frame["e"] - frame["s"]
    offset = frame["e"] - frame["first"]
    line = _file_line(frame)
    return SessionEstimate(
        times_min=times,
        weekdays=weekdays,
        duration_min=float(np.round(max(float(offset.mean()), 0.0), 1)),
        coverage=coverage,
        n=len(frame),
        n_dates=len(days),
        weekday_share=share,
        skip_share=round(min(max(skip, 0.0), MAX_SKIP_SHARE), 3),
        per_file_min=float(np.round(float(per_file.median()), 2)),
        pattern="round",
        on_holiday=on_holiday,
        holiday_days=n_holidays,
        offset_min=line[0],
        spacing_min=line[1],
    )


def _file_line(frame: pd.DataFrame) -> tuple[float, float]:
    """``(offset, spacing)``: least squares of a file's minutes from its round's start to
    its end on its order k = 1, 2, ... in the round (offset >= 0, spacing >= 0)."""
    if frame.empty:
        return 0.0, 0.0
    f = frame.sort_values(["r", "first", "e"])
    k = f.groupby(["r", "first"], sort=False).cumcount().to_numpy(dtype=np.float64) + 1.0
    y = (f["e"] - f["first"]).to_numpy(dtype=np.float64)
    if np.ptp(k) == 0:
        return 0.0, float(np.round(max(float(np.mean(y)), 0.0), 2))
    spacing, offset = np.polyfit(k, y, 1)
    if offset < 0:  # through the origin
        offset, spacing = 0.0, float(np.sum(k * y) / np.sum(k * k))
    return float(np.round(offset, 1)), float(np.round(max(spacing, 0.0), 2))


def _on_holiday(
    days: np.ndarray,
    weekdays: tuple[int, ...],
    span: np.ndarray,
    calendar: WorkCalendar,
    weekday_of: np.ndarray,
) -> tuple[str | None, int]:
    """Whether rounds falling on holidays moved to the next working day or were skipped:
    ``"skip"`` unless a round was held on the working day after at least half of them."""
    working = calendar.working
    holiday = np.flatnonzero(span & ~working & np.isin(weekday_of, weekdays) & (weekday_of < 5))
    if not len(holiday):
        return None, 0
    held = set(days.tolist())
    moved = 0
    for d in holiday.tolist():
        nxt = d + 1
        while nxt < calendar.n_days and not working[nxt]:
            nxt += 1
        if nxt in held and weekday_of[nxt] not in weekdays:
            moved += 1
    return ("next_working_day" if moved >= 0.5 * len(holiday) else "skip"), len(holiday)
