"""Reading and rewriting routes, and putting rewritten items and departments back.

Reforms change a hall the way a reorganisation changes paperwork: a step is dropped,
merged or handed to someone else, several departments review at once instead of in turn.
These helpers walk a route's leaf steps (parallel branches included) and rebuild it; like
everything in :mod:`simhall.reforms` they never mutate, they return new frozen objects.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence

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

__all__ = [
    "flatten",
    "map_leaves",
    "parallel_by_department",
    "replace_department",
    "replace_items",
    "step_count",
    "step_kind",
]


def step_kind(step: Step) -> str:
    """``work``, ``signoff``, ``meeting``, ``delay``, ``visit`` or ``parallel``."""
    if isinstance(step, WorkStep):
        return "work"
    if isinstance(step, SessionStep):
        return step.session
    if isinstance(step, DelayStep):
        return "delay"
    if isinstance(step, VisitStep):
        return "visit"
    return "parallel"


def flatten(route: Sequence[Step]) -> Iterator[Step]:
    """The leaf steps of ``route`` in order (parallel branches one after the other)."""
    for step in route:
        if isinstance(step, ParallelStep):
            for branch in step.branches:
                yield from flatten(branch)
        else:
            yield step


def step_count(route: Sequence[Step]) -> int:
    """Number of leaf steps (approval steps) of ``route``."""
    return sum(1 for _ in flatten(route))


def map_leaves(
    route: Sequence[Step], fn: Callable[[Step, int], Sequence[Step]]
) -> tuple[Step, ...]:
    """Rebuild ``route`` with every leaf step replaced by ``fn(step, leaf_index)``.

    Leaves are numbered in :func:`flatten` order. Empty branches are dropped; a parallel
    step left with one branch becomes that branch's steps, with none it disappears.
    """
    counter = [0]

    def walk(steps: Sequence[Step]) -> list[Step]:
        out: list[Step] = []
        for step in steps:
            if isinstance(step, ParallelStep):
                branches = [tuple(walk(b)) for b in step.branches]
                branches = [b for b in branches if b]
                if len(branches) == 1:
                    out.extend(branches[0])
                elif branches:
                    out.append(dataclasses.replace(step, branches=tuple(branches)))
            else:
                index = counter[0]
                counter[0] += 1
                out.extend(fn(step, index))
        return out

    return tuple(walk(route))


def _department_of(step: Step) -> str:
    return getattr(step, "department", "")


def parallel_by_department(
    route: Sequence[Step], name: str = "parallel_approval", first: str | None = None
) -> tuple[Step, ...]:
    """``route`` as one parallel step with a branch per department (order kept within each).

    Parameters
    ----------
    route : sequence of Step
        The steps; existing parallel steps are flattened first.
    name : str
        Name of the new parallel step.
    first : str, optional
        Department whose branch comes first (the item's own).

    Returns
    -------
    tuple of Step
        ``route`` unchanged when its steps belong to fewer than two departments.
    """
    groups: dict[str, list[Step]] = {}
    if first is not None:
        groups[first] = []
    for step in flatten(route):
        groups.setdefault(_department_of(step), []).append(step)
    branches = tuple(tuple(g) for g in groups.values() if g)
    if len(branches) < 2:
        return tuple(route)
    return (ParallelStep(name=name, branches=branches),)


def replace_items(scenario: Scenario, new: Mapping[str, Item]) -> Scenario:
    """``scenario`` with the items whose ids are keys of ``new`` replaced."""
    if not new:
        return scenario
    items = tuple(new.get(i.id, i) for i in scenario.items)
    return dataclasses.replace(scenario, items=items)


def replace_department(scenario: Scenario, dept: Department) -> Scenario:
    """``scenario`` with the department of ``dept.id`` replaced by ``dept``."""
    return dataclasses.replace(
        scenario,
        departments=tuple(dept if d.id == dept.id else d for d in scenario.departments),
    )
