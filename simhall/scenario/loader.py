"""Read a scenario (TOML, ``extends`` overlays, an item CSV) into a frozen :class:`Scenario`.

The format is described in ``docs/scenario-format.md``. Loading happens in three passes:

1. **Read the chain.** The top file and every file it ``extends`` (relative to the
   extending file) are parsed with :mod:`tomllib`; a missing file or a cycle stops here.
2. **Merge.** Starting from the base, each file's item catalogue CSV (if any) and then its
   own tables are merged in: tables key by key (a distribution table with ``dist`` and an
   ``intraday`` table replace the old one whole), ``[[departments]]`` and ``[[items]]``
   entries by ``id`` (``remove = true`` deletes one), other arrays are replaced.
   ``[[reforms]]`` are collected, base first. While merging, every key path remembers the
   file (and CSV line) it came from, so that errors name the file to fix.
3. **Validate and build.** Every table is checked for unknown keys, every value for type
   and range; item values are looked up item -> group -> department ``item_defaults`` ->
   ``[defaults]`` -> built-in. All problems are collected and raised together as one
   :class:`~simhall.scenario.errors.ScenarioError`.
"""

from __future__ import annotations

import copy
import csv
import difflib
import io
import math
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, cast

from simhall.distributions import (
    DISTRIBUTIONS,
    Distribution,
    Fixed,
    Param,
    UniformInt,
    from_params,
)
from simhall.scenario.errors import Problem, ScenarioError
from simhall.scenario.schema import (
    WEEKDAY_NAMES,
    CalendarSpec,
    Courier,
    DelayStep,
    Demand,
    Department,
    Interval,
    Item,
    ParallelStep,
    Pool,
    RunSpec,
    Scenario,
    SessionSchedule,
    SessionStep,
    Step,
    VisitStep,
    WorkStep,
)

__all__ = ["distribution_to_toml", "load_scenario", "load_scenario_text", "parse_distribution"]

Unit = Literal["min", "days"]

# --------------------------------------------------------------------------- key sets

TOP_KEYS: tuple[str, ...] = (
    "extends",
    "items_csv",
    "scenario",
    "calendar",
    "run",
    "demand",
    "defaults",
    "groups",
    "routes",
    "departments",
    "items",
    "reforms",
)
SCENARIO_KEYS = ("name", "description", "synthetic")
CALENDAR_KEYS = (
    "start",
    "holidays",
    "extra_holidays",
    "extra_workdays",
    "opening",
    "opening_by_weekday",
    "evening",
)
RUN_KEYS = ("days", "warmup_days", "drain_days", "replications", "seed", "service_level")
DEMAND_KEYS = ("weekday_factors", "intraday")
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
COURIER_KEYS = ("times", "travel_min")
POOL_KEYS = ("staff", "in_hall", "hours")
SESSION_KEYS = ("weekdays", "times", "duration_min", "max_wait_days")
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
CSV_COLUMNS = (
    "id",
    "name",
    "department",
    "kind",
    "committed_days",
    "statutory_days",
    "daily_demand",
    "group",
    "route",
    "incomplete_prob",
    "tags",
)
_CSV_INT_COLUMNS = frozenset({"committed_days", "statutory_days"})
_CSV_FLOAT_COLUMNS = frozenset({"daily_demand", "incomplete_prob"})
STEP_KINDS = ("work", "signoff", "meeting", "delay", "visit", "parallel")
_STEP_COMMON = ("step", "kind", "department", "probability", "counts")
_STEP_KEYS: dict[str, tuple[str, ...]] = {
    "work": (*_STEP_COMMON, "pool", "duration"),
    "signoff": _STEP_COMMON,
    "meeting": _STEP_COMMON,
    "delay": (*_STEP_COMMON, "days"),
    "visit": (*_STEP_COMMON, "service", "forms", "fields"),
    "parallel": ("step", "kind", "probability", "counts", "branches"),
}
_ALL_STEP_KEYS = (
    *_STEP_COMMON,
    "pool",
    "duration",
    "days",
    "service",
    "forms",
    "fields",
    "branches",
)

_UNIT_WORD: dict[str, str] = {"min": "minutes", "days": "working days"}

_BUILTIN_RETURN_DELAY = UniformInt(low=1, high=5)
_PLACEHOLDER_DIST: Distribution = Fixed(value=0.0)
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_BARE_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+$")
_CSV_ROW_RE = re.compile(r"^items\[\d+\]\.?")
_ENTRY_RE = re.compile(r"^(items|departments)\[\d+\]")
_MISSING = object()

# --------------------------------------------------------------------------- locations


@dataclass(frozen=True)
class _Origin:
    """Where a value came from: a file and, for CSV rows, a line.

    ``index`` is the position of the ``[[departments]]``/``[[items]]`` entry in that file,
    which can differ from its position after merging.
    """

    file: str
    line: int | None = None
    index: int | None = None

    def where(self, path: str) -> str:
        """``path`` as seen in the file.

        For an entry, its index is the one in this file; for a CSV row the path becomes
        ``line N, <column>`` (the row's ``items[i].`` is dropped).
        """
        if self.line is None:
            if self.index is None:
                return path
            return _ENTRY_RE.sub(lambda m: f"{m.group(1)}[{self.index}]", path, count=1)
        rest = _CSV_ROW_RE.sub("", path)
        return f"line {self.line}, {rest}" if rest else f"line {self.line}"


@dataclass(frozen=True)
class _Loc:
    """A key path: ``text`` for messages, ``key`` for provenance look-up.

    In ``key``, entries of ``[[departments]]``/``[[items]]`` are ``("id", <id>)`` so that
    the file a value came from survives merging by id.
    """

    text: str
    key: tuple[object, ...]

    def k(self, name: str) -> _Loc:
        """The location of key ``name`` in this table."""
        part = name if _BARE_KEY_RE.match(name) else f'"{name}"'
        text = f"{self.text}.{part}" if self.text else part
        return _Loc(text, (*self.key, name))

    def i(self, index: int) -> _Loc:
        """The location of element ``index`` of this array."""
        return _Loc(f"{self.text}[{index}]", (*self.key, index))

    def entry(self, index: int, ident: str) -> _Loc:
        """The location of a ``[[departments]]``/``[[items]]`` entry with id ``ident``."""
        return _Loc(f"{self.text}[{index}]", (*self.key, ("id", ident)))


_ROOT = _Loc("", ())


