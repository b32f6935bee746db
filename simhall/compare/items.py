"""Per item before and after a reform: approval steps, P95 and time-limit compression,
the sums over a set of items, and one-form bundles.

The item table is the ledger a service-center office keeps per commitment item (承诺件):
the committed limit, what the simulation says the cases take before and after, and how far
the limit could be shortened at the service level.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from simhall.compare.paired import paired
from simhall.compare.runs import item_reps
from simhall.experiment import RunResult
from simhall.reforms.one_form import OneForm
from simhall.reforms.routes import flatten
from simhall.reporting import metrics
from simhall.scenario.schema import Scenario

__all__ = ["aggregate", "bundle_table", "item_table", "select_items", "steps_table"]


def steps_table(before: Scenario, after: Scenario) -> pd.DataFrame:
    """Approval steps per item before and after (leaf steps of the route).

    ``removed`` is the net number of steps fewer (``steps_before - steps_after``);
    ``dropped`` and ``added`` list the step names that disappeared or appeared.
    """
    b = {i.id: i for i in before.items}
    rows = []
    for item in after.items:
        new = [s.name for s in flatten(item.route)]
        old = [s.name for s in flatten(b[item.id].route)] if item.id in b else []
        rows.append(
            {
                "item_id": item.id,
                "steps_before": len(old) if item.id in b else math.nan,
                "steps_after": len(new),
                "removed": (len(old) - len(new)) if item.id in b else math.nan,
                "dropped": ";".join(sorted(set(old) - set(new))),
                "added": ";".join(sorted(set(new) - set(old))),
            }
        )
    return pd.DataFrame(rows)


def item_table(
    base: RunResult,
    reform: RunResult,
    base_reps: pd.DataFrame | None = None,
    reform_reps: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per item: committed limit, P95 before/after (paired difference and CI), the shortest
    limit meeting the service level after the reform, and the compression.

    Columns: ``item_id, name, department, kind, tags, committed_before, committed_after,
    p95_before, p95_after, p95_diff, p95_diff_ci_low, p95_diff_ci_high, limit_before,
    limit_after, limit_after_ci_high, recommended_after, compression_days, compression_pct,
    onsite_before, onsite_after, recommended_before, steps_before, steps_after, removed``.
    ``recommended_*`` is the shortest limit meeting the service level over all replications'
    cases pooled (:func:`simhall.reporting.metrics.pooled_limits`, as in ``simhall run``); the
    compression is measured from the committed limit *before* the reform.
    """
    br = item_reps(base) if base_reps is None else base_reps
    ar = item_reps(reform) if reform_reps is None else reform_reps
    pair = paired(br, ar, ["item_id"], ["p95_days", "limit_at_sl", "onsite_rate"])
    wide = pair.pivot(
        index="item_id", columns="metric", values=["before", "after", "diff", "ci_low", "ci_high"]
    )
    wide.columns = [f"{c[1]}__{c[0]}" for c in wide.columns.to_flat_index()]
    after_stats = metrics.across(ar, ["item_id"], ["limit_at_sl", "p95_days"]) if len(ar) else None
    bi = {i.id: i for i in base.scenario.items}
    rows = []
    for item in reform.scenario.items:
        old = bi.get(item.id)
        row: dict[str, Any] = {
            "item_id": item.id,
            "name": item.name,
            "department": item.department,
            "kind": item.kind,
            "tags": ";".join(item.tags),
            "committed_before": old.committed_days if old is not None else None,
            "committed_after": item.committed_days,
        }
        if item.id in wide.index:
            w = wide.loc[item.id]
            row.update(
                p95_before=w.get("p95_days__before"),
                p95_after=w.get("p95_days__after"),
                p95_diff=w.get("p95_days__diff"),
                p95_diff_ci_low=w.get("p95_days__ci_low"),
                p95_diff_ci_high=w.get("p95_days__ci_high"),
                limit_before=w.get("limit_at_sl__before"),
                onsite_before=w.get("onsite_rate__before"),
                onsite_after=w.get("onsite_rate__after"),
            )
        if after_stats is not None:
            s = after_stats[after_stats["item_id"] == item.id].set_index("metric")
            if len(s):
                row["p95_after"] = s.loc["p95_days", "mean"]
                row["limit_after"] = s.loc["limit_at_sl", "mean"]
                row["limit_after_ci_high"] = s.loc["limit_at_sl", "ci_high"]
        rows.append(row)
    table = pd.DataFrame(rows)
    for c in (
        "p95_before",
        "p95_after",
        "p95_diff",
        "p95_diff_ci_low",
        "p95_diff_ci_high",
        "limit_before",
        "limit_after",
        "limit_after_ci_high",
        "onsite_before",
        "onsite_after",
    ):
        if c not in table.columns:
            table[c] = math.nan
        table[c] = pd.to_numeric(table[c], errors="coerce").astype("float64")
    sl = reform.settings.service_level
    pooled_after = metrics.pooled_limits(reform.cases, sl)
    pooled_before = metrics.pooled_limits(base.cases, base.settings.service_level)
    table["recommended_before"] = table["item_id"].map(pooled_before).astype("float64")
    table["recommended_after"] = table["item_id"].map(pooled_after).astype("float64")
    committed = pd.to_numeric(table["committed_before"], errors="coerce").astype("float64")
    table["compression_days"] = committed - table["recommended_after"]
    table["compression_pct"] = np.where(
        committed > 0, 100.0 * table["compression_days"] / committed, np.nan
    )
    steps = steps_table(base.scenario, reform.scenario)
    return table.merge(
        steps[["item_id", "steps_before", "steps_after", "removed"]], on="item_id", how="left"
    )


