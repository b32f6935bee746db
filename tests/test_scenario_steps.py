"""Routes: every kind of step, parallel branches, steps of another department."""

from __future__ import annotations

from simhall.distributions import Exponential, Fixed, Lognormal, Uniform
from simhall.scenario import DelayStep, ParallelStep, Scenario, SessionStep, WorkStep


def test_route_with_parallel_branches(small_hall: Scenario) -> None:
    item = small_hall.item("JW-001")
    assert item.kind == "commitment"
    assert (item.committed_days, item.statutory_days) == (12, 20)
    assert item.tags == ("compressed_2007",)
    check, joint, meeting, notice, signoff = item.route
    assert check == WorkStep("acceptance_check", "jianwei", "chief", Fixed(value=15))
    assert isinstance(joint, ParallelStep)
    first, second = joint.branches
    assert first == (
        WorkStep("section_review", "jianwei", "section", Lognormal(mean=120, sd=60)),
        DelayStep("site_inspection", "jianwei", Uniform(low=1, high=3)),
    )
    assert second == (WorkStep("business_check", "gongshang", "clerk", Exponential(mean=60)),)
    assert meeting == SessionStep("director_meeting", "jianwei", "meeting", probability=0.2)
    assert notice == DelayStep("public_notice", "jianwei", Fixed(value=5), counts=False)
    assert signoff == SessionStep("leader_signoff", "jianwei", "signoff")
