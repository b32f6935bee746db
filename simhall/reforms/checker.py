"""Checking a raw ``[[reforms]]`` table: the scenario collector, with reform key paths.

A reform table is checked the way the scenario loader checks everything else, with the
same :class:`~simhall.scenario.checks.Checks` collector and value checkers: every problem
names the file, the key path (``reforms[2].items``), the value and what was expected, and
all of them are raised together. :class:`Checker` only adds the path style of reform
tables: keys relative to the table (dotted sub-keys and ``[i]`` allowed, written as they
are: ``scale.现场勘查``), defaults for missing keys, and the scenario's department ids.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from simhall.distributions import Distribution
from simhall.scenario import checks
from simhall.scenario.checks import Checks, Loc, suggest
from simhall.scenario.distribution_tables import Unit, distribution
from simhall.scenario.errors import Problem
from simhall.scenario.schema import Interval, Scenario

__all__ = ["Checker"]


class _Path(Loc):
    """A reform key path: keys as written (reform paths do not quote keys)."""

    def k(self, name: str) -> Loc:
        return _Path(f"{self.text}.{name}" if self.text else name, (*self.key, name))

    def i(self, index: int) -> Loc:
        return _Path(f"{self.text}[{index}]", (*self.key, index))


MAX_LISTED = 40
"""Valid ids listed in a message at most (a hall has some thirty departments)."""


def department_expected(value: object, ids: Sequence[str]) -> str:
    """``expected ...`` of an unknown department: the valid ids and a did-you-mean."""
    shown = ", ".join(ids[:MAX_LISTED]) + (", ..." if len(ids) > MAX_LISTED else "")
    return f"a department id of the scenario ({shown}){suggest(value, ids)}"


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
        self.checks = Checks(file)

    @property
    def problems(self) -> list[Problem]:
        """The problems found so far."""
        return self.checks.problems

    def path(self, key: str) -> str:
        """Key path of ``key`` (dotted sub-keys allowed) in this table."""
        return f"{self.prefix}.{key}" if key else self.prefix

    def loc(self, key: str) -> Loc:
        """The location of ``key`` for the checkers of :mod:`simhall.scenario.checks`."""
        return _Path(self.path(key))

    def add(self, key: str, value: object, expected: str) -> None:
        """Record a problem at ``key``."""
        self.checks.add(self.loc(key), value, expected)

    def keys(self, table: Mapping[str, Any], allowed: Sequence[str], where: str = "") -> None:
        """Report every key of ``table`` (at ``where``) that is not in ``allowed``."""
        checks.check_keys(self.checks, table, allowed, self.loc(where))

    def string(self, table: Mapping[str, Any], key: str, default: str | None = None) -> str | None:
        """A non-empty string (required when ``default`` is None)."""
        return checks.text(self.checks, table.get(key, default), self.loc(key))

    def whole(self, value: object, key: str, minimum: int = 0) -> int | None:
        """``value`` (at ``key``) as a whole number ``>= minimum``."""
        return checks.whole(self.checks, value, self.loc(key), minimum)

    def integer(
        self, table: Mapping[str, Any], key: str, default: int | None, minimum: int = 0
    ) -> int | None:
        """A whole number ``>= minimum`` (``default`` when missing)."""
        if key not in table:
            return default
        return self.whole(table[key], key, minimum)

    def number(
        self,
        table: Mapping[str, Any],
        key: str,
        default: float | None,
        *,
        low: float = 0.0,
        high: float = math.inf,
        low_open: bool = False,
        at: str | None = None,
    ) -> float | None:
        """A finite number in ``[low, high]`` (``(low, high]`` with ``low_open``).

        ``default`` when missing; problems are reported at ``at`` (default: ``key``).
        """
        if key not in table:
            return default
        loc = self.loc(key if at is None else at)
        return checks.number(self.checks, table[key], loc, low=low, high=high, low_open=low_open)

    def boolean(self, table: Mapping[str, Any], key: str, default: bool) -> bool:
        """``true`` or ``false``."""
        got = checks.flag(self.checks, table.get(key, default), self.loc(key))
        return default if got is None else got

    def choice(
        self, table: Mapping[str, Any], key: str, options: Sequence[str], default: str
    ) -> str:
        """One of ``options``."""
        got = checks.choice(self.checks, table.get(key, default), self.loc(key), options)
        return default if got is None else got

    def strings(
        self, table: Mapping[str, Any], key: str, what: str = "a non-empty list of strings"
    ) -> tuple[str, ...] | None:
        """A non-empty list of non-empty strings (``None`` when missing or bad)."""
        if key not in table:
            return None
        return checks.strings(self.checks, table[key], self.loc(key), what)

    def dist(self, value: object, key: str, unit: Unit) -> Distribution | None:
        """A distribution table in ``unit`` (``"min"`` or ``"days"``)."""
        return distribution(self.checks, value, unit, self.loc(key))

    def intervals(self, value: object, key: str) -> tuple[Interval, ...]:
        """A non-empty list of ordered, non-overlapping ``["HH:MM", "HH:MM"]`` intervals."""
        return checks.intervals(self.checks, value, self.loc(key))

    def department(self, table: Mapping[str, Any], key: str, scenario: Scenario) -> str | None:
        """A department id of ``scenario`` (required)."""
        value = table.get(key)
        ids = [d.id for d in scenario.departments]
        if value not in ids:
            self.add(key, value, department_expected(value, ids))
            return None
        return str(value)

    def raise_if_any(self) -> None:
        """Raise a :class:`~simhall.scenario.ScenarioError` with the problems found so far."""
        self.checks.raise_if_any()
