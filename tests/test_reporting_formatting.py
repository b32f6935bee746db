"""``simhall.reporting.formatting``: one table of metric labels and the CI strings, shared by
the run tables and the paired tables."""

from __future__ import annotations

import math

import pandas as pd

from simhall.reporting.formatting import METRIC_LABELS, as_float, fmt_ci, metric_label, rounded
from simhall.reporting.paired_tables import paired_table


def test_fmt_ci_shows_mean_bounds_or_a_dash() -> None:
    assert fmt_ci(12.345, 11.81, 12.96) == "12.3 [11.8, 13.0]"
    assert fmt_ci(0.61772, math.nan, math.nan, 3) == "0.618"
    assert fmt_ci(math.nan, 1.0, 2.0) == "-"
    assert fmt_ci(None, None, None) == "-"
    assert fmt_ci("2", "1", "3", 0) == "2 [1, 3]"


def test_as_float_and_rounded_turn_non_numbers_into_nan() -> None:
    assert as_float("1.5") == 1.5 and math.isnan(as_float("x")) and math.isnan(as_float(None))
    assert rounded(2.4696, 2) == 2.47
    assert math.isnan(rounded(math.inf, 2)) and math.isnan(rounded(pd.NA, 1))


def test_metric_labels_name_hall_and_department_metrics_once() -> None:
    assert metric_label("onsite_rate") == ("on-site completion rate 现场办结率", 3)
    assert metric_label("cases") == ("cases per replication", 0)
    assert metric_label("mean_wait_min") == ("mean window wait (min)", 2)
    assert metric_label("unknown_metric") == ("unknown_metric", 3)
    hall_metrics = {"cases", "in_progress", "onsite_rate", "visits_per_case", "share_within"}
    assert hall_metrics <= set(METRIC_LABELS)
    # a paired table labels a metric exactly as the run's hall table does
    frame = pd.DataFrame(
        {
            "metric": ["share_within"],
            "before": [0.9],
            "after": [0.95],
            "diff": [0.05],
            "ci_low": [0.04],
            "ci_high": [0.06],
            "reps": [3],
        }
    )
    assert list(paired_table(frame).index) == ["commitment cases within the limit"]
