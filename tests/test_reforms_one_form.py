"""One-form registration: a bundle visiting windows in turn (before) or signing (after)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from simhall.distributions import Fixed
from simhall.reforms import apply_reforms
from simhall.scenario.schema import DelayStep, ParallelStep, Scenario, VisitStep
from tests.helpers import department, item, scenario

WithReforms = Callable[..., Scenario]
RunOne = Callable[..., dict[str, object]]


def test_one_form_bundle_before_and_after(with_reforms: WithReforms, run_one: RunOne) -> None:
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
    before = apply_reforms(with_reforms(base, {**table, "stage": "before"}))
    after = apply_reforms(with_reforms(base, {**table, "stage": "after"}))
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
    t_b = run_one(before, index=3)
    t_a = run_one(after, index=3)
    assert t_b["visits"] == 3 and t_a["visits"] == 3
    assert t_b["elapsed_days"] == 6 and t_a["elapsed_days"] == 2
