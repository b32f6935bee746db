"""From a scenario to a hall ready to run: pools, timetables, streams and compiled routes.

Before the doors open, the hall office sets up the day: each department's row of windows and
its back-office sections are staffed, the courier and session timetables are pinned up, and
every item's procedure sheet (its route: review, sign-off, courier, inspection...) is turned
into a checklist whose every line already knows which desk does it and which dice decide how
long it takes. :func:`compile_hall` does that once per replication, so that the running model
(:mod:`simhall.model.hall`) looks nothing up while cases move.

Activity and resource names are coded as small integers in the records (the code tables of
:class:`CompiledHall`); every random quantity is a named stream of :class:`NamedStreams`
(``item/<id>/window_service``, ``item/<id>/step/<name>#<k>/duration``...), which is what
keeps an item's draws unchanged when another item changes (common random numbers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import simpy

from simhall.calendar import WorkCalendar, WorkClock
from simhall.logs.schema import ACCEPT, CORRECTION, TO_BACK_OFFICE, TO_HALL
from simhall.model.arrivals import IntradayProfile
from simhall.model.resources import ServerPool
from simhall.model.timetables import CourierTimetable, SessionTimetable
from simhall.scenario.schema import (
    DelayStep,
    Department,
    Item,
    ParallelStep,
    Scenario,
    SessionStep,
    Step,
    VisitStep,
    WorkStep,
)
from simhall.streams import Draws, NamedStreams

HALL = "hall"
"""Location of a file inside the hall; an outside back office is the department id."""


class CompiledStep:
    """A route step with its streams and runtime resources resolved.

    Attributes
    ----------
    kind : {"work", "session", "visit", "delay", "parallel"}
        What the step does.
    pool : ServerPool or None
        The staff pool of a work step.
    window : ServerPool or None
        The window row of a visit step.
    session : SessionTimetable or None
        The sessions of a session step.
    duration : Draws or None
        Work minutes, visit service minutes or delay working days.
    coin : Draws or None
        Uniform draws deciding an optional step (``probability < 1``).
    probability : float
        Chance that the step happens.
    counts : bool
        Whether the step's time counts against the committed limit.
    location : str or None
        Where the file must be (:data:`HALL` or a department id); ``None`` for delays and
        parallel blocks.
    branches : list of list of CompiledStep
        The branches of a parallel block.
    act, res : int
        Activity code, and resource code of a session's leader or director (-1 otherwise).
    """

    __slots__ = (
        "kind",
        "pool",
        "window",
        "session",
        "duration",
        "coin",
        "probability",
        "counts",
        "location",
        "branches",
        "act",
        "res",
    )

    def __init__(self) -> None:
        self.kind = ""
        self.pool: ServerPool | None = None
        self.window: ServerPool | None = None
        self.session: SessionTimetable | None = None
        self.duration: Draws | None = None
        self.coin: Draws | None = None
        self.probability = 1.0
        self.counts = True
        self.location: str | None = None
        self.branches: list[list[CompiledStep]] = []
        self.act = -1
        self.res = -1


class CompiledItem:
    """An item with its window row, streams, compiled route and intraday profile.

    Attributes
    ----------
    index : int
        Position in the scenario's items (the item code in the records).
    item : Item
        The item's specification.
    window : ServerPool
        Its department's windows.
    service : Draws
        Window service minutes (``item/<id>/window_service``).
    incomplete : Draws
        Uniform draws against ``incomplete_prob`` (``item/<id>/incomplete``).
    return_delay : Draws or None
        Working days until an applicant returns with completed papers.
    return_time : Draws
        Uniform draws for the time of day of that return (``item/<id>/return_time``).
    route : list of CompiledStep
        The back-office route after acceptance.
    profile : IntradayProfile
        The item's intraday ticket-time profile.
    """

    __slots__ = (
        "index",
        "item",
        "window",
        "service",
        "incomplete",
        "return_delay",
        "return_time",
        "route",
        "profile",
    )

    def __init__(
        self,
        index: int,
        item: Item,
        window: ServerPool,
        service: Draws,
        incomplete: Draws,
        return_delay: Draws | None,
        return_time: Draws,
        route: list[CompiledStep],
    ) -> None:
        self.index = index
        self.item = item
        self.window = window
        self.service = service
        self.incomplete = incomplete
        self.return_delay = return_delay
        self.return_time = return_time
        self.route = route
        self.profile = IntradayProfile(item.demand.intraday)


def code(table: dict[str, int], name: str) -> int:
    """The code of ``name`` in ``table``, adding it if new."""
    found = table.get(name)
    if found is None:
        found = table[name] = len(table)
    return found


@dataclass
class CompiledHall:
    """Everything a replication's processes use, resolved from the scenario.

    Attributes
    ----------
    windows : dict
        Window row per department id.
    pools : dict
        Staff pool per ``(department id, pool name)``.
    couriers : dict
        Courier timetable per department id (departments with an outside back office).
    sessions : dict
        Session timetable per ``(department id, "signoff" | "meeting")``.
    items : list of CompiledItem
        In the scenario's order.
    activities, resources : dict
        Code tables: name -> small int, in order of first use.
    """

    windows: dict[str, ServerPool] = field(default_factory=dict)
    pools: dict[tuple[str, str], ServerPool] = field(default_factory=dict)
    couriers: dict[str, CourierTimetable] = field(default_factory=dict)
    sessions: dict[tuple[str, str], SessionTimetable] = field(default_factory=dict)
    items: list[CompiledItem] = field(default_factory=list)
    activities: dict[str, int] = field(default_factory=dict)
    resources: dict[str, int] = field(default_factory=dict)

    def all_pools(self) -> list[tuple[str, ServerPool]]:
        """``(kind, pool)`` for every window row (``"window"``) then staff pool (``"pool"``)."""
        return [("window", p) for p in self.windows.values()] + [
            ("pool", p) for p in self.pools.values()
        ]


def compile_hall(
    scenario: Scenario,
    calendar: WorkCalendar,
    hall_clock: WorkClock,
    env: simpy.Environment,
    streams: NamedStreams,
) -> CompiledHall:
    """Staff the hall, pin up its timetables and compile every item's route.

    Parameters
    ----------
    scenario : Scenario
        The hall.
    calendar : WorkCalendar
        Its calendar over the whole run.
    hall_clock : WorkClock
        The hall's opening-hours clock (``calendar.clock()``).
    env : simpy.Environment
        The simulation the pools live in.
    streams : NamedStreams
        The replication's named streams.
    """
    hall = CompiledHall()
    for name in (ACCEPT, CORRECTION, TO_HALL, TO_BACK_OFFICE):
        code(hall.activities, name)
    _staff(hall, scenario, calendar, hall_clock, env, streams)
    departments = {d.id: d for d in scenario.departments}
    for index, item in enumerate(scenario.items):
        service = streams.stream(f"item/{item.id}/window_service", item.window_service)
        incomplete = streams.uniform(f"item/{item.id}/incomplete")
        return_delay = (
            streams.stream(f"item/{item.id}/return_delay", item.return_delay)
            if item.return_delay is not None
            else None
        )
        return_time = streams.uniform(f"item/{item.id}/return_time")
        route = _compile_steps(hall, departments, streams, item, item.route, {})
        hall.items.append(
            CompiledItem(
                index,
                item,
                hall.windows[item.department],
                service,
                incomplete,
                return_delay,
                return_time,
                route,
            )
        )
    return hall


def _new_pool(
    hall: CompiledHall, env: simpy.Environment, key: str, capacity: int, clock: WorkClock
) -> ServerPool:
    pool = ServerPool(env, key, capacity, clock)
    pool.codes = [-1] + [code(hall.resources, f"{key}/{k}") for k in range(1, capacity + 1)]
    return pool


def _staff(
    hall: CompiledHall,
    scenario: Scenario,
    calendar: WorkCalendar,
    hall_clock: WorkClock,
    env: simpy.Environment,
    streams: NamedStreams,
) -> None:
    """Window rows, staff pools, couriers and session timetables of every department
    (skipped sessions from the stream ``department/<id>/<kind>/skips``)."""
    for dept in scenario.departments:
        hall.windows[dept.id] = _new_pool(hall, env, f"{dept.id}/window", dept.windows, hall_clock)
        for pool in dept.pools:
            clock = calendar.clock(pool.hours) if pool.hours else hall_clock
            hall.pools[(dept.id, pool.name)] = _new_pool(
                hall, env, f"{dept.id}/{pool.name}", pool.staff, clock
            )
        if dept.courier is not None:
            resource = code(hall.resources, f"{dept.id}/courier")
            hall.couriers[dept.id] = CourierTimetable.of(calendar, dept.courier, resource)
        for kind, sched in (("signoff", dept.signoff), ("meeting", dept.meeting)):
            if sched is not None:
                rng = (
                    streams.generator(f"department/{dept.id}/{kind}/skips")
                    if sched.skip_share > 0
                    else None
                )
                hall.sessions[(dept.id, kind)] = SessionTimetable.of(calendar, sched, rng)


def _location(dept: Department, in_hall: bool) -> str:
    return HALL if in_hall or dept.back_office == "hall" else dept.id


def _compile_steps(
    hall: CompiledHall,
    departments: dict[str, Department],
    streams: NamedStreams,
    item: Item,
    steps: Sequence[Step],
    seen: dict[str, int],
) -> list[CompiledStep]:
    """Compile ``steps``; ``seen`` counts step names so that repeated names get own streams."""
    compiled = []
    for step in steps:
        occurrence = seen.get(step.name, 0)
        seen[step.name] = occurrence + 1
        base = f"item/{item.id}/step/{step.name}#{occurrence}"
        c = CompiledStep()
        c.act = code(hall.activities, step.name)
        c.probability = float(step.probability)
        c.counts = bool(step.counts)
        if c.probability < 1.0:
            c.coin = streams.uniform(base + "/optional")
        if isinstance(step, WorkStep):
            dept = departments[step.department]
            pool = dept.pool(step.pool)
            c.kind = "work"
            c.pool = hall.pools[(dept.id, pool.name)]
            c.duration = streams.stream(base + "/duration", step.duration)
            c.location = _location(dept, pool.in_hall)
        elif isinstance(step, SessionStep):
            dept = departments[step.department]
            c.kind = "session"
            c.session = hall.sessions[(dept.id, step.session)]
            role = "leader" if step.session == "signoff" else "director"
            c.res = code(hall.resources, f"{dept.id}/{role}")
            c.location = _location(dept, False)
        elif isinstance(step, VisitStep):
            c.kind = "visit"
            c.window = hall.windows[step.department]
            c.duration = streams.stream(base + "/service", step.service)
            c.location = HALL
        elif isinstance(step, DelayStep):
            c.kind = "delay"
            c.duration = streams.stream(base + "/days", step.days)
        elif isinstance(step, ParallelStep):
            c.kind = "parallel"
            c.branches = [
                _compile_steps(hall, departments, streams, item, branch, seen)
                for branch in step.branches
            ]
        else:  # pragma: no cover - the loader only builds these kinds
            raise TypeError(f"unknown step {step!r}")
        compiled.append(c)
    return compiled
