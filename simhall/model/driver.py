"""Running a case's steps on SimPy's event queue without a :class:`simpy.Process` per case.

Picture the hall's appointment book: a clerk who is told "come back in 12 minutes" does not
need a messenger of their own; the book simply says at which minute to call them again.
:class:`Driver` is that line in SimPy's book for one case (or one parallel branch of a
case). The case is written as a generator (:mod:`simhall.model.hall`) that yields either a
number of minutes to wait, or a SimPy event to wait for (a server handed over, a join of
parallel branches); the driver puts itself on SimPy's queue with :meth:`simpy.Environment.schedule`
for the minutes, or onto the event's callbacks, and resumes the generator when SimPy calls
it back.

Compared with ``env.process(generator)`` and ``yield env.timeout(minutes)`` this saves, per
case, the initialization and the end-of-process events, and per wait the
:class:`simpy.Timeout` object: the driver itself is the event that is scheduled again and
again. The order of everything that happens is the same: waits are scheduled at the normal
priority in the order the cases ask for them, as SimPy's timeouts are, so a run gives the
same results as with processes. SimPy stays the engine: its queue, clock and events.

A case handed a server goes on at once, in the same instant, without an event at all: the
clerk who finishes calls the next ticket, and the applicant walks up. :class:`HallEnvironment`
keeps these cases on a *ready line* and resumes them after the event that freed the server,
before SimPy takes the next event off its queue: exactly where SimPy would have run them, had
they been scheduled "now". When something else is already due at this very minute (a tie),
the case is scheduled on SimPy's queue as before, behind it; so the order of everything, and
every result, is the same as with one event per hand-over.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from heapq import heappop, heappush
from typing import Any

import simpy
from simpy.core import EmptySchedule, StopSimulation
from simpy.events import NORMAL, URGENT, Event

from simhall.model.resources import ServerPool

CaseSteps = Generator[Any, Any, Any]
"""What a driver runs: yields minutes to wait (a number >= 0) or a :class:`simpy.Event`."""


def negative_wait(wait: float) -> ValueError:
    """The error for case steps that yield a negative number of minutes."""
    return ValueError(f"negative wait of {wait} minutes")


class HallEnvironment(simpy.Environment):
    """SimPy's environment with a ready line: cases to resume now, after the current event.

    Like the hall's call display: when a window frees up, the next ticket is called at once
    rather than written into the appointment book for "now". :meth:`run` is SimPy's
    :meth:`simpy.Environment.run` that, after each event, resumes the drivers on
    :attr:`ready` (:meth:`Driver.wake`) in the order they were woken, before the next event.
    It resumes a driver, from the ready line or from its own event, with the steps of
    :meth:`Driver.resume` written out in the loop (a Python call less per step of a case;
    the two are kept the same, and ``tests/test_model_driver.py`` runs both).

    Attributes
    ----------
    ready : collections.deque of Driver
        Drivers to resume at the current time, in order.
    """

    def __init__(self, initial_time: float = 0) -> None:
        super().__init__(initial_time)
        self.ready: deque[Driver] = deque()

    def run(self, until: float | Event | None = None) -> Any:
        """Process events until ``until`` (a time; ``None``: until none are left)."""
        if until is not None:
            if isinstance(until, Event):
                raise TypeError("HallEnvironment.run takes a time, not an event")
            at = float(until)
            if at <= self._now:
                raise ValueError(f"until ({at}) must be greater than the current time")
            stop = Event(self)
            stop._ok = True
            stop._value = None
            stop.callbacks.append(StopSimulation.callback)  # type: ignore[union-attr]
            self.schedule(stop, URGENT, at - self._now)
        step = self.step
        queue = self._queue
        eid = self._eid
        ready = self.ready
        popleft = ready.popleft
        try:
            while True:
                if ready:  # a case handed a server: on at once, before the next event
                    due = popleft()
                elif queue and queue[0][3].__class__ is Driver:
                    # a driver's own event: what step() does for it, without the calls
                    self._now, _, _, due = heappop(queue)
                    due.callbacks = None
                else:
                    step()  # any other event: SimPy's step
                    continue
                # Driver.resume, inline (a call less per step of a case)
                now = self._now
                while True:
                    try:
                        wait = due.send(now)
                    except StopIteration as stop:
                        if due.done is not None:
                            due.done.succeed(stop.value)
                        break
                    if wait.__class__ is float:
                        if wait < 0:
                            raise negative_wait(wait)
                        due.callbacks = (due,)
                        heappush(queue, (now + wait, NORMAL, next(eid), due))  # type: ignore[misc]
                        break
                    if wait.__class__ is ServerPool:  # in the pool's line (Driver.park)
                        wait.waiting.append(due)
                        break
                    if not due.park(wait):
                        break
        except StopSimulation as exc:
            return exc.args[0]
        except EmptySchedule:
            if until is not None:
                raise RuntimeError(f"no events left before until ({until})") from None
        return None


class Driver:
    """One case's (or branch's) place on SimPy's event queue; itself a reusable event.

    Parameters
    ----------
    env : simpy.Environment
        The simulation.
    steps : generator
        The case's steps: they yield minutes to wait, a :class:`simpy.Event`, or a
        :class:`~simhall.model.resources.ServerPool` to wait in its line for a server; each
        ``yield`` returns the simulation time when the steps go on. The return value goes
        to ``done``.
    done : simpy.Event, optional
        Succeeds with the generator's return value when it ends (a parallel branch's join),
        scheduled as SimPy schedules the end of a process.

    Notes
    -----
    SimPy's :meth:`~simpy.Environment.step` needs of an event only ``callbacks`` (set to
    ``None`` when the event is taken off the queue), ``_ok`` and ``_value``; a driver sets
    its ``callbacks`` again each time it schedules itself (a new one-element tuple: a driver
    holds no reference cycle once SimPy has taken it off the queue). A pool hands a server
    over with :meth:`wake`: on the environment's ready line, or scheduled now at the normal
    priority, exactly as :meth:`simpy.Event.succeed` schedules the event a process waits for.
    """

    __slots__ = ("env", "send", "done", "callbacks", "_ok", "_value", "_ready")

    def __init__(self, env: simpy.Environment, steps: CaseSteps, done: simpy.Event | None = None):
        self.env = env
        self.send = steps.send
        self.done = done
        self.callbacks: tuple[Driver] | None = None
        self._ok = True
        self._value = None
        self._ready: deque[Driver] | None = getattr(env, "ready", None)

    def __call__(self, _event: object = None) -> None:
        """Resume the steps until they wait again (a callback of SimPy's event loop)."""
        self.resume()

    def resume(self) -> None:
        """Resume the steps until they wait again (as :meth:`HallEnvironment.run` does,
        inline, for the drivers it takes off the queue or the ready line)."""
        env = self.env
        while True:
            try:
                wait = self.send(env._now)
            except StopIteration as stop:
                if self.done is not None:
                    self.done.succeed(stop.value)
                return
            if wait.__class__ is float:
                if wait < 0:
                    raise negative_wait(wait)
                # env.schedule(self, NORMAL, wait) without the call; a tuple, no cycle kept
                self.callbacks = (self,)
                heappush(env._queue, (env._now + wait, NORMAL, next(env._eid), self))  # type: ignore[misc]
                return
            if not self.park(wait):
                return

    def park(self, wait: Any) -> bool:
        """Wait for ``wait``; ``True`` if it is an event already processed (go on now)."""
        if wait.__class__ is ServerPool:
            wait.waiting.append(self)
            return False
        if not hasattr(wait, "callbacks"):  # minutes, not as a float
            if wait < 0:
                raise negative_wait(wait)
            self.callbacks = (self,)
            self.env.schedule(self, NORMAL, wait)  # type: ignore[arg-type]
            return False
        if wait.callbacks is not None:  # an event still to come
            wait.callbacks.append(self)
            return False
        return True  # an event already processed: go on at once, as a SimPy process does

    def wake(self) -> None:
        """Resume now, after what is already due now (a server handed over).

        On the environment's ready line (:class:`HallEnvironment`) unless another event is
        due at this same minute: then on SimPy's queue behind it, as before.
        """
        env = self.env
        ready = self._ready
        queue = env._queue
        if ready is not None and not (queue and queue[0][0] == env._now):
            ready.append(self)
            return
        self.callbacks = (self,)
        env.schedule(self, NORMAL, 0)  # type: ignore[arg-type]


def start(env: simpy.Environment, steps: CaseSteps, done: simpy.Event | None = None) -> None:
    """Run ``steps`` now, up to their first wait (``env.process`` without its events)."""
    driver = Driver(env, steps, done)
    try:
        wait = steps.send(None)
    except StopIteration as stop:
        if done is not None:
            done.succeed(stop.value)
        return
    if driver.park(wait):
        driver()


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while cases run, as in a batch job.

    A hall-year allocates millions of small objects (case files, log lines, generators)
    that live until the run ends; the collector would walk them over and over (a third of
    the run's time). Nothing the model creates needs it: cases hold no reference cycles,
    and their memory is freed by reference counting as they end.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
