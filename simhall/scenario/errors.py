"""Problems found in scenario files, and the exception that reports all of them at once.

A scenario author who mistypes three things should learn about all three in one run, each
with the file it is in, the key path, the value found and what was expected::

    small_hall.toml: departments[1].windows = 0: expected a whole number >= 1
    small_hall_items.csv: line 7, items[5].daily_demand = "abc": expected a number >= 0

The loader collects :class:`Problem` records while it reads and raises one
:class:`ScenarioError` carrying every one of them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

_SHOW_MAX = 100


def _toml_repr(value: Any) -> str:
    """``value`` written roughly as TOML would write it (strings in double quotes)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_repr(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{k} = {_toml_repr(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    return repr(value)


def show_value(value: object) -> str:
    """Short TOML-like text of ``value`` for messages (long values are cut with ``...``).

    Parameters
    ----------
    value : object
        A value read from a scenario file.

    Returns
    -------
    str
        At most about 100 characters.
    """
    text = _toml_repr(value)
    if len(text) > _SHOW_MAX:
        text = text[: _SHOW_MAX - 3] + "..."
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a scenario.

    Parameters
    ----------
    file : str
        The file the bad value came from (as given, or relative to the file that named it;
        ``items.csv`` for catalogue rows).
    path : str
        Key path such as ``items[12].route[2].duration.mean_min``; rows of a CSV catalogue
        start with their line, ``line 14, items[12].daily_demand``. Empty for problems with
        a whole file (e.g. a TOML syntax error).
    value : object
        The bad value, or ``None`` when the key is missing.
    expected : str
        What was expected, e.g. ``"a number > 0 (minutes)"``.
    """

    file: str
    path: str
    value: object
    expected: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        message = self.expected
        if not message.startswith(("unknown", "expected")):
            message = f"expected {message}"
        if not self.path:
            return f"{where}: {message}"
        if self.value is None:
            return f"{where} is missing: {message}"
        return f"{where} = {show_value(self.value)}: {message}"


class ScenarioError(ValueError):
    """A scenario could not be loaded; ``problems`` lists everything that was found wrong.

    Parameters
    ----------
    problems : iterable of Problem
        All problems found (at least one). ``str(error)`` lists them one per line.
    what : str
        What was read (``"scenario"``, ``"sweep grid"``): the command line's heading says
        ``invalid <what>``.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem], what: str = "scenario") -> None:
        self.problems = tuple(problems)
        self.what = what
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def __reduce__(self) -> tuple[type[ScenarioError], tuple[tuple[Problem, ...], str]]:
        return (ScenarioError, (self.problems, self.what))
