"""Scores and ranking: indicator values and inputs through the scheme's weights.

The evaluation office fills in one form per window: each sub-item earns its share of full
marks (from the scoring band of its indicator, or the input score out of 100), times its
weight in points; points add up by area, by dimension and in total. A sub-item the data
cannot say anything about (a department without commitment cases has no on-time rate) is
marked ``n/a`` and left out: the total is then scaled to the points that could be earned,
so departments with different item mixes stay comparable. The total enters the city's
assessment at the scheme's share.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from simhall.scorecard.weights import Weights

__all__ = ["rank", "score_details"]


def score_details(
    weights: Weights,
    values: pd.DataFrame,
    departments: Sequence[str],
    origin: str = "log",
) -> pd.DataFrame:
    """One row per department and sub-item.

    Parameters
    ----------
    weights : Weights
    values : pandas.DataFrame
        ``department, indicator, value`` (:func:`simhall.scorecard.indicators.across`).
    departments : sequence of str
        The departments scored, in order.
    origin : str
        Source label of indicator values (``"log"`` or ``"run"``).

    Returns
    -------
    pandas.DataFrame
        ``department, subitem, name, area, dimension, weight, indicator, value, fraction,
        points, source`` (``source``: the origin, ``input``, ``default`` or ``n/a``).
    """
    lookup = values.set_index(["department", "indicator"])["value"].to_dict()
    rows = []
    for dept in departments:
        for sub in weights.subitems:
            if sub.indicator is None:
                given = weights.inputs.get(sub.id, {})
                value = given.get(dept, sub.default if sub.default is not None else math.nan)
                fraction = value / 100.0
                source = "input" if dept in given else "default"
            else:
                value = float(lookup.get((dept, sub.indicator), math.nan))
                fraction = sub.fraction(value)
                source = origin if not math.isnan(fraction) else "n/a"
            rows.append(
                {
                    "department": dept,
                    "subitem": sub.id,
                    "name": sub.name,
                    "area": sub.area,
                    "dimension": sub.dimension,
                    "weight": sub.weight,
                    "indicator": sub.indicator or "input",
                    "value": value,
                    "fraction": fraction,
                    "points": sub.weight * fraction,
                    "source": source,
                }
            )
    return pd.DataFrame(rows)


def rank(weights: Weights, details: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """The ranking: totals, points per area and dimension, the assessment points.

    Returns
    -------
    pandas.DataFrame
        ``rank, department, name, total, points, available, <area>..., <dimension>...,
        assessment_points, defaults_used, not_available``, best first; ``total`` is the
        points over the points available, out of 100; areas and dimensions in points.
    """
    rows = []
    for dept, g in details.groupby("department", sort=False):
        ok = g["source"] != "n/a"
        points, available = float(g.loc[ok, "points"].sum()), float(g.loc[ok, "weight"].sum())
        total = 100.0 * points / available if available > 0 else math.nan
        row: dict[str, object] = {
            "department": dept,
            "name": names.get(str(dept), str(dept)),
            "total": total,
            "points": points,
            "available": available,
        }
        for key, label in (*weights.areas, *weights.dimensions):
            col = "area" if key in dict(weights.areas) else "dimension"
            row[f"{key} ({label})"] = float(g.loc[ok & (g[col] == key), "points"].sum())
        row["assessment_points"] = total * weights.assessment_share
        row["defaults_used"] = int((g["source"] == "default").sum())
        row["not_available"] = ", ".join(g.loc[~ok, "subitem"])
        rows.append(row)
    table = pd.DataFrame(rows).sort_values(["total", "department"], ascending=[False, True])
    table.insert(0, "rank", table["total"].rank(ascending=False, method="min").astype("Int64"))
    return table.reset_index(drop=True)
