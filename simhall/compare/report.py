"""A :class:`~simhall.compare.Comparison` written out: the tidy long frame, CSV files, a
Markdown report and PNG figures, each written atomically."""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from simhall.compare.comparison import Comparison
from simhall.compare.figures import write_figures
from simhall.io import atomic_write_csv, atomic_write_text, file_sha256, output_folder
from simhall.reporting.dictionary import write_data_dictionary
from simhall.reporting.formatting import fmt_ci
from simhall.reporting.markdown import markdown_table
from simhall.reporting.paired_tables import headline_table

__all__ = ["report_cell", "tidy", "write_comparison"]


def report_cell(v: object) -> str:
    """A cell of the comparison report: floats to 3 significant digits (whole numbers
    without decimals), missing values as ``-``, ``|`` replaced so that the table holds."""
    if isinstance(v, float):
        if not math.isfinite(v):
            return "-"
        return f"{v:.0f}" if v.is_integer() and abs(v) < 1e6 else f"{v:.3g}"
    if v is None or v is pd.NA:
        return "-"
    return str(v).replace("|", "/")


def _table(frame: pd.DataFrame) -> str:
    return markdown_table(frame, report_cell)


def tidy(cmp: Comparison) -> pd.DataFrame:
    """One long frame of every paired comparison: ``scenario, scope, id, metric, before,
    after, diff, ci_low, ci_high, reps``."""
    parts = []
    it = cmp.items
    if len(it):
        for metric in ("completed", "p95", "limit", "onsite"):
            cols = {
                "completed": ("completed_before", "completed_after"),
                "p95": ("p95_before", "p95_after"),
                "limit": ("limit_before", "limit_after"),
                "onsite": ("onsite_before", "onsite_after"),
            }[metric]
            part = pd.DataFrame(
                {
                    "scenario": it["scenario"],
                    "scope": "item",
                    "id": it["item_id"],
                    "metric": metric,
                    "before": it[cols[0]],
                    "after": it[cols[1]],
                }
            )
            if metric == "p95":
                part["diff"] = it["p95_diff"]
                part["ci_low"] = it["p95_diff_ci_low"]
                part["ci_high"] = it["p95_diff_ci_high"]
            parts.append(part)
    if len(cmp.departments):
        d = cmp.departments.rename(columns={"department": "id"}).assign(scope="department")
        parts.append(d)
    if len(cmp.hall):
        parts.append(cmp.hall.assign(scope="hall", id="hall"))
    out_cols: list[str] = [
        "scenario",
        "scope",
        "id",
        "metric",
        "before",
        "after",
        "diff",
        "ci_low",
        "ci_high",
        "reps",
    ]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=out_cols)
    return frame.reindex(columns=out_cols)


FILE_NAMES = {"scorecard": "scorecard_paired"}
"""Comparison frames whose CSV file is named otherwise (``scorecard.csv`` is the file of
``simhall scorecard``, one row per sub-item)."""


def _headline_section(aggregates: pd.DataFrame, tags: Sequence[str]) -> list[str]:
    """Report lines on the headlines split into slack and the reform's effect."""
    table = headline_table(aggregates)
    if not len(table):
        return []
    return [
        "",
        f"## Headlines: slack in today's limits and the reform's effect "
        f"({', '.join(tags) or 'all items'})",
        "",
        "Committed limits before against recommended limits after mix two things: the slack "
        "already in today's committed limits (committed against recommended at the service "
        "level in the base run, no reform) and the reform's effect (recommended before "
        "against after, paired over replications). The total change is their sum; a change "
        "that leaves the limits alone shows it all as slack. Only items with a committed "
        "limit and a recommendation in both runs enter; the others are counted under "
        "`withheld` and named in the aggregates' notes.",
        "",
        _table(table.reset_index()),
    ]


def _scorecard_section(card: pd.DataFrame) -> list[str]:
    """Report lines on the window scorecard per department before and after."""
    if not len(card):
        return []
    rows = []
    for (scenario, dept), g in card.groupby(["scenario", "department"], sort=False):
        by = g.set_index("metric")
        total, rank = by.loc["total"], by.loc["rank"]
        rows.append(
            {
                "scenario": scenario,
                "department": dept,
                "name": total["name"],
                "total before": total["before"],
                "total after": total["after"],
                "change [95% CI]": fmt_ci(total["diff"], total["ci_low"], total["ci_high"], 1),
                "rank before": rank["before"],
                "rank after": rank["after"],
                "assessment points change": by.loc["assessment_points", "diff"],
            }
        )
    return [
        "",
        "## Window scorecard (绩效评估) before and after",
        "",
        "Each department's windows scored on both runs with the same scheme and inputs "
        "(total of 100, scaled to the points the data can measure); changes paired over "
        "replications. Every area, dimension and indicator in scorecard_paired.csv.",
        "",
        _table(pd.DataFrame(rows)),
    ]


def _stations_section(stations: pd.DataFrame) -> list[str]:
    """Report lines on the stations unstable in any run, with their offered load."""
    if not len(stations):
        return []
    bad = stations.loc[stations["unstable"].astype(bool), "station"].unique()
    if not len(bad):
        return [
            "",
            "## Stations",
            "",
            f"No unstable station in any run ({len(stations['station'].unique())} stations: "
            "all stations.csv).",
        ]
    rows = stations[stations["station"].isin(bad)].sort_values(["station", "scenario"])
    return [
        "",
        f"## Unstable stations ({len(bad)}; all stations in stations.csv)",
        "",
        "Work arrives faster than these stations can do it (offered load = arrivals x mean "
        "work / capacity, at least 1), they are busy nearly all of their open time, or their "
        "queue grows over the run: the cases that got through them say little of the others, "
        "so the recommendations of the items passing them are withheld.",
        "",
        _table(
            rows[
                [
                    "station",
                    "scenario",
                    "utilization",
                    "offered_load",
                    "mean_queue",
                    "queue_growth",
                    "reason",
                ]
            ]
        ),
    ]


