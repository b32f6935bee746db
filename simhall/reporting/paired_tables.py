"""Rounded display tables of paired comparisons (:func:`simhall.compare.paired` output and
:attr:`simhall.compare.Comparison.aggregates`) for notebooks and reports.

The before/after columns and the paired change with its 95% CI, labelled in words, as a
planner would read them off a briefing sheet.
"""

from __future__ import annotations

import pandas as pd

from simhall.reporting.formatting import fmt_ci, metric_label, rounded

__all__ = ["AGGREGATE_LABELS", "aggregate_table", "paired_table"]

AGGREGATE_LABELS: dict[str, str] = {
    "committed_mean": "average limit (committed -> recommended)",
    "committed_sum": "sum of limits (committed -> recommended)",
    "limit_sum": "sum of limits met by 95% (per rep.)",
    "p95_sum": "sum of P95 working days (per rep.)",
    "steps_sum": "approval steps",
}
"""Figures of a set of items: label shown."""


def aggregate_table(aggregates: pd.DataFrame) -> pd.DataFrame:
    """The set's figures (:attr:`simhall.compare.Comparison.aggregates`) with labels,
    rounded; ``committed_after_sum`` is left out (no overlay sets committed limits).
    ``items`` were summed; ``withheld`` items of the set were left out (no support for a
    recommendation: :func:`simhall.compare.aggregate`)."""
    rows = []
    for key, label in AGGREGATE_LABELS.items():
        hit = aggregates[aggregates["figure"] == key]
        if not len(hit):
            continue
        r = hit.iloc[0]
        digits = 1 if key == "committed_mean" else 0
        rows.append(
            {
                "figure": label,
                "items": int(r["n_items"]),
                "before": rounded(r["before"], digits),
                "after": rounded(r["after"], digits),
                "change [95% CI]": fmt_ci(r["change"], r["ci_low"], r["ci_high"], digits),
                "change (%)": rounded(r["change_pct"], 1),
                "withheld": int(r.get("n_withheld", 0)),
            }
        )
    return pd.DataFrame(rows).set_index("figure")


def paired_table(
    frame: pd.DataFrame,
    metrics_: tuple[str, ...] | None = None,
    key: str | None = None,
    keys: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Paired before/after rows (:func:`simhall.compare.paired` output, e.g.
    ``Comparison.hall`` or ``Comparison.departments``) as a rounded table.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``[key,] metric, before, after, diff, ci_low, ci_high, reps``.
    metrics_ : tuple of str, optional
        Metrics to show, in this order (default: all).
    key : str, optional
        Grouping column (``department``) shown first.
    keys : tuple of str, optional
        Values of ``key`` to keep, in this order.
    """
    f = frame
    if metrics_ is not None:
        f = f[f["metric"].isin(metrics_)]
        order = {m: k for k, m in enumerate(metrics_)}
        f = f.assign(_m=f["metric"].map(order))
    else:
        f = f.assign(_m=0)
    if key is not None and keys is not None:
        f = f[f[key].isin(keys)]
        f = f.assign(_k=f[key].map({k: n for n, k in enumerate(keys)}))
    else:
        f = f.assign(_k=0)
    f = f.sort_values(["_k", "_m"], kind="stable")
    rows = []
    for r in f.itertuples(index=False):
        label, digits = metric_label(r.metric)
        row: dict[str, object] = {} if key is None else {key: getattr(r, key)}
        row.update(
            {
                "metric": label,
                "before": rounded(r.before, digits),
                "after": rounded(r.after, digits),
                "change [95% CI]": fmt_ci(r.diff, r.ci_low, r.ci_high, digits),
            }
        )
        rows.append(row)
    out = pd.DataFrame(rows)
    return out.set_index([key, "metric"] if key is not None else "metric")
