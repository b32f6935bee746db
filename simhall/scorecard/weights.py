"""The scorecard's structure: dimensions, areas, weighted sub-items and their inputs.

An evaluation scheme is a form the evaluation office fills in for every window: so many
points for each sub-item (细则), each sub-item under one area (窗口建设, 窗口服务, 项目办理,
窗口管理) and one dimension (执行力, 发展力, 公信力), the points summing to 100, the total
entering the city's assessment of the bureau at a share. A sub-item is scored either from an
indicator a case log holds (full marks at ``full``, none at ``zero``, linear between) or from
an input (a score of 0 to 100 per department: public feedback, management checks) with a
``default`` for departments not listed.

The file is read with the scenario's problem collector (:mod:`simhall.scenario.checks`):
every mistake at once, each with the file, the key path, the value and what was expected
(:class:`WeightsError`, exit status 2 on the command line). :data:`BUNDLED` is the Huainan
2007 scheme (structure after the report, weights assumed).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
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
    unique,
)
from simhall.scenario.errors import Problem
from simhall.scorecard.indicators import INDICATORS
from simhall.tomlfile import TomlFileError, read_toml

__all__ = [
    "BUNDLED",
    "SubItem",
    "Weights",
    "WeightsError",
    "bundled_path",
    "read_weights",
    "weights_from_mapping",
]

BUNDLED = "huainan_2007"
"""The scheme used when no weights file is given."""

TOTAL_POINTS = 100.0
"""What the sub-items' weights must sum to."""

_TOP = ("scorecard", "dimensions", "areas", "subitems", "inputs")
_HEAD = ("name", "assessment_share", "weights_assumed")
_SUB = ("id", "name", "area", "dimension", "weight", "indicator", "full", "zero", "default")


