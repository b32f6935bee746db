"""Routes: the steps a commitment item's file goes through after acceptance.

A route is the file's itinerary through the back office, written as a list of inline
tables, each a step of one ``kind``:

* ``work``: a member of a department's staff pool works on it (working minutes);
* ``signoff`` / ``meeting``: it waits for the department's next leader sign-off round or
  director's meeting;
* ``delay``: working days pass (site inspection, public notice); ``at`` says where the
  file lies meanwhile (``"here"``, ``"hall"``, ``"back_office"``);
* ``visit``: the applicant goes to another department's window (queues and is served);
* ``parallel``: branches, each a list of steps, run at once and join at the end.

A step belongs to the item's department unless it names another one. Routes written once
in ``[routes]`` are shared by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from simhall.scenario.checks import Checks, Loc, check_keys, flag, number, one_of, text, whole
from simhall.scenario.distribution_tables import PLACEHOLDER, distribution
from simhall.scenario.schema import (
    DELAY_PLACES,
    DelayPlace,
    DelayStep,
    Department,
    ParallelStep,
    SessionStep,
    Step,
    VisitStep,
    WorkStep,
)

__all__ = ["STEP_KINDS", "STEP_KEYS", "parse_steps"]

STEP_KINDS = ("work", "signoff", "meeting", "delay", "visit", "parallel")
_COMMON = ("step", "kind", "department", "probability", "counts")
STEP_KEYS: dict[str, tuple[str, ...]] = {
    "work": (*_COMMON, "pool", "duration"),
    "signoff": _COMMON,
    "meeting": _COMMON,
    "delay": (*_COMMON, "days", "at"),
    "visit": (*_COMMON, "service", "forms", "fields"),
    "parallel": ("step", "kind", "probability", "counts", "branches"),
}
"""The keys each kind of step may have."""
_ALL_KEYS = (*_COMMON, "pool", "duration", "days", "at", "service", "forms", "fields", "branches")


def parse_steps(
    chk: Checks, value: object, loc: Loc, dept: str | None, departments: Mapping[str, Department]
) -> tuple[Step, ...]:
    """The steps of the route ``value`` (at ``loc``) of an item of department ``dept``.

    ``dept`` is ``None`` for a shared route that no item uses (its steps are still
    checked); ``departments`` are the hall's, by id.
    """
    if not isinstance(value, list):
        chk.add(loc, value, "a list of steps (inline tables), or the name of a route in [routes]")
        return ()
    steps = (_step(chk, raw, loc.i(i), dept, departments) for i, raw in enumerate(value))
    return tuple(s for s in steps if s is not None)


def _step(
    chk: Checks, raw: object, loc: Loc, dept: str | None, departments: Mapping[str, Department]
) -> Step | None:
    if not isinstance(raw, dict):
        chk.add(loc, raw, 'a step table like { step = "review", kind = "work", ... }')
        return None
    kind = raw.get("kind")
    if kind not in STEP_KINDS:
        chk.add(loc.k("kind"), kind, f"a step kind, {one_of(STEP_KINDS, kind)}")
        check_keys(chk, raw, _ALL_KEYS, loc)
        return None
    check_keys(chk, raw, STEP_KEYS[kind], loc)
    name = text(chk, raw.get("step"), loc.k("step"), "a non-empty step name") or "?"
    probability = 1.0
    if "probability" in raw:
        got = number(chk, raw["probability"], loc.k("probability"), low=0, high=1)
        probability = 1.0 if got is None else got
    counts = True
    if "counts" in raw:
        got_counts = flag(chk, raw["counts"], loc.k("counts"))
        counts = True if got_counts is None else got_counts
    if kind == "parallel":
        branches = _branches(chk, raw.get("branches"), loc.k("branches"), dept, departments)
        if branches is None:
            return None
        return ParallelStep(name=name, branches=branches, probability=probability, counts=counts)
    step_dept = dept
    if "department" in raw:
        value = raw["department"]
        if isinstance(value, str) and value in departments:
            step_dept = value
        else:
            chk.add(loc.k("department"), value, f"a department id, {one_of(departments, value)}")
            step_dept = None
    department = departments.get(step_dept) if step_dept is not None else None
    common: dict[str, Any] = {
        "name": name,
        "department": step_dept or "",
        "probability": probability,
        "counts": counts,
    }
    if kind == "work":
        return _work(chk, raw, loc, department, common)
    if kind in ("signoff", "meeting"):
        if department is not None and getattr(department, kind) is None:
            chk.add(
                loc.k("kind"),
                kind,
                f"a {kind} step of a department with {kind} sessions (department "
                f"{department.id!r} has no `{kind} = {{ weekdays = [...], times = [...] }}`)",
            )
        return SessionStep(session=cast(Any, kind), **common)
    if kind == "visit":
        service = distribution(chk, raw.get("service"), "min", loc.k("service"))
        forms = whole(chk, raw["forms"], loc.k("forms"), 0) if "forms" in raw else 0
        fields = whole(chk, raw["fields"], loc.k("fields"), 0) if "fields" in raw else 0
        return VisitStep(
            service=service or PLACEHOLDER, forms=forms or 0, fields=fields or 0, **common
        )
    days = distribution(chk, raw.get("days"), "days", loc.k("days"))
    at: DelayPlace = "here"
    if "at" in raw:
        if raw["at"] in DELAY_PLACES:
            at = raw["at"]
        else:
            where = one_of(DELAY_PLACES, raw["at"])
            chk.add(loc.k("at"), raw["at"], f"where the file lies, {where}")
    return DelayStep(days=days or PLACEHOLDER, at=at, **common)


def _branches(
    chk: Checks, value: object, loc: Loc, dept: str | None, departments: Mapping[str, Department]
) -> tuple[tuple[Step, ...], ...] | None:
    """The ``branches`` of a parallel step: a non-empty list of non-empty step lists."""
    if not isinstance(value, list) or not value:
        chk.add(loc, value, "a non-empty list of branches, each a non-empty list of steps")
        return None
    parsed: list[tuple[Step, ...]] = []
    for i, branch in enumerate(value):
        if not isinstance(branch, list) or not branch:
            chk.add(loc.i(i), branch, "a non-empty list of steps")
            continue
        parsed.append(parse_steps(chk, branch, loc.i(i), dept, departments))
    return tuple(parsed)


def _work(
    chk: Checks,
    raw: dict[str, Any],
    loc: Loc,
    department: Department | None,
    common: dict[str, Any],
) -> WorkStep:
    """A work step: its pool must be one of the department's."""
    pool = text(chk, raw.get("pool"), loc.k("pool"), "the name of a pool") or "?"
    if department is not None and "pool" in raw and pool != "?":
        names = [p.name for p in department.pools]
        if pool not in names:
            where = f"a pool of department {department.id!r}"
            chk.add(
                loc.k("pool"),
                pool,
                f"{where}, {one_of(names, pool)}" if names else f"{where} (it has no pools)",
            )
    duration = distribution(chk, raw.get("duration"), "min", loc.k("duration"))
    return WorkStep(pool=pool, duration=duration or PLACEHOLDER, **common)
