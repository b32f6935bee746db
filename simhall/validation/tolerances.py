"""Tolerances: how far a simulated figure may lie from the observed one and still pass.

A tailor's pattern states, seam by seam, how much a fitting may differ from the measurements
before the garment is remade. Validation states the same per metric (:data:`METRICS`): an
absolute allowance, one relative to the observed value and one in standard errors
(:class:`Tolerance`), with defaults (:data:`DEFAULT_TOLERANCES`) that a small TOML file
overrides (:meth:`Tolerances.from_toml`).
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "DEFAULT_MIN_CASES",
    "DEFAULT_TOLERANCES",
    "METRICS",
    "Tolerance",
    "Tolerances",
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
        ValueError
            Unknown keys or metrics, non-numeric or negative values (naming the key).
        """
        metrics = dict(DEFAULT_TOLERANCES)
        min_cases = DEFAULT_MIN_CASES
        for key, value in data.items():
            if key == "min_cases":
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    raise ValueError(
                        f"{source}: min_cases = {value!r}: expected a whole number >= 1"
                    )
                min_cases = value
                continue
            if key not in METRICS:
                raise ValueError(
                    f"{source}: unknown metric {key!r}; expected min_cases or one of "
                    + ", ".join(METRICS)
                )
            if not isinstance(value, Mapping):
                raise ValueError(f"{source}: [{key}] must be a table with abs, rel and/or z")
            base = metrics[key]
            parts = {"abs": base.abs, "rel": base.rel, "z": base.z}
            for sub, number in value.items():
                if sub not in parts:
                    raise ValueError(f"{source}: {key}.{sub}: unknown key; expected abs, rel or z")
                if isinstance(number, bool) or not isinstance(number, (int, float)) or number < 0:
                    raise ValueError(f"{source}: {key}.{sub} = {number!r}: expected a number >= 0")
                parts[sub] = float(number)
            metrics[key] = Tolerance(parts["abs"], parts["rel"], parts["z"])
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
        ValueError
            Invalid TOML or values (the message names the file and key).
        """
        p = Path(path)
        if not p.is_file():
            raise FileNotFoundError(2, "no such tolerances file", str(p))
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{p}: invalid TOML: {exc}") from None
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
