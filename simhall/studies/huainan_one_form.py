"""The one-form registration (一表制) notebook's views: per replication, the enterprise
registration bundle's visits, forms, fields, window minutes and working days, and the
bundle before and after the reform as a table and a figure."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simhall.compare.paired import paired
from simhall.experiment import RunResult
from simhall.reforms.one_form import OneForm
from simhall.reporting.figures import COLOURS, new_figure
from simhall.reporting.formatting import as_float, fmt_ci, rounded
from simhall.reporting.labels import Lang, phrase

__all__ = ["BUNDLE_METRICS", "bundle_reps", "one_form_figure", "one_form_table"]


BUNDLE_METRICS: dict[str, tuple[str, int]] = {
    "visits": ("visits (planned)", 1),
    "visits_observed": ("visits (with 补正 returns)", 2),
    "forms": ("forms", 0),
    "fields": ("data fields", 0),
    "window_min": ("window service (min)", 1),
    "wait_min": ("window waiting (min)", 1),
    "mean_days": ("working days (mean)", 2),
    "p95_days": ("working days (P95)", 1),
}
"""Figures per bundle application: label and decimals."""


def bundle_reps(result: RunResult, reform: Any) -> pd.DataFrame:
    """Per replication, for the one-form ``reform``'s bundle: cases, the reform's planned
    visits, forms and fields, observed visits, window service and waiting minutes per
    bundle application, and working days (mean and P95 of completed cases)."""
    profile = reform.profile()
    rows = []
    for rep in range(result.settings.replications):
        cases = result.cases[
            (result.cases["item_id"] == reform.bundle) & (result.cases["replication"] == rep)
        ]
        ev = result.events[
            (result.events["item_id"] == reform.bundle) & (result.events["replication"] == rep)
        ]
        win = ev[ev["resource"].astype("string").str.contains("/window/", na=False)]
        service = (win["end"] - win["start"]).dt.total_seconds() / 60.0
        wait = (win["start"] - win["ready"]).dt.total_seconds() / 60.0
        ids = win["case_id"]
        done = cases[cases["status"] == "completed"]["counted_days"].astype("float64")
        rows.append(
            {
                "replication": rep,
                "bundle": reform.bundle,
                "cases": float(len(cases)),
                **profile,
                "visits_observed": float(cases["visits"].mean()) if len(cases) else math.nan,
                "window_min": float(service.groupby(ids, observed=True).sum().mean())
                if len(win)
                else math.nan,
                "wait_min": float(wait.groupby(ids, observed=True).sum().mean())
                if len(win)
                else math.nan,
                "mean_days": float(done.mean()) if len(done) else math.nan,
                "p95_days": float(np.quantile(done, 0.95)) if len(done) else math.nan,
            }
        )
    return pd.DataFrame(rows)


def _one_form_pair(cmp: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    labels = [cmp.base_label] + [k for k in cmp.results if k != cmp.base_label]
    if len(labels) != 2:
        raise ValueError("expected a comparison of one base and one overlay")
    frames = []
    for label in labels:
        forms = [r for r in cmp.reforms.get(label, ()) if isinstance(r, OneForm)]
        if not forms:
            raise ValueError(f"{label}: no one_form reform")
        frames.append(bundle_reps(cmp.results[label], forms[0]))
    return frames[0], frames[1]


def one_form_table(cmp: Any) -> pd.DataFrame:
    """The one-form bundle before and after (a :class:`~simhall.compare.Comparison` of the
    ``before`` stage with the ``after`` stage): per figure the means over replications,
    the paired change with its 95% CI and the change in %."""
    before, after = _one_form_pair(cmp)
    pair = paired(before, after, [], list(BUNDLE_METRICS))
    rows = []
    for r in pair.itertuples(index=False):
        label, digits = BUNDLE_METRICS[str(r.metric)]
        b, a = as_float(r.before), as_float(r.after)
        rows.append(
            {
                "figure": label,
                "before": rounded(b, digits),
                "after": rounded(a, digits),
                "change [95% CI]": fmt_ci(r.diff, r.ci_low, r.ci_high, digits),
                "change (%)": rounded(100.0 * (a - b) / b, 1) if b else math.nan,
            }
        )
    return pd.DataFrame(rows).set_index("figure")


def one_form_figure(cmp: Any, *, lang: Lang | None = None) -> Figure:
    """Bars of window visits, window minutes (service and waiting) and working days per
    bundle application before and after one-form registration, replications as dots."""
    before, after = _one_form_pair(cmp)
    fig = new_figure((9.0, 3.5))
    axes = fig.subplots(1, 3)
    panels = (
        ("visits_observed", "visits_bundle"),
        ("window_min", "minutes_bundle"),
        ("mean_days", "days_bundle"),
    )
    for ax, (col, title) in zip(axes, panels):
        for x, (frame, role) in enumerate(((before, "before"), (after, "after"))):
            colour = COLOURS[role]
            values = frame[col].to_numpy(float)
            bottom = 0.0
            ax.bar(x, float(np.nanmean(values)), width=0.6, color=colour, alpha=0.7)
            if col == "window_min":
                bottom = float(np.nanmean(values))
                ax.bar(
                    x,
                    float(np.nanmean(frame["wait_min"].to_numpy(float))),
                    bottom=bottom,
                    width=0.6,
                    color=colour,
                    alpha=0.3,
                    hatch="//",
                )
            ax.scatter(np.full(values.size, x), values, s=10, color="black", zorder=3)
        ax.set_xticks([0, 1], [phrase("before", lang), phrase("after", lang)])
        ax.set_title(phrase(title, lang), fontsize=10)
    axes[1].set_ylabel(phrase("minutes_waiting", lang))
    fig.suptitle(phrase("one_form_title", lang))
    return fig
