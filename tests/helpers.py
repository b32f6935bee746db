"""Tiny scenarios built directly from the dataclasses (no TOML), and deterministic runs.

Day 0 is Monday 2007-09-24, so the 2007 National Day golden week is reachable: Sat 09-29 and
Sun 09-30 are make-up working days, Mon 10-01 to Sun 10-07 are holidays, Mon 10-08 works.

Deterministic runs go through the model's public injection points only: exact tickets as an
arrival source (:class:`simhall.model.ScheduledArrivals`, :func:`play`) and scripted coin
flips as named streams (:class:`ScriptedStreams`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from simhall.distributions import Distribution, Exponential, Fixed, Lognormal, UniformInt
from simhall.model import HallModel, RunWindow, ScheduledArrivals
from simhall.scenario.schema import (
    CalendarSpec,
    Courier,
    DelayStep,
    Demand,
    Department,
    Item,
    ParallelStep,
    Pool,
    Scenario,
    SessionSchedule,
    SessionStep,
    Step,
    WorkStep,
)
from simhall.streams import Draws, NamedStreams

START = date(2007, 9, 24)
"""Monday; day index of a date ``d`` is ``(d - START).days``."""
OPENING = ((510, 720), (870, 1050))
"""08:30-12:00 and 14:30-17:30."""
DAY = 1440.0


def day_of(d: date) -> int:
    """Calendar day index of ``d`` from :data:`START`."""
    return (d - START).days


def at(d: date | int, hh: int, mm: int = 0) -> float:
    """Absolute simulation minute of clock time ``hh:mm`` on date (or day index) ``d``."""
    day = d if isinstance(d, int) else day_of(d)
    return day * DAY + hh * 60 + mm


def calendar(**kw: object) -> CalendarSpec:
    """A ``cn`` calendar from :data:`START` with the standard opening (overrides via ``kw``)."""
    kw.setdefault("start", START)
    kw.setdefault("holidays", "cn")
    kw.setdefault("opening", OPENING)
    return CalendarSpec(**kw)  # type: ignore[arg-type]


def department(
    id: str = "d",
    *,
    windows: int = 1,
    staff: int = 1,
    pool_in_hall: bool = False,
    back_office: str = "hall",
    courier: tuple[tuple[int, ...], float] | None = None,
    signoff: SessionSchedule | None = None,
    meeting: SessionSchedule | None = None,
) -> Department:
    """A department with one back-office pool called ``section``."""
    return Department(
        id=id,
        name=id.upper(),
        windows=windows,
        back_office=back_office,  # type: ignore[arg-type]
        courier=Courier(courier[0], courier[1]) if courier else None,
        pools=(Pool("section", staff, in_hall=pool_in_hall),),
        signoff=signoff,
        meeting=meeting,
    )


def item(
    id: str = "a",
    *,
    department: str = "d",
    kind: str = "commitment",
    service: Distribution | float = 10.0,
    route: Sequence[Step] = (),
    volume: float = 1.0,
    committed_days: int | None = None,
    incomplete_prob: float = 0.0,
    return_delay: Distribution | None = None,
    intraday: tuple[tuple[int, int, float], ...] = (),
) -> Item:
    """An item; ``service`` in window minutes (a number means ``Fixed``)."""
    if not isinstance(service, Distribution):
        service = Fixed(value=float(service))
    if committed_days is None and kind == "commitment":
        committed_days = 20
    return Item(
        id=id,
        name=id.upper(),
        department=department,
        kind=kind,  # type: ignore[arg-type]
        demand=Demand(daily_volume=volume, intraday=intraday),
        window_service=service,
        committed_days=committed_days,
        incomplete_prob=incomplete_prob,
        return_delay=return_delay,
        route=tuple(route),
    )


def scenario(
    items: Sequence[Item], departments: Sequence[Department] | None = None, **cal: object
) -> Scenario:
    """A scenario of ``items`` (default: one department ``d``); ``cal`` overrides the calendar."""
    return Scenario(
        name="tiny",
        calendar=calendar(**cal),
        departments=tuple(departments) if departments is not None else (department(),),
        items=tuple(items),
    )


def route_shape(kind: int) -> Sequence[Step]:
    """A few route shapes over departments ``d`` (in the hall) and ``e`` (outside)."""
    if kind == 0:
        return ()
    if kind == 1:
        return (WorkStep("review", "d", "section", Exponential(mean=90)),)
    if kind == 2:
        return (
            WorkStep("review", "e", "section", Lognormal(mean=120, sd=60)),
            SessionStep("sign", "e", "signoff"),
            DelayStep("notice", "d", Fixed(value=2.0), counts=False),
        )
    return (
        ParallelStep(
            "joint",
            (
                (WorkStep("d_review", "d", "section", Exponential(mean=60)),),
                (
                    WorkStep("e_review", "e", "section", Exponential(mean=200)),
                    SessionStep("meet", "e", "meeting", probability=0.5),
                ),
            ),
        ),
        SessionStep("sign", "d", "signoff"),
    )


def two_department_hall(
    *,
    windows: int = 2,
    volume: float = 15.0,
    service_mean: float = 15.0,
    incomplete_prob: float = 0.2,
    route_kind: int = 1,
    evening: str = "overtime",
) -> Scenario:
    """Department ``d`` (in the hall, sign-off Tue/Fri) and ``e`` (outside, courier, sign-off
    and Monday meetings); items ``a`` (on-site, ``d``), ``b`` (``d``, route
    :func:`route_shape` ``route_kind``) and ``c`` (``e``, route shape 2)."""
    signoff = SessionSchedule((1, 4), (960,), duration_min=30.0)
    meeting = SessionSchedule((0,), (540,), duration_min=60.0)
    depts = [
        department("d", windows=windows, staff=2, signoff=signoff),
        department(
            "e",
            windows=1,
            staff=1,
            back_office="outside",
            courier=((600, 930), 40.0),
            signoff=signoff,
            meeting=meeting,
        ),
    ]
    items = [
        item(
            "a",
            kind="onsite",
            service=Exponential(mean=service_mean),
            volume=volume,
            incomplete_prob=incomplete_prob,
            return_delay=UniformInt(1, 3),
        ),
        item(
            "b",
            service=Exponential(mean=service_mean * 1.5),
            volume=volume / 3,
            incomplete_prob=incomplete_prob,
            return_delay=UniformInt(1, 3),
            route=route_shape(route_kind),
        ),
        item("c", department="e", service=Fixed(value=20), volume=2.0, route=route_shape(2)),
    ]
    return scenario(items, depts, evening=evening)


def model(
    scn: Scenario,
    *,
    days: int = 30,
    warmup_days: int = 0,
    drain_days: int = 60,
    seed: int = 1,
    replication: int = 0,
    scripted: Mapping[str, Sequence[float]] | None = None,
) -> HallModel:
    """A fresh, not yet run model of ``scn``; ``scripted`` scripts uniform streams by name
    (see :class:`ScriptedStreams`)."""
    streams = ScriptedStreams(seed, replication, scripted) if scripted else None
    m = HallModel(
        scn,
        RunWindow(days, warmup_days, drain_days),
        seed=seed,
        replication=replication,
        streams=streams,
    )
    if streams is not None:
        unused = set(streams.scripts) - streams.used
        assert not unused, f"scripted streams the model never asked for: {sorted(unused)}"
    return m


def play(m: HallModel, arrivals: Sequence[tuple[float, int]]) -> HallModel:
    """``m``'s hall, seed and streams with exactly these ``(ticket_minute, item_index)``
    first visits, run through :meth:`HallModel.run`.

    A new model is built (``m`` itself is left unrun) with the arrivals injected as a
    :class:`simhall.model.ScheduledArrivals` source: use the returned model.
    """
    return HallModel(
        m.scenario,
        m.window,
        seed=m.seed,
        replication=m.replication,
        calendar=m.calendar,
        arrivals=ScheduledArrivals(arrivals),
        streams=m.streams,
    ).run()


def trace(m: HallModel, case_number: int = 0) -> list[tuple[str, float, float]]:
    """``(activity, start, end)`` of one case's recorded events, in recording order."""
    return [(e[2], e[5], e[6]) for e in m.records() if e[0] == case_number]