def _withheld_section(items: pd.DataFrame) -> list[str]:
    """Report lines on the items whose recommendation a run withholds."""
    if not len(items) or "withheld_after" not in items.columns:
        return []
    why = items["withheld_after"].astype("string").fillna("")
    w = items[why != ""]
    if not len(w):
        return []
    return [
        "",
        f"## Recommendations withheld ({len(w)} item rows; no limit, cut or sum without support)",
        "",
        _table(
            w.head(30)[
                ["scenario", "item_id", "completed_before", "completed_after", "withheld_after"]
            ]
        ),
    ]


def write_comparison(
    cmp: Comparison, out_dir: str | os.PathLike[str], tags: Sequence[str] = ()
) -> Path:
    """Write ``comparison.csv`` (tidy), ``items.csv``, ``aggregates.csv``,
    ``departments.csv``, ``hall.csv``, ``bundles.csv``, ``contributions.csv``,
    ``ranking.csv``, ``stations.csv``, ``scorecard_paired.csv``, ``report.md``, PNG
    figures and ``manifest.json`` to ``out_dir``, which appears whole
    (:func:`simhall.io.output_folder`): no file of an earlier comparison stays."""
    with output_folder(out_dir, comparison_manifest(cmp, tags)) as folder:
        write_comparison_files(cmp, folder.path, tags)
    return folder.target


def comparison_manifest(cmp: Comparison, tags: Sequence[str] = ()) -> dict[str, object]:
    """How to reproduce a comparison: scenarios (with file hashes), settings, seed."""
    inputs: dict[str, str] = {}
    scenarios: dict[str, str] = {}
    for label, result in cmp.results.items():
        source = result.scenario.source
        scenarios[label] = source or result.scenario.name
        if source and Path(source).is_file():
            inputs[source] = file_sha256(source)
    settings = cmp.results[cmp.base_label].settings
    return {
        "command": "compare",
        "base": cmp.base_label,
        "scenarios": scenarios,
        "tags": list(tags),
        "settings": dataclasses.asdict(settings),
        "inputs": inputs,
    }


def write_comparison_files(cmp: Comparison, out: Path, tags: Sequence[str] = ()) -> None:
    """Write the comparison's files into the existing folder ``out``."""
    atomic_write_csv(tidy(cmp), out / "comparison.csv")
    for name in (
        "items",
        "aggregates",
        "departments",
        "hall",
        "bundles",
        "contributions",
        "ranking",
        "stations",
        "scorecard",
    ):
        frame = getattr(cmp, name)
        if len(frame):
            atomic_write_csv(frame, out / f"{FILE_NAMES.get(name, name)}.csv")
    figures = write_figures(cmp, out, tags)
    others = [k for k in cmp.results if k != cmp.base_label]
    md = [
        f"# simhall compare: {cmp.base_label} vs {', '.join(others)}",
        "",
    ]
    s = cmp.results[cmp.base_label].settings
    md.append(
        f"Replications {s.replications}, seed {s.seed}, days {s.days} (warm-up "
        f"{s.warmup_days}), service level {s.service_level}; differences are paired "
        "per replication (common random numbers), 95% CIs."
    )
    if len(cmp.aggregates):
        md += _headline_section(cmp.aggregates, tags)
        md += [
            "",
            f"## Aggregates ({', '.join(tags) or 'all items'})",
            "",
            _table(
                cmp.aggregates[
                    [
                        "scenario",
                        "figure",
                        "before",
                        "after",
                        "change",
                        "change_pct",
                        "ci_low",
                        "ci_high",
                        "pct_of_committed",
                        "n_items",
                        "n_withheld",
                        "note",
                    ]
                ]
            ),
        ]
    if len(cmp.hall):
        md += [
            "",
            "## Hall",
            "",
            _table(
                cmp.hall[["scenario", "metric", "before", "after", "diff", "ci_low", "ci_high"]]
            ),
        ]
    md += _scorecard_section(cmp.scorecard)
    md += _stations_section(cmp.stations)
    if len(cmp.bundles):
        md += ["", "## One-form bundles", "", _table(cmp.bundles)]
    if len(cmp.contributions):
        md += ["", "## Contributions", "", _table(cmp.contributions)]
    if len(cmp.ranking):
        md += ["", "## Chief representatives: ranking", "", _table(cmp.ranking)]
    md += _withheld_section(cmp.items)
    if len(cmp.items):
        top = cmp.items.sort_values("compression_days", ascending=False).head(30)
        md += [
            "",
            "## Items with the largest compression (top 30; all in items.csv)",
            "",
            _table(
                top[
                    [
                        "scenario",
                        "item_id",
                        "committed_before",
                        "completed_before",
                        "completed_after",
                        "p95_before",
                        "p95_after",
                        "p95_diff",
                        "recommended_before",
                        "recommended_after",
                        "compression_days",
                        "slack_days",
                        "effect_days",
                        "compression_pct",
                        "removed",
                    ]
                ]
            ),
        ]
    md += ["", "Figures: " + (", ".join(figures) or "none"), ""]
    atomic_write_text("\n".join(md), out / "report.md")
    write_data_dictionary(out, "simhall compare")
