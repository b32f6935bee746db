"""The naive forecast: "the test period looks like the training period", plain and censored.

A weather forecast is worth something only if it beats "tomorrow is like today". A held-out
validation (:func:`simhall.validation.holdout.holdout`) therefore puts the calibrated model
next to the naive forecast that takes the training period's observed closed cases as the
prediction of the test period, twice:

* **plain**: the training cases as they are;
* **censored like the test** (*follow-up weighting*): a test case that started ``h``
  calendar days before the extraction is seen closed only if it took at most ``h`` days,
  while the training cases had months more follow-up. Each training case is weighted by the
  share of accepted test cases whose follow-up would have seen it close
  (:func:`followup_weights`), so the weighted sample is censored like the scored test cases
  (and like the simulation, which stops at the extraction too). A model that beats the plain
  naive forecast but not the censored one owes its margin to censoring, not to foresight.

:func:`compare_samples` gives the three distances for one set of samples,
:func:`naive_comparison` per hall and item in working and calendar days, with the number of
cases behind each yardstick, :func:`yardstick_warnings` says when a yardstick rests on too
few of them, and :func:`naive_rows` turns the working-day distances into ``info`` rows of
the validation table.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import wasserstein_distance

__all__ = [
    "MEASURES",
    "MIN_YARDSTICK_CASES",
    "MIN_YARDSTICK_SHARE",
    "compare_samples",
    "followup_weights",
    "format_naive",
    "naive_comparison",
    "naive_rows",
    "yardstick_warnings",
]

MEASURES = ("working_days", "calendar_days")
"""Throughput measures compared (case-table columns)."""

MIN_YARDSTICK_CASES = 100
"""A yardstick resting on fewer (effective) training cases is flagged."""

MIN_YARDSTICK_SHARE = 0.5
"""A yardstick resting on less than this share of the accepted training cases is flagged."""


def followup_weights(
    span_days: np.ndarray, test_first: pd.Series, observed_until: object
) -> np.ndarray:
    """Weight of each training case under the test period's follow-up.

    Parameters
    ----------
    span_days : numpy.ndarray
        Calendar days from first to last event of each training case.
    test_first : pandas.Series
        First timestamp of every accepted test case (closed or not: the follow-up is a
        property of the start day).
    observed_until : Timestamp-like
        The extraction moment.

    Returns
    -------
    numpy.ndarray
        Share of test cases whose follow-up (calendar days from their start day to the
        extraction day) is at least the training case's span; all ones without test cases.
    """
    span = np.asarray(span_days, dtype=np.float64)
    end = pd.Timestamp(str(observed_until)).normalize()
    first = pd.to_datetime(test_first).dt.normalize()
    horizon = np.sort((end - first).dt.days.to_numpy(dtype=np.float64))
    if horizon.size == 0:
        return np.ones(span.size)
    return 1.0 - np.searchsorted(horizon, span, side="left") / horizon.size


def _w(a: np.ndarray, b: np.ndarray, weights: np.ndarray | None = None) -> float:
    if weights is not None:
        keep = weights > 0
        b, weights = b[keep], weights[keep]
    if not (a.size and b.size):
        return math.nan
    return float(wasserstein_distance(a, b, v_weights=weights))


def compare_samples(
    test: pd.DataFrame,
    sim: pd.DataFrame,
    train: pd.DataFrame,
    test_accepted: pd.DataFrame,
    observed_until: object,
    measure: str,
) -> dict[str, Any]:
    """The model, the plain and the censored naive forecast against one test sample.

    Parameters
    ----------
    test, sim, train : pandas.DataFrame
        Case tables of the scored samples (observed test, simulated, training).
    test_accepted : pandas.DataFrame
        The accepted test cases whose follow-up censors the test sample (``first``).
    observed_until : Timestamp-like
        The extraction moment.
    measure : {"working_days", "calendar_days"}
        The throughput measure.

    Returns
    -------
    dict
        ``model``, ``naive``, ``naive_followup`` (1-Wasserstein distances to ``test``),
        ``n_test``, ``n_sim``, ``n_train`` (cases behind the plain naive forecast),
        ``n_train_followup`` (training cases with a positive follow-up weight) and
        ``ess_followup`` (their effective number, (sum w)^2 / sum w^2).
    """
    o = test[measure].to_numpy(dtype=np.float64)
    m = sim[measure].to_numpy(dtype=np.float64)
    n = train[measure].to_numpy(dtype=np.float64)
    w = followup_weights(
        train["calendar_days"].to_numpy(dtype=np.float64), test_accepted["first"], observed_until
    )
    sq = float(np.sum(w**2))
    return {
        "model": _w(o, m),
        "naive": _w(o, n),
        "naive_followup": _w(o, n, w),
        "n_test": int(o.size),
        "n_sim": int(m.size),
        "n_train": int(n.size),
        "n_train_followup": int((w > 0).sum()),
        "ess_followup": float(np.sum(w) ** 2 / sq) if sq > 0 else 0.0,
    }


def naive_comparison(
    test: pd.DataFrame, sim: pd.DataFrame, train: pd.DataFrame, observed_until: object
) -> pd.DataFrame:
    """Distances of the model and of the naive forecasts to the test cases, hall and items.

    Parameters
    ----------
    test, sim, train : pandas.DataFrame
        Case tables with ``scored``, ``item_id``, ``first``, ``working_days``,
        ``calendar_days``.
    observed_until : Timestamp-like
        The extraction moment (end of the follow-up of the test cases).

    Returns
    -------
    pandas.DataFrame
        ``scope, id, measure`` and the columns of :func:`compare_samples`, then
        ``n_train_accepted`` (accepted training cases: what a yardstick could rest on).
    """
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
    rows = []
    for scope, id_, t, s, tr in groups:
        accepted = t[t["working_days"].notna()]
        n_acc = int(tr["working_days"].notna().sum())
        for measure in MEASURES:
            row = compare_samples(
                t[t["scored"]], s[s["scored"]], tr[tr["scored"]], accepted, observed_until, measure
            )
            rows.append(
                {"scope": scope, "id": id_, "measure": measure, **row, "n_train_accepted": n_acc}
            )
    return pd.DataFrame(rows)


def yardstick_warnings(naive: pd.DataFrame) -> list[str]:
    """Warnings when the hall's naive forecasts rest on too few training cases.

    A yardstick is flagged when it rests on fewer than :data:`MIN_YARDSTICK_CASES`
    (effective) cases or on less than :data:`MIN_YARDSTICK_SHARE` of the accepted training
    cases (a closure rule that leaves most finished cases "open" builds it from the few it
    keeps). Items are summed up in one line; a hall without any accepted training case (an
    acceptance activity the log does not use) gets one warning saying so.

    Parameters
    ----------
    naive : pandas.DataFrame
        :func:`naive_comparison`.

    Returns
    -------
    list of str
    """
    out: list[str] = []
    wd = naive[naive["measure"] == "working_days"]
    flagged_items: set[str] = set()
    hall = wd[wd["scope"] == "hall"]
    if len(hall) and int(hall["n_train_accepted"].sum()) == 0:
        return [
            "yardstick: no training case has an acceptance event, so there is no naive "
            "forecast: check the acceptance activity (--accept-activity)"
        ]
    for r in wd.to_dict("records"):
        accepted = int(r["n_train_accepted"])
        for label, n in (
            ("naive forecast", float(r["n_train"])),
            ("naive forecast censored like the test period", float(r["ess_followup"])),
        ):
            reasons = _thin(n, accepted)
            if not reasons:
                continue
            if r["scope"] != "hall":
                flagged_items.add(str(r["id"]))
                continue
            share = n / accepted if accepted else 0.0
            out.append(
                f"yardstick: the {label} rests on {n:.0f} training case(s), {share:.0%} of "
                f"the {accepted} accepted ones ({' and '.join(reasons)}): read its distance "
                "with care, and check which cases were taken as closed (--closed-rule)"
            )
    if flagged_items:
        items = int((wd["scope"] == "item").sum())
        out.append(
            f"yardstick: the naive forecasts of {len(flagged_items)} of {items} item(s) rest "
            f"on fewer than {MIN_YARDSTICK_CASES} (effective) training cases or on less than "
            f"{MIN_YARDSTICK_SHARE:.0%} of them (see naive.csv)"
        )
    return out


def _thin(n: float, accepted: int) -> list[str]:
    """Why ``n`` cases out of ``accepted`` are too few for a yardstick (empty: enough)."""
    reasons = []
    if n < MIN_YARDSTICK_CASES:
        reasons.append(f"fewer than {MIN_YARDSTICK_CASES}")
    if n < MIN_YARDSTICK_SHARE * accepted:
        reasons.append(f"less than {MIN_YARDSTICK_SHARE:.0%}")
    return reasons


def format_naive(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with the distances (two decimals) and the effective size as strings."""
    out = frame.copy()
    for c in ("model", "naive", "naive_followup"):
        if c in out:
            out[c] = out[c].map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
    if "ess_followup" in out:
        out["ess_followup"] = out["ess_followup"].map(lambda v: f"{v:.0f}")
    return out


def naive_rows(naive: pd.DataFrame) -> pd.DataFrame:
    """The naive forecasts' working-day distances as ``info`` rows of a validation table.

    Parameters
    ----------
    naive : pandas.DataFrame
        :func:`naive_comparison`.

    Returns
    -------
    pandas.DataFrame
        Rows ``naive_wasserstein_days`` (plain) and ``naive_followup_wasserstein_days``
        (censored like the test): distance in ``error``, ``n_observed`` the test cases,
        ``n_simulated`` the training cases behind it (with a positive weight), status
        ``info``.
    """
    rows = []
    for r in naive[naive["measure"] == "working_days"].itertuples(index=False):
        for metric, error, n_train in (
            ("naive_wasserstein_days", r.naive, r.n_train),
            ("naive_followup_wasserstein_days", r.naive_followup, r.n_train_followup),
        ):
            rows.append(
                {
                    "scope": r.scope,
                    "id": r.id,
                    "metric": metric,
                    "observed": math.nan,
                    "simulated": math.nan,
                    "error": error,
                    "limit": math.nan,
                    "se": math.nan,
                    "n_observed": r.n_test,
                    "n_simulated": n_train,
                    "status": "info",
                }
            )
    return pd.DataFrame(rows)
