"""``simhall.calibration.settings``: ``[run]`` days and drain days, standing assumptions."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from simhall.calibration.durations import measure_durations
from simhall.calibration.kinds import classify_events
from simhall.calibration.routes import find_routes
from simhall.calibration.settings import STANDING_ASSUMPTIONS, run_settings
from simhall.calibration.workdays import hall_calendar


def _settings(period_of: Callable[..., tuple], ev: pd.DataFrame, items: pd.DataFrame):  # type: ignore[no-untyped-def]
    catalogue, period = period_of(ev, items)
    hall = hall_calendar(period, "weekends-only")
    kinds = classify_events(period, measure_durations(period, hall), day_min=hall.day_min)
    return period, run_settings(period, find_routes(period, kinds, catalogue.n_items, min_share=0))


def test_drain_days_from_case_spans(
    period_of: Callable[..., tuple],
    case_log: Callable[..., pd.DataFrame],
    catalogue_of: Callable[..., pd.DataFrame],
) -> None:
    ev = case_log(40)
    period, short = _settings(period_of, ev, catalogue_of("A"))
    assert short.run_days == period.n_days and short.drain_days == 30  # same-day cases
    assert short.evidence.assumptions == STANDING_ASSUMPTIONS
    late = ev["activity"] == "review"
    ev.loc[late, "end"] = ev.loc[late, "end"] + pd.Timedelta(days=100)
    _, long = _settings(period_of, ev, catalogue_of("A"))
    assert long.drain_days == 151  # ceil(1.5 x the 99th percentile of spans, ~100.04 days)
    ev.loc[late, "end"] = ev.loc[late, "end"] + pd.Timedelta(days=900)
    _, longest = _settings(period_of, ev, catalogue_of("A"))
    assert longest.drain_days == 730
