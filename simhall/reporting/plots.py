"""Figures of a run: one function per figure, each returning a matplotlib Figure.

A figure here is like a chart pinned on the hall director's wall: fixed size, same style
every time, plain English labels (they render with any font), so a notebook's output
and a conference slide look alike and regenerate identically.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simhall.reporting.figures import new_figure


def limits_vs_simulated(items: pd.DataFrame, *, service_level: float = 0.95) -> Figure:
    """Committed limit of each commitment item against its simulated P95 working days.

    Points below the diagonal are items whose committed limit has slack that could be cut,
    unless drawn hollow: their recommendation is withheld (too few cases completed, or a
    route through an unstable station), and their P95 says little of the cases still open.

    Parameters
    ----------
    items : pandas.DataFrame
        The item summary of :func:`simhall.reporting.summary.summarize` (``committed_days``,
        ``p95_days``).
    service_level : float
        Shown in the axis label.
    """
    fig = new_figure()
    ax = fig.add_subplot()
    commit = items[items["kind"] == "commitment"]
    x = commit["committed_days"].astype("float64").to_numpy()
    y = commit["p95_days"].astype("float64").to_numpy()
    held = withheld_mask(commit)
    ax.scatter(x[~held], y[~held], s=14, alpha=0.7, color="tab:blue", label="commitment items")
    if held.any():
        ax.scatter(
            x[held],
            y[held],
            s=18,
            facecolors="none",
            edgecolors="tab:red",
            label=f"recommendation withheld ({int(held.sum())}: no support)",
        )
    top = float(np.nanmax(np.concatenate([x, y, [1.0]])))
    ax.plot([0, top], [0, top], color="grey", lw=1, ls="--", label="simulated = committed")
    ax.set_xlabel("committed limit (working days)")
    ax.set_ylabel(f"simulated P{round(service_level * 100)} (working days)")
    ax.set_title("Committed limits against simulated durations")
    ax.legend(loc="upper left", frameon=False)
    return fig


def withheld_mask(items: pd.DataFrame, column: str = "withheld") -> np.ndarray:
    """Rows of an item table whose recommendation is withheld (a reason in ``column``)."""
    if column not in items.columns:
        return np.zeros(len(items), dtype=bool)
    return (items[column].fillna("").astype(str) != "").to_numpy(dtype=bool)


def working_days_histogram(cases: pd.DataFrame, *, max_days: int = 30) -> Figure:
    """Distribution of counted working days of completed commitment cases."""
    fig = new_figure()
    ax = fig.add_subplot()
    done = cases[(cases["status"] == "completed") & (cases["kind"] == "commitment")]
    days = done["counted_days"].astype("float64").to_numpy()
    bins = [k - 0.5 for k in range(max_days + 3)]
    ax.hist(np.clip(days, 0, max_days + 1), bins=bins, color="tab:orange", alpha=0.8)
    ax.set_xlabel("counted working days from acceptance to completion")
    ax.set_ylabel("cases")
    ax.set_title("Working-day durations of commitment cases")
    return fig
