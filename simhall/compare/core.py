"""Compare a base scenario with reformed ones: paired differences, time-limit compression,
contributions of combined reforms and a chief-representative ranking.

Every scenario runs with the same seed and replications. Streams are named per item and
purpose (:mod:`simhall.streams`), so an item a reform leaves alone draws the same numbers in
both runs (common random numbers) and replication ``r`` of the base is paired with
replication ``r`` of the reform: the difference of each metric is taken per replication and
its 95% confidence interval comes from those paired differences.

The functions below are pure where possible (frames in, frames out) so that notebooks can
call them on :class:`~simhall.experiment.RunResult` objects; :func:`compare` runs the
simulations and :func:`write_comparison` writes the CSV, Markdown and figures atomically.
"""

from __future__ import annotations

import dataclasses
import io
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simhall.experiment import RunResult, run
from simhall.io import atomic_write, atomic_write_csv, atomic_write_text
from simhall.reforms import apply_reforms, parse_reform, reform_log
from simhall.reforms.one_form import OneForm
from simhall.reforms.routes import flatten
from simhall.reporting import metrics
from simhall.reporting.markdown import markdown_table as _markdown_table
from simhall.scenario.schema import Scenario

__all__ = [
    "Comparison",
    "aggregate",
    "bundle_table",
    "combine",
    "compare",
    "contributions",
    "department_reps",
    "hall_reps",
    "item_reps",
    "item_table",
    "markdown_table",
    "paired",
    "rank_chief_representatives",
    "run_scenarios",
    "steps_table",
    "write_comparison",
]

ITEM_PAIRED = ["mean_days", "p95_days", "limit_at_sl", "share_within", "onsite_rate"]
DEPT_PAIRED = ["mean_wait_min", "window_utilization", "staff_utilization"]
HALL_PAIRED = [
    "onsite_rate",
    "share_within",
    "visits_per_case",
    "mean_wait_min",
    "window_utilization",
    "staff_utilization",
    "district_cases_per_day",
]


# --------------------------------------------------------------------------- running


def run_scenarios(scenarios: Mapping[str, Scenario], **options: Any) -> dict[str, RunResult]:
    """Run every scenario (reforms applied) with the same ``options`` (seed, reps, ...).

    Parameters
    ----------
    scenarios : mapping of str to Scenario
        Labelled scenarios; their ``[[reforms]]`` are applied first.
    **options
        Keyword arguments of :func:`simhall.experiment.run` (``reps``, ``seed``, ``days``,
        ``workers``, ...), the same for every scenario (common random numbers).

    Returns
    -------
    dict
        Label -> :class:`~simhall.experiment.RunResult`.
    """
    return {label: run(apply_reforms(s), **options) for label, s in scenarios.items()}


# --------------------------------------------------------------------------- per replication


def item_reps(result: RunResult) -> pd.DataFrame:
    """Per replication and item: the metrics of
    :func:`simhall.reporting.metrics.items_by_replication`."""
    return metrics.items_by_replication(result.cases, result.settings.service_level)


def department_reps(result: RunResult) -> pd.DataFrame:
    """Per replication and department: mean window wait, window and staff utilization."""
    ids = [d.id for d in result.scenario.departments]
    waits = metrics.window_waits_by_replication(result.events, ids)
    util = metrics.utilization_by_replication(result.stations, ["replication", "department"])
    return waits.merge(util, on=["replication", "department"], how="left")


def hall_reps(result: RunResult) -> pd.DataFrame:
    """Per replication, hall-wide: on-site rate, share within limits, visits per case, mean
    window wait, window and staff utilization, and cases per working day at district centers
    (items tagged ``district_center``)."""
    hall = metrics.hall_by_replication(result.cases)
    ids = [d.id for d in result.scenario.departments]
    waits = metrics.window_waits_by_replication(result.events, ids)
    w = waits.assign(tot=waits["mean_wait_min"] * waits["visits"]).groupby("replication")
    mean_wait = (w["tot"].sum() / w["visits"].sum().where(w["visits"].sum() > 0)).rename(
        "mean_wait_min"
    )
    util = metrics.utilization_by_replication(result.stations, ["replication"])
    hall = hall.merge(mean_wait.reset_index(), on="replication", how="left")
    hall = hall.merge(util, on="replication", how="left")
    district = {i.id for i in result.scenario.items if "district_center" in i.tags}
    n_days = _working_days(result)
    if district:
        counts = result.cases[result.cases["item_id"].isin(district)].groupby("replication").size()
        hall["district_cases_per_day"] = (
            hall["replication"].map(counts).fillna(0).astype(float) / n_days
        )
    else:
        hall["district_cases_per_day"] = 0.0
    return hall


