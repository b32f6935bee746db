"""A base scenario against reformed ones: :func:`compare` runs them all with common random
numbers and gathers the tidy frames in a :class:`Comparison`.

The comparison is the evaluation office's file on a reform package: per item, per
department and hall-wide paired effects, one-form bundles, contributions and a ranking.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from simhall.compare.contributions import contributions
from simhall.compare.items import aggregate, bundle_table, item_table, select_items
from simhall.compare.paired import paired
from simhall.compare.ranking import rank_chief_representatives
from simhall.compare.runs import (
    DEPT_PAIRED,
    HALL_PAIRED,
    department_reps,
    hall_reps,
    item_reps,
    station_reps,
)
from simhall.compare.scorecards import scorecard_change
from simhall.errors import UsageError
from simhall.executors import local_pool
from simhall.experiment import RunResult, run
from simhall.reforms import apply_reforms, reform_log
from simhall.scenario.schema import Scenario
from simhall.scorecard.weights import Weights, read_weights

__all__ = ["Comparison", "check_overlays", "compare"]


@dataclass
class Comparison:
    """Everything :func:`compare` computed (all frames tidy).

    ``stations`` holds every run's stations (``scenario, station``, utilization, offered
    load, queue; ``unstable`` and ``reason``): a reform's effect on items that pass an
    unstable station is not read from their recommendations (withheld in ``items`` and
    left out of ``aggregates``). ``aggregates`` split each headline into the slack in
    today's limits and the reform's effect (:mod:`simhall.compare.headlines`);
    ``scorecard`` is the window scorecard of every department before and after
    (``scenario, department, name, metric, label, before, after, diff, ci_low, ci_high,
    reps``: :func:`simhall.compare.scorecards.scorecard_change`).
    """

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
    stations: pd.DataFrame = field(default_factory=pd.DataFrame)
    scorecard: pd.DataFrame = field(default_factory=pd.DataFrame)


def check_overlays(base: Scenario, overlays: Mapping[str, Scenario]) -> None:
    """Every overlay must extend the base: hold all of its departments and items.

    An overlay that is another hall (no ``extends`` of the base) would give paired tables
    of nothing but NaN; it is refused before anything runs.

    Raises
    ------
    UsageError
        Naming the overlay's file, what it lacks and how an overlay starts.
    """
    base_file = base.source or base.name
    for label, overlay in overlays.items():
        lacking = []
        for what, ids, have in (
            ("departments", [d.id for d in base.departments], {d.id for d in overlay.departments}),
            ("items", [i.id for i in base.items], {i.id for i in overlay.items}),
        ):
            missing = [i for i in ids if i not in have]
            if missing:
                shown = ", ".join(missing[:5]) + (
                    f" and {len(missing) - 5} more" if len(missing) > 5 else ""
                )
                lacking.append(f"{len(missing)} of its {len(ids)} {what} ({shown})")
        if lacking:
            extends = base_file
            if base.source and overlay.source:
                rel = os.path.relpath(base.source, Path(overlay.source).parent)
                extends = Path(rel).as_posix()
            raise UsageError(
                f"overlay {overlay.source or label}: does not extend the base {base_file}; it "
                f"lacks {' and '.join(lacking)}; expected an overlay that starts with "
                f'extends = "{extends}" and lists only the reforms'
            )


def compare(
    base: Scenario,
    overlays: Mapping[str, Scenario],
    *,
    tags: Sequence[str] = (),
    base_label: str = "base",
    with_contributions: bool = True,
    rank_budget: int | None = None,
    rank_template: Mapping[str, Any] | None = None,
    scorecard_weights: Weights | None = None,
    with_scorecard: bool = True,
    **options: Any,
) -> Comparison:
    """Run ``base`` and every overlay with common random numbers and compare them.

    Parameters
    ----------
    base : Scenario
        The base scenario (raw; its reforms, if any, are applied).
    overlays : mapping of str to Scenario
        Labelled reform overlays extending ``base`` (:func:`check_overlays`).
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
    scorecard_weights : Weights, optional
        Scheme of the window scorecard before and after (default: the bundled one,
        :func:`simhall.scorecard.read_weights`); its inputs must name departments of
        ``base``.
    with_scorecard : bool
        Also score every department's windows before and after.
    **options
        Passed to :func:`simhall.experiment.run` (``reps``, ``seed``, ``workers``, ...).
    """

    check_overlays(base, overlays)
    workers = int(options.get("workers", 1))
    reps = options.get("reps") or base.run.replications
    if options.get("executor") is None and min(workers, reps) > 1:
        # one set of worker processes for all the runs of the comparison, not one per run;
        # the runs come one after the other, so one replication each runs in this process
        with local_pool(min(workers, reps)) as pool:
            return compare(
                base,
                overlays,
                tags=tags,
                base_label=base_label,
                with_contributions=with_contributions,
                rank_budget=rank_budget,
                rank_template=rank_template,
                scorecard_weights=scorecard_weights,
                with_scorecard=with_scorecard,
                **{**options, "executor": pool},
            )
    weights = None
    if with_scorecard:
        weights = scorecard_weights if scorecard_weights is not None else read_weights()
        weights.check_departments([d.id for d in base.departments])

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
    item_frames, agg_frames, dept_frames, hall_frames, card_frames = [], [], [], [], []
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
        if weights is not None:
            card = scorecard_change(b, r, weights)
            card_frames.append(card.assign(scenario=label)[["scenario", *card.columns]])
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
        stations=station_reps(results),
        scorecard=pd.concat(card_frames, ignore_index=True) if card_frames else pd.DataFrame(),
    )
