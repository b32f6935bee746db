"""The event loop: one hall, its windows, back office and rounds, minute by minute.

A ``heapq`` of timed events, like the hall's day book of appointments: applicants arrive and
take a ticket, clerks call the next ticket when free (never in the lunch break; in overtime
until the cutoff), files go to the tray, the staff, the courier, the leader's round, the
director's meeting, the site inspection, and back to the window for pickup. Every draw comes
from a named child stream of one :class:`numpy.random.SeedSequence`, so one seed gives one
log, bit for bit.
"""

from __future__ import annotations

import heapq
import zlib
from collections import deque
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from tests.independent.clock import DAY_MIN, Clock
from tests.independent.config import DepartmentConfig, HallConfig, SessionConfig
from tests.independent.workdays import WorkDays

DRAIN_DAYS = 150
"""Calendar days simulated after the last arrival so every case can finish."""

ARRIVE, CLERK_FREE, CUTOFF, STEP_READY, REVIEW_QUEUE, STAFF_FREE, SESSION = range(7)


def stream(seed: int, name: str) -> np.random.Generator:
    """The named child stream ``name`` of master ``seed``."""
    key = zlib.crc32(name.encode("utf-8"))
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(key,)))


@dataclass(frozen=True)
class GroundTruth:
    """What the generator did: its parameters and the realised hidden quantities.

    Attributes
    ----------
    config : HallConfig
        Every parameter (the truth calibration should recover).
    seed : int
        Master seed.
    start, end : date
        Arrivals on days ``start <= day < end``.
    day_factor : pd.Series
        Realised demand factor per working day (index: date).
    sessions : pd.DataFrame
        ``kind, resource, date, time, held, files``: every scheduled round and meeting.
    cases : pd.DataFrame
        ``case_id, item_id, accepted, decided, completed, corrections, tray_days``
        (minute timestamps as datetimes; NaT where not reached).
    """

    config: HallConfig
    seed: int
    start: date
    end: date
    day_factor: pd.Series
    sessions: pd.DataFrame
    cases: pd.DataFrame

    def parameters(self) -> dict[str, Any]:
        """Every configured parameter as a nested dict."""
        return asdict(self.config)


@dataclass(frozen=True)
class GeneratedLog:
    """A generated case log, its items catalogue, the ground truth and the calendar."""

    events: pd.DataFrame
    items: pd.DataFrame
    truth: GroundTruth
    workdays: WorkDays


