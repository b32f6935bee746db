"""Tolerances: how far a simulated figure may lie from the observed one and still pass.

A tailor's pattern states, seam by seam, how much a fitting may differ from the measurements
before the garment is remade. Validation states the same per metric (:data:`METRICS`): an
absolute allowance, one relative to the observed value and one in standard errors
(:class:`Tolerance`), with defaults (:data:`DEFAULT_TOLERANCES`) that a small TOML file
overrides (:meth:`Tolerances.from_toml`). The file is read like a scenario, with the one
problem collector of :mod:`simhall.scenario.checks`: every mistake is reported at once, with
the file, the key path, the value and what was expected (:class:`TolerancesError`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from simhall.scenario.checks import ROOT, Checks, Loc, check_keys, number, unique, whole
from simhall.scenario.errors import Problem
from simhall.tomlfile import TomlFileError, read_toml

__all__ = [
    "DEFAULT_MIN_CASES",
    "DEFAULT_TOLERANCES",
    "METRICS",
    "Tolerance",
    "Tolerances",
    "TolerancesError",
    "as_tolerances",
]


@dataclass(frozen=True)
class Tolerance:
    """An allowed difference: ``|sim - obs| <= max(abs, rel * |reference|, z * se)``.

    ``se`` is the larger of two noise scales: the case-level standard error of the
    difference (Poisson counts for ``cases_per_week``, ``sqrt(var_obs / n_obs + var_sim /
    n_sim)`` for means and rates) and the between-replication spread of the simulated
    statistic, ``sd_r * sqrt(1 + 1/R)`` (the observed log is one more realization of the
    hall; near capacity, whole replications differ far more than case-level noise says).
    For ``wasserstein_days`` it is the mean distance between one replication and all of
    them pooled. The replication spread needs ``reps >= 2`` (3 or more recommended). For the
    distance metrics (``wasserstein_days``, ``hourly_profile_tv``) the distance itself is
    compared with the limit; the reference of ``wasserstein_days`` is the observed mean
    working days.

    Parameters
    ----------
    abs : float
        Absolute allowance in the metric's unit.
    rel : float
        Allowance relative to the observed value (0.15 = 15%).
    z : float
        Allowance in standard errors (0 = none).
    """

    abs: float
    rel: float = 0.0
    z: float = 0.0

    def limit(self, reference: float, se: float = math.nan) -> float:
        """The allowed difference for an observed ``reference`` value and noise ``se``."""
        ref = abs(reference) if math.isfinite(reference) else 0.0
        noise = self.z * se if math.isfinite(se) else 0.0
        return max(self.abs, self.rel * ref, noise)


METRICS: dict[str, str] = {
    "cases_per_week": "accepted cases per week, by the week of their first ticket",
    "mean_days": "mean working days, acceptance to completion",
    "p50_days": "median working days",
    "p90_days": "90th percentile of working days",
    "wasserstein_days": "1-Wasserstein distance between observed and simulated working days",
    "onsite_rate": "share of completed cases completed on the acceptance day",
    "mean_wait_min": "mean window wait, ticket to call (minutes)",
    "p90_wait_min": "90th percentile of window waits (minutes)",
    "hourly_profile_tv": "total-variation distance between hourly shares of tickets",
}
"""Metric names and meanings, in report order."""

DEFAULT_TOLERANCES: dict[str, Tolerance] = {
    "cases_per_week": Tolerance(1.0, 0.10, 3.0),
    "mean_days": Tolerance(1.0, 0.15, 3.0),
    "p50_days": Tolerance(1.0, 0.15, 3.0),
    "p90_days": Tolerance(2.0, 0.20, 3.0),
    "wasserstein_days": Tolerance(1.0, 0.15, 3.0),
    "onsite_rate": Tolerance(0.05, 0.0, 3.0),
    "mean_wait_min": Tolerance(5.0, 0.25, 3.0),
    "p90_wait_min": Tolerance(10.0, 0.25, 3.0),
    "hourly_profile_tv": Tolerance(0.10, 0.0, 0.0),
}
"""Default tolerances (documented in ``docs/validation.md``)."""

DEFAULT_MIN_CASES = 30
"""Items (and departments) with fewer observed cases (or waits) are shown but not scored."""


_PARTS = ("abs", "rel", "z")
"""The keys of a metric's table in a tolerances file."""


