"""Validation figures: observed against simulated, drawn the same way every time.

Like the overlay a radiologist lays on last year's film, each figure draws the observed
hall in black and the simulated one in orange on the same axes: working-day ECDFs (hall
and largest items), weekly case counts and the hourly ticket profile. Figures are bare
:class:`matplotlib.figure.Figure` objects from :func:`simhall.reporting.figures.new_figure`
(no pyplot state).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from simhall.reporting.figures import new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from simhall.validation.result import ValidationResult

__all__ = ["durations_ecdf", "hourly_profile", "weekly_counts"]


def _ecdf(ax: Any, values: np.ndarray, label: str, color: str) -> None:
    if values.size == 0:
        return
    x = np.sort(values)
    y = np.arange(1, x.size + 1) / x.size
    ax.step(x, y, where="post", label=label, color=color)


def durations_ecdf(res: ValidationResult, max_items: int) -> Figure:
    """ECDFs of scored working days: the whole hall and the ``max_items`` largest items."""
    obs = res.observed_cases[res.observed_cases["scored"]]
    sim = res.simulated_cases[res.simulated_cases["scored"]]
    top = list(obs.groupby("item_id").size().sort_values(ascending=False).index[:max_items])
    panels: list[tuple[str, pd.DataFrame, pd.DataFrame]] = [("whole hall", obs, sim)]
    panels += [(str(i), obs[obs["item_id"] == i], sim[sim["item_id"] == i]) for i in top]
    fig = new_figure((10.0, 6.0))
    axes = fig.subplots(2, 3, squeeze=False).ravel()
    for ax, (title, o, s) in zip(axes, panels):
        _ecdf(ax, o["working_days"].to_numpy(dtype=np.float64), f"observed ({len(o)})", "black")
        _ecdf(ax, s["working_days"].to_numpy(dtype=np.float64), "simulated", "tab:orange")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("working days", fontsize=8)
        ax.set_ylim(0, 1.02)
        ax.legend(fontsize=7, frameon=False, loc="lower right")
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    fig.suptitle("Working days from acceptance to completion: ECDF, observed vs simulated")
    return fig


def weekly_counts(weekly: pd.DataFrame) -> Figure:
    """Accepted cases per week, observed and simulated (mean of replications)."""
    fig = new_figure((8.0, 3.5))
    ax = fig.add_subplot()
    if len(weekly):
        ax.plot(weekly["week"], weekly["observed"], color="black", marker=".", label="observed")
        ax.plot(
            weekly["week"],
            weekly["simulated"],
            color="tab:orange",
            marker=".",
            label="simulated (mean of replications)",
        )
    ax.set_ylabel("accepted cases per week")
    ax.set_title("Weekly case counts")
    ax.legend(frameon=False, fontsize=8)
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    return fig


def hourly_profile(hourly: pd.DataFrame) -> Figure:
    """Shares of ticket times per hour of day, observed and simulated."""
    fig = new_figure((6.0, 3.5))
    ax = fig.add_subplot()
    if len(hourly):
        h = hourly["hour"].to_numpy(dtype=np.float64)
        ax.bar(h - 0.2, hourly["observed"], width=0.4, color="black", label="observed")
        ax.bar(h + 0.2, hourly["simulated"], width=0.4, color="tab:orange", label="simulated")
    ax.set_xlabel("hour of day")
    ax.set_ylabel("share of tickets")
    ax.set_title("Hourly ticket profile")
    ax.legend(frameon=False, fontsize=8)
    return fig
