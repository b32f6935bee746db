"""simhall.validation.backtest_scoring: levels within their allowances, changes with the
observed sign where material and within their own allowance (tolerances in docs/backtest.md)."""

from __future__ import annotations

import pandas as pd

from simhall.validation.backtest import BacktestTolerances as Reexported
from simhall.validation.backtest import score_items as reexported_score_items
from simhall.validation.backtest_scoring import BacktestTolerances, score_items


def test_score_items_checks_sign_and_size() -> None:
    base = {
        "cases_pre": 100,
        "cases_post": 100,
        "obs_mean_days": 3.0,
        "pred_mean_days": 3.5,
        "obs_p90_days": 5.0,
        "pred_p90_days": 5.0,
        "obs_onsite": 0.5,
        "pred_onsite": 0.55,
        "obs_change_days": -4.0,
        "pred_change_days": -3.0,
        "obs_change_onsite": 0.0,
        "pred_change_onsite": 0.0,
    }
    rows = [
        {**base, "item_id": "ok"},
        # right size within 1 day, but the wrong sign of a material change
        {**base, "item_id": "sign", "obs_change_days": -0.6, "pred_change_days": 0.3},
        # 30% of a large change: -10 observed, -6.5 predicted is 3.5 > 3 days off
        {**base, "item_id": "size", "obs_change_days": -10.0, "pred_change_days": -6.5},
        # the 20% rule for a long mean: 12 observed, 14.3 predicted is within 2.4
        {**base, "item_id": "rel", "obs_mean_days": 12.0, "pred_mean_days": 14.3},
        {**base, "item_id": "onsite", "pred_onsite": 0.65},
        {**base, "item_id": "few", "cases_post": 10, "pred_onsite": 0.9},
    ]
    scored = score_items(pd.DataFrame(rows), BacktestTolerances()).set_index("item_id")
    assert scored.loc["ok", "ok"] and scored.loc["rel", "ok"]
    assert not scored.loc["sign", "ok_sign_days"] and scored.loc["sign", "ok_change_days"]
    assert not scored.loc["size", "ok_change_days"] and scored.loc["size", "ok_sign_days"]
    assert not scored.loc["onsite", "ok_onsite"]
    assert not scored.loc["few", "scored"] and scored.loc["few", "ok"]


def test_oracle_ok_uses_the_level_tolerances() -> None:
    row = {
        "cases_pre": 100,
        "cases_post": 100,
        "obs_mean_days": 3.0,
        "pred_mean_days": 3.0,
        "obs_p90_days": 5.0,
        "pred_p90_days": 5.0,
        "obs_onsite": 0.5,
        "pred_onsite": 0.5,
        "obs_change_days": 0.0,
        "pred_change_days": 0.0,
        "obs_change_onsite": 0.0,
        "pred_change_onsite": 0.0,
        "oracle_p90_days": 5.0,
        "oracle_onsite": 0.5,
    }
    rows = [
        {**row, "item_id": "close", "oracle_mean_days": 3.9},
        {**row, "item_id": "far", "oracle_mean_days": 4.2},
    ]
    scored = score_items(pd.DataFrame(rows)).set_index("item_id")
    assert scored.loc["close", "oracle_ok"] and not scored.loc["far", "oracle_ok"]
    assert scored["ok"].all()  # the oracle is reported, not scored


def test_backtest_module_still_exports_the_scoring_names() -> None:
    assert Reexported is BacktestTolerances and reexported_score_items is score_items