class _Hall:
    """State of one run; :func:`generate` is the entry point."""

    def __init__(self, cfg: HallConfig, seed: int, start: date, end: date) -> None:
        self.cfg, self.seed, self.start = cfg, seed, start
        self.n_arrival_days = (end - start).days
        self.wd = WorkDays(start, self.n_arrival_days + DRAIN_DAYS, cfg.holidays, cfg.makeup_days)
        m = cfg.mechanisms
        periods = cfg.opening if m.lunch else ((cfg.opening[0][0], cfg.opening[-1][1]),)
        self.clock = Clock(self.wd, periods, cfg.intraday)
        self.cutoff = cfg.overtime_cutoff_min if m.overtime else cfg.opening[-1][1]
        self.depts = {d.dept_id: d for d in cfg.departments}
        self.items = {i.item_id: i for i in cfg.items}
        self.rng = {
            n: stream(seed, n)
            for n in (
                "demand",
                "arrival",
                "window",
                "correction",
                "tray",
                "review",
                "courier",
                "session",
                "inspection",
                "pickup",
                "return",
            )
        }
        self.heap: list[tuple[float, int, int, Any, Any]] = []
        self.seq = 0
        self.rows: list[tuple[int, int, str, float, float, float]] = []
        self.queue = {d: deque() for d in self.depts}  # type: dict[str, deque[Any]]
        self.clerk_free = {d: [True] * c.clerks for d, c in self.depts.items()}
        self.pool = {d: deque() for d in self.depts}  # type: dict[str, deque[Any]]
        self.staff_free = {d: [True] * c.staff for d, c in self.depts.items()}
        self.trays: dict[str, list[tuple[float, int]]] = {}
        self.trips: dict[tuple[str, float], float] = {}
        self.session_log: list[tuple[str, str, int, int, bool, int]] = []

    # -- plumbing ------------------------------------------------------------------------
    def push(self, t: float, kind: int, a: Any = None, b: Any = None) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, kind, a, b))

    def log(self, case: int, act: int, res: str, ready: float, s: float, e: float) -> None:
        self.rows.append((case, act, res, ready, s, e))

    # -- set-up --------------------------------------------------------------------------
    def schedule(self) -> None:
        cfg, wd, m = self.cfg, self.wd, self.cfg.mechanisms
        days = np.flatnonzero(wd.is_working[: self.n_arrival_days])
        rng = self.rng["demand"]
        shape = 1.0 / cfg.day_cv**2 if cfg.day_cv > 0 else np.inf
        factor = (
            rng.gamma(shape, 1.0 / shape, len(days))
            if m.day_factor and cfg.day_cv > 0
            else np.ones(len(days))
        )
        week = np.asarray(cfg.weekday_factor)[wd.weekday[days]] if m.weekday_factor else 1.0
        mean = np.array([i.daily_mean for i in cfg.items])
        counts = rng.poisson(np.outer(factor * week, mean))
        self.day_factor = pd.Series(factor, index=[wd.date(d) for d in days], name="day_factor")
        item_idx = np.repeat(np.tile(np.arange(len(mean)), len(days)), counts.ravel())
        day_idx = np.repeat(np.repeat(days, len(mean)), counts.ravel())
        times = self.clock.random_times(day_idx, self.rng["arrival"])
        order = np.argsort(times, kind="stable")
        self.case_item = [cfg.items[i].item_id for i in item_idx[order]]
        n = len(order)
        self.accepted = np.full(n, np.nan)
        self.decided = np.full(n, np.nan)
        self.completed = np.full(n, np.nan)
        self.corrections = np.zeros(n, dtype=np.int64)
        self.tray_days = np.full(n, -1, dtype=np.int64)
        self.route: list[list[str]] = [[] for _ in range(n)]
        for c, t in enumerate(times[order]):
            self.push(float(t), ARRIVE, c, "app")
        for d in np.flatnonzero(wd.is_working):
            for dept in self.depts:
                self.push(d * DAY_MIN + self.cutoff, CUTOFF, dept)
        sessions: list[tuple[str, SessionConfig]] = []
        if m.signoff:
            sessions += [(f"signoff:{d.dept_id}", d.signoff) for d in cfg.departments]
        if m.meeting:
            sessions.append(("meeting", cfg.meeting))
        srng = self.rng["session"]
        for key, s in sessions:
            self.trays[key] = []
            for d in np.flatnonzero(wd.is_working):
                if wd.weekday[d] in s.weekdays:
                    held = bool(srng.random() >= s.skip_share)
                    if held:
                        self.push(d * DAY_MIN + s.clock_min, SESSION, key, s)
                    self.session_log.append((key, s.resource, int(d), s.clock_min, held, 0))

    # -- windows -------------------------------------------------------------------------
    def window_start(self, t: float) -> float | None:
        """When a clerk free at ``t`` may call the next ticket (None: after the cutoff)."""
        d = int(t // DAY_MIN)
        c = t - d * DAY_MIN
        if not self.wd.is_working[d] or c >= self.cutoff:
            return None
        for a, b in self.clock.periods:
            if c < a:
                return d * DAY_MIN + a
            if c < b:
                return t
        return t  # overtime: after the last close, before the cutoff

    def serve(self, dept_id: str, t: float) -> None:
        q, free = self.queue[dept_id], self.clerk_free[dept_id]
        while q and True in free:
            s = self.window_start(t)
            if s is None:
                return
            k = free.index(True)
            free[k] = False
            case, purpose, ready = q.popleft()
            e = s + self.window_visit(case, purpose, dept_id, ready, s, k)
            self.push(e, CLERK_FREE, dept_id, k)

    def window_visit(
        self, case: int, purpose: str, dept_id: str, ready: float, s: float, k: int
    ) -> float:
        cfg, dept = self.cfg, self.depts[dept_id]
        item = self.items[self.case_item[case]]
        rng = self.rng["window"]
        res = dept.window_names[k]
        if purpose == "pickup":
            dur = float(rng.lognormal(np.log(dept.pickup_service_min), dept.service_sigma))
            self.log(case, 2, res, ready, s, s + dur)
            self.completed[case] = s + dur
            return dur
        dur = float(rng.lognormal(np.log(dept.service_median_min), dept.service_sigma))
        e = s + dur
        crng = self.rng["correction"]
        if (
            cfg.mechanisms.corrections
            and self.corrections[case] < cfg.max_corrections
            and crng.random() < item.correction_share
        ):
            self.corrections[case] += 1
            self.log(case, 1, res, ready, s, e)
            lo, hi = cfg.correction_return_days
            back = self.wd.add(int(e // DAY_MIN), int(crng.integers(lo, hi + 1)))
            self.push(self.clock.random_time(back, self.rng["return"]), ARRIVE, case, "app")
            return dur
        self.log(case, 0, res, ready, s, e)
        self.accepted[case] = e
        self.route[case] = self.build_route(item.item_id, dept)
        if self.route[case]:
            self.push(e, STEP_READY, case)
        else:
            self.decided[case] = self.completed[case] = e
        return dur

    def build_route(self, item_id: str, dept: DepartmentConfig) -> list[str]:
        m, item = self.cfg.mechanisms, self.items[item_id]
        if item.kind == "onsite":
            return []
        courier = m.courier and dept.courier
        route = ["to_back_office"] if courier else []
        route.append("review")
        if m.inspection and item.inspection_days[1] > 0:
            route.append("inspection")
        if m.meeting and item.meeting:
            route.append("meeting")
        if m.signoff:
            route.append("signoff")
        if courier:
            route.append("to_hall")
        if m.pickup and self.rng["pickup"].random() < item.pickup_share:
            route.append("pickup")
        return route

    # -- back office ---------------------------------------------------------------------
    def step(self, case: int, t: float) -> None:
        route = self.route[case]
        if not route:
            self.completed[case] = t
            if np.isnan(self.decided[case]):
                self.decided[case] = t
            return
        step = route.pop(0)
        cfg, wd = self.cfg, self.wd
        item = self.items[self.case_item[case]]
        dept = self.depts[item.department]
        if step in ("to_back_office", "to_hall"):
            clock_min = cfg.courier_out_min if step == "to_back_office" else cfg.courier_back_min
            d = int(t // DAY_MIN)
            if not (wd.is_working[d] and t - d * DAY_MIN <= clock_min):
                d = wd.next_working(d + 1)
            dep = d * DAY_MIN + clock_min
            trip = (step, dep)
            if trip not in self.trips:
                self.trips[trip] = float(self.rng["courier"].uniform(*cfg.courier_travel_min))
            arr = dep + self.trips[trip]
            self.log(case, 7 if step == "to_back_office" else 8, cfg.courier_resource, t, dep, arr)
            self.push(arr, STEP_READY, case)
        elif step == "review":
            n = 0
            if cfg.mechanisms.tray:
                n = int(self.rng["tray"].integers(dept.tray_days[0], dept.tray_days[1] + 1))
            self.tray_days[case] = n
            join = (
                t
                if n == 0
                else self.clock.random_time(wd.add(int(t // DAY_MIN), n), self.rng["tray"])
            )
            self.push(max(join, t), REVIEW_QUEUE, case, t)
        elif step == "inspection":
            rng = self.rng["inspection"]
            s = self.clock.next_open(t)
            n = int(rng.integers(item.inspection_days[0], item.inspection_days[1] + 1))
            e = self.clock.random_time(wd.add(int(s // DAY_MIN), max(n, 1)), rng)
            self.log(case, 6, cfg.inspection_resource, t, s, e)
            self.push(e, STEP_READY, case)
        elif step in ("meeting", "signoff"):
            key = "meeting" if step == "meeting" else f"signoff:{dept.dept_id}"
            self.trays[key].append((t, case))
        elif step == "pickup":
            self.decided[case] = t
            lo, hi = cfg.pickup_days
            day = wd.add(int(t // DAY_MIN), int(self.rng["pickup"].integers(lo, hi + 1)))
            self.push(self.clock.random_time(day, self.rng["pickup"]), ARRIVE, case, "pickup")

    def start_reviews(self, dept_id: str, t: float) -> None:
        q, free, dept = self.pool[dept_id], self.staff_free[dept_id], self.depts[dept_id]
        rng = self.rng["review"]
        while q and True in free:
            k = free.index(True)
            free[k] = False
            case, ready = q.popleft()
            s = self.clock.next_open(t)
            e = self.clock.add_work(
                s, float(rng.lognormal(np.log(dept.review_median_min), dept.review_sigma))
            )
            self.log(case, 3, dept.staff_names[k], ready, s, e)
            self.push(e, STAFF_FREE, dept_id, k)
            self.push(e, STEP_READY, case)

    def session(self, key: str, s: SessionConfig, t: float) -> None:
        files = sorted(self.trays[key])
        self.trays[key] = []
        rng = self.rng["session"]
        act = 5 if key == "meeting" else 4
        cur = t
        for ready, case in files:
            dur = float(rng.uniform(*s.per_file_min))
            self.log(case, act, s.resource, ready, cur, cur + dur)
            self.push(cur + dur, STEP_READY, case)
            cur += dur
        d = int(t // DAY_MIN)
        for i in range(len(self.session_log) - 1, -1, -1):
            k, res, day, clock_min, held, _ = self.session_log[i]
            if k == key and day == d:
                self.session_log[i] = (k, res, day, clock_min, held, len(files))
                break

    # -- loop ----------------------------------------------------------------------------
    def run(self) -> None:
        heap, pop = self.heap, heapq.heappop
        while heap:
            t, _, kind, a, b = pop(heap)
            if kind == ARRIVE:
                dept_id = self.items[self.case_item[a]].department
                self.queue[dept_id].append((a, b, t))
                self.serve(dept_id, t)
            elif kind == CLERK_FREE:
                self.clerk_free[a][b] = True
                self.serve(a, t)
            elif kind == CUTOFF:
                q = self.queue[a]
                while q:  # still waiting at the cutoff: home, back next working day
                    case, purpose, _ = q.popleft()
                    day = self.wd.next_working(int(t // DAY_MIN) + 1)
                    self.push(
                        self.clock.random_time(day, self.rng["return"]), ARRIVE, case, purpose
                    )
            elif kind == STEP_READY:
                self.step(a, t)
            elif kind == REVIEW_QUEUE:
                dept_id = self.items[self.case_item[a]].department
                self.pool[dept_id].append((a, b))
                self.start_reviews(dept_id, t)
            elif kind == STAFF_FREE:
                self.staff_free[a][b] = True
                self.start_reviews(a, t)
            elif kind == SESSION:
                self.session(a, b, t)


def _stamps(start: date, minutes: np.ndarray) -> pd.Series:
    """Naive local datetimes (whole seconds) of minute offsets from ``start``'s midnight."""
    secs = np.round(np.asarray(minutes, dtype=float) * 60.0)
    out = pd.Timestamp(start) + pd.to_timedelta(secs, unit="s")
    return pd.Series(np.asarray(out, dtype="datetime64[ns]"))


def generate(
    hall: HallConfig,
    start: date,
    end: date,
    *,
    seed: int = 0,
    ready: bool = False,
    censor: bool = False,
    case_prefix: str = "C",
) -> GeneratedLog:
    """Simulate ``hall`` for arrivals on ``start <= day < end`` and write its case log.

    Parameters
    ----------
    hall : HallConfig
        The hall (see :mod:`tests.independent.halls`).
    start, end : date
        Arrival period; the hall then works on until every case is finished.
    seed : int, default 0
        Master seed of the named streams.
    ready : bool, default False
        Write the ``ready`` column (real exports usually lack it).
    censor : bool, default False
        Drop events that end on or after ``end`` (an export taken at the period's end).
    case_prefix : str
        Prefix of the case ids.

    Returns
    -------
    GeneratedLog
        ``events`` (``case_id, item_id, activity, resource, [ready,] start, end``, sorted
        by end), ``items`` (the catalogue), ``truth`` and ``workdays``.
    """
    h = _Hall(hall, seed, start, end)
    h.schedule()
    h.run()
    acts = hall.activities
    names = [
        acts.accept,
        acts.correction,
        acts.pickup,
        acts.review,
        acts.signoff,
        acts.meeting,
        acts.inspection,
        acts.to_back_office,
        acts.to_hall,
    ]
    rows = np.array(h.rows, dtype=object).reshape(-1, 6)
    case = rows[:, 0].astype(np.int64)
    width = max(6, len(str(len(h.case_item))))
    ids = np.array([f"{case_prefix}{i:0{width}d}" for i in range(len(h.case_item))])
    item_ids = np.array(h.case_item, dtype=object)
    ev = pd.DataFrame(
        {
            "case_id": ids[case] if len(case) else np.array([], dtype=str),
            "item_id": pd.Categorical(
                item_ids[case] if len(case) else [], categories=[i.item_id for i in hall.items]
            ),
            "activity": pd.Categorical.from_codes(rows[:, 1].astype(np.int64), categories=names),
            "resource": pd.Categorical(rows[:, 2].astype(str)),
            "ready": _stamps(start, rows[:, 3].astype(float)),
            "start": _stamps(start, rows[:, 4].astype(float)),
            "end": _stamps(start, rows[:, 5].astype(float)),
        }
    )
    ev["case_id"] = ev["case_id"].astype(str)
    if censor:
        ev = ev[ev["end"] < pd.Timestamp(end)]
    ev = ev.sort_values(["end", "case_id"], kind="stable").reset_index(drop=True)
    if not ready:
        ev = ev.drop(columns="ready")
    items = pd.DataFrame(
        {
            "item_id": [i.item_id for i in hall.items],
            "department": [i.department for i in hall.items],
            "kind": [i.kind for i in hall.items],
            "committed_days": [i.committed_days for i in hall.items],
            "name": [i.name or i.item_id for i in hall.items],
        }
    )
    sessions = pd.DataFrame(
        h.session_log, columns=["kind", "resource", "day", "clock_min", "held", "files"]
    )
    sessions.insert(2, "date", [h.wd.date(d) for d in sessions["day"]])
    sessions = sessions.drop(columns="day")
    cases = pd.DataFrame(
        {
            "case_id": ids,
            "item_id": h.case_item,
            "accepted": _stamps(start, h.accepted),
            "decided": _stamps(start, h.decided),
            "completed": _stamps(start, h.completed),
            "corrections": h.corrections,
            "tray_days": h.tray_days,
        }
    )
    truth = GroundTruth(hall, seed, start, end, h.day_factor, sessions, cases)
    return GeneratedLog(ev, items, truth, h.wd)
