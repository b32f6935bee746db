"""Building a :class:`~simhall.scenario.schema.Scenario` from the merged tables of a chain.

This is the last pass of loading: every table is checked for unknown keys and every value
for type and range, while the frozen dataclasses are built: ``[scenario]``, ``[calendar]``
and ``[run]`` here, departments in :mod:`~simhall.scenario.departments`, items and their
routes in :mod:`~simhall.scenario.items` and :mod:`~simhall.scenario.steps`. Problems go to
the collector; the caller raises them all at once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from simhall.scenario.checks import (
    ROOT,
    Checks,
    Loc,
    check_keys,
    choice,
    dates,
    flag,
    fmt_time,
    intervals,
    number,
    subtable,
    text,
    whole,
)
from simhall.scenario.departments import parse_department
from simhall.scenario.items import INHERITABLE_KEYS, ItemContext, parse_item
from simhall.scenario.schema import (
    WEEKDAY_NAMES,
    CalendarSpec,
    Department,
    Interval,
    Item,
    RunSpec,
    Scenario,
)
from simhall.scenario.steps import parse_steps

__all__ = ["build_scenario"]

SCENARIO_KEYS = ("name", "description", "synthetic")
CALENDAR_KEYS = (
    "start",
    "holidays",
    "extra_holidays",
    "extra_workdays",
    "opening",
    "opening_by_weekday",
    "evening",
)
RUN_KEYS = ("days", "warmup_days", "drain_days", "replications", "seed", "service_level")
DEMAND_KEYS = ("weekday_factors", "intraday", "day_cv")
HOLIDAY_SOURCES = ("cn", "weekends-only", "custom")
EVENING_POLICIES = ("overtime", "return_next_day")
_RUN_MINIMUMS = {"days": 1, "warmup_days": 0, "drain_days": 0, "replications": 1, "seed": 0}


def build_scenario(
    chk: Checks,
    data: dict[str, Any],
    reforms: list[tuple[str, dict[str, Any]]],
    source: str,
    stem: str,
) -> Scenario:
    """The scenario of the merged ``data``; problems go to ``chk``.

    ``reforms`` are kept raw (:mod:`simhall.reforms` checks them against the scenario);
    ``source`` is the top file, ``stem`` the scenario name unless ``[scenario]`` gives one.
    """
    name, description, synthetic = _scenario_table(chk, data, stem)
    calendar = _calendar(chk, data)
    run = _run(chk, data)

    demand = subtable(chk, data, "demand", ROOT)
    check_keys(chk, demand, DEMAND_KEYS, ROOT.k("demand"))
    day_cv = 0.0
    if "day_cv" in demand:
        day_cv = number(chk, demand["day_cv"], ROOT.k("demand").k("day_cv"), low=0) or 0.0
    defaults = subtable(chk, data, "defaults", ROOT)
    check_keys(chk, defaults, INHERITABLE_KEYS, ROOT.k("defaults"))
    groups: dict[str, dict[str, Any]] = {}
    gloc = ROOT.k("groups")
    for gname, gtable in subtable(chk, data, "groups", ROOT).items():
        if not isinstance(gtable, dict):
            chk.add(gloc.k(gname), gtable, "a table of item defaults")
            continue
        check_keys(chk, gtable, INHERITABLE_KEYS, gloc.k(gname))
        groups[gname] = gtable
    routes = subtable(chk, data, "routes", ROOT)

    departments: list[Department] = []
    dept_defaults: dict[str, tuple[dict[str, Any], Loc]] = {}
    dloc = ROOT.k("departments")
    for i, raw in enumerate(data.get("departments", [])):
        loc = dloc.entry(i, raw["id"])
        department, item_defaults = parse_department(chk, raw, loc)
        departments.append(department)
        dept_defaults[department.id] = (item_defaults, loc.k("item_defaults"))
    ctx = ItemContext(
        departments={d.id: d for d in departments},
        dept_defaults=dept_defaults,
        groups=groups,
        routes=routes,
        defaults=defaults,
        demand=demand,
        calendar=calendar,
        used_routes=set(),
    )
    items: list[Item] = []
    iloc = ROOT.k("items")
    for i, raw in enumerate(data.get("items", [])):
        items.append(parse_item(chk, raw, iloc.entry(i, raw["id"]), ctx))
    for rname, steps in routes.items():
        if rname not in ctx.used_routes:
            parse_steps(chk, steps, ROOT.k("routes").k(rname), None, ctx.departments)
    for i, dept in enumerate(departments):
        _sessions_in_opening(chk, dept, dloc.entry(i, dept.id), calendar)
    if not departments:
        chk.add(dloc, None, "at least one [[departments]] entry (the hall is empty)")
    if not items:
        chk.add(iloc, None, "at least one [[items]] entry or an items_csv catalogue row")
    return Scenario(
        name=name,
        calendar=calendar,
        departments=tuple(departments),
        items=tuple(items),
        run=run,
        description=description,
        synthetic=synthetic,
        source=source,
        reforms=tuple(reforms),
        day_cv=day_cv,
        warnings=tuple(chk.warnings),
    )


def _sessions_in_opening(chk: Checks, dept: Department, loc: Loc, calendar: CalendarSpec) -> None:
    """Warn about sign-off or meeting times outside every opening interval of the hall
    (in the lunch break or after closing): possible, but more often a typo."""
    opening = sorted(
        {iv for _, day in calendar.opening_by_weekday for iv in day} | set(calendar.opening)
    )
    hours = ", ".join(f"{fmt_time(a)}-{fmt_time(b)}" for a, b in opening)
    for attr in ("signoff", "meeting"):
        sched = getattr(dept, attr)
        if sched is None:
            continue
        for k, start in enumerate(sched.times_min):
            if not any(a <= start < b for a, b in opening):
                chk.warn(
                    loc.k(attr).k("times").i(k),
                    fmt_time(start),
                    f"a session outside the opening hours ({hours}): held in the lunch break "
                    "or after closing",
                )


def _scenario_table(chk: Checks, data: dict[str, Any], stem: str) -> tuple[str, str, bool]:
    """Name, description and the synthetic flag of ``[scenario]``."""
    loc = ROOT.k("scenario")
    table = subtable(chk, data, "scenario", ROOT)
    check_keys(chk, table, SCENARIO_KEYS, loc)
    name = stem
    if "name" in table:
        name = text(chk, table["name"], loc.k("name")) or stem
    description = table.get("description", "")
    if not isinstance(description, str):
        chk.add(loc.k("description"), description, "a string")
        description = ""
    synthetic = False
    if "synthetic" in table:
        synthetic = bool(flag(chk, table["synthetic"], loc.k("synthetic")))
    return name, description, synthetic


def _calendar(chk: Checks, data: dict[str, Any]) -> CalendarSpec:
    """``[calendar]``: first day, holiday source, opening sessions, evening policy."""
    loc = ROOT.k("calendar")
    table = subtable(chk, data, "calendar", ROOT)
    check_keys(chk, table, CALENDAR_KEYS, loc)
    start = table.get("start")
    if start is None:
        chk.add(loc.k("start"), None, "a TOML date like 2007-01-01 (the first day)")
        start = date(2000, 1, 1)
    elif not isinstance(start, date) or isinstance(start, datetime):
        chk.add(loc.k("start"), start, "a TOML date like 2007-01-01 (without quotes)")
        start = date(2000, 1, 1)
    holidays = _choice(chk, table, "holidays", loc, HOLIDAY_SOURCES)
    extra_holidays = dates(chk, table.get("extra_holidays", []), loc.k("extra_holidays"))
    extra_workdays = dates(chk, table.get("extra_workdays", []), loc.k("extra_workdays"))
    opening = CalendarSpec(start=start).opening
    if "opening" in table:
        opening = intervals(chk, table["opening"], loc.k("opening")) or opening
    by_weekday: list[tuple[int, tuple[Interval, ...]]] = []
    obw_loc = loc.k("opening_by_weekday")
    obw = subtable(chk, table, "opening_by_weekday", loc)
    check_keys(chk, obw, WEEKDAY_NAMES, obw_loc)
    for day, sessions in obw.items():
        if day in WEEKDAY_NAMES:
            parsed = intervals(chk, sessions, obw_loc.k(day))
            if parsed:
                by_weekday.append((WEEKDAY_NAMES.index(day), parsed))
    evening = _choice(chk, table, "evening", loc, EVENING_POLICIES)
    return CalendarSpec(
        start=start,
        holidays=cast(Any, holidays),
        extra_holidays=extra_holidays,
        extra_workdays=extra_workdays,
        opening=opening,
        opening_by_weekday=tuple(sorted(by_weekday)),
        evening=cast(Any, evening),
    )


def _choice(
    chk: Checks, table: dict[str, Any], key: str, loc: Loc, options: tuple[str, ...]
) -> str:
    """``table[key]`` if it is one of ``options`` (default and fallback: the first)."""
    return choice(chk, table.get(key, options[0]), loc.k(key), options) or options[0]


def _run(chk: Checks, data: dict[str, Any]) -> RunSpec:
    """``[run]``: horizon, warm-up, drain, replications, seed and service level."""
    loc = ROOT.k("run")
    table = subtable(chk, data, "run", ROOT)
    check_keys(chk, table, RUN_KEYS, loc)
    base = RunSpec()
    values: dict[str, Any] = {}
    for key, minimum in _RUN_MINIMUMS.items():
        if key in table:
            got = whole(chk, table[key], loc.k(key), minimum)
            if got is not None:
                values[key] = got
    days = values.get("days", base.days)
    warmup = values.get("warmup_days", base.warmup_days)
    if "warmup_days" in values and warmup >= days:
        chk.add(loc.k("warmup_days"), warmup, f"a whole number >= 0 and < days ({days})")
        values.pop("warmup_days")
    if "service_level" in table:
        level = number(
            chk,
            table["service_level"],
            loc.k("service_level"),
            low=0,
            high=1,
            low_open=True,
            high_open=True,
        )
        if level is not None:
            values["service_level"] = level
    return RunSpec(**values)
