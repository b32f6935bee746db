"""Durations from a case table some of whose cases are still open: the frame side of
:mod:`simhall.reporting.censoring`.

Like a registry clerk's year-end count, each item's files are split into those closed (with
their counted working days) and those still open (with the days counted so far). The figures
of durations (mean, percentiles, share within the limit, shortest limit at the service level)
use both; where too many are open for an estimate in some replication, the figure is not
estimable over the run either (:func:`not_estimable`), and is blanked rather than averaged
over the replications that could (:func:`blank`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from simhall.reporting import censoring

__all__ = [
    "DURATION_METRICS",
    "NONE",
    "blank",
    "duration_figures",
    "not_estimable",
    "open_days",
    "split_cases",
]

NONE = np.empty(0)
"""No open cases (an empty array of counted days)."""


def _days(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].to_numpy(dtype=np.float64, na_value=np.nan)


def split_cases(group: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The completed cases, their counted days, and the counted days of the accepted cases
    still open when the run stopped (``censored_days``; none in a frame without it)."""
    done = group[group["status"] == "completed"]
    if "censored_days" in group.columns:
        open_days = _days(group, "censored_days")
        open_days = open_days[np.isfinite(open_days)]
    else:
        open_days = NONE
    return done, _days(done, "counted_days"), open_days


def duration_figures(cases: pd.DataFrame) -> dict[str, float]:
    """``completed_share``, ``mean_days`` and ``p95_days`` of these cases (of one item or
    bundle; one replication or several), the cases still open counted
    (:mod:`simhall.reporting.censoring`; NaN where not estimable)."""
    if not len(cases):
        return {"completed_share": math.nan, "mean_days": math.nan, "p95_days": math.nan}
    done, days, open_days = split_cases(cases)
    (p95,) = censoring.quantiles(days, open_days, (0.95,))
    return {
        "completed_share": len(done) / len(cases),
        "mean_days": censoring.mean_days(days, open_days),
        "p95_days": p95,
    }


DURATION_METRICS = ["mean_days", "p50_days", "p90_days", "p95_days", "share_within", "limit_at_sl"]
"""Per-item figures of the cases' durations: not estimable where too many cases are open."""


def not_estimable(item_rep: pd.DataFrame) -> pd.DataFrame:
    """``item_id, metric`` of the duration figures (:data:`DURATION_METRICS`) that some
    replication with open cases could not estimate (NaN there): a mean over the other
    replications would mislead, so the figure is not estimable over the run either.

    ``item_rep`` is :func:`simhall.reporting.metrics.items_by_replication` output (one
    replication or several).
    """
    if not len(item_rep) or "open" not in item_rep.columns:
        return pd.DataFrame(columns=["item_id", "metric"])
    parts = []
    for m in DURATION_METRICS:
        # an item without a committed limit has no share within it in any replication
        blank = item_rep[m].isna() & (item_rep["open"] > 0)
        parts += [(i, m) for i in item_rep.loc[blank, "item_id"].unique()]
    return pd.DataFrame(parts, columns=["item_id", "metric"])


def blank(
    frame: pd.DataFrame, where: pd.DataFrame, columns: Sequence[str] = ("mean", "ci_low", "ci_high")
) -> pd.DataFrame:
    """``frame`` (tidy: ``item_id, metric, ...``) with ``columns`` NaN in the rows whose
    ``item_id, metric`` are in ``where`` (:func:`not_estimable`)."""
    if not len(where) or not len(frame):
        return frame
    keys = pd.MultiIndex.from_frame(frame[["item_id", "metric"]].astype(str))
    hit = keys.isin(pd.MultiIndex.from_frame(where[["item_id", "metric"]].astype(str)))
    frame = frame.copy()
    frame.loc[hit, list(columns)] = math.nan
    return frame


def open_days(cases: pd.DataFrame) -> pd.DataFrame:
    """``item_id, censored_days`` of the accepted cases still open when the run stopped."""
    if "censored_days" not in cases.columns:
        return pd.DataFrame({"item_id": pd.Series([], dtype="string"), "censored_days": []})
    return cases.loc[cases["censored_days"].notna(), ["item_id", "censored_days"]]
