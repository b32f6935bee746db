"""``simhall.calibration.hours``: opening hours and the lunch break from ticket times."""

from __future__ import annotations

import numpy as np

from simhall.calibration.hours import detect_hours


def test_hours_detection() -> None:
    rng = np.random.default_rng(5)
    morning = rng.uniform(9 * 60, 12 * 60, 3000)
    afternoon = rng.uniform(13 * 60 + 30, 17 * 60, 3000)
    clock = np.concatenate([morning, afternoon])
    weekday = rng.integers(0, 5, len(clock))
    hours = detect_hours(clock, weekday)
    assert hours.opening == ((540, 720), (810, 1020))
    few = detect_hours(clock[:10], weekday[:10])
    assert not few.estimated and "default" in few.notes[0]