class _Ctx:
    """Collects problems and knows which file each key path came from."""

    def __init__(self, default_file: str) -> None:
        self.problems: list[Problem] = []
        self.prov: dict[tuple[object, ...], _Origin] = {}
        self.default = _Origin(default_file)

    def origin(self, key: tuple[object, ...]) -> _Origin:
        """The origin of the longest recorded prefix of ``key``."""
        for n in range(len(key), 0, -1):
            found = self.prov.get(key[:n])
            if found is not None:
                return found
        return self.default

    def add(self, loc: _Loc, value: object, expected: str) -> None:
        """Record a problem at ``loc``, attributed to the file the value came from."""
        origin = self.origin(loc.key)
        self.problems.append(Problem(origin.file, origin.where(loc.text), value, expected))

    def add_blaming(self, loc: _Loc, value: object, expected: str, cause: _Loc) -> None:
        """Record a problem at ``loc`` in the file where ``cause`` (another key) came from."""
        origin = self.origin(cause.key)
        self.problems.append(Problem(origin.file, origin.where(loc.text), value, expected))

    def add_in(self, origin: _Origin, path: str, value: object, expected: str) -> None:
        """Record a problem in a known file."""
        self.problems.append(Problem(origin.file, origin.where(path), value, expected))


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` without repeats (a template used by many items reports once)."""
    seen: set[tuple[str, str, str, str]] = set()
    out: list[Problem] = []
    for p in problems:
        mark = (p.file, p.path, repr(p.value), p.expected)
        if mark not in seen:
            seen.add(mark)
            out.append(p)
    return out


def _suggest(word: object, options: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for a close match of ``word`` among ``options``, else ``""``."""
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _one_of(options: Iterable[str], word: object = None, quote: bool = True) -> str:
    """``"one of: "a", "b""`` plus a did-you-mean suggestion for ``word``."""
    opts = list(options)
    shown = ", ".join(f'"{o}"' if quote else o for o in opts)
    return f"one of: {shown}{_suggest(word, opts)}" if opts else "one of: (none defined)"


def _check_keys(ctx: _Ctx, table: Mapping[str, Any], allowed: Iterable[str], loc: _Loc) -> None:
    """Report every key of ``table`` not in ``allowed``."""
    allowed = tuple(allowed)
    for key, value in table.items():
        if key not in allowed:
            ctx.add(
                loc.k(key),
                value,
                f"unknown key; expected one of: {', '.join(allowed)}{_suggest(key, allowed)}",
            )


# --------------------------------------------------------------------------- scalar checks


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _int_value(ctx: _Ctx, value: object, loc: _Loc, minimum: int, what: str = "") -> int | None:
    """``value`` as an int ``>= minimum``, else a problem and ``None``."""
    expected = f"a whole number >= {minimum}{what}"
    if isinstance(value, bool):
        ctx.add(loc, value, f"{expected} (not true/false)")
        return None
    if not isinstance(value, int) or value < minimum:
        ctx.add(loc, value, expected)
        return None
    return value


def _num_value(
    ctx: _Ctx,
    value: object,
    loc: _Loc,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    what: str = "",
) -> float | None:
    """``value`` as a finite float within the bounds, else a problem and ``None``."""
    if low is not None and high is not None:
        lo = "(" if low_open else "["
        hi = ")" if high_open else "]"
        expected = f"a number in {lo}{_num_text(low)}, {_num_text(high)}{hi}"
    elif low is not None:
        expected = f"a number {'>' if low_open else '>='} {_num_text(low)}"
    elif high is not None:
        expected = f"a number {'<' if high_open else '<='} {_num_text(high)}"
    else:
        expected = "a number"
    expected += what
    if not _is_number(value):
        ctx.add(loc, value, expected)
        return None
    x = float(cast(float, value))
    bad = (low is not None and (x <= low if low_open else x < low)) or (
        high is not None and (x >= high if high_open else x > high)
    )
    if bad:
        ctx.add(loc, value, expected)
        return None
    return x


def _num_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _str_value(ctx: _Ctx, value: object, loc: _Loc, what: str = "a non-empty string") -> str | None:
    if not isinstance(value, str) or not value.strip():
        ctx.add(loc, value, what)
        return None
    return value


def _bool_value(ctx: _Ctx, value: object, loc: _Loc) -> bool | None:
    if not isinstance(value, bool):
        ctx.add(loc, value, "true or false")
        return None
    return value


def _choice(
    ctx: _Ctx, table: Mapping[str, Any], key: str, loc: _Loc, options: tuple[str, ...]
) -> str:
    """``table[key]`` if it is one of ``options`` (default: the first option)."""
    value = table.get(key, options[0])
    if value not in options:
        ctx.add(loc.k(key), value, _one_of(options, value))
        return options[0]
    return cast(str, value)


def _table(ctx: _Ctx, parent: Mapping[str, Any], key: str, loc: _Loc) -> dict[str, Any]:
    """``parent[key]`` if it is a table (``{}`` when missing; a problem if not a table)."""
    value = parent.get(key, _MISSING)
    if value is _MISSING:
        return {}
    if not isinstance(value, dict):
        ctx.add(loc.k(key), value, "a table")
        return {}
    return value


def _fmt_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _time(ctx: _Ctx, value: object, loc: _Loc) -> int | None:
    """``"HH:MM"`` as minutes after midnight, else a problem and ``None``."""
    expected = 'a time "HH:MM" from "00:00" to "24:00"'
    match = _TIME_RE.match(value) if isinstance(value, str) else None
    if match is None:
        ctx.add(loc, value, expected)
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    total = hours * 60 + minutes
    if minutes > 59 or total > 24 * 60:
        ctx.add(loc, value, expected)
        return None
    return total


def _times(ctx: _Ctx, value: object, loc: _Loc) -> tuple[int, ...]:
    """A non-empty list of times, sorted."""
    if not isinstance(value, list) or not value:
        ctx.add(loc, value, 'a non-empty list of times like ["10:00", "15:00"]')
        return ()
    out = [_time(ctx, v, loc.i(i)) for i, v in enumerate(value)]
    return tuple(sorted({t for t in out if t is not None}))


def _intervals(ctx: _Ctx, value: object, loc: _Loc) -> tuple[Interval, ...]:
    """A non-empty list of ``["HH:MM", "HH:MM"]`` intervals, in order and not overlapping."""
    if not isinstance(value, list) or not value:
        ctx.add(loc, value, 'a non-empty list of intervals like [["08:30", "12:00"]]')
        return ()
    out: list[Interval] = []
    for i, pair in enumerate(value):
        iloc = loc.i(i)
        if not isinstance(pair, list) or len(pair) != 2:
            ctx.add(iloc, pair, 'an interval ["HH:MM", "HH:MM"]')
            continue
        start, end = _time(ctx, pair[0], iloc.i(0)), _time(ctx, pair[1], iloc.i(1))
        if start is None or end is None:
            continue
        if start >= end:
            ctx.add(iloc, pair, "an interval [start, end] with start before end")
            continue
        if out and start < out[-1][1]:
            ctx.add(
                iloc,
                pair,
                f"intervals in order and not overlapping (this one starts before "
                f"{_fmt_time(out[-1][1])}, the end of the previous one)",
            )
            continue
        out.append((start, end))
    return tuple(out)


def _weekdays(ctx: _Ctx, value: object, loc: _Loc) -> tuple[int, ...]:
    if not isinstance(value, list) or not value:
        ctx.add(loc, value, 'a non-empty list of weekday names like ["tue", "fri"]')
        return ()
    out: set[int] = set()
    for i, name in enumerate(value):
        if name not in WEEKDAY_NAMES:
            ctx.add(loc.i(i), name, _one_of(WEEKDAY_NAMES, name))
        else:
            out.add(WEEKDAY_NAMES.index(name))
    return tuple(sorted(out))


def _dates(ctx: _Ctx, value: object, loc: _Loc) -> tuple[date, ...]:
    if not isinstance(value, list):
        ctx.add(loc, value, "a list of TOML dates like [2007-05-08]")
        return ()
    out: list[date] = []
    for i, day in enumerate(value):
        if not isinstance(day, date) or isinstance(day, datetime):
            ctx.add(loc.i(i), day, "a TOML date like 2007-05-08 (without quotes)")
        else:
            out.append(day)
    return tuple(sorted(set(out)))


# --------------------------------------------------------------------------- distributions


def _param_key(param: Param, unit: str) -> str:
    """The scenario-file key of ``param`` in ``unit`` (``mean_min``; ``shape`` as it is)."""
    return param.name if param.unitless else f"{param.name}_{unit}"


def _param_expectation(param: Param) -> str:
    if param.many:
        return "a non-empty list of numbers >= 0"
    if param.whole:
        return "a whole number >= 0"
    return "a number > 0" if param.positive else "a number >= 0"


def _dist(ctx: _Ctx, value: object, unit: Unit, loc: _Loc) -> Distribution | None:
    """Parse a distribution table whose parameters are in ``unit``; ``None`` on problems."""
    word = _UNIT_WORD[unit]
    other = "days" if unit == "min" else "min"
    if not isinstance(value, dict):
        ctx.add(
            loc,
            value,
            f'a distribution table like {{ dist = "exponential", mean_{unit} = 10 }} ({word})',
        )
        return None
    name = value.get("dist")
    names = tuple(n for n, c in DISTRIBUTIONS.items() if unit == "days" or not c.days_only)
    if name is None:
        ctx.add(loc.k("dist"), None, f"a distribution name, {_one_of(names)}")
        return None
    if name not in names:
        days_only = tuple(n for n, c in DISTRIBUTIONS.items() if c.days_only)
        extra = f" ({name} is for whole days only)" if name in days_only else ""
        ctx.add(loc.k("dist"), name, f"{_one_of(names, name)}{extra}")
        return None
    params = {p.name: p for p in DISTRIBUTIONS[name].parameters}
    keys = {p.name: _param_key(p, unit) for p in params.values()}
    ok = True
    for key, val in value.items():
        if key == "dist" or key in keys.values():
            continue
        base, _, suffix = key.rpartition("_")
        if suffix == other and base in params and not params[base].unitless:
            ctx.add(
                loc.k(key), val, f"{base}_{unit} (this value is in {word}, not {_UNIT_WORD[other]})"
            )
        else:
            allowed = ("dist", *keys.values())
            ctx.add(
                loc.k(key),
                val,
                f"unknown key; expected one of: {', '.join(allowed)}{_suggest(key, allowed)}",
            )
        ok = False
    got: dict[str, Any] = {}
    for param, key in keys.items():
        if key not in value:
            ctx.add(loc.k(key), None, f"{_param_expectation(params[param])} ({word})")
            ok = False
        else:
            got[param] = value[key]
    if not ok:
        return None
    return _build_dist(ctx, name, got, keys, unit, loc)


def _build_dist(
    ctx: _Ctx, name: str, got: dict[str, Any], keys: dict[str, str], unit: Unit, loc: _Loc
) -> Distribution | None:
    word = f" ({_UNIT_WORD[unit]})"
    nums: dict[str, Any] = {}
    for param in DISTRIBUTIONS[name].parameters:
        raw = got[param.name]
        ploc = loc.k(keys[param.name])
        if param.many:
            if not isinstance(raw, list) or not raw:
                ctx.add(ploc, raw, f"a non-empty list of numbers >= 0{word}")
                return None
            checked = [_num_value(ctx, v, ploc.i(i), low=0.0, what=word) for i, v in enumerate(raw)]
            if any(v is None for v in checked):
                return None
            nums[param.name] = checked
        elif param.whole:
            whole = _int_value(ctx, raw, ploc, 0, what=word)
            if whole is not None:
                nums[param.name] = whole
        else:
            x = _num_value(ctx, raw, ploc, low=0.0, low_open=param.positive, what=word)
            if x is not None:
                nums[param.name] = x
    if len(nums) != len(got):
        return None
    for param in DISTRIBUTIONS[name].parameters:
        before = param.at_least
        if before is not None and nums[param.name] < nums[before]:
            ctx.add(
                loc.k(keys[param.name]),
                got[param.name],
                f"a number >= {keys[before]} ({_num_text(nums[before])})",
            )
            return None
    try:
        return from_params(name, nums)
    except ValueError as exc:  # a safety net: the constructors check too
        ctx.add(loc, {"dist": name, **{keys[p]: v for p, v in got.items()}}, str(exc))
        return None


def parse_distribution(
    table: dict[str, Any], unit: Literal["min", "days"], path: str, file: str
) -> Distribution:
    """Parse one distribution table such as ``{dist = "lognormal", mean_min = 12, sd_min = 6}``.

    Parameters
    ----------
    table : dict
        The inline table as read from TOML.
    unit : {"min", "days"}
        The unit of the field holding it; parameter keys must carry this suffix.
    path : str
        Key path of the table, for messages (e.g. ``"items[3].window_service"``).
    file : str
        File name, for messages.

    Returns
    -------
    Distribution
        The distribution object.

    Raises
    ------
    ScenarioError
        With every problem found (unknown name, missing or extra keys, wrong unit suffix,
        values out of range).
    """
    if unit not in _UNIT_WORD:
        raise ValueError(f"unit must be 'min' or 'days', got {unit!r}")
    ctx = _Ctx(file)
    result = _dist(ctx, table, unit, _Loc(path, ()))
    if ctx.problems or result is None:
        raise ScenarioError(_unique(ctx.problems))
    return result


def distribution_to_toml(dist: Distribution, unit: str) -> dict[str, Any]:
    """The scenario-file table of ``dist`` with parameters in ``unit`` (inverse of parsing).

    Parameters
    ----------
    dist : Distribution
        A distribution from :mod:`simhall.distributions`.
    unit : {"min", "days"}
        Unit suffix for the parameter keys.

    Returns
    -------
    dict
        E.g. ``{"dist": "lognormal", "mean_min": 12.0, "sd_min": 6.0}``; ``parse_distribution``
        of it gives back an equal distribution.

    Raises
    ------
    ValueError
        For an unknown unit, a distribution without a scenario name, or ``uniform_int`` in
        minutes.
    """
    if unit not in _UNIT_WORD:
        raise ValueError(f"unit must be 'min' or 'days', got {unit!r}")
    name = dist.name
    if name not in DISTRIBUTIONS:
        raise ValueError(f"{type(dist).__name__} has no scenario-file name")
    if dist.days_only and unit == "min":
        raise ValueError(f"{name} is for whole days only")
    params = {p.name: p for p in dist.parameters}
    out: dict[str, Any] = {"dist": name}
    for param, value in dist.params().items():
        whole = params[param].whole and isinstance(value, float)
        out[_param_key(params[param], unit)] = int(cast(float, value)) if whole else value
    return out


# --------------------------------------------------------------------------- reading


@dataclass
class _Layer:
    """One file of the ``extends`` chain."""

    label: str
    data: dict[str, Any]
    directory: Path


def _child_label(parent_label: str, rel: str) -> str:
    """Label of a file named ``rel`` from the file labelled ``parent_label``."""
    if parent_label.startswith("<"):
        return rel
    return os.path.normpath(os.path.join(os.path.dirname(parent_label), rel))


def _parse_toml(ctx: _Ctx, text: str, label: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        ctx.add_in(_Origin(label), "", None, f"valid TOML: {exc}")
        return None


def _read_text(ctx: _Ctx, path: Path, label: str, encoding: str) -> str | None:
    try:
        return path.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        ctx.add_in(_Origin(label), "", None, f"a UTF-8 text file ({exc})")
    except OSError as exc:
        ctx.add_in(_Origin(label), "", None, f"a readable file ({exc.strerror or exc})")
    return None


def _read_chain(
    ctx: _Ctx, label: str, text: str, directory: Path, real: Path | None
) -> list[_Layer]:
    """The top file and the files it extends, base first."""
    layers: list[_Layer] = []
    visited: list[tuple[Path, str]] = [(real, label)] if real is not None else []
    while True:
        data = _parse_toml(ctx, text, label)
        if data is None:
            break
        layers.append(_Layer(label, data, directory))
        ext = data.get("extends", _MISSING)
        if ext is _MISSING:
            break
        if not isinstance(ext, str) or not ext.strip():
            ctx.add_in(_Origin(label), "extends", ext, "the path of a scenario file (a string)")
            break
        target = (directory / ext).resolve()
        target_label = _child_label(label, ext)
        chain = [lbl for _, lbl in visited]
        if any(target == seen for seen, _ in visited):
            cycle = " -> ".join([*chain, target_label])
            ctx.add_in(
                _Origin(label),
                "extends",
                ext,
                f"a file not already in the extends chain (cycle: {cycle})",
            )
            break
        if not target.is_file():
            ctx.add_in(_Origin(label), "extends", ext, f"an existing file (looked for {target})")
            break
        new_text = _read_text(ctx, target, target_label, "utf-8")
        if new_text is None:
            break
        visited.append((target, target_label))
        label, text, directory = target_label, new_text, target.parent
    layers.reverse()
    return layers


_EntrySource = tuple[object, _Origin, str]


def _read_csv(ctx: _Ctx, layer: _Layer, rel: object) -> list[_EntrySource] | None:
    """Rows of the layer's item CSV as item tables; ``None`` if the file cannot be read."""
    origin = _Origin(layer.label)
    if not isinstance(rel, str) or not rel.strip():
        ctx.add_in(origin, "items_csv", rel, "the path of a CSV file (a string)")
        return None
    path = layer.directory / rel
    label = _child_label(layer.label, rel)
    if not path.is_file():
        ctx.add_in(origin, "items_csv", rel, f"an existing CSV file (looked for {path.resolve()})")
        return None
    text = _read_text(ctx, path, label, "utf-8-sig")
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[_EntrySource] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                for col in header:
                    if col not in CSV_COLUMNS:
                        ctx.add_in(
                            _Origin(label, line),
                            "header",
                            col,
                            f"unknown column; expected one of: {', '.join(CSV_COLUMNS)}"
                            f"{_suggest(col, CSV_COLUMNS)}",
                        )
                if "id" not in header:
                    ctx.add_in(_Origin(label, line), "header", None, 'a column "id"')
                    return None
                continue
            row_origin = _Origin(label, line)
            display = f"items[{len(rows)}]"
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                ctx.add_in(
                    row_origin,
                    display,
                    cells,
                    f"at most {len(header)} cells, as many as header columns",
                )
            entry: dict[str, Any] = {}
            for col, cell in zip(header, cells, strict=False):
                cell = cell.strip()
                if not cell or col not in CSV_COLUMNS:
                    continue
                entry[col] = _csv_value(col, cell)
            rows.append((entry, row_origin, display))
    except csv.Error as exc:
        ctx.add_in(_Origin(label, reader.line_num), "", None, f"valid CSV ({exc})")
        return None
    return rows


def _csv_value(column: str, cell: str) -> object:
    """A CSV cell converted for its column; left as text if it does not convert.

    Text left in a numeric column is then reported by validation, with the CSV line.
    ``tags`` are separated by ``;``.
    """
    if column == "tags":
        return [tag.strip() for tag in cell.split(";") if tag.strip()]
    try:
        if column in _CSV_INT_COLUMNS:
            return int(cell)
        if column in _CSV_FLOAT_COLUMNS:
            return float(cell)
    except ValueError:
        return cell
    return cell


# --------------------------------------------------------------------------- merging


def _record(
    prov: dict[tuple[object, ...], _Origin], key: tuple[object, ...], value: object, origin: _Origin
) -> None:
    prov[key] = origin
    if isinstance(value, dict):
        for k, v in value.items():
            _record(prov, (*key, k), v, origin)


def _purge(prov: dict[tuple[object, ...], _Origin], key: tuple[object, ...]) -> None:
    n = len(key)
    for old in [k for k in prov if k[:n] == key]:
        del prov[old]


def _merge_value(
    ctx: _Ctx,
    container: dict[str, Any],
    key: str,
    value: Any,
    pkey: tuple[object, ...],
    origin: _Origin,
) -> None:
    """Merge ``value`` into ``container[key]``: tables key by key, everything else replaced.

    A table with ``dist`` (a whole new distribution) and ``intraday`` profiles replace the
    old table instead of merging into it.
    """
    old = container.get(key)
    if (
        isinstance(old, dict)
        and isinstance(value, dict)
        and "dist" not in value
        and key != "intraday"
    ):
        for k, v in value.items():
            _merge_value(ctx, old, k, v, (*pkey, k), origin)
        return
    if key in container:
        _purge(ctx.prov, pkey)
    container[key] = copy.deepcopy(value)
    _record(ctx.prov, pkey, value, origin)


def _merge_entries(ctx: _Ctx, acc: dict[str, Any], key: str, sources: list[_EntrySource]) -> None:
    """Merge ``[[departments]]`` or ``[[items]]`` entries of one file by ``id``."""
    entries: list[dict[str, Any]] = acc.setdefault(key, [])
    index = {e["id"]: e for e in entries}
    seen: dict[str, str] = {}
    noun = key[:-1]
    for entry, origin, text in sources:
        if not isinstance(entry, dict):
            ctx.add_in(origin, text, entry, f"a table (an [[{key}]] entry)")
            continue
        ident = entry.get("id")
        if not isinstance(ident, str) or not ident.strip():
            ctx.add_in(origin, f"{text}.id", ident, f"a non-empty string id of the {noun}")
            continue
        if ident in seen:
            ctx.add_in(origin, f"{text}.id", ident, f"a unique id (also used at {seen[ident]})")
            continue
        seen[ident] = f"{origin.file} {origin.where(text)}"
        remove = entry.get("remove", False)
        if not isinstance(remove, bool):
            ctx.add_in(origin, f"{text}.remove", remove, "true or false")
            continue
        pkey: tuple[object, ...] = (key, ("id", ident))
        if remove:
            if ident in index:
                target = index.pop(ident)
                entries[:] = [e for e in entries if e is not target]
                _purge(ctx.prov, pkey)
            else:
                ctx.add_in(
                    origin,
                    f"{text}.remove",
                    True,
                    f"an id defined in an earlier file (there is no {noun} {ident!r} to remove)",
                )
            continue
        body = {k: v for k, v in entry.items() if k != "remove"}
        if ident in index:
            for k, v in body.items():
                if k != "id":
                    _merge_value(ctx, index[ident], k, v, (*pkey, k), origin)
        else:
            new = copy.deepcopy(body)
            entries.append(new)
            index[ident] = new
            _record(ctx.prov, pkey, body, origin)


def _entry_sources(ctx: _Ctx, layer: _Layer, key: str) -> list[_EntrySource]:
    value = layer.data.get(key, _MISSING)
    if value is _MISSING:
        return []
    if not isinstance(value, list):
        ctx.add_in(_Origin(layer.label), key, value, f"an array of tables [[{key}]]")
        return []
    return [(entry, _Origin(layer.label, index=i), f"{key}[{i}]") for i, entry in enumerate(value)]


def _merge_chain(
    ctx: _Ctx, layers: list[_Layer]
) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]], bool]:
    """Merge the chain, base first; returns the data, the reforms and whether reading failed."""
    acc: dict[str, Any] = {}
    reforms: list[tuple[str, dict[str, Any]]] = []
    failed = False
    for layer in layers:
        origin = _Origin(layer.label)
        for key, value in layer.data.items():
            if key not in TOP_KEYS:
                ctx.add_in(
                    origin,
                    key,
                    value,
                    f"unknown key; expected one of: {', '.join(TOP_KEYS)}{_suggest(key, TOP_KEYS)}",
                )
        items = _entry_sources(ctx, layer, "items")
        if "items_csv" in layer.data:
            rows = _read_csv(ctx, layer, layer.data["items_csv"])
            if rows is None:
                failed = True
            else:
                items.extend(rows)
        for key, value in layer.data.items():
            if key in ("extends", "items_csv", "reforms", "items") or key not in TOP_KEYS:
                continue
            if key == "departments":
                _merge_entries(ctx, acc, key, _entry_sources(ctx, layer, key))
            else:
                _merge_value(ctx, acc, key, value, (key,), origin)
        if items or "items" in layer.data or "items_csv" in layer.data:
            _merge_entries(ctx, acc, "items", items)
        raw_reforms = layer.data.get("reforms", [])
        if not isinstance(raw_reforms, list):
            ctx.add_in(origin, "reforms", raw_reforms, "an array of tables [[reforms]]")
            continue
        for i, reform in enumerate(raw_reforms):
            if isinstance(reform, dict):
                reforms.append((layer.label, reform))
            else:
                ctx.add_in(origin, f"reforms[{i}]", reform, "a table (a [[reforms]] entry)")
    return acc, reforms, failed


# --------------------------------------------------------------------------- building


def _parse_scenario_table(ctx: _Ctx, data: dict[str, Any], stem: str) -> tuple[str, str, bool]:
    loc = _ROOT.k("scenario")
    table = _table(ctx, data, "scenario", _ROOT)
    _check_keys(ctx, table, SCENARIO_KEYS, loc)
    name = stem
    if "name" in table:
        name = _str_value(ctx, table["name"], loc.k("name")) or stem
    description = table.get("description", "")
    if not isinstance(description, str):
        ctx.add(loc.k("description"), description, "a string")
        description = ""
    synthetic = False
    if "synthetic" in table:
        synthetic = bool(_bool_value(ctx, table["synthetic"], loc.k("synthetic")))
    return name, description, synthetic


def _parse_calendar(ctx: _Ctx, data: dict[str, Any]) -> CalendarSpec:
    loc = _ROOT.k("calendar")
    table = _table(ctx, data, "calendar", _ROOT)
    _check_keys(ctx, table, CALENDAR_KEYS, loc)
    start = table.get("start")
    if start is None:
        ctx.add(loc.k("start"), None, "a TOML date like 2007-01-01 (the first day)")
        start = date(2000, 1, 1)
    elif not isinstance(start, date) or isinstance(start, datetime):
        ctx.add(loc.k("start"), start, "a TOML date like 2007-01-01 (without quotes)")
        start = date(2000, 1, 1)
    holidays = _choice(ctx, table, "holidays", loc, ("cn", "weekends-only", "custom"))
    extra_holidays = _dates(ctx, table.get("extra_holidays", []), loc.k("extra_holidays"))
    extra_workdays = _dates(ctx, table.get("extra_workdays", []), loc.k("extra_workdays"))
    opening = CalendarSpec(start=start).opening
    if "opening" in table:
        opening = _intervals(ctx, table["opening"], loc.k("opening")) or opening
    by_weekday: list[tuple[int, tuple[Interval, ...]]] = []
    obw_loc = loc.k("opening_by_weekday")
    obw = _table(ctx, table, "opening_by_weekday", loc)
    _check_keys(ctx, obw, WEEKDAY_NAMES, obw_loc)
    for day, sessions in obw.items():
        if day in WEEKDAY_NAMES:
            parsed = _intervals(ctx, sessions, obw_loc.k(day))
            if parsed:
                by_weekday.append((WEEKDAY_NAMES.index(day), parsed))
    evening = _choice(ctx, table, "evening", loc, ("overtime", "return_next_day"))
    return CalendarSpec(
        start=start,
        holidays=cast(Any, holidays),
        extra_holidays=extra_holidays,
        extra_workdays=extra_workdays,
        opening=opening,
        opening_by_weekday=tuple(sorted(by_weekday)),
        evening=cast(Any, evening),
    )


def _parse_run(ctx: _Ctx, data: dict[str, Any]) -> RunSpec:
    loc = _ROOT.k("run")
    table = _table(ctx, data, "run", _ROOT)
    _check_keys(ctx, table, RUN_KEYS, loc)
    base = RunSpec()
    minimums = {"days": 1, "warmup_days": 0, "drain_days": 0, "replications": 1, "seed": 0}
    values: dict[str, Any] = {}
    for key, minimum in minimums.items():
        if key in table:
            got = _int_value(ctx, table[key], loc.k(key), minimum)
            if got is not None:
                values[key] = got
    days = values.get("days", base.days)
    warmup = values.get("warmup_days", base.warmup_days)
    if "warmup_days" in values and warmup >= days:
        ctx.add(loc.k("warmup_days"), warmup, f"a whole number >= 0 and < days ({days})")
        values.pop("warmup_days")
    if "service_level" in table:
        level = _num_value(
            ctx,
            table["service_level"],
            loc.k("service_level"),
            low=0,
            high=1,
            low_open=True,
            high_open=True,
        )
        if level is not None:
            values["service_level"] = level
    return RunSpec(**values)


def _parse_session(ctx: _Ctx, value: object, loc: _Loc, on_holiday: str) -> SessionSchedule | None:
    if not isinstance(value, dict):
        ctx.add(loc, value, 'a table like { weekdays = ["tue"], times = ["16:00"] }')
        return None
    _check_keys(ctx, value, SESSION_KEYS, loc)
    weekdays = _weekdays(ctx, value.get("weekdays"), loc.k("weekdays"))
    times = _times(ctx, value.get("times"), loc.k("times"))
    duration = 0.0
    if "duration_min" in value:
        duration = _num_value(ctx, value["duration_min"], loc.k("duration_min"), low=0) or 0.0
    max_wait: float | None = None
    if "max_wait_days" in value:
        max_wait = _num_value(ctx, value["max_wait_days"], loc.k("max_wait_days"), low=0)
    return SessionSchedule(
        weekdays=weekdays,
        times_min=times,
        duration_min=duration,
        on_holiday=cast(Any, on_holiday),
        max_wait_days=max_wait,
    )


def _parse_pools(ctx: _Ctx, value: object, loc: _Loc, in_hall: bool) -> tuple[Pool, ...]:
    if not isinstance(value, dict):
        ctx.add(loc, value, "a table of pools like { section = 4 }")
        return ()
    pools: list[Pool] = []
    for name, spec in value.items():
        ploc = loc.k(name)
        if _is_int(spec) or isinstance(spec, bool):
            staff = _int_value(ctx, spec, ploc, 1, " (staff)")
            pools.append(Pool(name=name, staff=staff or 1, in_hall=in_hall))
            continue
        if not isinstance(spec, dict):
            ctx.add(ploc, spec, "a number of staff, or a table { staff = 1, in_hall = true }")
            continue
        _check_keys(ctx, spec, POOL_KEYS, ploc)
        staff = _int_value(ctx, spec.get("staff"), ploc.k("staff"), 1) if "staff" in spec else None
        if "staff" not in spec:
            ctx.add(ploc.k("staff"), None, "a whole number >= 1")
        pool_in_hall = in_hall
        if "in_hall" in spec:
            got = _bool_value(ctx, spec["in_hall"], ploc.k("in_hall"))
            pool_in_hall = in_hall if got is None else got
        hours = _intervals(ctx, spec["hours"], ploc.k("hours")) if "hours" in spec else None
        pools.append(Pool(name=name, staff=staff or 1, in_hall=pool_in_hall, hours=hours or None))
    return tuple(pools)


def _parse_department(
    ctx: _Ctx, raw: dict[str, Any], loc: _Loc
) -> tuple[Department, dict[str, Any]]:
    """A department and its raw ``item_defaults`` table."""
    _check_keys(ctx, raw, DEPARTMENT_KEYS, loc)
    ident = cast(str, raw["id"])
    name = ident
    if "name" in raw:
        name = _str_value(ctx, raw["name"], loc.k("name")) or ident
    windows: int | None = None
    if "windows" not in raw:
        ctx.add(loc.k("windows"), None, "a whole number >= 1 (every department has windows)")
    else:
        windows = _int_value(ctx, raw["windows"], loc.k("windows"), 1)
    back_office = _choice(ctx, raw, "back_office", loc, ("hall", "outside"))
    on_holiday = _choice(ctx, raw, "on_holiday", loc, ("next_working_day", "skip"))
    pools: tuple[Pool, ...] = ()
    if "pools" in raw:
        pools = _parse_pools(ctx, raw["pools"], loc.k("pools"), back_office == "hall")
    courier: Courier | None = None
    cloc = loc.k("courier")
    if "courier" in raw:
        spec = raw["courier"]
        if not isinstance(spec, dict):
            ctx.add(cloc, spec, 'a table like { times = ["10:00", "15:00"], travel_min = 40 }')
        else:
            _check_keys(ctx, spec, COURIER_KEYS, cloc)
            times = _times(ctx, spec.get("times"), cloc.k("times"))
            travel = Courier(times_min=()).travel_min
            if "travel_min" in spec:
                got = _num_value(ctx, spec["travel_min"], cloc.k("travel_min"), low=0)
                travel = travel if got is None else got
            courier = Courier(times_min=times, travel_min=travel)
    elif back_office == "outside" or any(not p.in_hall for p in pools):
        outside = [p.name for p in pools if not p.in_hall]
        if back_office == "outside":
            reason, cause = 'back_office = "outside"', loc.k("back_office")
        else:
            reason = f"pool {outside[0]!r} is outside the hall"
            cause = loc.k("pools").k(outside[0]).k("in_hall")
        ctx.add_blaming(
            cloc,
            None,
            f'a courier table like {{ times = ["10:00", "15:00"], travel_min = 40 }} ({reason})',
            cause,
        )
    signoff = (
        _parse_session(ctx, raw["signoff"], loc.k("signoff"), on_holiday)
        if "signoff" in raw
        else None
    )
    meeting = (
        _parse_session(ctx, raw["meeting"], loc.k("meeting"), on_holiday)
        if "meeting" in raw
        else None
    )
    item_defaults = _table(ctx, raw, "item_defaults", loc)
    _check_keys(ctx, item_defaults, INHERITABLE_KEYS, loc.k("item_defaults"))
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


@dataclass
class _Env:
    """What items are checked against: departments, groups, routes, defaults, calendar."""

    departments: dict[str, Department]
    dept_defaults: dict[str, tuple[dict[str, Any], _Loc]]
    groups: dict[str, dict[str, Any]]
    routes: dict[str, Any]
    defaults: dict[str, Any]
    demand: dict[str, Any]
    calendar: CalendarSpec
    used_routes: set[str]


def _parse_steps(
    ctx: _Ctx, value: object, loc: _Loc, dept: str | None, env: _Env
) -> tuple[Step, ...]:
    if not isinstance(value, list):
        ctx.add(loc, value, "a list of steps (inline tables), or the name of a route in [routes]")
        return ()
    steps = (_parse_step(ctx, raw, loc.i(i), dept, env) for i, raw in enumerate(value))
    return tuple(s for s in steps if s is not None)


def _parse_step(ctx: _Ctx, raw: object, loc: _Loc, dept: str | None, env: _Env) -> Step | None:
    if not isinstance(raw, dict):
        ctx.add(loc, raw, 'a step table like { step = "review", kind = "work", ... }')
        return None
    kind = raw.get("kind")
    if kind not in STEP_KINDS:
        ctx.add(loc.k("kind"), kind, f"a step kind, {_one_of(STEP_KINDS, kind)}")
        _check_keys(ctx, raw, _ALL_STEP_KEYS, loc)
        return None
    _check_keys(ctx, raw, _STEP_KEYS[kind], loc)
    name = _str_value(ctx, raw.get("step"), loc.k("step"), "a non-empty step name") or "?"
    probability = 1.0
    if "probability" in raw:
        got = _num_value(ctx, raw["probability"], loc.k("probability"), low=0, high=1)
        probability = 1.0 if got is None else got
    counts = True
    if "counts" in raw:
        got_counts = _bool_value(ctx, raw["counts"], loc.k("counts"))
        counts = True if got_counts is None else got_counts
    if kind == "parallel":
        branches = raw.get("branches")
        bloc = loc.k("branches")
        if not isinstance(branches, list) or not branches:
            ctx.add(bloc, branches, "a non-empty list of branches, each a non-empty list of steps")
            return None
        parsed: list[tuple[Step, ...]] = []
        for i, branch in enumerate(branches):
            if not isinstance(branch, list) or not branch:
                ctx.add(bloc.i(i), branch, "a non-empty list of steps")
                continue
            parsed.append(_parse_steps(ctx, branch, bloc.i(i), dept, env))
        return ParallelStep(
            name=name, branches=tuple(parsed), probability=probability, counts=counts
        )
    step_dept = dept
    if "department" in raw:
        value = raw["department"]
        if value in env.departments:
            step_dept = cast(str, value)
        else:
            ctx.add(
                loc.k("department"), value, f"a department id, {_one_of(env.departments, value)}"
            )
            step_dept = None
    department = env.departments.get(step_dept) if step_dept is not None else None
    if kind == "work":
        pool = _str_value(ctx, raw.get("pool"), loc.k("pool"), "the name of a pool") or "?"
        if department is not None and "pool" in raw and pool != "?":
            names = [p.name for p in department.pools]
            if pool not in names:
                where = f"a pool of department {department.id!r}"
                ctx.add(
                    loc.k("pool"),
                    pool,
                    f"{where}, {_one_of(names, pool)}" if names else f"{where} (it has no pools)",
                )
        duration = _dist(ctx, raw.get("duration"), "min", loc.k("duration"))
        return WorkStep(
            name=name,
            department=step_dept or "",
            pool=pool,
            duration=duration or _PLACEHOLDER_DIST,
            probability=probability,
            counts=counts,
        )
    if kind in ("signoff", "meeting"):
        if department is not None and getattr(department, kind) is None:
            ctx.add(
                loc.k("kind"),
                kind,
                f"a {kind} step of a department with {kind} sessions (department "
                f"{department.id!r} has no `{kind} = {{ weekdays = [...], times = [...] }}`)",
            )
        return SessionStep(
            name=name,
            department=step_dept or "",
            session=cast(Any, kind),
            probability=probability,
            counts=counts,
        )
    if kind == "visit":
        service = _dist(ctx, raw.get("service"), "min", loc.k("service"))
        forms = _int_value(ctx, raw["forms"], loc.k("forms"), 0) if "forms" in raw else 0
        fields = _int_value(ctx, raw["fields"], loc.k("fields"), 0) if "fields" in raw else 0
        return VisitStep(
            name=name,
            department=step_dept or "",
            service=service or _PLACEHOLDER_DIST,
            forms=forms or 0,
            fields=fields or 0,
            probability=probability,
            counts=counts,
        )
    days = _dist(ctx, raw.get("days"), "days", loc.k("days"))
    return DelayStep(
        name=name,
        department=step_dept or "",
        days=days or _PLACEHOLDER_DIST,
        probability=probability,
        counts=counts,
    )


def _weekday_factors(ctx: _Ctx, value: object, loc: _Loc) -> tuple[float, ...]:
    factors = [1.0] * 7
    if not isinstance(value, dict):
        ctx.add(loc, value, "a table like { mon = 1.2, fri = 0.8 }")
        return tuple(factors)
    _check_keys(ctx, value, WEEKDAY_NAMES, loc)
    for day, factor in value.items():
        if day in WEEKDAY_NAMES:
            got = _num_value(ctx, factor, loc.k(day), low=0)
            if got is not None:
                factors[WEEKDAY_NAMES.index(day)] = got
    return tuple(factors)


def _intraday(
    ctx: _Ctx, value: object, loc: _Loc, calendar: CalendarSpec
) -> tuple[tuple[int, int, float], ...]:
    close = calendar.opening[-1][1]
    if not isinstance(value, dict) or not value:
        ctx.add(loc, value, 'a non-empty table like { "08:30" = 1.0, "10:30" = 1.5 }')
        return ()
    points: list[tuple[int, float]] = []
    seen: dict[int, str] = {}
    for key, weight in value.items():
        kloc = loc.k(key)
        minute = _time(ctx, key, kloc)
        got = _num_value(ctx, weight, kloc, low=0)
        if minute is None or got is None:
            continue
        if minute in seen:
            ctx.add(kloc, weight, f"one weight per time ({key!r} repeats {seen[minute]!r})")
            continue
        if minute >= close:
            ctx.add(
                kloc,
                weight,
                f"a bin that starts before the hall's last closing time {_fmt_time(close)}",
            )
            continue
        seen[minute] = key
        points.append((minute, got))
    points.sort()
    if points and sum(w for _, w in points) <= 0:
        ctx.add(loc, value, "weights >= 0 with a positive sum")
        return ()
    bounds = [m for m, _ in points[1:]] + [close]
    return tuple((m, end, w) for (m, w), end in zip(points, bounds, strict=True))


def _parse_item(ctx: _Ctx, raw: dict[str, Any], loc: _Loc, env: _Env) -> Item:
    _check_keys(ctx, raw, ITEM_KEYS, loc)
    ident = cast(str, raw["id"])
    name = ident
    if "name" in raw:
        name = _str_value(ctx, raw["name"], loc.k("name")) or ident
    dept_id: str | None = None
    value = raw.get("department")
    if value is None:
        ctx.add(loc.k("department"), None, f"a department id, {_one_of(env.departments)}")
    elif value not in env.departments:
        ctx.add(loc.k("department"), value, f"a department id, {_one_of(env.departments, value)}")
    else:
        dept_id = cast(str, value)
    group: str | None = None
    levels: list[tuple[dict[str, Any], _Loc]] = [(raw, loc)]
    if "group" in raw:
        value = raw["group"]
        if value in env.groups:
            group = cast(str, value)
            levels.append((env.groups[group], _ROOT.k("groups").k(group)))
        else:
            ctx.add(loc.k("group"), value, f"a group in [groups], {_one_of(env.groups, value)}")
    tags: list[str] = []
    if "tags" in raw:
        tags = _tags(ctx, raw["tags"], loc.k("tags"))
    if dept_id is not None:
        levels.append(env.dept_defaults[dept_id])
    levels.append((env.defaults, _ROOT.k("defaults")))
    sources = "on the item, its group, its department's item_defaults or [defaults]"

    def look(key: str, extra: tuple[tuple[dict[str, Any], _Loc], ...] = ()) -> tuple[Any, _Loc]:
        for table, where in (*levels, *extra):
            if key in table:
                return table[key], where.k(key)
        return _MISSING, loc.k(key)

    kind_value, kind_loc = look("kind")
    kind = "commitment"
    if kind_value is _MISSING:
        ctx.add(kind_loc, None, f'"onsite" or "commitment" ({sources})')
    elif kind_value not in ("onsite", "commitment"):
        ctx.add(kind_loc, kind_value, _one_of(("onsite", "commitment"), kind_value))
    else:
        kind = kind_value

    demand_value, demand_loc = look("daily_demand")
    daily = 0.0
    if demand_value is _MISSING:
        ctx.add(demand_loc, None, f"a number >= 0 (tickets per working day; {sources})")
    else:
        daily = _num_value(ctx, demand_value, demand_loc, low=0) or 0.0

    ws_value, ws_loc = look("window_service")
    window_service: Distribution | None = None
    if ws_value is _MISSING:
        ctx.add(ws_loc, None, f"a distribution in minutes ({sources})")
    else:
        window_service = _dist(ctx, ws_value, "min", ws_loc)

    ip_value, ip_loc = look("incomplete_prob")
    incomplete = 0.0
    if ip_value is not _MISSING:
        incomplete = _num_value(ctx, ip_value, ip_loc, low=0, high=1) or 0.0

    rd_value, rd_loc = look("return_delay")
    return_delay: Distribution | None = _BUILTIN_RETURN_DELAY
    if rd_value is not _MISSING:
        return_delay = _dist(ctx, rd_value, "days", rd_loc)

    cd_value, cd_loc = look("committed_days")
    committed: int | None = None
    if cd_value is not _MISSING:
        committed = _int_value(ctx, cd_value, cd_loc, 0, " (working days)")
    elif kind == "commitment":
        ctx.add(cd_loc, None, f"a whole number >= 0 (working days; commitment items; {sources})")
    else:
        committed = 0
    sd_value, sd_loc = look("statutory_days")
    statutory: int | None = None
    if sd_value is not _MISSING:
        statutory = _int_value(ctx, sd_value, sd_loc, 0, " (working days)")
    if committed is not None and statutory is not None and committed > statutory:
        ctx.add(cd_loc, committed, f"a whole number <= statutory_days ({statutory})")

    route: tuple[Step, ...] = ()
    if kind == "onsite":
        own = raw.get("route")
        if own not in (None, [], ""):
            ctx.add(loc.k("route"), own, "no route: onsite items finish at the window")
    else:
        route_value, route_loc = look("route")
        if isinstance(route_value, str):
            if route_value in env.routes:
                env.used_routes.add(route_value)
                route = _parse_steps(
                    ctx, env.routes[route_value], _ROOT.k("routes").k(route_value), dept_id, env
                )
            else:
                ctx.add(
                    route_loc,
                    route_value,
                    f"a route in [routes], {_one_of(env.routes, route_value)}",
                )
        elif route_value is not _MISSING:
            route = _parse_steps(ctx, route_value, route_loc, dept_id, env)

    demand_level = ((env.demand, _ROOT.k("demand")),)
    wf_value, wf_loc = look("weekday_factors", demand_level)
    factors: tuple[float, ...] = (1.0,) * 7
    if wf_value is not _MISSING:
        factors = _weekday_factors(ctx, wf_value, wf_loc)
    in_value, in_loc = look("intraday", demand_level)
    opening = env.calendar.opening
    intraday: tuple[tuple[int, int, float], ...] = ((opening[0][0], opening[-1][1], 1.0),)
    if in_value is not _MISSING:
        intraday = _intraday(ctx, in_value, in_loc, env.calendar) or intraday

    return Item(
        id=ident,
        name=name,
        department=dept_id or "",
        kind=cast(Any, kind),
        demand=Demand(daily_volume=daily, weekday_factors=factors, intraday=intraday),
        window_service=window_service or _PLACEHOLDER_DIST,
        committed_days=committed,
        statutory_days=statutory,
        incomplete_prob=incomplete,
        return_delay=return_delay or _BUILTIN_RETURN_DELAY,
        route=route,
        group=group,
        tags=tuple(tags),
        forms=(_int_value(ctx, raw["forms"], loc.k("forms"), 0) or 0) if "forms" in raw else 0,
        fields=(_int_value(ctx, raw["fields"], loc.k("fields"), 0) or 0) if "fields" in raw else 0,
    )


def _tags(ctx: _Ctx, value: object, loc: _Loc) -> list[str]:
    """A list of non-empty strings, without repeats."""
    if not isinstance(value, list):
        ctx.add(loc, value, 'a list of tags like ["compressed_2007"]')
        return []
    tags: list[str] = []
    for i, tag in enumerate(value):
        if _str_value(ctx, tag, loc.i(i), "a non-empty string tag") is not None and tag not in tags:
            tags.append(tag)
    return tags


def _build(
    ctx: _Ctx,
    data: dict[str, Any],
    reforms: list[tuple[str, dict[str, Any]]],
    source: str,
    stem: str,
) -> Scenario:
    name, description, synthetic = _parse_scenario_table(ctx, data, stem)
    calendar = _parse_calendar(ctx, data)
    run = _parse_run(ctx, data)

    demand = _table(ctx, data, "demand", _ROOT)
    _check_keys(ctx, demand, DEMAND_KEYS, _ROOT.k("demand"))
    defaults = _table(ctx, data, "defaults", _ROOT)
    _check_keys(ctx, defaults, INHERITABLE_KEYS, _ROOT.k("defaults"))
    groups: dict[str, dict[str, Any]] = {}
    gloc = _ROOT.k("groups")
    for gname, gtable in _table(ctx, data, "groups", _ROOT).items():
        if not isinstance(gtable, dict):
            ctx.add(gloc.k(gname), gtable, "a table of item defaults")
            continue
        _check_keys(ctx, gtable, INHERITABLE_KEYS, gloc.k(gname))
        groups[gname] = gtable
    routes = _table(ctx, data, "routes", _ROOT)

    departments: list[Department] = []
    dept_defaults: dict[str, tuple[dict[str, Any], _Loc]] = {}
    dloc = _ROOT.k("departments")
    for i, raw in enumerate(data.get("departments", [])):
        loc = dloc.entry(i, raw["id"])
        department, item_defaults = _parse_department(ctx, raw, loc)
        departments.append(department)
        dept_defaults[department.id] = (item_defaults, loc.k("item_defaults"))
    env = _Env(
        departments={d.id: d for d in departments},
        dept_defaults=dept_defaults,
        groups=groups,
        routes=routes,
        defaults=defaults,
        demand=demand,
        calendar=calendar,
        used_routes=set(),
    )
    items: list[Item] = []
    iloc = _ROOT.k("items")
    for i, raw in enumerate(data.get("items", [])):
        items.append(_parse_item(ctx, raw, iloc.entry(i, raw["id"]), env))
    for rname, steps in routes.items():
        if rname not in env.used_routes:
            _parse_steps(ctx, steps, _ROOT.k("routes").k(rname), None, env)
    if not departments:
        ctx.add(dloc, None, "at least one [[departments]] entry (the hall is empty)")
    if not items:
        ctx.add(iloc, None, "at least one [[items]] entry or an items_csv catalogue row")
    return Scenario(
        name=name,
        calendar=calendar,
        departments=tuple(departments),
        items=tuple(items),
        run=run,
        description=description,
        synthetic=synthetic,
        source=source,
        reforms=tuple(reforms),
    )


def _load(label: str, text: str, directory: Path, real: Path | None, stem: str) -> Scenario:
    ctx = _Ctx(label)
    layers = _read_chain(ctx, label, text, directory, real)
    if ctx.problems:
        raise ScenarioError(_unique(ctx.problems))
    data, reforms, failed = _merge_chain(ctx, layers)
    if failed:
        raise ScenarioError(_unique(ctx.problems))
    scenario = _build(ctx, data, reforms, label, stem)
    if ctx.problems:
        raise ScenarioError(_unique(ctx.problems))
    return scenario


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Load, merge and check a scenario file.

    Parameters
    ----------
    path : str or os.PathLike
        The TOML file. ``extends`` and ``items_csv`` are resolved relative to the file that
        names them.

    Returns
    -------
    Scenario
        The frozen scenario; ``source`` is ``path`` as given.

    Raises
    ------
    ScenarioError
        With every problem found, each naming the file (CSV line), key path, value and
        what was expected.
    """
    label = os.fspath(path)
    file = Path(label)
    ctx = _Ctx(label)
    text = _read_text(ctx, file, label, "utf-8") if file.is_file() else None
    if text is None:
        if not ctx.problems:
            ctx.add_in(_Origin(label), "", None, "an existing scenario file")
        raise ScenarioError(ctx.problems)
    return _load(label, text, file.parent, file.resolve(), file.stem)


def load_scenario_text(
    text: str, *, name: str = "<string>", base_dir: Path | None = None
) -> Scenario:
    """Load a scenario from TOML text (for tests and notebooks).

    Parameters
    ----------
    text : str
        The TOML source.
    name : str, optional
        Label used in messages and as ``Scenario.source``; the scenario name defaults to
        its stem unless ``[scenario].name`` is given.
    base_dir : Path, optional
        Directory against which ``extends`` and ``items_csv`` are resolved (default: the
        current directory).

    Returns
    -------
    Scenario
        The frozen scenario.

    Raises
    ------
    ScenarioError
        With every problem found.
    """
    directory = Path(base_dir) if base_dir is not None else Path.cwd()
    return _load(name, text, directory, None, Path(name).stem or name)
