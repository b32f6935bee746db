"""The reforms of 2007-era service halls as frozen dataclasses: ``Scenario -> Scenario``.

Every reform has a ``kind`` (the value of ``kind = "..."`` in its ``[[reforms]]`` table), a
``parse`` class method that checks a raw table against the scenario it will act on, and an
``apply`` method that returns a new scenario built with :func:`dataclasses.replace` (nothing
is mutated). The parameters are documented on each class and in ``docs/reforms.md``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from simhall.distributions import Distribution, Lognormal
from simhall.reforms.base import (
    SELECTION_KEYS,
    Checker,
    Scaled,
    Selection,
    Shifted,
    Summed,
    flatten,
    map_leaves,
    parallel_by_department,
    replace_items,
    step_kind,
)
from simhall.scenario.schema import (
    Courier,
    DelayStep,
    Department,
    Item,
    ParallelStep,
    Pool,
    Scenario,
    SessionSchedule,
    SessionStep,
    Step,
    VisitStep,
    WorkStep,
)

__all__ = [
    "REGISTRY",
    "ChiefRepresentative",
    "DistrictCenter",
    "OneForm",
    "ParallelApproval",
    "Reengineering",
    "Reform",
    "Staffing",
    "TwoConcentrations",
]

ALL_WEEKDAYS = (0, 1, 2, 3, 4, 5, 6)
"""Every weekday: a session on every working day (make-up weekends included)."""
_COMMON = ("kind", "name")


class Reform:
    """Base class: a reform is a pure function of a scenario.

    Subclasses are frozen dataclasses with a class attribute ``kind`` and the keys their
    table accepts (``KEYS``).
    """

    kind: ClassVar[str] = ""
    KEYS: ClassVar[tuple[str, ...]] = _COMMON
    label: str

    @classmethod
    def parse(cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario) -> Reform:
        """Check ``table`` against ``scenario`` (problems go to ``chk``) and build the reform."""
        raise NotImplementedError

    def apply(self, scenario: Scenario) -> Scenario:
        """The scenario after the reform."""
        raise NotImplementedError


def _label(chk: Checker, table: Mapping[str, Any], kind: str) -> str:
    return chk.string(table, "name", kind) or kind


def _replace_department(scenario: Scenario, dept: Department) -> Scenario:
    return dataclasses.replace(
        scenario,
        departments=tuple(dept if d.id == dept.id else d for d in scenario.departments),
    )


def _with_pool(dept: Department, pool: Pool) -> Department:
    pools = tuple(p for p in dept.pools if p.name != pool.name) + (pool,)
    return dataclasses.replace(dept, pools=pools)


def _names_in(scenario: Scenario, ids: tuple[str, ...]) -> dict[str, str]:
    """Step names of the items ``ids`` and the kind of the first step with that name."""
    names: dict[str, str] = {}
    for item in scenario.items:
        if item.id in ids:
            for step in flatten(item.route):
                names.setdefault(step.name, step_kind(step))
    return names


# --------------------------------------------------------------------------- chief rep


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
    KEYS: ClassVar[tuple[str, ...]] = (
        *_COMMON,
        "department",
        "representatives",
        "hours",
        *SELECTION_KEYS,
        "replace",
        "onsite_duration",
        "approval_step",
        "coordination",
        "daily_signoff",
        "daily_meeting",
        "max_wait_days",
    )

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
            daily_signoff=chk.boolean(table, "daily_signoff", False),
            daily_meeting=chk.boolean(table, "daily_meeting", False),
            max_wait_days=cap,
            label=_label(chk, table, cls.kind),
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
        scenario = _replace_department(scenario, dept)
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


# --------------------------------------------------------------------------- re-engineering


@dataclass(frozen=True)
class Merge:
    """Steps merged into one: the first keeps its place, durations add up."""

    steps: tuple[str, ...]
    name: str


@dataclass(frozen=True)
class Reengineering(Reform):
    """Process re-engineering (流程再造) of the selected items.

    Parameters
    ----------
    selection : Selection
        The items re-engineered.
    remove : tuple of str
        Step names dropped wherever they occur.
    merge : tuple of Merge
        Groups of steps of one kind merged into one step named ``name`` at the first one's
        place (work minutes or delay days add up; sessions become one session).
    scale : tuple of (str, float)
        Duration factors by step name (work minutes, delay days).
    durations : tuple of (str, Distribution)
        New duration distributions by step name.
    committed_days : int or None
        New committed limit of every selected item.
    committed_by_item : tuple of (str, int)
        New committed limits by item id.
    committed_scale : float or None
        Factor on current committed limits (rounded up to whole days).
    """

    selection: Selection
    remove: tuple[str, ...] = ()
    merge: tuple[Merge, ...] = ()
    scale: tuple[tuple[str, float], ...] = ()
    durations: tuple[tuple[str, Distribution], ...] = ()
    committed_days: int | None = None
    committed_by_item: tuple[tuple[str, int], ...] = ()
    committed_scale: float | None = None
    label: str = "reengineering"

    kind: ClassVar[str] = "reengineering"
    KEYS: ClassVar[tuple[str, ...]] = (
        *_COMMON,
        *SELECTION_KEYS,
        "remove",
        "merge",
        "scale",
        "durations",
        "committed_days",
        "committed_scale",
    )

    @classmethod
    def parse(cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario) -> Reengineering:
        sel = Selection.parse(chk, table, scenario)
        ids = sel.ids(scenario)
        names = _names_in(scenario, ids)
        remove = chk.strings(table, "remove") or ()
        for k, n in enumerate(remove):
            if n not in names:
                chk.add(f"remove[{k}]", n, "a step name of the selected items")
        merges: list[Merge] = []
        raw_merge = table.get("merge", [])
        if not isinstance(raw_merge, list):
            chk.add("merge", raw_merge, '[{ steps = ["a", "b"], name = "ab" }, ...]')
            raw_merge = []
        for k, m in enumerate(raw_merge):
            where = f"merge[{k}]"
            if not isinstance(m, dict):
                chk.add(where, m, '{ steps = ["a", "b"], name = "ab" }')
                continue
            chk.keys(m, ("steps", "name"), where)
            steps = m.get("steps")
            if (
                not isinstance(steps, list)
                or len(steps) < 2
                or not all(isinstance(s, str) and s in names for s in steps)
            ):
                chk.add(f"{where}.steps", steps, "a list of >= 2 step names of the selected items")
                continue
            kinds = {names[s] for s in steps}
            if len(kinds) > 1 or "visit" in kinds:
                chk.add(f"{where}.steps", steps, "steps of one kind (work, delay or sessions)")
                continue
            name = m.get("name", steps[0])
            if not isinstance(name, str) or not name:
                chk.add(f"{where}.name", name, "a non-empty string")
                continue
            merges.append(Merge(tuple(steps), name))
        scale: list[tuple[str, float]] = []
        raw_scale = table.get("scale", {})
        if not isinstance(raw_scale, dict):
            chk.add("scale", raw_scale, "a table { step_name = factor }")
            raw_scale = {}
        for n, f in raw_scale.items():
            if names.get(n) not in ("work", "delay"):
                chk.add(f"scale.{n}", f, "a work or delay step name of the selected items")
                continue
            got = chk.number(raw_scale, n, None, low=0.0)
            if got is None:
                bad = chk.problems[-1]
                chk.problems[-1] = dataclasses.replace(bad, path=chk.path(f"scale.{n}"))
            else:
                scale.append((n, got))
        durations: list[tuple[str, Distribution]] = []
        raw_dur = table.get("durations", {})
        if not isinstance(raw_dur, dict):
            chk.add("durations", raw_dur, "a table { step_name = { dist = ... } }")
            raw_dur = {}
        for n, d in raw_dur.items():
            kind = names.get(n)
            if kind not in ("work", "delay"):
                chk.add(f"durations.{n}", d, "a work or delay step name of the selected items")
                continue
            dist = chk.dist(d, f"durations.{n}", "min" if kind == "work" else "days")
            if dist is not None:
                durations.append((n, dist))
        committed: int | None = None
        by_item: list[tuple[str, int]] = []
        raw_c = table.get("committed_days")
        if isinstance(raw_c, dict):
            for ident, v in raw_c.items():
                if ident not in ids:
                    chk.add(f"committed_days.{ident}", v, "an id of a selected item")
                elif isinstance(v, bool) or not isinstance(v, int) or v < 0:
                    chk.add(f"committed_days.{ident}", v, "a whole number >= 0")
                else:
                    by_item.append((ident, v))
        elif raw_c is not None:
            committed = chk.integer(table, "committed_days", None, minimum=0)
        cscale = chk.number(table, "committed_scale", None, low=0.0, low_open=True)
        for ident, v in [*by_item, *((i, committed) for i in ids if committed is not None)]:
            stat = scenario.item(ident).statutory_days
            if v is not None and stat is not None and v > stat:
                chk.add("committed_days", v, f"a limit <= statutory_days of {ident} ({stat})")
                break
        return cls(
            selection=sel,
            remove=remove,
            merge=tuple(merges),
            scale=tuple(scale),
            durations=tuple(durations),
            committed_days=committed,
            committed_by_item=tuple(by_item),
            committed_scale=cscale,
            label=_label(chk, table, cls.kind),
        )

    def _route(self, route: tuple[Step, ...]) -> tuple[Step, ...]:
        scale = dict(self.scale)
        durations = dict(self.durations)
        leaves = list(flatten(route))
        drop: set[int] = set()
        put: dict[int, Step] = {}
        for m in self.merge:
            where = [k for k, s in enumerate(leaves) if s.name in m.steps and k not in drop]
            if len({leaves[k].name for k in where}) < len(m.steps):
                continue
            parts = [leaves[k] for k in where]
            first = parts[0]
            if isinstance(first, WorkStep):
                merged: Step = dataclasses.replace(
                    first,
                    name=m.name,
                    duration=Summed(tuple(p.duration for p in parts if isinstance(p, WorkStep))),
                )
            elif isinstance(first, DelayStep):
                merged = dataclasses.replace(
                    first,
                    name=m.name,
                    days=Summed(tuple(p.days for p in parts if isinstance(p, DelayStep))),
                )
            else:
                merged = dataclasses.replace(first, name=m.name)
            put[where[0]] = merged
            drop.update(where[1:])

        def edit(step: Step, k: int) -> list[Step]:
            if k in drop or step.name in self.remove:
                return []
            step = put.get(k, step)
            if isinstance(step, WorkStep):
                dur = durations.get(step.name, step.duration)
                if step.name in scale:
                    dur = Scaled(dur, scale[step.name])
                step = dataclasses.replace(step, duration=dur)
            elif isinstance(step, DelayStep):
                days = durations.get(step.name, step.days)
                if step.name in scale:
                    days = Scaled(days, scale[step.name])
                step = dataclasses.replace(step, days=days)
            return [step]

        return map_leaves(route, edit)

    def apply(self, scenario: Scenario) -> Scenario:
        by_item = dict(self.committed_by_item)
        new: dict[str, Item] = {}
        for item in scenario.items:
            if not self.selection.matches(item):
                continue
            committed = item.committed_days
            if self.committed_scale is not None and committed is not None:
                committed = int(math.ceil(committed * self.committed_scale - 1e-9))
            if self.committed_days is not None:
                committed = self.committed_days
            committed = by_item.get(item.id, committed)
            new[item.id] = dataclasses.replace(
                item, route=self._route(item.route), committed_days=committed
            )
        return replace_items(scenario, new)


# --------------------------------------------------------------------------- two concentrations


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
    KEYS: ClassVar[tuple[str, ...]] = (*_COMMON, "department", "meeting", "daily_signoff")

    @classmethod
    def parse(cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario) -> TwoConcentrations:
        return cls(
            department=chk.department(table, "department", scenario) or "",
            meeting=chk.choice(table, "meeting", ("signoff", "keep"), "signoff"),
            daily_signoff=chk.boolean(table, "daily_signoff", False),
            label=_label(chk, table, cls.kind),
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
        scenario = _replace_department(scenario, dept)
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


# --------------------------------------------------------------------------- one form


@dataclass(frozen=True)
class OneForm(Reform):
    """One-form registration (一表制): a bundle of items across departments.

    The reform adds a bundle item (id ``bundle``) whose applicants come from the listed
    items' demand (``daily_demand`` is taken off each of them).

    * ``stage = "before"``: the applicant is accepted at the first item's window (filling
      its forms), goes through that department's approval, then visits the next
      department's window (a :class:`~simhall.scenario.schema.VisitStep`, queueing and
      filling its forms) and waits for its approval, and so on, in turn.
    * ``stage = "after"``: the first window enters one form once (``fields_after``); the
      applicant then only signs at each other window (short visits of ``sign_service``) and
      the departments' approvals run internally in parallel, one branch per department.

    Window minutes grow by ``min_per_field`` per form field entered.

    Parameters
    ----------
    bundle : str
        Id of the bundle item.
    items : tuple of str
        The bundle's items, one per department, in visiting order (the first is the lead
        window).
    stage : {"before", "after"}
        Which way the bundle is handled.
    daily_demand : float or None
        Bundle applicants per working day (default: the smallest volume of the items).
    forms, fields : tuple of int
        Forms and fields per item before the reform.
    forms_after, fields_after : int
        The one form's size.
    min_per_field : float
        Window minutes per form field.
    sign_service : Distribution
        Minutes of a signing visit after the reform.
    """

    bundle: str
    items: tuple[str, ...]
    stage: str = "after"
    daily_demand: float | None = None
    forms: tuple[int, ...] = ()
    fields: tuple[int, ...] = ()
    forms_after: int = 1
    fields_after: int = 0
    min_per_field: float = 0.1
    sign_service: Distribution = field(default_factory=lambda: Lognormal(3.0, 1.5))
    label: str = "one_form"

    kind: ClassVar[str] = "one_form"
    KEYS: ClassVar[tuple[str, ...]] = (
        *_COMMON,
        "bundle",
        "items",
        "stage",
        "daily_demand",
        "forms",
        "fields",
        "forms_after",
        "fields_after",
        "min_per_field",
        "sign_service",
    )

    @classmethod
    def parse(cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario) -> OneForm:
        items = chk.strings(table, "items") or ()
        if "items" not in table:
            chk.add("items", None, "a list of >= 2 item ids, one per department, lead first")
        known = {i.id: i for i in scenario.items}
        depts: list[str] = []
        for k, ident in enumerate(items):
            if ident not in known:
                chk.add(f"items[{k}]", ident, "an item id of the scenario")
            elif known[ident].department in depts:
                chk.add(f"items[{k}]", ident, "items of different departments")
            else:
                depts.append(known[ident].department)
        if items and len(items) < 2:
            chk.add("items", list(items), "a list of >= 2 item ids")
        bundle = chk.string(table, "bundle", "bundle") or "bundle"
        if bundle in known:
            chk.add("bundle", bundle, "a new item id (not one of the scenario's)")

        def ints(key: str) -> tuple[int, ...]:
            raw = table.get(key, [0] * len(items))
            if (
                not isinstance(raw, list)
                or len(raw) != len(items)
                or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in raw)
            ):
                chk.add(key, raw, f"a list of {len(items)} whole numbers >= 0 (one per item)")
                return (0,) * len(items)
            return tuple(raw)

        sign = (
            chk.dist(table["sign_service"], "sign_service", "min")
            if "sign_service" in table
            else None
        )
        return cls(
            bundle=bundle,
            items=items,
            stage=chk.choice(table, "stage", ("before", "after"), "after"),
            daily_demand=chk.number(table, "daily_demand", None, low=0.0),
            forms=ints("forms"),
            fields=ints("fields"),
            forms_after=chk.integer(table, "forms_after", 1, minimum=0) or 0,
            fields_after=chk.integer(table, "fields_after", 0, minimum=0) or 0,
            min_per_field=chk.number(table, "min_per_field", 0.1, low=0.0) or 0.0,
            sign_service=sign or Lognormal(3.0, 1.5),
            label=_label(chk, table, cls.kind),
        )

    def profile(self) -> dict[str, float]:
        """Visits, forms and fields per bundle application (without returns for 补正)."""
        if self.stage == "before":
            return {
                "visits": float(len(self.items)),
                "forms": float(sum(self.forms)),
                "fields": float(sum(self.fields)),
            }
        return {
            "visits": float(len(self.items)),
            "forms": float(self.forms_after),
            "fields": float(self.fields_after),
        }

    def apply(self, scenario: Scenario) -> Scenario:
        parts = [scenario.item(i) for i in self.items]
        lead = parts[0]
        volume = (
            self.daily_demand
            if self.daily_demand is not None
            else min(p.demand.daily_volume for p in parts)
        )
        mpf = self.min_per_field
        route: list[Step] = []
        if self.stage == "before":
            service: Distribution = Shifted(lead.window_service, self.fields[0] * mpf)
            route.extend(lead.route)
            for k, p in enumerate(parts[1:], start=1):
                route.append(
                    VisitStep(
                        name=f"visit_{p.department}",
                        department=p.department,
                        service=Shifted(p.window_service, self.fields[k] * mpf),
                        forms=self.forms[k],
                        fields=self.fields[k],
                    )
                )
                route.extend(p.route)
            committed = sum(p.committed_days or 0 for p in parts)
        else:
            service = Shifted(lead.window_service, self.fields_after * mpf)
            for p in parts[1:]:
                route.append(
                    VisitStep(
                        name=f"sign_{p.department}",
                        department=p.department,
                        service=self.sign_service,
                    )
                )
            approvals: list[Step] = [s for p in parts for s in p.route]
            route.extend(parallel_by_department(approvals, "internal_approval", lead.department))
            committed = max(p.committed_days or 0 for p in parts)
        bundle = Item(
            id=self.bundle,
            name=f"{self.bundle} ({self.stage} one form)",
            department=lead.department,
            kind="commitment",
            demand=dataclasses.replace(lead.demand, daily_volume=volume),
            window_service=service,
            committed_days=committed,
            statutory_days=None,
            incomplete_prob=lead.incomplete_prob,
            return_delay=lead.return_delay,
            route=tuple(route),
            group=lead.group,
            tags=("one_form_bundle",),
        )
        item_fields = {f.name for f in dataclasses.fields(Item)}
        if {"forms", "fields"} <= item_fields:
            before = self.stage == "before"
            forms = self.forms[0] if before else self.forms_after
            nfields = self.fields[0] if before else self.fields_after
            bundle = dataclasses.replace(bundle, forms=forms, fields=nfields)  # type: ignore[call-arg]
        items: list[Item] = []
        for item in scenario.items:
            if item.id in self.items:
                left = max(item.demand.daily_volume - volume, 0.0)
                item = dataclasses.replace(
                    item, demand=dataclasses.replace(item.demand, daily_volume=left)
                )
            items.append(item)
        items.append(bundle)
        return dataclasses.replace(scenario, items=tuple(items))


# --------------------------------------------------------------------------- parallel approval


@dataclass(frozen=True)
class ParallelApproval(Reform):
    """Parallel approval (并联审批): the selected items' steps run in one parallel step with a
    branch per department (order kept within a department's branch).

    Parameters
    ----------
    selection : Selection
        The items (bundles) concerned; routes within one department are left alone.
    """

    selection: Selection
    label: str = "parallel_approval"

    kind: ClassVar[str] = "parallel_approval"
    KEYS: ClassVar[tuple[str, ...]] = (*_COMMON, *SELECTION_KEYS)

    @classmethod
    def parse(cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario) -> ParallelApproval:
        return cls(Selection.parse(chk, table, scenario), _label(chk, table, cls.kind))

    def apply(self, scenario: Scenario) -> Scenario:
        new = {
            i.id: dataclasses.replace(
                i, route=parallel_by_department(i.route, "parallel_approval", i.department)
            )
            for i in scenario.items
            if self.selection.matches(i) and i.route
        }
        return replace_items(scenario, new)


# --------------------------------------------------------------------------- staffing


@dataclass(frozen=True)
class Staffing(Reform):
    """Windows, staff, opening hours and demand.

    Parameters
    ----------
    selection : Selection
        Items whose demand changes (default: all); departments listed (or the departments
        of the selected items) get the window and staff changes.
    windows, add_windows : int or None
        Set or change the number of windows of those departments.
    staff, add_staff : tuple of (str, int)
        Set or change pool staff by pool name.
    opening : tuple of (int, int) or None
        New hall opening sessions (weekday overrides are dropped).
    demand_factor : float
        Demand growth factor (1.2 = +20%).
    online_share : float
        Share of the demand filed online instead (removed from the hall).
    """

    selection: Selection = field(default_factory=Selection)
    windows: int | None = None
    add_windows: int | None = None
    staff: tuple[tuple[str, int], ...] = ()
    add_staff: tuple[tuple[str, int], ...] = ()
    opening: tuple[tuple[int, int], ...] | None = None
    demand_factor: float = 1.0
    online_share: float = 0.0
    label: str = "staffing"

    kind: ClassVar[str] = "staffing"
    KEYS: ClassVar[tuple[str, ...]] = (
        *_COMMON,
        *SELECTION_KEYS,
        "windows",
        "add_windows",
        "staff",
        "add_staff",
        "opening",
        "demand_factor",
        "online_share",
    )

    @classmethod
    def parse(cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario) -> Staffing:
        sel = Selection.parse(chk, table, scenario, required=False)
        windows = chk.integer(table, "windows", None, minimum=1)
        add_windows: int | None = None
        if "add_windows" in table:
            v = table["add_windows"]
            if isinstance(v, bool) or not isinstance(v, int):
                chk.add("add_windows", v, "a whole number (may be negative)")
            else:
                add_windows = v
        staff: dict[str, tuple[tuple[str, int], ...]] = {}
        for key in ("staff", "add_staff"):
            raw = table.get(key, {})
            ok = isinstance(raw, dict) and all(
                isinstance(v, int) and not isinstance(v, bool) and (key == "add_staff" or v >= 1)
                for v in raw.values()
            )
            if not ok:
                chk.add(key, raw, "a table { pool_name = whole number }")
                raw = {}
            staff[key] = tuple(raw.items())
        touches_depts = windows is not None or add_windows is not None or any(staff.values())
        targets = cls._targets(sel, scenario)
        if touches_depts and not targets:
            chk.add("departments", None, "the departments whose windows or staff change")
        for key, pairs in staff.items():
            for pool, _ in pairs:
                for d in targets:
                    if pool not in [p.name for p in scenario.department(d).pools]:
                        chk.add(f"{key}.{pool}", pool, f"a pool of department {d!r}")
                        break
        if add_windows is not None:
            for d in targets:
                if scenario.department(d).windows + add_windows < 1:
                    chk.add("add_windows", add_windows, f"at least 1 window left in {d!r}")
                    break
        opening = chk.intervals(table["opening"], "opening") if "opening" in table else None
        return cls(
            selection=sel,
            windows=windows,
            add_windows=add_windows,
            staff=staff["staff"],
            add_staff=staff["add_staff"],
            opening=opening,
            demand_factor=chk.number(table, "demand_factor", 1.0, low=0.0) or 0.0,
            online_share=chk.number(table, "online_share", 0.0, low=0.0, high=1.0) or 0.0,
            label=_label(chk, table, cls.kind),
        )

    @staticmethod
    def _targets(sel: Selection, scenario: Scenario) -> tuple[str, ...]:
        if sel.everything:
            return tuple(d.id for d in scenario.departments)
        if sel.departments:
            return sel.departments
        if sel.empty:
            return ()
        return tuple(dict.fromkeys(scenario.item(i).department for i in sel.ids(scenario)))

    def apply(self, scenario: Scenario) -> Scenario:
        depts = []
        targets = self._targets(self.selection, scenario)
        set_staff, add_staff = dict(self.staff), dict(self.add_staff)
        for d in scenario.departments:
            if d.id in targets:
                windows = self.windows if self.windows is not None else d.windows
                windows += self.add_windows or 0
                pools = tuple(
                    dataclasses.replace(
                        p, staff=max(1, set_staff.get(p.name, p.staff) + add_staff.get(p.name, 0))
                    )
                    for p in d.pools
                )
                d = dataclasses.replace(d, windows=max(1, windows), pools=pools)
            depts.append(d)
        factor = self.demand_factor * (1.0 - self.online_share)
        items = []
        for item in scenario.items:
            if factor != 1.0 and (self.selection.empty or self.selection.matches(item)):
                volume = item.demand.daily_volume * factor
                item = dataclasses.replace(
                    item, demand=dataclasses.replace(item.demand, daily_volume=volume)
                )
            items.append(item)
        calendar = scenario.calendar
        if self.opening is not None:
            calendar = dataclasses.replace(calendar, opening=self.opening, opening_by_weekday=())
        return dataclasses.replace(
            scenario, departments=tuple(depts), items=tuple(items), calendar=calendar
        )


# --------------------------------------------------------------------------- district center


@dataclass(frozen=True)
class DistrictCenter(Reform):
    """A district sub-center (三级联动) handling a share of the demand for selected items.

    Each department with selected items gets a copy ``<id><suffix>`` with its own windows
    (and, by default, pools of the same names and sizes: the district bureau's staff);
    each selected item gets a copy ``<id><suffix>`` at that department carrying ``share``
    of its demand, its own department's steps moved to the copy (other departments' steps,
    e.g. the fire brigade's review, stay in the city).

    Parameters
    ----------
    selection : Selection
        The items offered at the district center.
    share : float
        Share of each item's demand that goes there.
    windows : int
        Windows per department at the district center.
    staff : int or None
        Staff of each copied pool (default: as in the city).
    suffix : str
        Suffix of the new department and item ids.
    """

    selection: Selection
    share: float = 0.2
    windows: int = 1
    staff: int | None = None
    suffix: str = "@district"
    label: str = "district_center"

    kind: ClassVar[str] = "district_center"
    KEYS: ClassVar[tuple[str, ...]] = (
        *_COMMON,
        *SELECTION_KEYS,
        "share",
        "windows",
        "staff",
        "suffix",
    )

    @classmethod
    def parse(cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario) -> DistrictCenter:
        suffix = chk.string(table, "suffix", "@district") or "@district"
        return cls(
            selection=Selection.parse(chk, table, scenario),
            share=chk.number(table, "share", 0.2, low=0.0, high=1.0, low_open=True) or 0.2,
            windows=chk.integer(table, "windows", 1, minimum=1) or 1,
            staff=chk.integer(table, "staff", None, minimum=1),
            suffix=suffix,
            label=_label(chk, table, cls.kind),
        )

    def apply(self, scenario: Scenario) -> Scenario:
        chosen = {i.id for i in scenario.items if self.selection.matches(i)}
        depts = {i.department for i in scenario.items if i.id in chosen}
        new_depts = []
        for d in scenario.departments:
            if d.id in depts:
                pools = tuple(
                    dataclasses.replace(p, staff=self.staff if self.staff else p.staff)
                    for p in d.pools
                )
                courier = d.courier
                if courier is None and d.back_office == "outside":
                    courier = Courier((600,), 30.0)
                new_depts.append(
                    dataclasses.replace(
                        d,
                        id=d.id + self.suffix,
                        name=f"{d.name}{self.suffix}",
                        windows=self.windows,
                        pools=pools,
                        courier=courier,
                    )
                )
        items: list[Item] = []
        copies: list[Item] = []
        for item in scenario.items:
            if item.id in chosen:
                volume = item.demand.daily_volume
                home = item.department
                suffix = self.suffix

                def move(step: Step, k: int, home: str = home, suffix: str = suffix) -> list[Step]:
                    if getattr(step, "department", None) == home and not isinstance(
                        step, ParallelStep
                    ):
                        return [dataclasses.replace(step, department=home + suffix)]
                    return [step]

                copies.append(
                    dataclasses.replace(
                        item,
                        id=item.id + self.suffix,
                        department=home + self.suffix,
                        demand=dataclasses.replace(item.demand, daily_volume=volume * self.share),
                        route=map_leaves(item.route, move),
                        tags=("district_center",),
                    )
                )
                item = dataclasses.replace(
                    item,
                    demand=dataclasses.replace(item.demand, daily_volume=volume * (1 - self.share)),
                )
            items.append(item)
        return dataclasses.replace(
            scenario,
            departments=scenario.departments + tuple(new_depts),
            items=tuple(items) + tuple(copies),
        )


REGISTRY: dict[str, type[Reform]] = {
    cls.kind: cls
    for cls in (
        ChiefRepresentative,
        Reengineering,
        TwoConcentrations,
        OneForm,
        ParallelApproval,
        Staffing,
        DistrictCenter,
    )
}
"""Reform classes by ``kind``."""
