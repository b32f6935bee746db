"""Sign-off rounds, office meetings and couriers: work that happens at fixed clock times.

A leader who signs files on Tuesday and Friday at 16:00 leaves a fingerprint in any case
log: whatever time a file reached the tray, it is completed at 16:00 on a Tuesday or a
Friday. The same is true of a courier leaving the hall at 10:00 and 15:00 every working day,
except that the file arrives ``travel`` minutes later. :func:`clock_concentration` finds
such fixed clock times (most completions within +-5 minutes of a few times), and
:func:`estimate_session` / :func:`estimate_courier` turn them into the scenario's
``signoff``/``meeting`` and ``courier`` tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simhall.calendar import MINUTES_PER_DAY, WorkCalendar

__all__ = [
    "CourierEstimate",
    "SessionEstimate",
    "clock_concentration",
    "estimate_courier",
    "estimate_session",
]

TOLERANCE_MIN = 5
"""Completions within this many minutes of a session time count as at that time."""
MAX_TIMES = 4
"""At most this many distinct clock times make a session pattern."""
MIN_COVERAGE = 0.8
"""Share of completions that must fall near the session times."""
MIN_TIME_SHARE = 0.05
"""A clock time needs at least this share of the events to be a session time."""


UNTIMED_LEAD_MIN = 1
"""A session known only from its completions starts this many minutes before them."""
MIN_DIRECTION = 5
"""Transfers each direction needs before a courier gets its own return departures."""


def clock_concentration(
    clock_min: np.ndarray, *, tol: int = TOLERANCE_MIN, max_times: int = MAX_TIMES
) -> tuple[tuple[int, ...], float]:
    """The few clock times most events happen at, and the share they cover.

    Parameters
    ----------
    clock_min : numpy.ndarray
        Minutes after midnight (finite values only are used).
    tol : int
        Half-width of the window around each time.
    max_times : int
        Most times returned.

    Returns
    -------
    times : tuple of int
        Sorted clock times (each the most frequent exact minute of its cluster).
    coverage : float
        Share of events within ``tol`` of one of ``times`` (0 for no events).
    """
    raw = np.asarray(clock_min, dtype=np.float64)
    x = np.round(raw[np.isfinite(raw)]).astype(np.int64) % MINUTES_PER_DAY
    n = len(x)
    if n == 0:
        return (), 0.0
    counts = np.bincount(x, minlength=MINUTES_PER_DAY).astype(np.float64)
    # circular-free window sums (sessions never straddle midnight)
    kernel = np.ones(2 * tol + 1)
    window = np.convolve(counts, kernel, mode="same")
    times: list[int] = []
    covered = np.zeros(MINUTES_PER_DAY, dtype=bool)
    for _ in range(max_times):
        w = np.where(covered, 0.0, window)
        centre = int(np.argmax(w))
        if w[centre] < MIN_TIME_SHARE * n:
            break
        lo, hi = max(centre - tol, 0), min(centre + tol + 1, MINUTES_PER_DAY)
        mode = lo + int(np.argmax(counts[lo:hi]))
        times.append(mode)
        covered[max(mode - tol, 0) : min(mode + tol + 1, MINUTES_PER_DAY)] = True
    coverage = float(counts[covered].sum() / n)
    return tuple(sorted(times)), coverage


def is_session_pattern(clock_min: np.ndarray) -> bool:
    """Whether at least :data:`MIN_COVERAGE` of the times lie near <= 4 clock times."""
    times, coverage = clock_concentration(clock_min)
    return bool(times) and coverage >= MIN_COVERAGE


@dataclass(frozen=True)
class SessionEstimate:
    """A recurring session found in the log.

    Parameters
    ----------
    times_min : tuple of int
        Clock times.
    weekdays : tuple of int
        Weekdays with sessions (Monday = 0).
    duration_min : float
        Median minutes from session start to completion.
    coverage : float
        Share of events near ``times_min``.
    n : int
        Events used.
    n_dates : int
        Distinct dates with a session.
    weekday_share : tuple of float
        Per weekday: share of its working days in the period with a session.
    skip_share : float
        Share of the scheduled sessions not held (rounds, see
        :mod:`~simhall.calibration.rounds`; 0 for sessions found from completion times).
    per_file_min : float
        Median minutes per file in a round (NaN when the session's files finish together).
    pattern : {"completions", "round"}
        How the session was found: completions at fixed clock times, or bursts of
        back-to-back starts after a clock time.
    on_holiday : {"next_working_day", "skip"} or None
        What happened to rounds that fell on holidays (None: no such day in the period).
    holiday_days : int
        Round days of the period that were holidays.
    offset_min, spacing_min : float
        Rounds: the line through the minutes from a round's start to its files' ends
        against their order in the round (a department's own files, interleaved with other
        departments' in a shared meeting): the k-th file ends ``offset_min + k *
        spacing_min`` after the start (0 for sessions whose files finish together).
    """

    times_min: tuple[int, ...]
    weekdays: tuple[int, ...]
    duration_min: float
    coverage: float
    n: int
    n_dates: int
    weekday_share: tuple[float, ...]
    skip_share: float = 0.0
    per_file_min: float = float("nan")
    pattern: str = "completions"
    on_holiday: str | None = None
    holiday_days: int = 0
    offset_min: float = 0.0
    spacing_min: float = 0.0


def session_weekdays(
    days: np.ndarray, calendar: WorkCalendar, candidates: range = range(7)
) -> tuple[tuple[int, ...], tuple[float, ...], np.ndarray, np.ndarray]:
    """The weekdays a recurring session is held on, from the day numbers it was seen on.

    A candidate weekday is a session weekday when the share of its working days (within the
    span from the first to the last day seen) that had a session is at least half that of the
    busiest weekday; Monday to Friday when none qualifies.

    Returns
    -------
    weekdays : tuple of int
        Session weekdays (0 = Monday).
    share : tuple of float
        Per weekday (Monday first), the share of its working days in the span with a session.
    span : numpy.ndarray
        Bool per calendar day: within the span of the days seen.
    weekday_of : numpy.ndarray
        The weekday of every calendar day.
    """
    weekday_of = (np.arange(calendar.n_days) + calendar.start.weekday()) % 7
    first, last = (int(days.min()), int(days.max())) if len(days) else (0, -1)
    span = np.zeros(calendar.n_days, dtype=bool)
    span[first : last + 1] = True
    share = []
    for wd in range(7):
        possible = int(np.sum(calendar.working & span & (weekday_of == wd)))
        held = int(np.sum(weekday_of[days] == wd))
        share.append(held / possible if possible else 0.0)
    top = max(share) if share else 0.0
    weekdays = tuple(wd for wd in candidates if top > 0 and share[wd] >= 0.5 * top)
    return (weekdays or tuple(range(5))), tuple(share), span, weekday_of


def estimate_session(start: np.ndarray, end: np.ndarray, calendar: WorkCalendar) -> SessionEstimate:
    """Clock times, weekdays and duration of a batch session.

    Parameters
    ----------
    start, end : numpy.ndarray
        Session start (NaN when the log has none: then ``end`` is used) and completion,
        wall minutes after the calendar's origin.
    calendar : WorkCalendar
        Working days of the period.

    Returns
    -------
    SessionEstimate
        A weekday is a session weekday when the share of its working days with a session
        is at least half that of the busiest weekday (sessions moved off holidays do not
        make a weekday).
    """
    t = np.where(np.isfinite(start), start, end)
    t = t[np.isfinite(t)]
    times, coverage = clock_concentration(t % MINUTES_PER_DAY)
    days = np.unique((t // MINUTES_PER_DAY).astype(np.int64))
    days = days[(days >= 0) & (days < calendar.n_days)]
    weekdays, share, _, _ = session_weekdays(days, calendar, candidates=range(5))
    dur = end - start
    dur = dur[np.isfinite(dur)]
    duration = float(np.round(np.median(dur))) if len(dur) else 0.0
    if not len(dur) and times:
        # completions only: the session began before its files came out, so a file that
        # a step before it finished at that very minute (another round at the same time)
        # waits for the next one, as it did in the log
        times = tuple(max(m - UNTIMED_LEAD_MIN, 0) for m in times)
        duration = float(UNTIMED_LEAD_MIN)
    return SessionEstimate(
        times_min=times,
        weekdays=weekdays,
        duration_min=max(duration, 0.0),
        coverage=coverage,
        n=len(t),
        n_dates=len(days),
        weekday_share=share,
    )


@dataclass(frozen=True)
class CourierEstimate:
    """A daily courier found in the log.

    Parameters
    ----------
    times_min : tuple of int
        Departure clock times.
    travel_min : float
        Median minutes from departure to arrival.
    coverage : float
        Share of departures near ``times_min``.
    n : int
        Transfers used.
    return_times_min : tuple of int, optional
        Departure clock times from the back office to the hall, when they differ from
        ``times_min`` (which are then the departures from the hall).
    """

    times_min: tuple[int, ...]
    travel_min: float
    coverage: float
    n: int
    return_times_min: tuple[int, ...] | None = None


def estimate_courier(
    start: np.ndarray, end: np.ndarray, to_hall: np.ndarray | None = None
) -> CourierEstimate:
    """Departure times and travel minutes of a courier.

    Parameters
    ----------
    start, end : numpy.ndarray
        Departure and arrival (wall minutes); without departures the arrival times are used
        as departures and travel is 0 (an assumption the report states).
    to_hall : numpy.ndarray of bool, optional
        Which transfers go back to the hall. When both directions have
        :data:`MIN_DIRECTION` transfers and their clock times differ, the courier gets
        its own return departures (out in the afternoon, back in the morning).

    Returns
    -------
    CourierEstimate
        Travel is the median of ``end - start`` rounded to the minute.
    """
    t = np.where(np.isfinite(start), start, end)
    ok = np.isfinite(t)
    times, coverage = clock_concentration(t[ok] % MINUTES_PER_DAY)
    travel = end - start
    travel = travel[np.isfinite(travel)]
    back_times = None
    if to_hall is not None:
        back, out = ok & to_hall, ok & ~to_hall
        if min(back.sum(), out.sum()) >= MIN_DIRECTION:
            t_out, c_out = clock_concentration(t[out] % MINUTES_PER_DAY)
            t_back, c_back = clock_concentration(t[back] % MINUTES_PER_DAY)
            if t_out and t_back and t_out != t_back:
                times, back_times = t_out, t_back
                coverage = (c_out * out.sum() + c_back * back.sum()) / ok.sum()
    return CourierEstimate(
        times_min=times,
        travel_min=float(np.round(np.median(travel))) if len(travel) else 0.0,
        coverage=coverage,
        n=int(ok.sum()),
        return_times_min=back_times,
    )
