"""The ready line (:class:`simhall.model.driver.HallEnvironment`) keeps SimPy's order exactly.

A case handed a server goes on without an event; the claim is that everything then happens in
the same order as when each hand-over is an event scheduled "now" on SimPy's queue (the
engine before the ready line). Checked on halls full of ties: many tickets at the same
minute, fixed service times, sign-off rounds and courier runs that release many files at
once, and a hall with random times.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import simpy
from simpy.events import NORMAL

from simhall.calendar import WorkClock
from simhall.distributions import Fixed
from simhall.model import HallModel, driver
from simhall.model.driver import Driver, HallEnvironment, start
from simhall.model.resources import ServerPool
from tests.helpers import at, model, play, two_department_hall


def _scheduled_wake(self: Driver) -> None:
    """The hand-over as an event, as before the ready line."""
    self.callbacks = (self,)
    self.env.schedule(self, NORMAL, 0)  # type: ignore[arg-type]


def _records(build: Callable[[], HallModel]) -> list[tuple[object, ...]]:
    m = build()
    return [*m.records(), *m.case_frame().itertuples(index=False)]


def _tied_hall() -> Callable[[], HallModel]:
    # fixed window minutes, 12 tickets at each of a few minutes a day: equal service ends,
    # queues that empty and fill at the same instants, rounds and couriers in between
    scn = two_department_hall(windows=2, volume=4.0, service_mean=10.0)
    items = tuple(
        it if it.id == "c" else type(it)(**{**it.__dict__, "window_service": Fixed(10.0)})
        for it in scn.items
    )
    scn = type(scn)(**{**scn.__dict__, "items": items})
    tickets = [
        (at(day, hh, mm), k % 3)
        for day in range(0, 12)
        for hh, mm in ((9, 0), (10, 30), (15, 0))
        for k in range(12)
    ]
    return lambda: play(model(scn, days=14, drain_days=40, seed=5), tickets)


def _random_hall() -> Callable[[], HallModel]:
    scn = two_department_hall(volume=30.0, service_mean=12.0, evening="return_next_day")
    return lambda: model(scn, days=20, drain_days=40, seed=9).run()


@pytest.mark.parametrize(
    ("build", "ties"), [(_tied_hall(), True), (_random_hall(), False)], ids=["ties", "random"]
)
def test_ready_line_gives_the_order_of_one_event_per_hand_over(
    build: Callable[[], HallModel], ties: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    used = {"ready": 0, "queue": 0}
    real_wake = Driver.wake

    def counted_wake(self: Driver) -> None:
        before = len(self.env.ready)  # type: ignore[attr-defined]
        real_wake(self)
        used["ready" if len(self.env.ready) > before else "queue"] += 1  # type: ignore[attr-defined]

    monkeypatch.setattr(Driver, "wake", counted_wake)
    fast = _records(build)
    monkeypatch.setattr(Driver, "wake", _scheduled_wake)
    slow = _records(build)
    assert len(fast) > 100
    assert fast == slow
    assert used["ready"] > 0
    assert (used["queue"] > 0) == ties  # hand-overs at a minute something else is due at


@pytest.mark.parametrize("build", [_tied_hall(), _random_hall()], ids=["ties", "random"])
def test_the_run_loop_resumes_cases_as_simpys_own_loop_does(
    build: Callable[[], HallModel], monkeypatch: pytest.MonkeyPatch
) -> None:
    """HallEnvironment.run resumes drivers inline; SimPy's own loop calls Driver.resume
    (through the driver's callback) for every step: the same records either way."""
    ours = _records(build)
    resumed = {"n": 0}
    real_resume = Driver.resume

    def counted_resume(self: Driver) -> None:
        resumed["n"] += 1
        real_resume(self)

    monkeypatch.setattr(Driver, "resume", counted_resume)
    monkeypatch.setattr(driver, "HallEnvironment", simpy.Environment)
    simpys = _records(build)
    assert len(ours) > 100
    assert ours == simpys
    assert resumed["n"] > len(ours)  # every step went through Driver.resume


@pytest.mark.parametrize(("timer_at", "expected"), [
    (5.0, ["A done", "C", "B served"]),  # C is due at the hand-over's minute: B after it
    (6.0, ["A done", "B served", "C"]),  # nothing else due: B on the ready line at once
])  # fmt: skip
def test_a_woken_case_waits_behind_what_is_already_due(
    timer_at: float, expected: list[str]
) -> None:
    env = HallEnvironment()
    pool = ServerPool(env, "d/window", 1, WorkClock(np.array([[0.0, 1e9]])))
    order: list[str] = []

    def holder():  # type: ignore[no-untyped-def]
        assert pool.acquire() is None
        yield 5.0
        pool.release()
        order.append("A done")

    def waiter():  # type: ignore[no-untyped-def]
        yield pool.acquire()
        order.append("B served")

    def timer():  # type: ignore[no-untyped-def]
        yield timer_at
        order.append("C")

    for steps in (holder(), waiter(), timer()):
        start(env, steps)
    env.run(until=10)
    assert order == expected


@pytest.mark.parametrize("env_class", [HallEnvironment, simpy.Environment])
@pytest.mark.parametrize("first_wait", [1.0, -1.0])
def test_a_negative_wait_is_an_error_wherever_the_case_yields_it(
    env_class: type[simpy.Environment], first_wait: float
) -> None:
    """Yielded first (Driver.park, from start) or later (the run loop's inline resume, or
    Driver.resume on SimPy's own loop): the same error."""
    env = env_class()

    def steps():  # type: ignore[no-untyped-def]
        yield first_wait
        yield -2.5

    first_negative = first_wait if first_wait < 0 else -2.5
    with pytest.raises(ValueError, match=f"negative wait of {first_negative} minutes"):
        start(env, steps())
        env.run(until=10)


def test_run_rejects_a_past_until_and_an_event() -> None:
    env = HallEnvironment()
    with pytest.raises(ValueError, match="greater than the current time"):
        env.run(until=0)
    with pytest.raises(TypeError, match="takes a time"):
        env.run(until=env.event())
