"""``simhall.compare.items``: the per-item table under common random numbers (an untouched
item draws identically), the sums over a set of items, and zero-width CIs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from simhall.compare import aggregate, item_reps, item_table
from simhall.distributions import Fixed
from simhall.experiment import run
from simhall.reforms import apply_reforms
from simhall.scenario.schema import DelayStep, Scenario
from tests.helpers import item, scenario


def test_untouched_item_draws_identically_under_crn(
    compare_hall: Scenario,
    overlay_of: Callable[..., Scenario],
    compare_options: dict[str, Any],
) -> None:
    base = compare_hall
    reform = overlay_of(base, {"kind": "reengineering", "items": ["a"], "remove": ["inspection"]})
    rb, ra = run(base, **compare_options), run(apply_reforms(reform), **compare_options)
    cb = rb.cases[rb.cases["item_id"] == "b"].reset_index(drop=True)
    ca = ra.cases[ra.cases["item_id"] == "b"].reset_index(drop=True)
    cols = ["arrival", "acceptance", "completion", "counted_days", "visits"]
    pd.testing.assert_frame_equal(cb[cols], ca[cols])
    it = item_table(rb, ra)
    row_b = it[it["item_id"] == "b"].iloc[0]
    assert row_b["p95_diff"] == 0 and row_b["p95_diff_ci_low"] == 0
    row_a = it[it["item_id"] == "a"].iloc[0]
    # inspection of 1-3 days removed: P95 falls by about 2-3 days, paired CI below zero
    assert -4.0 <= row_a["p95_diff"] <= -1.0 and row_a["p95_diff_ci_high"] < 0
    assert row_a["removed"] == 1 and row_a["compression_days"] > 0
    agg = aggregate(it, ["a"], item_reps(rb), item_reps(ra), "target").set_index("figure")
    assert agg.loc["committed_sum", "before"] == 12
    assert agg.loc["steps_sum", "before"] - agg.loc["steps_sum", "after"] == 1
    assert agg.loc["limit_sum", "change"] < 0


def test_fixed_item_has_zero_width_ci(compare_options: dict[str, Any]) -> None:
    base = scenario([item("a", route=[DelayStep("x", "d", Fixed(2.0))], volume=2.0)])
    r = run(base, **compare_options)
    it = item_table(r, r)
    assert it.loc[0, "p95_diff"] == 0 and it.loc[0, "p95_before"] == 2
