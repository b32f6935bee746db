"""``simhall.calibration.staffing``: staff counted from distinct resources or overlaps."""

from __future__ import annotations

import numpy as np

from simhall.calibration.staffing import max_concurrent, staff_per_group


def test_distinct_resources_on_the_busiest_day() -> None:
    group = np.array([0, 0, 0, 0, 1, 1])
    resource = np.array([1, 2, 1, 1, -1, 3])
    time = np.array([600.0, 700.0, 800.0, 1440 + 600, 600.0, 2 * 1440 + 600])
    staff, days = staff_per_group(group, resource, time, 3)
    assert staff.tolist() == [2, 1, 0] and days.tolist() == [2, 1, 0]


def test_overlapping_intervals() -> None:
    start = np.array([0.0, 5.0, 10.0, np.nan])
    end = np.array([10.0, 15.0, 20.0, 30.0])
    assert max_concurrent(start, end) == 2  # at 10 one ends as the next starts
    assert max_concurrent(np.empty(0), np.empty(0)) == 0
