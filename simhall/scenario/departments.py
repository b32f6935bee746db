"""Departments as scenario files describe them: windows, back office, pools, sessions.

A department stationed in the hall (进驻部门) staffs windows in front and has a back office
behind: staff pools that review files, a leader who signs them in sessions (sign-off
rounds), a director's meeting for hard cases, and, when the back office sits in the
department's own building, a courier carrying files to and fro. This module reads one
``[[departments]]`` table into a :class:`~simhall.scenario.schema.Department`.
"""

from __future__ import annotations

from typing import Any, cast

from simhall.scenario.checks import (
    Checks,
    Loc,
    check_keys,
    choice,
    clock_times,
    flag,
    fmt_time,
    intervals,
    number,
    subtable,
    text,
    weekdays,
    whole,
)
from simhall.scenario.items import INHERITABLE_KEYS
from simhall.scenario.schema import Courier, Department, Pool, SessionSchedule

__all__ = ["DEPARTMENT_KEYS", "parse_department"]

DEPARTMENT_KEYS = (
    "id",
    "name",
    "windows",
    "back_office",
    "courier",
    "pools",
    "signoff",
    "meeting",
    "on_holiday",
    "item_defaults",
)
COURIER_KEYS = ("times", "return_times", "travel_min")
POOL_KEYS = ("staff", "in_hall", "hours")
MAX_SERVERS = 10_000
"""Most windows or staff of one pool: each is a server the model keeps (more is a typo)."""
SESSION_KEYS = ("weekdays", "times", "duration_min", "per_file_min", "max_wait_days", "skip_share")
BACK_OFFICES = ("hall", "outside")
ON_HOLIDAY = ("next_working_day", "skip")


def parse_department(
    chk: Checks, raw: dict[str, Any], loc: Loc
) -> tuple[Department, dict[str, Any]]:
    """The department of the table ``raw`` (at ``loc``) and its raw ``item_defaults``."""
    check_keys(chk, raw, DEPARTMENT_KEYS, loc)
    ident = cast(str, raw["id"])
    name = ident
    if "name" in raw:
        name = text(chk, raw["name"], loc.k("name")) or ident
    windows: int | None = None
    if "windows" not in raw:
        chk.add(loc.k("windows"), None, "a whole number >= 1 (every department has windows)")
    else:
        windows = whole(chk, raw["windows"], loc.k("windows"), 1, maximum=MAX_SERVERS)
    back_office = (
        choice(chk, raw.get("back_office", BACK_OFFICES[0]), loc.k("back_office"), BACK_OFFICES)
        or BACK_OFFICES[0]
    )
    on_holiday = (
        choice(chk, raw.get("on_holiday", ON_HOLIDAY[0]), loc.k("on_holiday"), ON_HOLIDAY)
        or ON_HOLIDAY[0]
    )
    pools: tuple[Pool, ...] = ()
    if "pools" in raw:
        pools = _pools(chk, raw["pools"], loc.k("pools"), back_office == "hall")
    courier = _courier(chk, raw, loc, back_office, pools)
    signoff = (
        _session(chk, raw["signoff"], loc.k("signoff"), on_holiday) if "signoff" in raw else None
    )
    meeting = (
        _session(chk, raw["meeting"], loc.k("meeting"), on_holiday) if "meeting" in raw else None
    )
    item_defaults = subtable(chk, raw, "item_defaults", loc)
    check_keys(chk, item_defaults, INHERITABLE_KEYS, loc.k("item_defaults"))
    department = Department(
        id=ident,
        name=name,
        windows=windows or 1,
        back_office=cast(Any, back_office),
        courier=courier,
        pools=pools,
        signoff=signoff,
        meeting=meeting,
    )
    return department, item_defaults


