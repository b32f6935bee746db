"""Chief representatives (首席代表制): a department's authority moved to its hall window.

Before the reform a window only accepts files and sends them to the bureau's offices for
review, the leader's sign-off and perhaps a director's meeting. A chief representative is
a senior official stationed at the window with the power to approve on the spot: the
department's review and sign-off steps of the authorized items become one on-site
approval. Coordination and supervision powers go further: the item's departments review
at once, and the department's sessions are held every working day or capped in waiting.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from simhall.distributions import Distribution, Lognormal
from simhall.reforms.base import ALL_WEEKDAYS, Reform
from simhall.reforms.checker import Checker
from simhall.reforms.routes import (
    flatten,
    map_leaves,
    parallel_by_department,
    replace_department,
    replace_items,
    step_kind,
)
from simhall.reforms.selection import Selection
from simhall.scenario.schema import (
    Department,
    Item,
    Pool,
    Scenario,
    SessionSchedule,
    Step,
    WorkStep,
)

__all__ = ["ChiefRepresentative"]


def _with_pool(dept: Department, pool: Pool) -> Department:
    pools = tuple(p for p in dept.pools if p.name != pool.name) + (pool,)
    return dataclasses.replace(dept, pools=pools)


@dataclass(frozen=True)
class ChiefRepresentative(Reform):
    """Chief representative system (首席代表制) for one department.

    Parameters
    ----------
    department : str
        The department whose window gets chief representatives.
    representatives : int
        How many chief representatives (staff of a new in-hall pool ``chief``).
    hours : tuple of (int, int) or None
        Their hours on working days (default: the hall's opening hours).
    selection : Selection
        Authorized items (default: every item of the department); items of other
        departments selected by a tag are ignored.
    replace : tuple of str
        Step names, or kinds ``work`` (section review), ``signoff``, ``meeting``, of the
        department's steps that the on-site approval replaces. The approval takes the place
        of the last replaced step; the others are dropped.
    onsite_duration : Distribution
        Minutes of the chief representative's on-site approval.
    approval_step : str
        Name of the new step.
    coordination : bool
        Coordination power: an authorized item's steps run in parallel branches by
        department (the department's own remaining steps alongside other departments').
    daily_signoff, daily_meeting : bool
        Supervision power: the department's sign-off (meeting) sessions on every working day.
    max_wait_days : float or None
        Supervision cap: no file waits more than this many working days for a session.
    """

    department: str
    representatives: int = 1
    hours: tuple[tuple[int, int], ...] | None = None
    selection: Selection = field(default_factory=Selection)
    replace: tuple[str, ...] = ("work", "signoff", "meeting")
    onsite_duration: Distribution = field(default_factory=lambda: Lognormal(15.0, 8.0))
    approval_step: str = "onsite_approval"
    coordination: bool = False
    daily_signoff: bool = False
    daily_meeting: bool = False
    max_wait_days: float | None = None
    label: str = "chief_representative"

    kind: ClassVar[str] = "chief_representative"

    @classmethod
    def parse(
        cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario
    ) -> ChiefRepresentative:
        dept = chk.department(table, "department", scenario) or ""
        sel = Selection.parse(chk, table, scenario, required=False)
        if dept:
            for k, ident in enumerate(sel.items):
                found = [i for i in scenario.items if i.id == ident]
                if found and found[0].department != dept:
                    chk.add(f"items[{k}]", ident, f"an item of department {dept!r}")
        replace: tuple[str, ...] = ()
        if table.get("replace", None) != []:
            replace = chk.strings(table, "replace") or cls.replace
        if dept and "replace" in table:
            names = {
                s.name
                for i in scenario.items
                for s in flatten(i.route)
                if getattr(s, "department", "") == dept
            }
            for k, word in enumerate(replace):
                if word not in names and word not in ("work", "signoff", "meeting"):
                    chk.add(
                        f"replace[{k}]",
                        word,
                        f'a step name of department {dept!r} or "work", "signoff", "meeting"',
                    )
        hours = chk.intervals(table["hours"], "hours") if "hours" in table else None
        dist = (
            chk.dist(table["onsite_duration"], "onsite_duration", "min")
            if "onsite_duration" in table
            else None
        )
        cap = chk.number(table, "max_wait_days", None, low=0.0)
        daily = {
            attr: chk.boolean(table, f"daily_{attr}", False) for attr in ("signoff", "meeting")
        }
        if dept:
            department = scenario.department(dept)
            for attr, on in daily.items():
                if on and getattr(department, attr) is None:
                    chk.add(
                        f"daily_{attr}",
                        True,
                        f"false: department {dept!r} has no {attr} sessions to hold daily",
                    )
        return cls(
            department=dept,
            representatives=chk.integer(table, "representatives", 1, minimum=1) or 1,
            hours=hours,
            selection=sel,
            replace=replace,
            onsite_duration=dist or Lognormal(15.0, 8.0),
            approval_step=chk.string(table, "approval_step", "onsite_approval")
            or "onsite_approval",
            coordination=chk.boolean(table, "coordination", False),
            daily_signoff=daily["signoff"],
            daily_meeting=daily["meeting"],
            max_wait_days=cap,
            label=cls.parse_label(chk, table),
        )

    def authorized(self, scenario: Scenario) -> tuple[str, ...]:
        """Ids of the authorized items (the department's, within the selection)."""
        return tuple(
            i.id
            for i in scenario.items
            if i.department == self.department
            and (self.selection.empty or self.selection.matches(i))
        )

    def _matches(self, step: Step) -> bool:
        if getattr(step, "department", "") != self.department:
            return False
        return step.name in self.replace or step_kind(step) in self.replace

    def apply(self, scenario: Scenario) -> Scenario:
        dept = scenario.department(self.department)
        dept = _with_pool(dept, Pool("chief", self.representatives, in_hall=True, hours=self.hours))
        for attr, daily in (("signoff", self.daily_signoff), ("meeting", self.daily_meeting)):
            sched: SessionSchedule | None = getattr(dept, attr)
            if sched is None:
                continue
            if daily:
                sched = dataclasses.replace(sched, weekdays=ALL_WEEKDAYS)
            if self.max_wait_days is not None:
                sched = dataclasses.replace(sched, max_wait_days=self.max_wait_days)
            if attr == "signoff":
                dept = dataclasses.replace(dept, signoff=sched)
            else:
                dept = dataclasses.replace(dept, meeting=sched)
        scenario = replace_department(scenario, dept)
        approval = WorkStep(self.approval_step, self.department, "chief", self.onsite_duration)
        new: dict[str, Item] = {}
        for item in scenario.items:
            if item.id not in self.authorized(scenario) or not item.route:
                continue
            hits = [k for k, s in enumerate(flatten(item.route)) if self._matches(s)]
            route = item.route
            if hits:

                def swap(step: Step, k: int, hits: list[int] = hits) -> list[Step]:
                    if k == hits[-1]:
                        return [approval]
                    return [] if k in hits else [step]

                route = map_leaves(route, swap)
            if self.coordination:
                route = parallel_by_department(route, "coordinated_approval", item.department)
            if route != item.route:
                new[item.id] = dataclasses.replace(item, route=route)
        return replace_items(scenario, new)
