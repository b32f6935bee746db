"""The naive forecast: "the test period looks like the training period".

A weather forecast is worth something only if it beats "tomorrow is like today". A held-out
validation (:func:`simhall.validation.holdout.holdout`) therefore puts the calibrated model
next to the naive forecast that takes the training period's observed (closed) cases as the
prediction of the test period: :func:`naive_comparison` gives both Wasserstein distances to
the observed test cases, per hall and per item, in working and calendar days, and
:func:`naive_rows` turns the working-day distances into ``info`` rows of the validation
table.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import wasserstein_distance

__all__ = ["format_naive", "naive_comparison", "naive_rows"]


def format_naive(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with the distances as strings with two decimals."""
    out = frame.copy()
    for c in ("model", "naive"):
        out[c] = out[c].map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
    return out


def naive_comparison(test: pd.DataFrame, sim: pd.DataFrame, train: pd.DataFrame) -> pd.DataFrame:
    """Wasserstein distances of the model and of the naive forecast to the test cases.

    Parameters
    ----------
    test, sim, train : pandas.DataFrame
        Case tables with ``scored``, ``item_id``, ``working_days``, ``calendar_days``.

    Returns
    -------
    pandas.DataFrame
        ``scope, id, measure, model, naive, n_test, n_sim, n_train``.
    """
    rows = []
    groups: list[tuple[str, str, pd.DataFrame, pd.DataFrame, pd.DataFrame]] = [
        ("hall", "hall", test, sim, train)
    ]
    if test["item_id"].nunique() > 1:
        for item_id, t in test.groupby("item_id", sort=True):
            groups.append(
                (
                    "item",
                    str(item_id),
                    t,
                    sim[sim["item_id"] == item_id],
                    train[train["item_id"] == item_id],
                )
            )
    for scope, id_, t, s, tr in groups:
        t, s, tr = t[t["scored"]], s[s["scored"]], tr[tr["scored"]]
        for measure in ("working_days", "calendar_days"):
            o = t[measure].to_numpy(dtype=np.float64)
            m = s[measure].to_numpy(dtype=np.float64)
            n = tr[measure].to_numpy(dtype=np.float64)
            rows.append(
                {
                    "scope": scope,
                    "id": id_,
                    "measure": measure,
                    "model": float(wasserstein_distance(o, m)) if o.size and m.size else math.nan,
                    "naive": float(wasserstein_distance(o, n)) if o.size and n.size else math.nan,
                    "n_test": int(o.size),
                    "n_sim": int(m.size),
                    "n_train": int(n.size),
                }
            )
    return pd.DataFrame(rows)


def naive_rows(naive: pd.DataFrame) -> pd.DataFrame:
    """The naive forecast's working-day distances as ``info`` rows of a validation table.

    Parameters
    ----------
    naive : pandas.DataFrame
        :func:`naive_comparison`.

    Returns
    -------
    pandas.DataFrame
        Rows ``naive_wasserstein_days`` (distance in ``error``, ``n_observed`` the test
        cases, ``n_simulated`` the training cases), status ``info``.
    """
    rows = [
        {
            "scope": r.scope,
            "id": r.id,
            "metric": "naive_wasserstein_days",
            "observed": math.nan,
            "simulated": math.nan,
            "error": r.naive,
            "limit": math.nan,
            "se": math.nan,
            "n_observed": r.n_test,
            "n_simulated": r.n_train,
            "status": "info",
        }
        for r in naive[naive["measure"] == "working_days"].itertuples(index=False)
    ]
    return pd.DataFrame(rows)
