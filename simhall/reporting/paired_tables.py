"""Rounded display tables of paired comparisons (:func:`simhall.compare.paired` output,
:attr:`simhall.compare.Comparison.aggregates` and its honest headlines, the window
scorecard before and after) for notebooks and reports.

The before/after columns and the paired change with its 95% CI, labelled in words, as a
planner would read them off a briefing sheet.
"""

from __future__ import annotations

import pandas as pd

from simhall.reporting.formatting import as_float, fmt_ci, metric_label, rounded

__all__ = [
    "AGGREGATE_LABELS",
    "aggregate_table",
    "headline_table",
    "paired_table",
    "scorecard_table",
]

AGGREGATE_LABELS: dict[str, str] = {
    "committed_sum": "sum of limits: committed before -> recommended after",
    "slack_sum": "  of which slack in today's limits (committed -> recommended, base)",
    "reform_sum": "  of which the reform (recommended before -> after, paired)",
    "committed_mean": "average limit: committed before -> recommended after",
    "slack_mean": "  of which slack in today's limits (committed -> recommended, base)",
    "reform_mean": "  of which the reform (recommended before -> after, paired)",
    "limit_sum": "sum of limits met by 95% (per rep.)",
    "p95_sum": "sum of P95 working days (per rep.)",
    "steps_sum": "approval steps",
}
"""Figures of a set of items: label shown (a headline, then its two parts)."""


def _pct(value: object) -> float:
    return rounded(value, 1)


def aggregate_table(aggregates: pd.DataFrame) -> pd.DataFrame:
    """The set's figures (:attr:`simhall.compare.Comparison.aggregates`) with labels,
    rounded; ``committed_after_sum`` is left out (no overlay sets committed limits).
    Each headline (committed before -> recommended after) is followed by its two parts,
    the slack in today's limits and the reform's effect, which add up to it; ``% of
    committed`` adds up likewise. ``items`` were summed; ``withheld`` items of the set
    were left out (no support for a recommendation: :func:`simhall.compare.aggregate`)."""
    rows = []
    for key, label in AGGREGATE_LABELS.items():
        hit = aggregates[aggregates["figure"] == key]
        if not len(hit):
            continue
        r = hit.iloc[0]
        digits = 1 if key.endswith("_mean") else 0
        rows.append(
            {
                "figure": label,
                "items": int(r["n_items"]),
                "before": rounded(r["before"], digits),
                "after": rounded(r["after"], digits),
                "change [95% CI]": fmt_ci(r["change"], r["ci_low"], r["ci_high"], digits),
                "change (%)": _pct(r["change_pct"]),
                "% of committed": _pct(r.get("pct_of_committed")),
                "withheld": int(r.get("n_withheld", 0)),
            }
        )
    return pd.DataFrame(rows).set_index("figure")


def headline_table(aggregates: pd.DataFrame) -> pd.DataFrame:
    """The honest headline per scenario: committed limits before, recommended limits
    before and after, and the change split into the slack already in today's limits and
    the reform's effect (paired, 95% CI), in days and in % of the committed limits.

    Parameters
    ----------
    aggregates : pandas.DataFrame
        :attr:`simhall.compare.Comparison.aggregates` (rows ``committed_*``, ``slack_*``,
        ``reform_*`` of :func:`simhall.compare.headlines.headline_split`).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``scenario`` (when the frame has one) and ``headline`` (sum of limits,
        average limit), rounded; a staffing change that leaves the limits alone shows its
        whole change as slack and a reform effect of about 0.
    """
    rows = []
    groups = (
        aggregates.groupby("scenario", sort=False)
        if "scenario" in aggregates
        else [("", aggregates)]
    )
    for scenario, frame in groups:
        by = frame.set_index("figure")
        for stat, name, digits in (("sum", "sum of limits", 0), ("mean", "average limit", 1)):
            if not all(f"{p}_{stat}" in by.index for p in ("committed", "slack", "reform")):
                continue
            total, slack, reform = (by.loc[f"{p}_{stat}"] for p in ("committed", "slack", "reform"))
            row: dict[str, object] = {} if scenario == "" else {"scenario": scenario}
            row.update(
                {
                    "headline": name,
                    "items": int(as_float(total["n_items"])),
                    "committed": rounded(total["before"], digits),
                    "recommended before": rounded(slack["after"], digits),
                    "recommended after": rounded(total["after"], digits),
                    "total change [95% CI]": fmt_ci(
                        total["change"], total["ci_low"], total["ci_high"], digits
                    ),
                    "slack [95% CI]": fmt_ci(
                        slack["change"], slack["ci_low"], slack["ci_high"], digits
                    ),
                    "reform effect [95% CI]": fmt_ci(
                        reform["change"], reform["ci_low"], reform["ci_high"], digits
                    ),
                    "total (% of committed)": _pct(total["pct_of_committed"]),
                    "slack (% of committed)": _pct(slack["pct_of_committed"]),
                    "reform (% of committed)": _pct(reform["pct_of_committed"]),
                    "withheld": int(as_float(total["n_withheld"])),
                }
            )
            rows.append(row)
    index = ["headline"] if not rows or "scenario" not in rows[0] else ["scenario", "headline"]
    return pd.DataFrame(rows).set_index(index) if rows else pd.DataFrame()


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


def _card_digits(metric: str) -> int:
    if metric == "rank":
        return 0
    if metric in ("total", "assessment_points") or metric.startswith("points_"):
        return 1
    return 1 if metric.endswith("_min") else 3


def scorecard_table(
    card: pd.DataFrame,
    metrics_: tuple[str, ...] = ("total", "rank", "onsite_rate", "mean_wait_min"),
    departments: tuple[str, ...] | list[str] | None = None,
) -> pd.DataFrame:
    """The window scorecard before and after (:attr:`simhall.compare.Comparison.scorecard`)
    as a rounded table: per department and figure, before, after and the paired change
    with its 95% CI (a rank has none).

    Parameters
    ----------
    card : pandas.DataFrame
        ``department, name, metric, label, before, after, diff, ci_low, ci_high`` of one
        reformed scenario.
    metrics_ : tuple of str
        Figures to show, in this order (:data:`simhall.compare.scorecards.SCORE_METRICS`,
        ``points_<area>``, indicator keys).
    departments : sequence of str, optional
        Departments to keep, in this order (default: all).
    """
    f = card[card["metric"].isin(metrics_)]
    order = list(dict.fromkeys(f["department"])) if departments is None else list(departments)
    f = f[f["department"].isin(order)]
    f = f.assign(
        _d=f["department"].map({d: k for k, d in enumerate(order)}),
        _m=f["metric"].map({m: k for k, m in enumerate(metrics_)}),
    ).sort_values(["_d", "_m"], kind="stable")
    rows = []
    for r in f.itertuples(index=False):
        digits = _card_digits(str(r.metric))
        rows.append(
            {
                "department": f"{r.department} {r.name}",
                "figure": r.label,
                "before": rounded(r.before, digits),
                "after": rounded(r.after, digits),
                "change [95% CI]": fmt_ci(r.diff, r.ci_low, r.ci_high, digits),
            }
        )
    return pd.DataFrame(rows).set_index(["department", "figure"]) if rows else pd.DataFrame()
