"""Building blocks of reforms: checking raw ``[[reforms]]`` tables, selecting items, and
rewriting routes.

A reform table is checked the way the scenario loader checks everything else: every
problem is collected as a :class:`~simhall.scenario.errors.Problem` naming the file, the
key path (``reforms[2].items``), the value and what was expected, and all of them are
raised together.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simhall.distributions import Distribution, Scaled, Shifted, Summed
from simhall.scenario.distribution_tables import parse_distribution
from simhall.scenario.errors import Problem, ScenarioError
from simhall.scenario.schema import (
    DelayStep,
    Item,
    ParallelStep,
    Scenario,
    SessionStep,
    Step,
    VisitStep,
    WorkStep,
)

__all__ = [
    "Checker",
    "Scaled",
    "Selection",
    "Shifted",
    "Summed",
    "flatten",
    "map_leaves",
    "parallel_by_department",
    "replace_items",
    "step_count",
    "step_kind",
]

SELECTION_KEYS = ("items", "tags", "departments")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


# --------------------------------------------------------------------------- checking


def _suggest(word: object, options: Iterable[str]) -> str:
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class Checker:
    """Collects problems of one reform table, ``reforms[index]`` of ``file``.

    Parameters
    ----------
    file : str
        The file the table came from.
    index : int
        Position of the table among that file's ``[[reforms]]``.
    """

    def __init__(self, file: str, index: int) -> None:
        self.file = file
        self.prefix = f"reforms[{index}]"
        self.problems: list[Problem] = []

    def path(self, key: str) -> str:
        """Key path of ``key`` (dotted sub-keys allowed) in this table."""
        return f"{self.prefix}.{key}" if key else self.prefix

    def add(self, key: str, value: object, expected: str) -> None:
        """Record a problem at ``key``."""
        self.problems.append(Problem(self.file, self.path(key), value, expected))

    def keys(self, table: Mapping[str, Any], allowed: Sequence[str], where: str = "") -> None:
        """Report every key of ``table`` (at ``where``) that is not in ``allowed``."""
        for key, value in table.items():
            if key not in allowed:
                sub = f"{where}.{key}" if where else key
                self.add(
                    sub,
                    value,
                    f"unknown key; expected one of: {', '.join(allowed)}{_suggest(key, allowed)}",
                )

    def string(self, table: Mapping[str, Any], key: str, default: str | None = None) -> str | None:
        """A non-empty string (required when ``default`` is None)."""
        value = table.get(key, default)
        if value is None:
            self.add(key, None, "a non-empty string")
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(key, value, "a non-empty string")
            return None
        return value

    def integer(
        self, table: Mapping[str, Any], key: str, default: int | None, minimum: int = 0
    ) -> int | None:
        """A whole number ``>= minimum`` (``default`` when missing)."""
        if key not in table:
            return default
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.add(key, value, f"a whole number >= {minimum}")
            return None
        return value

    def number(
        self,
        table: Mapping[str, Any],
        key: str,
        default: float | None,
        *,
        low: float = 0.0,
        high: float = math.inf,
        low_open: bool = False,
    ) -> float | None:
        """A finite number in ``[low, high]`` (``(low, high]`` with ``low_open``)."""
        if key not in table:
            return default
        value = table[key]
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok:
            x = float(value)
            ok = math.isfinite(x) and (x > low if low_open else x >= low) and x <= high
        if not ok:
            lo = "(" if low_open else "["
            hi = f"{high:g}]" if math.isfinite(high) else "inf)"
            self.add(key, value, f"a number in {lo}{low:g}, {hi}")
            return None
        return float(value)

    def boolean(self, table: Mapping[str, Any], key: str, default: bool) -> bool:
        """``true`` or ``false``."""
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.add(key, value, "true or false")
            return default
        return value

    def choice(
        self, table: Mapping[str, Any], key: str, options: Sequence[str], default: str
    ) -> str:
        """One of ``options``."""
        value = table.get(key, default)
        if value not in options:
            shown = ", ".join(f'"{o}"' for o in options)
            self.add(key, value, f"one of: {shown}{_suggest(value, options)}")
            return default
        return str(value)

    def strings(self, table: Mapping[str, Any], key: str) -> tuple[str, ...] | None:
        """A non-empty list of non-empty strings (``None`` when missing or bad)."""
        if key not in table:
            return None
        value = table[key]
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            self.add(key, value, "a non-empty list of strings")
            return None
        return tuple(dict.fromkeys(value))

    def dist(self, value: object, key: str, unit: str) -> Distribution | None:
        """A distribution table in ``unit`` (``"min"`` or ``"days"``)."""
        if not isinstance(value, dict):
            example = f'{{ dist = "fixed", value_{unit} = 1 }}'
            self.add(key, value, f"a distribution table like {example}")
            return None
        try:
            return parse_distribution(value, unit, self.path(key), self.file)  # type: ignore[arg-type]
        except ScenarioError as exc:
            self.problems.extend(exc.problems)
            return None

    def time(self, value: object, key: str) -> int | None:
        """``"HH:MM"`` as minutes after midnight."""
        match = _TIME_RE.match(value) if isinstance(value, str) else None
        if match is None or int(match.group(2)) > 59 or int(match.group(1)) * 60 > 24 * 60:
            self.add(key, value, 'a time "HH:MM"')
            return None
        return int(match.group(1)) * 60 + int(match.group(2))

    def intervals(self, value: object, key: str) -> tuple[tuple[int, int], ...] | None:
        """A non-empty list of ordered, non-overlapping ``["HH:MM", "HH:MM"]`` intervals."""
        expected = 'a non-empty list of intervals like [["08:30", "12:00"]], in order'
        if not isinstance(value, list) or not value:
            self.add(key, value, expected)
            return None
        out: list[tuple[int, int]] = []
        for i, pair in enumerate(value):
            if not isinstance(pair, list) or len(pair) != 2:
                self.add(f"{key}[{i}]", pair, 'an interval ["HH:MM", "HH:MM"]')
                return None
            a, b = self.time(pair[0], f"{key}[{i}][0]"), self.time(pair[1], f"{key}[{i}][1]")
            if a is None or b is None:
                return None
            if a >= b or (out and a < out[-1][1]):
                self.add(f"{key}[{i}]", pair, expected)
                return None
            out.append((a, b))
        return tuple(out)

    def department(self, table: Mapping[str, Any], key: str, scenario: Scenario) -> str | None:
        """A department id of ``scenario`` (required)."""
        value = table.get(key)
        ids = [d.id for d in scenario.departments]
        if value not in ids:
            self.add(key, value, f"a department id of the scenario{_suggest(value, ids)}")
            return None
        return str(value)

    def raise_if_any(self) -> None:
        """Raise a :class:`ScenarioError` with the problems found so far, if any."""
        if self.problems:
            raise ScenarioError(self.problems)


# --------------------------------------------------------------------------- selection


@dataclass(frozen=True)
class Selection:
    """Which items a reform acts on: ``items``, ``tags``, ``departments`` or all.

    The selected items are the union of the listed ids, the items carrying any listed tag
    and the items of any listed department; ``items = "all"`` selects every item.

    Parameters
    ----------
    items : tuple of str
        Item ids.
    tags : tuple of str
        Item tags.
    departments : tuple of str
        Department ids (their items).
    everything : bool
        Every item of the scenario.
    """

    items: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    everything: bool = False

    @property
    def empty(self) -> bool:
        """Whether nothing at all was specified."""
        return not (self.items or self.tags or self.departments or self.everything)

    def matches(self, item: Item) -> bool:
        """Whether ``item`` is selected."""
        return (
            self.everything
            or item.id in self.items
            or item.department in self.departments
            or any(t in self.tags for t in item.tags)
        )

    def ids(self, scenario: Scenario) -> tuple[str, ...]:
        """Ids of the selected items of ``scenario``, in scenario order."""
        return tuple(i.id for i in scenario.items if self.matches(i))

    @classmethod
    def parse(
        cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario, required: bool = True
    ) -> Selection:
        """Read ``items``/``tags``/``departments`` of ``table`` and check them against
        ``scenario`` (unknown ids, tags that select nothing)."""
        everything = False
        items: tuple[str, ...] = ()
        raw = table.get("items")
        if raw == "all":
            everything = True
        elif raw is not None:
            got = chk.strings(table, "items")
            if got is None:
                chk.problems[-1] = dataclasses.replace(
                    chk.problems[-1], expected='"all" or a non-empty list of item ids'
                )
            else:
                known = {i.id for i in scenario.items}
                for k, ident in enumerate(got):
                    if ident not in known:
                        chk.add(
                            f"items[{k}]",
                            ident,
                            f"an item id of the scenario{_suggest(ident, known)}",
                        )
                items = got
        tags = chk.strings(table, "tags") or ()
        all_tags = {t for i in scenario.items for t in i.tags}
        for k, tag in enumerate(tags):
            if tag not in all_tags:
                chk.add(f"tags[{k}]", tag, f"a tag carried by some item{_suggest(tag, all_tags)}")
        departments: tuple[str, ...] = ()
        raw = table.get("departments")
        if raw == "all":
            everything = True
        elif raw is not None:
            departments = chk.strings(table, "departments") or ()
            known_d = [d.id for d in scenario.departments]
            for k, ident in enumerate(departments):
                if ident not in known_d:
                    chk.add(
                        f"departments[{k}]",
                        ident,
                        f"a department id of the scenario{_suggest(ident, known_d)}",
                    )
        sel = cls(items, tags, departments, everything)
        if required and sel.empty:
            chk.add("items", None, 'items = [...], tags = [...], departments = [...] or "all"')
        return sel


# --------------------------------------------------------------------------- routes


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
