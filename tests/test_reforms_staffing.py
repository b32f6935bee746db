"""Staffing: windows, staff, opening hours and demand change where the table says."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from simhall.reforms import apply_reforms
from simhall.scenario import ScenarioError
from simhall.scenario.schema import Scenario
from tests.helpers import department, item, scenario

WithReforms = Callable[..., Scenario]


def test_staffing_changes_windows_staff_hours_and_demand(with_reforms: WithReforms) -> None:
    base = scenario([item("a", volume=10.0), item("b", volume=4.0)], [department("d")])
    out = apply_reforms(
        with_reforms(
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
    # the online share is still demand on the hall (the back office's), not removed from it
    assert out.item("a").demand.daily_volume == pytest.approx(15.0)
    assert out.item("a").online is not None and out.item("a").online.share == 0.2
    assert out.item("a").online.pickup is None
    assert out.item("b").demand.daily_volume == 4.0
    assert out.item("b").online is None


def test_staffing_of_an_unknown_department_is_reported(with_reforms: WithReforms) -> None:
    base = scenario([item("a")], [department("d")])
    table = {"kind": "staffing", "departments": ["e"], "add_windows": -1, "staff": {"x": 2}}
    with pytest.raises(ScenarioError) as info:
        apply_reforms(with_reforms(base, table))
    assert str(info.value) == (
        't.toml: reforms[0].departments[0] = "e": expected a department id of the scenario (d)'
    )
