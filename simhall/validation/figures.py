"""Validation figures: observed against simulated, drawn the same way every time.

Like the overlay a radiologist lays on last year's film, each figure draws the observed
hall in black and the simulated one in orange on the same axes: working-day ECDFs (hall
and largest items), weekly case counts, the hourly ticket profile, and each scored metric's
error against its tolerance. Figures are bare :class:`matplotlib.figure.Figure` objects
from :func:`simhall.reporting.figures.new_figure` (no pyplot state), labelled in Chinese,
English or both (:mod:`simhall.reporting.labels`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from simhall.reporting.figures import COLOURS, new_figure
from simhall.reporting.labels import Lang, bilingual, name_label, phrase

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from simhall.validation.result import ValidationResult

__all__ = ["durations_ecdf", "errors_figure", "hourly_profile", "weekly_counts"]


def _ecdf(ax: Any, values: np.ndarray, label: str, color: str) -> None:
    if values.size == 0:
        return
    x = np.sort(values)
    y = np.arange(1, x.size + 1) / x.size
    ax.step(x, y, where="post", label=label, color=color)


def durations_ecdf(
    res: ValidationResult,
    max_items: int,
    *,
    names: Mapping[str, str] | None = None,
    lang: Lang | None = None,
) -> Figure:
    """ECDFs of scored working days: the whole hall and the ``max_items`` largest items
    (titled by ``names[item_id]`` and the id where names are given)."""
    obs = res.observed_cases[res.observed_cases["scored"]]
    sim = res.simulated_cases[res.simulated_cases["scored"]]
    top = list(obs.groupby("item_id").size().sort_values(ascending=False).index[:max_items])
    names = names or {}
    panels: list[tuple[str, pd.DataFrame, pd.DataFrame]] = [(phrase("whole_hall", lang), obs, sim)]
    panels += [
        (name_label(i, names.get(str(i)), lang), obs[obs["item_id"] == i], sim[sim["item_id"] == i])
        for i in top
    ]
    fig = new_figure((10.0, 6.0))
    axes = fig.subplots(2, 3, squeeze=False).ravel()
    for ax, (title, o, s) in zip(axes, panels):
        days_o = o["working_days"].to_numpy(dtype=np.float64)
        days_s = s["working_days"].to_numpy(dtype=np.float64)
        _ecdf(ax, days_o, f"{phrase('observed', lang)} ({len(o)})", COLOURS["observed"])
        _ecdf(ax, days_s, phrase("simulated", lang), COLOURS["simulated"])
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(phrase("working_days", lang), fontsize=8)
        ax.tick_params(labelsize=8)
        ax.set_ylim(0, 1.02)
        ax.legend(fontsize=8, frameon=False, loc="lower right")
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    fig.suptitle(phrase("ecdf_title", lang))
    return fig


def weekly_counts(weekly: pd.DataFrame, *, lang: Lang | None = None) -> Figure:
    """Accepted cases per week, observed and simulated (mean of replications)."""
    fig = new_figure((8.0, 3.5))
    ax = fig.add_subplot()
    if len(weekly):
        ax.plot(
            weekly["week"],
            weekly["observed"],
            color=COLOURS["observed"],
            marker=".",
            label=phrase("observed", lang),
        )
        ax.plot(
            weekly["week"],
            weekly["simulated"],
            color=COLOURS["simulated"],
            marker=".",
            label=phrase("simulated_mean", lang),
        )
    ax.set_ylabel(phrase("weekly_y", lang))
    ax.set_title(phrase("weekly_title", lang))
    ax.legend(frameon=False, fontsize=8)
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    return fig


def hourly_profile(hourly: pd.DataFrame, *, lang: Lang | None = None) -> Figure:
    """Shares of ticket times per hour of day, observed and simulated."""
    fig = new_figure((6.0, 3.5))
    ax = fig.add_subplot()
    if len(hourly):
        h = hourly["hour"].to_numpy(dtype=np.float64)
        ax.bar(
            h - 0.2,
            hourly["observed"],
            width=0.4,
            color=COLOURS["observed"],
            label=phrase("observed", lang),
        )
        ax.bar(
            h + 0.2,
            hourly["simulated"],
            width=0.4,
            color=COLOURS["simulated"],
            label=phrase("simulated", lang),
        )
    ax.set_xlabel(phrase("hour", lang))
    ax.set_ylabel(phrase("ticket_share", lang))
    ax.set_title(phrase("hourly_title", lang))
    ax.legend(frameon=False, fontsize=8)
    return fig


def errors_figure(table: pd.DataFrame, *, max_rows: int = 30, lang: Lang | None = None) -> Figure:
    """Each scored hall and department metric's error as a share of its tolerance: bars
    coloured by the verdict (red FAIL, green PASS; the tolerance may include a noise term,
    so the verdict is the table's ``status``); from ``validation.csv``.

    Parameters
    ----------
    table : pandas.DataFrame
        :attr:`ValidationResult.table` (``scope, id, metric, error, limit, status``).
    max_rows : int
        At most this many rows (hall first, then departments, then items).
    """
    t = table.copy()
    t["error"] = pd.to_numeric(t["error"], errors="coerce")
    t["limit"] = pd.to_numeric(t["limit"], errors="coerce")
    t = t[t["status"].isin(["PASS", "FAIL"]) & t["error"].notna() & (t["limit"] > 0)]
    order = {"hall": 0, "department": 1, "item": 2}
    t = t.assign(_o=t["scope"].map(order).fillna(3)).sort_values("_o", kind="stable")
    t = t.head(max_rows)
    ratio = (t["error"].abs() / t["limit"]).to_numpy(dtype=np.float64)
    fig = new_figure((8.0, max(2.5, 1.4 + 0.26 * len(t))))
    ax = fig.add_subplot()
    y = np.arange(len(t))[::-1]
    colours = [COLOURS["after"] if v == "PASS" else COLOURS["before"] for v in t["status"]]
    ax.barh(y, ratio, color=colours, height=0.6)
    ax.axvline(1.0, color=COLOURS["committed"], lw=1, ls="--")
    labels = [
        f"{s}:{i} {m}" if s != "hall" else str(m)
        for s, i, m in zip(t["scope"], t["id"], t["metric"])
    ]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel(bilingual("|error| / tolerance (>1 fails)", "|误差| / 容许值（>1 不通过）", lang))
    ax.set_title(bilingual("Validation: errors against tolerances", "验证：误差与容许值", lang))
    return fig
