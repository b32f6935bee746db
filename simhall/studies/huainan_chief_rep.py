"""The chief-representative (首席代表) notebook's views of a comparison: per item of the
reformed set, the committed limit, P95 working days before and after and the recommended
limit after, as a table and as a figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simhall.reporting.figures import COLOURS, new_figure
from simhall.reporting.formatting import fmt_ci
from simhall.reporting.labels import Lang, name_label, phrase

__all__ = ["chief_rep_figure", "chief_rep_items"]


def chief_rep_items(items: pd.DataFrame, tag: str = "chief_rep_46") -> pd.DataFrame:
    """Per item of ``tag``: committed limit, P95 working days before and after with the
    paired change and its 95% CI, the recommended limit after (shortest limit met by 95% of
    the pooled cases), the compression from the committed limit and the steps removed.

    Parameters
    ----------
    items : pandas.DataFrame
        :attr:`simhall.compare.Comparison.items` (:func:`simhall.compare.item_table`).
    tag : str
        Item tag of the set.

    Returns
    -------
    pandas.DataFrame
        Indexed by item id, rounded; sorted by department and item.
    """
    tagged = items["tags"].fillna("").map(lambda t: tag in str(t).split(";"))
    sel = items[tagged].sort_values(["department", "item_id"], kind="stable")
    table = pd.DataFrame(
        {
            "item": sel["item_id"],
            "name": sel["name"],
            "department": sel["department"],
            "committed": pd.to_numeric(sel["committed_before"], errors="coerce"),
            "P95 before": sel["p95_before"].round(1),
            "P95 after": sel["p95_after"].round(1),
            "P95 change [95% CI]": [
                fmt_ci(m, lo, hi, 1)
                for m, lo, hi in zip(
                    sel["p95_diff"], sel["p95_diff_ci_low"], sel["p95_diff_ci_high"]
                )
            ],
            "limit after": sel["recommended_after"].round(0),
            "compression (days)": sel["compression_days"].round(0),
            "compression (%)": sel["compression_pct"].round(1),
            "steps removed": sel["removed"],
        }
    )
    return table.set_index("item")


def chief_rep_figure(
    items: pd.DataFrame, tag: str = "chief_rep_46", *, lang: Lang | None = None
) -> Figure:
    """Per item of ``tag``: the committed limit, the simulated P95 before and after and the
    recommended limit after, in working days (fixed width; items by name and id)."""
    tagged = items["tags"].fillna("").map(lambda t: tag in str(t).split(";"))
    sel = items[tagged].sort_values(["department", "item_id"], kind="stable")
    fig = new_figure((9.0, max(3.0, 1.6 + 0.2 * len(sel))))
    ax = fig.add_subplot()
    y = np.arange(len(sel))[::-1]
    committed = pd.to_numeric(sel["committed_before"], errors="coerce").to_numpy(float)
    before = sel["p95_before"].to_numpy(float)
    after = sel["p95_after"].to_numpy(float)
    ax.hlines(y, after, before, color="lightgrey", lw=2)
    ax.scatter(
        committed,
        y,
        marker="|",
        s=90,
        color=COLOURS["committed"],
        label=phrase("committed_limit", lang),
    )
    ax.scatter(before, y, s=18, color=COLOURS["before"], label=phrase("p95_before", lang))
    ax.scatter(after, y, s=18, color=COLOURS["after"], label=phrase("p95_after", lang))
    ax.scatter(
        sel["recommended_after"].to_numpy(float),
        y,
        marker="x",
        s=18,
        color=COLOURS["recommended"],
        label=phrase("recommended_after", lang),
    )
    names = [name_label(i, n, lang) for i, n in zip(sel["item_id"], sel["name"])]
    ax.set_yticks(y, names, fontsize=8)
    ax.set_ylim(-1, len(sel))
    ax.set_xlim(left=0)
    ax.set_xlabel(phrase("working_days", lang))
    ax.set_title(phrase("chief_title", lang, tag=tag))
    fig.legend(loc="outside lower center", ncols=4, frameon=False)
    return fig
