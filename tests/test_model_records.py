"""``simhall.model.records``: case files, the warm-up filter and the statistics behind the
case and station tables, on hand-made records."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from simhall.calendar import WorkCalendar, WorkClock
from simhall.distributions import Fixed
from simhall.model.records import (
    CaseFile,
    Recorder,
    case_ids,
    categorical,
    daily_queue,
    queue_stats,
    timestamps,
    traffic,
    working_days_suspended,
)
from simhall.model.stations import queue_trace
from simhall.queueing import round_the_clock
from simhall.scenario.schema import DelayStep, WorkStep
from tests.helpers import at, calendar, department, item, model, play, scenario

MON, TUE, WED, THU, FRI = (date(2007, 9, d) for d in (24, 25, 26, 27, 28))


def _file(arrival: float, accept: float = math.nan) -> CaseFile:
    f = CaseFile(arrival)
    f.accept = accept
    f.log += (0, 0, 1, arrival, arrival, arrival + 5.0)
    return f


def test_recorder_leaves_out_cases_of_the_warmup() -> None:
    rec = Recorder(warmup_min=1440.0)
    rec.keep(0, 0, _file(100.0, accept=1000.0))  # accepted in the warm-up: left out
    rec.keep(1, 0, _file(500.0, accept=2000.0))  # arrived in it, accepted after: kept
    rec.keep(2, 0, _file(1000.0))  # never accepted, arrived in the warm-up: left out
    rec.keep(3, 0, _file(1500.0))  # never accepted, arrived after: kept
    assert [c[0] for c in rec.cases] == [1, 3]
    assert [e[0] for e in rec.events] == [1, 3]
    assert rec.events[0] == (1, 0, 0, 1, 500.0, 500.0, 505.0)
    case, item, arrival, accept, done, visits, status, suspended = rec.cases[1]
    assert (case, item, arrival, visits, status, suspended) == (3, 0, 1500.0, 0, "not_accepted", ())
    assert math.isnan(accept) and math.isnan(done)


def test_suspended_spells_are_merged_before_counting_working_days() -> None:
    cal = WorkCalendar(calendar(), 10)
    spells = [
        (at(MON, 9, 0), at(WED, 9, 0)),
        (at(TUE, 9, 0), at(THU, 9, 0)),  # overlaps the first: Mon..Thu is 3 days, not 2 + 2
        (at(FRI, 10, 0), at(FRI, 11, 0)),  # within one day: 0
    ]
    assert working_days_suspended(spells, cal) == 3
    assert working_days_suspended([], cal) == 0


@pytest.fixture(scope="module")
def clock_24h() -> WorkClock:
    spec = round_the_clock(date(2007, 3, 5), 3)
    return WorkCalendar(spec, 3).clock()


def test_queue_stats_time_average_and_maximum(clock_24h: WorkClock) -> None:
    # level 1 on [0, 10), 2 on [10, 20), 1 on [20, 30), 0 on [30, 40]: area 40 over 40
    events = [(0.0, 1), (10.0, 1), (20.0, -1), (30.0, -1)]
    assert queue_stats(events, clock_24h, 0.0, 40.0) == (1.0, 2)
    # only [15, 25] observed: 2 x 5 + 1 x 5 over 10 minutes
    assert queue_stats(events, clock_24h, 15.0, 25.0)[0] == pytest.approx(1.5)
    assert queue_stats([], clock_24h, 0.0, 40.0) == (0.0, 0)


def test_queue_stats_counts_joins_before_leaves_at_equal_times(clock_24h: WorkClock) -> None:
    # one leaves at 5 as the next joins: for an instant both are counted
    events = [(5.0, -1), (0.0, 1), (5.0, 1), (10.0, -1)]
    mean, top = queue_stats(events, clock_24h, 0.0, 10.0)
    assert (mean, top) == (1.0, 2)


def test_case_ids_and_categoricals() -> None:
    ids = case_ids(np.array([12, 3, 12]))
    assert list(ids) == ["c0000012", "c0000003", "c0000012"]
    assert list(ids.categories) == ["c0000003", "c0000012"] and ids.ordered
    cat = categorical(np.array([2, 0, -1]), ["z", "a", "m"])
    assert list(cat.categories) == ["m", "z"]  # used names only, sorted
    assert cat[0] == "m" and cat[1] == "z" and pd.isna(cat[2])


def _formatted_ids(numbers: list[int]) -> pd.Categorical:
    labels = [f"c{n:07d}" for n in numbers]
    return pd.Categorical(labels, categories=sorted(set(labels)), ordered=True)


@pytest.mark.parametrize(
    "numbers", [[1, 1, 2, 5, 5, 5, 9], [9, 1, 5, 1, 2], [4], [], [3, 12_345_678, 12_345_678]]
)
def test_case_ids_in_order_or_not_are_the_formatted_ids(numbers: list[int]) -> None:
    # numbers already in order take the path without a hash table; the others factorize
    got = case_ids(np.array(numbers, dtype=np.int64))
    expected = _formatted_ids(numbers)
    assert list(got) == list(expected) and got.ordered
    assert list(got.categories) == list(expected.categories)


def test_case_ids_look_up_known_ids_for_all_or_some_cases() -> None:
    table = case_ids(np.array([2, 3, 7, 11]))
    known = (np.array([2, 3, 7, 11]), table.categories)
    every = case_ids(np.array([2, 2, 3, 7, 11, 11]), known)
    assert every.categories is table.categories  # the case table's own categories
    assert list(every) == [f"c{n:07d}" for n in (2, 2, 3, 7, 11, 11)]
    some = case_ids(np.array([3, 3, 11]), known)
    assert list(some.categories) == ["c0000003", "c0000011"]
    assert list(some) == ["c0000003", "c0000003", "c0000011"]
    stranger = case_ids(np.array([5]), known)  # not in the table: formatted
    assert list(stranger) == ["c0000005"]


def test_categorical_of_missing_or_no_codes() -> None:
    none_used = categorical(np.array([-1, -1]), ["b", "a"])
    assert len(none_used.categories) == 0 and none_used.isna().all()
    empty = categorical(np.array([], dtype=np.int64), ["b", "a"])
    assert len(empty) == 0 and len(empty.categories) == 0
    cat = categorical(np.array([1, 1, 3]), ["d", "c", "b", "a"])
    assert list(cat.categories) == ["a", "c"] and list(cat) == ["c", "c", "a"]


def test_timestamps_round_to_the_second_and_keep_nan_missing() -> None:
    cal = WorkCalendar(calendar(), 3)
    got = timestamps(cal, np.array([0.0, 90.5 + 0.004 / 60, math.nan, math.inf, -30.25]))
    assert got.dtype == "datetime64[ns]"
    assert got[0] == pd.Timestamp("2007-09-24 00:00:00")
    assert got[1] == pd.Timestamp("2007-09-24 01:30:30")
    assert pd.isna(got[2]) and pd.isna(got[3])
    assert got[4] == pd.Timestamp("2007-09-23 23:29:45")  # before the start: the day before


def test_daily_queue_is_the_time_average_of_each_day(clock_24h: WorkClock) -> None:
    # day 0: 1 job for 12 h, then 2; day 1: 1 all day; day 2: 1 for 12 h, then none
    events = [(0.0, 1), (720.0, 1), (1440.0, -1), (2880.0 + 720.0, -1)]
    assert daily_queue(events, clock_24h, 0.0, 3 * 1440.0) == (1.5, 1.0, 0.5)
    # the days' averages weighted by their open time give the run's time average
    assert queue_stats(events, clock_24h, 0.0, 3 * 1440.0)[0] == pytest.approx(1.0)
    assert daily_queue([], clock_24h, 0.0, 2 * 1440.0) == (0.0, 0.0)


def test_a_queue_trace_made_once_gives_the_same_statistics(clock_24h: WorkClock) -> None:
    events = [(0.0, 1), (720.0, 1), (1440.0, -1), (1440.0, 1), (2880.0 + 720.0, -1)]
    lo, hi = 100.0, 3 * 1440.0 - 50.0
    trace = queue_trace(events, clock_24h, lo, hi)
    assert queue_stats(trace, clock_24h, lo, hi) == queue_stats(events, clock_24h, lo, hi)
    assert daily_queue(trace, clock_24h, lo, hi) == daily_queue(events, clock_24h, lo, hi)
    assert queue_trace([], clock_24h, lo, hi) is None
    assert queue_stats(None, clock_24h, lo, hi) == (0.0, 0)


def test_traffic_counts_an_applicant_sent_home_once(clock_24h: WorkClock) -> None:
    """Two applicants: one served at once, one sent home at the close and served the next
    day. Three joins, three leaves, two services: two arrivals."""
    events = [(0.0, 1), (5.0, -1), (10.0, 1), (30.0, -1), (1500.0, 1), (1500.0, -1)]
    busy = [(5.0, 15.0), (1500.0, 1512.0)]
    assert traffic("window", events, busy, clock_24h, 0.0, 3 * 1440.0) == (2, 2, 22.0)
    # a back-office pool: joins are arrivals; only services started in [lo, hi) count
    pool_events = [(0.0, 1), (0.0, -1), (100.0, 1), (100.0, -1), (200.0, 1)]
    assert traffic("pool", pool_events, [(0.0, 50.0), (100.0, 130.0)], clock_24h, 50.0, 300.0)[
        :2
    ] == (2, 1)


def _stuck_hall(route: tuple[object, ...]):  # type: ignore[no-untyped-def]
    scn = scenario(
        [item("a", service=10.0, route=route, committed_days=3)],  # type: ignore[arg-type]
        [department("d", staff=1)],
    )
    # Mon 09-24 to Mon 10-01 (8 days): Sat 29 and Sun 30 are make-up working days, Oct 1 is
    # the National Day holiday; the run stops at the end of Oct 1
    return play(model(scn, days=5, drain_days=3), [(at(MON, 9, 0), 0), (at(MON, 9, 5), 0)])


def test_an_open_case_counts_its_working_days_up_to_the_stop() -> None:
    """3,000 minutes of review cannot end within the run: both cases are open, with the
    working days from Monday's acceptance to the stop (Tue..Sun: 6) counted."""
    m = _stuck_hall((WorkStep("review", "d", "section", Fixed(value=3000.0)),))
    cases = m.case_frame()
    assert list(cases["status"]) == ["in_progress", "in_progress"]
    assert list(cases["censored_days"]) == [6, 6]
    assert cases["counted_days"].isna().all()


