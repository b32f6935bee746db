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

from simhall.compare.headlines import estimable, headline_split, left_out_note
from simhall.compare.paired import paired
from simhall.compare.runs import item_reps
from simhall.experiment import RunResult
from simhall.reforms.one_form import OneForm
from simhall.reforms.routes import flatten
from simhall.reporting import durations, metrics
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
    completed_before, completed_after, p95_before, p95_after, p95_diff, p95_diff_ci_low,
    p95_diff_ci_high, limit_before, limit_after, limit_after_ci_high, recommended_after,
    compression_days, compression_pct, onsite_before, onsite_after, recommended_before,
    withheld_before, withheld_after, slack_days, effect_days, steps_before, steps_after,
    removed``.
    ``recommended_*`` is the shortest limit meeting the service level over all replications'
    cases pooled, as in ``simhall run`` (the run's ``recommended_days``); the compression is
    measured from the committed limit *before* the reform, and it is the sum of two parts:
    ``slack_days`` (committed minus recommended before: room in today's limit, no reform)
    minus ``effect_days`` (recommended after minus before: the reform's). ``completed_*``
    is the share of the item's cases completed within the run. Where a run withholds an item's
    recommendation (too few cases completed, or a route through an unstable station:
    :func:`simhall.reporting.stability.withheld`), its limits, recommendation and compression
    are NaN and ``withheld_*`` says why; a duration figure some replication could not
    estimate (too many cases open: :func:`simhall.reporting.durations.not_estimable`) is NaN.
    """
    br = item_reps(base) if base_reps is None else base_reps
    ar = item_reps(reform) if reform_reps is None else reform_reps
    cols = ["p95_days", "limit_at_sl", "onsite_rate", "completed_share"]
    pair = paired(br, ar, ["item_id"], cols)
    for reps, side in ((br, "before"), (ar, "after")):
        blank = durations.not_estimable(reps)
        pair = durations.blank(pair, blank, [side, "diff", "ci_low", "ci_high"])
    wide = pair.pivot(
        index="item_id", columns="metric", values=["before", "after", "diff", "ci_low", "ci_high"]
    )
    wide.columns = [f"{c[1]}__{c[0]}" for c in wide.columns.to_flat_index()]
    after_stats = (
        durations.blank(
            metrics.across(ar, ["item_id"], ["limit_at_sl", "p95_days", "completed_share"]),
            durations.not_estimable(ar),
        )
        if len(ar)
        else None
    )
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
                completed_before=w.get("completed_share__before"),
                completed_after=w.get("completed_share__after"),
            )
        if after_stats is not None:
            s = after_stats[after_stats["item_id"] == item.id].set_index("metric")
            if len(s):
                row["p95_after"] = s.loc["p95_days", "mean"]
                row["limit_after"] = s.loc["limit_at_sl", "mean"]
                row["limit_after_ci_high"] = s.loc["limit_at_sl", "ci_high"]
                row["completed_after"] = s.loc["completed_share", "mean"]
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
        "completed_before",
        "completed_after",
    ):
        if c not in table.columns:
            table[c] = math.nan
        table[c] = pd.to_numeric(table[c], errors="coerce").astype("float64")
    for when, res in (("before", base), ("after", reform)):
        run_items = res.items.set_index("item_id")
        why = table["item_id"].map(run_items["withheld"]).fillna("").astype("string")
        table[f"withheld_{when}"] = why
        table[f"recommended_{when}"] = (
            table["item_id"].map(run_items["recommended_days"]).astype("float64").where(why == "")
        )
        limits = ["limit_before"] if when == "before" else ["limit_after", "limit_after_ci_high"]
        table.loc[(why != "").to_numpy(dtype=bool), limits] = math.nan
    committed = pd.to_numeric(table["committed_before"], errors="coerce").astype("float64")
    table["compression_days"] = committed - table["recommended_after"]
    table["slack_days"] = committed - table["recommended_before"]
    table["effect_days"] = table["recommended_after"] - table["recommended_before"]
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


def _supported(items: pd.DataFrame) -> pd.Series:
    """Per row of :func:`item_table`: the recommendation stands before and after."""
    ok = pd.Series(True, index=items.index)
    for col in ("withheld_before", "withheld_after"):
        if col in items.columns:
            ok &= (items[col].astype("string").fillna("") == "").to_numpy(dtype=bool)
    return ok


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
        ci_high, n_items, n_withheld, note, pct_of_committed``. The headlines
        ``committed_sum``/``committed_mean`` (committed limits before vs recommended
        limits after) come split, each into ``slack_*`` (committed vs recommended in the
        base run: room in today's limits, no reform) and ``reform_*`` (recommended before
        vs after, paired CI: the reform's effect), over the items with a committed limit
        (:func:`simhall.compare.headlines.headline_split`; ``pct_of_committed`` adds up).
        ``limit_sum`` and ``p95_sum`` are per-replication sums (paired CI of the change),
        ``committed_after_sum`` the committed limits the overlay sets, ``steps_sum`` the
        approval steps. The figures of limits and durations leave out the items whose
        recommendation either run withholds, or whose figure some replication could not
        estimate: a sum with the stuck items silently missing would promise what the hall
        cannot keep. They are counted in ``n_withheld`` and named in ``note``;
        ``n_items`` is what was summed.
    """
    sel = items[items["item_id"].isin(ids)]
    supported = sel[_supported(sel)]
    rows: list[dict[str, object]] = []
    all_ids = [str(i) for i in sel["item_id"]]

    def add(
        figure: str,
        before: float,
        after: float,
        used: Sequence[str],
        lo: float = math.nan,
        hi: float = math.nan,
    ) -> None:
        if not used:  # nothing with support to sum: not 0 -> 0
            before = after = lo = hi = math.nan
        change = after - before
        summed = set(used)
        left_out = [i for i in all_ids if i not in summed]
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
                "n_items": len(used),
                "n_withheld": len(left_out),
                "note": left_out_note(left_out),
            }
        )

    kept = [str(i) for i in supported["item_id"]]
    add(
        "committed_after_sum",
        float(pd.to_numeric(sel["committed_before"], errors="coerce").sum()),
        float(pd.to_numeric(sel["committed_after"], errors="coerce").sum()),
        all_ids,
    )
    for metric, figure in (("limit_at_sl", "limit_sum"), ("p95_days", "p95_sum")):
        use = sorted(
            set(kept) & estimable(base_reps, kept, metric) & estimable(reform_reps, kept, metric)
        )
        b = base_reps[base_reps["item_id"].isin(use)].groupby("replication")[metric].sum()
        a = reform_reps[reform_reps["item_id"].isin(use)].groupby("replication")[metric].sum()
        both = pd.concat([b.rename("b"), a.rename("a")], axis=1).dropna()
        _, lo, hi = metrics.confidence_interval((both["a"] - both["b"]).to_numpy())
        add(figure, float(both["b"].mean()), float(both["a"].mean()), use, lo, hi)
    add("steps_sum", float(sel["steps_before"].sum()), float(sel["steps_after"].sum()), all_ids)
    split = headline_split(sel, base_reps, reform_reps, label)
    return pd.concat([split, pd.DataFrame(rows)], ignore_index=True)


def bundle_table(
    results: Mapping[str, RunResult], reforms: Mapping[str, Sequence[Any]]
) -> pd.DataFrame:
    """Per scenario with a one-form bundle: visits, forms, fields, window minutes, the share
    of cases completed and working days per bundle application (over all replications'
    cases, open ones counted: :func:`simhall.reporting.durations.duration_figures`).

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
            rows.append(
                {
                    "scenario": label,
                    "bundle": reform.bundle,
                    "stage": reform.stage,
                    "cases": len(cases) / max(res.settings.replications, 1),
                    **reform.profile(),
                    "visits_observed": float(cases["visits"].mean()) if len(cases) else math.nan,
                    "window_min": float(per_case.mean()) if len(per_case) else math.nan,
                    **durations.duration_figures(cases),
                }
            )
    return pd.DataFrame(rows)
