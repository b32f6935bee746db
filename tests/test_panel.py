"""The planner panel's logic (``simhall.panel``), on the small example hall."""

from __future__ import annotations

import dataclasses

import pytest

from simhall.panel import (
    apply_plan,
    closed_departments,
    current_plan,
    department_choices,
    run_plan,
)
from simhall.reforms import apply_reforms
from simhall.reforms.routes import flatten
from simhall.scenario import Scenario

RUN = {"days": 30, "warmup_days": 5, "drain_days": 30, "reps": 2, "seed": 3}


def test_choices_and_current_plan(small_hall: Scenario) -> None:
    assert department_choices(small_hall, "both")[0] == ("市建委 (jianwei)", "jianwei")
    assert department_choices(small_hall, "en")[0] == ("jianwei", "jianwei")
    plan = current_plan(small_hall, "jianwei")
    dept = small_hall.department("jianwei")
    assert (plan.windows, plan.staff, plan.chief_rep) == (dept.windows, dept.pools[0].staff, False)


def test_apply_plan_changes_only_the_department(small_hall: Scenario) -> None:
    plan = dataclasses.replace(current_plan(small_hall, "gongshang"), windows=7, staff=9)
    new = apply_plan(small_hall, plan)
    assert new.department("gongshang").windows == 7
    assert new.department("gongshang").pools[0].staff == 9
    assert new.department("jianwei") == small_hall.department("jianwei")
    assert new.reforms == small_hall.reforms
    with_rep = apply_reforms(apply_plan(small_hall, dataclasses.replace(plan, chief_rep=True)))
    steps = {
        s.name for i in with_rep.items if i.department == "gongshang" for s in flatten(i.route)
    }
    assert "onsite_approval" in steps


def test_apply_plan_refuses_no_windows(small_hall: Scenario) -> None:
    plan = dataclasses.replace(current_plan(small_hall, "gongan"), windows=0)
    with pytest.raises(ValueError, match="gongan: windows = 0: expected at least 1"):
        apply_plan(small_hall, plan)


def test_closed_departments_follow_the_routes(small_hall: Scenario) -> None:
    for dept in ("jianwei", "gongshang", "gongan"):
        keep = set(closed_departments(small_hall, dept))
        assert dept in keep
        for item in small_hall.items:
            touched = {item.department} | {
                getattr(s, "department", "") for s in flatten(item.route)
            }
            touched.discard("")
            assert not (touched & keep) or touched <= keep, (dept, item.id)


def test_unchanged_plan_changes_nothing(small_hall: Scenario) -> None:
    """Common random numbers: the hall as it is against itself differs by exactly zero."""
    res = run_plan(small_hall, current_plan(small_hall, "gongshang"), **RUN)
    it = res.comparison.items
    assert (it["p95_diff"].fillna(0.0) == 0.0).all()


def test_chief_representative_shortens_the_departments_items(small_hall: Scenario) -> None:
    plan = dataclasses.replace(current_plan(small_hall, "jianwei"), chief_rep=True)
    res = run_plan(small_hall, plan, lang="zh", **RUN)
    it = res.comparison.items
    commit = it[(it["department"] == "jianwei") & (it["kind"] == "commitment")]
    assert len(commit) and (commit["p95_after"] <= commit["p95_before"] + 1e-9).all()
    assert (commit["p95_after"] < commit["p95_before"]).any()
    assert "建筑工程施工许可证核发" in res.table.index
    assert res.table.index[-1] == "窗口平均等候（分钟）"
    # the completed share stands beside the P95s (issue 14), blank on the wait row
    done = res.table.loc["建筑工程施工许可证核发", ["completed now", "completed plan"]]
    assert ((0.5 < done.astype(float)) & (done.astype(float) <= 1.0)).all()
    assert res.table.iloc[-1]["completed plan"] == ""
