"""Two concentrations, two in place (两集中、两到位): the approval section moves into the hall.

The department concentrates its approval functions in one section and that section in the
hall; the authority to decide goes with it. Files no longer travel by courier to the
bureau, and the director's meeting gives way to the section's own sign-off.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from simhall.reforms.base import ALL_WEEKDAYS, Reform
from simhall.reforms.checker import Checker
from simhall.reforms.routes import flatten, map_leaves, replace_department, replace_items
from simhall.scenario.schema import Item, Scenario, SessionStep, Step

__all__ = ["TwoConcentrations"]


@dataclass(frozen=True)
class TwoConcentrations(Reform):
    """Two concentrations, two in place (两集中、两到位) for one department.

    The approval section moves into the hall (back office ``"hall"``, every pool in the
    hall, no courier) and the leader's authority moves to it: meeting steps of the
    department become sign-off steps (dropped where a sign-off of the department follows
    directly, which then decides alone).

    Parameters
    ----------
    department : str
        The department.
    meeting : {"signoff", "keep"}
        What happens to its director-meeting steps.
    daily_signoff : bool
        The section's sign-off on every working day.
    """

    department: str
    meeting: str = "signoff"
    daily_signoff: bool = False
    label: str = "two_concentrations"

    kind: ClassVar[str] = "two_concentrations"

    @classmethod
    def parse(cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario) -> TwoConcentrations:
        department = chk.department(table, "department", scenario) or ""
        daily_signoff = chk.boolean(table, "daily_signoff", False)
        if daily_signoff and department:
            dept = scenario.department(department)
            if dept.signoff is None and dept.meeting is None:
                chk.add(
                    "daily_signoff",
                    True,
                    f"false: department {department!r} has no sign-off or meeting sessions "
                    "to hold daily (give it departments.signoff first)",
                )
        return cls(
            department=department,
            meeting=chk.choice(table, "meeting", ("signoff", "keep"), "signoff"),
            daily_signoff=daily_signoff,
            label=cls.parse_label(chk, table),
        )

    def apply(self, scenario: Scenario) -> Scenario:
        dept = scenario.department(self.department)
        signoff = dept.signoff or dept.meeting
        if signoff is not None and self.daily_signoff:
            signoff = dataclasses.replace(signoff, weekdays=ALL_WEEKDAYS)
        dept = dataclasses.replace(
            dept,
            back_office="hall",
            courier=None,
            pools=tuple(dataclasses.replace(p, in_hall=True) for p in dept.pools),
            signoff=signoff,
        )
        scenario = replace_department(scenario, dept)
        if self.meeting == "keep":
            return scenario
        new: dict[str, Item] = {}
        for item in scenario.items:
            leaves = list(flatten(item.route))
            if not any(self._is_meeting(s) for s in leaves):
                continue

            def edit(step: Step, k: int, leaves: list[Step] = leaves) -> list[Step]:
                if not self._is_meeting(step):
                    return [step]
                nxt = leaves[k + 1] if k + 1 < len(leaves) else None
                if (
                    isinstance(nxt, SessionStep)
                    and nxt.session == "signoff"
                    and nxt.department == self.department
                ):
                    return []
                assert isinstance(step, SessionStep)
                return [dataclasses.replace(step, session="signoff")]

            new[item.id] = dataclasses.replace(item, route=map_leaves(item.route, edit))
        return replace_items(scenario, new)

    def _is_meeting(self, step: Step) -> bool:
        return (
            isinstance(step, SessionStep)
            and step.session == "meeting"
            and step.department == self.department
        )
