"""Everything calibrated for each item of the catalogue.

An item's page in the calibrated hall: its demand (from
:mod:`~simhall.calibration.demand`), its window service (wall minutes from service start to
end of its window visits, or its department's pooled visits when it has fewer than
``min_cases``), how often applicants are sent back and for how long (from
:mod:`~simhall.calibration.corrections`), and, for commitment items, its route with every
step's duration (:mod:`~simhall.calibration.stepfits`). On-site items keep no route: what
their files do after the window is not the applicant's wait.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simhall.calibration.catalogue import Catalogue
from simhall.calibration.corrections import Corrections
from simhall.calibration.demand import DemandEstimate
from simhall.calibration.evidence import Evidence, FitRow, fit_row
from simhall.calibration.fit import FitResult, fit_whole_days
from simhall.calibration.fitter import Fitter
from simhall.calibration.kinds import ActivityKinds
from simhall.calibration.period import PeriodLog
from simhall.calibration.resources import ResourceMap
from simhall.calibration.result import ItemEstimate, StepEstimate
from simhall.calibration.routes import Routes
from simhall.calibration.schedules import Schedules
from simhall.calibration.stepfits import StepSamples, fit_route

__all__ = ["ItemFits", "estimate_items"]


@dataclass(frozen=True)
class ItemFits:
    """The calibrated items, in catalogue order, and the evidence for them."""

    items: tuple[ItemEstimate, ...]
    evidence: Evidence


def _window_service(
    i: int,
    item_id: str,
    dept: int,
    dept_id: str,
    service: np.ndarray,
    is_win: np.ndarray,
    period: PeriodLog,
    resources: ResourceMap,
    fitter: Fitter,
    min_cases: int,
) -> tuple[FitResult | None, str, tuple[FitRow, ...]]:
    """Window service of item ``i``: its own visits, else its department's (pooled)."""
    sel = is_win & (period.item == i) & np.isfinite(service)
    n = int(sel.sum())
    if n >= min_cases:
        fr = fitter.duration(service[sel])
        return fr, "", (fit_row("item", item_id, "window_service", "min", fr, ""),)
    key = ("window", dept)
    values = np.empty(0)
    if key not in fitter:
        values = service[is_win & (resources.item_dept == dept) & np.isfinite(service)]
    fr_pooled, rows = fitter.pooled(key, values, f"{dept_id} window_service")
    return fr_pooled, f"pooled: department {dept_id} (item has {n} < {min_cases})", rows


def _text(row: pd.Series, column: str) -> str | None:
    """A catalogue text cell (``None`` when the column is absent, empty or NaN)."""
    value = row.get(column) if column in row.index else None
    return value if isinstance(value, str) and value and value != "nan" else None


def _days(row: pd.Series, column: str) -> int | None:
    """A catalogue whole-days cell (``None`` when the column is absent or empty)."""
    value = row.get(column) if column in row.index else None
    return None if value is None or pd.isna(value) else int(value)


def estimate_items(
    catalogue: Catalogue,
    period: PeriodLog,
    kinds: ActivityKinds,
    resources: ResourceMap,
    samples: StepSamples,
    schedules: Schedules,
    demand: DemandEstimate,
    corrections: Corrections,
    routes: Routes,
    *,
    min_cases: int,
    min_share: float,
    rng: np.random.Generator,
) -> ItemFits:
    """Calibrate every item of the catalogue.

    Parameters
    ----------
    catalogue : Catalogue
        Items and departments.
    period : PeriodLog
        The period's events.
    kinds : ActivityKinds
        Which events are window visits.
    resources : ResourceMap
        Departments of the events' items.
    samples : StepSamples
        Per-event data of route steps.
    schedules : Schedules
        Sessions of the departments.
    demand : DemandEstimate
        Daily volumes and weekday factors.
    corrections : Corrections
        Returns for correction.
    routes : Routes
        Route steps per item.
    min_cases : int
        Observations below which department data are pooled.
    min_share : float
        Share below which route steps were lumped.
    rng : numpy.random.Generator
        For subsampling in fits (drawn in catalogue order).

    Returns
    -------
    ItemFits
    """
    fitter = Fitter(rng)
    is_win = kinds.events_of("window")
    service = period.end - np.where(np.isfinite(period.start), period.start, np.nan)
    item_cases = np.bincount(period.case_item, minlength=catalogue.n_items)
    dept_code = catalogue.dept_code
    out: list[ItemEstimate] = []
    pages: list[Evidence] = []
    for i, iid in enumerate(catalogue.item_ids):
        row = catalogue.table.iloc[i]
        dept_id = catalogue.item_dept[i]
        dk = dept_code[dept_id]
        ws_fit, ws_pooled, rows = _window_service(
            i, iid, dk, dept_id, service, is_win, period, resources, fitter, min_cases
        )
        pages.append(Evidence(fits=rows))
        rd_fit = None
        delays = corrections.delays.get(i)
        if delays is not None and len(delays):
            rd_fit = fit_whole_days(np.maximum(delays, 1))
            pages.append(Evidence(fits=(fit_row("item", iid, "return_delay", "days", rd_fit, ""),)))
        kind = str(row["kind"])
        steps = routes.steps.get(i, [])
        route: tuple[StepEstimate, ...] = ()
        if kind == "commitment":
            fitted = fit_route(
                i,
                iid,
                dk,
                steps,
                samples,
                schedules,
                fitter,
                min_cases=min_cases,
                min_share=min_share,
            )
            route, page = fitted.steps, fitted.evidence
            pages.append(page)
        elif steps:
            pages.append(
                Evidence(
                    notes=(
                        f"item {iid} is on-site in the catalogue; its {len(steps)} post-window "
                        "activities are ignored",
                    )
                )
            )
        out.append(
            ItemEstimate(
                id=iid,
                name=_text(row, "name") or iid,
                department=dept_id,
                kind=kind,
                committed_days=_days(row, "committed_days"),
                statutory_days=_days(row, "statutory_days"),
                daily_demand=float(demand.items["daily_volume"].iloc[i]),
                cases=int(item_cases[i]),
                window_service=ws_fit,
                window_pooled=ws_pooled,
                incomplete_prob=round(float(corrections.table["incomplete_prob"].iloc[i]), 4),
                visits=int(corrections.table["visits"].iloc[i]),
                return_delay=rd_fit,
                weekday_factors=demand.item_factors.get(iid),
                route=route,
            )
        )
    return ItemFits(tuple(out), Evidence.merge(pages))
