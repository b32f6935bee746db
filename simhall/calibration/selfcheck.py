"""Calibration checks its own work: the calibrated scenario re-runs the period it came from.

A surveyor who has drawn a floor plan walks the building once more with the plan in hand
before signing it. :func:`check_calibration` does that for a calibration: it simulates the
calibration period with the scenario it wrote (a few replications, one common seed) and lays
the result beside the log (:func:`simhall.validation.validate`, with tighter tolerances,
:data:`SELF_CHECK_TOLERANCES`), per item and per step:

* per item and for the hall: mean and P90 working days, the on-site share, cases per week;
* per department: the mean window wait (ticket to call), where the log has both times;
* per item and route step: the mean working days from the previous step's completion to
  the step's own (its wait and its work together; a simulated tray or pickup wait counts
  with the step it precedes): ``step_days``, on the cases whose completions all carry a
  time of day;
* for the hall: the day-to-day dispersion of accepted cases (coefficient of variation of
  the daily counts): ``daily_cv``.

Cases are scored when their first visit falls in the period up to
:data:`~simhall.calibration.checkperiod.SCORE_MARGIN_DAYS` before its end; the simulation
runs on to the log's end. A large log is checked on a sample of whole weeks, compared with
the same weeks of the log (:mod:`~simhall.calibration.checkperiod`: the rule, the warm-up
before the sample and the arrivals after it); the fit table states the period it scored.
The observed side (the log's sampled cases and their step days) is prepared once, not per
round; replications run on ``workers`` processes.

What its mechanisms can correct it corrects, in at most ``max_rounds`` rounds: a step
whose ``step_days`` fails and whose days are a delay (a delay step, a tray before work, the
applicant's days before a pickup) has that delay scaled by the missing days (bounded by
:data:`MAX_FACTOR`), then the check runs again. What it cannot correct (queues, sessions,
demand) it reports. The result is a fit table, PASS/FAIL per row (:class:`FitCheck`), kept
on the calibration (its report and the terminal show it); failures are never silent.
"""

from __future__ import annotations

import dataclasses
import math
from concurrent.futures import Executor
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from simhall.calendar import WorkCalendar
from simhall.calibration.checkperiod import SAMPLE_CASES, CheckPeriod, check_period, first_visits
from simhall.calibration.result import Calibration, ItemEstimate, StepEstimate
from simhall.calibration.scaling import scale_distribution
from simhall.executors import local_pool
from simhall.reporting.markdown import markdown_table
from simhall.validation.result import ValidationResult, format_numbers
from simhall.validation.scoring import scored_row
from simhall.validation.tolerances import Tolerance

__all__ = [
    "CV_TOLERANCE",
    "FIT_METRICS",
    "MAX_FACTOR",
    "SELF_CHECK_TOLERANCES",
    "STEP_TOLERANCE",
    "FitCheck",
    "check_calibration",
    "fit_rows",
]

SELF_CHECK_TOLERANCES: dict[str, dict[str, float]] = {
    "mean_days": {"abs": 0.3, "rel": 0.10, "z": 3.0},
    "p90_days": {"abs": 1.0, "rel": 0.15, "z": 3.0},
    "onsite_rate": {"abs": 0.03, "z": 3.0},
    "mean_wait_min": {"abs": 2.0, "rel": 0.15, "z": 3.0},
}
"""Tolerances of the self-check (tighter than ``simhall validate``'s defaults: the scenario
was fitted to this very log): ``|simulated - observed| <= max(abs, rel * |observed|, z *
se)``."""
STEP_TOLERANCE = Tolerance(0.25, 0.15, 3.0)
"""Tolerance of ``step_days`` (working days)."""
CV_TOLERANCE = Tolerance(0.05, 0.20, 3.0)
"""Tolerance of ``daily_cv``."""
FIT_METRICS = ("cases_per_week", "mean_days", "p90_days", "onsite_rate", "mean_wait_min")
"""The rows of the validation kept in the fit table (besides ``step_days`` and ``daily_cv``)."""
MAX_FACTOR = 4.0
"""A correction scales a delay by at most this factor (or its inverse)."""
MIN_STEP_CASES = 30
"""Steps observed in fewer cases are shown but not scored."""


