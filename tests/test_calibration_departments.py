"""``simhall.calibration.departments``: windows and pools of each department."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import pandas as pd

from simhall.calibration.departments import DEFAULT_WINDOWS, staff_pools, staff_windows
from simhall.calibration.durations import measure_durations
from simhall.calibration.kinds import classify_events
from simhall.calibration.resources import map_resources
from simhall.calibration.workdays import hall_calendar


def _stages(period_of: Callable[..., tuple], ev: pd.DataFrame, items: pd.DataFrame) -> tuple:
    catalogue, period = period_of(ev, items)
    hall = hall_calendar(period, "weekends-only")
    durations = measure_durations(period, hall)
    kinds = classify_events(period, durations, day_min=hall.day_min)
    return catalogue, period, durations, kinds, map_resources(period, catalogue)


def test_windows_and_pools_from_resources(
    period_of: Callable[..., tuple],
    case_log: Callable[..., pd.DataFrame],
    catalogue_of: Callable[..., pd.DataFrame],
) -> None:
    catalogue, period, durations, kinds, resources = _stages(
        period_of, case_log(80), catalogue_of("A")
    )
    windows = staff_windows(period, kinds, resources, catalogue)
    assert windows.by_dept["d"].windows == 1 and windows.by_dept["d"].days > 0
    pools = staff_pools(period, kinds, resources, durations, catalogue)
    assert list(pools.pools["d"]) == ["pool"]
    assert pools.keys == {(0, "pool"): 0} and pools.key_of(0) == (0, "pool")
    assert pools.key_of(-1) is None
    assert (pools.code[kinds.events_of("work")] == 0).all()
    assert (pools.code[~kinds.events_of("work")] == -1).all()
    assert pools.evidence.assumptions == ()


def test_completion_gaps_staff_a_pool_by_files_inside_at_once(
    period_of: Callable[..., tuple], catalogue_of: Callable[..., pd.DataFrame]
) -> None:
    """Twelve files accepted Monday morning and reviewed by one clerk over the week, logged
    with completion times only: the pool holds the twelve files at once, not one clerk."""
    mon = pd.Timestamp("2007-03-05 09:00")
    rows = []
    for k in range(12):
        rows.append((f"c{k}", "A", "accept", None, mon + pd.Timedelta(minutes=k)))
        done = mon + pd.Timedelta(hours=4 + 8 * k, minutes=13 * k)  # no fixed clock time
        rows.append((f"c{k}", "A", "review", "d/clerk/1", done))
    ev = pd.DataFrame(rows, columns=["case_id", "item_id", "activity", "resource", "end"])
    catalogue, period, durations, kinds, resources = _stages(period_of, ev, catalogue_of("A"))
    pools = staff_pools(period, kinds, resources, durations, catalogue)
    staff, _, method = pools.pools["d"]["clerk"]
    assert staff == 12 and method.startswith("max files inside the step at once (12;")
    assert pools.evidence.assumptions[0].startswith("1 pool(s) are staffed with the largest")
    windows = staff_windows(period, kinds, resources, catalogue)
    assert windows.by_dept["d"].method == "max concurrent window services (no resources)"
    no_windows = dataclasses.replace(kinds, by_event=np.full(len(kinds.by_event), "work"))
    nothing = staff_windows(period, no_windows, resources, catalogue)
    assert nothing.by_dept == {"d": DEFAULT_WINDOWS}
    assert nothing.evidence.assumptions == (
        "no window visits in the log: 1 window per department assumed",
    )
