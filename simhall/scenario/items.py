"""Items: what citizens come for, how many, and what happens to their files.

An item (审批事项) is one entry of the hall's catalogue: an on-site item (即办件) finishes at
the window, a commitment item (承诺件) is accepted at the window and then goes through its
route within ``committed_days`` working days. Most of an item's values are shared with its
neighbours, so each is looked up in order, as a clerk checks the item's own sheet, then its
group's, then its department's, then the hall's:

    the item -> its ``group`` -> its department's ``item_defaults`` -> ``[defaults]``
    -> the built-in default

(``weekday_factors`` and ``intraday`` then fall back to ``[demand]``). A problem with an
inherited value is reported where that value was written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from simhall.distributions import Distribution, UniformInt
from simhall.scenario.checks import (
    MISSING,
    ROOT,
    Checks,
    Loc,
    check_keys,
    clock_time,
    fmt_time,
    number,
    one_of,
    text,
    whole,
)
from simhall.scenario.distribution_tables import PLACEHOLDER, distribution
from simhall.scenario.schema import WEEKDAY_NAMES, CalendarSpec, Demand, Department, Item, Step
from simhall.scenario.steps import parse_steps

__all__ = ["INHERITABLE_KEYS", "ITEM_KEYS", "ItemContext", "parse_item"]

INHERITABLE_KEYS = (
    "kind",
    "committed_days",
    "statutory_days",
    "daily_demand",
    "window_service",
    "incomplete_prob",
    "return_delay",
    "route",
    "weekday_factors",
    "intraday",
)
"""Item keys that a group, a department's ``item_defaults`` or ``[defaults]`` may set."""
ITEM_KEYS = ("id", "name", "department", "group", "tags", "forms", "fields", *INHERITABLE_KEYS)
ITEM_KINDS = ("onsite", "commitment")
BUILTIN_RETURN_DELAY: Distribution = UniformInt(low=1, high=5)
"""Working days until an applicant returns with missing materials, unless a scenario says."""

_Level = tuple[dict[str, Any], Loc]


@dataclass
class ItemContext:
    """What items are read against: departments, groups, routes, defaults, calendar.

    ``used_routes`` collects the ``[routes]`` that some item uses (the others are checked
    on their own afterwards).
    """

    departments: dict[str, Department]
    dept_defaults: dict[str, _Level]
    groups: dict[str, dict[str, Any]]
    routes: dict[str, Any]
    defaults: dict[str, Any]
    demand: dict[str, Any]
    calendar: CalendarSpec
    used_routes: set[str]


class _Lookup:
    """Finds an item's value at the first level that has it."""

    def __init__(self, levels: list[_Level], loc: Loc) -> None:
        self.levels = levels
        self.loc = loc

    def __call__(self, key: str, extra: tuple[_Level, ...] = ()) -> tuple[Any, Loc]:
        """The value of ``key`` and where it was written (``MISSING`` at the item)."""
        for table, where in (*self.levels, *extra):
            if key in table:
                return table[key], where.k(key)
        return MISSING, self.loc.k(key)


_SOURCES = "on the item, its group, its department's item_defaults or [defaults]"


