"""Figures of a run: one function per figure, each returning a matplotlib Figure.

A figure here is like a chart pinned on the hall director's wall: fixed size, same style
every time (:mod:`simhall.reporting.figures`), labels in Chinese, English or both
(:mod:`simhall.reporting.labels`), so a notebook's output and a conference slide look alike
and regenerate identically.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simhall.reporting.figures import COLOURS, new_figure
from simhall.reporting.labels import Lang, phrase

__all__ = ["limits_vs_simulated", "working_days_histogram"]


def limits_vs_simulated(
    items: pd.DataFrame, *, service_level: float = 0.95, lang: Lang | None = None
) -> Figure:
    """Committed limit of each commitment item against its simulated P95 working days.

    Points below the diagonal are items whose committed limit has slack that could be cut.

    Parameters
    ----------
    items : pandas.DataFrame
        The item summary of :func:`simhall.reporting.summary.summarize` (``committed_days``,
        ``p95_days``).
    service_level : float
        Shown in the axis label.
    lang : {"zh", "en", "both"}, optional
        Label language (default: :func:`simhall.reporting.labels.current_language`).
    """
    fig = new_figure()
    ax = fig.add_subplot()
    commit = items[items["kind"] == "commitment"]
    x = commit["committed_days"].astype("float64").to_numpy()
    y = commit["p95_days"].astype("float64").to_numpy()
    ax.scatter(x, y, s=14, alpha=0.7, color=COLOURS["bar"], label=phrase("commitment_items", lang))
    top = float(np.nanmax(np.concatenate([x, y, [1.0]])))
    ax.plot(
        [0, top],
        [0, top],
        color=COLOURS["neutral"],
        lw=1,
        ls="--",
        label=phrase("simulated_eq_committed", lang),
    )
    ax.set_xlabel(f"{phrase('committed_limit', lang)} ({phrase('working_days', lang)})")
    ax.set_ylabel(
        f"{phrase('simulated_p', lang, p=round(service_level * 100))} "
        f"({phrase('working_days', lang)})"
    )
    ax.set_title(phrase("limits_title", lang))
    ax.legend(loc="upper left", frameon=False)
    return fig


def working_days_histogram(
    cases: pd.DataFrame, *, max_days: int = 30, lang: Lang | None = None
) -> Figure:
    """Distribution of counted working days of completed commitment cases."""
    fig = new_figure()
    ax = fig.add_subplot()
    done = cases[(cases["status"] == "completed") & (cases["kind"] == "commitment")]
    days = done["counted_days"].astype("float64").to_numpy()
    bins = [k - 0.5 for k in range(max_days + 3)]
    ax.hist(np.clip(days, 0, max_days + 1), bins=bins, color=COLOURS["bar2"], alpha=0.8)
    ax.set_xlabel(phrase("counted_days", lang))
    ax.set_ylabel(phrase("cases", lang))
    ax.set_title(phrase("durations_title", lang))
    return fig
