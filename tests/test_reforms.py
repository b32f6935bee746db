"""Reforms on tiny halls: exact effects with fixed durations, direction and size with
randomness, and bad reform tables."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simhall.distributions import Fixed, Lognormal
from simhall.model import TO_BACK_OFFICE, TO_HALL
from simhall.reforms import apply_reforms, parse_reform, reform_log
from simhall.reforms.routes import flatten, step_count
from simhall.scenario import ScenarioError, load_scenario_text
from simhall.scenario.schema import (
    DelayStep,
    ParallelStep,
    Scenario,
    SessionSchedule,
    SessionStep,
    VisitStep,
    WorkStep,
)
from tests.helpers import START, at, case_row, department, item, model, play, scenario, trace

TUE_FRI = SessionSchedule(weekdays=(1, 4), times_min=(960,), duration_min=30)
MON = at(START, 9)  # Monday 2007-09-24 09:00


def _with(scn: Scenario, *tables: dict[str, object]) -> Scenario:
    return dataclasses.replace(scn, reforms=tuple(("t.toml", t) for t in tables))


def _run_one(scn: Scenario, ticket: float = MON, index: int = 0) -> dict[str, object]:
    m = play(model(scn, days=20, drain_days=40), [(ticket, index)])
    return case_row(m, 0)


def _outside_hall() -> Scenario:
    dept = department(
        "d",
        back_office="outside",
        courier=((600, 930), 30.0),
        signoff=TUE_FRI,
        meeting=SessionSchedule(weekdays=(0,), times_min=(540,), duration_min=60),
    )
    route = [
        WorkStep("section_review", "d", "section", Fixed(30.0)),
        SessionStep("director_meeting", "d", "meeting"),
        SessionStep("leader_signoff", "d", "signoff"),
    ]
    return scenario([item("a", route=route)], [dept])


# --------------------------------------------------------------------------- exact


def test_removing_a_two_day_delay_shortens_elapsed_days_by_exactly_two() -> None:
    route = [
        WorkStep("section_review", "d", "section", Fixed(30.0)),
        DelayStep("site_inspection", "d", Fixed(2.0)),
        WorkStep("report", "d", "section", Fixed(30.0)),
    ]
    base = scenario([item("a", route=route)])
    reformed = apply_reforms(
        _with(base, {"kind": "reengineering", "items": ["a"], "remove": ["site_inspection"]})
    )
    before, after = _run_one(base), _run_one(reformed)
    assert before["elapsed_days"] - after["elapsed_days"] == 2
    assert step_count(reformed.item("a").route) == 2


def test_reengineering_scales_merges_and_sets_limits() -> None:
    route = [
        WorkStep("r1", "d", "section", Fixed(30.0)),
        WorkStep("r2", "d", "section", Fixed(20.0)),
        DelayStep("wait", "d", Fixed(4.0)),
    ]
    base = scenario([item("a", route=route, committed_days=10)])
    out = apply_reforms(
        _with(
            base,
            {
                "kind": "reengineering",
                "items": "all",
                "merge": [{"steps": ["r1", "r2"], "name": "review"}],
                "scale": {"wait": 0.5},
                "committed_scale": 0.7,
            },
        )
    )
    steps = out.item("a").route
    assert [s.name for s in steps] == ["review", "wait"]
    assert isinstance(steps[0], WorkStep) and steps[0].duration.mean == 50.0
    assert isinstance(steps[1], DelayStep) and steps[1].days.mean == 2.0
    assert out.item("a").committed_days == 7
    assert _run_one(out)["elapsed_days"] == 2


def test_chief_representative_completes_authorized_cases_the_same_day() -> None:
    base = _outside_hall()
    before = _run_one(base)
    assert before["elapsed_days"] >= 1
    out = apply_reforms(
        _with(
            base,
            {
                "kind": "chief_representative",
                "department": "d",
                "replace": ["work", "signoff", "meeting"],
                "onsite_duration": {"dist": "fixed", "value_min": 15},
            },
        )
    )
    route = out.item("a").route
    assert [(s.name, getattr(s, "pool", None)) for s in route] == [("onsite_approval", "chief")]
    assert out.department("d").pool("chief").in_hall
    m = play(model(out, days=20, drain_days=40), [(MON, 0)])
    row = case_row(m, 0)
    assert row["elapsed_days"] == 0 and row["onsite_completion"]
    acts = [a for a, _, _ in trace(m)]
    assert TO_BACK_OFFICE not in acts and TO_HALL not in acts


def test_chief_representative_supervision_caps_the_wait_for_signoff() -> None:
    weekly = SessionSchedule(weekdays=(4,), times_min=(960,), duration_min=0)
    dept = department("d", signoff=weekly)
    route = [SessionStep("leader_signoff", "d", "signoff")]
    base = scenario([item("a", route=route)], [dept])
    assert _run_one(base)["elapsed_days"] == 4  # Monday -> Friday
    capped = apply_reforms(
        _with(
            base,
            {"kind": "chief_representative", "department": "d", "replace": [], "max_wait_days": 1},
        )
    )
    assert _run_one(capped)["elapsed_days"] == 1
    daily = apply_reforms(
        _with(
            base,
            {
                "kind": "chief_representative",
                "department": "d",
                "replace": [],
                "daily_signoff": True,
            },
        )
    )
    assert _run_one(daily)["elapsed_days"] == 0


def test_coordination_and_parallel_approval_run_departments_at_once() -> None:
    d1, d2 = department("d"), department("e")
    route = [DelayStep("d_check", "d", Fixed(2.0)), DelayStep("e_check", "e", Fixed(3.0))]
    base = scenario([item("a", route=route)], [d1, d2])
    assert _run_one(base)["elapsed_days"] == 5
    for table in (
        {"kind": "parallel_approval", "items": ["a"]},
        {"kind": "chief_representative", "department": "d", "replace": [], "coordination": True},
    ):
        out = apply_reforms(_with(base, table))
        assert isinstance(out.item("a").route[0], ParallelStep)
        assert _run_one(out)["elapsed_days"] == 3


def test_two_concentrations_removes_courier_transfers_and_meetings() -> None:
    base = _outside_hall()
    m = play(model(base, days=20, drain_days=40), [(MON, 0)])
    assert TO_BACK_OFFICE in [a for a, _, _ in trace(m)]
    out = apply_reforms(_with(base, {"kind": "two_concentrations", "department": "d"}))
    dept = out.department("d")
    assert dept.back_office == "hall" and dept.courier is None
    assert all(p.in_hall for p in dept.pools)
    kinds = [getattr(s, "session", "work") for s in out.item("a").route]
    assert kinds == ["work", "signoff"]  # the meeting folds into the sign-off that follows
    m2 = play(model(out, days=20, drain_days=40), [(MON, 0)])
    acts = [a for a, _, _ in trace(m2)]
    assert TO_BACK_OFFICE not in acts and TO_HALL not in acts
    assert case_row(m2, 0)["elapsed_days"] < case_row(m, 0)["elapsed_days"]


def test_staffing_changes_windows_staff_hours_and_demand() -> None:
    base = scenario([item("a", volume=10.0), item("b", volume=4.0)], [department("d")])
    out = apply_reforms(
        _with(
            base,
            {
                "kind": "staffing",
                "departments": ["d"],
                "windows": 3,
                "add_staff": {"section": 2},
                "opening": [["08:00", "12:00"], ["14:00", "18:00"]],
            },
            {"kind": "staffing", "items": ["a"], "demand_factor": 1.5, "online_share": 0.2},
        )
    )
    assert out.department("d").windows == 3
    assert out.department("d").pool("section").staff == 3
    assert out.calendar.opening == ((480, 720), (840, 1080))
    assert out.item("a").demand.daily_volume == pytest.approx(12.0)
    assert out.item("b").demand.daily_volume == 4.0


def test_district_center_moves_a_share_of_demand_to_a_second_hall() -> None:
    route = [
        WorkStep("section_review", "d", "section", Fixed(10.0)),
        DelayStep("other_dept", "e", Fixed(1.0)),
    ]
    base = scenario(
        [item("a", route=route, volume=10.0), item("b", volume=2.0)],
        [department("d"), department("e")],
    )
    out = apply_reforms(
        _with(base, {"kind": "district_center", "items": ["a"], "share": 0.3, "windows": 2})
    )
    copy = out.item("a@district")
    assert copy.department == "d@district" and out.department("d@district").windows == 2
    assert copy.demand.daily_volume == pytest.approx(3.0)
    assert out.item("a").demand.daily_volume == pytest.approx(7.0)
    assert [s.department for s in flatten(copy.route)] == ["d@district", "e"]
    m = model(out, days=30).run()
    cases = m.case_frame()
    assert (cases["item_id"] == "a@district").sum() > 0


def test_one_form_bundle_before_and_after() -> None:
    depts = [department(x, windows=1) for x in ("p", "q", "r")]
    items = [
        item(
            f"{x}1",
            department=x,
            route=[DelayStep(f"{x}_approval", x, Fixed(2.0))],
            volume=1.0,
            committed_days=5,
        )
        for x in ("p", "q", "r")
    ]
    base = scenario(items, depts)
    table = {
        "kind": "one_form",
        "bundle": "reg",
        "items": ["p1", "q1", "r1"],
        "forms": [5, 5, 5],
        "fields": [60, 60, 60],
        "fields_after": 20,
        "min_per_field": 0.1,
        "daily_demand": 0.5,
        "sign_service": {"dist": "fixed", "value_min": 2},
    }
    before = apply_reforms(_with(base, {**table, "stage": "before"}))
    after = apply_reforms(_with(base, {**table, "stage": "after"}))
    rb, ra = before.item("reg").route, after.item("reg").route
    assert [type(s).__name__ for s in rb] == [
        "DelayStep",
        "VisitStep",
        "DelayStep",
        "VisitStep",
        "DelayStep",
    ]
    assert sum(s.fields for s in rb if isinstance(s, VisitStep)) == 120
    assert isinstance(ra[-1], ParallelStep) and len(ra[-1].branches) == 3
    assert after.item("p1").demand.daily_volume == pytest.approx(0.5)
    t_b = _run_one(before, index=3)
    t_a = _run_one(after, index=3)
    assert t_b["visits"] == 3 and t_a["visits"] == 3
    assert t_b["elapsed_days"] == 6 and t_a["elapsed_days"] == 2


# --------------------------------------------------------------------------- randomness


def test_chief_representative_cuts_days_with_random_durations() -> None:
    base = _outside_hall()
    noisy = dataclasses.replace(
        base.item("a"),
        demand=dataclasses.replace(base.item("a").demand, daily_volume=3.0),
        window_service=Lognormal(10.0, 5.0),
        route=tuple(
            dataclasses.replace(s, duration=Lognormal(60.0, 30.0)) if isinstance(s, WorkStep) else s
            for s in base.item("a").route
        ),
    )
    base = dataclasses.replace(base, items=(noisy,))
    out = apply_reforms(
        _with(
            base,
            {"kind": "chief_representative", "department": "d", "replace": ["signoff", "meeting"]},
        )
    )
    days = []
    for scn in (base, out):
        c = model(scn, days=60, drain_days=40, seed=3).run().case_frame()
        days.append(c["elapsed_days"].dropna().astype(float).to_numpy())
    # Tue/Fri sign-off and Monday meeting: a few days on average before; after, the
    # section review and a courier trip back: about a day.
    assert days[0].mean() > 2.0
    assert days[1].mean() < 1.5
    assert np.quantile(days[1], 0.95) < np.quantile(days[0], 0.95)


# --------------------------------------------------------------------------- errors


def _problems(scn: Scenario) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        apply_reforms(scn)
    return [f"{p.file}: {p.path}" for p in info.value.problems]


def test_bad_reform_tables_name_file_and_key() -> None:
    base = _outside_hall()
    got = _problems(
        _with(
            base,
            {"kind": "reengineering", "items": ["a"], "remove": ["x"], "colour": 1},
            {"kind": "chief_representative", "department": "nope"},
            {"kind": "reengineering", "items": ["zz"]},
            {"kind": "chife_representative"},
            {"kind": "staffing", "departments": ["d"], "windows": 0},
        )
    )
    assert "t.toml: reforms[0].colour" in got
    assert "t.toml: reforms[0].remove[0]" in got
    assert "t.toml: reforms[1].department" in got
    assert "t.toml: reforms[2].items[0]" in got
    assert "t.toml: reforms[3].kind" in got
    assert "t.toml: reforms[4].windows" in got


def test_reform_errors_from_toml_overlays_name_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = """
[scenario]
name = "x"
[calendar]
start = 2007-09-24
[[departments]]
id = "d"
name = "D"
windows = 1
pools = { section = 1 }
[[items]]
id = "a"
department = "d"
kind = "commitment"
committed_days = 5
daily_demand = 1
window_service = { dist = "fixed", value_min = 5 }
route = [ { step = "review", kind = "work", pool = "section", \
  duration = { dist = "fixed", value_min = 5 } } ]
[[reforms]]
kind = "reengineering"
tags = ["nothing"]
scale = { review = -1 }
"""
    scn = load_scenario_text(text, name="hall.toml")
    with pytest.raises(ScenarioError) as info:
        apply_reforms(scn)
    message = str(info.value)
    assert "hall.toml: reforms[0].tags[0]" in message


def test_reforms_are_pure_and_apply_once() -> None:
    base = _with(_outside_hall(), {"kind": "two_concentrations", "department": "d"})
    out, log = reform_log(base)
    assert base.department("d").back_office == "outside"  # input untouched
    assert out.reforms == () and len(log) == 1 and log[0].kind == "two_concentrations"
    assert apply_reforms(out) == out
    r = parse_reform({"kind": "parallel_approval", "items": "all"}, base)
    assert r.apply(out) == out  # one department: nothing to parallelize