@dataclass(frozen=True)
class FitCheck:
    """The fit table of a calibration's self-check.

    Attributes
    ----------
    table : pandas.DataFrame
        ``scope`` (hall, item, department, step), ``id``, ``metric``, ``observed``,
        ``simulated``, ``error``, ``limit``, ``n_observed``, ``n_simulated``, ``status``
        (PASS, FAIL, n/a) of the last check.
    rounds : int
        Simulations run (the first check plus one per correction round).
    corrections : tuple of str
        What was corrected, in words, in order.
    reps, seed : int
        Replications and master seed of every check.
    period : CheckPeriod, optional
        What was simulated and scored: the whole period or a sample of it.
    """

    table: pd.DataFrame
    rounds: int
    corrections: tuple[str, ...]
    reps: int
    seed: int
    period: CheckPeriod | None = None

    @property
    def failures(self) -> pd.DataFrame:
        """The FAIL rows."""
        return self.table[self.table["status"] == "FAIL"]

    @property
    def passed(self) -> bool:
        """Whether no scored row failed."""
        return self.failures.empty

    @property
    def verdict(self) -> str:
        """``PASS`` or ``FAIL`` with the counts."""
        scored = int(self.table["status"].isin(("PASS", "FAIL")).sum())
        n_fail = len(self.failures)
        head = "PASS" if self.passed else "FAIL"
        return f"{head}: {scored - n_fail} of {scored} scored rows within tolerance"

    def render(self, max_rows: int = 40) -> str:
        """Terminal text: the verdict, the corrections, the hall rows and every failure."""
        shown = self.table[(self.table["scope"] == "hall") | (self.table["status"] == "FAIL")]
        cols = ["scope", "id", "metric", "observed", "simulated", "limit", "status"]
        lines = [f"self-check ({self.reps} replications, seed {self.seed}): {self.verdict}"]
        if self.period is not None:
            lines.append(f"  scored: {self.period.describe()}")
        lines += [f"  corrected: {c}" for c in self.corrections]
        lines.append(format_numbers(shown[cols].head(max_rows)).to_string(index=False))
        if len(shown) > max_rows:
            lines.append(f"  ... {len(shown) - max_rows} more rows in the report")
        return "\n".join(lines)

    def markdown(self) -> str:
        """The report section: protocol, corrections and the whole fit table."""
        lines = [
            "## Fit check (the calibrated scenario on its own period)",
            "",
            f"The scenario was simulated over the calibration period ({self.reps} "
            f"replications, seed {self.seed}, {self.rounds} simulation(s)) and compared with "
            "the log: per item mean and P90 working days and on-site share, window waits per "
            "department, working days per route step (`step_days`: from the previous step's "
            "completion to the step's), the day-to-day dispersion of accepted cases "
            "(`daily_cv`). **" + self.verdict + "**.",
            "",
        ]
        if self.period is not None:
            lines += [f"Scored: {self.period.describe()}.", ""]
        if self.corrections:
            lines += ["Corrections made:", ""] + [f"- {c}" for c in self.corrections] + [""]
        else:
            lines += ["No correction was needed or possible.", ""]
        cols = ["scope", "id", "metric", "observed", "simulated", "error", "limit", "status"]
        lines.append(markdown_table(format_numbers(self.table[cols])))
        return "\n".join(lines) + "\n"


def check_calibration(
    cal: Calibration,
    events: pd.DataFrame,
    *,
    reps: int = 2,
    seed: int = 0,
    max_rounds: int = 2,
    accept_activity: str = "accept",
    workers: int = 1,
    sample_cases: int = SAMPLE_CASES,
) -> Calibration:
    """Simulate the calibration period with the calibrated scenario, compare, correct.

    Parameters
    ----------
    cal : Calibration
        A calibration of ``events``.
    events : pandas.DataFrame
        The event log it was calibrated on (case-log schema, the log's own activity names).
    reps : int, default 2
        Replications of each check.
    seed : int, default 0
        Master seed of every check (common random numbers across rounds).
    max_rounds : int, default 2
        Correction rounds at most (0: check only).
    accept_activity : str, default "accept"
        The log's acceptance activity.
    workers : int, default 1
        Worker processes for the replications (the result does not depend on it).
    sample_cases : int, default :data:`~simhall.calibration.checkperiod.SAMPLE_CASES`
        Scored cases above which a sample of whole weeks is checked instead of the whole
        period (:func:`~simhall.calibration.checkperiod.check_period`).

    Returns
    -------
    Calibration
        ``cal`` with the corrected delays and its :class:`FitCheck` (``fit_check``).
    """
    first = first_visits(events)
    period = check_period(cal.since, cal.until, first, sample_cases)
    # the observed side once: the events of the cases the period scores
    scored_ids = first.index[
        (first >= pd.Timestamp(period.start)) & (first <= pd.Timestamp(period.end))
    ]
    sample = events[events["case_id"].astype("str").isin(scored_ids)] if period.sampled else events
    observed_until = max(pd.Timestamp(events["end"].max()), pd.Timestamp(cal.until))
    with ExitStack() as stack:
        # the worker processes start once for all the rounds
        pool = stack.enter_context(local_pool(min(workers, reps))) if workers > 1 else None
        return _rounds(
            cal,
            sample,
            period,
            observed_until,
            (reps, seed, workers, pool),
            accept_activity,
            max_rounds,
        )


