"""Durations of the route steps: what each step of an item's route takes.

A route step is fitted on the events of that item and activity: staff work in working
minutes on its pool, a delay in working days, a sign-off or meeting not at all (its
schedule is the department's). An item with fewer than ``min_cases`` observations of a work
step borrows its department's (and, if that is thin too, its pool's) pooled data, fitted
once per department and step (:class:`~simhall.calibration.fitter.Fitter`). The rare steps
lumped into one (:data:`~simhall.calibration.routes.LUMPED_STEP`) become a delay whose
duration is the per-case sum of theirs. A work step of a pool whose waits are a tray
(:mod:`~simhall.calibration.trays`) gets the observed waits as a delay before it; a visit
after the decision (the applicant collects the licence) is the applicant's working days
since the file's last step, then the window service."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simhall.calibration.catalogue import Catalogue
from simhall.calibration.departments import PoolStaff
from simhall.calibration.durations import Durations
from simhall.calibration.evidence import Evidence, FitRow, fit_row
from simhall.calibration.fit import FitResult
from simhall.calibration.fitter import Fitter
from simhall.calibration.kinds import ActivityKinds
from simhall.calibration.period import PeriodLog
from simhall.calibration.resources import ResourceMap
from simhall.calibration.result import StepEstimate
from simhall.calibration.routes import RouteStep
from simhall.calibration.schedules import Schedules
from simhall.calibration.trays import Trays

__all__ = ["FittedRoute", "StepSamples", "fit_route"]


@dataclass(frozen=True)
class StepSamples:
    """The per-event data step fits draw on.

    Attributes
    ----------
    item, activity, case, dept, pool : numpy.ndarray
        Per event: item, activity, case, department and pool codes.
    is_route, is_work : numpy.ndarray
        Per event: a route step; staff work.
    work_min, delay_days : numpy.ndarray
        Per event: working minutes and working days.
    kind : numpy.ndarray
        Kind per activity code.
    activities, dept_ids : tuple of str
        Names by code.
    pools : PoolStaff
        Pool codes and names.
    service_min : numpy.ndarray
        Per event: wall minutes from start to end (visits).
    since_prev_days : numpy.ndarray
        Per event: working days since the case's previous completion (visits).
    trays : Trays, optional
        Tray waits per event and which pools have a tray.
    """

    item: np.ndarray
    activity: np.ndarray
    case: np.ndarray
    dept: np.ndarray
    pool: np.ndarray
    is_route: np.ndarray
    is_work: np.ndarray
    work_min: np.ndarray
    delay_days: np.ndarray
    kind: np.ndarray
    activities: tuple[str, ...]
    dept_ids: tuple[str, ...]
    pools: PoolStaff
    service_min: np.ndarray
    since_prev_days: np.ndarray
    trays: Trays | None = None

    @staticmethod
    def of(
        period: PeriodLog,
        kinds: ActivityKinds,
        resources: ResourceMap,
        durations: Durations,
        pools: PoolStaff,
        catalogue: Catalogue,
        trays: Trays | None = None,
    ) -> StepSamples:
        """The samples of a calibration's stages."""
        return StepSamples(
            item=period.item,
            activity=period.activity,
            case=period.case,
            dept=resources.dept,
            pool=pools.code,
            is_route=kinds.route_events,
            is_work=kinds.events_of("work"),
            work_min=durations.work_min,
            delay_days=durations.delay_days,
            kind=kinds.by_activity,
            activities=period.activities,
            dept_ids=catalogue.dept_ids,
            pools=pools,
            service_min=period.end - period.start,
            since_prev_days=durations.since_prev_days,
            trays=trays,
        )


@dataclass(frozen=True)
class FittedRoute:
    """The calibrated steps of one item's route and the evidence for them."""

    steps: tuple[StepEstimate, ...]
    evidence: Evidence


def _finite(x: np.ndarray) -> np.ndarray:
    return x[np.isfinite(x)]


