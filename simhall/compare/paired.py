"""Paired differences of per-replication metrics with confidence intervals.

Replication ``r`` of the base and replication ``r`` of a reform saw the same arrivals and
service draws (common random numbers), so the reform's effect is read from the differences
``after - before`` per replication, as a before/after study on the same clients would.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from simhall.reporting import metrics

__all__ = ["paired", "sectioned_interval"]


def paired(
    before: pd.DataFrame,
    after: pd.DataFrame,
    keys: Sequence[str],
    columns: Sequence[str],
    level: float = 0.95,
) -> pd.DataFrame:
    """Paired differences ``after - before`` per replication, with confidence intervals.

    Parameters
    ----------
    before, after : pandas.DataFrame
        Per-replication frames with ``replication``, ``keys`` and ``columns``.
    keys : sequence of str
        Grouping columns (``[]`` for hall-wide).
    columns : sequence of str
        Metrics to compare.
    level : float
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        ``keys + [metric, before, after, diff, ci_low, ci_high, reps]``: means over
        replications and the mean paired difference with its Student-t interval
        (replications present in both only), clipped to the range a difference of the
        metric can take (:func:`simhall.reporting.metrics.difference_range`: a share's
        difference lies in ``[-1, 1]``).
    """
    keys = list(keys)
    cols = [c for c in columns if c in before.columns and c in after.columns]
    m = before[["replication", *keys, *cols]].merge(
        after[["replication", *keys, *cols]], on=["replication", *keys], suffixes=("_b", "_a")
    )
    rows = []
    groups = m.groupby(keys, sort=True) if keys else [((), m)]
    for key, g in groups:
        kt = key if isinstance(key, tuple) else (key,)
        for c in cols:
            b = g[f"{c}_b"].to_numpy(dtype=np.float64)
            a = g[f"{c}_a"].to_numpy(dtype=np.float64)
            d = a - b
            low, high = metrics.difference_range(c)
            mean, lo, hi = metrics.confidence_interval(d, level, lower=low, upper=high)
            rows.append(
                {
                    **dict(zip(keys, kt)),
                    "metric": c,
                    "before": float(np.nanmean(b)) if np.isfinite(b).any() else math.nan,
                    "after": float(np.nanmean(a)) if np.isfinite(a).any() else math.nan,
                    "diff": mean,
                    "ci_low": lo,
                    "ci_high": hi,
                    "reps": int(np.isfinite(d).sum()),
                }
            )
    return pd.DataFrame(
        rows, columns=[*keys, "metric", "before", "after", "diff", "ci_low", "ci_high", "reps"]
    )


def sectioned_interval(
    point: float, per_rep: np.ndarray, level: float = 0.95
) -> tuple[float, float]:
    """Confidence interval of an estimate from all replications pooled, by sectioning.

    A pooled figure (the shortest limit met by 95% of every replication's cases together)
    has no spread of its own; each replication on its own gives one estimate ``per_rep``,
    and the Student-t half-width of their mean is that of the pooled figure (sectioning:
    Asmussen & Glynn 2007, III.5a; Nakayama 2014 for quantiles). Limits are whole days, so
    the pooled figure can sit a day away from replications that all agree; the interval is
    the span of the per-replication interval and the same interval moved onto ``point``,
    so that rounding cannot make a zero effect look certain. Like a survey's margin of
    error taken from its waves, attached to the estimate from all waves together.

    Parameters
    ----------
    point : float
        The pooled estimate.
    per_rep : numpy.ndarray
        The same figure per replication (NaN ignored).
    level : float
        Confidence level.

    Returns
    -------
    tuple of float
        ``(low, high)``; NaN with fewer than two replications or no ``point``.

    Examples
    --------
    >>> sectioned_interval(-1.0, np.zeros(3))
    (-1.0, 0.0)
    """
    mean, lo, hi = metrics.confidence_interval(np.asarray(per_rep, dtype=np.float64), level)
    if not (math.isfinite(point) and math.isfinite(lo) and math.isfinite(hi)):
        return math.nan, math.nan
    return min(lo, point - (mean - lo)), max(hi, point + (hi - mean))
