"""Every event's kind: window visit, staff work, session, transfer or delay.

The rules that tell an activity's kind from its events live in
:mod:`~simhall.calibration.classify`; this stage applies them to the period's log, with the
user's overrides, and hands every later stage the kind of each event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simhall.calibration.classify import DATE_ONLY_SHARE, classify_activities
from simhall.calibration.durations import Durations
from simhall.calibration.evidence import Evidence
from simhall.calibration.period import PeriodLog
from simhall.calibration.roles import ResourceRoles

__all__ = ["ROUTE_KINDS", "ActivityKinds", "classify_events"]

ROUTE_KINDS: tuple[str, ...] = ("work", "session", "delay", "visit")
"""Kinds of the steps of a route after acceptance."""


@dataclass(frozen=True)
class ActivityKinds:
    """The kind of every activity and event.

    Attributes
    ----------
    table : DataFrame
        ``activity, kind, n, reason, clock_times, coverage, date_only`` (see
        :func:`~simhall.calibration.classify.classify_activities`).
    by_activity : numpy.ndarray
        Kind per activity code (object array).
    by_event : numpy.ndarray
        Kind per event (object array).
    evidence : Evidence
    """

    table: pd.DataFrame
    by_activity: np.ndarray
    by_event: np.ndarray
    evidence: Evidence

    def events_of(self, kind: str) -> np.ndarray:
        """Boolean mask of the events of ``kind``."""
        return self.by_event == kind

    @property
    def route_events(self) -> np.ndarray:
        """Boolean mask of the events that are route steps (:data:`ROUTE_KINDS`)."""
        return np.isin(self.by_event, list(ROUTE_KINDS))


def classify_events(
    period: PeriodLog,
    durations: Durations,
    *,
    day_min: float,
    overrides: Mapping[str, str] | None = None,
    roles: ResourceRoles | None = None,
) -> ActivityKinds:
    """Classify the period's activities and give every event its kind.

    Parameters
    ----------
    period : PeriodLog
        The period's events (and its window activities).
    durations : Durations
        Working minutes per event.
    day_min : float
        Open minutes of a working day.
    overrides : mapping, optional
        Activity -> kind from :func:`~simhall.calibration.classify.read_classification`.
    roles : ResourceRoles, optional
        The resources' roles (windows, shared names), for visits after the decision, rounds
        and delays under shared names.

    Returns
    -------
    ActivityKinds
    """
    activities = period.activities
    frame = period.activity_frame.assign(
        start=period.start,
        end=period.end,
        dur_work=durations.work_min,
        ready=np.where(np.isfinite(period.ready), period.ready, durations.prev_end),
        after_accept=period.end > period.case_accept[period.case] + 1e-6,
    )
    if roles is not None:
        frame["role"] = roles.of_events(period.resource)
    table = classify_activities(
        frame,
        period.windows,
        day_min=day_min,
        low_precision=period.low_precision,
        overrides=dict(overrides) if overrides is not None else None,
    )
    assumptions: list[str] = []
    unknown = sorted(set(overrides or {}) - set(activities))
    if unknown:
        assumptions.append(
            "classification file names activities not in the log (ignored): " + ", ".join(unknown)
        )
    n_date_only = int(((table["date_only"] >= DATE_ONLY_SHARE) & (table["kind"] == "delay")).sum())
    if n_date_only and not period.low_precision:
        assumptions.append(
            f"{n_date_only} activit{'y has' if n_date_only == 1 else 'ies have'} at least "
            f"{100 * DATE_ONLY_SHARE:.0f}% of completions without a time of day: "
            "classified as delays in working days, never as sign-off/meeting sessions (from "
            "dates alone every completion is at 00:00); sessions are detected from timed "
            "completions only"
        )
    kind_of = dict(zip(table["activity"], table["kind"]))
    by_activity = np.array([kind_of.get(a, "work") for a in activities], dtype=object)
    by_event = by_activity[period.activity] if len(activities) else np.empty(0, dtype=object)
    return ActivityKinds(
        table=table,
        by_activity=by_activity,
        by_event=by_event,
        evidence=Evidence(assumptions=tuple(assumptions)),
    )
