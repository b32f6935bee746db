"""One problem collector for everything read from files: scenarios, reforms, tolerances.

A checker reading a scenario file is like a clerk checking an application form at the
acceptance window (受理): every missing or wrong field is marked on one slip, with where it
is on the form and what belongs there, and the applicant gets the whole slip at once
(一次性告知) instead of coming back once per mistake. :class:`Checks` is that slip.

How to use it
-------------
1. Make a collector for the file being read: ``chk = Checks("tolerances.toml")``.
2. Walk the data with locations: :data:`ROOT` is the top of the file, ``loc.k("run")`` a
   key in a table, ``loc.i(2)`` an element of an array, ``loc.entry(i, ident)`` an
   ``[[items]]``/``[[departments]]`` entry (so that provenance survives merging by id).
3. Read each value through a checker; each returns the value (converted) or ``None`` after
   recording a problem, so reading goes on and every problem is found:

   ========================  ===============================================================
   :func:`check_keys`        unknown keys of a table (with a did-you-mean suggestion)
   :func:`subtable`          a sub-table (``{}`` when missing)
   :func:`whole`             a whole number >= a minimum (``true`` is not a number)
   :func:`number`            a finite number within bounds, open or closed
   :func:`text`              a non-empty string
   :func:`flag`              ``true`` or ``false``
   :func:`choice`            one of a few words
   :func:`strings`           a non-empty list of non-empty strings
   :func:`clock_time`        ``"HH:MM"`` as minutes after midnight
   :func:`clock_times`       a non-empty list of clock times
   :func:`intervals`         ``[["08:30", "12:00"], ...]``, in order, not overlapping
   :func:`weekdays`          ``["mon", "fri"]`` as weekday numbers
   :func:`dates`             a list of TOML dates
   ========================  ===============================================================

   Distribution tables are read by
   :func:`simhall.scenario.distribution_tables.distribution` with the same collector.
   A rule of one domain (e.g. "a department id of the scenario") is a small function that
   calls :meth:`Checks.add` with :func:`one_of` or :func:`suggest`.
4. ``chk.raise_if_any()`` raises one :class:`~simhall.scenario.errors.ScenarioError` with
   every problem (repeats removed), each printed as
   ``file: key.path = value: expected ...``.

Values merged from several files (``extends`` overlays, CSV catalogues) remember where
they came from in ``chk.provenance`` (key tuple -> :class:`Origin`); a problem is then
reported in the file, and for CSV rows at the line, that the bad value came from.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from simhall.scenario.errors import Problem, ScenarioError, show_value
from simhall.scenario.schema import WEEKDAY_NAMES, Interval

__all__ = [
    "MISSING",
    "ROOT",
    "Checks",
    "Loc",
    "Origin",
    "check_keys",
    "choice",
    "clock_time",
    "clock_times",
    "dates",
    "flag",
    "fmt_time",
    "intervals",
    "num_text",
    "number",
    "one_of",
    "strings",
    "subtable",
    "suggest",
    "text",
    "unique",
    "weekdays",
    "whole",
]

MISSING: Any = object()
"""Marker for a key that is not there (``None`` is a possible value of some keys)."""

_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_BARE_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+$")
_CSV_ROW_RE = re.compile(r"^items\[\d+\]\.?")
_ENTRY_RE = re.compile(r"^(items|departments)\[\d+\]")

# --------------------------------------------------------------------------- locations


@dataclass(frozen=True)
class Origin:
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
class Loc:
    """A key path: ``text`` for messages, ``key`` for provenance look-up.

    In ``key``, entries of ``[[departments]]``/``[[items]]`` are ``("id", <id>)`` so that
    the file a value came from survives merging by id.
    """

    text: str
    key: tuple[object, ...] = ()

    def k(self, name: str) -> Loc:
        """The location of key ``name`` in this table (quoted unless a bare TOML key)."""
        part = name if _BARE_KEY_RE.match(name) else f'"{name}"'
        text = f"{self.text}.{part}" if self.text else part
        return Loc(text, (*self.key, name))

    def i(self, index: int) -> Loc:
        """The location of element ``index`` of this array."""
        return Loc(f"{self.text}[{index}]", (*self.key, index))

    def entry(self, index: int, ident: str) -> Loc:
        """The location of a ``[[departments]]``/``[[items]]`` entry with id ``ident``."""
        return Loc(f"{self.text}[{index}]", (*self.key, ("id", ident)))


ROOT = Loc("", ())
"""The top of a file."""

# --------------------------------------------------------------------------- the collector


class Checks:
    """Collects the problems of one reading, each attributed to the file it is in.

    Parameters
    ----------
    file : str
        The file problems are reported in unless ``provenance`` knows better.
    what : str
        What is being read, for the heading of the error (``"invalid sweep grid"``).
    """

    def __init__(self, file: str, what: str = "scenario") -> None:
        self.what = what
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.provenance: dict[tuple[object, ...], Origin] = {}
        self.default = Origin(file)

    def origin(self, key: tuple[object, ...]) -> Origin:
        """The origin of the longest recorded prefix of ``key``."""
        for n in range(len(key), 0, -1):
            found = self.provenance.get(key[:n])
            if found is not None:
                return found
        return self.default

    def add(self, loc: Loc, value: object, expected: str) -> None:
        """Record a problem at ``loc``, attributed to the file the value came from.

        ``value`` is ``None`` for a missing key; ``expected`` says what belongs there
        (``"a number > 0"``) or starts with ``"unknown"``.
        """
        self.add_blaming(loc, value, expected, loc)

    def add_blaming(self, loc: Loc, value: object, expected: str, cause: Loc) -> None:
        """Record a problem at ``loc`` in the file where ``cause`` (another key) came from."""
        origin = self.origin(cause.key)
        self.problems.append(Problem(origin.file, origin.where(loc.text), value, expected))

    def add_in(self, origin: Origin, path: str, value: object, expected: str) -> None:
        """Record a problem in a known file (``path`` as written there)."""
        self.problems.append(Problem(origin.file, origin.where(path), value, expected))

    def warn(self, loc: Loc, value: object, message: str) -> None:
        """Record something that may be meant but is unusual (printed, not fatal):
        ``file: path = value: message``."""
        origin = self.origin(loc.key)
        warning = f"{origin.file}: {origin.where(loc.text)} = {show_value(value)}: {message}"
        if warning not in self.warnings:
            self.warnings.append(warning)

    def raise_if_any(self) -> None:
        """Raise one :class:`ScenarioError` with every problem so far (repeats removed)."""
        if self.problems:
            raise ScenarioError(unique(self.problems), what=self.what)


def unique(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` without repeats (a template used by many items reports once)."""
    seen: set[tuple[str, str, str, str]] = set()
    out: list[Problem] = []
    for p in problems:
        mark = (p.file, p.path, repr(p.value), p.expected)
        if mark not in seen:
            seen.add(mark)
            out.append(p)
    return out


