"""The grid file of a sweep: which parameters change, over which values, judged how.

A sweep is a planning office's table of what-ifs: three or four window counts for one
department, two staffing levels of a back-office section, demand as it is and a fifth
higher, a reform on and off, every combination tried on the same days of applicants. The
grid file (TOML) writes that table down; :func:`read_grid` checks it against the scenario,
every problem at once with the key path, the value and what belongs there (exit status 2
on the command line), did-you-mean suggestions for department, pool and item ids::

    [grid]                        # the cartesian product of these lists
    demand_factor = [1.0, 1.2]    # every item's daily_demand times this
    [grid.windows]                # windows per department
    gongshang = [4, 5, 6]
    [grid.staff.jianwei]          # staff per back-office pool
    section = [3, 4]
    [grid.committed_days]         # committed limits (working days) of commitment items
    JW-001 = [10, 12]
    [grid.reforms]                # switch the [[reforms]] of an overlay on or off
    chief_rep = [false, true]

    [reform_files]                # relative to the grid file
    chief_rep = "reform_chief_rep.toml"

    [objective]                   # see simhall.sweep.objective
    minimise = "limit_sum_days"
    at_most = { mean_wait_min = 15 }

Instead of ``[grid]``, ``[[variants]]`` lists the variants one by one (the same keys with
one value each, and an optional ``name``). ``[sweep] max_variants`` raises the bound
(:data:`MAX_VARIANTS`) that stops a product too large to be meant.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simhall.scenario.checks import (
    ROOT,
    Checks,
    Loc,
    check_keys,
    flag,
    number,
    one_of,
    subtable,
    text,
    whole,
)
from simhall.scenario.schema import Scenario
from simhall.sweep.objective import Objective, read_objective
from simhall.tomlfile import TomlFileError, read_toml

__all__ = ["GRID_KEYS", "MAX_VARIANTS", "PARAMETERS", "Axis", "Grid", "Setting", "read_grid"]

MAX_VARIANTS = 1000
"""Most variants a grid may give unless its ``[sweep] max_variants`` says more."""

PARAMETERS = ("windows", "staff", "demand_factor", "committed_days", "reforms")
"""The parameters a variant can change (keys of ``[grid]`` and of ``[[variants]]``)."""

GRID_KEYS = ("sweep", "grid", "variants", "reform_files", "objective")
"""The keys a grid file may have at the top."""

Value = int | float | bool


@dataclass(frozen=True)
class Setting:
    """One parameter of a variant: ``key`` such as ``windows.gongshang``, and its value."""

    key: str
    value: Value

    def text(self) -> str:
        """``windows.gongshang = 5`` (TOML spelling of booleans)."""
        shown = str(self.value).lower() if isinstance(self.value, bool) else str(self.value)
        return f"{self.key} = {shown}"


@dataclass(frozen=True)
class Axis:
    """A parameter and the values the product goes through."""

    key: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Grid:
    """A checked grid file.

    Attributes
    ----------
    axes : tuple of Axis
        The product's axes (empty when ``listed`` is given).
    listed : tuple of (name, settings)
        ``[[variants]]`` in file order (empty for a product).
    reform_files : mapping
        Switch name -> ``(file, [[reforms]] tables)`` of the overlay it switches on.
    objective : Objective
        How the best variants are chosen.
    max_variants : int
        The bound on the number of variants.
    source : str
        The grid file (for messages and the manifest).
    """

    axes: tuple[Axis, ...] = ()
    listed: tuple[tuple[str, tuple[Setting, ...]], ...] = ()
    reform_files: Mapping[str, tuple[str, tuple[dict[str, Any], ...]]] = field(default_factory=dict)
    objective: Objective = field(default_factory=Objective)
    max_variants: int = MAX_VARIANTS
    source: str = "<grid>"

    @property
    def size(self) -> int:
        """The number of variants."""
        if self.listed:
            return len(self.listed)
        return math.prod(len(a.values) for a in self.axes)


# --------------------------------------------------------------------------- values


def _value(chk: Checks, kind: str, value: object, loc: Loc, scenario: Scenario, key: str) -> Any:
    """One value of parameter ``kind`` (checked), or ``None`` after recording a problem."""
    if kind in ("windows", "staff"):
        return whole(chk, value, loc, 1, " (staff)" if kind == "staff" else " (windows)")
    if kind == "demand_factor":
        return number(chk, value, loc, low=0, low_open=True, what=" (times every daily_demand)")
    if kind == "reforms":
        return flag(chk, value, loc)
    days = whole(chk, value, loc, 0, " (working days)")
    statutory = scenario.item(key).statutory_days
    if days is not None and statutory is not None and days > statutory:
        chk.add(loc, value, f"a whole number <= statutory_days ({statutory}) of item {key}")
        return None
    return days


def _values(
    chk: Checks, kind: str, raw: object, loc: Loc, scenario: Scenario, key: str, many: bool
) -> tuple[Value, ...]:
    """The list of values of an axis (``many``) or the one value of a listed variant."""
    if not many:
        got = _value(chk, kind, raw, loc, scenario, key)
        return () if got is None else (got,)
    if not isinstance(raw, list) or not raw:
        chk.add(loc, raw, "a non-empty list of values, e.g. [4, 5, 6]")
        return ()
    out: list[Value] = []
    for i, v in enumerate(raw):
        got = _value(chk, kind, v, loc.i(i), scenario, key)
        if got is None:
            continue
        if any(type(o) is type(got) and o == got for o in out):
            chk.add(loc.i(i), v, "a value not listed before in this list")
            continue
        out.append(got)
    return tuple(out)


def _known(chk: Checks, word: str, options: list[str], loc: Loc, what: str) -> bool:
    if word in options:
        return True
    chk.add(loc, word, f"{what} {one_of(options, word)}")
    return False


def _parameters(
    chk: Checks,
    table: Mapping[str, Any],
    loc: Loc,
    scenario: Scenario,
    switches: list[str],
    many: bool,
) -> list[tuple[str, tuple[Value, ...]]]:
    """``(key, values)`` of every parameter in a ``[grid]`` or ``[[variants]]`` table."""
    out: list[tuple[str, tuple[Value, ...]]] = []
    depts = [d.id for d in scenario.departments]
    commitment = [i.id for i in scenario.items if i.kind == "commitment"]
    for kind in [k for k in table if k in PARAMETERS]:  # in file order
        raw = table[kind]
        kloc = loc.k(kind)
        if kind == "demand_factor":
            out.append((kind, _values(chk, kind, raw, kloc, scenario, kind, many)))
            continue
        sub = subtable(chk, table, kind, loc)
        for name, value in sub.items():
            nloc = kloc.k(name)
            if kind == "staff":
                if not _known(chk, name, depts, nloc, "unknown department; expected"):
                    continue
                pools = [p.name for p in scenario.department(name).pools]
                for pool, v in subtable(chk, sub, name, kloc).items():
                    ploc = nloc.k(pool)
                    if _known(chk, pool, pools, ploc, f"unknown pool of {name}; expected"):
                        values = _values(chk, kind, v, ploc, scenario, pool, many)
                        out.append((f"staff.{name}.{pool}", values))
                continue
            if kind == "windows":
                ok = _known(chk, name, depts, nloc, "unknown department; expected")
            elif kind == "committed_days":
                ok = _known(chk, name, commitment, nloc, "unknown commitment item; expected")
            else:
                ok = _known(chk, name, switches, nloc, "unknown switch of [reform_files]; expected")
            if ok:
                values = _values(chk, kind, value, nloc, scenario, name, many)
                out.append((f"{kind}.{name}", values))
    return out


# --------------------------------------------------------------------------- reform files


def _reform_files(
    chk: Checks, data: Mapping[str, Any], directory: Path
) -> dict[str, tuple[str, tuple[dict[str, Any], ...]]]:
    """``[reform_files]``: switch name -> (file, its ``[[reforms]]`` tables)."""
    out: dict[str, tuple[str, tuple[dict[str, Any], ...]]] = {}
    loc = ROOT.k("reform_files")
    for name, value in subtable(chk, data, "reform_files", ROOT).items():
        nloc = loc.k(name)
        rel = text(chk, value, nloc, "the path of a reform overlay (a string)")
        if rel is None:
            continue
        path = directory / rel
        try:
            raw = read_toml(path, "reform overlay")
        except TomlFileError as exc:
            chk.add(nloc, value, f"{exc.expected} at {path}")
            continue
        other = [k for k in raw if k not in ("extends", "scenario", "reforms")]
        tables = raw.get("reforms")
        if other:
            chk.add(
                nloc,
                value,
                "an overlay with only [[reforms]] (its other keys would be lost when "
                f"switched: {', '.join(other)})",
            )
        elif (
            not isinstance(tables, list)
            or not tables
            or not all(isinstance(t, dict) for t in tables)
        ):
            chk.add(nloc, value, "an overlay with at least one [[reforms]] table")
        else:
            out[name] = (os.fspath(path), tuple(tables))
    return out


# --------------------------------------------------------------------------- the file


def _listed(
    chk: Checks, raw: object, scenario: Scenario, switches: list[str]
) -> tuple[tuple[str, tuple[Setting, ...]], ...]:
    loc = ROOT.k("variants")
    if not isinstance(raw, list) or not raw or not all(isinstance(v, dict) for v in raw):
        chk.add(loc, raw, "an array of tables [[variants]]")
        return ()
    out = []
    names: set[str] = set()
    for i, entry in enumerate(raw):
        vloc = loc.i(i)
        check_keys(chk, entry, ("name", *PARAMETERS), vloc)
        name = f"variant {i + 1}"
        if "name" in entry:
            name = text(chk, entry["name"], vloc.k("name")) or name
            if name in names:
                chk.add(vloc.k("name"), name, "a name not given to another variant")
            names.add(name)
        params = _parameters(chk, entry, vloc, scenario, switches, many=False)
        out.append((name, tuple(Setting(k, v[0]) for k, v in params if v)))
    return tuple(out)


def read_grid(
    source: str | os.PathLike[str] | Mapping[str, Any],
    scenario: Scenario,
    *,
    base_dir: str | os.PathLike[str] | None = None,
) -> Grid:
    """Read and check a grid file against the scenario it sweeps.

    Parameters
    ----------
    source : path or mapping
        The grid file (TOML), or its parsed content (tests, notebooks).
    scenario : Scenario
        The base scenario: department, pool and item ids are checked against it.
    base_dir : path, optional
        Where ``[reform_files]`` of a mapping are found (default: the current directory).

    Returns
    -------
    Grid

    Raises
    ------
    ScenarioError
        With every problem (file, key path, value, what was expected), or when the grid
        gives no variant or more than ``max_variants``.
    """
    if isinstance(source, Mapping):
        label, data, directory = "<grid>", dict(source), Path(base_dir or ".")
    else:
        label, directory = os.fspath(source), Path(source).parent
        chk = Checks(label, what="sweep grid")
        try:
            data = read_toml(source, "grid file")
        except TomlFileError as exc:
            chk.add(ROOT, None, exc.expected)
            chk.raise_if_any()
    chk = Checks(label, what="sweep grid")
    check_keys(chk, data, GRID_KEYS, ROOT)
    settings = subtable(chk, data, "sweep", ROOT)
    check_keys(chk, settings, ("max_variants",), ROOT.k("sweep"))
    bound = MAX_VARIANTS
    if "max_variants" in settings:
        bound = whole(chk, settings["max_variants"], ROOT.k("sweep").k("max_variants"), 1) or bound
    reform_files = _reform_files(chk, data, directory)
    raw_files = data.get("reform_files")  # a switch whose file is bad is still a known name
    switches = [str(k) for k in raw_files] if isinstance(raw_files, dict) else []
    objective = read_objective(chk, subtable(chk, data, "objective", ROOT), ROOT.k("objective"))
    axes: tuple[Axis, ...] = ()
    listed: tuple[tuple[str, tuple[Setting, ...]], ...] = ()
    if ("grid" in data) == ("variants" in data):
        chk.add(
            ROOT,
            None,
            "either a [grid] table (the product of value lists) or [[variants]] (one by one)",
        )
    elif "grid" in data:
        table = subtable(chk, data, "grid", ROOT)
        check_keys(chk, table, PARAMETERS, ROOT.k("grid"))
        params = _parameters(chk, table, ROOT.k("grid"), scenario, switches, many=True)
        axes = tuple(Axis(k, v) for k, v in params if v)
        if not params and not chk.problems:
            chk.add(ROOT.k("grid"), table, f"at least one parameter: {', '.join(PARAMETERS)}")
    else:
        listed = _listed(chk, data["variants"], scenario, switches)
    chk.raise_if_any()
    grid = Grid(axes, listed, reform_files, objective, bound, label)
    if grid.size > bound:
        sizes = " x ".join(str(len(a.values)) for a in axes)
        where = f"[grid] gives {sizes} = {grid.size:,}" if axes else f"{grid.size:,} [[variants]]"
        chk.add(
            ROOT,
            None,
            f"at most {bound:,} variants ({where}); sweep fewer values, or raise the bound "
            "with [sweep] max_variants if that many runs are meant",
        )
        chk.raise_if_any()
    return grid
