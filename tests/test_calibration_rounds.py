"""``simhall.calibration.rounds``: sign-off rounds found from bursts of back-to-back starts."""

from __future__ import annotations

from datetime import date

import numpy as np

from simhall.calendar import WorkCalendar
from simhall.calibration.rounds import estimate_round, round_pattern, round_starts
from simhall.scenario.schema import CalendarSpec

DAY = 1440.0
START = date(2024, 3, 4)  # a Monday
CAL = WorkCalendar(CalendarSpec(start=START, holidays="weekends-only"), 120)


def _rounds(skip: set[int], n_weeks: int = 12, per_file: float = 4.0):  # type: ignore[no-untyped-def]
    """A leader signing on Tuesday and Friday at 16:00, 5 files a round, back to back; the
    files were ready from 09:00 to 15:00 of the day; rounds on days in ``skip`` not held."""
    res, start, end, ready = [], [], [], []
    for week in range(n_weeks):
        for wd in (1, 4):
            d = 7 * week + wd
            if d in skip:
                continue
            t = d * DAY + 960.0
            for k in range(5):
                res.append(0)
                start.append(t)
                end.append(t + per_file)
                ready.append(d * DAY + 540.0 + 70.0 * k)
                t += per_file
    return tuple(np.asarray(x, dtype=float) for x in (res, start, end, ready))


def test_a_leaders_rounds_are_rounds() -> None:
    res, start, end, ready = _rounds(skip=set())
    found = round_pattern(res.astype(np.int64), start, end, ready)
    assert found.is_round and found.times_min == (960,)
    assert found.chain_share == 1.0 and found.ready_share == 1.0
    assert "bursts of back-to-back starts" in found.reason


def test_a_clerk_working_a_queue_is_not_a_round() -> None:
    """Files taken the moment they are ready, at any time of day."""
    rng = np.random.default_rng(1)
    ready = np.sort(rng.uniform(0, 60 * DAY, 400))
    ready = ready[(ready % DAY > 510) & (ready % DAY < 1000)]
    start = ready.copy()
    end = start + 20.0
    found = round_pattern(np.zeros(len(start), dtype=np.int64), start, end, ready)
    assert not found.is_round


def test_files_ready_during_the_round_break_the_pattern() -> None:
    res, start, end, ready = _rounds(skip=set())
    late = ready.copy()
    late[::2] = start[::2] + 30.0  # half the files were not yet there
    assert not round_pattern(res.astype(np.int64), start, end, late).is_round


def test_schedule_per_file_minutes_and_skips() -> None:
    skipped = {1, 15, 29, 32, 46, 60}  # 6 of 24 rounds
    res, start, end, _ = _rounds(skip=skipped, per_file=3.0)
    est = estimate_round(res.astype(np.int64), start, end, CAL)
    assert est.times_min == (960,) and est.weekdays == (1, 4)
    assert est.per_file_min == 3.0
    assert est.duration_min == 9.0  # files end 3, 6, 9, 12, 15 min after 16:00: mean 9
    # the first held round is day 4 (day 1 skipped): 23 scheduled days from there, 18 held
    assert est.skip_share == round(1 - 18 / 23, 3)
    assert est.pattern == "round" and est.on_holiday is None


def test_a_long_round_past_midnight_is_one_round() -> None:
    start = np.array([540.0 + 60.0 * k for k in range(20)])  # Monday 09:00, 20 h of files
    end = start + 60.0
    first = round_starts(np.zeros(20, dtype=np.int64), start, end)
    assert np.all(first == 540.0)