def select_items(
    scenario: Scenario, tags: Iterable[str] = (), ids: Iterable[str] = ()
) -> list[str]:
    """Ids of the items carrying any of ``tags`` or listed in ``ids`` (all when both empty)."""
    tags, ids = set(tags), set(ids)
    if not tags and not ids:
        return [i.id for i in scenario.items]
    return [i.id for i in scenario.items if i.id in ids or tags & set(i.tags)]


def aggregate(
    items: pd.DataFrame,
    ids: Sequence[str],
    base_reps: pd.DataFrame,
    reform_reps: pd.DataFrame,
    label: str = "selection",
) -> pd.DataFrame:
    """Sums and averages over a set of items (the report's "36 items, 201 -> 142").

    Parameters
    ----------
    items : pandas.DataFrame
        :func:`item_table` output.
    ids : sequence of str
        The items of the set.
    base_reps, reform_reps : pandas.DataFrame
        :func:`item_reps` of both runs (for CIs of per-replication sums).
    label : str
        Name of the set.

    Returns
    -------
    pandas.DataFrame
        One row per figure: ``set, figure, before, after, change, change_pct, ci_low,
        ci_high, n_items``. ``committed_sum`` compares the committed limits before with the
        recommended limits after; ``limit_sum`` the per-replication sums of the shortest
        limit at the service level (paired CI of the change).
    """
    sel = items[items["item_id"].isin(ids)]
    n = len(sel)
    rows = []

    def add(
        figure: str, before: float, after: float, lo: float = math.nan, hi: float = math.nan
    ) -> None:
        change = after - before
        rows.append(
            {
                "set": label,
                "figure": figure,
                "before": before,
                "after": after,
                "change": change,
                "change_pct": 100.0 * change / before if before else math.nan,
                "ci_low": lo,
                "ci_high": hi,
                "n_items": n,
            }
        )

    committed = pd.to_numeric(sel["committed_before"], errors="coerce")
    add("committed_sum", float(committed.sum()), float(sel["recommended_after"].sum()))
    add("committed_mean", float(committed.mean()), float(sel["recommended_after"].mean()))
    add(
        "committed_after_sum",
        float(committed.sum()),
        float(pd.to_numeric(sel["committed_after"], errors="coerce").sum()),
    )
    for metric, figure in (("limit_at_sl", "limit_sum"), ("p95_days", "p95_sum")):
        b = base_reps[base_reps["item_id"].isin(ids)].groupby("replication")[metric].sum()
        a = reform_reps[reform_reps["item_id"].isin(ids)].groupby("replication")[metric].sum()
        both = pd.concat([b.rename("b"), a.rename("a")], axis=1).dropna()
        _, lo, hi = metrics.confidence_interval((both["a"] - both["b"]).to_numpy())
        add(figure, float(both["b"].mean()), float(both["a"].mean()), lo, hi)
    add("steps_sum", float(sel["steps_before"].sum()), float(sel["steps_after"].sum()))
    return pd.DataFrame(rows)


def bundle_table(
    results: Mapping[str, RunResult], reforms: Mapping[str, Sequence[Any]]
) -> pd.DataFrame:
    """Per scenario with a one-form bundle: visits, forms, fields, window minutes and working
    days per bundle application (means over replications).

    Parameters
    ----------
    results : mapping of str to RunResult
        Labelled runs.
    reforms : mapping of str to sequence of Reform
        The reforms applied in each run (from :func:`simhall.reforms.reform_log`).
    """
    rows = []
    for label, res in results.items():
        for reform in reforms.get(label, ()):
            if not isinstance(reform, OneForm):
                continue
            cases = res.cases[res.cases["item_id"] == reform.bundle]
            ev = res.events[res.events["item_id"] == reform.bundle]
            window = ev[ev["resource"].astype("string").str.contains("/window/", na=False)]
            minutes = (window["end"] - window["start"]).dt.total_seconds() / 60.0
            per_case = minutes.groupby(window["case_id"], observed=True).sum()
            done = cases[cases["status"] == "completed"]
            days = done["counted_days"].astype("float64")
            rows.append(
                {
                    "scenario": label,
                    "bundle": reform.bundle,
                    "stage": reform.stage,
                    "cases": len(cases) / max(res.settings.replications, 1),
                    **reform.profile(),
                    "visits_observed": float(cases["visits"].mean()) if len(cases) else math.nan,
                    "window_min": float(per_case.mean()) if len(per_case) else math.nan,
                    "mean_days": float(days.mean()) if len(days) else math.nan,
                    "p95_days": float(np.quantile(days, 0.95)) if len(days) else math.nan,
                }
            )
    return pd.DataFrame(rows)
