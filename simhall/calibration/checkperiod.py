"""The self-check's period: the whole calibration period, or for a large log a sample of it.

An auditor handed a year of a busy office's receipts does not re-add every one: she picks a
few whole weeks in the middle of the year, lets the books run in for a fortnight before
them, and checks those weeks line by line against the same weeks of the ledger. The
self-check of :mod:`simhall.calibration.selfcheck` does the same for a large log: the
scenario is simulated over a sample of the period and compared with the same weeks of the
log, so that its cost stays bounded however long or busy the log is.

The rule (:func:`check_period`), stated in the fit table:

* scored are the cases whose first visit falls in the calibration period up to
  :data:`SCORE_MARGIN_DAYS` before its end (at most a third of it);
* when more than ``sample_cases`` (:data:`SAMPLE_CASES`) observed cases are scored, the
  check scores only the fewest whole weeks (Monday to Sunday, at least
  :data:`SAMPLE_MIN_WEEKS`) that hold that many cases at the period's mean weekly count,
  centred in the scoreable period; the simulation starts :data:`WARMUP_DAYS` before them (so
  that the hall is not empty when they begin) and keeps cases arriving
  :data:`TAIL_DAYS` after them (so that the last sampled files meet a hall as busy as the
  log's), neither scored; it then runs on, without arrivals, to the log's end;
* a period too short for a sample with its warm-up and tail is checked whole.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from simhall.validation.cases import event_times

__all__ = [
    "SAMPLE_CASES",
    "SAMPLE_MIN_WEEKS",
    "SCORE_MARGIN_DAYS",
    "TAIL_DAYS",
    "WARMUP_DAYS",
    "CheckPeriod",
    "check_period",
    "first_visits",
]

SCORE_MARGIN_DAYS = 30
"""Cases whose first visit falls in the last this many days of the period (at most a third
of it) are not scored: most of them are still open when the log ends, and which of them are
closed cannot be told the same way on both sides. The scored cases count as closed on both
sides when they have their last event by then."""
SAMPLE_CASES = 30_000
"""Above this many scored observed cases the self-check simulates a sample of whole weeks
holding about this many (per replication; the tolerances' standard errors are computed on
the sample, so a smaller sample only widens them)."""
SAMPLE_MIN_WEEKS = 2
"""A sample spans at least this many whole weeks (every weekday's sessions at least twice)."""
WARMUP_DAYS = 7
"""Days simulated before a sample, not scored: files already under way when it begins."""
TAIL_DAYS = 3
"""Days of arrivals simulated after a sample, not scored: the load its last files meet."""


@dataclass(frozen=True)
class CheckPeriod:
    """Which cases the self-check scores, and what it simulates around them.

    Attributes
    ----------
    start, end : datetime.date
        First and last day of the scored cases' first visits.
    warmup_days, tail_days : int
        Days simulated before ``start`` and, with arrivals, after ``end`` (not scored).
    sampled : bool
        Whether ``start .. end`` is a sample of the scoreable period.
    n_cases, n_period_cases : int
        Observed cases with a first visit in ``start .. end`` and in the scoreable period.
    period_start, period_end : datetime.date
        The scoreable period (the calibration period less the margin).
    """

    start: date
    end: date
    warmup_days: int
    tail_days: int
    sampled: bool
    n_cases: int
    n_period_cases: int
    period_start: date
    period_end: date

    @property
    def n_weeks(self) -> float:
        """Length of ``start .. end`` in weeks."""
        return ((self.end - self.start).days + 1) / 7.0

    def describe(self) -> str:
        """One sentence for the report and the terminal: what was simulated and scored."""
        if not self.sampled:
            return (
                f"the whole calibration period: first visits {self.start} to {self.end} "
                f"({self.n_cases} observed cases)"
            )
        return (
            f"a sample of the calibration period: first visits {self.start} to {self.end} "
            f"({self.n_weeks:.0f} whole weeks, {self.n_cases} of the {self.n_period_cases} "
            f"observed cases of {self.period_start} to {self.period_end}), compared with the "
            f"same weeks of the log; simulated from {self.warmup_days} days before it, with "
            f"arrivals until {self.tail_days} days after it (neither scored); rule: above "
            f"{SAMPLE_CASES} cases, the fewest whole weeks (at least {SAMPLE_MIN_WEEKS}) "
            "holding that many at the period's weekly mean, centred in the period"
        )


def first_visits(events: pd.DataFrame) -> pd.Series:
    """Per case id: the day of its earliest timestamp (ready, start or end), as validation
    dates a case (:func:`~simhall.validation.cases.case_table`)."""
    times = [event_times(events, c) for c in ("ready", "start", "end")]
    first = pd.concat(times, axis=1).min(axis=1)
    ids = events["case_id"].astype("str").to_numpy()
    return first.groupby(ids).min().dt.normalize()


def check_period(
    since: date, until: date, first: pd.Series, sample_cases: int = SAMPLE_CASES
) -> CheckPeriod:
    """The period the self-check scores (see the module docstring for the rule).

    Parameters
    ----------
    since, until : datetime.date
        The calibration period (first visits).
    first : pandas.Series
        Day of each observed case's first visit (:func:`first_visits`).
    sample_cases : int, default :data:`SAMPLE_CASES`
        Scored cases above which a sample is taken.

    Returns
    -------
    CheckPeriod
    """
    margin = min(SCORE_MARGIN_DAYS, (until - since).days // 3)
    p_start, p_end = since, until - timedelta(days=margin)
    whole = _count(first, p_start, p_end)
    span = (p_end - p_start).days + 1
    full = CheckPeriod(p_start, p_end, 0, 0, False, whole, whole, p_start, p_end)
    if whole <= sample_cases:
        return full
    per_week = whole / (span / 7.0)
    weeks = max(SAMPLE_MIN_WEEKS, math.ceil(sample_cases / per_week))
    room = span - WARMUP_DAYS - TAIL_DAYS - 7 * weeks
    # the first Monday from which the weeks, warm-up and tail fit, centred
    earliest = p_start + timedelta(days=WARMUP_DAYS)
    monday = earliest + timedelta(days=(-earliest.weekday()) % 7)
    room -= (monday - earliest).days
    if room < 0:
        return full
    start = monday + timedelta(days=7 * ((room // 2) // 7))
    end = start + timedelta(days=7 * weeks - 1)
    return CheckPeriod(
        start, end, WARMUP_DAYS, TAIL_DAYS, True, _count(first, start, end), whole, p_start, p_end
    )


def _count(first: pd.Series, start: date, end: date) -> int:
    return int(((first >= pd.Timestamp(start)) & (first <= pd.Timestamp(end))).sum())