def _rounds(
    cal: Calibration,
    sample: pd.DataFrame,
    period: CheckPeriod,
    observed_until: pd.Timestamp,
    runs: tuple[int, int, int, Executor | None],
    accept_activity: str,
    max_rounds: int,
) -> Calibration:
    """Check, correct and check again until nothing is left to correct or ``max_rounds``."""
    reps, seed = runs[0], runs[1]
    corrections: list[str] = []
    rounds = 0
    observed: pd.DataFrame | None = None
    while True:
        result = _simulate(cal, sample, period, observed_until, runs, accept_activity)
        rounds += 1
        if observed is None:
            observed = observed_steps(cal, sample, result)
        table = fit_rows(cal, sample, result, accept_activity, observed=observed)
        if rounds > max_rounds:
            break
        cal, done = _correct(cal, table)
        if not done:
            break
        corrections += [f"round {rounds}: {c}" for c in done]
    check = FitCheck(table, rounds, tuple(corrections), reps, seed, period)
    return dataclasses.replace(cal, fit_check=check)


# --------------------------------------------------------------------------- simulate
def _simulate(
    cal: Calibration,
    events: pd.DataFrame,
    period: CheckPeriod,
    observed_until: pd.Timestamp,
    runs: tuple[int, int, int, Executor | None],
    accept_activity: str,
) -> ValidationResult:
    """The validation of the scenario on ``period`` (``runs``: reps, seed, workers, pool)."""
    from simhall.validation.validate import validate

    reps, seed, workers, pool = runs
    windows = _activities_of(cal, "window") or (accept_activity,)
    catalogue = pd.DataFrame(
        {"item_id": [i.id for i in cal.items], "department": [i.department for i in cal.items]}
    )
    return validate(
        events,
        cal.scenario(),
        items=catalogue,
        reps=reps,
        seed=seed,
        tolerances=SELF_CHECK_TOLERANCES,
        accept_activity=accept_activity,
        window_activities=windows,
        closed=set(events["case_id"].astype(str)),
        start=period.start,
        end=period.end,
        # the export's moment: its last event, or the period's last day if that is later
        observed_until=observed_until,
        warmup_days=period.warmup_days,
        tail_days=period.tail_days,
        workers=workers,
        log_label=cal.source,
        executor=pool,
    )


def _activities_of(cal: Calibration, kind: str) -> tuple[str, ...]:
    table = cal.classification
    if table is None or "kind" not in table:
        return ()
    return tuple(table.loc[table["kind"] == kind, "activity"].astype(str))