def parse_item(chk: Checks, raw: dict[str, Any], loc: Loc, ctx: ItemContext) -> Item:
    """The item of the merged ``[[items]]`` table ``raw`` (at ``loc``)."""
    check_keys(chk, raw, ITEM_KEYS, loc)
    ident = cast(str, raw["id"])
    name = ident
    if "name" in raw:
        name = text(chk, raw["name"], loc.k("name")) or ident
    dept_id: str | None = None
    value = raw.get("department")
    if value is None:
        chk.add(loc.k("department"), None, f"a department id, {one_of(ctx.departments)}")
    elif not isinstance(value, str) or value not in ctx.departments:
        chk.add(loc.k("department"), value, f"a department id, {one_of(ctx.departments, value)}")
    else:
        dept_id = value
    group: str | None = None
    levels: list[_Level] = [(raw, loc)]
    if "group" in raw:
        value = raw["group"]
        if isinstance(value, str) and value in ctx.groups:
            group = value
            levels.append((ctx.groups[group], ROOT.k("groups").k(group)))
        else:
            chk.add(loc.k("group"), value, f"a group in [groups], {one_of(ctx.groups, value)}")
    tags: list[str] = []
    if "tags" in raw:
        tags = _tags(chk, raw["tags"], loc.k("tags"))
    if dept_id is not None:
        levels.append(ctx.dept_defaults[dept_id])
    levels.append((ctx.defaults, ROOT.k("defaults")))
    look = _Lookup(levels, loc)

    kind = _kind(chk, look)
    daily = _daily_demand(chk, look)
    ws_value, ws_loc = look("window_service")
    window_service: Distribution | None = None
    if ws_value is MISSING:
        chk.add(ws_loc, None, f"a distribution in minutes ({_SOURCES})")
    else:
        window_service = distribution(chk, ws_value, "min", ws_loc)
    ip_value, ip_loc = look("incomplete_prob")
    incomplete = 0.0
    if ip_value is not MISSING:
        incomplete = number(chk, ip_value, ip_loc, low=0, high=1) or 0.0
    rd_value, rd_loc = look("return_delay")
    return_delay: Distribution | None = BUILTIN_RETURN_DELAY
    if rd_value is not MISSING:
        return_delay = distribution(chk, rd_value, "days", rd_loc)
    committed, statutory = _limits(chk, look, kind)
    route = _route(chk, raw, loc, look, kind, dept_id, ctx)
    demand = _demand(chk, look, daily, ctx)
    return Item(
        id=ident,
        name=name,
        department=dept_id or "",
        kind=cast(Any, kind),
        demand=demand,
        window_service=window_service or PLACEHOLDER,
        committed_days=committed,
        statutory_days=statutory,
        incomplete_prob=incomplete,
        return_delay=return_delay or BUILTIN_RETURN_DELAY,
        route=route,
        group=group,
        tags=tuple(tags),
        forms=(whole(chk, raw["forms"], loc.k("forms"), 0) or 0) if "forms" in raw else 0,
        fields=(whole(chk, raw["fields"], loc.k("fields"), 0) or 0) if "fields" in raw else 0,
    )


def _kind(chk: Checks, look: _Lookup) -> str:
    value, where = look("kind")
    if value is MISSING:
        chk.add(where, None, f'"onsite" or "commitment" ({_SOURCES})')
    elif value not in ITEM_KINDS:
        chk.add(where, value, one_of(ITEM_KINDS, value))
    else:
        return cast(str, value)
    return "commitment"


def _daily_demand(chk: Checks, look: _Lookup) -> float:
    value, where = look("daily_demand")
    if value is MISSING:
        chk.add(where, None, f"a number >= 0 (tickets per working day; {_SOURCES})")
        return 0.0
    return number(chk, value, where, low=0) or 0.0


def _limits(chk: Checks, look: _Lookup, kind: str) -> tuple[int | None, int | None]:
    """``committed_days`` (required for commitment items) and ``statutory_days``."""
    cd_value, cd_loc = look("committed_days")
    committed: int | None = None
    if cd_value is not MISSING:
        committed = whole(chk, cd_value, cd_loc, 0, " (working days)")
    elif kind == "commitment":
        chk.add(cd_loc, None, f"a whole number >= 0 (working days; commitment items; {_SOURCES})")
    else:
        committed = 0
    sd_value, sd_loc = look("statutory_days")
    statutory: int | None = None
    if sd_value is not MISSING:
        statutory = whole(chk, sd_value, sd_loc, 0, " (working days)")
    if committed is not None and statutory is not None and committed > statutory:
        chk.add(cd_loc, committed, f"a whole number <= statutory_days ({statutory})")
    return committed, statutory


def _route(
    chk: Checks,
    raw: dict[str, Any],
    loc: Loc,
    look: _Lookup,
    kind: str,
    dept_id: str | None,
    ctx: ItemContext,
) -> tuple[Step, ...]:
    """The item's route: its own steps, or a shared route of ``[routes]`` by name."""
    if kind == "onsite":
        own = raw.get("route")
        if own not in (None, [], ""):
            chk.add(loc.k("route"), own, "no route: onsite items finish at the window")
        return ()
    value, where = look("route")
    if isinstance(value, str):
        if value in ctx.routes:
            ctx.used_routes.add(value)
            shared = ROOT.k("routes").k(value)
            return parse_steps(chk, ctx.routes[value], shared, dept_id, ctx.departments)
        chk.add(where, value, f"a route in [routes], {one_of(ctx.routes, value)}")
    elif value is not MISSING:
        return parse_steps(chk, value, where, dept_id, ctx.departments)
    return ()


