"""The case log as numbers: one code per case, item, activity and resource, times in minutes.

A clerk who has to count a year's register first copies it onto squared paper: every case,
item, activity and clerk gets a number, every timestamp becomes minutes after midnight of
the first day. :func:`encode_log` does that for a whole log at once (numpy arrays, no
Python loop per event), after leaving out the rows nothing can be learned from (no end
time, an item the catalogue does not know), each counted in the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simhall.calendar import MINUTES_PER_DAY
from simhall.calibration.catalogue import Catalogue
from simhall.calibration.evidence import Dropped, Evidence
from simhall.calibration.timebase import minutes
from simhall.logs.schema import REQUIRED_EVENT_COLUMNS, canonicalize_events

__all__ = ["EncodedLog", "encode_log"]

LOW_PRECISION_SHARE = 0.5
"""A log with more than this share of completions at exactly midnight has dates only."""


@dataclass(frozen=True)
class EncodedLog:
    """The usable events of a log as codes and minutes.

    Per-event arrays (one value per usable event, in log order) and per-case arrays (one
    value per case code). Times are wall minutes after midnight of the day of the earliest
    completion (:attr:`origin`); NaN where the log has no such time.

    Attributes
    ----------
    case, item, activity, resource : numpy.ndarray
        int64 codes per event (``resource`` -1 when the event names none).
    end, start, ready : numpy.ndarray
        float64 wall minutes per event.
    activities, resources : tuple of str
        Names by code.
    case_item : numpy.ndarray
        int64 item code per case (the item of its first event).
    origin : pandas.Timestamp
        Midnight of minute 0.
    n_read : int
        Events read, before any was left out.
    low_precision : bool
        Most completions carry no time of day.
    durations_estimated : bool
        The log has no start times.
    evidence : Evidence
        Rows left out.
    """

    case: np.ndarray
    item: np.ndarray
    activity: np.ndarray
    resource: np.ndarray
    end: np.ndarray
    start: np.ndarray
    ready: np.ndarray
    activities: tuple[str, ...]
    resources: tuple[str, ...]
    case_item: np.ndarray
    origin: pd.Timestamp
    n_read: int
    low_precision: bool
    durations_estimated: bool
    evidence: Evidence

    @property
    def n_cases(self) -> int:
        """Number of case codes."""
        return len(self.case_item)


def encode_log(events: pd.DataFrame, catalogue: Catalogue) -> EncodedLog:
    """Codes and minutes for the usable events of ``events``.

    Parameters
    ----------
    events : DataFrame
        Event log in the case-log schema (``case_id, item_id, activity, end`` required;
        ``resource, ready, start`` optional; other columns are ignored).
    catalogue : Catalogue
        Items of the hall.

    Returns
    -------
    EncodedLog

    Raises
    ------
    ValueError
        When no event has both an end time and a known item.
    """
    keep = [*REQUIRED_EVENT_COLUMNS] + [
        c for c in ("resource", "ready", "start") if c in events.columns
    ]
    ev = canonicalize_events(events[keep])
    n_read = len(ev)
    dropped: list[Dropped] = []
    no_end = ev["end"].isna().to_numpy()
    if no_end.any():
        dropped.append(Dropped("missing end", int(no_end.sum()), 0, "dropped", "no end time"))
    icode = (
        ev["item_id"]
        .astype("object")
        .map(catalogue.item_code)
        .to_numpy(dtype=np.float64, na_value=np.nan)
    )
    unknown = np.isnan(icode)
    if unknown.any():
        names = sorted(set(ev["item_id"].astype("object")[unknown].astype(str)))
        dropped.append(
            Dropped(
                "unknown item",
                int(unknown.sum()),
                int(ev["case_id"][unknown].nunique()),
                "dropped",
                f"{len(names)} item id(s) not in the catalogue: " + ", ".join(names[:10]),
            )
        )
    good = ~(no_end | unknown)
    if len(ev) == 0:
        raise ValueError("no usable events: the log has no events (column names but no rows)")
    if not good.any():
        raise ValueError("no usable events: every event lacks an end time or has an unknown item")
    ev = ev[good]
    item = icode[good].astype(np.int64)
    case, case_uniques = pd.factorize(ev["case_id"], sort=False)
    act_codes, act_uniques = pd.factorize(ev["activity"].astype("object"), sort=False)
    res_cat = ev["resource"].astype("category")
    origin = pd.Timestamp(ev["end"].min()).normalize()
    end = minutes(ev["end"], origin)
    start = minutes(ev["start"], origin)
    # per-case item: the first event's item
    case_item = np.zeros(len(case_uniques), dtype=np.int64)
    case_item[case[::-1]] = item[::-1]
    return EncodedLog(
        case=case,
        item=item,
        activity=act_codes,
        resource=res_cat.cat.codes.to_numpy().astype(np.int64),
        end=end,
        start=start,
        ready=minutes(ev["ready"], origin),
        activities=tuple(str(a) for a in act_uniques),
        resources=tuple(str(r) for r in res_cat.cat.categories),
        case_item=case_item,
        origin=origin,
        n_read=n_read,
        low_precision=bool(np.mean(np.mod(end, MINUTES_PER_DAY) == 0) > LOW_PRECISION_SHARE),
        durations_estimated=bool(np.isnan(start).all()),
        evidence=Evidence(dropped=tuple(dropped)),
    )
