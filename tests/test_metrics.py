"""Pure summary functions of simhall.reporting.metrics on small hand-made frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simhall.reporting import metrics


def test_limit_at_service_level_is_the_shortest_whole_limit() -> None:
    assert metrics.limit_at_service_level(np.array([0, 1, 1, 2, 5]), 0.8) == 2.0
    assert metrics.limit_at_service_level(np.array([0, 1, 1, 2, 5]), 0.81) == 5.0
    assert np.isnan(metrics.limit_at_service_level(np.array([]), 0.95))


def test_staff_utilization_weighs_each_pool_by_its_own_hours() -> None:
    """A section of 2 open 390 min and a chief representative open 210 min (mornings): the
    department's staff utilization is busy / (2 x 390 + 1 x 210), not / (390 x 3)."""
    stations = pd.DataFrame(
        {
            "replication": [0, 0, 0],
            "department": ["d", "d", "d"],
            "kind": ["window", "pool", "pool"],
            "capacity": [2, 2, 1],
            "open_min": [390.0, 390.0, 210.0],
            "busy_min": [390.0, 390.0, 210.0],
        }
    )
    util = metrics.utilization_by_replication(stations, ["replication", "department"])
    assert util.loc[0, "window_utilization"] == pytest.approx(0.5)
    assert util.loc[0, "staff_utilization"] == pytest.approx(600.0 / 990.0)


def test_utilization_bounds_are_clipped_to_zero_one() -> None:
    """Two replications, utilizations 0.3 and 0.99: the t interval (12.7 x sd / sqrt 2)
    reaches far past 1; a utilization cannot, so the bound is 1 (and 0 below)."""
    per_rep = pd.DataFrame(
        {"replication": [0, 1], "window_utilization": [0.3, 0.99], "mean_wait_min": [1.0, 30.0]}
    )
    tidy = metrics.across(per_rep, [], ["window_utilization", "mean_wait_min"]).set_index("metric")
    assert tidy.loc["window_utilization", "ci_high"] == 1.0
    assert tidy.loc["window_utilization", "ci_low"] == 0.0
    assert tidy.loc["mean_wait_min", "ci_high"] > 100.0  # minutes have no upper bound
    assert metrics.metric_range("completed_share") == (0.0, 1.0)
    assert metrics.metric_range("offered_load") == (0.0, np.inf)


def test_student_t_table_is_scipys_quantiles_exactly() -> None:
    """The 95% quantiles tabulated to spare importing scipy are scipy's, bit for bit."""
    from scipy import stats

    from simhall.reporting.student_t import _T975, t_quantile

    for dof in range(1, len(_T975) + 1):
        assert t_quantile(0.95, dof) == float(stats.t.ppf(0.5 + 0.95 / 2.0, dof))
    assert t_quantile(0.95, len(_T975) + 5) == float(stats.t.ppf(0.975, len(_T975) + 5))
    assert t_quantile(0.9, 4) == float(stats.t.ppf(0.95, 4))
