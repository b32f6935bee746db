"""Scoring a log as calibration tests do, and the perfect-model noise floor.

Like two thermometers in the same room: even a perfect model differs from the log by the
room's own fluctuation. :func:`noise_floor` measures that fluctuation by re-running the
generator with another seed and scoring it against the first run exactly as a calibrated
prediction would be scored.

Working days (as simhall's README defines them, implemented here independently): the number
of working days after the acceptance day up to and including the completion day (0 = same
day). Completion is the case's last event (``completion="last"``, as simhall's validation
reads a log), or its last event that is not a pickup visit (``completion="decision"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from tests.independent.config import HallConfig
from tests.independent.generator import generate
from tests.independent.workdays import WorkDays


def case_table(
    events: pd.DataFrame,
    workdays: WorkDays,
    *,
    accept: str = "accept",
    pickup: str = "pickup",
    completion: str = "last",
) -> pd.DataFrame:
    """One row per accepted case: ``case_id, item_id, accepted, completed, working_days``."""
    ev = events
    if completion == "decision":
        ev = ev[ev["activity"].astype(str) != pickup]
    elif completion != "last":
        raise ValueError(f"completion must be 'last' or 'decision', got {completion!r}")
    acc = events[events["activity"].astype(str) == accept].groupby("case_id")["end"].min()
    last = ev.groupby("case_id")["end"].max()
    item = events.groupby("case_id")["item_id"].first().astype(str)
    out = pd.DataFrame({"accepted": acc}).join(last.rename("completed")).join(item)
    origin = pd.Timestamp(workdays.start)
    da = ((out["accepted"].dt.normalize() - origin).dt.days).to_numpy()
    dc = ((out["completed"].dt.normalize() - origin).dt.days).to_numpy()
    out["working_days"] = workdays.ordinal[dc] - workdays.ordinal[da]
    return out.reset_index()[["case_id", "item_id", "accepted", "completed", "working_days"]]


@dataclass(frozen=True)
class ScoreCard:
    """What a period of a log says: per item mean and P90 working days, the mean window
    wait (minutes from ticket to call; NaN without ``ready``) and the on-site share (cases
    completed on their acceptance day)."""

    per_item: pd.DataFrame
    window_wait_min: float
    onsite_share: float


def score_log(
    events: pd.DataFrame,
    workdays: WorkDays,
    period: tuple[date, date],
    *,
    accept: str = "accept",
    correction: str = "return_for_correction",
    pickup: str = "pickup",
    completion: str = "last",
) -> ScoreCard:
    """Score the cases accepted in ``period`` (``[from, to)``)."""
    cases = case_table(events, workdays, accept=accept, pickup=pickup, completion=completion)
    lo, hi = pd.Timestamp(period[0]), pd.Timestamp(period[1])
    cases = cases[(cases["accepted"] >= lo) & (cases["accepted"] < hi)]
    per_item = cases.groupby("item_id")["working_days"].agg(
        cases="size", mean_wd="mean", p90_wd=lambda s: float(np.quantile(s, 0.9))
    )
    wait = np.nan
    if "ready" in events.columns:
        w = events[
            events["activity"].astype(str).isin((accept, correction, pickup))
            & (events["ready"] >= lo)
            & (events["ready"] < hi)
        ]
        wait = float(((w["start"] - w["ready"]).dt.total_seconds() / 60.0).mean())
    return ScoreCard(per_item, wait, float((cases["working_days"] == 0).mean()))


def compare_scores(predicted: ScoreCard, observed: ScoreCard) -> dict[str, float]:
    """Errors of ``predicted`` against ``observed``: per-item mean working days MAE, P90
    MAE, relative window-wait error, absolute on-site share difference."""
    both = predicted.per_item.add_suffix("_p").join(observed.per_item.add_suffix("_o"), how="inner")
    return {
        "mean_wd_mae": float((both["mean_wd_p"] - both["mean_wd_o"]).abs().mean()),
        "p90_wd_mae": float((both["p90_wd_p"] - both["p90_wd_o"]).abs().mean()),
        "window_wait_rel": abs(predicted.window_wait_min / observed.window_wait_min - 1.0),
        "onsite_share_diff": abs(predicted.onsite_share - observed.onsite_share),
    }


def noise_floor(
    hall: HallConfig,
    start: date,
    end: date,
    test: tuple[date, date],
    *,
    seed: int = 0,
    other_seeds: tuple[int, ...] = (1,),
    completion: str = "last",
) -> dict[str, float]:
    """The perfect-model noise floor: the generator re-run with other seeds, scored against
    the run with ``seed`` over ``test`` exactly as a prediction is; averaged over
    ``other_seeds``."""
    acts = hall.activities

    def card(s: int) -> ScoreCard:
        g = generate(hall, start, end, seed=s, ready=True)
        return score_log(
            g.events,
            g.workdays,
            test,
            accept=acts.accept,
            correction=acts.correction,
            pickup=acts.pickup,
            completion=completion,
        )

    observed = card(seed)
    errors = [compare_scores(card(s), observed) for s in other_seeds]
    return {k: float(np.mean([e[k] for e in errors])) for k in errors[0]}
