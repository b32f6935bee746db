"""``simhall.compare.compare``: a base against an overlay, paired hall-wide effects."""

from __future__ import annotations

from simhall.compare import Comparison


def test_compare_pairs_the_hall_wide_metrics(comparison: Comparison) -> None:
    assert set(comparison.hall["metric"]) >= {"onsite_rate", "mean_wait_min", "staff_utilization"}
