"""Window visits, acceptance and each case's first ticket.

At the counter a case begins: the applicant draws a ticket, waits, is served, and either
the file is accepted (受理, the committed time limit starts) or the applicant is sent home
to complete it (补正) and comes back another day. :func:`find_visits` tells which
activities are window visits (:func:`~simhall.calibration.classify.window_activities`),
when each case's first ticket was drawn (the demand) and when it was accepted (the start of
its route). A log without the acceptance activity is still calibrated, with each case's
first event standing in for both, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simhall.calibration.classify import window_activities
from simhall.calibration.events import EncodedLog
from simhall.calibration.evidence import Dropped, Evidence

__all__ = ["Visits", "find_visits"]


@dataclass(frozen=True)
class Visits:
    """Window visits, tickets and acceptance in a log.

    Attributes
    ----------
    windows : dict
        Window activity -> why it is one.
    is_accept, is_window : numpy.ndarray
        Per event: acceptance; a window visit.
    ticket : numpy.ndarray
        Per event: when its ticket was drawn (ready, else start, else end).
    case_ticket : numpy.ndarray
        Per case: its first ticket (its first event's time if it has no window visit).
    case_accept : numpy.ndarray
        Per case: end of its first acceptance (NaN if never accepted; the first ticket when
        the log has no acceptance at all).
    has_acceptance : bool
        The log has the acceptance activity.
    evidence : Evidence
    """

    windows: dict[str, str]
    is_accept: np.ndarray
    is_window: np.ndarray
    ticket: np.ndarray
    case_ticket: np.ndarray
    case_accept: np.ndarray
    has_acceptance: bool
    evidence: Evidence


def find_visits(log: EncodedLog, accept_activity: str) -> Visits:
    """Window activities, first tickets and acceptance of every case.

    Parameters
    ----------
    log : EncodedLog
        The encoded log.
    accept_activity : str
        The acceptance activity (受理).

    Returns
    -------
    Visits
    """
    activities = log.activities
    end, start, ready = log.end, log.start, log.ready
    n_cases = log.n_cases
    assumptions: list[str] = []
    dropped: list[Dropped] = []
    is_acc = log.activity == (
        activities.index(accept_activity) if accept_activity in activities else -2
    )
    accept_end = np.full(n_cases, np.nan)
    if is_acc.any():
        np.fmin.at(accept_end, log.case[is_acc], end[is_acc])
    frame = pd.DataFrame(
        {
            "case": log.case,
            "activity": pd.Categorical.from_codes(log.activity, categories=pd.Index(activities)),
            "resource": pd.Categorical.from_codes(log.resource, categories=pd.Index(log.resources)),
            "end": end,
        }
    )
    windows = window_activities(frame, accept_activity, accept_end)
    if not is_acc.any():
        assumptions.append(
            f"the log has no acceptance activity {accept_activity!r}: each case's first event "
            "is taken as its acceptance and its ticket; window service, windows and "
            "corrections are not estimated (defaults)"
        )
    win_act = np.array([a in windows for a in activities], dtype=bool)
    is_win = win_act[log.activity] if len(activities) else np.zeros(len(end), dtype=bool)
    tick = np.where(np.isfinite(ready), ready, np.where(np.isfinite(start), start, end))
    case_ticket = np.full(n_cases, np.inf)
    np.minimum.at(case_ticket, log.case[is_win], tick[is_win])
    no_win = ~np.isfinite(case_ticket)
    if no_win.any():
        first_any = np.full(n_cases, np.inf)
        np.minimum.at(first_any, log.case, tick)
        case_ticket[no_win] = first_any[no_win]
        if is_acc.any():
            assumptions.append(
                f"{int(no_win.sum())} case(s) have no window visit: their first event is "
                "taken as the first visit"
            )
    no_accept = ~np.isfinite(accept_end)
    if is_acc.any() and no_accept.any():
        dropped.append(
            Dropped(
                "no acceptance",
                int(no_accept[log.case].sum()),
                int(no_accept.sum()),
                "kept",
                "cases never accepted: used for demand and corrections, not for routes",
            )
        )
    if not is_acc.any():
        accept_end = case_ticket.copy()
    return Visits(
        windows=windows,
        is_accept=is_acc,
        is_window=is_win,
        ticket=tick,
        case_ticket=case_ticket,
        case_accept=accept_end,
        has_acceptance=bool(is_acc.any()),
        evidence=Evidence(assumptions=tuple(assumptions), dropped=tuple(dropped)),
    )
