"""The hall as a SimPy discrete-event model.

Picture a morning in the hall: applicants take a ticket for their item and wait in their
department's queue; a window clerk calls the next ticket, checks the papers and either sends
the applicant home to complete them (补正) or accepts the application (受理), which starts
the clock of the committed time limit. On-site items end there. A commitment item's file
then travels: to a section clerk who reviews it in working hours, by the afternoon courier
to the department's home office, to the leader's sign-off round on Tuesday and Friday, to
the director's Monday meeting, out for a site inspection, and back to the hall where the
result is issued. :class:`HallModel` plays that out for every applicant of every item, with
one generator per case driven on SimPy's event queue
(:mod:`~simhall.model.driver`).

The model is assembled from one concept per module:

* :mod:`~simhall.model.arrivals`: who takes a ticket when (an injectable arrival source);
* :mod:`~simhall.model.compile`: the scenario turned into pools, timetables and routes;
* :mod:`~simhall.model.resources` and :mod:`~simhall.model.timetables`: window rows and
  staff pools; courier runs, sessions and working days;
* :mod:`~simhall.model.records`: the case files and the tables built from them;
* this module: the processes of a case (window visits, route steps, transfers).

All randomness comes from named streams (:class:`simhall.streams.NamedStreams`, injectable
too), per item and purpose, presampled in blocks.

The case processes read the clock as ``env._now``, the attribute behind SimPy's ``now``
property (as :mod:`~simhall.model.driver` reads SimPy's queue): a property call at every
step was some 4% of a run.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from simhall.calendar import WorkCalendar
from simhall.logs.schema import ACCEPT, CORRECTION, TO_BACK_OFFICE, TO_HALL
from simhall.model import driver, records, stations
from simhall.model.arrivals import ArrivalSetting, ArrivalSource, PoissonArrivals, checked
from simhall.model.compile import (
    HALL,
    CompiledItem,
    CompiledOnline,
    CompiledStep,
    code,
    compile_hall,
)
from simhall.model.records import CaseFile, Recorder
from simhall.model.resources import ServerPool
from simhall.model.timetables import MIN_PER_DAY, WorkingDays
from simhall.scenario.schema import Scenario
from simhall.streams import Draws, NamedStreams


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
    arrivals : ArrivalSource, optional
        Where the first visits come from (:class:`~simhall.model.arrivals.ArrivalSource`);
        default :class:`~simhall.model.arrivals.PoissonArrivals`. E.g.
        :class:`~simhall.model.arrivals.ScheduledArrivals` replays given tickets.
    streams : NamedStreams, optional
        The named streams every draw comes from; default ``NamedStreams(seed, replication)``.
        A subclass may script some streams (a test of one mechanism); its ``seed`` and
        ``replication`` must be the model's.

    Attributes
    ----------
    env : simpy.Environment
        The simulation.
    hall : CompiledHall
        Pools, timetables and compiled items (:func:`~simhall.model.compile.compile_hall`).
    recorder : Recorder
        The kept cases' records (:mod:`simhall.model.records`).

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
        arrivals: ArrivalSource | None = None,
        streams: NamedStreams | None = None,
    ) -> None:
        if streams is None:
            streams = NamedStreams(seed, replication)
        elif (streams.seed, streams.replication) != (seed, replication):
            raise ValueError(
                f"streams of seed {streams.seed}, replication {streams.replication}: expected "
                f"the model's seed {seed}, replication {replication}"
            )
        self.scenario = scenario
        self.window = window
        self.seed = seed
        self.replication = replication
        self.streams = streams
        self.arrival_source: ArrivalSource = arrivals if arrivals is not None else PoissonArrivals()
        self.calendar = calendar or WorkCalendar(scenario.calendar, window.n_days)
        self.env = driver.HallEnvironment()
        self.hall_clock = self.calendar.clock()
        self.end_min = window.n_days * MIN_PER_DAY
        self.horizon_min = window.days * MIN_PER_DAY
        self.warmup_min = window.warmup_days * MIN_PER_DAY
        self.overtime = scenario.calendar.evening == "overtime"
        self.working_days = WorkingDays(self.calendar, self.hall_clock)
        self.hall = compile_hall(scenario, self.calendar, self.hall_clock, self.env, streams)
        acts = self.hall.activities
        self._accept = code(acts, ACCEPT)
        self._correction = code(acts, CORRECTION)
        self._to_hall = code(acts, TO_HALL)
        self._to_back = code(acts, TO_BACK_OFFICE)
        self.recorder = Recorder(self.warmup_min)
        self._open_cases: dict[int, Generator[Any, Any, None]] = {}
        self._n_cases = 0
        self._ran = False

    # ---------------------------------------------------------------- arrivals
    def arrivals(self) -> tuple[np.ndarray, np.ndarray]:
        """Ticket times (minutes) and item indices of all first visits, sorted by time.

        Asks the arrival source (by default a non-homogeneous Poisson process per item,
        :class:`~simhall.model.arrivals.PoissonArrivals`) and checks what it gives.
        """
        hall = self.hall
        setting = ArrivalSetting(
            calendar=self.calendar,
            days=self.window.days,
            items=self.scenario.items,
            profiles=[c.profile for c in hall.items],
            streams=self.streams,
            day_cv=self.scenario.day_cv,
        )
        times, items = self.arrival_source(setting)
        return checked(times, items, len(hall.items), self.end_min)

    def _arrival_process(self, times: np.ndarray, items: np.ndarray) -> Generator[Any, Any, None]:
        env = self.env
        compiled = self.hall.items
        open_cases = self._open_cases
        case = self._case
        start = driver.start
        now = env._now
        case_id = self._n_cases
        for t, i in zip(times.tolist(), items.tolist(), strict=True):
            if t > now:
                now = yield t - now
            steps = case(compiled[i], case_id, t)
            open_cases[case_id] = steps
            case_id += 1
            self._n_cases = case_id
            start(env, steps)

    # ------------------------------------------------------------------- cases
    def _serve(
        self, window: ServerPool, service: Draws, ticket: float
    ) -> Generator[Any, Any, tuple[float, float, int] | float]:
        """Queue at ``window`` with a ticket drawn at ``ticket`` and be served.

        Returns ``(start, end, server)``, or the new ticket time when the applicant was sent
        home at the evening close (``evening = "return_next_day"``). :meth:`_case` runs
        these same steps inline (every case's first visit: no generator per visit).
        """
        window.joins.append(ticket)
        if window.in_use < window.capacity:
            window.in_use += 1
            now = self.env._now
        else:
            now = yield window  # in line (model.driver): resumed with the time
        if not window.clock.is_open(now):
            served, now = yield from self._after_hours(window, now)
            if not served:
                return now
        start = now
        window.leaves.append(start)
        server = window.free.pop()
        end = yield next(service)
        window.free.append(server)
        window.release()
        window.busy_start.append(start)
        window.busy_end.append(end)
        return start, end, server

    def _after_hours(
        self, window: ServerPool, now: float
    ) -> Generator[Any, Any, tuple[bool, float]]:
        """A server of ``window`` was reached at ``now``, while the window is closed.

        Returns ``(True, start)``: served when the window opens (before the evening close,
        or after it with ``overtime``), or ``(False, ticket)``: sent home at the evening
        close, back with a ticket at the next working day's opening.
        """
        day = int(now // MIN_PER_DAY)
        close = self.working_days.close(day)
        after_close = close >= 0 and now >= close
        if after_close and not self.overtime:
            window.leaves.append(now)
            window.release()
            window.sent_home += 1
            cal = self.calendar
            nxt = cal.next_working_day(day)
            if nxt >= cal.n_days:
                raise _Beyond
            return False, nxt * MIN_PER_DAY + cal.opening(nxt)[0][0]
        if not after_close:
            opens = window.clock.next_open(now)
            if opens == math.inf:
                window.release()
                raise _Beyond
            now = yield opens - now
        return True, now

    def _case(self, c: CompiledItem, case_id: int, ticket: float) -> Generator[Any, Any, None]:
        """One applicant's case: window visits until accepted, then the item's route."""
        env = self.env
        cal = self.calendar
        window = c.window
        item = c.index
        file = CaseFile(ticket)
        online = c.online
        if online is not None and not next(online.coin) < online.share:
            online = None  # this applicant comes to the window
        try:
            if online is not None:
                yield from self._submit_online(c, online, file, ticket)
            while online is None:
                file.visits += 1
                # self._serve(window, c.service, ticket), inline
                window.joins.append(ticket)
                if window.in_use < window.capacity:
                    window.in_use += 1
                    now = env._now
                else:
                    now = yield window
                if not window.clock.is_open(now):
                    served, now = yield from self._after_hours(window, now)
                    if not served:
                        ticket = now
                        yield ticket - env._now
                        continue
                start = now
                window.leaves.append(start)
                server = window.free.pop()
                end = yield next(c.service)
                window.free.append(server)
                window.release()
                window.busy_start.append(start)
                window.busy_end.append(end)
                incomplete = next(c.incomplete) < c.item.incomplete_prob
                file.log += (
                    item,
                    self._correction if incomplete else self._accept,
                    window.codes[server],
                    ticket,
                    start,
                    end,
                )
                if not incomplete:
                    break
                # 补正: back after some working days, at a time drawn from the profile
                delay = next(c.return_delay) if c.return_delay is not None else 1.0
                day = int(end // MIN_PER_DAY)
                back_day = cal.add_working_days(day, max(1, int(round(delay))))
                if back_day >= cal.n_days:
                    raise _Beyond
                ticket = back_day * MIN_PER_DAY + c.profile.sampler(
                    cal.opening(back_day)
                ).time_of_day(next(c.return_time))
                yield ticket - env._now
            file.accept = env._now
            if c.route:
                location = yield from self._steps(c.route, item, HALL, file)
                if location != HALL:
                    yield from self._transfer(location, HALL, item, file)
            file.done = env._now
            if online is not None and online.pickup:
                yield from self._pickup(c, online, file)
        except _Beyond:
            pass
        finally:
            self._open_cases.pop(case_id, None)
            self.recorder.keep(case_id, c.index, file)

    def _submit_online(
        self, c: CompiledItem, online: CompiledOnline, file: CaseFile, ticket: float
    ) -> Generator[Any, Any, None]:
        """远程申报: the papers uploaded at ``ticket``, sent back online while incomplete
        (网上补正, resubmitted some working days later), until accepted; no window visit."""
        cal = self.calendar
        while True:
            incomplete = next(c.incomplete) < c.item.incomplete_prob
            act = online.correction if incomplete else online.accept
            file.log += (c.index, act, -1, ticket, ticket, ticket)
            if not incomplete:
                return
            days = online.correction_days or c.return_delay
            delay = next(days) if days is not None else 1.0
            back_day = cal.add_working_days(int(ticket // MIN_PER_DAY), max(1, int(round(delay))))
            if back_day >= cal.n_days:
                raise _Beyond
            ticket = back_day * MIN_PER_DAY + c.profile.sampler(cal.opening(back_day)).time_of_day(
                next(c.return_time)
            )
            yield ticket - self.env._now

    def _pickup(
        self, c: CompiledItem, online: CompiledOnline, file: CaseFile
    ) -> Generator[Any, Any, None]:
        """领证: told that the result is ready, the online applicant comes to the window on
        the next working day (at a time drawn from the item's profile) to collect it."""
        cal = self.calendar
        day = cal.add_working_days(int(self.env._now // MIN_PER_DAY), 1)
        if day >= cal.n_days:
            raise _Beyond
        ticket = day * MIN_PER_DAY + c.profile.sampler(cal.opening(day)).time_of_day(
            next(online.pickup_time)
        )
        yield ticket - self.env._now
        yield from self._steps(online.pickup, c.index, HALL, file)

    def _steps(
        self, steps: list[CompiledStep], item: int, location: str, file: CaseFile
    ) -> Generator[Any, Any, str]:
        """The route steps in order; returns where the file is at the end."""
        env = self.env
        log = file.log
        for s in steps:
            if s.coin is not None and next(s.coin) >= s.probability:
                continue
            if s.location is not None and s.location != location:
                yield from self._transfer(location, s.location, item, file)
                location = s.location
            ready = env._now
            kind = s.kind
            if kind == "work":
                pool = s.pool
                assert pool is not None and s.duration is not None
                pool.joins.append(ready)
                if pool.in_use < pool.capacity:
                    pool.in_use += 1
                    now = ready
                else:
                    now = yield pool  # in line (model.driver): resumed with the time
                start, end = pool.clock.work_span(now, next(s.duration))
                if end > self.end_min:
                    pool.release()
                    raise _Beyond
                pool.leaves.append(now)
                server = pool.free.pop()
                yield end - now
                pool.free.append(server)
                pool.release()
                pool.busy_start.append(start)
                pool.busy_end.append(end)
                log += (item, s.act, pool.codes[server], ready, start if start <= end else end, end)
            elif kind == "session":
                session = s.session
                assert session is not None
                start = session.next_start(ready)
                if session.max_wait_days != math.inf:
                    start = min(start, self.working_days.advance(ready, session.max_wait_days))
                if start == math.inf:
                    raise _Beyond
                end = session.finish(start)
                yield end - ready
                log += (item, s.act, s.res, ready, start, end)
            elif kind == "delay":
                assert s.duration is not None
                end = self.working_days.advance(ready, next(s.duration))
                if end > self.end_min:
                    raise _Beyond
                start = self.hall_clock.next_open(ready)
                yield end - ready
                log += (item, s.act, -1, ready, start if start <= end else end, end)
            elif kind == "visit":
                assert s.window is not None and s.duration is not None
                ticket = ready
                while True:
                    file.visits += 1
                    served = yield from self._serve(s.window, s.duration, ticket)
                    if isinstance(served, tuple):
                        break
                    ticket = served
                    yield ticket - env._now
                start, end, server = served
                log += (item, s.act, s.window.codes[server], ticket, start, end)
            else:  # parallel
                joins = []
                for b in s.branches:
                    joins.append(env.event())
                    driver.start(env, self._branch(b, item, location, file), joins[-1])
                yield env.all_of(joins)
                if any(isinstance(j.value, _Beyond) for j in joins):
                    raise _Beyond
                location = HALL
            if not s.counts:
                file.suspended.append((ready, env._now))
        return location

    def _branch(
        self, steps: list[CompiledStep], item: int, location: str, file: CaseFile
    ) -> Generator[Any, Any, object]:
        """A parallel branch: its steps, then back to the hall for the join."""
        try:
            end_loc = yield from self._steps(steps, item, location, file)
            if end_loc != HALL:
                yield from self._transfer(end_loc, HALL, item, file)
        except _Beyond as exc:
            return exc
        return None

    def _transfer(
        self, origin: str, target: str, item: int, file: CaseFile
    ) -> Generator[Any, Any, None]:
        """Carry a file from ``origin`` to ``target`` by courier(s), via the hall."""
        if origin != HALL:
            yield from self._courier(origin, self._to_hall, item, file)
        if target != HALL:
            yield from self._courier(target, self._to_back, item, file)

    def _courier(
        self, dept: str, activity: int, item: int, file: CaseFile
    ) -> Generator[Any, Any, None]:
        """Wait for the department's next courier run and travel with it."""
        env = self.env
        courier = self.hall.couriers[dept]
        ready = env._now
        start = courier.departure(ready, to_hall=activity == self._to_hall)
        if start == math.inf:
            raise _Beyond
        end = start + courier.travel_min
        yield end - ready
        file.log += (item, activity, courier.resource, ready, start, end)

    # --------------------------------------------------------------------- run
    def run(self) -> HallModel:
        """Simulate arrivals over the horizon and let open cases drain; returns self."""
        if self._ran:
            raise RuntimeError("a HallModel runs once; build a new one for another replication")
        times, items = self.arrivals()
        with driver.no_cycle_collection():
            driver.start(self.env, self._arrival_process(times, items))
            self.env.run(until=self.end_min)
            # cases still queueing or in service when the run stops: record them as they stand
            for case in list(self._open_cases.values()):
                case.close()
        self._ran = True
        return self

    # ----------------------------------------------------------------- outputs
    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """The event log, the case table and the station table of this replication."""
        cases = self.case_frame()
        events = records.event_frame(
            self.recorder, self.hall, self.calendar, self.replication, cases["case_id"].array
        )
        return events, cases, self.station_frame()

    def records(self) -> list[tuple[int, str, str, str | None, float, float, float]]:
        """The recorded events as ``(case, item_id, activity, resource, ready, start, end)``
        tuples with times in minutes, in recording order (for exact traces in tests)."""
        return records.decoded_events(self.recorder, self.hall)

    def event_frame(self) -> pd.DataFrame:
        """Simulated event log in the case-log schema (:func:`records.event_frame`)."""
        return records.event_frame(self.recorder, self.hall, self.calendar, self.replication)

    def case_frame(self) -> pd.DataFrame:
        """One row per case (:func:`records.case_frame`)."""
        return records.case_frame(
            self.recorder, self.scenario.items, self.calendar, self.replication
        )

    def station_frame(self) -> pd.DataFrame:
        """Per window row and staff pool, between the warm-up and the horizon
        (:func:`simhall.model.stations.station_frame`)."""
        return stations.station_frame(
            self.hall, self.warmup_min, self.horizon_min, self.replication
        )
