"""The hall as a SimPy discrete-event model.

Picture a morning in the hall: applicants take a ticket for their item and wait in their
department's queue; a window clerk calls the next ticket, checks the papers and either sends
the applicant home to complete them (补正) or accepts the application (受理), which starts
the clock of the committed time limit. On-site items end there. A commitment item's file
then travels: to a section clerk who reviews it in working hours, by the afternoon courier
to the department's home office, to the leader's sign-off round on Tuesday and Friday, to
the director's Monday meeting, out for a site inspection, and back to the hall where the
result is issued. :class:`HallModel` plays that out for every applicant of every item, with
one SimPy process per case.

Design notes
------------
* All randomness comes from named streams (:mod:`simhall.streams`) per item and purpose,
  presampled in blocks; arrivals of a whole replication are drawn up front with numpy.
* The hot loop records plain tuples into lists; frames are built once at the end
  (:meth:`HallModel.frames`).
* Batch sessions and couriers are precomputed timetables: a file waits until the next
  departure or session, so no process per session is needed.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import simpy

from simhall.calendar import WorkCalendar, WorkClock
from simhall.distributions import Distribution
from simhall.logs.schema import ACCEPT, CORRECTION, TO_BACK_OFFICE, TO_HALL
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
from simhall.streams import Stream, UniformStream, generator

MIN_PER_DAY = 1440.0
HALL = "hall"
"""Location of a file inside the hall; an outside back office is the department id."""



class _Beyond(Exception):
    """A case needs a session, courier or working time after the simulated period."""


@dataclass(frozen=True)
class RunWindow:
    """The simulated period in calendar days: arrivals in ``[0, days)``, results from
    ``warmup_days``, the simulation stopping at ``days + drain_days``."""

    days: int
    warmup_days: int = 0
    drain_days: int = 120

    @property
    def n_days(self) -> int:
        """Calendar days the working calendar must cover."""
        return self.days + self.drain_days


class _Pool:
    """A staffed pool (windows or back-office staff) with numbered servers and a FIFO queue.

    Like a row of counters with one ticket queue: :meth:`acquire` takes a free server at
    once (no event at all) or returns an event that fires when a server is handed over;
    :meth:`release` hands the server to the first in line or frees it. This is the
    semantics of :class:`simpy.Resource` without its per-request objects, which matters in
    a hall with hundreds of thousands of visits.
    """

    __slots__ = (
        "env",
        "key",
        "capacity",
        "in_use",
        "waiting",
        "free",
        "clock",
        "busy",
        "queue_events",
        "codes",
    )

    def __init__(self, env: simpy.Environment, key: str, capacity: int, clock: WorkClock) -> None:
        self.env = env
        self.key = key
        self.capacity = capacity
        self.in_use = 0
        self.waiting: deque[simpy.Event] = deque()
        self.free = list(range(capacity, 0, -1))
        self.clock = clock
        self.busy: list[tuple[float, float]] = []
        self.queue_events: list[tuple[float, int]] = []
        self.codes: list[int] = []
        """Resource codes of the servers (index = server number) in the event records."""

    def acquire(self) -> simpy.Event | None:
        """``None`` if a server was free and is now taken, else an event to wait for."""
        if self.in_use < self.capacity:
            self.in_use += 1
            return None
        event = self.env.event()
        self.waiting.append(event)
        return event

    def release(self) -> None:
        """Hand the server to the first waiting request, or free it."""
        if self.waiting:
            self.waiting.popleft().succeed()
        else:
            self.in_use -= 1


class _Sampler:
    """Inverse CDF of an item's intraday ticket-time profile on one kind of day."""

    __slots__ = ("starts", "ends", "cum")

    def __init__(self, pieces: Sequence[tuple[float, float, float]]) -> None:
        masses = [w * (b - a) for a, b, w in pieces]
        total = sum(masses)
        if total <= 0:
            raise ValueError("intraday profile has no mass inside opening hours")
        self.starts = [a for a, _, _ in pieces]
        self.ends = [b for _, b, _ in pieces]
        acc = 0.0
        self.cum: list[float] = []
        for m in masses:
            acc += m / total
            self.cum.append(acc)
        self.cum[-1] = 1.0

    def time_of_day(self, u: float) -> float:
        """Minute of the day for a uniform draw ``u``."""
        i = bisect_right(self.cum, u)
        if i >= len(self.cum):
            i = len(self.cum) - 1
        lo = self.cum[i - 1] if i else 0.0
        frac = (u - lo) / (self.cum[i] - lo) if self.cum[i] > lo else 0.0
        return self.starts[i] + frac * (self.ends[i] - self.starts[i])

    def many(self, u: np.ndarray) -> np.ndarray:
        """Vectorized :meth:`time_of_day`."""
        cum = np.asarray(self.cum)
        i = np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1)
        lo = np.where(i > 0, cum[i - 1], 0.0)
        width = cum[i] - lo
        frac = np.divide(u - lo, width, out=np.zeros_like(u), where=width > 0)
        starts = np.asarray(self.starts)
        ends = np.asarray(self.ends)
        return starts[i] + frac * (ends[i] - starts[i])


