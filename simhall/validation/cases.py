"""Case tables: one row per case, its start, acceptance, last event and duration.

A registry clerk files each application in one folder, however many desks it passed: the
folder shows when it came in, when it was accepted (受理), when it last moved and how many
working days that took. :func:`case_table` makes those folders from an event log, the same
way for the observed and the simulated log, so that both sides are measured alike. Which
folders were closed at extraction is :mod:`simhall.validation.closure`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simhall.calendar import WorkCalendar
from simhall.logs.schema import REQUIRED_EVENT_COLUMNS

__all__ = ["case_table", "check_events", "event_times"]


def check_events(events: pd.DataFrame, what: str = "event log") -> None:
    """Raise ValueError naming the columns validation needs that ``events`` lacks."""
    missing = [c for c in REQUIRED_EVENT_COLUMNS if c not in events.columns]
    if missing:
        raise ValueError(
            f"{what} lacks column(s) {', '.join(missing)} needed for validation; columns "
            f"found: {list(events.columns)}"
        )


def event_times(events: pd.DataFrame, column: str) -> pd.Series:
    """Timestamps of ``column`` (all NaT when the log has no such column)."""
    if column not in events.columns:
        return pd.Series(pd.NaT, index=events.index, dtype="datetime64[ns]")
    return pd.to_datetime(events[column]).astype("datetime64[ns]")


def case_table(
    events: pd.DataFrame,
    calendar: WorkCalendar,
    *,
    accept_activity: str = "accept",
) -> pd.DataFrame:
    """One row per case: start, acceptance, last event, working and calendar days.

    Parameters
    ----------
    events : pandas.DataFrame
        Event log (``case_id, item_id, activity, end``; ``ready``/``start`` optional).
    calendar : WorkCalendar
        Working days covering every date in the log.
    accept_activity : str
        The acceptance activity (受理).

    Returns
    -------
    pandas.DataFrame
        ``case_id, item_id, first, accepted, last, events, working_days, calendar_days``:
        ``first`` the earliest timestamp, ``accepted`` the end of the first acceptance
        (NaT if never accepted), ``last`` the latest ``end``; ``working_days`` working days
        after the acceptance day up to and including the day of ``last`` (NA if not
        accepted); ``calendar_days`` calendar days from the day of ``first`` to the day of
        ``last``.
    """
    check_events(events)
    ev = pd.DataFrame(
        {
            "case_id": events["case_id"].astype("str").to_numpy(),
            "item_id": events["item_id"].astype("str").to_numpy(),
            "activity": events["activity"].astype("str").to_numpy(),
            "end": event_times(events, "end").to_numpy(),
        }
    )
    stamps = pd.concat([event_times(events, c) for c in ("ready", "start", "end")], axis=1)
    ev["t0"] = stamps.min(axis=1).to_numpy()
    ev = ev[ev["end"].notna()]
    g = ev.groupby("case_id", sort=True)
    cases = pd.DataFrame(
        {
            "item_id": g["item_id"].first(),
            "first": g["t0"].min(),
            "last": g["end"].max(),
            "events": g.size(),
        }
    )
    acc = ev[ev["activity"] == accept_activity].groupby("case_id")["end"].min()
    cases["accepted"] = acc.reindex(cases.index)
    cases.index.name = "case_id"
    cases = cases.reset_index()
    day_first = _day_index(cases["first"], calendar)
    day_acc = _day_index(cases["accepted"], calendar)
    day_last = _day_index(cases["last"], calendar)
    ordinal = calendar.workday_ordinal
    ok = day_acc >= 0
    wd = np.zeros(len(cases), dtype=np.int64)
    wd[ok] = ordinal[day_last[ok]] - ordinal[day_acc[ok]]
    cases["working_days"] = pd.array(wd, dtype="Int64")
    cases.loc[~ok, "working_days"] = pd.NA
    cases["calendar_days"] = (day_last - day_first).astype(np.int64)
    return cases[
        [
            "case_id",
            "item_id",
            "first",
            "accepted",
            "last",
            "events",
            "working_days",
            "calendar_days",
        ]
    ]


def _day_index(times: pd.Series, calendar: WorkCalendar) -> np.ndarray:
    """Calendar day index of each timestamp (-1 for NaT); raises outside the calendar."""
    t = pd.to_datetime(times)
    origin = pd.Timestamp(calendar.start)
    days = ((t.dt.normalize() - origin) // pd.Timedelta(days=1)).to_numpy(
        dtype="float64", na_value=np.nan
    )
    out = np.where(np.isnan(days), -1, days).astype(np.int64)
    bad = (~np.isnan(days)) & ((days < 0) | (days >= calendar.n_days))
    if bad.any():
        raise ValueError(
            f"timestamp {t[bad].iloc[0]} lies outside the working-day calendar "
            f"{calendar.start} .. {calendar.date_of(calendar.n_days - 1)}"
        )
    return out