def _courier(
    chk: Checks, raw: dict[str, Any], loc: Loc, back_office: str, pools: tuple[Pool, ...]
) -> Courier | None:
    """The ``courier`` table; required when the back office or a pool is outside the hall."""
    cloc = loc.k("courier")
    if "courier" in raw:
        spec = raw["courier"]
        if not isinstance(spec, dict):
            chk.add(cloc, spec, 'a table like { times = ["10:00", "15:00"], travel_min = 40 }')
            return None
        check_keys(chk, spec, COURIER_KEYS, cloc)
        times = clock_times(chk, spec.get("times"), cloc.k("times"))
        travel = Courier(times_min=()).travel_min
        if "travel_min" in spec:
            got = number(chk, spec["travel_min"], cloc.k("travel_min"), low=0)
            travel = travel if got is None else got
        back = None
        if "return_times" in spec:
            back = clock_times(chk, spec["return_times"], cloc.k("return_times"))
        return Courier(times_min=times, travel_min=travel, return_times_min=back)
    if back_office == "outside" or any(not p.in_hall for p in pools):
        outside = [p.name for p in pools if not p.in_hall]
        if back_office == "outside":
            reason, cause = 'back_office = "outside"', loc.k("back_office")
        else:
            reason = f"pool {outside[0]!r} is outside the hall"
            cause = loc.k("pools").k(outside[0]).k("in_hall")
        chk.add_blaming(
            cloc,
            None,
            f'a courier table like {{ times = ["10:00", "15:00"], travel_min = 40 }} ({reason})',
            cause,
        )
    return None


def _session(chk: Checks, value: object, loc: Loc, on_holiday: str) -> SessionSchedule | None:
    """A ``signoff`` or ``meeting`` table: weekdays, times, duration and cap."""
    if not isinstance(value, dict):
        chk.add(loc, value, 'a table like { weekdays = ["tue"], times = ["16:00"] }')
        return None
    check_keys(chk, value, SESSION_KEYS, loc)
    days = weekdays(chk, value.get("weekdays"), loc.k("weekdays"))
    times = clock_times(chk, value.get("times"), loc.k("times"))
    duration = 0.0
    if "duration_min" in value:
        duration = number(chk, value["duration_min"], loc.k("duration_min"), low=0) or 0.0
    for k, start in enumerate(times):
        if start + duration > 24 * 60:
            chk.add(
                loc.k("times").i(k),
                fmt_time(start),
                f"a session ending by 24:00 (it would end {duration:g} min later, after midnight)",
            )
    max_wait: float | None = None
    if "max_wait_days" in value:
        max_wait = number(chk, value["max_wait_days"], loc.k("max_wait_days"), low=0)
    skip = 0.0
    if "skip_share" in value:
        skip = (
            number(chk, value["skip_share"], loc.k("skip_share"), low=0, high=1, high_open=True)
            or 0.0
        )
    per_file = 0.0
    if "per_file_min" in value:
        per_file = number(chk, value["per_file_min"], loc.k("per_file_min"), low=0) or 0.0
    return SessionSchedule(
        weekdays=days,
        times_min=times,
        duration_min=duration,
        on_holiday=cast(Any, on_holiday),
        max_wait_days=max_wait,
        skip_share=skip,
        per_file_min=per_file,
    )


def _pools(chk: Checks, value: object, loc: Loc, in_hall: bool) -> tuple[Pool, ...]:
    """The ``pools`` table: ``{ section = 4, chief = { staff = 1, in_hall = true } }``."""
    if not isinstance(value, dict):
        chk.add(loc, value, "a table of pools like { section = 4 }")
        return ()
    pools: list[Pool] = []
    for name, spec in value.items():
        ploc = loc.k(name)
        if isinstance(spec, int):  # true/false too: whole() says they are not numbers
            staff = whole(chk, spec, ploc, 1, " (staff)", MAX_SERVERS)
            pools.append(Pool(name=name, staff=staff or 1, in_hall=in_hall))
            continue
        if not isinstance(spec, dict):
            chk.add(ploc, spec, "a number of staff, or a table { staff = 1, in_hall = true }")
            continue
        check_keys(chk, spec, POOL_KEYS, ploc)
        staff = (
            whole(chk, spec.get("staff"), ploc.k("staff"), 1, maximum=MAX_SERVERS)
            if "staff" in spec
            else None
        )
        if "staff" not in spec:
            chk.add(ploc.k("staff"), None, "a whole number >= 1")
        pool_in_hall = in_hall
        if "in_hall" in spec:
            got = flag(chk, spec["in_hall"], ploc.k("in_hall"))
            pool_in_hall = in_hall if got is None else got
        hours = intervals(chk, spec["hours"], ploc.k("hours")) if "hours" in spec else None
        pools.append(Pool(name=name, staff=staff or 1, in_hall=pool_in_hall, hours=hours or None))
    return tuple(pools)