def _lumped(
    item_id: str,
    dept: str,
    st: RouteStep,
    s: StepSamples,
    sel: np.ndarray,
    min_share: float,
    fitter: Fitter,
) -> tuple[StepEstimate | None, Evidence]:
    """The lumped rare steps: a delay, the per-case sum of their working days."""
    dv = np.maximum(s.delay_days[sel], 0.0)
    ok = np.isfinite(dv)
    if not ok.any():
        return None, Evidence()
    cases = s.case[sel][ok]
    sums = np.bincount(cases, weights=dv[ok])[np.unique(cases)]
    fr = fitter.days(sums)
    se = StepEstimate(
        name=st.activity,
        kind="delay",
        department=dept,
        probability=st.probability,
        n_cases=st.n_cases,
        n_eligible=st.n_eligible,
        fit=fr,
        pooled=(
            f"lumps {len(st.lumped)} steps each in < {100 * min_share:g}% of the cases: "
            "per-case sum of their durations"
        ),
    )
    assumption = (
        f"item {item_id}: {len(st.lumped)} route steps seen in fewer than "
        f"{100 * min_share:g}% of the finished cases are lumped into one "
        f"delay {st.activity!r} (in {100 * st.probability:.1f}% of the cases; "
        "duration = per-case sum of their durations, in working days): "
        + ", ".join(st.lumped[:8])
        + (", ..." if len(st.lumped) > 8 else "")
    )
    row = fit_row("item", item_id, st.activity, "days", fr, se.pooled)
    return se, Evidence(assumptions=(assumption,), fits=(row,))


def _work(
    item_id: str,
    st: RouteStep,
    a: int,
    s: StepSamples,
    sel: np.ndarray,
    fitter: Fitter,
    min_cases: int,
) -> tuple[StepEstimate | None, tuple[FitRow, ...]]:
    """A work step: the pool most of its events were at, and its working minutes."""
    codes = s.pool[sel]
    pc = int(np.bincount(codes[codes >= 0]).argmax()) if (codes >= 0).any() else -1
    key = s.pools.key_of(pc)
    if key is None:
        return None, ()
    pdk, pool = key
    vals = _finite(s.work_min[sel])
    fr: FitResult | None
    rows: tuple[FitRow, ...]
    if len(vals) >= min_cases:
        fr = fitter.duration(vals)
        rows, how = (fit_row("item", item_id, st.activity, "min", fr, ""),), ""
    else:
        pkey = ("step", pdk, a)
        dv = np.empty(0)
        if pkey not in fitter:
            dv = _finite(s.work_min[s.is_work & (s.dept == pdk) & (s.activity == a)])
            if len(dv) < min_cases:
                dv = _finite(s.work_min[s.is_work & (s.pool == pc)])
        fr, rows = fitter.pooled(pkey, dv, f"{s.dept_ids[pdk]} {st.activity}")
        how = f"pooled: department {s.dept_ids[pdk]} ({len(vals)} < {min_cases})"
    if fr is None:
        return None, rows
    wait, wait_reason = None, ""
    if s.trays is not None and s.trays.has_tray(key):
        waits = _finite(s.trays.wait_days[sel])
        if len(waits) < min_cases:
            waits = _finite(s.trays.wait_days[s.is_work & (s.pool == pc)])
        if len(waits):
            wait = fitter.days(waits)
            wait_reason = s.trays.pools[key].reason
            rows = (*rows, fit_row("item", item_id, f"{st.activity}_tray", "days", wait, ""))
    se = StepEstimate(
        name=st.activity,
        kind="work",
        department=s.dept_ids[pdk],
        probability=st.probability,
        n_cases=st.n_cases,
        n_eligible=st.n_eligible,
        pool=pool,
        fit=fr,
        pooled=how,
        wait=wait,
        wait_name=f"{st.activity}_tray" if wait is not None else "",
        wait_reason=wait_reason,
    )
    return se, rows