def events_of(m: HallModel, case_number: int = 0) -> list[tuple[object, ...]]:
    """One case's raw event tuples ``(case, item, activity, resource, ready, start, end)``."""
    return [e for e in m.records() if e[0] == case_number]


def case_row(m: HallModel, case_number: int = 0) -> dict[str, object]:
    """One case's row of :meth:`HallModel.case_frame` as a dict."""
    cases = m.case_frame()
    row = cases[cases["case_id"] == f"c{case_number:07d}"]
    assert len(row) == 1, f"case {case_number} not in the case table"
    return row.iloc[0].to_dict()


class ScriptedUniform:
    """A stand-in for :class:`simhall.streams.UniformStream` returning scripted values
    (the last one repeated once the script runs out)."""

    def __init__(self, values: Sequence[float]) -> None:
        self.values = list(values)
        self.calls = 0

    def __next__(self) -> float:
        value = self.values[min(self.calls, len(self.values) - 1)]
        self.calls += 1
        return value


class ScriptedStreams(NamedStreams):
    """Named streams in which some uniform streams are scripted.

    ``scripts`` maps stream names (e.g. ``"item/a/incomplete"``, ``"item/a/return_time"``)
    to the values they return; every other stream is the ordinary named stream.
    """

    __slots__ = ("scripts", "used")

    def __init__(self, seed: int, replication: int, scripts: Mapping[str, Sequence[float]]) -> None:
        super().__init__(seed, replication)
        self.scripts = dict(scripts)
        self.used: set[str] = set()
        """Names of the scripted streams the model asked for."""

    def uniform(self, name: str) -> Draws:
        script = self.scripts.get(name)
        if script is None:
            return super().uniform(name)
        self.used.add(name)
        return ScriptedUniform(script)
