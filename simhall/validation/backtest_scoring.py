"""Scoring a reform back-test: is each predicted post-reform figure close enough?

A building inspector signs off a house against the drawings with stated allowances: a wall
may be a centimetre off, but it must stand on the right side of the line. A back-test
(:func:`simhall.validation.backtest.reform_backtest`) judges its predictions the same way,
per item: post-reform *levels* (mean and P90 working days, on-site completion) within an
absolute or relative allowance, and the *change* the reform brought with the observed sign
(where the observed change is material) and within its own allowance
(:class:`BacktestTolerances`, :func:`score_items`). See ``docs/backtest.md`` for the
reasoning behind each number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["BacktestTolerances", "score_items"]


@dataclass(frozen=True)
class BacktestTolerances:
    """What counts as a correct prediction of an item's post-reform figures.

    A level passes when ``|predicted - observed| <= max(abs, rel * |observed|)``; a change
    (post - pre) passes when it has the observed sign (checked only where the observed change
    is *material*) and ``|predicted change - observed change| <= max(abs, rel * |observed
    change|)``. See ``docs/backtest.md`` for the reasoning behind each number.

    Attributes
    ----------
    mean_days_abs, mean_days_rel : float
        Mean working days: 1 day or 20%.
    p90_days_abs, p90_days_rel : float
        P90 of working days: 1 day or 20% (working days are whole numbers, so P90 moves in
        steps of one day).
    onsite_abs : float
        On-site completion rate: 0.10.
    change_days_abs, change_days_rel : float
        Change of mean working days: 1 day or 30% of the observed change.
    change_onsite_abs : float
        Change of the on-site rate: 0.10.
    material_days, material_onsite : float
        An observed change at least this large must be predicted with the right sign
        (0.5 working days, 0.05 on-site rate); smaller ones are "no material change" and
        only the size tolerance applies.
    min_cases : int
        Items with fewer completed cases in either log are reported but not scored.
    """

    mean_days_abs: float = 1.0
    mean_days_rel: float = 0.20
    p90_days_abs: float = 1.0
    p90_days_rel: float = 0.20
    onsite_abs: float = 0.10
    change_days_abs: float = 1.0
    change_days_rel: float = 0.30
    change_onsite_abs: float = 0.10
    material_days: float = 0.5
    material_onsite: float = 0.05
    min_cases: int = 30


def _tol(observed: pd.Series, abs_tol: float, rel_tol: float) -> pd.Series:
    return np.maximum(abs_tol, rel_tol * observed.abs())  # type: ignore[return-value]


def score_items(table: pd.DataFrame, tolerances: BacktestTolerances | None = None) -> pd.DataFrame:
    """Add errors, tolerances and pass/fail columns to a per-item back-test table.

    Parameters
    ----------
    table : pandas.DataFrame
        Needs ``obs_mean_days, obs_p90_days, obs_onsite, pred_mean_days, pred_p90_days,
        pred_onsite, obs_change_days, pred_change_days, obs_change_onsite,
        pred_change_onsite, cases_pre, cases_post``.
    tolerances : BacktestTolerances, optional
        Default :class:`BacktestTolerances`.

    Returns
    -------
    pandas.DataFrame
        ``table`` with ``err_*``, ``tol_*``, ``ok_*`` per check (mean_days, p90_days,
        onsite, sign_days, change_days, sign_onsite, change_onsite), ``scored`` and ``ok``.
        A check whose observed value is missing (an item new with the reform has no
        pre-reform figures) passes vacuously; unscored rows have ``ok`` True. With
        ``oracle_*`` columns, ``oracle_ok`` says whether the truth scenario itself (seed
        ``C``) meets the level tolerances: a failed item whose oracle fails as well points to
        the post-reform log's own variability, not to calibration.
    """
    t = tolerances or BacktestTolerances()
    out = table.copy()

    def level(name: str, obs: str, pred: str, tol: pd.Series | float) -> None:
        err = out[pred] - out[obs]
        out[f"err_{name}"] = err
        out[f"tol_{name}"] = tol
        out[f"ok_{name}"] = (err.abs() <= out[f"tol_{name}"] + 1e-9) | out[obs].isna()

    level(
        "mean_days",
        "obs_mean_days",
        "pred_mean_days",
        _tol(out["obs_mean_days"], t.mean_days_abs, t.mean_days_rel),
    )
    level(
        "p90_days",
        "obs_p90_days",
        "pred_p90_days",
        _tol(out["obs_p90_days"], t.p90_days_abs, t.p90_days_rel),
    )
    level("onsite", "obs_onsite", "pred_onsite", t.onsite_abs)

    def sign(name: str, obs: str, pred: str, material: float) -> None:
        o, p = out[obs], out[pred]
        out[f"ok_sign_{name}"] = (o.abs() < material) | o.isna() | (np.sign(o) == np.sign(p))

    sign("days", "obs_change_days", "pred_change_days", t.material_days)
    level(
        "change_days",
        "obs_change_days",
        "pred_change_days",
        _tol(out["obs_change_days"], t.change_days_abs, t.change_days_rel),
    )
    sign("onsite", "obs_change_onsite", "pred_change_onsite", t.material_onsite)
    level("change_onsite", "obs_change_onsite", "pred_change_onsite", t.change_onsite_abs)
    if {"oracle_mean_days", "oracle_p90_days", "oracle_onsite"} <= set(out.columns):
        mean_tol = _tol(out["obs_mean_days"], t.mean_days_abs, t.mean_days_rel)
        p90_tol = _tol(out["obs_p90_days"], t.p90_days_abs, t.p90_days_rel)
        out["oracle_ok"] = (
            ((out["oracle_mean_days"] - out["obs_mean_days"]).abs() <= mean_tol + 1e-9)
            & ((out["oracle_p90_days"] - out["obs_p90_days"]).abs() <= p90_tol + 1e-9)
            & ((out["oracle_onsite"] - out["obs_onsite"]).abs() <= t.onsite_abs + 1e-9)
        ) | out["obs_mean_days"].isna()
    out["scored"] = (out["cases_post"].fillna(0) >= t.min_cases) & (
        out["cases_pre"].isna() | (out["cases_pre"].fillna(0) >= t.min_cases)
    )
    checks = [c for c in out.columns if c.startswith("ok_")]
    out["ok"] = out[checks].all(axis=1) | ~out["scored"]
    return out