def _visit(
    item_id: str, st: RouteStep, sdept: int, s: StepSamples, sel: np.ndarray, fitter: Fitter
) -> tuple[StepEstimate | None, tuple[FitRow, ...]]:
    """A visit after the decision: the applicant's working days since the file's last step
    (a delay before it), then the window service in minutes."""
    service = np.maximum(_finite(s.service_min[sel]), 0.0)
    waits = _finite(s.since_prev_days[sel])
    if len(service) == 0:
        return None, ()
    fr = fitter.duration(service)
    rows: tuple[FitRow, ...] = (fit_row("item", item_id, st.activity, "min", fr, ""),)
    wait = fitter.days(waits) if len(waits) else None
    if wait is not None:
        rows = (*rows, fit_row("item", item_id, f"{st.activity}_wait", "days", wait, ""))
    se = StepEstimate(
        name=st.activity,
        kind="visit",
        department=s.dept_ids[sdept],
        probability=st.probability,
        n_cases=st.n_cases,
        n_eligible=st.n_eligible,
        fit=fr,
        wait=wait,
        wait_name=f"{st.activity}_wait" if wait is not None else "",
        wait_reason=(
            "the applicant comes back to the window some working days after the file's last "
            "step (from the previous completion to the visit's ticket)"
        ),
    )
    return se, rows


def fit_route(
    item: int,
    item_id: str,
    dept: int,
    steps: list[RouteStep],
    samples: StepSamples,
    schedules: Schedules,
    fitter: Fitter,
    *,
    min_cases: int,
    min_share: float,
) -> FittedRoute:
    """The calibrated steps of one item's route.

    Parameters
    ----------
    item : int
        Item code.
    item_id : str
        Item id.
    dept : int
        The item's department code (for steps without events).
    steps : list of RouteStep
        The item's route as seen in the log.
    samples : StepSamples
        Per-event data.
    schedules : Schedules
        Which sessions the departments hold.
    fitter : Fitter
        Makes the fits (shared by all items: department-pooled fits are made once).
    min_cases : int
        Observations below which a work step uses pooled data.
    min_share : float
        Share below which steps were lumped (for the text).

    Returns
    -------
    FittedRoute
        Steps that cannot be simulated are left out: sessions of a department without that
        schedule, work without a pool, steps without any duration.
    """
    s = samples
    out: list[StepEstimate] = []
    pages: list[Evidence] = []
    for st in steps:
        if st.lumped:
            codes = [s.activities.index(x) for x in st.lumped]
            sel = s.is_route & (s.item == item) & np.isin(s.activity, codes)
            lumped, page = _lumped(item_id, s.dept_ids[dept], st, s, sel, min_share, fitter)
            pages.append(page)
            if lumped is not None:
                out.append(lumped)
            continue
        a = s.activities.index(st.activity)
        akind = str(s.kind[a])
        sel = s.is_route & (s.item == item) & (s.activity == a)
        sdept = int(np.bincount(s.dept[sel]).argmax()) if sel.any() else dept
        se: StepEstimate | None
        if akind == "session":
            kind = schedules.session_kind.get((sdept, a), "signoff")
            if not schedules.has(kind, s.dept_ids[sdept]):
                continue
            se = StepEstimate(
                st.activity, kind, s.dept_ids[sdept], st.probability, st.n_cases, st.n_eligible
            )
        elif akind == "work":
            se, rows = _work(item_id, st, a, s, sel, fitter, min_cases)
            pages.append(Evidence(fits=rows))
            if se is None:
                continue
        elif akind == "visit":
            se, rows = _visit(item_id, st, sdept, s, sel, fitter)
            pages.append(Evidence(fits=rows))
            if se is None:
                continue
        else:  # delay, in working days
            vals = np.maximum(_finite(s.delay_days[sel]), 0.0)
            if len(vals) == 0:
                continue
            fr = fitter.days(vals)
            se = StepEstimate(
                st.activity,
                akind,
                s.dept_ids[sdept],
                st.probability,
                st.n_cases,
                st.n_eligible,
                fit=fr,
            )
            pages.append(Evidence(fits=(fit_row("item", item_id, st.activity, "days", fr, ""),)))
        out.append(se)
        if st.repeats:
            pages.append(
                Evidence(
                    assumptions=(
                        f"item {item_id}: step {st.activity!r} occurs more than once in "
                        f"{st.repeats} case(s); the route has it once",
                    )
                )
            )
    return FittedRoute(tuple(out), Evidence.merge(pages))