def _working_days(result: RunResult) -> int:
    """Working days with arrivals counted in the results (after the warm-up)."""
    from simhall.calendar import WorkCalendar

    s = result.settings
    cal = WorkCalendar(result.scenario.calendar, s.days)
    return int(np.asarray(cal.working[s.warmup_days : s.days]).sum())


# --------------------------------------------------------------------------- paired differences


def paired(
    before: pd.DataFrame,
    after: pd.DataFrame,
    keys: Sequence[str],
    columns: Sequence[str],
    level: float = 0.95,
) -> pd.DataFrame:
    """Paired differences ``after - before`` per replication, with confidence intervals.

    Parameters
    ----------
    before, after : pandas.DataFrame
        Per-replication frames with ``replication``, ``keys`` and ``columns``.
    keys : sequence of str
        Grouping columns (``[]`` for hall-wide).
    columns : sequence of str
        Metrics to compare.
    level : float
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        ``keys + [metric, before, after, diff, ci_low, ci_high, reps]``: means over
        replications and the mean paired difference with its Student-t interval
        (replications present in both only).
    """
    keys = list(keys)
    cols = [c for c in columns if c in before.columns and c in after.columns]
    m = before[["replication", *keys, *cols]].merge(
        after[["replication", *keys, *cols]], on=["replication", *keys], suffixes=("_b", "_a")
    )
    rows = []
    groups = m.groupby(keys, sort=True) if keys else [((), m)]
    for key, g in groups:
        kt = key if isinstance(key, tuple) else (key,)
        for c in cols:
            b = g[f"{c}_b"].to_numpy(dtype=np.float64)
            a = g[f"{c}_a"].to_numpy(dtype=np.float64)
            d = a - b
            mean, lo, hi = metrics.confidence_interval(d, level)
            rows.append(
                {
                    **dict(zip(keys, kt)),
                    "metric": c,
                    "before": float(np.nanmean(b)) if np.isfinite(b).any() else math.nan,
                    "after": float(np.nanmean(a)) if np.isfinite(a).any() else math.nan,
                    "diff": mean,
                    "ci_low": lo,
                    "ci_high": hi,
                    "reps": int(np.isfinite(d).sum()),
                }
            )
    return pd.DataFrame(
        rows, columns=[*keys, "metric", "before", "after", "diff", "ci_low", "ci_high", "reps"]
    )


# --------------------------------------------------------------------------- items


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


# --------------------------------------------------------------------------- combinations


def extra_reforms(base: Scenario, overlay: Scenario) -> tuple[object, ...]:
    """The raw reform tables an overlay adds to its base (its ``reforms`` after the base's)."""
    n = len(base.reforms)
    if overlay.reforms[:n] != base.reforms:
        raise ValueError(f"{overlay.source or overlay.name} does not extend the base scenario")
    return overlay.reforms[n:]


def combine(base: Scenario, overlays: Sequence[Scenario]) -> Scenario:
    """``base`` with the reforms of every overlay, in the order given (not yet applied)."""
    extra: tuple[object, ...] = ()
    for o in overlays:
        extra += extra_reforms(base, o)
    return dataclasses.replace(base, reforms=base.reforms + extra)


