"""What makes a variant best: a figure to minimise or maximise, within stated targets.

Like a budget office choosing among staffing plans, a sweep ranks its variants by one
figure (the summed recommended limits, the cost of staff) among those that meet the
service targets (mean window wait at most 15 minutes, 95% of cases within their limits).
The ``[objective]`` table of the grid file says which::

    [objective]
    minimise = "cost"                         # or maximise = "share_within"
    at_most = { mean_wait_min = 15 }          # targets on the means ...
    at_least = { share_within = 0.95 }
    confident = true                          # ... or on the 95% CI bounds
    weights = { windows = 1.0, staff = 0.8 }  # cost = 1.0 x windows + 0.8 x staff
    best = 5                                  # variants listed as best

Without a table the objective is to minimise ``limit_sum_days`` with no target.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from simhall.scenario.checks import Checks, Loc, check_keys, flag, number, one_of, whole
from simhall.sweep.metrics import METRICS

__all__ = [
    "OBJECTIVE_KEYS",
    "WEIGHTED",
    "Objective",
    "add_cost",
    "best",
    "rank",
    "read_objective",
]

OBJECTIVE_KEYS = ("minimise", "maximise", "at_most", "at_least", "confident", "weights", "best")
"""The keys of ``[objective]``."""

WEIGHTED = ("windows", "staff")
"""What ``weights`` may price: windows and back-office staff over the whole hall."""


@dataclass(frozen=True)
class Objective:
    """The figure to optimise and the targets a variant must meet.

    Attributes
    ----------
    metric : str
        A column of the sweep frame (:data:`simhall.sweep.metrics.METRICS` or ``cost``).
    sense : {"min", "max"}
    at_most, at_least : tuple of (metric, bound)
        Targets on the means (on ``<metric>_ci_high`` / ``_ci_low`` when ``confident``).
    weights : tuple of (what, weight)
        ``cost`` = sum of weight x count over :data:`WEIGHTED`.
    best : int
        How many of the best variants to list.
    """

    metric: str = "limit_sum_days"
    sense: Literal["min", "max"] = "min"
    at_most: tuple[tuple[str, float], ...] = ()
    at_least: tuple[tuple[str, float], ...] = ()
    confident: bool = False
    weights: tuple[tuple[str, float], ...] = ()
    best: int = 5

    def text(self) -> str:
        """``minimise cost subject to mean_wait_min <= 15 (CI upper bound)``."""
        goal = f"{'minimise' if self.sense == 'min' else 'maximise'} {self.metric}"
        if self.weights:
            goal += " (cost = " + " + ".join(f"{w:g} x {k}" for k, w in self.weights) + ")"
        targets = [f"{m} <= {b:g}" for m, b in self.at_most]
        targets += [f"{m} >= {b:g}" for m, b in self.at_least]
        if targets:
            bound = " (95% CI bound)" if self.confident else " (mean)"
            goal += " subject to " + " and ".join(targets) + bound
        return goal


def _metric(chk: Checks, value: object, loc: Loc, names: tuple[str, ...]) -> str | None:
    if isinstance(value, str) and value in names:
        return value
    chk.add(loc, value, one_of(names, value))
    return None


def _bounds(
    chk: Checks, table: Mapping[str, Any], key: str, loc: Loc, names: tuple[str, ...]
) -> tuple[tuple[str, float], ...]:
    raw = table.get(key, {})
    if not isinstance(raw, dict):
        chk.add(loc.k(key), raw, "a table of metric = bound, e.g. { mean_wait_min = 15 }")
        return ()
    out = []
    for name, bound in raw.items():
        if _metric(chk, name, loc.k(key).k(name), names) is None:
            continue
        got = number(chk, bound, loc.k(key).k(name))
        if got is not None:
            out.append((name, got))
    return tuple(out)


def read_objective(chk: Checks, table: Mapping[str, Any], loc: Loc) -> Objective:
    """The ``[objective]`` table (checked; problems go to ``chk``)."""
    check_keys(chk, table, OBJECTIVE_KEYS, loc)
    names = (*METRICS, "cost")
    weights: tuple[tuple[str, float], ...] = ()
    if "weights" in table:
        raw = table["weights"]
        if not isinstance(raw, dict) or not raw:
            chk.add(loc.k("weights"), raw, "a table like { windows = 1.0, staff = 0.8 }")
        else:
            check_keys(chk, raw, WEIGHTED, loc.k("weights"))
            got = [(k, number(chk, raw[k], loc.k("weights").k(k), low=0)) for k in WEIGHTED]
            weights = tuple((k, w) for k, w in got if k in raw and w is not None)
    sense: Literal["min", "max"] = "min"
    metric: str | None = "limit_sum_days"
    if "minimise" in table and "maximise" in table:
        chk.add(loc.k("maximise"), table["maximise"], "either minimise or maximise, not both")
    elif "maximise" in table:
        sense, metric = "max", _metric(chk, table["maximise"], loc.k("maximise"), names)
    elif "minimise" in table:
        metric = _metric(chk, table["minimise"], loc.k("minimise"), names)
    if metric == "cost" and not weights and "weights" not in table:
        chk.add(loc.k("weights"), None, "a table like { windows = 1.0, staff = 0.8 } (for cost)")
    best = whole(chk, table["best"], loc.k("best"), 1) if "best" in table else 5
    confident = flag(chk, table["confident"], loc.k("confident")) if "confident" in table else False
    return Objective(
        metric=metric or "limit_sum_days",
        sense=sense,
        at_most=_bounds(chk, table, "at_most", loc, names),
        at_least=_bounds(chk, table, "at_least", loc, names),
        confident=bool(confident),
        weights=weights,
        best=best or 5,
    )


def add_cost(frame: pd.DataFrame, objective: Objective) -> pd.DataFrame:
    """``frame`` with a ``cost`` column when the objective has weights."""
    if not objective.weights:
        return frame
    cost = sum(w * frame[k].astype("float64") for k, w in objective.weights)
    return frame.assign(cost=cost)


def _bound_column(frame: pd.DataFrame, metric: str, side: str, confident: bool) -> pd.Series:
    column = f"{metric}_ci_{side}"
    return frame[column] if confident and column in frame else frame[metric]


def rank(frame: pd.DataFrame, objective: Objective) -> pd.DataFrame:
    """``frame`` with ``feasible`` (meets every target) and ``rank`` (1 = best feasible;
    missing for the others), ties in variant order; variants whose figure is missing are
    not ranked."""
    frame = add_cost(frame, objective)
    feasible = pd.Series(True, index=frame.index)
    for metric, bound in objective.at_most:
        feasible &= _bound_column(frame, metric, "high", objective.confident) <= bound
    for metric, bound in objective.at_least:
        feasible &= _bound_column(frame, metric, "low", objective.confident) >= bound
    figure = frame[objective.metric].astype("float64")
    ranked = feasible & figure.notna()
    order = figure[ranked].sort_values(ascending=objective.sense == "min", kind="stable").index
    ranks = pd.Series(np.nan, index=frame.index)
    ranks[order] = np.arange(1, len(order) + 1, dtype=np.float64)
    return frame.assign(feasible=feasible.to_numpy(), rank=ranks.astype("Int64"))


def best(frame: pd.DataFrame, objective: Objective) -> pd.DataFrame:
    """The ``objective.best`` best variants of a ranked frame, best first."""
    ranked = frame[frame["rank"].notna()].sort_values("rank", kind="stable")
    return ranked.head(objective.best).reset_index(drop=True)
