"""The window scorecard (绩效评估) before and after a reform, per department, paired.

The evaluation office scores every window once with the base run and once with the
reformed run, on the same scheme and the same inputs (public feedback, management checks
do not change with a simulated reform), so what moves is what the runs measure: on-site
completion, waits, corrections, working days against the limit. Replication ``r`` of
both runs saw the same applicants (common random numbers): the changes are paired, like
scoring the same windows in two consecutive years with the same clients.

Totals, area and dimension points and the assessment points are those of
``simhall scorecard`` on each run (the scheme applied to the indicators' means over
replications), with intervals from the per-replication scorecards by sectioning
(:func:`simhall.compare.paired.sectioned_interval`); indicators are means over
replications with paired Student-t intervals (:func:`simhall.compare.paired.paired`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from simhall.compare.paired import paired, sectioned_interval
from simhall.experiment import RunResult
from simhall.reporting.formatting import as_float
from simhall.scorecard.indicators import INDICATORS, across, indicators
from simhall.scorecard.score import rank, score_details
from simhall.scorecard.source import CaseData, from_result
from simhall.scorecard.weights import Weights

__all__ = ["SCORE_METRICS", "scorecard_change", "scores", "scores_by_replication"]

SCORE_METRICS: dict[str, str] = {
    "total": "scorecard total (of 100) 绩效总分",
    "assessment_points": "points in the city's assessment 考核得分",
    "rank": "rank among the windows 排名",
}
"""The scheme's own figures of a department (before its area and dimension points)."""

_IDS = ["department"]


def _points(weights: Weights) -> dict[str, str]:
    """Area and dimension points: ``points_<key>`` -> the ranking's column."""
    return {f"points_{k}": f"{k} ({label})" for k, label in (*weights.areas, *weights.dimensions)}


def scores(values: pd.DataFrame, weights: Weights, departments: Sequence[str]) -> pd.DataFrame:
    """One department per row: rank, total, assessment and area/dimension points.

    Parameters
    ----------
    values : pandas.DataFrame
        ``department, indicator, value`` (:func:`simhall.scorecard.indicators.across`).
    weights : Weights
    departments : sequence of str
        The departments scored.
    """
    ranking = rank(weights, score_details(weights, values, departments, "run"), {})
    cols = {v: k for k, v in _points(weights).items()}
    out = ranking.rename(columns=cols)[["department", *SCORE_METRICS, *cols.values()]]
    return out.assign(rank=out["rank"].astype("float64"))


def scores_by_replication(
    data: CaseData, weights: Weights, departments: Sequence[str]
) -> pd.DataFrame:
    """:func:`scores` of every replication on its own: ``replication, department, ...``."""
    per_rep = indicators(data)
    parts = []
    for rep, group in per_rep.groupby("replication", sort=True):
        values = group.melt(
            id_vars=["department"], value_vars=list(INDICATORS), var_name="indicator"
        )
        parts.append(scores(values, weights, departments).assign(replication=rep))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _departments(*runs: CaseData) -> list[str]:
    return sorted({str(d) for data in runs for d in data.cases["department"].unique()})


def scorecard_change(base: RunResult, reform: RunResult, weights: Weights) -> pd.DataFrame:
    """The scorecard of every department before and after, paired per replication.

    Parameters
    ----------
    base, reform : RunResult
        Runs with the same seed and replications (common random numbers).
    weights : Weights
        The scheme (:func:`simhall.scorecard.read_weights`); its inputs count the same in
        both runs.

    Returns
    -------
    pandas.DataFrame
        ``department, name, metric, label, before, after, diff, ci_low, ci_high, reps``:
        per department the :data:`SCORE_METRICS`, ``points_<area or dimension>`` and every
        :data:`~simhall.scorecard.indicators.INDICATORS` key; ``rank`` has no interval.
    """
    data = {"b": from_result(base), "a": from_result(reform)}
    depts = _departments(*data.values())
    per_rep = {k: indicators(d) for k, d in data.items()}
    full = {
        k: scores(across(v), weights, depts).set_index("department") for k, v in per_rep.items()
    }
    reps = {k: scores_by_replication(d, weights, depts) for k, d in data.items()}
    points = _points(weights)
    figures = [*SCORE_METRICS, *points]
    merged = reps["b"].merge(reps["a"], on=["replication", "department"], suffixes=("_b", "_a"))
    rows = []
    for dept in depts:
        mine = merged[merged["department"] == dept]
        for metric in figures:
            before = as_float(full["b"].loc[dept, metric])
            after = as_float(full["a"].loc[dept, metric])
            d = (mine[f"{metric}_a"] - mine[f"{metric}_b"]).to_numpy(dtype=np.float64)
            lo, hi = (
                (math.nan, math.nan) if metric == "rank" else sectioned_interval(after - before, d)
            )
            rows.append(
                {
                    "department": dept,
                    "metric": metric,
                    "before": before,
                    "after": after,
                    "diff": after - before,
                    "ci_low": lo,
                    "ci_high": hi,
                    "reps": int(np.isfinite(d).sum()),
                }
            )
    ind = paired(per_rep["b"], per_rep["a"], _IDS, list(INDICATORS))
    frame = pd.concat([pd.DataFrame(rows), ind], ignore_index=True)
    labels = {**SCORE_METRICS, **{k: f"points: {v}" for k, v in points.items()}}
    labels.update({k: f"{v.label} {v.label_zh}" for k, v in INDICATORS.items()})
    names = {**data["b"].names, **data["a"].names}
    frame.insert(1, "name", frame["department"].map(names).fillna(frame["department"]))
    frame.insert(3, "label", frame["metric"].map(labels))
    order = {m: k for k, m in enumerate([*figures, *INDICATORS])}
    frame = frame.assign(_d=frame["department"].map({d: k for k, d in enumerate(depts)}))
    frame = frame.assign(_m=frame["metric"].map(order)).sort_values(["_d", "_m"], kind="stable")
    return frame.drop(columns=["_d", "_m"]).reset_index(drop=True)