def headline(result: RunResult, ids: Sequence[str]) -> dict[str, float]:
    """A few numbers per run for contribution tables: sums over the set ``ids`` and hall-wide
    means over replications."""
    ir = item_reps(result)
    sub = ir[ir["item_id"].isin(ids)]
    per_rep = sub.groupby("replication")[["limit_at_sl", "p95_days", "mean_days"]].sum()
    hall = hall_reps(result).mean(numeric_only=True)
    n = max(len(set(sub["item_id"])), 1)
    return {
        "limit_sum": float(per_rep["limit_at_sl"].mean()),
        "mean_limit": float(per_rep["limit_at_sl"].mean()) / n,
        "p95_sum": float(per_rep["p95_days"].mean()),
        "onsite_rate": float(hall["onsite_rate"]),
        "mean_wait_min": float(hall["mean_wait_min"]),
        "staff_utilization": float(hall["staff_utilization"]),
    }


def contributions(
    base: Scenario,
    overlays: Mapping[str, Scenario],
    ids: Sequence[str],
    runner: Callable[[Scenario], RunResult],
    cache: dict[tuple[str, ...], RunResult] | None = None,
) -> pd.DataFrame:
    """What each reform contributes when several are combined.

    Two views: adding the reforms one at a time in the stated order (``add_one``: the
    change of each headline figure when that reform joins the ones before it), and leaving
    each out of the full set (``leave_one_out``: full minus full-without-it).

    Parameters
    ----------
    base : Scenario
        The base scenario (raw, with its own reforms if any).
    overlays : mapping of str to Scenario
        Labelled overlays extending ``base``, in the order to add them.
    ids : sequence of str
        Items whose limits are summed (:func:`headline`).
    runner : callable
        Runs a raw scenario (reforms still to apply) with fixed settings.
    cache : dict, optional
        Runs by tuple of labels, reused and filled (``()`` is the base).

    Returns
    -------
    pandas.DataFrame
        ``view, reform, figure, without, with, contribution``.
    """
    labels = list(overlays)
    cache = {} if cache is None else cache

    def result(subset: tuple[str, ...]) -> RunResult:
        key = tuple(lab for lab in labels if lab in subset)
        if key not in cache:
            cache[key] = runner(combine(base, [overlays[lab] for lab in key]))
        return cache[key]

    heads: dict[tuple[str, ...], dict[str, float]] = {}

    def head(subset: tuple[str, ...]) -> dict[str, float]:
        key = tuple(lab for lab in labels if lab in subset)
        if key not in heads:
            heads[key] = headline(result(key), ids)
        return heads[key]

    rows = []
    for k, lab in enumerate(labels):
        before, after = head(tuple(labels[:k])), head(tuple(labels[: k + 1]))
        for fig in before:
            rows.append(
                {
                    "view": "add_one",
                    "reform": lab,
                    "figure": fig,
                    "without": before[fig],
                    "with": after[fig],
                    "contribution": after[fig] - before[fig],
                }
            )
    full = head(tuple(labels))
    for lab in labels:
        without = head(tuple(x for x in labels if x != lab))
        for fig in full:
            rows.append(
                {
                    "view": "leave_one_out",
                    "reform": lab,
                    "figure": fig,
                    "without": without[fig],
                    "with": full[fig],
                    "contribution": full[fig] - without[fig],
                }
            )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- ranking


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


# --------------------------------------------------------------------------- the whole thing


@dataclass
class Comparison:
    """Everything :func:`compare` computed (all frames tidy)."""

    base_label: str
    results: dict[str, RunResult]
    reforms: dict[str, tuple[Any, ...]]
    items: pd.DataFrame
    aggregates: pd.DataFrame
    departments: pd.DataFrame
    hall: pd.DataFrame
    bundles: pd.DataFrame
    contributions: pd.DataFrame = field(default_factory=pd.DataFrame)
    ranking: pd.DataFrame = field(default_factory=pd.DataFrame)


