"""Which departments should get a chief representative (首席代表) first."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from simhall.compare.runs import item_reps
from simhall.experiment import RunResult
from simhall.reforms import apply_reforms, parse_reform
from simhall.scenario.schema import Scenario

__all__ = ["rank_chief_representatives"]


def rank_chief_representatives(
    base: Scenario,
    template: Mapping[str, Any],
    runner: Callable[[Scenario], RunResult],
    candidates: Sequence[str] | None = None,
    budget: int = 1,
) -> pd.DataFrame:
    """Which departments should get a chief representative first.

    For each candidate department, its items alone are simulated before and after a
    ``chief_representative`` reform built from ``template`` (a reform table without
    ``department``), with common random numbers. The predicted compression is the drop in
    the sum of the shortest limits meeting the service level over its commitment items
    (and, weighted by demand, case-days saved per working day). Departments are ranked by
    compression per added representative and picked greedily within ``budget``
    representatives.

    Parameters
    ----------
    base : Scenario
        The base scenario (reforms applied).
    template : mapping
        Reform table, e.g. ``{"replace": ["work", "signoff"], "representatives": 1}``.
    runner : callable
        Runs a scenario with fixed settings.
    candidates : sequence of str, optional
        Department ids (default: every department with commitment items).
    budget : int
        Chief representatives available.

    Returns
    -------
    pandas.DataFrame
        ``rank, department, representatives, items, limit_before, limit_after,
        compression_days, compression_per_rep, case_days_saved_per_day, selected``.
    """
    base = apply_reforms(base)
    if candidates is None:
        candidates = [
            d.id
            for d in base.departments
            if any(i.department == d.id and i.kind == "commitment" for i in base.items)
        ]
    rows = []
    for dept in candidates:
        items = tuple(i for i in base.items if i.department == dept)
        sub = dataclasses.replace(base, items=items, reforms=())
        reform = parse_reform(
            {**template, "kind": "chief_representative", "department": dept}, sub, "<ranking>"
        )
        after = reform.apply(sub)
        rb, ra = item_reps(runner(sub)), item_reps(runner(after))
        commit = [i.id for i in items if i.kind == "commitment"]
        lb = rb[rb["item_id"].isin(commit)].groupby("item_id")["limit_at_sl"].mean()
        la = ra[ra["item_id"].isin(commit)].groupby("item_id")["limit_at_sl"].mean()
        mb = rb[rb["item_id"].isin(commit)].groupby("item_id")["mean_days"].mean()
        ma = ra[ra["item_id"].isin(commit)].groupby("item_id")["mean_days"].mean()
        volume = pd.Series({i.id: i.demand.daily_volume for i in items})
        saved = float(((mb - ma) * volume.reindex(mb.index)).sum())
        reps = getattr(reform, "representatives", 1)
        comp = float(lb.sum() - la.sum())
        rows.append(
            {
                "department": dept,
                "representatives": reps,
                "items": len(commit),
                "limit_before": float(lb.sum()),
                "limit_after": float(la.sum()),
                "compression_days": comp,
                "compression_per_rep": comp / reps,
                "case_days_saved_per_day": saved,
            }
        )
    table = (
        pd.DataFrame(rows)
        .sort_values(["compression_per_rep", "case_days_saved_per_day"], ascending=False)
        .reset_index(drop=True)
    )
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    used = 0
    selected = []
    for reps in table["representatives"]:
        ok = used + reps <= budget
        used += reps if ok else 0
        selected.append(ok)
    table["selected"] = selected
    return table
