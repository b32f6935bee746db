"""Parallel approval (and the chief representative's coordination power): departments at once."""

from __future__ import annotations

from collections.abc import Callable

from simhall.distributions import Fixed
from simhall.reforms import apply_reforms
from simhall.scenario.schema import DelayStep, ParallelStep, Scenario
from tests.helpers import department, item, scenario

WithReforms = Callable[..., Scenario]
RunOne = Callable[..., dict[str, object]]


def test_coordination_and_parallel_approval_run_departments_at_once(
    with_reforms: WithReforms, run_one: RunOne
) -> None:
    d1, d2 = department("d"), department("e")
    route = [DelayStep("d_check", "d", Fixed(2.0)), DelayStep("e_check", "e", Fixed(3.0))]
    base = scenario([item("a", route=route)], [d1, d2])
    assert run_one(base)["elapsed_days"] == 5
    for table in (
        {"kind": "parallel_approval", "items": ["a"]},
        {"kind": "chief_representative", "department": "d", "replace": [], "coordination": True},
    ):
        out = apply_reforms(with_reforms(base, table))
        assert isinstance(out.item("a").route[0], ParallelStep)
        assert run_one(out)["elapsed_days"] == 3