def compare(
    base: Scenario,
    overlays: Mapping[str, Scenario],
    *,
    tags: Sequence[str] = (),
    base_label: str = "base",
    with_contributions: bool = True,
    rank_budget: int | None = None,
    rank_template: Mapping[str, Any] | None = None,
    **options: Any,
) -> Comparison:
    """Run ``base`` and every overlay with common random numbers and compare them.

    Parameters
    ----------
    base : Scenario
        The base scenario (raw; its reforms, if any, are applied).
    overlays : mapping of str to Scenario
        Labelled reform overlays extending ``base``.
    tags : sequence of str
        Item tags of the aggregate set (default: all items).
    base_label : str
        Label of the base in the outputs.
    with_contributions : bool
        With more than one overlay, also run the combinations for :func:`contributions`.
    rank_budget : int, optional
        Also rank departments for chief representatives within this many representatives.
    rank_template : mapping, optional
        Chief-representative reform table for the ranking (default: replace section review
        and sign-off, one representative).
    **options
        Passed to :func:`simhall.experiment.run` (``reps``, ``seed``, ``workers``, ...).
    """

    def runner(s: Scenario) -> RunResult:
        return run(apply_reforms(s), **options)

    logs = {base_label: reform_log(base)}
    for label, o in overlays.items():
        logs[label] = reform_log(o)
    results = {label: run(scn, **options) for label, (scn, _) in logs.items()}
    reforms = {label: rs for label, (_, rs) in logs.items()}
    b = results[base_label]
    br = item_reps(b)
    bd, bh = department_reps(b), hall_reps(b)
    item_frames, agg_frames, dept_frames, hall_frames = [], [], [], []
    for label in overlays:
        r = results[label]
        rr = item_reps(r)
        it = item_table(b, r, br, rr)
        item_frames.append(it.assign(scenario=label))
        ids = select_items(r.scenario, tags)
        agg_frames.append(
            aggregate(it, ids, br, rr, ",".join(tags) or "all").assign(scenario=label)
        )
        dept_frames.append(
            paired(bd, department_reps(r), ["department"], DEPT_PAIRED).assign(scenario=label)
        )
        hall_frames.append(paired(bh, hall_reps(r), [], HALL_PAIRED).assign(scenario=label))
    contrib = pd.DataFrame()
    if with_contributions and len(overlays) > 1:
        cache: dict[tuple[str, ...], RunResult] = {(): b}
        for label in overlays:
            cache[(label,)] = results[label]
        ids = select_items(apply_reforms(base), tags)
        contrib = contributions(base, overlays, ids, runner, cache)
    ranking = pd.DataFrame()
    if rank_budget is not None:
        template = rank_template or {"replace": ["work", "signoff"], "representatives": 1}
        ranking = rank_chief_representatives(base, template, runner, budget=rank_budget)
    return Comparison(
        base_label=base_label,
        results=results,
        reforms=reforms,
        items=pd.concat(item_frames, ignore_index=True) if item_frames else pd.DataFrame(),
        aggregates=pd.concat(agg_frames, ignore_index=True) if agg_frames else pd.DataFrame(),
        departments=pd.concat(dept_frames, ignore_index=True) if dept_frames else pd.DataFrame(),
        hall=pd.concat(hall_frames, ignore_index=True) if hall_frames else pd.DataFrame(),
        bundles=bundle_table(results, reforms),
        contributions=contrib,
        ranking=ranking,
    )


# --------------------------------------------------------------------------- output


