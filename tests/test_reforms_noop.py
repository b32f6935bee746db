"""Reform keys that would do nothing are errors naming the key, not silent no-ops (issue 9,
item 6), and an unknown department lists the valid ones (item 11)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from simhall.reforms import apply_reforms
from simhall.scenario import ScenarioError
from simhall.scenario.schema import Scenario, SessionSchedule
from tests.helpers import department, item, scenario

WithReforms = Callable[..., Scenario]
SIGNOFF = SessionSchedule(weekdays=(1, 4), times_min=(960,), duration_min=30)


@pytest.mark.parametrize(
    "table, key",
    [
        ({"kind": "two_concentrations", "department": "d", "daily_signoff": True}, "signoff"),
        ({"kind": "chief_representative", "department": "d", "daily_signoff": True}, "signoff"),
        ({"kind": "chief_representative", "department": "d", "daily_meeting": True}, "meeting"),
    ],
)
def test_daily_sessions_on_a_department_without_sessions(
    with_reforms: WithReforms, table: dict[str, object], key: str
) -> None:
    base = scenario([item("a")], [department("d")])
    with pytest.raises(ScenarioError) as info:
        apply_reforms(with_reforms(base, table))
    message = str(info.value)
    assert f"reforms[0].daily_{key} = true" in message
    assert "has no" in message and "'d'" in message


def test_daily_signoff_where_there_are_sessions_is_accepted(with_reforms: WithReforms) -> None:
    base = scenario([item("a")], [department("d", signoff=SIGNOFF)])
    table = {"kind": "two_concentrations", "department": "d", "daily_signoff": True}
    out = apply_reforms(with_reforms(base, table))
    signoff = out.department("d").signoff
    assert signoff is not None and signoff.weekdays == (0, 1, 2, 3, 4, 5, 6)


def test_unknown_department_lists_the_valid_ones(with_reforms: WithReforms) -> None:
    base = scenario([item("a")], [department("build"), department("health")])
    table = {"kind": "chief_representative", "department": "buld"}
    with pytest.raises(ScenarioError) as info:
        apply_reforms(with_reforms(base, table))
    message = str(info.value)
    assert "(build, health)" in message and "build" in message.split("(build, health)")[1]
