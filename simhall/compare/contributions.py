"""What each of several combined reforms contributes to the headline figures.

Like asking, after a package of reforms, how much each one did: add them one at a time in
the stated order (``add_one``) or leave each out of the full package (``leave_one_out``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from simhall.compare.runs import hall_reps, item_reps
from simhall.experiment import RunResult
from simhall.scenario.schema import Scenario

__all__ = ["combine", "contributions", "extra_reforms", "headline"]


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
