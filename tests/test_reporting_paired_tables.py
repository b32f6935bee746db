"""``simhall.reporting.paired_tables``: labelled, rounded tables of paired comparisons."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simhall.reporting.paired_tables import (
    aggregate_table,
    headline_table,
    paired_table,
    scorecard_table,
)


def test_aggregate_and_paired_tables() -> None:
    agg = pd.DataFrame(
        {
            "figure": ["committed_sum", "committed_mean", "committed_after_sum", "limit_sum"],
            "before": [814.0, 17.6957, 814.0, 381.0],
            "after": [164.0, 3.5652, 814.0, 159.0],
            "change": [-650.0, -14.13, 0.0, -222.0],
            "change_pct": [-79.85, -79.85, 0.0, -58.27],
            "ci_low": [np.nan, np.nan, np.nan, -234.7],
            "ci_high": [np.nan, np.nan, np.nan, -209.3],
            "n_items": [46] * 4,
        }
    )
    t = aggregate_table(agg)
    assert len(t) == 3  # committed_after_sum left out
    assert list(t["before"]) == [814, 17.7, 381]  # headline sum, its mean, limit_sum
    assert t.iloc[1]["after"] == 3.6 and t.iloc[1]["% of committed"] != t.iloc[1]["% of committed"]
    assert t.iloc[2]["change [95% CI]"] == "-222 [-235, -209]"
    assert headline_table(agg).empty  # no slack_* / reform_* rows: nothing to split
    hall = pd.DataFrame(
        {
            "metric": ["mean_wait_min", "onsite_rate"],
            "before": [2.4696, 0.61772],
            "after": [2.4696, 0.63272],
            "diff": [0.0, 0.015],
            "ci_low": [0.0, 0.0043],
            "ci_high": [0.0, 0.0257],
            "reps": [2, 2],
        }
    )
    p = paired_table(hall, ("onsite_rate", "mean_wait_min"))
    assert list(p.index)[0].startswith("on-site completion")
    assert p.iloc[0]["change [95% CI]"] == "0.015 [0.004, 0.026]"
    assert p.iloc[1]["before"] == 2.47
    dept = hall.assign(department=["x", "y"])
    d = paired_table(dept, key="department", keys=("y", "x"))
    assert [k[0] for k in d.index] == ["y", "x"]


def test_scorecard_table_orders_departments_and_figures() -> None:
    card = pd.DataFrame(
        {
            "department": ["x", "x", "y", "y"],
            "name": ["X局", "X局", "Y局", "Y局"],
            "metric": ["total", "rank", "total", "rank"],
            "label": ["scorecard total", "rank", "scorecard total", "rank"],
            "before": [80.04, 2.0, 85.0, 1.0],
            "after": [86.0, 1.0, 84.0, 2.0],
            "diff": [5.96, -1.0, -1.0, 1.0],
            "ci_low": [5.0, np.nan, -2.0, np.nan],
            "ci_high": [7.0, np.nan, 0.0, np.nan],
        }
    )
    t = scorecard_table(card, ("rank", "total"), ["y", "x"])
    assert [k for k in t.index] == [
        ("y Y局", "rank"),
        ("y Y局", "scorecard total"),
        ("x X局", "rank"),
        ("x X局", "scorecard total"),
    ]
    assert t.iloc[3]["change [95% CI]"] == "6.0 [5.0, 7.0]" and t.iloc[3]["before"] == 80.0
    assert t.iloc[0]["change [95% CI]"] == "1"  # a rank has no interval
