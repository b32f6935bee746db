"""The typed, frozen description of a hall: what a scenario file becomes once loaded.

A scenario is to simhall what a floor plan and a rule book are to a hall manager: which
departments sit in the hall and how many windows each staffs, where each department's back
office is and when its leader signs, which items citizens come for, how many of them, and
which steps a file goes through after acceptance. Nothing here runs; :mod:`simhall.model`
turns a :class:`Scenario` into a SimPy simulation.

All times of day are minutes after midnight (``*_min``), all durations carry their unit in
the field name (``duration`` distributions of work steps are in working minutes, ``days``
distributions of delays in working days). Weekdays are integers, Monday = 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, TypeAlias

from simhall.distributions import Distribution

WEEKDAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Interval: TypeAlias = tuple[int, int]
"""A clock interval within a day, ``(start_min, end_min)`` in minutes after midnight."""

HolidaySource: TypeAlias = Literal["cn", "weekends-only", "custom"]
EveningPolicy: TypeAlias = Literal["overtime", "return_next_day"]
ItemKind: TypeAlias = Literal["onsite", "commitment"]
SessionKind: TypeAlias = Literal["signoff", "meeting"]
OnHoliday: TypeAlias = Literal["next_working_day", "skip"]


@dataclass(frozen=True)
class CalendarSpec:
    """When the hall is open.

    Parameters
    ----------
    start : date
        First day of the simulation (simulation time 0 is its midnight).
    holidays : {"cn", "weekends-only", "custom"}
        ``"cn"``: Mon-Fri minus Chinese public holidays plus make-up working weekends
        (调休) from the maintained holiday table; ``"weekends-only"``: every Mon-Fri works
        (an explicit choice); ``"custom"``: Mon-Fri plus the scenario's own lists, which it
        declares complete.
    extra_holidays, extra_workdays : tuple of date
        The scenario's own closures and extra working days (they win over the source).
    opening : tuple of Interval
        Opening sessions of a working day, e.g. ``((510, 720), (870, 1050))`` for
        08:30-12:00 and 14:30-17:30; the gap between sessions is the lunch break.
    opening_by_weekday : tuple of (weekday, tuple of Interval)
        Overrides of ``opening`` for some weekdays (e.g. a short Friday afternoon).
    evening : {"overtime", "return_next_day"}
        What happens to applicants still waiting at the evening close.
    """

    start: date
    holidays: HolidaySource = "cn"
    extra_holidays: tuple[date, ...] = ()
    extra_workdays: tuple[date, ...] = ()
    opening: tuple[Interval, ...] = ((510, 720), (870, 1050))
    opening_by_weekday: tuple[tuple[int, tuple[Interval, ...]], ...] = ()
    evening: EveningPolicy = "overtime"

    def opening_on(self, weekday: int) -> tuple[Interval, ...]:
        """Opening sessions on a working day that falls on ``weekday`` (Monday = 0)."""
        for day, sessions in self.opening_by_weekday:
            if day == weekday:
                return sessions
        return self.opening


@dataclass(frozen=True)
class SessionSchedule:
    """Recurring batch sessions: a leader's sign-off round, a director's office meeting.

    Every file waiting when a session opens is handled in it; files arriving later wait for
    the next one, like letters waiting for the day's post.

    Parameters
    ----------
    weekdays : tuple of int
        Weekdays with a session (Monday = 0).
    times_min : tuple of int
        Clock times of the sessions on those days.
    duration_min : float
        Minutes from the session's start until its files are done.
    on_holiday : {"next_working_day", "skip"}
        A session falling on a non-working day moves to the next working day (same clock
        time) or is skipped.
    max_wait_days : float or None
        Supervision cap (督办): a file that would wait longer than this many working days
        for the next session is handled at ready time plus the cap instead.
    skip_share : float
        Probability that a scheduled session does not take place (the leader is away); its
        files wait for the next one that does. Drawn per session from the department's
        named stream; 0 (the default) skips none and draws nothing.
    """

    weekdays: tuple[int, ...]
    times_min: tuple[int, ...]
    duration_min: float = 0.0
    on_holiday: OnHoliday = "next_working_day"
    max_wait_days: float | None = None
    skip_share: float = 0.0


@dataclass(frozen=True)
class Courier:
    """A daily courier carrying files between the hall and an outside back office.

    It leaves at each of ``times_min`` on every working day (both directions) and arrives
    ``travel_min`` minutes later.
    """

    times_min: tuple[int, ...]
    travel_min: float = 30.0


@dataclass(frozen=True)
class Pool:
    """A pool of interchangeable staff of one department doing back-office work.

    ``in_hall`` says where the pool sits: a file moving between a pool outside the hall
    and the hall (or another location) travels by the department's courier.
    ``hours``, when given, restricts the pool to those clock intervals on working days
    (a chief representative present only in the mornings); otherwise hall opening hours.
    """

    name: str
    staff: int
    in_hall: bool = False
    hours: tuple[Interval, ...] | None = None


@dataclass(frozen=True)
class Department:
    """A department with windows in the hall (进驻部门).

    Parameters
    ----------
    id, name : str
        Stable identifier and display name (Chinese names welcome).
    windows : int
        Staffed counters serving one FIFO ticket queue.
    back_office : {"hall", "outside"}
        Whether the back office (its sign-off and meeting) sits in the hall or outside.
    courier : Courier or None
        How files travel to an outside back office (required when ``back_office`` is
        ``"outside"`` and some step runs there).
    pools : tuple of Pool
        Back-office staff pools, by name (e.g. ``section``).
    signoff, meeting : SessionSchedule or None
        Leader sign-off sessions and the director's meeting.
    """

    id: str
    name: str
    windows: int
    back_office: Literal["hall", "outside"] = "hall"
    courier: Courier | None = None
    pools: tuple[Pool, ...] = ()
    signoff: SessionSchedule | None = None
    meeting: SessionSchedule | None = None

    def pool(self, name: str) -> Pool:
        """The pool called ``name`` (KeyError if there is none)."""
        for pool in self.pools:
            if pool.name == name:
                return pool
        raise KeyError(name)


@dataclass(frozen=True)
class WorkStep:
    """Back-office work by one member of a staff pool, in working minutes (pauses overnight)."""

    name: str
    department: str
    pool: str
    duration: Distribution
    probability: float = 1.0
    counts: bool = True


@dataclass(frozen=True)
class SessionStep:
    """Waiting for and passing a batch session: leader sign-off or director meeting."""

    name: str
    department: str
    session: SessionKind
    probability: float = 1.0
    counts: bool = True


@dataclass(frozen=True)
class DelayStep:
    """A pure delay in working days: site inspection, public notice (公示), expert review."""

    name: str
    department: str
    days: Distribution
    probability: float = 1.0
    counts: bool = True


@dataclass(frozen=True)
class VisitStep:
    """The applicant goes to a (usually another) department's window, queues and is served.

    Used for registration bundles spanning departments (one-form registration): before the
    reform the applicant visits each department's window in turn and fills its forms.
    ``forms`` and ``fields`` are what the applicant fills in at that visit (for reporting).
    """

    name: str
    department: str
    service: Distribution
    forms: int = 0
    fields: int = 0
    probability: float = 1.0
    counts: bool = True


@dataclass(frozen=True)
class ParallelStep:
    """Branches running at once (e.g. several departments' approvals), joined at the end."""

    name: str
    branches: tuple[tuple[Step, ...], ...]
    probability: float = 1.0
    counts: bool = True


Step: TypeAlias = WorkStep | SessionStep | DelayStep | VisitStep | ParallelStep


@dataclass(frozen=True)
class Demand:
    """When applicants for an item arrive.

    ``daily_volume`` x ``weekday_factors[weekday]`` is the expected number of tickets on a
    working day; within the day, tickets follow the piecewise-constant ``intraday`` profile
    of ``(start_min, end_min, weight)`` bins, restricted to opening hours.
    """

    daily_volume: float
    weekday_factors: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
    intraday: tuple[tuple[int, int, float], ...] = ()


@dataclass(frozen=True)
class Item:
    """An approval or service item (审批事项) as handled in this hall.

    Parameters
    ----------
    kind : {"onsite", "commitment"}
        On-site items (即办件) complete at the window; commitment items (承诺件) go through
        ``route`` after acceptance under ``committed_days``.
    committed_days, statutory_days : int or None
        Committed and statutory time limits in working days.
    window_service : Distribution
        Minutes at the window per visit.
    incomplete_prob : float
        Probability that a visit finds the materials incomplete (补正).
    return_delay : Distribution
        Working days until the applicant comes back after an incomplete visit.
    route : tuple of Step
        Steps after acceptance, in order.
    group : str or None
        Item group whose defaults apply (e.g. ``construction``).
    tags : tuple of str
        Free labels for selecting items in reforms and aggregates (``compressed_2007``).
    forms, fields : int
        Forms and data fields the applicant fills in at the acceptance visit (reporting).
    """

    id: str
    name: str
    department: str
    kind: ItemKind
    demand: Demand
    window_service: Distribution
    committed_days: int | None = None
    statutory_days: int | None = None
    incomplete_prob: float = 0.0
    return_delay: Distribution | None = None
    route: tuple[Step, ...] = ()
    group: str | None = None
    tags: tuple[str, ...] = ()
    forms: int = 0
    fields: int = 0


@dataclass(frozen=True)
class RunSpec:
    """Run defaults: horizon, warm-up, replications and the master seed.

    Applicants arrive during the first ``days`` calendar days; cases accepted in the first
    ``warmup_days`` are left out of the results; the simulation then goes on for up to
    ``drain_days`` more so that late cases can finish (those that do not are reported as
    in progress).
    """

    days: int = 365
    warmup_days: int = 0
    drain_days: int = 120
    replications: int = 5
    seed: int = 12345
    service_level: float = 0.95


@dataclass(frozen=True)
class Scenario:
    """A whole hall: calendar, departments, items and run defaults."""

    name: str
    calendar: CalendarSpec
    departments: tuple[Department, ...]
    items: tuple[Item, ...]
    run: RunSpec = field(default_factory=RunSpec)
    description: str = ""
    synthetic: bool = False
    source: str = ""
    reforms: tuple[object, ...] = ()
    day_cv: float = 0.0
    """``[demand] day_cv``: coefficient of variation of a day-level demand factor (gamma,
    mean 1) shared by every item: busier and quieter days than Poisson (0 = none)."""
    warnings: tuple[str, ...] = ()
    """Things in the files that may be meant but are unusual (``file: path = value: why``);
    printed by the commands and written next to their results."""

    def department(self, department_id: str) -> Department:
        """The department with id ``department_id`` (KeyError if unknown)."""
        for dept in self.departments:
            if dept.id == department_id:
                return dept
        raise KeyError(department_id)

    def item(self, item_id: str) -> Item:
        """The item with id ``item_id`` (KeyError if unknown)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)
