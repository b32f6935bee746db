"""Checking ``[[reforms]]`` tables against a scenario and applying them in order.

The loader keeps a scenario's reform tables raw (``Scenario.reforms`` holds ``(file,
table)`` pairs, base file first): a reform can only be checked against the scenario it
will act on, which is the scenario left by the reforms before it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from typing import Any

from simhall.reforms.base import REGISTRY, Reform
from simhall.reforms.checker import Checker
from simhall.scenario.checks import one_of
from simhall.scenario.errors import Problem, ScenarioError
from simhall.scenario.loader import load_scenario
from simhall.scenario.schema import Scenario

__all__ = ["apply_reforms", "load_reformed", "parse_reform", "reform_log"]


def parse_reform(
    table: Mapping[str, Any], scenario: Scenario, file: str = "<reform>", index: int = 0
) -> Reform:
    """Check one raw reform table against ``scenario`` and build the reform object.

    Parameters
    ----------
    table : mapping
        The ``[[reforms]]`` table as read from TOML.
    scenario : Scenario
        The scenario the reform will be applied to (ids are checked against it).
    file, index : str, int
        Where the table came from, for messages (``file: reforms[index].key``).

    Returns
    -------
    Reform
        The frozen reform.

    Raises
    ------
    ScenarioError
        With every problem of the table.
    """
    chk = Checker(file, index)
    if not isinstance(table, Mapping):
        chk.add("", table, "a table with a kind")
        chk.raise_if_any()
    kind = table.get("kind")
    if kind not in REGISTRY:
        chk.add("kind", kind, one_of(REGISTRY))
        chk.raise_if_any()
    cls = REGISTRY[str(kind)]
    chk.keys(table, cls.table_keys())
    reform = cls.parse(chk, table, scenario)
    chk.raise_if_any()
    return reform


def reform_log(scenario: Scenario) -> tuple[Scenario, tuple[Reform, ...]]:
    """Apply ``scenario.reforms`` in order; the reformed scenario and the reform objects.

    Each table is checked against the scenario as left by the reforms before it. All
    problems of all tables are collected and raised together.

    Raises
    ------
    ScenarioError
        Naming the file and ``reforms[i].key`` of each problem (``i`` counts the tables of
        that file).
    """
    problems: list[Problem] = []
    applied: list[Reform] = []
    per_file: dict[str, int] = {}
    current = scenario
    for entry in scenario.reforms:
        if isinstance(entry, Reform):
            reform: Reform | None = entry
        else:
            file, table = entry if isinstance(entry, tuple) else ("<reform>", entry)
            index = per_file.get(file, 0)
            per_file[file] = index + 1
            try:
                reform = parse_reform(table, current, str(file), index)
            except ScenarioError as exc:
                problems.extend(exc.problems)
                reform = None
        if reform is not None:
            current = reform.apply(current)
            applied.append(reform)
    if problems:
        raise ScenarioError(problems)
    return dataclasses.replace(current, reforms=()), tuple(applied)


def apply_reforms(scenario: Scenario) -> Scenario:
    """``scenario`` with its ``[[reforms]]`` checked and applied in order (base file first).

    The result has no reforms left, so applying twice changes nothing. Entries of
    ``scenario.reforms`` may also be :class:`Reform` objects (built in a notebook).

    Raises
    ------
    ScenarioError
        For unknown kinds or keys and bad values, naming the file and ``reforms[i].key``.
    """
    return reform_log(scenario)[0]


def load_reformed(path: str | os.PathLike[str]) -> Scenario:
    """Load a scenario file and apply its reforms (:func:`apply_reforms`)."""
    return apply_reforms(load_scenario(path))
