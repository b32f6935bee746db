"""Figures of a :class:`~simhall.compare.Comparison`: P95 working days per item before and
after each reform, and the contributions of combined reforms.

Each figure function returns a bare :class:`matplotlib.figure.Figure`
(:func:`simhall.reporting.figures.new_figure`); :func:`write_figures` saves them as PNG next
to the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simhall.compare.comparison import Comparison
from simhall.reporting.figures import new_figure, save_png
from simhall.reporting.plots import withheld_mask

__all__ = ["MAX_ITEMS", "contributions_figure", "p95_figure", "safe_name", "write_figures"]

MAX_ITEMS = 40
"""Items drawn per P95 figure (the first ones of the item table)."""


def p95_figure(items: pd.DataFrame, label: str) -> Figure:
    """Bars of P95 working days before and after per item, with the committed limit before;
    an item whose recommendation after is withheld is marked ``(withheld)``.

    Parameters
    ----------
    items : pandas.DataFrame
        Rows of :func:`simhall.compare.item_table` to draw.
    label : str
        Scenario label for the title.
    """
    fig = new_figure((8.0, 6.0))
    ax = fig.add_subplot()
    y = np.arange(len(items))
    ax.barh(y - 0.2, items["p95_before"], height=0.4, label="P95 before")
    ax.barh(y + 0.2, items["p95_after"], height=0.4, label="P95 after")
    ax.scatter(
        items["committed_before"].astype(float),
        y,
        marker="|",
        color="k",
        s=80,
        label="committed before",
    )
    held = withheld_mask(items, "withheld_after")
    ticks = [f"{i} (withheld)" if h else str(i) for i, h in zip(items["item_id"], held)]
    ax.set_yticks(y, ticks, fontsize=6)
    ax.set_xlabel("working days")
    ax.set_title(f"{label}: P95 working days per item")
    ax.legend(fontsize=7)
    return fig


def contributions_figure(contributions: pd.DataFrame) -> Figure:
    """Bars of each reform's contribution to the summed limit at the service level, one
    group of bars per view (``add_one``, ``leave_one_out``)."""
    c = contributions[contributions["figure"] == "limit_sum"]
    fig = new_figure((8.0, 4.0))
    ax = fig.add_subplot()
    for k, (view, g) in enumerate(c.groupby("view", sort=False)):
        x = np.arange(len(g)) + 0.4 * k
        ax.bar(x, g["contribution"], width=0.4, label=view)
        ax.set_xticks(np.arange(len(g)) + 0.2, g["reform"], fontsize=7)
    ax.axhline(0, color="k", lw=0.5)
    ax.set_ylabel("change of the summed limit at SL (days)")
    ax.legend(fontsize=7)
    return fig


def safe_name(text: str) -> str:
    """``text`` usable in a file name (anything but letters, digits, ``-`` and ``_`` -> ``_``)."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)


def _tagged(items: pd.DataFrame, tags: Sequence[str]) -> pd.DataFrame:
    wanted = set(tags)
    keep = items["tags"].fillna("").apply(lambda t: not wanted or bool(wanted & set(t.split(";"))))
    return items[keep]


def write_figures(cmp: Comparison, out: Path, tags: Sequence[str] = ()) -> list[str]:
    """Save the comparison's figures as PNG in ``out``; the file names written.

    One ``p95_<scenario>.png`` per reformed scenario (items carrying any of ``tags``, all
    when empty, at most :data:`MAX_ITEMS`) and ``contributions.png`` when contributions were
    computed.
    """
    written = []
    for label, it in cmp.items.groupby("scenario", sort=False):
        sel = _tagged(it, tags).dropna(subset=["p95_before"]).head(MAX_ITEMS)
        if not len(sel):
            continue
        name = f"p95_{safe_name(str(label))}.png"
        save_png(p95_figure(sel, str(label)), out / name)
        written.append(name)
    if len(cmp.contributions):
        save_png(contributions_figure(cmp.contributions), out / "contributions.png")
        written.append("contributions.png")
    return written