# --------------------------------------------------------------------------- wording


def suggest(word: object, options: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for a close match of ``word`` among ``options``, else ``""``."""
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def one_of(options: Iterable[str], word: object = None, quote: bool = True) -> str:
    """``"one of: "a", "b""`` plus a did-you-mean suggestion for ``word``."""
    opts = list(options)
    shown = ", ".join(f'"{o}"' if quote else o for o in opts)
    return f"one of: {shown}{suggest(word, opts)}" if opts else "one of: (none defined)"


def num_text(x: float) -> str:
    """``x`` for messages: ``5`` rather than ``5.0``."""
    return str(int(x)) if float(x).is_integer() else str(x)


def fmt_time(minutes: int) -> str:
    """Minutes after midnight as ``"HH:MM"``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# --------------------------------------------------------------------------- tables


def check_keys(chk: Checks, table: Mapping[str, Any], allowed: Iterable[str], loc: Loc) -> None:
    """Report every key of ``table`` (at ``loc``) that is not in ``allowed``."""
    allowed = tuple(allowed)
    for key, value in table.items():
        if key not in allowed:
            chk.add(
                loc.k(key),
                value,
                f"unknown key; expected one of: {', '.join(allowed)}{suggest(key, allowed)}",
            )


def subtable(chk: Checks, parent: Mapping[str, Any], key: str, loc: Loc) -> dict[str, Any]:
    """``parent[key]`` if it is a table (``{}`` when missing; a problem if not a table)."""
    value = parent.get(key, MISSING)
    if value is MISSING:
        return {}
    if not isinstance(value, dict):
        chk.add(loc.k(key), value, "a table")
        return {}
    return value


# --------------------------------------------------------------------------- scalars


def _is_number(value: object) -> bool:
    """Whether ``value`` is a finite int or float (``true``/``false`` are not numbers)."""
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def whole(
    chk: Checks,
    value: object,
    loc: Loc,
    minimum: int,
    what: str = "",
    maximum: int | None = None,
) -> int | None:
    """``value`` as an int ``>= minimum`` (and ``<= maximum``), else a problem and ``None``.

    ``what`` is added to the expectation, e.g. ``" (working days)"``.
    """
    expected = f"a whole number >= {minimum}{what}"
    if isinstance(value, bool):
        chk.add(loc, value, f"{expected} (not true/false)")
        return None
    if not isinstance(value, int) or value < minimum:
        chk.add(loc, value, expected)
        return None
    if maximum is not None and value > maximum:
        chk.add(loc, value, f"a whole number from {minimum} to {maximum:,}{what}")
        return None
    return value


def number(
    chk: Checks,
    value: object,
    loc: Loc,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    what: str = "",
) -> float | None:
    """``value`` as a finite float within the bounds, else a problem and ``None``.

    With both bounds the expectation reads ``a number in [0, 1)`` (an infinite ``high``
    as ``inf)``), with one ``a number > 0``; ``what`` is added, e.g. ``" (minutes)"``.
    """
    if low is not None and high is not None:
        lo = "(" if low_open else "["
        hi = ")" if high_open or math.isinf(high) else "]"
        expected = f"a number in {lo}{num_text(low)}, {num_text(high)}{hi}"
    elif low is not None:
        expected = f"a number {'>' if low_open else '>='} {num_text(low)}"
    elif high is not None:
        expected = f"a number {'<' if high_open else '<='} {num_text(high)}"
    else:
        expected = "a number"
    expected += what
    if not _is_number(value):
        chk.add(loc, value, expected)
        return None
    x = float(cast(float, value))
    bad = (low is not None and (x <= low if low_open else x < low)) or (
        high is not None and (x >= high if high_open else x > high)
    )
    if bad:
        chk.add(loc, value, expected)
        return None
    return x


def text(chk: Checks, value: object, loc: Loc, what: str = "a non-empty string") -> str | None:
    """``value`` if it is a non-empty string, else a problem (expecting ``what``)."""
    if not isinstance(value, str) or not value.strip():
        chk.add(loc, value, what)
        return None
    return value


def flag(chk: Checks, value: object, loc: Loc) -> bool | None:
    """``value`` if it is ``true`` or ``false``."""
    if not isinstance(value, bool):
        chk.add(loc, value, "true or false")
        return None
    return value


def choice(chk: Checks, value: object, loc: Loc, options: Iterable[str]) -> str | None:
    """``value`` if it is one of ``options``."""
    options = tuple(options)
    for option in options:
        if value == option:
            return option
    chk.add(loc, value, one_of(options, value))
    return None


def strings(
    chk: Checks, value: object, loc: Loc, what: str = "a non-empty list of strings"
) -> tuple[str, ...] | None:
    """A non-empty list of non-empty strings, without repeats (first occurrence kept)."""
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        chk.add(loc, value, what)
        return None
    return tuple(dict.fromkeys(value))


# --------------------------------------------------------------------------- clock and calendar


def clock_time(chk: Checks, value: object, loc: Loc) -> int | None:
    """``"HH:MM"`` as minutes after midnight (``"24:00"`` is the end of the day)."""
    expected = 'a time "HH:MM" from "00:00" to "24:00"'
    match = _TIME_RE.match(value) if isinstance(value, str) else None
    if match is None:
        chk.add(loc, value, expected)
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    total = hours * 60 + minutes
    if minutes > 59 or total > 24 * 60:
        chk.add(loc, value, expected)
        return None
    return total


def clock_times(chk: Checks, value: object, loc: Loc) -> tuple[int, ...]:
    """A non-empty list of times, sorted, without repeats."""
    if not isinstance(value, list) or not value:
        chk.add(loc, value, 'a non-empty list of times like ["10:00", "15:00"]')
        return ()
    out = [clock_time(chk, v, loc.i(i)) for i, v in enumerate(value)]
    return tuple(sorted({t for t in out if t is not None}))


def intervals(chk: Checks, value: object, loc: Loc) -> tuple[Interval, ...]:
    """A non-empty list of ``["HH:MM", "HH:MM"]`` intervals, in order and not overlapping.

    Returns the good intervals (empty when the value is not a list).
    """
    if not isinstance(value, list) or not value:
        chk.add(loc, value, 'a non-empty list of intervals like [["08:30", "12:00"]]')
        return ()
    out: list[Interval] = []
    for i, pair in enumerate(value):
        iloc = loc.i(i)
        if not isinstance(pair, list) or len(pair) != 2:
            chk.add(iloc, pair, 'an interval ["HH:MM", "HH:MM"]')
            continue
        start, end = clock_time(chk, pair[0], iloc.i(0)), clock_time(chk, pair[1], iloc.i(1))
        if start is None or end is None:
            continue
        if start >= end:
            chk.add(iloc, pair, "an interval [start, end] with start before end")
            continue
        if out and start < out[-1][1]:
            chk.add(
                iloc,
                pair,
                f"intervals in order and not overlapping (this one starts before "
                f"{fmt_time(out[-1][1])}, the end of the previous one)",
            )
            continue
        out.append((start, end))
    return tuple(out)


def weekdays(chk: Checks, value: object, loc: Loc) -> tuple[int, ...]:
    """A non-empty list of weekday names as sorted weekday numbers (Monday = 0)."""
    if not isinstance(value, list) or not value:
        chk.add(loc, value, 'a non-empty list of weekday names like ["tue", "fri"]')
        return ()
    out: set[int] = set()
    for i, name in enumerate(value):
        if name not in WEEKDAY_NAMES:
            chk.add(loc.i(i), name, one_of(WEEKDAY_NAMES, name))
        else:
            out.add(WEEKDAY_NAMES.index(name))
    return tuple(sorted(out))


def dates(chk: Checks, value: object, loc: Loc) -> tuple[date, ...]:
    """A list of TOML dates (not date-times), sorted, without repeats."""
    if not isinstance(value, list):
        chk.add(loc, value, "a list of TOML dates like [2007-05-08]")
        return ()
    out: list[date] = []
    for i, day in enumerate(value):
        if not isinstance(day, date) or isinstance(day, datetime):
            chk.add(loc.i(i), day, "a TOML date like 2007-05-08 (without quotes)")
        else:
            out.append(day)
    return tuple(sorted(set(out)))