class WeightsError(ValueError):
    """A weights file that cannot be used; ``str()`` lists every problem."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(["invalid scorecard weights", *(str(p) for p in self.problems)])


@dataclass(frozen=True)
class SubItem:
    """One sub-item of the scheme.

    Parameters
    ----------
    id, name : str
    area, dimension : str
        Ids of its area and dimension.
    weight : float
        Points at full marks.
    indicator : str or None
        An :data:`~simhall.scorecard.indicators.INDICATORS` key, or ``None`` for an input.
    full, zero : float or None
        The indicator values scoring full marks and none (``full < zero``: lower is better).
    default : float or None
        An input's score (0-100) for departments the inputs do not list.
    """

    id: str
    name: str
    area: str
    dimension: str
    weight: float
    indicator: str | None = None
    full: float | None = None
    zero: float | None = None
    default: float | None = None

    def fraction(self, value: float) -> float:
        """The share of full marks an indicator value earns (NaN stays NaN)."""
        if self.full is None or self.zero is None or math.isnan(value):
            return math.nan
        return min(1.0, max(0.0, (value - self.zero) / (self.full - self.zero)))


@dataclass(frozen=True)
class Weights:
    """A scorecard scheme (see the module docstring)."""

    name: str
    assessment_share: float
    weights_assumed: bool
    dimensions: tuple[tuple[str, str], ...]
    areas: tuple[tuple[str, str], ...]
    subitems: tuple[SubItem, ...]
    inputs: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    source: str = ""

    def check_departments(self, departments: Iterable[str]) -> None:
        """Raise WeightsError if an input names a department the data does not have, or an
        input without a default misses one."""
        known = list(departments)
        chk = Checks(self.source or "<weights>")
        for sub in self.subitems:
            given = self.inputs.get(sub.id, {})
            for dept in given:
                if dept not in known:
                    value = given[dept]
                    shown = int(value) if float(value).is_integer() else value  # as written
                    chk.add(ROOT.k("inputs").k(sub.id).k(dept), shown, one_of(known, dept))
            if sub.indicator is None and sub.default is None:
                for dept in known:
                    if dept not in given:
                        loc = ROOT.k("inputs").k(sub.id).k(dept)
                        chk.add(loc, None, "a score 0-100 (the sub-item has no default)")
        if chk.problems:
            raise WeightsError(unique(chk.problems))


def bundled_path(name: str = BUNDLED) -> Path:
    """The path of a bundled scheme (``simhall/data/scorecard/<name>.toml``)."""
    return Path(str(resources.files("simhall").joinpath("data", "scorecard", f"{name}.toml")))


def _named(chk: Checks, data: Mapping[str, Any], key: str) -> tuple[tuple[str, str], ...]:
    table = subtable(chk, data, key, ROOT)
    if not table:
        chk.add(ROOT.k(key), None, f'a table {{ id = "name" }} of the scheme\'s {key}')
    out = []
    for ident, name in table.items():
        got = text(chk, name, ROOT.k(key).k(ident), "a name (a non-empty string)")
        out.append((ident, got or ident))
    return tuple(out)


def _subitem(
    chk: Checks, raw: object, loc: Loc, areas: list[str], dims: list[str]
) -> SubItem | None:
    if not isinstance(raw, dict):
        chk.add(loc, raw, "a [[subitems]] table")
        return None
    check_keys(chk, raw, _SUB, loc)
    ident = text(chk, raw.get("id"), loc.k("id"))
    name = text(chk, raw.get("name"), loc.k("name"))
    area = raw.get("area")
    if area not in areas:
        chk.add(loc.k("area"), area, one_of(areas, area))
    dim = raw.get("dimension")
    if dim not in dims:
        chk.add(loc.k("dimension"), dim, one_of(dims, dim))
    weight = number(chk, raw.get("weight"), loc.k("weight"), low=0, low_open=True, what=" (points)")
    indicator = raw.get("indicator")
    full = zero = default = None
    if indicator is None:
        for key in ("full", "zero"):
            if key in raw:
                chk.add(loc.k(key), raw[key], "no scoring band: the sub-item is an input")
        if "default" in raw:
            default = number(chk, raw["default"], loc.k("default"), low=0, high=100)
    else:
        if indicator not in INDICATORS:
            chk.add(loc.k("indicator"), indicator, one_of(INDICATORS, indicator))
        full = number(chk, raw.get("full"), loc.k("full"), low=0, what=" (the value scoring full)")
        zero = number(chk, raw.get("zero"), loc.k("zero"), low=0, what=" (the value scoring none)")
        if full is not None and zero is not None and full == zero:
            chk.add(loc.k("zero"), raw.get("zero"), f"a value other than full = {full:g}")
        if "default" in raw:
            chk.add(loc.k("default"), raw["default"], "no default: the log gives the value")
    if None in (ident, name, weight) or area not in areas or dim not in dims:
        return None
    return SubItem(
        str(ident),
        str(name),
        str(area),
        str(dim),
        float(weight or 0),
        indicator,
        full,
        zero,
        default,
    )


def _inputs(
    chk: Checks, data: Mapping[str, Any], subitems: list[SubItem]
) -> dict[str, dict[str, float]]:
    inputs = subtable(chk, data, "inputs", ROOT)
    kinds = {s.id: s.indicator for s in subitems}
    out: dict[str, dict[str, float]] = {}
    for sub_id, table in inputs.items():
        loc = ROOT.k("inputs").k(sub_id)
        if sub_id not in kinds:
            chk.add(loc, table, f"a sub-item; {one_of(kinds, sub_id)}")
            continue
        if kinds[sub_id] is not None:
            chk.add(loc, table, f"an input sub-item ({sub_id!r} is computed from the log)")
            continue
        if not isinstance(table, dict):
            chk.add(loc, table, "a table { department = score 0-100 }")
            continue
        scores = {}
        for dept, value in table.items():
            got = number(chk, value, loc.k(dept), low=0, high=100, what=" (a score)")
            if got is not None:
                scores[dept] = got
        out[sub_id] = scores
    return out


def weights_from_mapping(data: Mapping[str, Any], source: str = "<weights>") -> Weights:
    """A scheme from a mapping shaped like the TOML file; WeightsError lists every problem."""
    chk = Checks(source)
    check_keys(chk, data, _TOP, ROOT)
    head = subtable(chk, data, "scorecard", ROOT)
    check_keys(chk, head, _HEAD, ROOT.k("scorecard"))
    name = text(chk, head.get("name", Path(source).stem), ROOT.k("scorecard").k("name"))
    share = number(
        chk, head.get("assessment_share", 1.0), ROOT.k("scorecard").k("assessment_share"),
        low=0, high=1, low_open=True,
    )  # fmt: skip
    assumed = flag(
        chk, head.get("weights_assumed", False), ROOT.k("scorecard").k("weights_assumed")
    )
    dims, areas = _named(chk, data, "dimensions"), _named(chk, data, "areas")
    for ident, _ in areas:
        if ident in dict(dims):
            chk.add(ROOT.k("areas").k(ident), ident, "an id that is not also a dimension's")
    raw = data.get("subitems")
    subitems: list[SubItem] = []
    if not isinstance(raw, list) or not raw:
        chk.add(ROOT.k("subitems"), raw, "a non-empty array of [[subitems]] tables")
        raw = []
    seen: set[str] = set()
    for k, entry in enumerate(raw):
        sub = _subitem(
            chk, entry, ROOT.k("subitems").i(k), [a for a, _ in areas], [d for d, _ in dims]
        )
        if sub is not None and sub.id in seen:
            chk.add(ROOT.k("subitems").i(k).k("id"), sub.id, "an id not used by another sub-item")
        elif sub is not None:
            seen.add(sub.id)
            subitems.append(sub)
    total = sum(s.weight for s in subitems)
    if subitems and len(subitems) == len(raw) and abs(total - TOTAL_POINTS) > 1e-6:
        chk.add(ROOT.k("subitems"), f"weights summing to {total:g}", "weights summing to 100")
    inputs = _inputs(chk, data, subitems)
    if chk.problems:
        raise WeightsError(unique(chk.problems))
    return Weights(
        str(name), float(share or 0), bool(assumed), dims, areas, tuple(subitems), inputs, source
    )


def read_weights(path: str | os.PathLike[str] | None = None) -> Weights:
    """Read a weights file (default: the bundled :data:`BUNDLED` scheme).

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    WeightsError
        Invalid TOML or any problem of its values, each with the file and key path.
    """
    p = Path(path) if path is not None else bundled_path()
    if not p.is_file():
        raise FileNotFoundError(2, "no such weights file", str(p))
    label = str(path) if path is not None else f"{BUNDLED}.toml (bundled)"
    try:
        data = read_toml(p, "weights file")
    except TomlFileError as exc:
        raise WeightsError([Problem(label, "", None, exc.expected)]) from None
    return weights_from_mapping(data, label)
