"""The honest headline: "limits cut from 201 to 142 days" split into the slack already in
today's limits and the reform's effect.

A hall's committed limits (承诺时限) were set with room to spare; the simulated recommended
limit (the shortest limit met at the service level) has none. Comparing the committed
limits *before* with the recommended limits *after* a reform therefore mixes two things,
as a shop that re-prices its stock and reports the discount against last year's list
price mixes the old mark-up with the new discount:

* the **slack** in today's limits: committed vs recommended at the service level in the
  base run, no reform at all;
* the **reform's effect**: recommended before vs recommended after, paired across
  replications (common random numbers), with a confidence interval.

The committed-to-recommended change (``committed_sum``) is exactly their sum. A staffing
change that leaves the limits alone shows its whole change as slack and an effect of about
zero. Point figures are the pooled recommendations of the runs (``recommended_days``, as
``simhall run`` gives them); intervals come from the per-replication limits by sectioning
(:func:`simhall.compare.paired.sectioned_interval`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from simhall.compare.paired import sectioned_interval

__all__ = ["HEADLINES", "PARTS", "estimable", "headline_split", "left_out_note", "split_items"]

PARTS: dict[str, str] = {
    "committed": "total: committed before -> recommended after",
    "slack": "slack in today's limits: committed -> recommended, base run",
    "reform": "the reform's effect: recommended before -> after (paired)",
}
"""The three parts of a headline (figure prefix: meaning); committed = slack + reform."""

HEADLINES: tuple[str, ...] = ("sum", "mean")
"""The headline statistics over the set: ``<part>_sum`` and ``<part>_mean``."""


def left_out_note(left_out: Sequence[str], why: str = "withheld") -> str:
    """``"withheld: a, b, c, d, e and 3 more"`` (empty when nothing was left out)."""
    if not left_out:
        return ""
    shown = ", ".join(left_out[:5])
    more = f" and {len(left_out) - 5} more" if len(left_out) > 5 else ""
    return f"{why}: {shown}{more}"


def estimable(reps: pd.DataFrame, ids: Sequence[str], metric: str) -> set[str]:
    """Items of ``ids`` whose ``metric`` no replication of ``reps`` left unestimated."""
    mine = reps[reps["item_id"].isin(ids)]
    return {str(i) for i in ids} - set(mine.loc[mine[metric].isna(), "item_id"].astype(str))


def split_items(
    sel: pd.DataFrame, base_reps: pd.DataFrame, reform_reps: pd.DataFrame
) -> tuple[list[str], list[str], list[str]]:
    """The items of the split: ``(used, withheld, uncommitted)``.

    ``used`` have a committed limit (``committed_before > 0``; an on-site item's 0 is no
    limit with room in it), a recommendation in both runs (not withheld, known) and a
    limit at the service level in every replication of both runs; ``withheld`` have a
    committed limit but not the rest; ``uncommitted`` have no committed limit.
    """
    committed = pd.to_numeric(sel["committed_before"], errors="coerce")
    has_limit = (committed > 0).to_numpy(dtype=bool)
    ok = pd.Series(True, index=sel.index)
    for when in ("before", "after"):
        why = sel.get(f"withheld_{when}", pd.Series("", index=sel.index))
        ok &= (why.astype("string").fillna("") == "").to_numpy(dtype=bool)
        ok &= np.isfinite(sel[f"recommended_{when}"].to_numpy(dtype=np.float64))
    ids = [str(i) for i in sel["item_id"]]
    known = estimable(base_reps, ids, "limit_at_sl") & estimable(reform_reps, ids, "limit_at_sl")
    used, withheld, uncommitted = [], [], []
    for i, limit, good in zip(ids, has_limit, ok.to_numpy(dtype=bool), strict=True):
        if not limit:
            uncommitted.append(i)
        elif good and i in known:
            used.append(i)
        else:
            withheld.append(i)
    return used, withheld, uncommitted


def _per_rep(
    reps: pd.DataFrame, ids: Sequence[str], pooled: pd.Series, replications: Sequence[int]
) -> np.ndarray:
    """Per replication, the summed limit at the service level of ``ids``; a replication
    without a case of an item counts it at its pooled recommendation."""
    mine = reps[reps["item_id"].isin(ids)]
    wide = mine.pivot_table(
        index="replication", columns="item_id", values="limit_at_sl", aggfunc="first"
    )
    wide = wide.reindex(index=list(replications), columns=list(ids))
    filled = wide.fillna(pooled.reindex(list(ids)))
    return filled.sum(axis=1).to_numpy(dtype=np.float64)


def headline_split(
    sel: pd.DataFrame,
    base_reps: pd.DataFrame,
    reform_reps: pd.DataFrame,
    label: str = "selection",
) -> pd.DataFrame:
    """The headline figures of a set of items, each split into slack and reform effect.

    Parameters
    ----------
    sel : pandas.DataFrame
        :func:`simhall.compare.item_table` rows of the set.
    base_reps, reform_reps : pandas.DataFrame
        :func:`simhall.compare.item_reps` of both runs.
    label : str
        Name of the set.

    Returns
    -------
    pandas.DataFrame
        Rows ``committed_sum, slack_sum, reform_sum, committed_mean, slack_mean,
        reform_mean`` with the columns of :func:`simhall.compare.aggregate` and
        ``pct_of_committed`` (the change in % of the set's committed limits, so that the
        slack's and the reform's add up to the total's). ``committed``: committed before
        -> recommended after; ``slack``: committed -> recommended in the base run;
        ``reform``: recommended before -> after. ``ci_low``/``ci_high`` bound the change
        (:func:`simhall.compare.paired.sectioned_interval` over the per-replication
        limits). Items of :func:`split_items`' ``withheld`` are counted in ``n_withheld``
        and named in ``note``, which also says how many items have no committed limit (not
        counted: they have no limit to split).
    """
    used, withheld, uncommitted = split_items(sel, base_reps, reform_reps)
    rows = sel.set_index(sel["item_id"].astype(str))
    committed = float(pd.to_numeric(rows.loc[used, "committed_before"]).sum()) if used else 0.0
    rec_b = rows["recommended_before"].astype("float64")
    rec_a = rows["recommended_after"].astype("float64")
    reps = sorted(set(base_reps["replication"]) | set(reform_reps["replication"]))
    b_r = _per_rep(base_reps, used, rec_b, reps)
    a_r = _per_rep(reform_reps, used, rec_a, reps)
    sum_b, sum_a = float(rec_b.loc[used].sum()), float(rec_a.loc[used].sum())
    parts = {  # part: (before, after, per-replication change)
        "committed": (committed, sum_a, a_r - committed),
        "slack": (committed, sum_b, b_r - committed),
        "reform": (sum_b, sum_a, a_r - b_r),
    }
    note = "; ".join(
        n
        for n in (
            left_out_note(withheld),
            f"{len(uncommitted)} without a committed limit" if uncommitted else "",
        )
        if n
    )
    out = []
    n = len(used)
    for stat in HEADLINES:
        scale = 1.0 if stat == "sum" else (1.0 / n if n else math.nan)
        for part, (before, after, per_rep) in parts.items():
            before, after = before * scale, after * scale
            change = after - before
            lo, hi = sectioned_interval(change, per_rep * scale)
            if not n:  # nothing with support to sum: not 0 -> 0
                before = after = change = lo = hi = math.nan
            out.append(
                {
                    "set": label,
                    "figure": f"{part}_{stat}",
                    "before": before,
                    "after": after,
                    "change": change,
                    "change_pct": 100.0 * change / before if before else math.nan,
                    "ci_low": lo,
                    "ci_high": hi,
                    "n_items": n,
                    "n_withheld": len(withheld),
                    "note": note,
                    "pct_of_committed": 100.0 * change / (committed * scale)
                    if n and committed
                    else math.nan,
                }
            )
    return pd.DataFrame(out)
