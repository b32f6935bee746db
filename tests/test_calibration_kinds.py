"""``simhall.calibration.kinds``: every event's kind, with the user's overrides."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from simhall.calibration.durations import measure_durations
from simhall.calibration.kinds import classify_events
from simhall.calibration.workdays import hall_calendar


def test_kinds_per_activity_and_event_with_overrides(
    period_of: Callable[..., tuple],
    case_log: Callable[..., pd.DataFrame],
    catalogue_of: Callable[..., pd.DataFrame],
) -> None:
    _, period = period_of(case_log(30), catalogue_of("A"))
    hall = hall_calendar(period, "weekends-only")
    durations = measure_durations(period, hall)
    kinds = classify_events(period, durations, day_min=hall.day_min)
    assert dict(zip(kinds.table["activity"], kinds.table["kind"])) == {
        "accept": "window",
        "review": "work",
    }
    assert kinds.events_of("window").sum() == 30 and kinds.route_events.sum() == 30
    assert kinds.evidence.assumptions == ()
    overridden = classify_events(
        period, durations, day_min=hall.day_min, overrides={"review": "delay", "nope": "work"}
    )
    assert list(overridden.by_activity) == ["window", "delay"]
    assert overridden.route_events.sum() == 30 and overridden.events_of("work").sum() == 0
    (note,) = overridden.evidence.assumptions
    assert note == "classification file names activities not in the log (ignored): nope"
