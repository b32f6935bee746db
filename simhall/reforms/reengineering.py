"""Process re-engineering (流程再造): steps dropped, merged, sped up; limits cut.

Re-engineering is the clerk's red pen on the flow chart: a redundant site inspection is
struck out, two reviews by the same section become one, a step is given a faster standard
time, and the committed limits (承诺时限) are shortened accordingly.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from simhall.distributions import Distribution, Scaled, Summed
from simhall.reforms.base import Reform
from simhall.reforms.checker import Checker
from simhall.reforms.routes import flatten, map_leaves, replace_items, step_kind
from simhall.reforms.selection import Selection
from simhall.scenario.schema import DelayStep, Item, Scenario, Step, WorkStep

__all__ = ["Merge", "Reengineering"]


def _names_in(scenario: Scenario, ids: tuple[str, ...]) -> dict[str, str]:
    """Step names of the items ``ids`` and the kind of the first step with that name."""
    names: dict[str, str] = {}
    for item in scenario.items:
        if item.id in ids:
            for step in flatten(item.route):
                names.setdefault(step.name, step_kind(step))
    return names


@dataclass(frozen=True)
class Merge:
    """Steps merged into one: the first keeps its place, durations add up."""

    steps: tuple[str, ...]
    name: str


@dataclass(frozen=True)
class Reengineering(Reform):
    """Process re-engineering (流程再造) of the selected items.

    Parameters
    ----------
    selection : Selection
        The items re-engineered.
    remove : tuple of str
        Step names dropped wherever they occur.
    merge : tuple of Merge
        Groups of steps of one kind merged into one step named ``name`` at the first one's
        place (work minutes or delay days add up; sessions become one session).
    scale : tuple of (str, float)
        Duration factors by step name (work minutes, delay days).
    durations : tuple of (str, Distribution)
        New duration distributions by step name.
    committed_days : int or None
        New committed limit of every selected item.
    committed_by_item : tuple of (str, int)
        New committed limits by item id.
    committed_scale : float or None
        Factor on current committed limits (rounded up to whole days).
    """

    selection: Selection
    remove: tuple[str, ...] = ()
    merge: tuple[Merge, ...] = ()
    scale: tuple[tuple[str, float], ...] = ()
    durations: tuple[tuple[str, Distribution], ...] = ()
    committed_days: int | None = None
    committed_by_item: tuple[tuple[str, int], ...] = ()
    committed_scale: float | None = None
    label: str = "reengineering"

    kind: ClassVar[str] = "reengineering"
    field_keys: ClassVar[Mapping[str, tuple[str, ...]]] = {
        **Reform.field_keys,
        "committed_by_item": (),  # a table given as committed_days
    }

    @classmethod
    def parse(cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario) -> Reengineering:
        sel = Selection.parse(chk, table, scenario)
        ids = sel.ids(scenario)
        names = _names_in(scenario, ids)
        remove = chk.strings(table, "remove") or ()
        for k, n in enumerate(remove):
            if n not in names:
                chk.add(f"remove[{k}]", n, "a step name of the selected items")
        merges: list[Merge] = []
        raw_merge = table.get("merge", [])
        if not isinstance(raw_merge, list):
            chk.add("merge", raw_merge, '[{ steps = ["a", "b"], name = "ab" }, ...]')
            raw_merge = []
        for k, m in enumerate(raw_merge):
            where = f"merge[{k}]"
            if not isinstance(m, dict):
                chk.add(where, m, '{ steps = ["a", "b"], name = "ab" }')
                continue
            chk.keys(m, ("steps", "name"), where)
            steps = m.get("steps")
            if (
                not isinstance(steps, list)
                or len(steps) < 2
                or not all(isinstance(s, str) and s in names for s in steps)
            ):
                chk.add(f"{where}.steps", steps, "a list of >= 2 step names of the selected items")
                continue
            kinds = {names[s] for s in steps}
            if len(kinds) > 1 or "visit" in kinds:
                chk.add(f"{where}.steps", steps, "steps of one kind (work, delay or sessions)")
                continue
            name = m.get("name", steps[0])
            if not isinstance(name, str) or not name:
                chk.add(f"{where}.name", name, "a non-empty string")
                continue
            merges.append(Merge(tuple(steps), name))
        scale: list[tuple[str, float]] = []
        raw_scale = table.get("scale", {})
        if not isinstance(raw_scale, dict):
            chk.add("scale", raw_scale, "a table { step_name = factor }")
            raw_scale = {}
        for n, f in raw_scale.items():
            if names.get(n) not in ("work", "delay"):
                chk.add(f"scale.{n}", f, "a work or delay step name of the selected items")
                continue
            got = chk.number(raw_scale, n, None, low=0.0, at=f"scale.{n}")
            if got is not None:
                scale.append((n, got))
        durations: list[tuple[str, Distribution]] = []
        raw_dur = table.get("durations", {})
        if not isinstance(raw_dur, dict):
            chk.add("durations", raw_dur, "a table { step_name = { dist = ... } }")
            raw_dur = {}
        for n, d in raw_dur.items():
            kind = names.get(n)
            if kind not in ("work", "delay"):
                chk.add(f"durations.{n}", d, "a work or delay step name of the selected items")
                continue
            dist = chk.dist(d, f"durations.{n}", "min" if kind == "work" else "days")
            if dist is not None:
                durations.append((n, dist))
        committed: int | None = None
        by_item: list[tuple[str, int]] = []
        raw_c = table.get("committed_days")
        if isinstance(raw_c, dict):
            for ident, v in raw_c.items():
                if ident not in ids:
                    chk.add(f"committed_days.{ident}", v, "an id of a selected item")
                    continue
                limit = chk.whole(v, f"committed_days.{ident}", 0)
                if limit is not None:
                    by_item.append((ident, limit))
        elif raw_c is not None:
            committed = chk.integer(table, "committed_days", None, minimum=0)
        cscale = chk.number(table, "committed_scale", None, low=0.0, low_open=True)
        for ident, v in [*by_item, *((i, committed) for i in ids if committed is not None)]:
            stat = scenario.item(ident).statutory_days
            if v is not None and stat is not None and v > stat:
                chk.add("committed_days", v, f"a limit <= statutory_days of {ident} ({stat})")
                break
        return cls(
            selection=sel,
            remove=remove,
            merge=tuple(merges),
            scale=tuple(scale),
            durations=tuple(durations),
            committed_days=committed,
            committed_by_item=tuple(by_item),
            committed_scale=cscale,
            label=cls.parse_label(chk, table),
        )

    def _route(self, route: tuple[Step, ...]) -> tuple[Step, ...]:
        scale = dict(self.scale)
        durations = dict(self.durations)
        leaves = list(flatten(route))
        drop: set[int] = set()
        put: dict[int, Step] = {}
        for m in self.merge:
            where = [k for k, s in enumerate(leaves) if s.name in m.steps and k not in drop]
            if len({leaves[k].name for k in where}) < len(m.steps):
                continue
            parts = [leaves[k] for k in where]
            first = parts[0]
            if isinstance(first, WorkStep):
                merged: Step = dataclasses.replace(
                    first,
                    name=m.name,
                    duration=Summed(tuple(p.duration for p in parts if isinstance(p, WorkStep))),
                )
            elif isinstance(first, DelayStep):
                merged = dataclasses.replace(
                    first,
                    name=m.name,
                    days=Summed(tuple(p.days for p in parts if isinstance(p, DelayStep))),
                )
            else:
                merged = dataclasses.replace(first, name=m.name)
            put[where[0]] = merged
            drop.update(where[1:])

        def edit(step: Step, k: int) -> list[Step]:
            if k in drop or step.name in self.remove:
                return []
            step = put.get(k, step)
            if isinstance(step, WorkStep):
                dur = durations.get(step.name, step.duration)
                if step.name in scale:
                    dur = Scaled(dur, scale[step.name])
                step = dataclasses.replace(step, duration=dur)
            elif isinstance(step, DelayStep):
                days = durations.get(step.name, step.days)
                if step.name in scale:
                    days = Scaled(days, scale[step.name])
                step = dataclasses.replace(step, days=days)
            return [step]

        return map_leaves(route, edit)

    def apply(self, scenario: Scenario) -> Scenario:
        by_item = dict(self.committed_by_item)
        new: dict[str, Item] = {}
        for item in scenario.items:
            if not self.selection.matches(item):
                continue
            committed = item.committed_days
            if self.committed_scale is not None and committed is not None:
                committed = int(math.ceil(committed * self.committed_scale - 1e-9))
            if self.committed_days is not None:
                committed = self.committed_days
            committed = by_item.get(item.id, committed)
            new[item.id] = dataclasses.replace(
                item, route=self._route(item.route), committed_days=committed
            )
        return replace_items(scenario, new)
