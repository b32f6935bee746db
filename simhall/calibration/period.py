"""The calibration period: which cases calibrate the hall, on the period's own clock.

A case belongs to the month in which its applicant first came to the counter, the way a
hospital counts admissions by the day of arrival however long the stay. The period is a
range of first-ticket dates (by default the whole log); every case whose first ticket falls
outside is left out with all its events, and the times of the rest are moved so that minute
0 is midnight of the period's first day, the simulator's own clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from simhall.calendar import MINUTES_PER_DAY
from simhall.calibration.events import EncodedLog
from simhall.calibration.evidence import Dropped, Evidence
from simhall.calibration.visits import Visits

__all__ = ["PeriodLog", "select_period", "to_date"]


def to_date(value: date | str | pd.Timestamp | None) -> date | None:
    """A date from a date, ISO text or timestamp (``None`` stays ``None``)."""
    if value is None:
        return None
    return pd.Timestamp(value).date()


@dataclass(frozen=True)
class PeriodLog:
    """The events of the cases of the calibration period.

    Times are wall minutes after midnight of :attr:`since`; case codes are ``0 ..
    n_cases-1`` in the order of the log's case codes.

    Attributes
    ----------
    since, until : datetime.date
        First and last first-ticket date (inclusive).
    n_days : int
        Calendar days of the period.
    case, item, activity, resource : numpy.ndarray
        int64 codes per event.
    end, start, ready, ticket : numpy.ndarray
        float64 wall minutes per event (``ticket``: ready, else start, else end).
    is_window, is_accept : numpy.ndarray
        Per event: a window visit (by behaviour, see :mod:`~simhall.calibration.visits`);
        acceptance.
    case_item, case_ticket, case_accept : numpy.ndarray
        Per case: item code, first ticket, acceptance.
    activities, resources : tuple of str
        Names by code.
    windows : dict
        Window activity -> why it is one.
    low_precision, durations_estimated : bool
        As for :class:`~simhall.calibration.events.EncodedLog`.
    evidence : Evidence
        Cases left out.
    """

    since: date
    until: date
    n_days: int
    case: np.ndarray
    item: np.ndarray
    activity: np.ndarray
    resource: np.ndarray
    end: np.ndarray
    start: np.ndarray
    ready: np.ndarray
    ticket: np.ndarray
    is_window: np.ndarray
    is_accept: np.ndarray
    case_item: np.ndarray
    case_ticket: np.ndarray
    case_accept: np.ndarray
    activities: tuple[str, ...]
    resources: tuple[str, ...]
    windows: dict[str, str]
    low_precision: bool
    durations_estimated: bool
    evidence: Evidence

    @property
    def n_events(self) -> int:
        """Events of the period's cases."""
        return len(self.end)

    @property
    def n_cases(self) -> int:
        """Cases of the period."""
        return len(self.case_item)

    @property
    def activity_frame(self) -> pd.DataFrame:
        """``activity, resource`` categoricals per event (names, NaN for no resource)."""
        return pd.DataFrame(
            {
                "activity": pd.Categorical.from_codes(
                    self.activity, categories=pd.Index(self.activities)
                ),
                "resource": pd.Categorical.from_codes(
                    self.resource, categories=pd.Index(self.resources)
                ),
            }
        )


def select_period(
    log: EncodedLog,
    visits: Visits,
    since: date | str | pd.Timestamp | None = None,
    until: date | str | pd.Timestamp | None = None,
) -> PeriodLog:
    """The cases whose first ticket falls from ``since`` to ``until``, on the period's clock.

    Parameters
    ----------
    log : EncodedLog
        The encoded log.
    visits : Visits
        Its window visits and tickets.
    since, until : date or str, optional
        First and last first-ticket date (default: the log's first and last).

    Returns
    -------
    PeriodLog

    Raises
    ------
    ValueError
        ``until`` before ``since``, or no case in the period.
    """
    ticket_day0 = np.floor(visits.case_ticket / MINUTES_PER_DAY)
    first_date = (log.origin + pd.Timedelta(days=float(np.nanmin(ticket_day0)))).date()
    last_date = (log.origin + pd.Timedelta(days=float(np.nanmax(ticket_day0)))).date()
    since_d = to_date(since) or first_date
    until_d = to_date(until) or last_date
    if until_d < since_d:
        raise ValueError(f"until ({until_d}) is before since ({since_d})")
    shift = (pd.Timestamp(since_d) - log.origin) / pd.Timedelta(minutes=1)
    case_ticket = visits.case_ticket - shift
    n_days = (until_d - since_d).days + 1
    in_period = (case_ticket >= 0) & (case_ticket < n_days * MINUTES_PER_DAY)
    dropped: list[Dropped] = []
    if not in_period.all():
        dropped.append(
            Dropped(
                "outside period",
                int((~in_period[log.case]).sum()),
                int((~in_period).sum()),
                "dropped",
                f"first visit before {since_d} or after {until_d}",
            )
        )
    keep = in_period[log.case]
    if not keep.any():
        raise ValueError(f"no case has its first visit between {since_d} and {until_d}")
    compact = np.cumsum(in_period) - 1  # the log's case code -> the period's
    return PeriodLog(
        since=since_d,
        until=until_d,
        n_days=n_days,
        case=compact[log.case[keep]],
        item=log.item[keep],
        activity=log.activity[keep],
        resource=log.resource[keep],
        end=(log.end - shift)[keep],
        start=(log.start - shift)[keep],
        ready=(log.ready - shift)[keep],
        ticket=(visits.ticket - shift)[keep],
        is_window=visits.is_window[keep],
        is_accept=visits.is_accept[keep],
        case_item=log.case_item[in_period],
        case_ticket=case_ticket[in_period],
        case_accept=(visits.case_accept - shift)[in_period],
        activities=log.activities,
        resources=log.resources,
        windows=visits.windows,
        low_precision=log.low_precision,
        durations_estimated=log.durations_estimated,
        evidence=Evidence(dropped=tuple(dropped)),
    )