class TolerancesError(ValueError):
    """A tolerances file (or mapping) that cannot be used; ``problems`` lists all its problems.

    ``str(error)`` is a heading and one line per problem, ``file: key.path = value: expected
    ...``; the command line prints it and exits with status 2.

    Parameters
    ----------
    problems : iterable of Problem
        Every problem found (at least one).
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(["invalid tolerances", *(str(p) for p in self.problems)])


def _allowance(chk: Checks, value: object, loc: Loc) -> float | None:
    """An ``abs``, ``rel`` or ``z`` value: a number >= 0, or ``inf`` (the bound never binds)."""
    if isinstance(value, float) and value == math.inf:
        return value
    return number(chk, value, loc, low=0)


def _read_tolerance(chk: Checks, table: object, loc: Loc, base: Tolerance) -> Tolerance:
    """A metric's table at ``loc``: ``base`` with the ``abs``, ``rel`` and ``z`` it gives."""
    if not isinstance(table, Mapping):
        chk.add(loc, table, "a table with abs, rel and/or z")
        return base
    check_keys(chk, table, _PARTS, loc)
    parts = {"abs": base.abs, "rel": base.rel, "z": base.z}
    for name in _PARTS:
        if name in table:
            value = _allowance(chk, table[name], loc.k(name))
            if value is not None:
                parts[name] = value
    return Tolerance(parts["abs"], parts["rel"], parts["z"])


@dataclass(frozen=True)
class Tolerances:
    """The tolerance of every metric and the minimum sample for scoring.

    Parameters
    ----------
    metrics : dict of str to Tolerance
        One entry per metric of :data:`METRICS`.
    min_cases : int
        Smallest observed sample (cases or waits) for a row to get PASS/FAIL; smaller ones
        get ``n/a``.

    Examples
    --------
    A TOML file overriding two tolerances::

        min_cases = 50

        [mean_days]
        abs = 0.5
        rel = 0.10

        [onsite_rate]
        abs = 0.03
        z = 2
    """

    metrics: dict[str, Tolerance] = field(default_factory=lambda: dict(DEFAULT_TOLERANCES))
    min_cases: int = DEFAULT_MIN_CASES

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "<tolerances>") -> Tolerances:
        """Defaults overridden by a mapping shaped like the TOML file.

        The mapping is read with the scenario's problem collector
        (:class:`simhall.scenario.checks.Checks`), so every mistake is reported at once.

        Parameters
        ----------
        data : mapping
            ``min_cases`` and metric tables with ``abs``, ``rel`` and/or ``z``.
        source : str
            Name for error messages.

        Returns
        -------
        Tolerances

        Raises
        ------
        TolerancesError
            Every unknown key or metric (with a did-you-mean suggestion), every value that is
            not a whole number >= 1 (``min_cases``), not a table (a metric) or not a number
            >= 0 (``abs``, ``rel``, ``z``), each with its key path.
        """
        chk = Checks(source)
        check_keys(chk, data, ("min_cases", *METRICS), ROOT)
        metrics = dict(DEFAULT_TOLERANCES)
        min_cases = DEFAULT_MIN_CASES
        if "min_cases" in data:
            given = whole(chk, data["min_cases"], ROOT.k("min_cases"), 1)
            min_cases = min_cases if given is None else given
        for key, table in data.items():
            if key in METRICS:
                metrics[key] = _read_tolerance(chk, table, ROOT.k(key), metrics[key])
        if chk.problems:
            raise TolerancesError(unique(chk.problems))
        return cls(metrics, min_cases)

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str]) -> Tolerances:
        """Read a tolerances TOML file (see the class example).

        Parameters
        ----------
        path : path
            The file.

        Returns
        -------
        Tolerances

        Raises
        ------
        FileNotFoundError
            If the file does not exist.
        TolerancesError
            Invalid TOML, or every problem of its values (each with the file and key path).
        """
        p = Path(path)
        if not p.is_file():
            raise FileNotFoundError(2, "no such tolerances file", str(p))
        try:
            data = read_toml(p, "tolerances file")
        except TomlFileError as exc:
            raise TolerancesError([Problem(str(p), "", None, exc.expected)]) from None
        return cls.from_mapping(data, str(p))

    def to_frame(self) -> pd.DataFrame:
        """The tolerances as a table (``metric, abs, rel, z, meaning``)."""
        return pd.DataFrame(
            [
                {"metric": m, "abs": t.abs, "rel": t.rel, "z": t.z, "meaning": METRICS[m]}
                for m, t in self.metrics.items()
            ]
        )


def as_tolerances(
    value: Tolerances | Mapping[str, Any] | str | os.PathLike[str] | None,
) -> Tolerances:
    """The tolerances given as an object, a TOML mapping, a TOML file path or None (defaults)."""
    if value is None:
        return Tolerances()
    if isinstance(value, Tolerances):
        return value
    if isinstance(value, Mapping):
        return Tolerances.from_mapping(value)
    return Tolerances.from_toml(value)
