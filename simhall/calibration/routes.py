"""Which steps a file goes through after acceptance, in which order, and how often.

Reading routes from a log is like reading a ward's patient charts: most files of an item pass
the same desks in the same order; some desks only see a share of them (an optional director's
meeting), and that share is the step's probability. Files accepted too close to the end of
the log have not finished yet and would make late steps look rare, so probabilities count
only cases accepted early enough that 95% of the item's cases would have finished
(censoring). Steps are ordered by their mean relative position in the cases; steps that run
side by side (parallel branches) come out in sequence.

Real approval logs have a long tail of rare activity codes (BPIC15: about 380 codes, half of
them in fewer than 2% of the cases; nearly every case follows its own variant, so "the most
frequent variants" cover almost nothing). A route that lists each rare code as an
independent optional step draws their presence independently, although they come together
(objections, extensions, re-submissions). With ``min_share > 0``, steps seen in fewer than
that share of the eligible cases are lumped into one step, :data:`LUMPED_STEP`, present in
the cases that have any of them, at their mean relative position; the calibration gives it
the per-case *sum* of those steps' durations, so the mean of the total is kept and the
co-occurrence of rare steps with each other is kept too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simhall.calibration.kinds import ActivityKinds
from simhall.calibration.period import PeriodLog

__all__ = [
    "LUMPED_STEP",
    "MANDATORY",
    "ROUTE_MIN_SHARE",
    "RouteStep",
    "Routes",
    "find_routes",
    "route_steps",
]

MANDATORY = 0.99
"""Steps present in at least this share of eligible cases get probability 1."""
LUMPED_STEP = "other_rare_steps"
"""Name of the step that stands for the rare steps (see the module text)."""
ROUTE_MIN_SHARE = 0.05
"""Default share of cases below which route steps are lumped into :data:`LUMPED_STEP`."""


@dataclass(frozen=True)
class RouteStep:
    """A step of an item's route as seen in the log.

    Parameters
    ----------
    activity : str
        Activity name.
    probability : float
        Share of eligible accepted cases with the step (1 when >= :data:`MANDATORY`).
    n_cases : int
        Eligible cases with the step.
    n_eligible : int
        Eligible accepted cases of the item.
    position : float
        Mean relative position (0 = first step, 1 = last).
    repeats : int
        Cases in which the step occurs more than once (counted once).
    lumped : tuple of str
        For :data:`LUMPED_STEP`: the rare activities it stands for (else empty).
    """

    activity: str
    probability: float
    n_cases: int
    n_eligible: int
    position: float
    repeats: int
    lumped: tuple[str, ...] = ()


def route_steps(
    case: np.ndarray,
    item: np.ndarray,
    activity: np.ndarray,
    order_time: np.ndarray,
    accept_end: np.ndarray,
    last_end: np.ndarray,
    case_item: np.ndarray,
    activities: Sequence[str],
    n_items: int,
    *,
    min_share: float = 0.0,
) -> tuple[dict[int, list[RouteStep]], dict[int, int]]:
    """Route steps per item with probabilities.

    Parameters
    ----------
    case, item, activity : numpy.ndarray
        Codes of the route events (work, session and delay kinds only).
    order_time : numpy.ndarray
        Time that orders a case's steps (ready, else start, else end).
    accept_end : numpy.ndarray
        Per case: acceptance time (NaN if never accepted).
    last_end : numpy.ndarray
        Per case: end of its last event.
    case_item : numpy.ndarray
        Per case: item code.
    activities : list of str
        Activity names by code.
    n_items : int
        Number of items.
    min_share : float, default 0
        Steps in fewer than this share of the eligible cases are lumped into one
        :data:`LUMPED_STEP` (when there are at least two of them).

    Returns
    -------
    steps : dict
        Item code -> ordered list of :class:`RouteStep`.
    eligible : dict
        Item code -> number of eligible accepted cases.
    """
    accepted = np.isfinite(accept_end)
    log_end = float(np.nanmax(last_end)) if np.isfinite(last_end).any() else 0.0
    span = last_end - accept_end
    eligible_case = np.zeros(len(accept_end), dtype=bool)
    n_eligible: dict[int, int] = {}
    for i in range(n_items):
        mine = accepted & (case_item == i)
        if not mine.any():
            n_eligible[i] = 0
            continue
        horizon = float(np.nanquantile(span[mine], 0.95))
        ok = mine & (accept_end <= log_end - horizon)
        if ok.sum() < 10:
            ok = mine
        eligible_case |= ok
        n_eligible[i] = int(ok.sum())
    frame = pd.DataFrame({"case": case, "item": item, "act": activity, "t": order_time})
    frame = frame[eligible_case[case]]
    frame = frame.sort_values(["case", "t"], kind="stable")
    g = frame.groupby("case", sort=False)
    rank = g.cumcount().to_numpy()
    size = g["t"].transform("size").to_numpy()
    frame["pos"] = np.where(size > 1, rank / np.maximum(size - 1, 1), 0.5)
    per = frame.groupby(["item", "act", "case"], sort=False).size().rename("k").reset_index()
    agg = per.groupby(["item", "act"]).agg(
        n_cases=("case", "size"), repeats=("k", lambda k: int((k > 1).sum()))
    )
    pos = frame.groupby(["item", "act"])["pos"].mean()
    agg = agg.join(pos).reset_index()
    out: dict[int, list[RouteStep]] = {}
    rare: dict[int, list[int]] = {}
    for row in agg.itertuples(index=False):
        i = int(row.item)
        n_el = n_eligible.get(i, 0)
        p = float(row.n_cases) / n_el if n_el else 0.0
        if p < min_share:
            rare.setdefault(i, []).append(int(row.act))
            continue
        p = 1.0 if p >= MANDATORY else round(min(p, 1.0), 3)
        out.setdefault(i, []).append(
            RouteStep(
                activity=activities[int(row.act)],
                probability=p,
                n_cases=int(row.n_cases),
                n_eligible=n_el,
                position=float(row.pos),
                repeats=int(row.repeats),
            )
        )
    for i, acts in rare.items():
        if len(acts) == 1:  # nothing to lump: keep the step as it is
            row = agg[(agg["item"] == i) & (agg["act"] == acts[0])].iloc[0]
            n_el = n_eligible[i]
            out.setdefault(i, []).append(
                RouteStep(
                    activity=activities[acts[0]],
                    probability=round(float(row["n_cases"]) / n_el, 3),
                    n_cases=int(row["n_cases"]),
                    n_eligible=n_el,
                    position=float(row["pos"]),
                    repeats=int(row["repeats"]),
                )
            )
            continue
        sel = (frame["item"] == i) & frame["act"].isin(acts)
        n_with = int(frame.loc[sel, "case"].nunique())
        names = tuple(sorted(activities[a] for a in acts))
        name = LUMPED_STEP
        while name in activities:
            name += "_"
        out.setdefault(i, []).append(
            RouteStep(
                activity=name,
                probability=1.0
                if n_with / n_eligible[i] >= MANDATORY
                else round(min(n_with / n_eligible[i], 1.0), 3),
                n_cases=n_with,
                n_eligible=n_eligible[i],
                position=float(frame.loc[sel, "pos"].mean()),
                repeats=0,
                lumped=names,
            )
        )
    for steps in out.values():
        steps.sort(key=lambda s: (s.position, s.activity))
    return out, n_eligible


@dataclass(frozen=True)
class Routes:
    """The steps of every item's route, as seen in the period's log.

    Attributes
    ----------
    steps : dict
        Item code -> ordered list of :class:`RouteStep` (items without steps absent).
    case_last_end : numpy.ndarray
        Per case: end of its last event (wall minutes).
    """

    steps: dict[int, list[RouteStep]]
    case_last_end: np.ndarray


def find_routes(
    period: PeriodLog, kinds: ActivityKinds, n_items: int, *, min_share: float
) -> Routes:
    """Route steps of every item from the period's route events.

    Parameters
    ----------
    period : PeriodLog
        The period's events.
    kinds : ActivityKinds
        Which events are route steps (work, sessions, delays).
    n_items : int
        Items of the catalogue.
    min_share : float
        See :func:`route_steps`.

    Returns
    -------
    Routes
    """
    last_end = np.full(period.n_cases, -np.inf)
    np.maximum.at(last_end, period.case, period.end)
    ready, start, end = period.ready, period.start, period.end
    order_t = np.where(np.isfinite(ready), ready, np.where(np.isfinite(start), start, end))
    is_route = kinds.route_events
    steps, _ = route_steps(
        period.case[is_route],
        period.item[is_route],
        period.activity[is_route],
        order_t[is_route],
        period.case_accept,
        last_end,
        period.case_item,
        period.activities,
        n_items,
        min_share=min_share,
    )
    return Routes(steps, last_end)
