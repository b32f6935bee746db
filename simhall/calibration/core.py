"""``calibrate``: from a case log and an item catalogue to a scenario that reproduces them.

Calibration is the reverse of simulation. The simulator takes a floor plan and rule book (a
scenario) and writes a register of what happened (an event log); calibration reads such a
register and reconstructs the floor plan: the hours the hall keeps, how many applicants
come for each item and when, which steps each item's files go through, how long each step
takes in working minutes, how many clerks staff each window and desk, and when the leader
signs. Each estimate is made by one module (:mod:`~simhall.calibration.hours`,
:mod:`~simhall.calibration.demand`, :mod:`~simhall.calibration.classify`,
:mod:`~simhall.calibration.routes`, :mod:`~simhall.calibration.fit`,
:mod:`~simhall.calibration.staffing`, :mod:`~simhall.calibration.sessions`); this module runs
them in order and keeps the evidence (sample sizes, criteria, assumptions, dropped data) in
a :class:`Calibration`, which writes the scenario file (:mod:`~simhall.calibration.writer`)
and the report (:mod:`~simhall.calibration.report`).
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from simhall.calendar import MINUTES_PER_DAY, CalendarError, WorkCalendar
from simhall.calibration import classify as _classify
from simhall.calibration.demand import DemandEstimate, estimate_demand
from simhall.calibration.fit import MEAN_TOL, FitResult, fit_duration, fit_whole_days
from simhall.calibration.hours import HoursEstimate, detect_hours
from simhall.calibration.routes import corrections, route_steps
from simhall.calibration.sessions import (
    CourierEstimate,
    SessionEstimate,
    estimate_courier,
    estimate_session,
)
from simhall.calibration.staffing import max_concurrent, staff_per_group
from simhall.calibration.timebase import minutes, to_work
from simhall.distributions import Distribution, Lognormal, UniformInt
from simhall.logs.schema import REQUIRED_EVENT_COLUMNS
from simhall.scenario.schema import CalendarSpec, Scenario

__all__ = [
    "ROUTE_MIN_SHARE",
    "Calibration",
    "DepartmentEstimate",
    "ItemEstimate",
    "StepEstimate",
    "calibrate",
]

REQUIRED_ITEMS = ("item_id", "department", "kind", "committed_days")
DEFAULT_WINDOW_SERVICE = Lognormal(15.0, 8.0)
DEFAULT_RETURN_DELAY = UniformInt(1, 5)
ROUTE_MIN_SHARE = 0.05
"""Default share of cases below which route steps are lumped (see :func:`calibrate`)."""
_MEETING_NAME = re.compile(r"meeting|director|会|主任|局长", re.IGNORECASE)
_BARE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass
class StepEstimate:
    """One step of a calibrated route."""

    name: str
    kind: str  # work | signoff | meeting | delay
    department: str
    probability: float
    n_cases: int
    n_eligible: int
    pool: str | None = None
    fit: FitResult | None = None
    pooled: str = ""


@dataclass
class ItemEstimate:
    """Everything calibrated for one item."""

    id: str
    name: str
    department: str
    kind: str
    committed_days: int | None
    statutory_days: int | None
    daily_demand: float
    cases: int
    window_service: FitResult | None
    window_pooled: str
    incomplete_prob: float
    visits: int
    return_delay: FitResult | None
    weekday_factors: tuple[float, ...] | None = None
    route: list[StepEstimate] = field(default_factory=list)


@dataclass
class DepartmentEstimate:
    """Everything calibrated for one department."""

    id: str
    windows: int
    windows_days: int
    windows_method: str
    pools: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    courier: CourierEstimate | None = None
    signoff: tuple[str, SessionEstimate] | None = None
    meeting: tuple[str, SessionEstimate] | None = None

    @property
    def back_office(self) -> str:
        """``"outside"`` when files travel by courier, else ``"hall"``."""
        return "outside" if self.courier is not None else "hall"


@dataclass
class Calibration:
    """The result of :func:`calibrate`: estimates, evidence and the scenario they make.

    Attributes
    ----------
    source : str
        Label of the log (file name), written into the scenario header.
    since, until : datetime.date
        The calibration period (first-visit dates, inclusive).
    holidays : str
        Holiday source of the calendar (``"cn"`` or ``"weekends-only"``).
    hours : HoursEstimate
        Opening sessions.
    demand : DemandEstimate
        Volumes, weekday factors, intraday profile.
    departments : list of DepartmentEstimate
    items : list of ItemEstimate
    classification : DataFrame
        ``activity, kind, n, reason, ...``.
    fits : DataFrame
        One row per fitted distribution (n, dist, parameters, AIC, KS p, criterion).
    dropped : DataFrame
        ``check, events, cases, action, detail``: every row not used, and why.
    assumptions : list of str
        Every assumption made.
    notes : list of str
        How the estimates were made.
    durations_estimated : bool
        The log had no start times: durations are gaps between completions.
    low_precision : bool
        Most timestamps carry no time of day: day-level estimates only.
    run_days, drain_days : int
        ``[run]`` settings for the scenario.
    n_events, n_cases : int
        Events and cases used.
    """

    source: str
    since: date
    until: date
    holidays: str
    hours: HoursEstimate
    demand: DemandEstimate
    departments: list[DepartmentEstimate]
    items: list[ItemEstimate]
    classification: pd.DataFrame
    fits: pd.DataFrame
    dropped: pd.DataFrame
    assumptions: list[str]
    notes: list[str]
    durations_estimated: bool
    low_precision: bool
    run_days: int
    drain_days: int
    n_events: int
    n_cases: int
    seed: int = 12345
    min_cases: int = 30
    calendar_spec: CalendarSpec | None = None

    def to_toml(self) -> str:
        """The commented scenario file (loads with :func:`simhall.scenario.load_scenario`)."""
        from simhall.calibration.writer import render_scenario

        return render_scenario(self)

    def report(self) -> str:
        """The Markdown calibration report."""
        from simhall.calibration.report import render_report

        return render_report(self)

    def scenario(self) -> Scenario:
        """The calibrated scenario, loaded from :meth:`to_toml`."""
        from simhall.scenario import load_scenario_text

        return load_scenario_text(self.to_toml(), name="calibrated.toml")

    def write(
        self,
        out_toml: str | os.PathLike[str],
        report_md: str | os.PathLike[str] | None = None,
        *,
        figures: bool = False,
    ) -> Path:
        """Write the scenario (and the report) atomically.

        Parameters
        ----------
        out_toml : path
            Scenario file.
        report_md : path, optional
            Markdown report.
        figures : bool, default False
            Also write PNG figures next to the report.

        Returns
        -------
        Path
            The scenario path.
        """
        from simhall.io import atomic_write_text

        path = atomic_write_text(self.to_toml(), out_toml)
        if report_md is not None:
            text = self.report()
            if figures:
                from simhall.calibration.report import write_figures

                names = write_figures(self, Path(report_md))
                if names:
                    text += "\n## Figures\n\n" + "\n".join(f"![{n}]({n})" for n in names) + "\n"
            atomic_write_text(text, report_md)
        return path


def _check_columns(frame: pd.DataFrame, required: tuple[str, ...], what: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{what} lacks column(s) {', '.join(missing)}; columns found: {list(frame.columns)}"
        )


def _to_date(value: date | str | pd.Timestamp | None) -> date | None:
    if value is None:
        return None
    return pd.Timestamp(value).date()


def _slug(name: str) -> str:
    s = _BARE.sub("_", name).strip("_")
    return s or "staff"


def _drop_row(check: str, events: int, cases: int, action: str, detail: str) -> dict[str, Any]:
    return {"check": check, "events": events, "cases": cases, "action": action, "detail": detail}


def calibrate(
    events: pd.DataFrame,
    items: pd.DataFrame,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    accept_activity: str = "accept",
    classification: dict[str, str] | None = None,
    holidays: str = "cn",
    min_cases: int = 30,
    seed: int = 0,
    rng: np.random.Generator | None = None,
    source: str = "<events>",
    bin_min: int = 60,
    read_issues: pd.DataFrame | None = None,
    read_notes: list[str] | None = None,
    route_min_share: float = ROUTE_MIN_SHARE,
) -> Calibration:
    """Calibrate a scenario from an event log and an item catalogue.

    Parameters
    ----------
    events : DataFrame
        Event log in the case-log schema (``case_id, item_id, activity, end`` required;
        ``resource, ready, start`` optional; other columns are ignored).
    items : DataFrame
        Catalogue with ``item_id, department, kind, committed_days`` (``name``,
        ``statutory_days`` optional).
    since, until : date or str, optional
        Calibration period: cases whose first ticket falls on these dates (inclusive).
        Default: the log's first and last first-visit dates.
    accept_activity : str, default "accept"
        The acceptance activity (受理).
    classification : dict, optional
        Activity -> kind overrides (see :mod:`~simhall.calibration.classify`).
    holidays : {"cn", "weekends-only"}
        Working-day calendar of the hall.
    min_cases : int, default 30
        Items with fewer observations of a step use the department's pooled data.
    seed : int, default 0
        Seed for subsampling in fits (and the scenario's ``[run] seed``).
    rng : numpy.random.Generator, optional
        Overrides ``seed`` for subsampling.
    source : str
        Label of the log for the scenario header and report.
    bin_min : int, default 60
        Intraday bin width in minutes (30 or 60).
    read_issues : DataFrame, optional
        Issues from :func:`simhall.logs.read_event_log`, added to the dropped-data table.
    read_notes : list of str, optional
        Notes from the reader, added to the assumptions.
    route_min_share : float, default :data:`ROUTE_MIN_SHARE`
        Route steps seen in fewer than this share of an item's finished cases are lumped
        into one delay step (``other_rare_steps``) whose duration is the per-case sum of
        theirs, in working days (0 keeps every step).

    Returns
    -------
    Calibration
        Estimates, evidence, and the scenario text via :meth:`Calibration.to_toml`.

    Raises
    ------
    ValueError
        Missing columns, no usable events, an empty catalogue, or bad options.
    """
    if holidays not in ("cn", "weekends-only"):
        raise ValueError(f"holidays = {holidays!r}: expected 'cn' or 'weekends-only'")
    if bin_min not in (30, 60):
        raise ValueError(f"bin_min = {bin_min}: expected 30 or 60")
    if min_cases < 1:
        raise ValueError(f"min_cases = {min_cases}: expected a whole number >= 1")
    _check_columns(events, REQUIRED_EVENT_COLUMNS, "event log")
    _check_columns(items, REQUIRED_ITEMS, "items catalogue")
    rng = rng if rng is not None else np.random.default_rng(seed)
    assumptions: list[str] = list(read_notes or [])
    notes: list[str] = []
    dropped: list[dict[str, Any]] = []
    if read_issues is not None and len(read_issues):
        for r in read_issues.itertuples(index=False):
            dropped.append(
                _drop_row(
                    f"read: {getattr(r, 'check', '?')}",
                    int(getattr(r, "count", 0)),
                    0,
                    str(getattr(r, "action", "")),
                    str(getattr(r, "detail", "")),
                )
            )

    # ----------------------------------------------------------------- catalogue
    cat = items.copy()
    cat["item_id"] = cat["item_id"].astype(str)
    if cat["item_id"].duplicated().any():
        dup = cat["item_id"][cat["item_id"].duplicated()].iloc[0]
        raise ValueError(f"items catalogue: duplicate item_id {dup!r}")
    if len(cat) == 0:
        raise ValueError("items catalogue is empty")
    item_ids = cat["item_id"].tolist()
    item_code = {s: i for i, s in enumerate(item_ids)}
    item_dept = cat["department"].astype(str).tolist()
    dept_ids = list(dict.fromkeys(item_dept))
    dept_code = {s: i for i, s in enumerate(dept_ids)}

    # ----------------------------------------------------------------- events
    keep = ["case_id", "item_id", "activity", "end"] + [
        c for c in ("resource", "ready", "start") if c in events.columns
    ]
    from simhall.logs.schema import canonicalize_events

    ev0 = canonicalize_events(events[keep])
    n_in = len(ev0)
    no_end = ev0["end"].isna().to_numpy()
    if no_end.any():
        dropped.append(_drop_row("missing end", int(no_end.sum()), 0, "dropped", "no end time"))
    icode = (
        ev0["item_id"].astype("object").map(item_code).to_numpy(dtype=np.float64, na_value=np.nan)
    )
    unknown = np.isnan(icode)
    if unknown.any():
        names = sorted(set(ev0["item_id"].astype("object")[unknown].astype(str)))
        dropped.append(
            _drop_row(
                "unknown item",
                int(unknown.sum()),
                int(ev0["case_id"][unknown].nunique()),
                "dropped",
                f"{len(names)} item id(s) not in the catalogue: " + ", ".join(names[:10]),
            )
        )
    good = ~(no_end | unknown)
    if not good.any():
        raise ValueError("no usable events: every event lacks an end time or has an unknown item")
    ev0 = ev0[good]
    icode = icode[good].astype(np.int64)
    case_codes, case_uniques = pd.factorize(ev0["case_id"], sort=False)
    n_cases_all = len(case_uniques)
    act_codes, act_uniques = pd.factorize(ev0["activity"].astype("object"), sort=False)
    activities = [str(a) for a in act_uniques]
    res_cat = ev0["resource"].astype("category")
    res_codes = res_cat.cat.codes.to_numpy().astype(np.int64)
    res_names = [str(r) for r in res_cat.cat.categories]

    ends_dt = ev0["end"]
    origin0 = pd.Timestamp(ends_dt.min()).normalize()
    end = minutes(ends_dt, origin0)
    start = minutes(ev0["start"], origin0)
    ready = minutes(ev0["ready"], origin0)
    low_precision = bool(np.mean(np.mod(end, MINUTES_PER_DAY) == 0) > 0.5)
    durations_estimated = bool(np.isnan(start).all())
    # per-case item: the first event's item
    case_item = np.zeros(n_cases_all, dtype=np.int64)
    case_item[case_codes[::-1]] = icode[::-1]
    # acceptance
    is_acc = act_codes == (
        activities.index(accept_activity) if accept_activity in activities else -2
    )
    accept_end = np.full(n_cases_all, np.nan)
    if is_acc.any():
        np.fmin.at(accept_end, case_codes[is_acc], end[is_acc])
    ev = pd.DataFrame(
        {
            "case": case_codes,
            "activity": pd.Categorical.from_codes(act_codes, categories=pd.Index(activities)),
            "resource": pd.Categorical.from_codes(res_codes, categories=pd.Index(res_names)),
            "end": end,
        }
    )
    windows = _classify.window_activities(ev, accept_activity, accept_end)
    if not is_acc.any():
        assumptions.append(
            f"the log has no acceptance activity {accept_activity!r}: each case's first event "
            "is taken as its acceptance and its ticket; window service, windows and "
            "corrections are not estimated (defaults)"
        )
    win_act = np.array([a in windows for a in activities], dtype=bool)
    is_win = win_act[act_codes] if len(activities) else np.zeros(len(end), dtype=bool)
    tick = np.where(np.isfinite(ready), ready, np.where(np.isfinite(start), start, end))
    case_ticket = np.full(n_cases_all, np.inf)
    np.minimum.at(case_ticket, case_codes[is_win], tick[is_win])
    no_win = ~np.isfinite(case_ticket)
    if no_win.any():
        first_any = np.full(n_cases_all, np.inf)
        np.minimum.at(first_any, case_codes, tick)
        case_ticket[no_win] = first_any[no_win]
        if is_acc.any():
            assumptions.append(
                f"{int(no_win.sum())} case(s) have no window visit: their first event is "
                "taken as the first visit"
            )
    no_accept = ~np.isfinite(accept_end)
    if is_acc.any() and no_accept.any():
        dropped.append(
            _drop_row(
                "no acceptance",
                int(no_accept[case_codes].sum()),
                int(no_accept.sum()),
                "kept",
                "cases never accepted: used for demand and corrections, not for routes",
            )
        )
    if not is_acc.any():
        accept_end = case_ticket.copy()

    # ----------------------------------------------------------------- period
    ticket_day0 = np.floor(case_ticket / MINUTES_PER_DAY)
    first_date = (origin0 + pd.Timedelta(days=float(np.nanmin(ticket_day0)))).date()
    last_date = (origin0 + pd.Timedelta(days=float(np.nanmax(ticket_day0)))).date()
    since_d = _to_date(since) or first_date
    until_d = _to_date(until) or last_date
    if until_d < since_d:
        raise ValueError(f"until ({until_d}) is before since ({since_d})")
    origin = pd.Timestamp(since_d)
    shift = (origin - origin0) / pd.Timedelta(minutes=1)
    end, start, ready, tick = end - shift, start - shift, ready - shift, tick - shift
    case_ticket, accept_end = case_ticket - shift, accept_end - shift
    n_period = (until_d - since_d).days + 1
    in_period = (case_ticket >= 0) & (case_ticket < n_period * MINUTES_PER_DAY)
    if not in_period.all():
        out_ev = ~in_period[case_codes]
        dropped.append(
            _drop_row(
                "outside period",
                int(out_ev.sum()),
                int((~in_period).sum()),
                "dropped",
                f"first visit before {since_d} or after {until_d}",
            )
        )
    keep_ev = in_period[case_codes]
    if not keep_ev.any():
        raise ValueError(f"no case has its first visit between {since_d} and {until_d}")
    # compact arrays to kept events
    case_codes, icode, act_codes, res_codes = (
        case_codes[keep_ev],
        icode[keep_ev],
        act_codes[keep_ev],
        res_codes[keep_ev],
    )
    end, start, ready, tick, is_win, is_acc = (
        end[keep_ev],
        start[keep_ev],
        ready[keep_ev],
        tick[keep_ev],
        is_win[keep_ev],
        is_acc[keep_ev],
    )
    n_events = len(end)
    n_cases = int(in_period.sum())

    # ----------------------------------------------------------------- hours & calendar
    win_clock = np.where(np.isfinite(ready), ready, start)[is_win]
    if low_precision:
        hours = detect_hours(np.empty(0), np.empty(0))
        hours.notes[0] = (
            "timestamps have no time of day (low precision): opening hours not estimated, "
            "default 08:30-12:00, 14:30-17:30 assumed; all estimates are day-level"
        )
    else:
        # Only window visits with a ready or start time say when tickets were drawn; logs
        # with completion times only have none (all NaN): the defaults are kept, explicitly.
        win_clock = win_clock[np.isfinite(win_clock)]
        if len(win_clock) == 0:
            hours = detect_hours(np.empty(0), np.empty(0))
            hours.notes[0] = (
                "no window visit has a ready or start time (completion times only): opening "
                "hours not estimated, default 08:30-12:00, 14:30-17:30 assumed"
            )
        else:
            wday = np.floor(win_clock / MINUTES_PER_DAY).astype(np.int64)
            wd = (wday + since_d.weekday()) % 7
            hours = detect_hours(np.mod(win_clock, MINUTES_PER_DAY), wd)
    if not hours.estimated:
        assumptions.append(hours.notes[0])
    last_day = int(np.nanmax(end) // MINUTES_PER_DAY) + 2
    cal_days = max(last_day, n_period) + 1
    by_weekday = tuple(sorted(hours.by_weekday.items()))
    try:
        spec = CalendarSpec(
            start=since_d,
            holidays=cast(Any, holidays),
            opening=hours.opening,
            opening_by_weekday=by_weekday,
        )
        calendar = WorkCalendar(spec, cal_days)
    except CalendarError as exc:
        assumptions.append(f"{exc}; calendar falls back to weekends-only")
        holidays = "weekends-only"
        spec = CalendarSpec(
            start=since_d,
            holidays="weekends-only",
            opening=hours.opening,
            opening_by_weekday=by_weekday,
        )
        calendar = WorkCalendar(spec, cal_days)
    extra_h, extra_w = _own_days(calendar, tick[is_win], n_period, low_precision)
    if extra_h or extra_w:
        spec = CalendarSpec(
            start=since_d,
            holidays=spec.holidays,
            opening=hours.opening,
            opening_by_weekday=by_weekday,
            extra_holidays=extra_h,
            extra_workdays=extra_w,
        )
        calendar = WorkCalendar(spec, cal_days)
        if extra_h:
            notes.append(
                "hall closures (extra_holidays): working days without any ticket in a period "
                f"averaging >= {OWN_DAY_MIN_TICKETS} tickets a day: "
                + ", ".join(d.isoformat() for d in extra_h)
            )
        if extra_w:
            notes.append(
                "extra working days: non-working days with tickets: "
                + ", ".join(d.isoformat() for d in extra_w)
            )
    clock = calendar.clock()
    day_min = float(sum(b - a for a, b in hours.opening))
    w_end, w_start, w_ready = to_work(clock, end), to_work(clock, start), to_work(clock, ready)

    # durations: start -> end, else gap from the previous completion in the case
    order = np.lexsort((end, case_codes))
    prev_end = np.full(n_events, np.nan)
    same = np.zeros(n_events, dtype=bool)
    same[1:] = case_codes[order][1:] == case_codes[order][:-1]
    pe = np.full(n_events, np.nan)
    pe[1:] = end[order][:-1]
    prev_end[order] = np.where(same, pe, np.nan)
    w_prev = to_work(clock, prev_end)
    dur_work = np.where(np.isfinite(start), w_end - w_start, np.nan)
    if durations_estimated:
        dur_work = np.where(np.isfinite(w_ready), w_end - w_ready, w_end - w_prev)
        assumptions.append(
            "the log has no start times: durations are estimated as the working time since "
            "the previous completion in the case (or since ready), so they include waiting"
        )
    delay_days_work = np.where(np.isfinite(w_ready), w_end - w_ready, dur_work) / day_min
    if low_precision:
        ordinal = calendar.workday_ordinal
        n_ord = len(ordinal)
        d1 = np.clip((end // MINUTES_PER_DAY).astype(np.int64), 0, n_ord - 1)
        base = np.where(np.isfinite(prev_end), prev_end, end)
        d0 = np.clip((np.nan_to_num(base) // MINUTES_PER_DAY).astype(np.int64), 0, n_ord - 1)
        delay_days_work = (ordinal[d1] - ordinal[d0]).astype(np.float64)
        assumptions.append(
            "most timestamps have no time of day: step durations are whole working days "
            "between completions; window service, hours and intraday profile are not estimated"
        )

    # ----------------------------------------------------------------- classification
    evk = pd.DataFrame(
        {
            "activity": pd.Categorical.from_codes(act_codes, categories=pd.Index(activities)),
            "resource": pd.Categorical.from_codes(res_codes, categories=pd.Index(res_names)),
            "start": start,
            "end": end,
            "dur_work": dur_work,
        }
    )
    table = _classify.classify_activities(
        evk, windows, day_min=day_min, low_precision=low_precision, overrides=classification
    )
    unknown_over = sorted(set(classification or {}) - set(activities))
    if unknown_over:
        assumptions.append(
            "classification file names activities not in the log (ignored): "
            + ", ".join(unknown_over)
        )
    n_date_only = int(
        ((table["date_only"] >= _classify.DATE_ONLY_SHARE) & (table["kind"] == "delay")).sum()
    )
    if n_date_only and not low_precision:
        assumptions.append(
            f"{n_date_only} activit{'y has' if n_date_only == 1 else 'ies have'} at least "
            f"{100 * _classify.DATE_ONLY_SHARE:.0f}% of completions without a time of day: "
            "classified as delays in working days, never as sign-off/meeting sessions (from "
            "dates alone every completion is at 00:00); sessions are detected from timed "
            "completions only"
        )
    kind_of = dict(zip(table["activity"], table["kind"]))
    kind_arr = np.array([kind_of.get(a, "work") for a in activities], dtype=object)
    ev_kind = kind_arr[act_codes] if len(activities) else np.empty(0, dtype=object)
    is_win = ev_kind == "window"
    del evk

    # resource -> department / pool
    res_parts = [r.split("/") for r in res_names]
    res_dept = np.array(
        [dept_code.get(p[0], -1) if len(p) >= 2 else -1 for p in res_parts] + [-1], dtype=np.int64
    )
    res_pool = [p[1] if len(p) >= 3 and p[0] in dept_code else "" for p in res_parts] + [""]
    ev_item_dept = np.array([dept_code[d] for d in item_dept], dtype=np.int64)[icode]
    ev_dept = res_dept[res_codes]
    ev_dept = np.where(ev_dept >= 0, ev_dept, ev_item_dept)

    # ----------------------------------------------------------------- staffing: windows
    departments = {d: DepartmentEstimate(d, 1, 0, "default") for d in dept_ids}
    has_res = res_codes >= 0
    if is_win.any():
        wdept = ev_item_dept[is_win]
        wtime = np.where(np.isfinite(start), start, end)[is_win]
        staff, ndays = staff_per_group(wdept, res_codes[is_win], wtime, len(dept_ids))
        for k, d in enumerate(dept_ids):
            de = departments[d]
            if staff[k] > 0:
                de.windows, de.windows_days = int(staff[k]), int(ndays[k])
                de.windows_method = "max distinct window resources active on a working day"
            else:
                sel = is_win & (ev_item_dept == k)
                s0 = np.where(np.isfinite(start), start, end - 10.0)[sel]
                de.windows = max(1, max_concurrent(s0, end[sel]))
                de.windows_method = "max concurrent window services (no resources)"
    else:
        assumptions.append("no window visits in the log: 1 window per department assumed")

    # ----------------------------------------------------------------- couriers
    is_tr = ev_kind == "transfer"
    for k, d in enumerate(dept_ids):
        sel = is_tr & (ev_dept == k)
        if sel.sum() >= 5:
            departments[d].courier = estimate_courier(start[sel], end[sel])

    # ----------------------------------------------------------------- sessions
    is_ses = ev_kind == "session"
    session_map: dict[tuple[int, int], str] = {}  # (dept, activity) -> signoff|meeting
    for k, d in enumerate(dept_ids):
        sel = is_ses & (ev_dept == k)
        if not sel.any():
            continue
        acts, counts = np.unique(act_codes[sel], return_counts=True)
        ranked = sorted(zip(acts.tolist(), counts.tolist()), key=lambda x: -x[1])
        est: dict[int, SessionEstimate] = {}
        for a, _ in ranked:
            m = sel & (act_codes == a)
            est[a] = estimate_session(start[m], end[m], calendar)
        de = departments[d]
        pending = []
        for a, _ in ranked:
            if _MEETING_NAME.search(activities[a]) and de.meeting is None:
                de.meeting = (activities[a], est[a])
                session_map[(k, a)] = "meeting"
            else:
                pending.append(a)
        for a in pending:
            if de.signoff is None:
                de.signoff = (activities[a], est[a])
                session_map[(k, a)] = "signoff"
            elif de.meeting is None:
                de.meeting = (activities[a], est[a])
                session_map[(k, a)] = "meeting"
            else:
                session_map[(k, a)] = "signoff"
                assumptions.append(
                    f"department {d}: session activity {activities[a]!r} shares the sign-off "
                    "schedule (a department has one sign-off and one meeting schedule)"
                )

    # ----------------------------------------------------------------- pools
    is_work = ev_kind == "work"
    pool_name = np.array(res_pool, dtype=object)[res_codes]
    act_slug = np.array([_slug(a) for a in activities], dtype=object)
    pool_name = np.where(pool_name == "", act_slug[act_codes] if len(activities) else "", pool_name)
    pool_keys: dict[tuple[int, str], int] = {}
    pool_code = np.full(n_events, -1, dtype=np.int64)
    if is_work.any():
        wk = pd.factorize(
            pd.Series(ev_dept[is_work]).astype(str) + "\x00" + pd.Series(pool_name[is_work])
        )
        pool_code[is_work] = wk[0]
        for code, key in enumerate(wk[1]):
            dk_text, pn = str(key).split("\x00", 1)
            pool_keys[(int(dk_text), pn)] = code
        n_pools = len(wk[1])
        wtime = np.where(np.isfinite(start), start, end)[is_work]
        staff, ndays = staff_per_group(pool_code[is_work], res_codes[is_work], wtime, n_pools)
        n_raised = 0
        for (pdept, pn), code in pool_keys.items():
            sel = is_work & (pool_code == code)
            if staff[code] > 0:
                value, method = int(staff[code]), "max distinct resources active on a working day"
            else:
                s0 = end[sel] - np.nan_to_num(dur_work[sel], nan=0.0)
                value = max(1, max_concurrent(s0, end[sel]))
                method = "max concurrent work intervals (no resources)"
            if durations_estimated:
                # The step's "duration" is the gap since the previous completion: it already
                # holds the file's wait for a clerk. A pool smaller than the number of files
                # seen in the step at once would make the simulation queue them a second time
                # (BPIC15: utilisation above 1, throughput nearly doubled).
                gap0 = np.where(np.isfinite(prev_end[sel]), prev_end[sel], end[sel])
                inside = max_concurrent(gap0, end[sel])
                if inside > value:
                    value, n_raised = inside, n_raised + 1
                    method = (
                        f"max files inside the step at once ({inside}; completion gaps "
                        "include the wait, so fewer staff would queue twice)"
                    )
            departments[dept_ids[pdept]].pools[pn] = (value, int(ndays[code]), method)
        if n_raised:
            assumptions.append(
                f"{n_raised} pool(s) are staffed with the largest number of files seen inside "
                "their step at once (more than the distinct resources per day): durations "
                "are gaps between completions that already include the wait for a clerk, so "
                "these pools must not add a queue of their own; staff counts of such pools "
                "are capacity for files in progress, not head counts"
            )
    if not has_res.any():
        assumptions.append(
            "the log names no resources: staff counts are the largest number of overlapping "
            "intervals, a lower bound"
        )

    # ----------------------------------------------------------------- demand
    case_item_k = case_item[in_period]
    ticket_k = case_ticket[in_period]
    demand = estimate_demand(
        item_ids,
        case_item_k,
        ticket_k,
        calendar,
        n_period,
        hours.opening,
        bin_min=bin_min,
        min_cases=min_cases,
    )
    if low_precision:
        demand.intraday = [(hours.opening[0][0], 1.0)]
    notes.extend(demand.notes)

    # ----------------------------------------------------------------- corrections
    remap = np.cumsum(in_period) - 1  # old case code -> compact code
    ccase = remap[case_codes]
    acc_k = accept_end[in_period]
    if is_win.any() and is_acc.any():
        ctab, cdelays = corrections(
            ccase[is_win],
            icode[is_win],
            is_acc[is_win],
            tick[is_win],
            start[is_win],
            calendar,
            len(item_ids),
        )
    else:
        ctab = pd.DataFrame(
            {
                "item": np.arange(len(item_ids)),
                "visits": 0,
                "corrections": 0,
                "incomplete_prob": 0.0,
            }
        )
        cdelays = {}

    # ----------------------------------------------------------------- routes
    is_route = np.isin(ev_kind, ["work", "session", "delay"])
    last_end = np.full(n_cases, -np.inf)
    np.maximum.at(last_end, ccase, end)
    order_t = np.where(np.isfinite(ready), ready, np.where(np.isfinite(start), start, end))
    steps, _ = route_steps(
        ccase[is_route],
        icode[is_route],
        act_codes[is_route],
        order_t[is_route],
        acc_k,
        last_end,
        case_item_k,
        activities,
        len(item_ids),
        min_share=route_min_share,
    )

    # ----------------------------------------------------------------- fits
    fit_rows: list[dict[str, Any]] = []

    def record(scope: str, item: str, step: str, unit: str, fr: FitResult, pooled: str) -> None:
        fit_rows.append(
            {
                "scope": scope,
                "item_id": item,
                "step": step,
                "unit": unit,
                "n": fr.n,
                "dist": fr.dist.name,
                "params": _params_text(fr.dist),
                "mean": fr.mean,
                "sd": fr.sd,
                "fitted_mean": fr.dist.mean,
                "p90": fr.p90,
                "fitted_p90": fr.fitted_p90,
                "zero_share": fr.zero_share,
                "aic": fr.aic,
                "ks_p": fr.ks_p,
                "criterion": fr.criterion,
                "pooled": pooled,
            }
        )

    win_service = end - np.where(np.isfinite(start), start, np.nan)
    dept_window_fit: dict[int, FitResult | None] = {}
    item_cases = np.bincount(case_item_k, minlength=len(item_ids))
    item_estimates: list[ItemEstimate] = []
    cat_rows = cat.reset_index(drop=True)
    step_dept_fits: dict[tuple[int, int], FitResult | None] = {}
    for i, iid in enumerate(item_ids):
        row = cat_rows.iloc[i]
        dk = dept_code[item_dept[i]]
        # window service (wall minutes)
        wsel = is_win & (icode == i) & np.isfinite(win_service)
        ws_fit: FitResult | None = None
        pooled = ""
        if wsel.sum() >= min_cases:
            ws_fit = fit_duration(win_service[wsel], rng=rng)
        else:
            if dk not in dept_window_fit:
                dsel = is_win & (ev_item_dept == dk) & np.isfinite(win_service)
                dept_window_fit[dk] = (
                    fit_duration(win_service[dsel], rng=rng) if dsel.sum() >= 1 else None
                )
                dfit = dept_window_fit[dk]
                if dfit is not None:
                    record("department", "", f"{item_dept[i]} window_service", "min", dfit, "")
            ws_fit = dept_window_fit[dk]
            pooled = f"pooled: department {item_dept[i]} (item has {int(wsel.sum())} < {min_cases})"
        if ws_fit is not None and not pooled:
            record("item", iid, "window_service", "min", ws_fit, pooled)
        # corrections
        visits = int(ctab["visits"].iloc[i])
        inc = float(ctab["incomplete_prob"].iloc[i])
        rd_fit = None
        if i in cdelays and len(cdelays[i]):
            dl = cdelays[i]
            rd_fit = fit_whole_days(np.maximum(dl, 1))
            record("item", iid, "return_delay", "days", rd_fit, "")
        kind = str(row["kind"])
        committed = row.get("committed_days")
        statutory = row.get("statutory_days") if "statutory_days" in cat_rows.columns else None
        name = row.get("name") if "name" in cat_rows.columns else None
        ie = ItemEstimate(
            id=iid,
            name=str(name) if isinstance(name, str) and name and name != "nan" else iid,
            department=item_dept[i],
            kind=kind,
            committed_days=None if pd.isna(committed) else int(committed),
            statutory_days=None if statutory is None or pd.isna(statutory) else int(statutory),
            daily_demand=float(demand.items["daily_volume"].iloc[i]),
            cases=int(item_cases[i]),
            window_service=ws_fit,
            window_pooled=pooled,
            incomplete_prob=round(inc, 4),
            visits=visits,
            return_delay=rd_fit,
            weekday_factors=demand.item_factors.get(iid),
        )
        if kind == "commitment":
            for st in steps.get(i, []):
                if st.lumped:
                    codes = [activities.index(x) for x in st.lumped]
                    sel = is_route & (icode == i) & np.isin(act_codes, codes)
                    dv = np.maximum(delay_days_work[sel], 0.0)
                    ok = np.isfinite(dv)
                    if not ok.any():
                        continue
                    cases_ = ccase[sel][ok]
                    sums = np.bincount(cases_, weights=dv[ok])[np.unique(cases_)]
                    se = StepEstimate(
                        name=st.activity,
                        kind="delay",
                        department=item_dept[i],
                        probability=st.probability,
                        n_cases=st.n_cases,
                        n_eligible=st.n_eligible,
                        fit=_fit_days(sums, rng),
                        pooled=(
                            f"lumps {len(st.lumped)} steps each in < "
                            f"{100 * route_min_share:g}% of the cases: per-case sum of their "
                            "durations"
                        ),
                    )
                    assert se.fit is not None
                    record("item", iid, st.activity, "days", se.fit, se.pooled)
                    ie.route.append(se)
                    assumptions.append(
                        f"item {iid}: {len(st.lumped)} route steps seen in fewer than "
                        f"{100 * route_min_share:g}% of the finished cases are lumped into one "
                        f"delay {st.activity!r} (in {100 * st.probability:.1f}% of the cases; "
                        "duration = per-case sum of their durations, in working days): "
                        + ", ".join(st.lumped[:8])
                        + (", ..." if len(st.lumped) > 8 else "")
                    )
                    continue
                a = activities.index(st.activity)
                akind = str(kind_arr[a])
                sel = is_route & (icode == i) & (act_codes == a)
                sdept = int(np.bincount(ev_dept[sel]).argmax()) if sel.any() else dk
                se = StepEstimate(
                    name=st.activity,
                    kind=akind,
                    department=dept_ids[sdept],
                    probability=st.probability,
                    n_cases=st.n_cases,
                    n_eligible=st.n_eligible,
                )
                if akind == "session":
                    se.kind = session_map.get((sdept, a), "signoff")
                    if (se.kind == "signoff" and departments[dept_ids[sdept]].signoff is None) or (
                        se.kind == "meeting" and departments[dept_ids[sdept]].meeting is None
                    ):
                        continue
                elif akind == "work":
                    pools = pool_code[sel]
                    pc = int(np.bincount(pools[pools >= 0]).argmax()) if (pools >= 0).any() else -1
                    found = [(p, d2) for (d2, p), c in pool_keys.items() if c == pc]
                    if not found:
                        continue
                    se.pool, pdk = found[0]
                    sdept = pdk
                    se.department = dept_ids[pdk]
                    vals = dur_work[sel]
                    vals = vals[np.isfinite(vals)]
                    if len(vals) >= min_cases:
                        se.fit = fit_duration(vals, rng=rng)
                        record("item", iid, st.activity, "min", se.fit, "")
                    else:
                        key = (sdept, a)
                        if key not in step_dept_fits:
                            dsel = is_work & (ev_dept == sdept) & (act_codes == a)
                            dv = dur_work[dsel]
                            dv = dv[np.isfinite(dv)]
                            if len(dv) < min_cases:
                                dsel = is_work & (pool_code == pc)
                                dv = dur_work[dsel]
                                dv = dv[np.isfinite(dv)]
                            step_dept_fits[key] = fit_duration(dv, rng=rng) if len(dv) else None
                            sfit = step_dept_fits[key]
                            if sfit is not None:
                                name_ = f"{dept_ids[sdept]} {st.activity}"
                                record("department", "", name_, "min", sfit, "")
                        se.fit = step_dept_fits[key]
                        se.pooled = (
                            f"pooled: department {dept_ids[sdept]} ({len(vals)} < {min_cases})"
                        )
                    if se.fit is None:
                        continue
                else:  # delay, in working days
                    vals = delay_days_work[sel]
                    vals = vals[np.isfinite(vals)]
                    vals = np.maximum(vals, 0.0)
                    if len(vals) == 0:
                        continue
                    se.fit = _fit_days(vals, rng)
                    record("item", iid, st.activity, "days", se.fit, "")
                ie.route.append(se)
                if st.repeats:
                    assumptions.append(
                        f"item {iid}: step {st.activity!r} occurs more than once in "
                        f"{st.repeats} case(s); the route has it once"
                    )
        elif steps.get(i):
            notes.append(
                f"item {iid} is on-site in the catalogue; its {len(steps[i])} post-window "
                "activities are ignored"
            )
        item_estimates.append(ie)

    # ----------------------------------------------------------------- run settings
    span_days = (last_end - np.where(np.isfinite(acc_k), acc_k, ticket_k)) / MINUTES_PER_DAY
    span_days = span_days[np.isfinite(span_days)]
    p99 = float(np.quantile(span_days, 0.99)) if len(span_days) else 30.0
    drain = int(min(max(30, math.ceil(1.5 * p99)), 730))
    assumptions.extend(
        [
            "evening policy: applicants waiting at closing time are served (overtime)",
            "sessions on a holiday move to the next working day",
            "every step counts toward the committed time limit (counts = true)",
            "steps that ran side by side in the log (parallel branches) are calibrated as a "
            "sequence",
            "pools work during the hall's opening hours",
            "files of a department with courier transfers are handled outside the hall "
            '(back_office = "outside"; all its pools outside)',
        ]
    )
    fits = pd.DataFrame(
        fit_rows,
        columns=[
            "scope",
            "item_id",
            "step",
            "unit",
            "n",
            "dist",
            "params",
            "mean",
            "sd",
            "fitted_mean",
            "p90",
            "fitted_p90",
            "zero_share",
            "aic",
            "ks_p",
            "criterion",
            "pooled",
        ],
    )
    dropped_df = pd.DataFrame(dropped, columns=["check", "events", "cases", "action", "detail"])
    notes.append(f"{n_in} events read, {n_events} used ({n_cases} cases)")
    return Calibration(
        source=source,
        since=since_d,
        until=until_d,
        holidays=holidays,
        hours=hours,
        demand=demand,
        departments=[departments[d] for d in dept_ids],
        items=item_estimates,
        classification=table,
        fits=fits,
        dropped=dropped_df,
        assumptions=list(dict.fromkeys(assumptions)),
        notes=notes,
        durations_estimated=durations_estimated,
        low_precision=low_precision,
        run_days=n_period,
        drain_days=drain,
        n_events=n_events,
        n_cases=n_cases,
        seed=seed,
        min_cases=min_cases,
        calendar_spec=spec,
    )


OWN_DAY_MIN_TICKETS = 5
"""Mean tickets per working day above which a working day without tickets is a closure."""


def _own_days(
    calendar: WorkCalendar, ticket: np.ndarray, n_period: int, low_precision: bool
) -> tuple[tuple[date, ...], tuple[date, ...]]:
    """The hall's own closures and extra working days, seen from ticket dates.

    A working day of the holiday table without a single ticket, in a log with at least
    :data:`OWN_DAY_MIN_TICKETS` tickets per working day on average, is a closure; a
    non-working day with at least that many tickets is an extra working day.
    """
    n = min(n_period, calendar.n_days)
    day = np.floor(ticket[np.isfinite(ticket)] / MINUTES_PER_DAY).astype(np.int64)
    day = day[(day >= 0) & (day < n)]
    counts = np.bincount(day, minlength=n)
    working = calendar.working[:n]
    if working.sum() == 0 or counts[working].mean() < OWN_DAY_MIN_TICKETS:
        return (), ()
    seen = np.flatnonzero(counts > 0)
    if len(seen) == 0:
        return (), ()
    first, last = int(seen[0]), int(seen[-1])
    idx = np.arange(n)
    inside = (idx >= first) & (idx <= last)
    closed = np.flatnonzero(working & inside & (counts == 0))
    extra = np.flatnonzero(~working & inside & (counts >= OWN_DAY_MIN_TICKETS))
    if low_precision:
        extra = extra[:0]
    return (
        tuple(calendar.date_of(int(d)) for d in closed),
        tuple(calendar.date_of(int(d)) for d in extra),
    )


def _fit_days(vals: np.ndarray, rng: np.random.Generator) -> FitResult:
    """Fit a delay in working days: whole-day samples as whole days, else continuous.

    The whole-day choice must pass the same mean check as :func:`fit_duration` (within
    ``MEAN_TOL`` of the sample mean); otherwise (rounding, trimmed tails) the continuous
    choice is used.
    """
    whole = np.abs(vals - np.round(vals)) <= 0.02
    if whole.mean() >= 0.9:
        fr = fit_whole_days(np.round(vals))
        mean = float(np.mean(vals))
        if abs(fr.dist.mean - mean) <= MEAN_TOL * mean or mean <= 0:
            return fr
    return fit_duration(vals, rng=rng, with_uniform=True)


def _params_text(dist: Distribution) -> str:
    params = dist.params()
    parts = []
    for k, v in params.items():
        if isinstance(v, list):
            parts.append(f"{k}=[{len(v)} values]")
        else:
            parts.append(f"{k}={v:.4g}")
    return ", ".join(parts)