def test_an_open_case_of_an_item_with_a_non_counting_step_counts_to_its_last_activity() -> None:
    """The item has a non-counting step (public notice), which the case might be in when the
    run stops: its days are counted to its last recorded activity (acceptance: 0 days)."""
    m = _stuck_hall(
        (
            WorkStep("review", "d", "section", Fixed(value=3000.0)),
            DelayStep("notice", "d", Fixed(value=1.0), counts=False),
        )
    )
    assert list(m.case_frame()["censored_days"]) == [0, 0]


def test_a_completed_case_has_no_censored_days() -> None:
    m = _stuck_hall((WorkStep("review", "d", "section", Fixed(value=30.0)),))
    cases = m.case_frame()
    assert (cases["status"] == "completed").all() and cases["censored_days"].isna().all()


@pytest.mark.parametrize("seed", range(6))
def test_case_order_is_the_lexsort_of_case_start_end(seed: int) -> None:
    from simhall.model.records import case_order

    rng = np.random.default_rng(seed)
    n = 400
    number = rng.integers(0, 40, n)
    start = rng.integers(0, 6, n).astype(float)  # many ties
    end = start + rng.integers(0, 3, n)
    if seed % 2:  # cases whose lines are already in time order (the shortcut's case)
        key = np.lexsort((end, start))
        number, start, end = number[key], start[key], end[key]
    if seed == 4:
        start[7] = np.nan
    expected = np.lexsort((end, start, number))
    assert np.array_equal(case_order(number, start, end), expected)


def test_case_labels_match_the_id_format() -> None:
    from simhall.model.records import case_labels

    numbers = np.array([0, 7, 1234567, 12345678], dtype=np.int64)
    assert list(case_labels(numbers)) == [f"c{n:07d}" for n in numbers.tolist()]
    assert case_labels(numbers).dtype == object