def _intraday_pieces(
    bins: Sequence[tuple[int, int, float]], opening: Sequence[tuple[int, int]]
) -> list[tuple[float, float, float]]:
    """Intersect profile bins with opening sessions (uniform profile when ``bins`` is empty)."""
    if not bins:
        return [(float(a), float(b), 1.0) for a, b in opening]
    pieces = []
    for a, b, w in bins:
        for oa, ob in opening:
            lo, hi = max(a, oa), min(b, ob)
            if hi > lo and w > 0:
                pieces.append((float(lo), float(hi), float(w)))
    if not pieces:
        return [(float(a), float(b), 1.0) for a, b in opening]
    return pieces


class _CompiledStep:
    """A route step with its streams and runtime resources resolved."""

    __slots__ = (
        "kind",
        "pool",
        "duration",
        "coin",
        "probability",
        "counts",
        "location",
        "times",
        "session_min",
        "branches",
        "max_wait_days",
        "window",
        "act",
        "res",
    )

    def __init__(self) -> None:
        self.kind = ""
        self.pool: _Pool | None = None
        self.duration: Stream | None = None
        self.coin: UniformStream | None = None
        self.probability = 1.0
        self.counts = True
        self.location: str | None = None
        self.times: list[float] = []
        self.session_min = 0.0
        self.branches: list[list[_CompiledStep]] = []
        self.max_wait_days = math.inf
        self.window: _Pool | None = None
        self.act = -1
        self.res = -1


class _CaseState:
    """What a case carries through its steps: its log lines, visits and suspensions."""

    __slots__ = ("arrival", "accept", "done", "visits", "status", "log", "suspended")

    def __init__(self, arrival: float) -> None:
        self.arrival = arrival
        self.accept = math.nan
        self.done = math.nan
        self.visits = 0
        self.status = "not_accepted"
        self.log: list[tuple[Any, ...]] = []
        self.suspended: list[tuple[float, float]] = []


class _CompiledItem:
    """An item with its window pool, streams, compiled route and intraday samplers."""

    __slots__ = (
        "index",
        "item",
        "window",
        "service",
        "incomplete",
        "return_delay",
        "return_time",
        "route",
        "samplers",
    )

    def __init__(
        self,
        index: int,
        item: Item,
        window: _Pool,
        service: Stream,
        incomplete: UniformStream,
        return_delay: Stream | None,
        return_time: UniformStream,
        route: list[_CompiledStep],
    ) -> None:
        self.index = index
        self.item = item
        self.window = window
        self.service = service
        self.incomplete = incomplete
        self.return_delay = return_delay
        self.return_time = return_time
        self.route = route
        self.samplers: dict[tuple[tuple[int, int], ...], _Sampler] = {}


