"""A staffing plan: windows per department and staff per back-office pool.

A plan is the sheet a hall director hands the personnel office: "jianwei: 4 windows, 5 in
the review section; gongshang: 3 windows". It is applied to a scenario through the
``staffing`` reform (:class:`simhall.reforms.Staffing`, the one place where windows and
staff change) and written as a scenario overlay of ``staffing`` tables that ``simhall run``
runs as is (:func:`overlay_toml`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simhall.experiment import Settings, resolve_settings
from simhall.reforms import Selection, Staffing
from simhall.scenario.schema import Scenario

__all__ = ["Plan", "Unit", "overlay_toml", "run_settings"]

RUN_KEYS = ("start", "days", "warmup_days", "drain_days", "reps", "seed", "service_level")
"""The keyword arguments of :func:`simhall.run` that fix what a plan's run simulates."""

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True, order=True)
class Unit:
    """One thing sizing changes: a department's windows (``pool = ""``) or a pool's staff."""

    department: str
    pool: str = ""

    @property
    def kind(self) -> str:
        """``"windows"`` or ``"staff"``."""
        return "staff" if self.pool else "windows"

    def label(self) -> str:
        """``"jianwei windows"`` or ``"jianwei/section staff"``."""
        return f"{self.department}/{self.pool} staff" if self.pool else f"{self.department} windows"


@dataclass(frozen=True)
class Plan:
    """Counts per unit, as sorted ``(unit, count)`` pairs (hashable: plans key a cache).

    Units not in the plan keep the scenario's counts.
    """

    counts: tuple[tuple[Unit, int], ...]

    @classmethod
    def of(cls, counts: Mapping[Unit, int]) -> Plan:
        """A plan from a mapping (every count >= 1)."""
        for unit, n in counts.items():
            if n < 1:
                raise ValueError(f"{unit.label()} = {n}: expected a whole number >= 1")
        return cls(tuple(sorted(counts.items())))

    @classmethod
    def current(cls, scenario: Scenario, units: Iterable[Unit]) -> Plan:
        """The scenario's own counts of ``units``."""
        counts = {}
        for unit in units:
            dept = scenario.department(unit.department)
            counts[unit] = dept.pool(unit.pool).staff if unit.pool else dept.windows
        return cls.of(counts)

    def get(self, unit: Unit) -> int:
        """The count of ``unit`` (KeyError if the plan does not size it)."""
        return dict(self.counts)[unit]

    def with_count(self, unit: Unit, n: int) -> Plan:
        """This plan with ``unit`` set to ``n``."""
        return Plan.of({**dict(self.counts), unit: n})

    def total(self) -> int:
        """Windows plus staff of the plan (the people it needs)."""
        return sum(n for _, n in self.counts)

    def reforms(self) -> tuple[Staffing, ...]:
        """One ``staffing`` reform per department of the plan."""
        by_dept: dict[str, dict[str, int]] = {}
        windows: dict[str, int] = {}
        for unit, n in self.counts:
            by_dept.setdefault(unit.department, {})
            if unit.pool:
                by_dept[unit.department][unit.pool] = n
            else:
                windows[unit.department] = n
        return tuple(
            Staffing(
                selection=Selection(departments=(dept,)),
                windows=windows.get(dept),
                staff=tuple(sorted(staff.items())),
                label=f"sizing {dept}",
            )
            for dept, staff in by_dept.items()
        )

    def apply(self, scenario: Scenario) -> Scenario:
        """``scenario`` staffed as planned (its reforms already applied)."""
        for reform in self.reforms():
            scenario = reform.apply(scenario)
        return scenario


def _key(name: str) -> str:
    return name if _BARE_KEY.match(name) else json.dumps(name, ensure_ascii=False)


def run_settings(scenario: Scenario, given: Mapping[str, object]) -> Settings:
    """The settings the plans of ``scenario`` were simulated with: its ``[run]`` table
    with the overrides in ``given`` (the keyword arguments of :func:`simhall.run`; other
    keys, such as ``workers``, do not change what is simulated)."""
    chosen: dict[str, Any] = {k: given[k] for k in RUN_KEYS if given.get(k) is not None}
    return resolve_settings(scenario, **chosen)


def overlay_toml(
    plan: Plan,
    scenario: Scenario,
    out_dir: str | os.PathLike[str],
    *,
    name: str,
    header: Iterable[str] = (),
    settings: Settings | None = None,
) -> str:
    """A scenario overlay applying ``plan`` to ``scenario``'s file, to be saved in
    ``out_dir``.

    The overlay ``extends`` the scenario file by a path relative to ``out_dir`` (absolute
    when there is no relative path, e.g. another drive) and adds one ``staffing`` reform
    per department after the scenario's own reforms. With ``settings`` (the run settings
    the plan was simulated with) it also sets ``[run]`` (and the calendar's ``start`` when
    it differs), so that ``simhall run`` on it repeats that simulation.

    Raises
    ------
    ValueError
        If the scenario was not read from a file (there is nothing to extend).
    """
    if not scenario.source or not Path(scenario.source).is_file():
        raise ValueError(
            f"scenario {scenario.name!r} was not read from a file: an overlay needs a file "
            "to extend"
        )
    source = Path(scenario.source).resolve()
    try:
        rel = os.path.relpath(source, Path(out_dir).resolve())
    except ValueError:
        rel = str(source)
    lines = [f"# {h}" if h else "#" for h in header]
    lines += [
        f"extends = {json.dumps(Path(rel).as_posix(), ensure_ascii=False)}",
        "",
        "[scenario]",
        f"name = {json.dumps(name, ensure_ascii=False)}",
    ]
    if settings is not None:
        if settings.start != scenario.calendar.start:
            lines += ["", "[calendar]", f"start = {settings.start.isoformat()}"]
        lines += [
            "",
            "[run]  # as simulated by simhall size",
            f"days = {settings.days}",
            f"warmup_days = {settings.warmup_days}",
            f"drain_days = {settings.drain_days}",
            f"replications = {settings.replications}",
            f"seed = {settings.seed}",
            f"service_level = {settings.service_level!r}",
        ]
    for reform in plan.reforms():
        lines += [
            "",
            "[[reforms]]",
            'kind = "staffing"',
            f"name = {json.dumps(reform.label, ensure_ascii=False)}",
            f"departments = {json.dumps(list(reform.selection.departments), ensure_ascii=False)}",
        ]
        if reform.windows is not None:
            lines.append(f"windows = {reform.windows}")
        if reform.staff:
            inner = ", ".join(f"{_key(p)} = {n}" for p, n in reform.staff)
            lines.append(f"staff = {{ {inner} }}")
    return "\n".join(lines) + "\n"
