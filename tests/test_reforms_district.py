"""District centers: a share of the demand, and the item's own department, move out."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from simhall.distributions import Fixed
from simhall.reforms import apply_reforms
from simhall.reforms.routes import flatten
from simhall.scenario.schema import DelayStep, Scenario, WorkStep
from tests.helpers import department, item, model, scenario

WithReforms = Callable[..., Scenario]


def test_district_center_moves_a_share_of_demand_to_a_second_hall(
    with_reforms: WithReforms,
) -> None:
    route = [
        WorkStep("section_review", "d", "section", Fixed(10.0)),
        DelayStep("other_dept", "e", Fixed(1.0)),
    ]
    base = scenario(
        [item("a", route=route, volume=10.0), item("b", volume=2.0)],
        [department("d"), department("e")],
    )
    out = apply_reforms(
        with_reforms(base, {"kind": "district_center", "items": ["a"], "share": 0.3, "windows": 2})
    )
    copy = out.item("a@district")
    assert copy.department == "d@district" and out.department("d@district").windows == 2
    assert copy.demand.daily_volume == pytest.approx(3.0)
    assert out.item("a").demand.daily_volume == pytest.approx(7.0)
    assert [s.department for s in flatten(copy.route)] == ["d@district", "e"]
    m = model(out, days=30).run()
    cases = m.case_frame()
    assert (cases["item_id"] == "a@district").sum() > 0
