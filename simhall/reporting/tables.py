"""Presentation tables of a run: rounded, labelled, ready to print or to put in a paper.

The summaries of :mod:`simhall.reporting.summary` keep full precision and every confidence bound;
a reader wants a few columns with ``mean [low, high]`` strings and whole days. These pure
functions make those tables from a :class:`~simhall.experiment.RunResult`, and the command
line and notebooks show exactly the same ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from simhall.reporting.formatting import fmt_ci, metric_label, rounded
from simhall.reporting.stability import stations_of

if TYPE_CHECKING:
    from simhall.experiment import RunResult


def _ci_column(frame: pd.DataFrame, metric: str, digits: int = 1) -> list[str]:
    return [
        fmt_ci(m, lo, hi, digits)
        for m, lo, hi in zip(
            frame[metric], frame[f"{metric}_ci_low"], frame[f"{metric}_ci_high"], strict=True
        )
    ]


def run_overview(result: RunResult) -> pd.DataFrame:
    """What was simulated: scenario, period, replications, seed and counts."""
    s = result.settings
    rows = [
        ("scenario", result.scenario.name),
        ("synthetic parameters", "yes" if result.scenario.synthetic else "no"),
        ("departments", str(len(result.scenario.departments))),
        ("items", str(len(result.scenario.items))),
        ("first day", s.start.isoformat()),
        ("days with arrivals", str(s.days)),
        ("warm-up days", str(s.warmup_days)),
        ("replications", str(s.replications)),
        ("seed", str(s.seed)),
        ("cases (all replications)", str(len(result.cases))),
        ("events (all replications)", str(len(result.events))),
    ]
    return pd.DataFrame(rows, columns=["setting", "value"]).set_index("setting")


def hall_table(result: RunResult) -> pd.DataFrame:
    """Hall-wide metrics with 95% CIs as strings."""
    rows = []
    for row in result.hall.itertuples():
        label, digits = metric_label(row.metric)
        rows.append((label, fmt_ci(row.mean, row.ci_low, row.ci_high, digits)))
    return pd.DataFrame(rows, columns=["metric", "mean [95% CI]"]).set_index("metric")


def department_table(result: RunResult, top: int | None = None) -> pd.DataFrame:
    """Per department: windows, window wait (mean with CI, P90), queue, utilizations (staff:
    all pools together; ``max_station_util``: the busiest station, named in ``max_station``).

    ``top`` keeps the departments with the longest mean wait.
    """
    d = result.departments
    table = pd.DataFrame(
        {
            "department": d["department"],
            "name": d["name"],
            "windows": d["windows"],
            "wait_min": _ci_column(d, "mean_wait_min"),
            "p90_wait_min": d["p90_wait_min"].round(1),
            "mean_queue": d["mean_queue"].round(2),
            "window_util": d["window_utilization"].round(2),
            "staff_util": d["staff_utilization"].round(2),
            "max_station_util": d["max_station_util"].round(2),
            "max_station": d["max_station"],
        }
    )
    if top is not None:
        order = d["mean_wait_min"].fillna(-1).sort_values(ascending=False, kind="stable")
        table = table.loc[order.index[:top]]
    return table.set_index("department")


def compression_table(result: RunResult, top: int | None = None) -> pd.DataFrame:
    """Commitment items: committed limit, share of cases completed, simulated P95, share
    within, limit at the service level and the possible cut, largest cut first; items whose
    recommendation is withheld come last, without limit and cut, and a column ``note`` says
    so (the reasons: :func:`withheld_items`)."""
    items = result.items
    commit = items[items["kind"] == "commitment"]
    commit = commit.sort_values(["compression_days", "item_id"], ascending=[False, True])
    if top is not None:
        commit = commit.head(top)
    sl = round(result.settings.service_level * 100)
    table = pd.DataFrame(
        {
            "item": commit["item_id"],
            "name": commit["name"],
            "committed": commit["committed_days"],
            "P95_days": _ci_column(commit, "p95_days"),
            "completed": commit["completed_share"].round(3),
            "within": commit["share_within"].round(3),
            f"limit@{sl}%": commit["recommended_days"],
            "cut": commit["compression_days"],
        }
    ).set_index("item")
    if (commit["withheld"] != "").any():
        table["note"] = commit["withheld"].where(commit["withheld"] == "", "withheld").to_numpy()
    return table


def withheld_items(result: RunResult) -> pd.DataFrame:
    """Commitment items whose recommended limit is withheld, with the reason."""
    items = result.items
    w = items[(items["kind"] == "commitment") & (items["withheld"] != "")]
    return pd.DataFrame(
        {
            "item": w["item_id"],
            "name": w["name"],
            "completed": w["completed_share"].round(3),
            "reason": w["withheld"],
        }
    ).set_index("item")


def station_table(result: RunResult, unstable_only: bool = False) -> pd.DataFrame:
    """Per station (``department/name``: window rows, back-office pools): utilization and
    offered load with 95% CIs, mean queue, queue growth over the run, and why it is
    unstable (``unstable``; empty when stable)."""
    st = stations_of(result.summary)
    if unstable_only:
        st = st[st["unstable"]]
    cells = {
        m: [
            fmt_ci(r[m], r[f"{m}_ci_low"], r[f"{m}_ci_high"], metric_label(m)[1])
            for _, r in st.iterrows()
        ]
        for m in ("utilization", "offered_load")
    }
    return pd.DataFrame(
        {
            "station": st["station"],
            "utilization": cells["utilization"],
            "offered_load": cells["offered_load"],
            "mean_queue": [rounded(v, 2) for v in st["mean_queue"]],
            "queue_growth": [rounded(v, 1) for v in st["queue_growth"]],
            "unstable": st["reason"],
        },
    ).set_index("station")