def _cell(v: object) -> str:
    if isinstance(v, float):
        if not math.isfinite(v):
            return "-"
        return f"{v:.0f}" if v.is_integer() and abs(v) < 1e6 else f"{v:.3g}"
    if v is None or v is pd.NA:
        return "-"
    return str(v).replace("|", "/")


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub Markdown table of ``frame`` (floats to 3 significant digits)."""
    return _markdown_table(frame, _cell)


def _save_figure(fig: Any, path: Path) -> None:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    data = buf.getvalue()

    def write(p: Path) -> None:
        p.write_bytes(data)

    atomic_write(path, write)


def _figures(cmp: Comparison, out: Path, tags: Sequence[str]) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    for label, it in cmp.items.groupby("scenario", sort=False):
        sel = it[
            it["tags"].fillna("").apply(lambda t: not tags or bool(set(tags) & set(t.split(";"))))
        ]
        sel = sel.dropna(subset=["p95_before"]).head(40)
        if not len(sel):
            continue
        fig, ax = plt.subplots(figsize=(8, 6))
        y = np.arange(len(sel))
        ax.barh(y - 0.2, sel["p95_before"], height=0.4, label="P95 before")
        ax.barh(y + 0.2, sel["p95_after"], height=0.4, label="P95 after")
        ax.scatter(
            sel["committed_before"].astype(float),
            y,
            marker="|",
            color="k",
            s=80,
            label="committed before",
        )
        ax.set_yticks(y, sel["item_id"], fontsize=6)
        ax.set_xlabel("working days")
        ax.set_title(f"{label}: P95 working days per item")
        ax.legend(fontsize=7)
        fig.tight_layout()
        name = f"p95_{_safe(str(label))}.png"
        _save_figure(fig, out / name)
        plt.close(fig)
        written.append(name)
    if len(cmp.contributions):
        c = cmp.contributions[cmp.contributions["figure"] == "limit_sum"]
        fig, ax = plt.subplots(figsize=(8, 4))
        for k, (view, g) in enumerate(c.groupby("view", sort=False)):
            x = np.arange(len(g)) + 0.4 * k
            ax.bar(x, g["contribution"], width=0.4, label=view)
            ax.set_xticks(np.arange(len(g)) + 0.2, g["reform"], fontsize=7)
        ax.axhline(0, color="k", lw=0.5)
        ax.set_ylabel("change of the summed limit at SL (days)")
        ax.legend(fontsize=7)
        fig.tight_layout()
        _save_figure(fig, out / "contributions.png")
        plt.close(fig)
        written.append("contributions.png")
    return written


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)


def tidy(cmp: Comparison) -> pd.DataFrame:
    """One long frame of every paired comparison: ``scenario, scope, id, metric, before,
    after, diff, ci_low, ci_high, reps``."""
    parts = []
    it = cmp.items
    if len(it):
        for metric in ("p95", "limit", "onsite"):
            cols = {
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


def write_comparison(
    cmp: Comparison, out_dir: str | os.PathLike[str], tags: Sequence[str] = ()
) -> Path:
    """Write ``comparison.csv`` (tidy), ``items.csv``, ``aggregates.csv``,
    ``departments.csv``, ``hall.csv``, ``bundles.csv``, ``contributions.csv``,
    ``ranking.csv``, ``report.md`` and PNG figures to ``out_dir``, each atomically."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_csv(tidy(cmp), out / "comparison.csv")
    for name in (
        "items",
        "aggregates",
        "departments",
        "hall",
        "bundles",
        "contributions",
        "ranking",
    ):
        frame = getattr(cmp, name)
        if len(frame):
            atomic_write_csv(frame, out / f"{name}.csv")
    figures = _figures(cmp, out, tags)
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
        md += [
            "",
            f"## Aggregates ({', '.join(tags) or 'all items'})",
            "",
            markdown_table(
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
                        "n_items",
                    ]
                ]
            ),
        ]
    if len(cmp.hall):
        md += [
            "",
            "## Hall",
            "",
            markdown_table(
                cmp.hall[["scenario", "metric", "before", "after", "diff", "ci_low", "ci_high"]]
            ),
        ]
    if len(cmp.bundles):
        md += ["", "## One-form bundles", "", markdown_table(cmp.bundles)]
    if len(cmp.contributions):
        md += ["", "## Contributions", "", markdown_table(cmp.contributions)]
    if len(cmp.ranking):
        md += ["", "## Chief representatives: ranking", "", markdown_table(cmp.ranking)]
    if len(cmp.items):
        top = cmp.items.sort_values("compression_days", ascending=False).head(30)
        md += [
            "",
            "## Items with the largest compression (top 30; all in items.csv)",
            "",
            markdown_table(
                top[
                    [
                        "scenario",
                        "item_id",
                        "committed_before",
                        "p95_before",
                        "p95_after",
                        "p95_diff",
                        "recommended_after",
                        "compression_days",
                        "compression_pct",
                        "removed",
                    ]
                ]
            ),
        ]
    md += ["", "Figures: " + (", ".join(figures) or "none"), ""]
    atomic_write_text("\n".join(md), out / "report.md")
    return out
