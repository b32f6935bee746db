"""Returns for correction (补正): how often the window sends an applicant home, and for how long.

At the counter the clerk checks the materials; when something is missing the applicant
leaves with a list (一次性告知) and comes back another day. The share of window visits that
do not end in acceptance is the return-for-correction probability per visit, and the
working days from such a visit to the applicant's next ticket is the return delay.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simhall.calendar import WorkCalendar
from simhall.calibration.kinds import ActivityKinds
from simhall.calibration.period import PeriodLog
from simhall.calibration.timebase import working_days_between

__all__ = ["Corrections", "estimate_corrections", "find_corrections"]


def estimate_corrections(
    case: np.ndarray,
    item: np.ndarray,
    is_accept: np.ndarray,
    ticket: np.ndarray,
    start: np.ndarray,
    calendar: WorkCalendar,
    n_items: int,
) -> tuple[pd.DataFrame, dict[int, np.ndarray]]:
    """Return-for-correction probability per visit and return delays, per item.

    Parameters
    ----------
    case, item : numpy.ndarray
        Codes of the window visits.
    is_accept : numpy.ndarray
        Whether each visit ended in acceptance.
    ticket : numpy.ndarray
        Ticket time of each visit (ready, else start, else end).
    start : numpy.ndarray
        Service start of each visit (ticket when missing).
    calendar : WorkCalendar
        For working-day counts.
    n_items : int
        Number of items.

    Returns
    -------
    table : DataFrame
        ``item, visits, corrections, incomplete_prob``.
    delays : dict
        Item code -> working days from a correction visit's day to the next visit's day.
    """
    visits = np.bincount(item, minlength=n_items)
    corr = np.bincount(item[~is_accept], minlength=n_items)
    table = pd.DataFrame(
        {
            "item": np.arange(n_items),
            "visits": visits,
            "corrections": corr,
            "incomplete_prob": np.where(visits > 0, corr / np.maximum(visits, 1), 0.0),
        }
    )
    order = np.lexsort((ticket, case))
    c, it, acc = case[order], item[order], is_accept[order]
    s = np.where(np.isfinite(start), start, ticket)[order]
    tk = ticket[order]
    nxt = np.zeros(len(c), dtype=bool)
    nxt[:-1] = (c[1:] == c[:-1]) & ~acc[:-1]
    idx = np.flatnonzero(nxt)
    days = working_days_between(calendar, s[idx], tk[idx + 1])
    delays: dict[int, np.ndarray] = {}
    its = it[idx]
    for i in np.unique(its):
        delays[int(i)] = days[its == i]
    return table, delays


@dataclass(frozen=True)
class Corrections:
    """Returns for correction per item.

    Attributes
    ----------
    table : DataFrame
        ``item, visits, corrections, incomplete_prob`` (item codes).
    delays : dict
        Item code -> working days from each correction visit to the next visit.
    """

    table: pd.DataFrame
    delays: dict[int, np.ndarray]


def find_corrections(
    period: PeriodLog, kinds: ActivityKinds, calendar: WorkCalendar, n_items: int
) -> Corrections:
    """Returns for correction from the period's window visits.

    Parameters
    ----------
    period : PeriodLog
        The period's events.
    kinds : ActivityKinds
        Which events are window visits.
    calendar : WorkCalendar
        Working days.
    n_items : int
        Items of the catalogue.

    Returns
    -------
    Corrections
        No visits and no corrections when the log has no window visits or no acceptance.
    """
    is_win = kinds.events_of("window")
    if not (is_win.any() and period.is_accept.any()):
        table = pd.DataFrame(
            {
                "item": np.arange(n_items),
                "visits": 0,
                "corrections": 0,
                "incomplete_prob": 0.0,
            }
        )
        return Corrections(table, {})
    table, delays = estimate_corrections(
        period.case[is_win],
        period.item[is_win],
        period.is_accept[is_win],
        period.ticket[is_win],
        period.start[is_win],
        calendar,
        n_items,
    )
    return Corrections(table, delays)