class HallModel:
    """One replication of a hall scenario.

    Parameters
    ----------
    scenario : Scenario
        The hall to simulate.
    window : RunWindow
        Horizon, warm-up and drain in calendar days.
    seed : int
        Master seed; every stream is derived from it, ``replication`` and its name.
    replication : int
        Replication number (0-based).
    calendar : WorkCalendar, optional
        A prebuilt calendar covering ``window.n_days`` days (built when omitted).

    Examples
    --------
    >>> model = HallModel(scenario, RunWindow(days=30), seed=1, replication=0)  # doctest: +SKIP
    >>> model.run()                                                            # doctest: +SKIP
    >>> events, cases, stations = model.frames()                               # doctest: +SKIP
    """

    def __init__(
        self,
        scenario: Scenario,
        window: RunWindow,
        *,
        seed: int,
        replication: int = 0,
        calendar: WorkCalendar | None = None,
    ) -> None:
        self.scenario = scenario
        self.window = window
        self.seed = seed
        self.replication = replication
        self.calendar = calendar or WorkCalendar(scenario.calendar, window.n_days)
        self.env = simpy.Environment()
        self.hall_clock = self.calendar.clock()
        self.end_min = window.n_days * MIN_PER_DAY
        self.horizon_min = window.days * MIN_PER_DAY
        self.warmup_min = window.warmup_days * MIN_PER_DAY
        self.overtime = scenario.calendar.evening == "overtime"
        self._closes = self._day_closes()
        self._wd_start, self._wd_len = self._working_day_spans()
        self._open_cases: dict[int, Generator[Any, Any, None]] = {}
        self._departments = {d.id: d for d in scenario.departments}
        self._windows: dict[str, _Pool] = {}
        self._pools: dict[tuple[str, str], _Pool] = {}
        self._couriers: dict[str, tuple[list[float], float, int]] = {}
        self._sessions: dict[tuple[str, str], tuple[list[float], float]] = {}
        # activity and resource names are coded as small ints in the records
        self._activities: dict[str, int] = {}
        self._resources: dict[str, int] = {}
        self._accept = self._code(self._activities, ACCEPT)
        self._correction = self._code(self._activities, CORRECTION)
        self._to_hall = self._code(self._activities, TO_HALL)
        self._to_back = self._code(self._activities, TO_BACK_OFFICE)
        self._build_resources()
        self._items = [self._compile_item(i, item) for i, item in enumerate(scenario.items)]
        # records: (case, item index, activity code, resource code, ready, start, end)
        self._events: list[tuple[int, int, int, int, float, float, float]] = []
        self.case_rows: list[tuple[Any, ...]] = []
        self.sent_home: dict[str, int] = {}
        self._n_cases = 0
        self._ran = False

    # ------------------------------------------------------------------ set-up
    def _working_day_spans(self) -> tuple[list[float], list[float]]:
        """Working-clock reading at each working day's opening, and the day's open minutes."""
        cal = self.calendar
        starts, lengths = [], []
        for day in np.flatnonzero(cal.working).tolist():
            sessions = cal.opening(day)
            w0 = self.hall_clock.to_work(day * MIN_PER_DAY + sessions[0][0])
            starts.append(w0)
            lengths.append(float(sum(b - a for a, b in sessions)))
        return starts, lengths

    def _day_closes(self) -> list[float]:
        cal = self.calendar
        closes = []
        for day in range(cal.n_days):
            sessions = cal.opening(day)
            closes.append(day * MIN_PER_DAY + sessions[-1][1] if sessions else -1.0)
        return closes

    @staticmethod
    def _code(table: dict[str, int], name: str) -> int:
        """The code of ``name`` in ``table``, adding it if new."""
        code = table.get(name)
        if code is None:
            code = table[name] = len(table)
        return code

    def _new_pool(self, key: str, capacity: int, clock: WorkClock) -> _Pool:
        pool = _Pool(self.env, key, capacity, clock)
        pool.codes = [-1] + [
            self._code(self._resources, f"{key}/{k}") for k in range(1, capacity + 1)
        ]
        return pool

    def _build_resources(self) -> None:
        cal = self.calendar
        for dept in self.scenario.departments:
            self._windows[dept.id] = self._new_pool(
                f"{dept.id}/window", dept.windows, self.hall_clock
            )
            for pool in dept.pools:
                clock = cal.clock(pool.hours) if pool.hours else self.hall_clock
                self._pools[(dept.id, pool.name)] = self._new_pool(
                    f"{dept.id}/{pool.name}", pool.staff, clock
                )
            if dept.courier is not None:
                times = cal.daily_times(dept.courier.times_min).tolist()
                self._couriers[dept.id] = (
                    times,
                    float(dept.courier.travel_min),
                    self._code(self._resources, f"{dept.id}/courier"),
                )
            for kind, sched in (("signoff", dept.signoff), ("meeting", dept.meeting)):
                if sched is not None:
                    times = cal.session_times(
                        sched.weekdays, sched.times_min, sched.on_holiday
                    ).tolist()
                    self._sessions[(dept.id, kind)] = (times, float(sched.duration_min))

    def _stream(self, name: str, dist: Distribution) -> Stream:
        return Stream(generator(self.seed, self.replication, name), dist)

    def _coin(self, name: str) -> UniformStream:
        return UniformStream(generator(self.seed, self.replication, name))

    def _location(self, dept: Department, in_hall: bool) -> str:
        return HALL if in_hall or dept.back_office == "hall" else dept.id

    def _compile_steps(
        self, item: Item, steps: Sequence[Step], seen: dict[str, int]
    ) -> list[_CompiledStep]:
        compiled = []
        for step in steps:
            occurrence = seen.get(step.name, 0)
            seen[step.name] = occurrence + 1
            base = f"item/{item.id}/step/{step.name}#{occurrence}"
            c = _CompiledStep()
            c.act = self._code(self._activities, step.name)
            c.probability = float(step.probability)
            c.counts = bool(step.counts)
            if c.probability < 1.0:
                c.coin = self._coin(base + "/optional")
            if isinstance(step, WorkStep):
                dept = self._departments[step.department]
                pool = dept.pool(step.pool)
                c.kind = "work"
                c.pool = self._pools[(dept.id, pool.name)]
                c.duration = self._stream(base + "/duration", step.duration)
                c.location = self._location(dept, pool.in_hall)
            elif isinstance(step, SessionStep):
                dept = self._departments[step.department]
                c.kind = "session"
                times, c.session_min = self._sessions[(dept.id, step.session)]
                c.times = times
                role = "leader" if step.session == "signoff" else "director"
                c.res = self._code(self._resources, f"{dept.id}/{role}")
                c.location = self._location(dept, False)
                sched = dept.signoff if step.session == "signoff" else dept.meeting
                if sched is not None and sched.max_wait_days is not None:
                    c.max_wait_days = float(sched.max_wait_days)
            elif isinstance(step, VisitStep):
                c.kind = "visit"
                c.window = self._windows[step.department]
                c.duration = self._stream(base + "/service", step.service)
                c.location = HALL
            elif isinstance(step, DelayStep):
                c.kind = "delay"
                c.duration = self._stream(base + "/days", step.days)
            elif isinstance(step, ParallelStep):
                c.kind = "parallel"
                c.branches = [self._compile_steps(item, branch, seen) for branch in step.branches]
            else:  # pragma: no cover - the loader only builds the four kinds
                raise TypeError(f"unknown step {step!r}")
            compiled.append(c)
        return compiled

    def _compile_item(self, index: int, item: Item) -> _CompiledItem:
        return _CompiledItem(
            index,
            item,
            self._windows[item.department],
            self._stream(f"item/{item.id}/window_service", item.window_service),
            self._coin(f"item/{item.id}/incomplete"),
            (
                self._stream(f"item/{item.id}/return_delay", item.return_delay)
                if item.return_delay is not None
                else None
            ),
            self._coin(f"item/{item.id}/return_time"),
            self._compile_steps(item, item.route, {}),
        )

    def _sampler(self, c: _CompiledItem, opening: tuple[tuple[int, int], ...]) -> _Sampler:
        """The item's intraday sampler for a day with these opening sessions (cached)."""
        sampler = c.samplers.get(opening)
        if sampler is None:
            sampler = _Sampler(_intraday_pieces(c.item.demand.intraday, opening))
            c.samplers[opening] = sampler
        return sampler

    # ---------------------------------------------------------------- arrivals
    def arrivals(self) -> tuple[np.ndarray, np.ndarray]:
        """Ticket times (minutes) and item indices of all first visits, sorted by time.

        Each item's arrivals are a non-homogeneous Poisson process drawn from its own
        stream: a Poisson count per working day with mean daily volume x weekday factor,
        then ticket times from the intraday profile restricted to that day's opening.
        """
        cal = self.calendar
        days = np.flatnonzero(cal.working[: self.window.days])
        weekdays = np.array([cal.date_of(int(d)).weekday() for d in days], dtype=np.int64)
        openings = [cal.opening(int(d)) for d in days]
        keys = {o: k for k, o in enumerate(dict.fromkeys(openings))}
        key_of_day = np.array([keys[o] for o in openings], dtype=np.int64)
        times_all = []
        items_all = []
        for c in self._items:
            demand = c.item.demand
            rng = generator(self.seed, self.replication, f"item/{c.item.id}/arrivals")
            factors = np.asarray(demand.weekday_factors, dtype=np.float64)[weekdays]
            counts = rng.poisson(demand.daily_volume * factors)
            total = int(counts.sum())
            if total == 0:
                continue
            u = rng.random(total)
            day_of = np.repeat(days, counts)
            tod = np.empty(total)
            key_rep = np.repeat(key_of_day, counts)
            for opening, k in keys.items():
                mask = key_rep == k
                if mask.any():
                    tod[mask] = self._sampler(c, opening).many(u[mask])
            times_all.append(day_of * MIN_PER_DAY + tod)
            items_all.append(np.full(total, c.index, dtype=np.int64))
        if not times_all:
            return np.empty(0), np.empty(0, dtype=np.int64)
        times = np.concatenate(times_all)
        items = np.concatenate(items_all)
        order = np.lexsort((items, times))
        return times[order], items[order]

    def _arrival_process(self, times: np.ndarray, items: np.ndarray) -> Generator[Any, Any, None]:
        env = self.env
        compiled = self._items
        open_cases = self._open_cases
        for t, i in zip(times.tolist(), items.tolist(), strict=True):
            if t > env.now:
                yield env.timeout(t - env.now)
            case_id = self._n_cases
            self._n_cases += 1
            case = self._case(compiled[i], case_id, t)
            open_cases[case_id] = case
            env.process(case)

    # ------------------------------------------------------------------- cases
    def _serve(
        self, window: _Pool, service: Stream, ticket: float
    ) -> Generator[Any, Any, tuple[float, float, int] | float]:
        """Queue at ``window`` with a ticket drawn at ``ticket`` and be served.

        Returns ``(start, end, server)``, or the new ticket time when the applicant was sent
        home at the evening close (``evening = "return_next_day"``).
        """
        env = self.env
        window.queue_events.append((ticket, 1))
        wait = window.acquire()
        if wait is not None:
            yield wait
        now = env.now
        if not window.clock.is_open(now):
            day = int(now // MIN_PER_DAY)
            close = self._closes[day] if day < len(self._closes) else -1.0
            after_close = close >= 0 and now >= close
            if after_close and not self.overtime:
                window.queue_events.append((now, -1))
                window.release()
                dept = window.key.partition("/")[0]
                self.sent_home[dept] = self.sent_home.get(dept, 0) + 1
                cal = self.calendar
                nxt = cal.next_working_day(day)
                if nxt >= cal.n_days:
                    raise _Beyond
                return nxt * MIN_PER_DAY + cal.opening(nxt)[0][0]
            if not after_close:
                opens = window.clock.next_open(now)
                if opens == math.inf:
                    window.release()
                    raise _Beyond
                yield env.timeout(opens - now)
        start = env.now
        window.queue_events.append((start, -1))
        server = window.free.pop()
        yield env.timeout(service.next())
        window.free.append(server)
        window.release()
        end = env.now
        window.busy.append((start, end))
        return start, end, server

    def _case(self, c: _CompiledItem, case_id: int, ticket: float) -> Generator[Any, Any, None]:
        env = self.env
        cal = self.calendar
        window = c.window
        item = c.index
        state = _CaseState(ticket)
        try:
            while True:
                state.visits += 1
                served = yield from self._serve(window, c.service, ticket)
                if not isinstance(served, tuple):
                    ticket = served
                    yield env.timeout(ticket - env.now)
                    continue
                start, end, server = served
                incomplete = c.incomplete.next() < c.item.incomplete_prob
                state.log.append(
                    (
                        item,
                        self._correction if incomplete else self._accept,
                        window.codes[server],
                        ticket,
                        start,
                        end,
                    )
                )
                if not incomplete:
                    break
                # 补正: back after some working days, at a time drawn from the profile
                delay = c.return_delay.next() if c.return_delay is not None else 1.0
                day = int(end // MIN_PER_DAY)
                back_day = cal.add_working_days(day, max(1, int(round(delay))))
                if back_day >= cal.n_days:
                    raise _Beyond
                ticket = back_day * MIN_PER_DAY + self._sampler(
                    c, cal.opening(back_day)
                ).time_of_day(c.return_time.next())
                yield env.timeout(ticket - env.now)
            state.accept = env.now
            state.status = "in_progress"
            if c.route:
                location = yield from self._steps(c.route, item, HALL, state)
                if location != HALL:
                    yield from self._transfer(location, HALL, item, state)
            state.done = env.now
            state.status = "completed"
        except _Beyond:
            pass
        finally:
            self._open_cases.pop(case_id, None)
            self._record(c, case_id, state)

    def _record(self, c: _CompiledItem, case_id: int, state: _CaseState) -> None:
        """Keep a finished (or stopped) case unless it was accepted during the warm-up."""
        accepted = state.accept == state.accept
        if (state.accept if accepted else state.arrival) < self.warmup_min:
            return
        events = self._events
        for ev in state.log:
            events.append((case_id, *ev))
        self.case_rows.append(
            (
                case_id,
                c.index,
                state.arrival,
                state.accept,
                state.done,
                state.visits,
                state.status,
                tuple(state.suspended),
            )
        )

    def _steps(
        self, steps: list[_CompiledStep], item: int, location: str, state: _CaseState
    ) -> Generator[Any, Any, str]:
        env = self.env
        log = state.log
        for s in steps:
            if s.coin is not None and s.coin.next() >= s.probability:
                continue
            if s.location is not None and s.location != location:
                yield from self._transfer(location, s.location, item, state)
                location = s.location
            ready = env.now
            kind = s.kind
            if kind == "work":
                pool = s.pool
                assert pool is not None and s.duration is not None
                pool.queue_events.append((ready, 1))
                wait = pool.acquire()
                if wait is not None:
                    yield wait
                start = pool.clock.next_open(env.now)
                end = pool.clock.advance(env.now, s.duration.next())
                if end > self.end_min:
                    pool.release()
                    raise _Beyond
                pool.queue_events.append((env.now, -1))
                server = pool.free.pop()
                yield env.timeout(end - env.now)
                pool.free.append(server)
                pool.release()
                pool.busy.append((start, end))
                log.append((item, s.act, pool.codes[server], ready, min(start, end), end))
            elif kind == "session":
                i = bisect_left(s.times, ready)
                start = s.times[i] if i < len(s.times) else math.inf
                if s.max_wait_days != math.inf:
                    start = min(start, self._advance_days(ready, s.max_wait_days))
                if start == math.inf:
                    raise _Beyond
                end = start + s.session_min
                yield env.timeout(end - ready)
                log.append((item, s.act, s.res, ready, start, end))
            elif kind == "delay":
                assert s.duration is not None
                end = self._advance_days(ready, s.duration.next())
                if end > self.end_min:
                    raise _Beyond
                start = self.hall_clock.next_open(ready)
                yield env.timeout(end - ready)
                log.append((item, s.act, -1, ready, min(start, end), end))
            elif kind == "visit":
                assert s.window is not None and s.duration is not None
                ticket = ready
                while True:
                    state.visits += 1
                    served = yield from self._serve(s.window, s.duration, ticket)
                    if isinstance(served, tuple):
                        break
                    ticket = served
                    yield env.timeout(ticket - env.now)
                start, end, server = served
                log.append((item, s.act, s.window.codes[server], ticket, start, end))
            else:  # parallel
                procs = [env.process(self._branch(b, item, location, state)) for b in s.branches]
                results = yield env.all_of(procs)
                if any(isinstance(v, _Beyond) for v in results.values()):
                    raise _Beyond
                location = HALL
            if not s.counts:
                state.suspended.append((ready, env.now))
        return location

    def _branch(
        self, steps: list[_CompiledStep], item: int, location: str, state: _CaseState
    ) -> Generator[Any, Any, object]:
        """A parallel branch: its steps, then back to the hall for the join."""
        try:
            end_loc = yield from self._steps(steps, item, location, state)
            if end_loc != HALL:
                yield from self._transfer(end_loc, HALL, item, state)
        except _Beyond as exc:
            return exc
        return None

    def _transfer(
        self, origin: str, target: str, item: int, state: _CaseState
    ) -> Generator[Any, Any, None]:
        """Carry a file from ``origin`` to ``target`` by courier(s), via the hall."""
        if origin != HALL:
            yield from self._courier(origin, self._to_hall, item, state)
        if target != HALL:
            yield from self._courier(target, self._to_back, item, state)

    def _courier(
        self, dept: str, activity: int, item: int, state: _CaseState
    ) -> Generator[Any, Any, None]:
        env = self.env
        times, travel, resource = self._couriers[dept]
        ready = env.now
        i = bisect_left(times, ready)
        if i >= len(times):
            raise _Beyond
        start = times[i]
        end = start + travel
        yield env.timeout(end - ready)
        state.log.append((item, activity, resource, ready, start, end))

    def _advance_days(self, t: float, days: float) -> float:
        """Wall time ``days`` working days after ``t`` (fractions of each day's opening).

        A working day's position runs from 0 at its opening to 1 at its close, whatever the
        day's length, so a delay of one working day started at 15:00 ends at 15:00-equivalent
        of the next working day even when that day is shorter (a short Friday).
        """
        cal = self.calendar
        clock = self.hall_clock
        day = int(t // MIN_PER_DAY)
        if day >= cal.n_days:
            return math.inf
        if cal.working[day]:
            k = int(cal.workday_ordinal[day]) - 1
            w0 = self._wd_start[k]
            pos = k + (clock.to_work(t) - w0) / self._wd_len[k]
        else:
            pos = float(cal.workday_ordinal[day])
        target = pos + days
        k = int(target)
        frac = target - k
        if frac == 0.0 and k >= 1:
            k, frac = k - 1, 1.0
        if k >= len(self._wd_start):
            return math.inf
        return clock.from_work(self._wd_start[k] + frac * self._wd_len[k])

    # --------------------------------------------------------------------- run
    def run(self) -> HallModel:
        """Simulate arrivals over the horizon and let open cases drain; returns self."""
        if self._ran:
            raise RuntimeError("a HallModel runs once; build a new one for another replication")
        times, items = self.arrivals()
        self.env.process(self._arrival_process(times, items))
        self.env.run(until=self.end_min)
        # cases still queueing or in service when the run stops: record them as they stand
        for case in list(self._open_cases.values()):
            case.close()
        self._ran = True
        return self

    # ----------------------------------------------------------------- outputs
    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """The event log, the case table and the station table of this replication."""
        return self.event_frame(), self.case_frame(), self.station_frame()

    def _timestamps(self, minutes: np.ndarray) -> pd.Series:
        origin = pd.Timestamp(self.calendar.start)
        seconds = np.round(np.asarray(minutes, dtype=np.float64) * 60.0)
        out = np.full(seconds.shape, np.datetime64("NaT"), dtype="datetime64[ns]")
        ok = np.isfinite(seconds)
        out[ok] = np.datetime64(origin) + seconds[ok].astype("int64").astype("timedelta64[s]")
        return pd.Series(out)

    def records(self) -> list[tuple[int, str, str, str | None, float, float, float]]:
        """The recorded events as ``(case, item_id, activity, resource, ready, start, end)``
        tuples with times in minutes, in recording order (for exact traces in tests)."""
        items = [c.item.id for c in self._items]
        acts = list(self._activities)
        res = list(self._resources)
        return [
            (case, items[i], acts[a], res[r] if r >= 0 else None, ready, start, end)
            for case, i, a, r, ready, start, end in self._events
        ]

    def event_frame(self) -> pd.DataFrame:
        """Simulated event log in the case-log schema, plus ``replication``.

        Rows are ordered by case, then start and end; ``item_id``, ``activity`` and
        ``resource`` are categoricals (``resource`` is missing for pure delays).
        """
        arr = np.array(self._events, dtype=np.float64).reshape(-1, 7)
        number = arr[:, 0].astype(np.int64)
        order = np.lexsort((arr[:, 6], arr[:, 5], number))
        arr = arr[order]
        codes = arr[:, 1:4].astype(np.int64)
        frame = pd.DataFrame(
            {
                "case_id": _case_ids(number[order]),
                "item_id": _categorical(codes[:, 0], [c.item.id for c in self._items]),
                "activity": _categorical(codes[:, 1], list(self._activities)),
                "resource": _categorical(codes[:, 2], list(self._resources)),
                "ready": self._timestamps(arr[:, 4]),
                "start": self._timestamps(arr[:, 5]),
                "end": self._timestamps(arr[:, 6]),
            }
        )
        frame["replication"] = np.int64(self.replication)
        return frame

    def case_frame(self) -> pd.DataFrame:
        """One row per case: arrival, acceptance, completion, visits and working days."""
        rows = sorted(self.case_rows, key=lambda r: r[0])
        n = len(rows)
        case_id = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
        item_idx = np.fromiter((r[1] for r in rows), dtype=np.int64, count=n)
        arrival = np.fromiter((r[2] for r in rows), dtype=np.float64, count=n)
        accept = np.fromiter((r[3] for r in rows), dtype=np.float64, count=n)
        done = np.fromiter((r[4] for r in rows), dtype=np.float64, count=n)
        visits = np.fromiter((r[5] for r in rows), dtype=np.int64, count=n)
        status = [r[6] for r in rows]
        cal = self.calendar
        ordinal = cal.workday_ordinal
        complete = np.isfinite(done)
        elapsed = np.full(n, -1, dtype=np.int64)
        if complete.any():
            a_day = (accept[complete] // MIN_PER_DAY).astype(np.int64)
            d_day = (done[complete] // MIN_PER_DAY).astype(np.int64)
            elapsed[complete] = ordinal[d_day] - ordinal[a_day]
        suspended_days = np.zeros(n, dtype=np.int64)
        for k, r in enumerate(rows):
            if r[7] and complete[k]:
                suspended_days[k] = _suspended_days(r[7], cal)
        counted = np.where(complete, np.maximum(elapsed - suspended_days, 0), -1)
        items = self.scenario.items
        committed = np.array(
            [
                items[i].committed_days if items[i].committed_days is not None else -1
                for i in item_idx
            ],
            dtype=np.int64,
        )
        frame = pd.DataFrame(
            {
                "case_id": _case_ids(case_id),
                "item_id": pd.array([items[i].id for i in item_idx], dtype="string"),
                "department": pd.array([items[i].department for i in item_idx], dtype="string"),
                "kind": pd.array([items[i].kind for i in item_idx], dtype="string"),
                "arrival": self._timestamps(arrival),
                "acceptance": self._timestamps(accept),
                "completion": self._timestamps(done),
                "visits": visits,
                "status": pd.array(status, dtype="string"),
                "elapsed_days": pd.array(np.where(complete, elapsed, -1), dtype="Int64"),
                "counted_days": pd.array(counted, dtype="Int64"),
                "committed_days": pd.array(committed, dtype="Int64"),
            }
        )
        for col in ("elapsed_days", "counted_days"):
            frame.loc[~complete, col] = pd.NA
        frame.loc[committed < 0, "committed_days"] = pd.NA
        within = complete & (committed >= 0) & (counted <= committed)
        frame["within_limit"] = pd.array(
            np.where(complete & (committed >= 0), within, False), dtype="boolean"
        )
        frame.loc[~(complete & (committed >= 0)), "within_limit"] = pd.NA
        frame["onsite_completion"] = pd.array(complete & (elapsed == 0), dtype="boolean")
        frame["replication"] = np.int64(self.replication)
        return frame

    def station_frame(self) -> pd.DataFrame:
        """Per window pool and staff pool: capacity, utilization and queue length.

        Measured over opening hours between the end of the warm-up and the horizon.
        """
        rows = []
        lo, hi = self.warmup_min, self.horizon_min
        for kind, pools in (("window", self._windows.values()), ("pool", self._pools.values())):
            for pool in pools:
                clock = pool.clock
                w_lo, w_hi = clock.to_work(lo), clock.to_work(hi)
                available = (w_hi - w_lo) * pool.capacity
                busy = 0.0
                if pool.busy:
                    spans = np.clip(np.asarray(pool.busy, dtype=np.float64), lo, hi)
                    busy = float(
                        np.sum(clock.to_work_many(spans[:, 1]) - clock.to_work_many(spans[:, 0]))
                    )
                mean_q, max_q = _queue_stats(pool.queue_events, clock, lo, hi)
                dept, _, name = pool.key.partition("/")
                rows.append(
                    {
                        "department": dept,
                        "station": name,
                        "kind": kind,
                        "capacity": pool.capacity,
                        "open_min": w_hi - w_lo,
                        "busy_min": busy,
                        "utilization": busy / available if available > 0 else math.nan,
                        "mean_queue": mean_q,
                        "max_queue": max_q,
                        "sent_home": self.sent_home.get(dept, 0) if kind == "window" else 0,
                    }
                )
        frame = pd.DataFrame(rows)
        frame["replication"] = np.int64(self.replication)
        return frame


def _categorical(codes: np.ndarray, names: list[str]) -> pd.Categorical:
    """Codes into a categorical of the names used, categories sorted (-1 = missing)."""
    cat = pd.Categorical.from_codes(codes, categories=pd.Index(names, dtype=object))
    cat = cat.remove_unused_categories()
    return cat.reorder_categories(sorted(cat.categories))


def _case_ids(numbers: np.ndarray) -> pd.Categorical:
    """Case ids ``c0000001``... from case numbers, as an ordered categorical."""
    codes, uniques = pd.factorize(numbers, sort=True)
    labels = pd.Index([f"c{n:07d}" for n in uniques.tolist()], dtype=object)
    return pd.Categorical.from_codes(codes, categories=labels, ordered=True)


def _suspended_days(intervals: Sequence[tuple[float, float]], cal: WorkCalendar) -> int:
    """Working days spent in non-counting steps (overlapping intervals merged)."""
    merged: list[list[float]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return sum(cal.working_days_between(a, b) for a, b in merged)


def _queue_stats(
    events: list[tuple[float, int]], clock: WorkClock, lo: float, hi: float
) -> tuple[float, int]:
    """Time-average (over open working time in ``[lo, hi]``) and maximum of a queue."""
    if not events:
        return 0.0, 0
    arr = np.asarray(events, dtype=np.float64)
    order = np.lexsort((-arr[:, 1], arr[:, 0]))  # at equal times, joins before leaves
    t = arr[order, 0]
    level = np.cumsum(arr[order, 1])
    # level holds on [t_k, t_{k+1}); integrate in working time within [lo, hi]
    w = clock.to_work_many(np.clip(t, lo, hi))
    w_next = np.append(w[1:], clock.to_work(hi))
    area = float(np.sum(level * (w_next - w)))
    span = clock.to_work(hi) - clock.to_work(lo)
    inside = (t >= lo) & (t <= hi)
    max_q = int(level[inside].max()) if inside.any() else 0
    return (area / span if span > 0 else 0.0), max_q