def _demand(chk: Checks, look: _Lookup, daily: float, ctx: ItemContext) -> Demand:
    """Daily volume, weekday factors and the intraday profile (default: flat)."""
    demand_level = ((ctx.demand, ROOT.k("demand")),)
    wf_value, wf_loc = look("weekday_factors", demand_level)
    factors: tuple[float, ...] = (1.0,) * 7
    if wf_value is not MISSING:
        factors = _weekday_factors(chk, wf_value, wf_loc)
    in_value, in_loc = look("intraday", demand_level)
    opening = ctx.calendar.opening
    intraday: tuple[tuple[int, int, float], ...] = ((opening[0][0], opening[-1][1], 1.0),)
    if in_value is not MISSING:
        intraday = _intraday(chk, in_value, in_loc, ctx.calendar) or intraday
    return Demand(daily_volume=daily, weekday_factors=factors, intraday=intraday)


def _weekday_factors(chk: Checks, value: object, loc: Loc) -> tuple[float, ...]:
    """``{ mon = 1.2, fri = 0.8 }`` as seven factors (1.0 where not given)."""
    factors = [1.0] * 7
    if not isinstance(value, dict):
        chk.add(loc, value, "a table like { mon = 1.2, fri = 0.8 }")
        return tuple(factors)
    check_keys(chk, value, WEEKDAY_NAMES, loc)
    for day, factor in value.items():
        if day in WEEKDAY_NAMES:
            got = number(chk, factor, loc.k(day), low=0)
            if got is not None:
                factors[WEEKDAY_NAMES.index(day)] = got
    return tuple(factors)


def _intraday(
    chk: Checks, value: object, loc: Loc, calendar: CalendarSpec
) -> tuple[tuple[int, int, float], ...]:
    """``{ "08:30" = 1.0, "10:30" = 1.5 }`` as bins ``(start_min, end_min, weight)``.

    Each bin lasts until the next one starts; the last until the hall's last closing time.
    """
    close = calendar.opening[-1][1]
    if not isinstance(value, dict) or not value:
        chk.add(loc, value, 'a non-empty table like { "08:30" = 1.0, "10:30" = 1.5 }')
        return ()
    points: list[tuple[int, float]] = []
    seen: dict[int, str] = {}
    for key, weight in value.items():
        kloc = loc.k(key)
        minute = clock_time(chk, key, kloc)
        got = number(chk, weight, kloc, low=0)
        if minute is None or got is None:
            continue
        if minute in seen:
            chk.add(kloc, weight, f"one weight per time ({key!r} repeats {seen[minute]!r})")
            continue
        if minute >= close:
            chk.add(
                kloc,
                weight,
                f"a bin that starts before the hall's last closing time {fmt_time(close)}",
            )
            continue
        seen[minute] = key
        points.append((minute, got))
    if not points:  # every bin had a problem
        return ()
    points.sort()
    if sum(w for _, w in points) <= 0:
        chk.add(loc, value, "weights >= 0 with a positive sum")
        return ()
    bounds = [m for m, _ in points[1:]] + [close]
    bins = tuple((m, end, w) for (m, w), end in zip(points, bounds, strict=True))
    opening = {iv for _, day in calendar.opening_by_weekday for iv in day} | set(calendar.opening)
    if not any(w > 0 and min(end, b) > max(m, a) for m, end, w in bins for a, b in opening):
        hours = ", ".join(f"{fmt_time(a)}-{fmt_time(b)}" for a, b in sorted(opening))
        chk.add(loc, value, f"a profile with positive weight inside the opening hours ({hours})")
        return ()
    return bins


def _tags(chk: Checks, value: object, loc: Loc) -> list[str]:
    """A list of non-empty strings, without repeats."""
    if not isinstance(value, list):
        chk.add(loc, value, 'a list of tags like ["compressed_2007"]')
        return []
    tags: list[str] = []
    for i, tag in enumerate(value):
        if text(chk, tag, loc.i(i), "a non-empty string tag") is not None and tag not in tags:
            tags.append(tag)
    return tags
