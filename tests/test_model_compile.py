"""``simhall.model.compile``: which named stream each random quantity draws from, the code
tables and the resolved pools and timetables.

The stream names are the contract behind common random numbers: an item's draws depend only
on its id, its steps' names and their occurrence, never on other items or on order.
"""

from __future__ import annotations

import simpy

from simhall.calendar import WorkCalendar
from simhall.distributions import Fixed, UniformInt
from simhall.logs.schema import ACCEPT, CORRECTION, TO_BACK_OFFICE, TO_HALL
from simhall.model.compile import HALL, CompiledHall, compile_hall
from simhall.scenario.schema import (
    DelayStep,
    ParallelStep,
    SessionSchedule,
    SessionStep,
    VisitStep,
    WorkStep,
)
from simhall.streams import Draws, NamedStreams
from tests.helpers import department, item, scenario


class Asked(NamedStreams):
    """Named streams that note every name asked for."""

    __slots__ = ("names",)

    def __init__(self) -> None:
        super().__init__(seed=1)
        self.names: list[str] = []

    def stream(self, name: str, sampler: object) -> Draws:
        self.names.append(name)
        return super().stream(name, sampler)

    def uniform(self, name: str) -> Draws:
        self.names.append(name)
        return super().uniform(name)


def _compiled(streams: NamedStreams) -> CompiledHall:
    review = WorkStep("review", "d", "section", Fixed(30))
    route = [
        review,
        SessionStep("sign", "d", "signoff", probability=0.5),
        review,
        DelayStep("inspect", "d", Fixed(1), counts=False),
        ParallelStep("joint", ((review,), (VisitStep("visit_e", "e", Fixed(5)),))),
    ]
    depts = [
        department("d", windows=2, staff=3, signoff=SessionSchedule((1,), (960,))),
        department("e", back_office="outside", courier=((600,), 30.0)),
    ]
    scn = scenario(
        [item("a", route=route, return_delay=UniformInt(1, 2)), item("b", department="e")],
        depts,
    )
    cal = WorkCalendar(scn.calendar, 10)
    return compile_hall(scn, cal, cal.clock(), simpy.Environment(), streams)


def test_every_draw_has_a_documented_stream_name() -> None:
    streams = Asked()
    _compiled(streams)
    assert sorted(streams.names) == sorted(
        [
            "item/a/window_service",
            "item/a/incomplete",
            "item/a/return_delay",
            "item/a/return_time",
            "item/a/step/review#0/duration",
            "item/a/step/sign#0/optional",
            "item/a/step/review#1/duration",  # a repeated step name gets its own stream
            "item/a/step/inspect#0/days",
            "item/a/step/review#2/duration",  # also inside a parallel block
            "item/a/step/visit_e#0/service",
            "item/b/window_service",  # b has no return delay and no route
            "item/b/incomplete",
            "item/b/return_time",
        ]
    )


def test_pools_timetables_and_code_tables() -> None:
    hall = _compiled(NamedStreams(seed=1))
    assert list(hall.windows) == ["d", "e"]
    assert hall.windows["d"].capacity == 2 and hall.windows["d"].free == [2, 1]
    assert list(hall.pools) == [("d", "section"), ("e", "section")]
    assert hall.pools[("d", "section")].capacity == 3
    assert list(hall.couriers) == ["e"] and hall.couriers["e"].travel_min == 30.0
    assert list(hall.sessions) == [("d", "signoff")]
    assert list(hall.activities)[:4] == [ACCEPT, CORRECTION, TO_HALL, TO_BACK_OFFICE]
    assert {"review", "sign", "inspect", "joint", "visit_e"} <= set(hall.activities)
    resources = list(hall.resources)
    assert resources[:2] == ["d/window/1", "d/window/2"]
    assert {"d/section/3", "e/courier", "d/leader"} <= set(resources)
    assert hall.windows["d"].codes == [-1, 0, 1]
    assert [kind for kind, _ in hall.all_pools()] == ["window", "window", "pool", "pool"]


def test_compiled_routes_know_their_desks_and_locations() -> None:
    hall = _compiled(NamedStreams(seed=1))
    a, b = hall.items
    assert (a.index, b.index) == (0, 1) and b.route == [] and b.return_delay is None
    assert a.window is hall.windows["d"] and b.window is hall.windows["e"]
    kinds = [s.kind for s in a.route]
    assert kinds == ["work", "session", "work", "delay", "parallel"]
    work, sign, _, delay, joint = a.route
    assert work.pool is hall.pools[("d", "section")] and work.location == HALL
    assert sign.session is hall.sessions[("d", "signoff")] and sign.probability == 0.5
    assert sign.coin is not None and work.coin is None
    assert delay.location is None and not delay.counts
    (left,), (right,) = joint.branches
    assert left.kind == "work" and right.kind == "visit" and right.window is hall.windows["e"]
