"""Variants of a scenario as overlay files: the what-ifs of a grid, each one runnable.

Every variant is written the way a planner would write it by hand: a short overlay that
``extends`` the base scenario and lists only what changes (windows and pools of
``[[departments]]``, ``daily_demand`` and ``committed_days`` of ``[[items]]``, the
``[[reforms]]`` of the overlays switched on), with the sweep's ``[run]`` settings, so that
``simhall run variants/v003.toml`` reproduces its row of the sweep. The variant that runs
is loaded from that very text (:func:`load_variant`); only the ``extends`` path differs
between the copy run and the copy written (absolute, then relative to the output folder).
"""

from __future__ import annotations

import itertools
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simhall.calibration.writer import toml_value
from simhall.experiment import Settings
from simhall.scenario import load_scenario_text
from simhall.scenario.schema import Scenario
from simhall.sweep.grid import Grid, Setting

__all__ = [
    "Variant",
    "base_value",
    "expand",
    "load_variant",
    "overlay_text",
    "relative_extends",
]

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class Variant:
    """One what-if: an id (``v003``, also its file name), a name and its settings."""

    id: str
    name: str
    settings: tuple[Setting, ...]

    def label(self) -> str:
        """``windows.gongshang = 5, reforms.chief_rep = true`` (``base`` for no change)."""
        return ", ".join(s.text() for s in self.settings) or "base"

    def values(self) -> dict[str, Any]:
        """Parameter key -> value."""
        return {s.key: s.value for s in self.settings}


def expand(grid: Grid) -> list[Variant]:
    """The variants of a grid: its ``[[variants]]`` in order, or the product of its axes
    (the last axis changing fastest)."""
    if grid.listed:
        settings = [s for _, s in grid.listed]
        names = [n for n, _ in grid.listed]
    else:
        combos = itertools.product(*(a.values for a in grid.axes))
        settings = [
            tuple(Setting(a.key, v) for a, v in zip(grid.axes, combo, strict=True))
            for combo in combos
        ]
        names = []
    width = max(3, len(str(len(settings))))
    out = []
    for i, s in enumerate(settings):
        vid = f"v{i + 1:0{width}d}"
        out.append(Variant(vid, names[i] if names else vid, s))
    return out


def _items(base: Scenario, values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    items: dict[str, dict[str, Any]] = {}
    factor = values.get("demand_factor")
    if factor is not None and factor != 1.0:
        for item in base.items:
            volume = round(item.demand.daily_volume * float(factor), 6)
            items.setdefault(item.id, {})["daily_demand"] = volume
    for key, value in values.items():
        if key.startswith("committed_days."):
            items.setdefault(key.split(".", 1)[1], {})["committed_days"] = value
    return items


def _departments(values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    depts: dict[str, dict[str, Any]] = {}
    for key, value in values.items():
        kind, _, rest = key.partition(".")
        if kind == "windows":
            depts.setdefault(rest, {})["windows"] = value
        elif kind == "staff":
            dept, pool = rest.split(".", 1)
            pools = depts.setdefault(dept, {}).setdefault("pools", {})
            pools[pool] = {"staff": value}  # a table: merged key by key, in_hall/hours kept
    return depts


def _table(header: str, entries: dict[str, Any]) -> list[str]:
    return ["", header, *(f"{_key(k)} = {toml_value(v)}" for k, v in entries.items())]


def _key(name: str) -> str:
    """A TOML key: bare if it can be, else quoted."""
    return name if _BARE.match(name) else json.dumps(name, ensure_ascii=False)


def overlay_text(
    variant: Variant, base: Scenario, grid: Grid, settings: Settings, extends: str
) -> str:
    """The overlay of ``variant`` on ``base`` (TOML text).

    Parameters
    ----------
    variant : Variant
    base : Scenario
        The scenario swept (as loaded, reforms not applied).
    grid : Grid
        For the ``[[reforms]]`` of the switches turned on.
    settings : Settings
        The sweep's run settings, written as ``[run]`` and ``[calendar] start``.
    extends : str
        The path of the base file as the overlay names it.
    """
    values = variant.values()
    lines = [
        f"# simhall sweep {grid.source}, variant {variant.id}: {variant.label()}",
        "# Runs as is (same seed and settings as the sweep: common random numbers):",
        f"#   simhall run {variant.id}.toml",
        f"extends = {toml_value(Path(extends).as_posix())}",
    ]
    lines += _table(
        "[scenario]",
        {"name": f"{base.name}: {variant.name}", "description": variant.label()},
    )
    lines += ["", "[calendar]", f"start = {settings.start.isoformat()}"]
    lines += _table(
        "[run]",
        {
            "days": settings.days,
            "warmup_days": settings.warmup_days,
            "drain_days": settings.drain_days,
            "replications": settings.replications,
            "seed": settings.seed,
            "service_level": settings.service_level,
        },
    )
    for dept, entries in _departments(values).items():
        lines += _table("[[departments]]", {"id": dept, **entries})
    for item, entries in _items(base, values).items():
        lines += _table("[[items]]", {"id": item, **entries})
    for switch, (file, tables) in grid.reform_files.items():
        if values.get(f"reforms.{switch}") is True:
            lines += ["", f"# reforms.{switch} = true: the [[reforms]] of {Path(file).name}"]
            for table in tables:
                lines += _table("[[reforms]]", table)
    return "\n".join(lines) + "\n"


def load_variant(text: str, variant: Variant, base: Scenario) -> Scenario:
    """The scenario of an overlay text whose ``extends`` is absolute (or relative to the
    base's folder); messages name ``variants/<id>.toml``."""
    folder = Path(base.source).parent
    return load_scenario_text(text, name=f"variants/{variant.id}.toml", base_dir=folder)


def relative_extends(base: Scenario, folder: Path) -> str:
    """The path of the base file as seen from ``folder`` (where the overlays go)."""
    return os.path.relpath(Path(base.source).resolve(), folder.resolve())


def base_value(base: Scenario, key: str) -> Any:
    """The value parameter ``key`` has in the base scenario (for variants that leave it)."""
    kind, _, rest = key.partition(".")
    if kind == "windows":
        return base.department(rest).windows
    if kind == "staff":
        dept, pool = rest.split(".", 1)
        return base.department(dept).pool(pool).staff
    if kind == "committed_days":
        return base.item(rest).committed_days
    if kind == "demand_factor":
        return 1.0
    return False  # a reform switch: off
