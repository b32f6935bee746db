"""Case tables: one row per case, and which cases were closed when the log was extracted.

A registry clerk files each application in one folder, however many desks it passed: the
folder shows when it came in, when it was accepted (受理), when it last moved and how many
working days that took. :func:`case_table` makes those folders from an event log, the same
way for the observed and the simulated log, so that both sides are measured alike;
:func:`infer_closed` guesses, for logs without a status, which folders were closed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd

from simhall.calendar import WorkCalendar
from simhall.logs.schema import REQUIRED_EVENT_COLUMNS

__all__ = ["case_table", "check_events", "closed_status", "event_times", "infer_closed"]


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


def infer_closed(
    events: pd.DataFrame,
    *,
    accept_activity: str = "accept",
    threshold: float = 0.9,
) -> pd.Series:
    """Guess which cases were closed when the log was extracted (no status in the log).

    Rule: order each case's events by day, then, within a day, by the activity's typical
    position in its item's cases (so that timestamps without a time of day do not reorder a
    day's steps), then by time. The k-th occurrence of an activity in a case (a file may pass
    the same courier twice) is *terminal* for an item when at least ``threshold`` of such
    occurrences are the last event of their case. A case is closed when it was accepted and
    its last event is terminal for its item: a case caught in the middle of its route at the
    extraction ends with a step that usually has successors.

    Parameters
    ----------
    events : pandas.DataFrame
        Event log.
    accept_activity : str
        The acceptance activity.
    threshold : float, default 0.9
        Share of occurrences that must be last for an occurrence to be terminal.

    Returns
    -------
    pandas.Series
        Bool per ``case_id`` (str index).
    """
    check_events(events)
    ev = pd.DataFrame(
        {
            "case_id": events["case_id"].astype("str").to_numpy(),
            "item_id": events["item_id"].astype("str").to_numpy(),
            "activity": events["activity"].astype("str").to_numpy(),
            "end": event_times(events, "end").to_numpy(),
        }
    ).dropna(subset=["end"])
    ev["day"] = ev["end"].dt.normalize()
    ev = ev.sort_values(["case_id", "day", "end"], kind="stable")
    pos = ev.groupby("case_id").cumcount()
    size = ev.groupby("case_id")["end"].transform("size")
    ev["rel"] = np.where(size > 1, pos / (size - 1).clip(lower=1), 1.0)
    ev["rank"] = ev.groupby(["item_id", "activity"])["rel"].transform("median")
    ev = ev.sort_values(["case_id", "day", "rank", "end"], kind="stable")
    last_mask = ~ev["case_id"].duplicated(keep="last").to_numpy()
    ev["is_last"] = last_mask
    ev["occ"] = ev.groupby(["case_id", "activity"]).cumcount()
    share = ev.groupby(["item_id", "activity", "occ"])["is_last"].mean()
    terminal = set(share[share >= threshold].index)
    last = ev[last_mask]
    is_term = [
        (i, a, k) in terminal for i, a, k in zip(last["item_id"], last["activity"], last["occ"])
    ]
    accepted = set(ev.loc[ev["activity"] == accept_activity, "case_id"])
    return pd.Series(
        np.asarray(is_term, dtype=bool) & last["case_id"].isin(accepted).to_numpy(),
        index=pd.Index(last["case_id"].to_numpy(), name="case_id"),
    )


def closed_status(
    closed: pd.Series | Mapping[str, bool] | Collection[str] | None,
    events: pd.DataFrame,
    accept_activity: str,
) -> tuple[pd.Series, str]:
    """Closed (bool per case id) from a status, a set of closed ids or the inference rule.

    Returns the status and a note for the report saying where it came from.
    """
    if closed is None:
        return infer_closed(events, accept_activity=accept_activity), (
            "observed cases open at the end of the log were identified by the rule of "
            "simhall.validation.infer_closed (last step not a terminal step of the item)"
        )
    if isinstance(closed, pd.Series):
        s = closed.astype(bool)
        s.index = s.index.astype("str")
        return s, "observed open cases: from the status given with the log"
    if isinstance(closed, Mapping):
        mapped = pd.Series({str(k): bool(v) for k, v in closed.items()}, dtype=bool)
        return mapped, "observed open cases: from the status given with the log"
    ids = {str(c) for c in closed}
    all_ids = pd.Index(events["case_id"].astype("str").unique())
    return pd.Series(all_ids.isin(list(ids)), index=all_ids), (
        "observed open cases: every case not in the given set of closed cases"
    )
