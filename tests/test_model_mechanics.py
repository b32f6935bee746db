"""Exact event traces of the hall model with fixed durations, one mechanism per test.

Times are minutes since midnight of Monday 2007-09-24 (day 0); see :mod:`tests.helpers`.
Opening hours 08:30-12:00 and 14:30-17:30; National Day 2007: Sat 09-29 and Sun 09-30 are
make-up working days, 10-01..10-07 holidays.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import pytest

from simhall.distributions import Fixed, UniformInt
from simhall.model import ACCEPT, CORRECTION, TO_BACK_OFFICE, TO_HALL, HallModel, RunWindow
from simhall.scenario.schema import (
    Courier,
    DelayStep,
    ParallelStep,
    SessionSchedule,
    SessionStep,
    VisitStep,
    WorkStep,
)
from simhall.streams import NamedStreams
from tests.helpers import (
    at,
    case_row,
    department,
    events_of,
    item,
    model,
    play,
    scenario,
    trace,
)

MON = date(2007, 9, 24)
TUE = date(2007, 9, 25)
WED = date(2007, 9, 26)
THU = date(2007, 9, 27)
FRI = date(2007, 9, 28)
SAT = date(2007, 9, 29)  # make-up working day
SUN = date(2007, 9, 30)  # make-up working day
OCT8 = date(2007, 10, 8)  # first working day after the golden week
OCT9 = date(2007, 10, 9)


def work(minutes: float, dept: str = "d", name: str = "review") -> WorkStep:
    return WorkStep(name, dept, "section", Fixed(value=minutes))


# ---------------------------------------------------------------------------- window


def test_lunch_break_service_continues_but_none_starts() -> None:
    scn = scenario([item(kind="onsite", service=15)])
    m = play(model(scn), [(at(MON, 11, 50), 0), (at(MON, 11, 50), 0)])
    assert trace(m, 0) == [(ACCEPT, at(MON, 11, 50), at(MON, 12, 5))]
    assert trace(m, 1) == [(ACCEPT, at(MON, 14, 30), at(MON, 14, 45))]
    # the second applicant's ticket (ready) is still 11:50
    assert events_of(m, 1)[0][4] == at(MON, 11, 50)
    assert events_of(m, 1)[0][3] == "d/window/1"


def test_overtime_serves_the_evening_queue_the_same_day() -> None:
    scn = scenario([item(kind="onsite", service=20)], evening="overtime")
    m = play(model(scn), [(at(MON, 17, 0), 0), (at(MON, 17, 5), 0), (at(MON, 17, 10), 0)])
    assert trace(m, 0) == [(ACCEPT, at(MON, 17, 0), at(MON, 17, 20))]
    assert trace(m, 1) == [(ACCEPT, at(MON, 17, 20), at(MON, 17, 40))]
    assert trace(m, 2) == [(ACCEPT, at(MON, 17, 40), at(MON, 18, 0))]
    assert case_row(m, 2)["visits"] == 1
    assert m.station_frame()["sent_home"].sum() == 0


def test_return_next_day_sends_the_evening_queue_home() -> None:
    scn = scenario([item(kind="onsite", service=20)], evening="return_next_day")
    m = play(model(scn), [(at(MON, 17, 0), 0), (at(MON, 17, 5), 0), (at(MON, 17, 10), 0)])
    assert trace(m, 0) == [(ACCEPT, at(MON, 17, 0), at(MON, 17, 20))]
    # service started before the close goes on after it
    assert trace(m, 1) == [(ACCEPT, at(MON, 17, 20), at(MON, 17, 40))]
    # still waiting at 17:30: home, back at Tuesday's opening with a new ticket
    assert trace(m, 2) == [(ACCEPT, at(TUE, 8, 30), at(TUE, 8, 50))]
    assert events_of(m, 2)[0][4] == at(TUE, 8, 30)
    row = case_row(m, 2)
    assert row["visits"] == 2
    assert row["arrival"] == pd.Timestamp("2007-09-24 17:10")
    assert row["acceptance"] == pd.Timestamp("2007-09-25 08:50")
    assert m.station_frame()["sent_home"].sum() == 1


def test_sent_home_before_golden_week_returns_after_it() -> None:
    scn = scenario([item(kind="onsite", service=40)], evening="return_next_day")
    m = play(model(scn), [(at(SUN, 17, 0), 0), (at(SUN, 17, 1), 0)])
    assert trace(m, 1) == [(ACCEPT, at(OCT8, 8, 30), at(OCT8, 9, 10))]
    assert case_row(m, 1)["visits"] == 2


# ---------------------------------------------------------------------------- courier


def test_courier_to_outside_back_office_and_back() -> None:
    dept = department(back_office="outside", courier=((600, 930), 40.0))
    scn = scenario([item(service=15, route=[work(60)])], [dept])
    m = play(model(scn), [(at(MON, 8, 45), 0)])
    assert trace(m) == [
        (ACCEPT, at(MON, 8, 45), at(MON, 9, 0)),
        (TO_BACK_OFFICE, at(MON, 10, 0), at(MON, 10, 40)),
        ("review", at(MON, 10, 40), at(MON, 11, 40)),
        (TO_HALL, at(MON, 15, 30), at(MON, 16, 10)),
    ]
    ev = events_of(m)
    assert ev[1][3] == "d/courier" and ev[1][4] == at(MON, 9, 0)  # ready at acceptance
    assert ev[3][4] == at(MON, 11, 40)
    row = case_row(m)
    assert row["completion"] == pd.Timestamp("2007-09-24 16:10")
    assert row["elapsed_days"] == 0


def test_courier_after_last_departure_waits_for_next_working_day() -> None:
    dept = department(back_office="outside", courier=((600, 930), 40.0))
    scn = scenario([item(service=15, route=[work(60)])], [dept])
    m = play(model(scn), [(at(SUN, 15, 30), 0)])  # accepted 15:45, after the 15:30 courier
    assert trace(m) == [
        (ACCEPT, at(SUN, 15, 30), at(SUN, 15, 45)),
        (TO_BACK_OFFICE, at(OCT8, 10, 0), at(OCT8, 10, 40)),
        ("review", at(OCT8, 10, 40), at(OCT8, 11, 40)),
        (TO_HALL, at(OCT8, 15, 30), at(OCT8, 16, 10)),
    ]
    assert case_row(m)["elapsed_days"] == 1


def test_courier_with_return_departures_brings_files_back_at_its_own_times() -> None:
    dept = dataclasses.replace(
        department(back_office="outside"), courier=Courier((930,), 40.0, return_times_min=(600,))
    )
    scn = scenario([item(service=15, route=[work(60)])], [dept])
    m = play(model(scn), [(at(MON, 8, 45), 0)])
    assert trace(m) == [
        (ACCEPT, at(MON, 8, 45), at(MON, 9, 0)),
        (TO_BACK_OFFICE, at(MON, 15, 30), at(MON, 16, 10)),
        ("review", at(MON, 16, 10), at(MON, 17, 10)),
        (TO_HALL, at(TUE, 10, 0), at(TUE, 10, 40)),  # the morning run back, not 15:30
    ]


@pytest.mark.parametrize(
    ("at_", "expected"),
    [
        # here: the tray lies in the hall (a day from 09:00), then the 10:00 courier of Tue
        ("here", [("tray", at(MON, 9, 0), at(TUE, 9, 0)), (TO_BACK_OFFICE, at(TUE, 10, 0))]),
        # back_office: the 10:00 courier first, then a day in the section's tray
        ("back_office", [(TO_BACK_OFFICE, at(MON, 10, 0)), ("tray", at(MON, 10, 40))]),
    ],
)
def test_delay_lies_where_at_says(at_: str, expected: list[tuple[object, ...]]) -> None:
    dept = department(back_office="outside", courier=((600, 930), 40.0))
    tray = DelayStep("tray", "d", Fixed(value=1.0), at=at_)  # type: ignore[arg-type]
    scn = scenario([item(service=15, route=[tray, work(60)])], [dept])
    m = play(model(scn), [(at(MON, 8, 45), 0)])
    got = trace(m)[1:3]
    for (name, start, *end), row in zip(expected, got, strict=True):
        assert row[0] == name and row[1] == start, got
        if end:
            assert row[2] == end[0]


def test_delay_at_the_hall_comes_back_by_courier_first() -> None:
    dept = department(back_office="outside", courier=((600, 930), 40.0))
    wait = DelayStep("pickup_wait", "d", Fixed(value=1.0), at="hall")
    scn = scenario([item(service=15, route=[work(60), wait])], [dept])
    m = play(model(scn), [(at(MON, 8, 45), 0)])
    assert [e[0] for e in trace(m)] == [ACCEPT, TO_BACK_OFFICE, "review", TO_HALL, "pickup_wait"]
    assert trace(m)[4][1:] == (at(MON, 16, 10), at(TUE, 16, 10))


# ---------------------------------------------------------------------------- sessions


def _signoff_scenario(on_holiday: str = "next_working_day") -> HallModel:
    dept = department(
        signoff=SessionSchedule((1, 4), (960,), duration_min=30.0, on_holiday=on_holiday)  # type: ignore[arg-type]
    )
    scn = scenario([item(service=10, route=[SessionStep("sign", "d", "signoff")])], [dept])
    return model(scn)


def test_signoff_batches_files_until_the_next_session() -> None:
    m = play(
        _signoff_scenario(),
        [(at(MON, 14, 50), 0), (at(TUE, 14, 50), 0), (at(TUE, 16, 20), 0)],
    )
    # ready Mon 15:00 and Tue 15:00: both in Tuesday's 16:00 round
    assert trace(m, 0)[1] == ("sign", at(TUE, 16, 0), at(TUE, 16, 30))
    assert trace(m, 1)[1] == ("sign", at(TUE, 16, 0), at(TUE, 16, 30))
    # ready Tue 16:30: after the round started, so Friday's
    assert trace(m, 2)[1] == ("sign", at(FRI, 16, 0), at(FRI, 16, 30))
    assert events_of(m, 2)[1][3] == "d/leader"
    assert events_of(m, 2)[1][4] == at(TUE, 16, 30)
    assert case_row(m, 0)["elapsed_days"] == 1
    assert case_row(m, 2)["elapsed_days"] == 3


def test_signoff_on_holiday_moves_to_next_working_day() -> None:
    m = play(_signoff_scenario(), [(at(FRI, 16, 20), 0)])
    # Tue 10-02 and Fri 10-05 are holidays: both rounds move to Mon 10-08
    assert trace(m)[1] == ("sign", at(OCT8, 16, 0), at(OCT8, 16, 30))
    # Sat 29, Sun 30, Mon 10-08
    assert case_row(m)["elapsed_days"] == 3


def test_signoff_on_holiday_skipped() -> None:
    m = play(_signoff_scenario("skip"), [(at(FRI, 16, 20), 0)])
    assert trace(m)[1] == ("sign", at(OCT9, 16, 0), at(OCT9, 16, 30))
    assert case_row(m)["elapsed_days"] == 4


def test_session_ready_exactly_at_its_time_is_taken() -> None:
    m = play(_signoff_scenario(), [(at(TUE, 15, 50), 0)])  # accepted 16:00 sharp
    assert trace(m)[1] == ("sign", at(TUE, 16, 0), at(TUE, 16, 30))


@pytest.mark.parametrize("probability", [1.0, 0.0])
def test_director_meeting_mondays(probability: float) -> None:
    dept = department(meeting=SessionSchedule((0,), (540,), duration_min=60.0))
    route = [SessionStep("meeting", "d", "meeting", probability=probability), work(30)]
    scn = scenario([item(service=10, route=route)], [dept])
    m = play(model(scn), [(at(MON, 8, 30), 0)])
    if probability == 1.0:
        assert trace(m) == [
            (ACCEPT, at(MON, 8, 30), at(MON, 8, 40)),
            ("meeting", at(MON, 9, 0), at(MON, 10, 0)),
            ("review", at(MON, 10, 0), at(MON, 10, 30)),
        ]
        assert events_of(m)[1][3] == "d/director"
    else:
        assert trace(m) == [
            (ACCEPT, at(MON, 8, 30), at(MON, 8, 40)),
            ("review", at(MON, 8, 40), at(MON, 9, 10)),
        ]


def test_director_meeting_on_national_day_moves_to_oct8() -> None:
    dept = department(meeting=SessionSchedule((0,), (540,), duration_min=60.0))
    scn = scenario([item(service=10, route=[SessionStep("meeting", "d", "meeting")])], [dept])
    m = play(model(scn), [(at(MON, 9, 0), 0)])  # misses Monday's meeting; 10-01 is a holiday
    assert trace(m)[1] == ("meeting", at(OCT8, 9, 0), at(OCT8, 10, 0))


# ------------------------------------------------------------------ correction (补正)


def test_return_for_correction_then_accept_starts_the_clock() -> None:
    scn = scenario(
        [
            item(
                service=10,
                incomplete_prob=0.5,
                return_delay=UniformInt(2, 2),
                route=[DelayStep("inspect", "d", Fixed(value=1.0))],
            )
        ]
    )
    # incomplete on the first visit, complete on the second; back at the first opening minute
    scripted = {"item/a/incomplete": [0.0, 0.99], "item/a/return_time": [0.0]}
    m = play(model(scn, scripted=scripted), [(at(MON, 9, 0), 0)])
    assert trace(m) == [
        (CORRECTION, at(MON, 9, 0), at(MON, 9, 10)),
        # two working days later, at the start of the intraday profile (uniform: 08:30)
        (ACCEPT, at(WED, 8, 30), at(WED, 8, 40)),
        ("inspect", at(WED, 8, 40), at(THU, 8, 40)),
    ]
    row = case_row(m)
    assert row["visits"] == 2
    assert row["arrival"] == pd.Timestamp("2007-09-24 09:00")
    assert row["acceptance"] == pd.Timestamp("2007-09-26 08:40")
    assert row["completion"] == pd.Timestamp("2007-09-27 08:40")
    assert row["elapsed_days"] == 1  # counted from acceptance (Wed), not the first visit (Mon)
    assert row["counted_days"] == 1


def test_complete_papers_are_accepted_on_the_first_visit() -> None:
    scn = scenario([item(service=10, incomplete_prob=0.0, return_delay=UniformInt(2, 2))])
    m = play(model(scn), [(at(MON, 9, 0), 0)])
    assert trace(m) == [(ACCEPT, at(MON, 9, 0), at(MON, 9, 10))]
    assert case_row(m)["visits"] == 1


# ------------------------------------------------------------------------ work steps


def test_work_step_pauses_overnight() -> None:
    scn = scenario([item(service=10, route=[work(120)])])
    m = play(model(scn), [(at(MON, 16, 20), 0)])
    assert trace(m)[1] == ("review", at(MON, 16, 30), at(TUE, 9, 30))
    assert case_row(m)["elapsed_days"] == 1


def test_work_step_pauses_for_lunch() -> None:
    scn = scenario([item(service=10, route=[work(60)])])
    m = play(model(scn), [(at(MON, 11, 20), 0)])
    assert trace(m)[1] == ("review", at(MON, 11, 30), at(MON, 15, 0))


def test_work_step_pauses_over_the_golden_week() -> None:
    scn = scenario([item(service=10, route=[work(120)])])
    m = play(model(scn), [(at(SUN, 16, 20), 0)])  # Sunday 09-30 is a make-up working day
    assert trace(m)[1] == ("review", at(SUN, 16, 30), at(OCT8, 9, 30))
    assert case_row(m)["elapsed_days"] == 1


def test_work_step_ready_in_overtime_starts_next_morning() -> None:
    scn = scenario([item(service=20, route=[work(60)])], evening="overtime")
    m = play(model(scn), [(at(MON, 17, 20), 0)])
    assert trace(m) == [
        (ACCEPT, at(MON, 17, 20), at(MON, 17, 40)),
        ("review", at(TUE, 8, 30), at(TUE, 9, 30)),
    ]


def test_work_step_queue_is_fifo_per_pool() -> None:
    scn = scenario([item(service=10, route=[work(60)])])
    m = play(model(scn), [(at(MON, 9, 0), 0), (at(MON, 9, 5), 0)])
    # one clerk at the window: accepted 09:10 and 09:20; one reviewer
    assert trace(m, 0)[1] == ("review", at(MON, 9, 10), at(MON, 10, 10))
    assert trace(m, 1)[1] == ("review", at(MON, 10, 10), at(MON, 11, 10))
    assert events_of(m, 1)[1][4] == at(MON, 9, 20)


# -------------------------------------------------------------------------- parallel


def test_parallel_branches_join_after_the_later_one() -> None:
    depts = [department("d"), department("e")]
    route = [
        ParallelStep("joint", ((work(60, "d", "d_review"),), (work(600, "e", "e_review"),))),
        work(30, "d", "final"),
    ]
    scn = scenario([item(service=10, route=route)], depts)
    m = play(model(scn), [(at(MON, 8, 50), 0)])
    got = sorted(trace(m), key=lambda e: (e[1], e[0]))
    assert got == [
        (ACCEPT, at(MON, 8, 50), at(MON, 9, 0)),
        ("d_review", at(MON, 9, 0), at(MON, 10, 0)),
        # 180 + 180 minutes on Monday, 210 Tuesday morning, 30 after lunch
        ("e_review", at(MON, 9, 0), at(TUE, 15, 0)),
        ("final", at(TUE, 15, 0), at(TUE, 15, 30)),
    ]
    row = case_row(m)
    assert row["completion"] == pd.Timestamp("2007-09-25 15:30")
    assert row["elapsed_days"] == 1


def test_parallel_branch_with_outside_back_office_returns_by_courier() -> None:
    depts = [department("d"), department("e", back_office="outside", courier=((600, 930), 40.0))]
    route = [ParallelStep("joint", ((work(60, "d", "d_review"),), (work(60, "e", "e_review"),)))]
    scn = scenario([item(service=10, route=route)], depts)
    m = play(model(scn), [(at(MON, 8, 50), 0)])
    got = sorted(trace(m), key=lambda e: (e[1], e[0]))
    assert got == [
        (ACCEPT, at(MON, 8, 50), at(MON, 9, 0)),
        ("d_review", at(MON, 9, 0), at(MON, 10, 0)),
        (TO_BACK_OFFICE, at(MON, 10, 0), at(MON, 10, 40)),
        ("e_review", at(MON, 10, 40), at(MON, 11, 40)),
        (TO_HALL, at(MON, 15, 30), at(MON, 16, 10)),
    ]
    assert case_row(m)["completion"] == pd.Timestamp("2007-09-24 16:10")


# ------------------------------------------------------------------ counting of days


def test_non_counting_delay_is_subtracted() -> None:
    route = [DelayStep("notice", "d", Fixed(value=5.0), counts=False), work(1080)]
    scn = scenario([item(service=10, route=route, committed_days=2)])
    m = play(model(scn), [(at(MON, 8, 50), 0)])
    assert trace(m) == [
        (ACCEPT, at(MON, 8, 50), at(MON, 9, 0)),
        # five working days: Tue..Fri and the make-up Saturday
        ("notice", at(MON, 9, 0), at(SAT, 9, 0)),
        # 1080 working minutes: Sat 360, Sun 390 (total 750), Oct 8 morning 210, then 120
        ("review", at(SAT, 9, 0), at(OCT8, 16, 30)),
    ]
    row = case_row(m)
    assert row["elapsed_days"] == 7
    assert row["counted_days"] == 7 - 5
    assert row["within_limit"]


def test_counting_delay_is_not_subtracted() -> None:
    route = [DelayStep("notice", "d", Fixed(value=5.0)), work(1080)]
    scn = scenario([item(service=10, route=route, committed_days=2)])
    m = play(model(scn), [(at(MON, 8, 50), 0)])
    row = case_row(m)
    assert row["elapsed_days"] == 7
    assert row["counted_days"] == 7
    assert not row["within_limit"]


def test_working_days_skip_the_golden_week_but_count_makeup_weekend() -> None:
    route = [DelayStep("inspect", "d", Fixed(value=3.0))]
    scn = scenario([item(service=10, route=route, committed_days=3)])
    m = play(model(scn), [(at(FRI, 8, 50), 0)])
    assert trace(m)[1] == ("inspect", at(FRI, 9, 0), at(OCT8, 9, 0))
    row = case_row(m)
    assert row["acceptance"] == pd.Timestamp("2007-09-28 09:00")
    assert row["completion"] == pd.Timestamp("2007-10-08 09:00")
    assert row["elapsed_days"] == 3  # Sat 29, Sun 30 (make-up days) and Mon 10-08
    assert row["counted_days"] == 3
    assert row["within_limit"]
    assert not row["onsite_completion"]


def test_onsite_item_completes_at_the_window() -> None:
    scn = scenario([item(kind="onsite", service=12)])
    m = play(model(scn), [(at(TUE, 10, 0), 0)])
    assert trace(m) == [(ACCEPT, at(TUE, 10, 0), at(TUE, 10, 12))]
    row = case_row(m)
    assert row["status"] == "completed"
    assert row["acceptance"] == row["completion"] == pd.Timestamp("2007-09-25 10:12")
    assert row["elapsed_days"] == 0
    assert row["onsite_completion"]
    assert pd.isna(row["committed_days"]) and pd.isna(row["within_limit"])


# -------------------------------------------------------------------------- warm-up


def test_warmup_cases_are_left_out() -> None:
    scn = scenario(
        [
            item(service=10, route=[work(30)]),
            item("b", service=10, incomplete_prob=0.5, return_delay=UniformInt(2, 2)),
        ]
    )
    scripted = {"item/b/incomplete": [0.0, 0.99], "item/b/return_time": [0.0]}
    m = model(scn, days=10, warmup_days=2, scripted=scripted)
    # case 0 accepted Mon (warm-up), case 1 first visit Tue (warm-up) but accepted Thu,
    # case 2 accepted Wed (after warm-up)
    m = play(m, [(at(MON, 9, 0), 0), (at(TUE, 9, 0), 1), (at(WED, 9, 0), 0)])
    events, cases, _ = m.frames()
    assert list(cases["case_id"]) == ["c0000001", "c0000002"]
    assert set(events["case_id"]) == {"c0000001", "c0000002"}
    # the accepted case keeps its warm-up visit in the log
    assert list(events.loc[events["case_id"] == "c0000001", "activity"]) == [CORRECTION, ACCEPT]
    assert cases.loc[cases["case_id"] == "c0000001", "acceptance"].iloc[0] == pd.Timestamp(
        "2007-09-27 08:40"
    )


# ---------------------------------------------------------------------- frames / ids


def test_frames_have_timestamps_and_case_ids() -> None:
    scn = scenario([item(service=10, route=[work(30)])])
    m = play(model(scn), [(at(MON, 9, 0), 0)])
    events, cases, stations = m.frames()
    assert list(events["activity"]) == [ACCEPT, "review"]
    assert list(events["start"]) == [
        pd.Timestamp("2007-09-24 09:00"),
        pd.Timestamp("2007-09-24 09:10"),
    ]
    assert list(events["resource"]) == ["d/window/1", "d/section/1"]
    assert (events["replication"] == 0).all()
    assert cases["status"].tolist() == ["completed"]
    assert set(stations["station"]) == {"window", "section"}


def test_a_model_runs_once() -> None:
    m = model(scenario([item()]), days=2, drain_days=1)
    m.run()
    with pytest.raises(RuntimeError):
        m.run()


def test_injected_streams_must_be_the_models_seed_and_replication() -> None:
    scn = scenario([item()])
    with pytest.raises(ValueError, match="streams of seed 2, replication 0: expected the "):
        HallModel(scn, RunWindow(2, 0, 1), seed=1, streams=NamedStreams(2))
    with pytest.raises(ValueError, match="replication 1: expected the model's seed 1, repl"):
        HallModel(scn, RunWindow(2, 0, 1), seed=1, streams=NamedStreams(1, 1))


# ------------------------------------------------------------------- known model bugs


def test_delay_counts_working_days_with_short_fridays() -> None:
    route = [DelayStep("inspect", "d", Fixed(value=1.0))]
    scn = scenario([item(service=10, route=route)], opening_by_weekday=((4, ((510, 720),)),))
    m = play(model(scn), [(at(OCT8, 14, 50), 0)])  # accepted Mon 10-08 15:00
    assert case_row(m)["elapsed_days"] == 1
    m = play(model(scn), [(at(date(2007, 10, 11), 14, 50), 0)])  # Thu 10-11 15:00
    row = case_row(m)
    assert row["completion"].date() == date(2007, 10, 12)  # the (short) Friday
    assert row["elapsed_days"] == 1


def test_zero_minute_work_step_is_not_logged_backwards() -> None:
    scn = scenario([item(service=20, route=[work(0)])], evening="overtime")
    m = play(model(scn), [(at(MON, 17, 20), 0)])  # accepted in overtime at 17:40
    _, _, _, _, ready, start, end = events_of(m)[1]
    assert ready <= start <= end


def test_overtime_serves_applicants_carried_over_from_the_day_before() -> None:
    scn = scenario([item(kind="onsite", service=60)], evening="overtime")
    # 15 tickets at Monday 17:00: 7 served by midnight, 7 on Tuesday in opening hours
    m = play(model(scn), [(at(MON, 17, 0) + 0.1 * k, 0) for k in range(15)])
    assert trace(m, 6) == [(ACCEPT, at(MON, 23, 0), at(TUE, 0, 0))]
    assert trace(m, 7) == [(ACCEPT, at(TUE, 8, 30), at(TUE, 9, 30))]
    assert trace(m, 13) == [(ACCEPT, at(TUE, 16, 30), at(TUE, 17, 30))]
    # still waiting at Tuesday's close under the overtime policy: served in overtime
    assert trace(m, 14) == [(ACCEPT, at(TUE, 17, 30), at(TUE, 18, 30))]
    assert events_of(m, 14)[0][4] == pytest.approx(at(MON, 17, 0) + 1.4)  # the first ticket
    assert case_row(m, 14)["visits"] == 1
    assert m.station_frame()["sent_home"].sum() == 0


def test_supervision_cap_signs_a_file_that_would_wait_too_long() -> None:
    """Sessions Tue/Fri 16:00 with a 1-working-day cap: a file ready Wed 10:00 would wait
    until Fri 16:00; the cap has it signed Thu 10:00 instead."""
    dept = department(signoff=SessionSchedule((1, 4), (960,), duration_min=0.0, max_wait_days=1.0))
    scn = scenario([item(service=10, route=[SessionStep("sign", "d", "signoff")])], [dept])
    m = play(model(scn), [(at(TUE, 14, 50), 0), (at(WED, 9, 50), 0)])
    assert trace(m, 1)[1] == ("sign", at(THU, 10, 0), at(THU, 10, 0))
    # a file that the next session reaches within the cap is signed at the session
    assert trace(m, 0)[1] == ("sign", at(TUE, 16, 0), at(TUE, 16, 0))


def test_visit_step_queues_at_another_departments_window() -> None:
    """A bundle: accepted at d's window, then the applicant queues at e's window (busy until
    10:30 with another applicant) and is served there; visits count both windows."""
    d = department("d")
    e = department("e")
    bundle = item(
        "bundle", service=10, route=[VisitStep("visit_e", "e", Fixed(15), forms=2, fields=30)]
    )
    other = item("other", department="e", kind="onsite", service=40, committed_days=0)
    scn = scenario([bundle, other], [d, e])
    m = play(model(scn), [(at(MON, 9, 50), 1), (at(MON, 10, 0), 0)])
    assert trace(m, 1) == [
        (ACCEPT, at(MON, 10, 0), at(MON, 10, 10)),
        ("visit_e", at(MON, 10, 30), at(MON, 10, 45)),
    ]
    row = case_row(m, 1)
    assert row["visits"] == 2
    assert row["elapsed_days"] == 0