# --------------------------------------------------------------------------- compare
def fit_rows(
    cal: Calibration,
    events: pd.DataFrame,
    result: ValidationResult,
    accept_activity: str,
    *,
    observed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The fit table: the kept validation rows, ``step_days`` per item and step, ``daily_cv``.

    ``observed`` is the log's side of ``step_days`` (:func:`observed_steps`), computed here
    when not given.
    """
    keep = result.table[result.table["metric"].isin(FIT_METRICS)]
    keep = keep[~((keep["metric"] == "cases_per_week") & (keep["scope"] != "hall"))]
    rows: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in keep.to_dict("records")
    ]
    sim_ev = result.simulated_events
    obs = result.observed_cases
    sim = result.simulated_cases
    if sim_ev is not None:
        calendar = _calendar(cal, events, sim_ev)
        o = observed if observed is not None else observed_steps(cal, events, result)
        s_ev = sim_ev[sim_ev["case_id"].isin(sim.loc[sim["scored"], "case_id"].to_numpy())]
        rows += _step_rows(cal, o, s_ev, calendar)
        rows.append(_cv_row(obs, sim, calendar))
    return pd.DataFrame(rows).drop(columns=["se"], errors="ignore")


def observed_steps(
    cal: Calibration, events: pd.DataFrame, result: ValidationResult
) -> pd.DataFrame:
    """The log's ``step_days`` (:func:`step_days`) of the scored observed cases whose every
    completion has a time of day: the same in every round (the rounds change the scenario,
    not the log), so computed once."""
    obs = result.observed_cases
    ids = obs.loc[obs["scored"], "case_id"].to_numpy()
    o_ev = _timed_cases(events[events["case_id"].astype(str).isin(ids)])
    sim_ev = result.simulated_events
    calendar = _calendar(cal, events, sim_ev if sim_ev is not None else events)
    return step_days(o_ev, calendar, set())


def _timed_cases(events: pd.DataFrame) -> pd.DataFrame:
    """The events of the cases whose every completion has a time of day: a date-only
    completion (midnight) sorts before the same day's other events and would give its
    days to the wrong step."""
    end = pd.to_datetime(events["end"])
    untimed = end.eq(end.dt.normalize())
    bad = set(events.loc[untimed, "case_id"])
    return events[~events["case_id"].isin(bad)] if bad else events


def _calendar(cal: Calibration, events: pd.DataFrame, sim_ev: pd.DataFrame) -> WorkCalendar:
    """The scenario's working days over both logs."""
    first = min(pd.Timestamp(events["end"].min()), pd.Timestamp(sim_ev["end"].min()))
    last = max(pd.Timestamp(events["end"].max()), pd.Timestamp(sim_ev["end"].max()))
    start = (first - pd.Timedelta(days=1)).date()
    spec = dataclasses.replace(cal.scenario().calendar, start=start)
    return WorkCalendar(spec, (last.date() - start).days + 2)


def _day_ordinal(t: pd.Series, calendar: WorkCalendar) -> np.ndarray:
    """Working-day ordinal of each timestamp's day (working days since the calendar start)."""
    ordinal = np.cumsum(calendar.working)
    origin = pd.Timestamp(calendar.start)
    day = ((pd.to_datetime(t).dt.normalize() - origin).dt.days).to_numpy()
    day = np.clip(day, 0, len(ordinal) - 1)
    return ordinal[day].astype(np.float64)


def step_days(events: pd.DataFrame, calendar: WorkCalendar, skip: set[str]) -> pd.DataFrame:
    """Per event: ``item_id, activity, days`` (working days from the case's previous event's
    completion day to this one's) and ``day`` (its completion day's ordinal), events of
    ``skip`` left out first (their days count with the next step)."""
    ev = events[~events["activity"].astype(str).isin(skip)]
    ev = ev.sort_values(["case_id", "end"], kind="stable")
    ordinal = pd.Series(_day_ordinal(ev["end"], calendar), index=ev.index)
    days = ordinal - ordinal.groupby(ev["case_id"].to_numpy()).shift(1)
    return pd.DataFrame(
        {
            "item_id": ev["item_id"].astype(str).to_numpy(),
            "activity": ev["activity"].astype(str).to_numpy(),
            "days": days.to_numpy(),
            "day": ordinal.to_numpy(),
        }
    )


def _step_rows(
    cal: Calibration, o: pd.DataFrame, s_ev: pd.DataFrame, calendar: WorkCalendar
) -> list[dict[str, Any]]:
    waits = {st.wait_name for i in cal.items for st in i.route if st.wait_name}
    s = step_days(s_ev, calendar, waits)
    og = dict(tuple(o.dropna().groupby(["item_id", "activity"])))
    sg = dict(tuple(s.dropna().groupby(["item_id", "activity"])))
    empty = pd.DataFrame({"days": [], "day": []})
    rows = []
    for ie in cal.items:
        for st in ie.route:
            key = (ie.id, st.name)
            ov, sv = og.get(key, empty), sg.get(key, empty)
            rows.append(_row(f"{ie.id}/{st.name}", ov, sv))
    return rows


def _row(id_: str, ov: pd.DataFrame, sv: pd.DataFrame) -> dict[str, Any]:
    """A ``step_days`` row: the two means, the limit from their clustered standard errors."""
    om = float(ov["days"].mean()) if len(ov) else math.nan
    sm = float(sv["days"].mean()) if len(sv) else math.nan
    se = math.sqrt(_cluster_var(ov) + _cluster_var(sv))
    limit = STEP_TOLERANCE.limit(om, se)
    return _status_row("step", id_, "step_days", (om, sm), limit, (len(ov), len(sv)))


def _cluster_var(frame: pd.DataFrame) -> float:
    """Variance of the mean of ``days`` with the files completed on one day as one cluster
    (they waited for the same round: a skipped round delays them all), NaN if too few."""
    n = len(frame)
    if n < 2:
        return math.nan
    mean = float(frame["days"].mean())
    resid = (frame["days"] - mean).groupby(frame["day"].to_numpy()).sum().to_numpy()
    k = len(resid)
    if k < 2:
        return math.nan
    return float(np.sum(resid**2)) / n**2 * k / (k - 1)


def _status_row(
    scope: str,
    id_: str,
    metric: str,
    values: tuple[float, float],
    limit: float,
    counts: tuple[int, int],
) -> dict[str, Any]:
    """A self-check row scored by validation's rule, with :data:`MIN_STEP_CASES`."""
    error = abs(values[1] - values[0])
    return scored_row(scope, id_, metric, values, error, limit, counts, MIN_STEP_CASES)


def _cv_row(obs: pd.DataFrame, sim: pd.DataFrame, calendar: WorkCalendar) -> dict[str, Any]:
    """``daily_cv``: coefficient of variation of accepted cases per working day (simulated:
    the mean over replications)."""
    work_days = pd.DatetimeIndex(
        [pd.Timestamp(calendar.date_of(int(d))) for d in np.flatnonzero(calendar.working)]
    )

    def cv(cases: pd.DataFrame) -> tuple[float, int]:
        acc = cases[cases["working_days"].notna()]
        counts = acc["first"].dt.normalize().value_counts()
        lo, hi = counts.index.min(), counts.index.max()
        days = work_days[(work_days >= lo) & (work_days <= hi)]
        x = counts.reindex(days, fill_value=0).to_numpy(dtype=np.float64)
        if len(x) < 2 or x.mean() <= 0:
            return math.nan, len(x)
        return float(x.std(ddof=1) / x.mean()), len(x)

    ocv, n = cv(obs)
    sims = [cv(g)[0] for _, g in sim.groupby("replication")] if len(sim) else []
    scv = float(np.nanmean(sims)) if sims else math.nan
    se = ocv * math.sqrt((1 + 2 * ocv**2) / (2 * n)) if n and math.isfinite(ocv) else math.nan
    return _status_row("hall", "hall", "daily_cv", (ocv, scv), CV_TOLERANCE.limit(ocv, se), (n, n))


# --------------------------------------------------------------------------- correct
def _correct(cal: Calibration, table: pd.DataFrame) -> tuple[Calibration, list[str]]:
    """Scale the delays of failing ``step_days`` rows that are delays; what was done."""
    fails = table[(table["metric"] == "step_days") & (table["status"] == "FAIL")]
    if fails.empty:
        return cal, []
    by_id = {
        str(i): (float(o), float(s))
        for i, o, s in zip(fails["id"], fails["observed"], fails["simulated"], strict=True)
    }
    done: list[str] = []
    items: list[ItemEstimate] = []
    for ie in cal.items:
        route = []
        for st in ie.route:
            pair = by_id.get(f"{ie.id}/{st.name}")
            new = _corrected(st, pair[0] - pair[1]) if pair is not None else None
            if new is not None and pair is not None:
                st, what = new
                done.append(
                    f"{ie.id}/{what} (observed {pair[0]:.2f}, simulated {pair[1]:.2f} working days)"
                )
            route.append(st)
        items.append(dataclasses.replace(ie, route=tuple(route)))
    if not done:
        return cal, []
    return dataclasses.replace(cal, items=tuple(items)), done


def _corrected(st: StepEstimate, missing: float) -> tuple[StepEstimate, str] | None:
    """The step with its delay (its wait, or the delay step itself) longer by ``missing``
    working days on average, or None if it has no delay."""
    field = "wait" if st.wait is not None else ("fit" if st.kind == "delay" else "")
    fit = getattr(st, field) if field else None
    if fit is None or fit.dist.mean <= 0:
        return None
    old = float(fit.dist.mean)
    factor = float(np.clip(max(old + missing, 0.0) / old, 1 / MAX_FACTOR, MAX_FACTOR))
    new_fit = dataclasses.replace(fit, dist=scale_distribution(fit.dist, factor))
    name = st.wait_name if field == "wait" else st.name
    what = f"{name} mean {old:.2f} -> {old * factor:.2f} working days"
    return dataclasses.replace(st, **{field: new_fit}), what
