"""Process re-engineering: removed, merged and scaled steps, new limits (exact, Fixed)."""

from __future__ import annotations

from collections.abc import Callable

from simhall.distributions import Fixed
from simhall.reforms import apply_reforms
from simhall.reforms.routes import step_count
from simhall.scenario.schema import DelayStep, Scenario, WorkStep
from tests.helpers import item, scenario

WithReforms = Callable[..., Scenario]
RunOne = Callable[..., dict[str, object]]


def test_removing_a_two_day_delay_shortens_elapsed_days_by_exactly_two(
    with_reforms: WithReforms, run_one: RunOne
) -> None:
    route = [
        WorkStep("section_review", "d", "section", Fixed(30.0)),
        DelayStep("site_inspection", "d", Fixed(2.0)),
        WorkStep("report", "d", "section", Fixed(30.0)),
    ]
    base = scenario([item("a", route=route)])
    reformed = apply_reforms(
        with_reforms(base, {"kind": "reengineering", "items": ["a"], "remove": ["site_inspection"]})
    )
    before, after = run_one(base), run_one(reformed)
    assert before["elapsed_days"] - after["elapsed_days"] == 2
    assert step_count(reformed.item("a").route) == 2


def test_reengineering_scales_merges_and_sets_limits(
    with_reforms: WithReforms, run_one: RunOne
) -> None:
    route = [
        WorkStep("r1", "d", "section", Fixed(30.0)),
        WorkStep("r2", "d", "section", Fixed(20.0)),
        DelayStep("wait", "d", Fixed(4.0)),
    ]
    base = scenario([item("a", route=route, committed_days=10)])
    out = apply_reforms(
        with_reforms(
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
    assert run_one(out)["elapsed_days"] == 2
