"""``simhall.reporting.durations``: a figure some replication cannot estimate is blanked,
not averaged over the others; without open cases nothing is blanked."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from simhall.reporting import durations


def _cases(open_days: list[float]) -> pd.DataFrame:
    n_done = 4
    return pd.DataFrame(
        {
            "item_id": ["a"] * (n_done + len(open_days)),
            "status": ["completed"] * n_done + ["in_progress"] * len(open_days),
            "counted_days": [1, 2, 2, 3] + [pd.NA] * len(open_days),
            "censored_days": [pd.NA] * n_done + open_days,
        }
    ).astype({"counted_days": "Int64", "censored_days": "Int64"})


def test_duration_figures_count_the_open_cases() -> None:
    plain = durations.duration_figures(_cases([]))
    assert plain["completed_share"] == 1.0 and plain["mean_days"] == 2.0
    assert plain["p95_days"] == np.quantile([1, 2, 2, 3], 0.95)
    stuck = durations.duration_figures(_cases([30, 30]))
    assert stuck["completed_share"] == 4 / 6
    assert math.isnan(stuck["mean_days"]) and math.isnan(stuck["p95_days"])


def test_a_figure_one_replication_cannot_estimate_is_blanked() -> None:
    reps = pd.DataFrame(
        {
            "replication": [0, 1, 0, 1],
            "item_id": ["a", "a", "b", "b"],
            "open": [0, 3, 0, 0],
            **{m: [5.0, math.nan, 4.0, 4.0] for m in durations.DURATION_METRICS},
        }
    )
    blank = durations.not_estimable(reps)
    assert set(blank["item_id"]) == {"a"}
    assert set(blank["metric"]) == set(durations.DURATION_METRICS)
    tidy = pd.DataFrame(
        {"item_id": ["a", "b"], "metric": ["p95_days"] * 2, "mean": [5.0, 4.0]}
    ).assign(ci_low=0.0, ci_high=9.0)
    out = durations.blank(tidy, blank).set_index("item_id")
    assert math.isnan(out.loc["a", "mean"]) and math.isnan(out.loc["a", "ci_high"])
    assert out.loc["b", "mean"] == 4.0
    assert durations.not_estimable(reps.assign(open=0)).empty
