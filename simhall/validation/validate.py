"""Validation: does a scenario reproduce a hall's case log? (``simhall validate``)

A weather service checks its model by re-running last season and laying the forecast next to
what the stations recorded, temperature by temperature, before anyone trusts next week's
forecast. Validation does the same for a hall: it simulates the scenario over the period the
log covers and compares, per item and for the whole hall, what the planner cares about:

* working-day durations of cases (mean, P50, P90 and the 1-Wasserstein distance between
  the observed and the simulated distributions of per-case working days);
* the on-site completion rate (现场办结率, cases completed on their acceptance day);
* window waits (ticket to call), where the log has ``ready`` and ``start``;
* weekly case counts and the hourly profile of ticket times.

Each comparison passes or fails against a stated tolerance (:data:`DEFAULT_TOLERANCES`,
overridable by a small TOML file, see :class:`Tolerances`).

The steps live in one module each: :mod:`~simhall.validation.tolerances`,
:mod:`~simhall.validation.cases` (case tables, closure), :mod:`~simhall.validation.scoring`
(comparison rows), :mod:`~simhall.validation.result` (report and files),
:mod:`~simhall.validation.figures` and :mod:`~simhall.validation.holdout`.

Definitions, the same on both sides (the simulated log is summarised by the very function
that summarises the observed one, :func:`case_table`):

* a case starts at its earliest timestamp (its first ticket) and its week and hour are those
  of that time; only timestamp columns the observed log has are used on the simulated side;
  counts, waits and tickets are those of accepted cases (a case export may omit visits that
  never led to acceptance), on both sides;
* its duration is the number of working days after its acceptance day up to and including
  the day of its last event (:meth:`simhall.calendar.WorkCalendar.working_days_between`,
  with the scenario's calendar); 0 = completed on the acceptance day;
* censoring: the observation ends at the log's last timestamp; the simulation stops at the
  same moment (no drain beyond it). Cases open at that moment are left out of the duration
  metrics on both sides: simulated cases that had not completed, and observed cases that are
  open by the log's own status (``closed=``) or, without one, by the rules of
  :mod:`~simhall.validation.closure` (``closed_rule``: terminal step, idle time or both).
  The report states which rule decided how many cases, and how many were left out on each
  side.

:func:`~simhall.validation.holdout.holdout` calibrates on an earlier period with
:func:`simhall.calibration.calibrate`, simulates the later one and scores it, next to the naive
forecast "the test period looks like the training period".
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Collection, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from simhall.calendar import WorkCalendar
from simhall.logs.schema import ACCEPT, ACTIVITY_NAMES, CORRECTION
from simhall.scenario.schema import Scenario
from simhall.validation.cases import case_table, check_events, event_times
from simhall.validation.closure import ClosedRule, ClosedSpec, Closure
from simhall.validation.closure_rules import closed_status
from simhall.validation.result import ValidationResult
from simhall.validation.scoring import (
    duration_rows,
    hour_shares,
    profile_row,
    ticket_times,
    wait_rows,
    window_waits,
)
from simhall.validation.tolerances import Tolerances, as_tolerances

__all__ = ["SIM_WINDOWS", "validate"]

SIM_WINDOWS = frozenset({ACCEPT, CORRECTION})
"""Window activities of simulated logs (waits and tickets)."""


def validate(
    events: pd.DataFrame,
    scenario: Scenario | str | os.PathLike[str],
    *,
    items: pd.DataFrame | None = None,
    reps: int = 3,
    seed: int = 0,
    tolerances: Tolerances | Mapping[str, Any] | str | os.PathLike[str] | None = None,
    accept_activity: str = "accept",
    window_activities: Collection[str] | None = None,
    closed: ClosedSpec = None,
    closed_rule: ClosedRule | str = "both",
    start: date | None = None,
    end: date | None = None,
    observed_until: pd.Timestamp | date | None = None,
    warmup_days: int = 0,
    tail_days: int = 0,
    workers: int = 1,
    log_label: str = "<events>",
    executor: Executor | None = None,
) -> ValidationResult:
    """Simulate a scenario over a log's period and compare it with the log.

    Parameters
    ----------
    events : pandas.DataFrame
        Observed event log (case-log schema; ``case_id, item_id, activity, end`` required).
    scenario : Scenario or path
        The scenario to validate.
    items : pandas.DataFrame, optional
        Items catalogue (``item_id, department``...); default the scenario's items.
    reps : int, default 3
        Replications (3 or more give the between-replication allowance a sound footing).
    seed : int, default 0
        Master seed.
    tolerances : Tolerances, mapping, path or None
        Overrides of :data:`DEFAULT_TOLERANCES` (a TOML file path or its mapping).
    accept_activity : str, default "accept"
        The observed log's acceptance activity (simulated logs use ``accept``).
    window_activities : collection of str, optional
        Observed window activities (waits, tickets); default ``accept_activity`` and the
        names of a return for correction (``return_for_correction``, 补正, ...:
        :data:`~simhall.logs.schema.ACTIVITY_NAMES`).
    closed : Closure, Series, mapping, collection or None
        Which observed cases were closed at the end of the log (a :class:`Closure`, a bool
        per case id from a status, or the set of closed ids); default inferred with
        ``closed_rule``.
    closed_rule : ClosedRule or {"both", "terminal", "idle"}, default "both"
        The inference rule when ``closed`` is None
        (:func:`~simhall.validation.closure.infer_closure`; committed limits from the
        items catalogue).
    start, end : datetime.date, optional
        First and last day on which scored cases start (default: the log's first and last
        case start). Cases starting outside are left out on both sides.
    observed_until : Timestamp or date, optional
        End of observation (default: the log's last timestamp); the simulation stops at
        the end of that day.
    warmup_days : int, default 0
        Days simulated before ``start`` so that the hall is not empty at ``start``.
    tail_days : int, default 0
        Days after ``end`` on which cases keep arriving in the simulation (not scored), so
        that the last scored cases meet a hall as busy as the log's; at most the days from
        ``end`` to the end of observation.
    workers : int, default 1
        Worker processes for replications.
    log_label : str
        Name of the log in reports.
    executor : concurrent.futures.Executor, optional
        Run the replications on this executor (e.g. worker processes started once for
        several validations); the result does not depend on it.

    Returns
    -------
    ValidationResult

    Raises
    ------
    ValueError
        Missing columns, an empty log, no case in the period, bad options.
    """

    check_events(events)
    if len(events) == 0:
        raise ValueError(f"{log_label}: the event log is empty")
    if reps < 1:
        raise ValueError(f"reps = {reps}: expected a whole number >= 1")
    if warmup_days < 0:
        raise ValueError(f"warmup_days = {warmup_days}: expected a whole number >= 0")
    if tail_days < 0:
        raise ValueError(f"tail_days = {tail_days}: expected a whole number >= 0")
    sc = _load(scenario)
    tol = as_tolerances(tolerances)
    cat = _catalogue(sc, items)
    log = _read_log(events, observed_until, log_label)
    notes = _log_notes(log)
    calendar = _calendar(sc, log, start, warmup_days)
    closure = closed_status(
        closed,
        log.events,
        accept_activity,
        rule=closed_rule,
        observed_until=log.observed_until,
        calendar=calendar,
        committed_days=_committed_days(cat),
    )
    obs, start_d, end_d = _observed_cases(
        log, calendar, sc, accept_activity, closure, start, end, notes, log_label
    )
    tail = min(tail_days, (log.observed_until.date() - end_d).days)
    sim_ev, sim = _simulated_cases(
        sc, log, calendar, start_d, end_d, (warmup_days, tail), reps, seed, workers, executor
    )
    notes.append(_censoring_note(obs, sim, reps, log.observed_until))

    days = (end_d - start_d).days + 1
    obs_acc = obs[obs["working_days"].notna()]
    sim_acc = sim[sim["working_days"].notna()]
    rows = _duration_rows(obs_acc, sim_acc, days / 7.0, reps, tol)
    # waits and tickets of accepted cases on both sides (an export may omit the rest)
    ev_in = log.events[log.events["case_id"].isin(set(obs_acc["case_id"]))]
    sim_in = sim_ev[sim_ev["case_id"].isin(set(sim_acc["case_id"]))]
    windows = set(window_activities or (accept_activity, *ACTIVITY_NAMES[CORRECTION]))
    if log.has_ready and log.has_start:
        dept_of = dict(zip(cat["item_id"].astype("str"), cat["department"].astype("str")))
        rows += _wait_rows(ev_in, sim_in, windows, dept_of, sc, reps, tol)
    ot = ticket_times(ev_in, windows)
    st = ticket_times(sim_in, SIM_WINDOWS)
    rows.append(profile_row(ot, st, tol))
    hourly = _hourly(ot, st)
    if len(ot) == 0:
        notes.append("no ticket time with a time of day: the hourly profile is not compared")
    weekly = _weekly(obs_acc, sim_acc, start_d, end_d, reps)
    settings = {
        "scenario": sc.name,
        "log": log_label,
        "start": start_d,
        "end": end_d,
        "observed_until": log.observed_until,
        "reps": reps,
        "seed": seed,
        "warmup_days": warmup_days,
        "tail_days": tail,
        "accept_activity": accept_activity,
        "sim_days": days,
        "drain_days": (log.observed_until.date() - end_d).days,
    }
    return ValidationResult(
        pd.DataFrame(rows), obs, sim, weekly, hourly, settings, notes, tol, simulated_events=sim_ev
    )


# --------------------------------------------------------------------------- steps
def _load(scenario: Scenario | str | os.PathLike[str]) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    from simhall.scenario import load_scenario

    return load_scenario(scenario)


def _committed_days(catalogue: pd.DataFrame) -> dict[str, float]:
    """Committed limit (working days) per item, where the catalogue gives a positive one."""
    if "committed_days" not in catalogue.columns:
        return {}
    days = pd.to_numeric(catalogue["committed_days"], errors="coerce")
    keep = days > 0
    return dict(zip(catalogue.loc[keep, "item_id"].astype("str"), days[keep].astype(float)))


def _catalogue(scenario: Scenario, items: pd.DataFrame | None) -> pd.DataFrame:
    if items is not None:
        for c in ("item_id", "department"):
            if c not in items.columns:
                raise ValueError(f"items catalogue lacks column {c!r}")
        return items.assign(item_id=items["item_id"].astype("str"))
    from simhall.synth import items_catalogue

    return items_catalogue(scenario)


@dataclass(frozen=True)
class _Log:
    """The observed log with string ids and what its timestamps cover."""

    events: pd.DataFrame
    end_times: pd.Series
    first_time: pd.Timestamp
    last_end: pd.Timestamp
    observed_until: pd.Timestamp
    has_ready: bool
    has_start: bool


def _read_log(
    events: pd.DataFrame, observed_until: pd.Timestamp | date | None, log_label: str
) -> _Log:
    ev = events.copy()
    ev["case_id"] = ev["case_id"].astype("str")
    ev["item_id"] = ev["item_id"].astype("str")
    end_t = event_times(ev, "end")
    if end_t.isna().all():
        raise ValueError(f"{log_label}: no event has an end time")
    t_last = pd.Timestamp(end_t.max())
    present = [event_times(ev, c) for c in ("ready", "start", "end")]
    t_min = min(pd.Timestamp(t.min()) for t in present if t.notna().any())
    until = pd.Timestamp(observed_until) if observed_until is not None else t_last
    return _Log(
        ev,
        end_t,
        t_min,
        t_last,
        until,
        bool(event_times(ev, "ready").notna().any()),
        bool(event_times(ev, "start").notna().any()),
    )


def _log_notes(log: _Log) -> list[str]:
    """Notes on what the log lacks: start or ready times, times of day."""
    notes: list[str] = []
    if not log.has_start:
        notes.append(
            "the log has no start times: window waits are not compared; case starts are the "
            "earliest completion (or ready) time"
        )
    elif not log.has_ready:
        notes.append("the log has no ready (ticket) times: window waits are not compared")
    end_t = log.end_times
    midnight = float((end_t.notna() & (end_t == end_t.dt.normalize())).mean())
    if midnight > 0.05:
        notes.append(
            f"{midnight:.0%} of end times carry no time of day: they count on their day; the "
            "hourly profile and the waits use only timestamps with a time of day"
        )
    return notes


def _calendar(sc: Scenario, log: _Log, start: date | None, warmup_days: int) -> WorkCalendar:
    """A working-day calendar covering the whole log and the simulation."""
    t_min = log.first_time
    cal_start = min(t_min.date(), start or t_min.date()) - timedelta(days=warmup_days + 1)
    cal_end = max(log.observed_until.date(), log.last_end.date()) + timedelta(days=2)
    spec = dataclasses.replace(sc.calendar, start=cal_start)
    return WorkCalendar(spec, (cal_end - cal_start).days + 1)


def _observed_cases(
    log: _Log,
    calendar: WorkCalendar,
    sc: Scenario,
    accept_activity: str,
    closure: Closure,
    start: date | None,
    end: date | None,
    notes: list[str],
    log_label: str,
) -> tuple[pd.DataFrame, date, date]:
    """Observed cases of the scenario's items starting in the period, with ``closed`` and
    ``scored``; the period's first and last start day. Appends notes on what is left out."""
    obs = case_table(log.events, calendar, accept_activity=accept_activity)
    unknown = ~obs["item_id"].isin([i.id for i in sc.items])
    if unknown.any():
        names = sorted(obs.loc[unknown, "item_id"].unique())
        notes.append(
            f"{int(unknown.sum())} observed case(s) of {len(names)} item(s) not in the "
            f"scenario left out: {', '.join(names[:10])}" + (" ..." if len(names) > 10 else "")
        )
        obs = obs[~unknown]
    if obs.empty:
        raise ValueError(f"{log_label}: no case of an item in the scenario")
    start_d = start or obs["first"].min().date()
    end_d = end or obs["first"].max().date()
    if end_d < start_d:
        raise ValueError(f"end ({end_d}) is before start ({start_d})")
    first_day = obs["first"].dt.normalize()
    in_period = (first_day >= pd.Timestamp(start_d)) & (first_day <= pd.Timestamp(end_d))
    if (~in_period).any():
        notes.append(
            f"{int((~in_period).sum())} observed case(s) starting outside {start_d} .. {end_d} "
            "left out"
        )
    obs = obs[in_period].reset_index(drop=True)
    if obs.empty:
        raise ValueError(f"{log_label}: no case starts between {start_d} and {end_d}")
    if log.observed_until.date() < end_d:
        raise ValueError(
            f"observed_until ({log.observed_until.date()}) is before the last start ({end_d})"
        )
    obs["closed"] = obs["case_id"].map(closure.closed).fillna(False).astype(bool)
    decided = closure.cases.set_index("case_id")["decided_by"]
    obs["closed_by"] = obs["case_id"].map(decided).fillna("no event").astype("str")
    obs["scored"] = obs["closed"] & obs["working_days"].notna()
    notes.append(closure.note(obs["case_id"]))
    return obs, start_d, end_d


def _simulated_cases(
    sc: Scenario,
    log: _Log,
    calendar: WorkCalendar,
    start_d: date,
    end_d: date,
    warmup_tail: tuple[int, int],
    reps: int,
    seed: int,
    workers: int,
    executor: Executor | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate the same period (with the warm-up days before it and the tail days of
    arrivals after it), cut at the same moment; the simulated events (case ids
    ``r<replication>:<id>``, only the timestamp columns the log has) and their case table."""
    from simhall.experiment import run

    warmup_days, tail_days = warmup_tail
    days = (end_d - start_d).days + 1
    res = run(
        sc,
        start=start_d - timedelta(days=warmup_days),
        days=days + warmup_days + tail_days,
        warmup_days=warmup_days,
        drain_days=(log.observed_until.date() - end_d).days - tail_days,
        reps=reps,
        seed=seed,
        workers=workers,
        executor=executor,
        show_progress=False,
    )
    sim_ev = res.events.copy()
    sim_ev["case_id"] = (
        "r" + sim_ev["replication"].astype("str") + ":" + sim_ev["case_id"].astype("str")
    )
    for c, has in (("ready", log.has_ready), ("start", log.has_start)):
        if not has:
            sim_ev[c] = pd.Series(pd.NaT, index=sim_ev.index, dtype="datetime64[ns]")
    sim = case_table(sim_ev, calendar, accept_activity=ACCEPT)
    rep_of = sim_ev.drop_duplicates("case_id").set_index("case_id")["replication"]
    sim["replication"] = sim["case_id"].map(rep_of).astype("int64")
    key = "r" + res.cases["replication"].astype("str") + ":" + res.cases["case_id"].astype("str")
    status = pd.Series(res.cases["status"].astype("str").to_numpy(), index=key.to_numpy())
    sim["closed"] = sim["case_id"].map(status).eq("completed").to_numpy()
    sday = sim["first"].dt.normalize()
    in_sim = (sday >= pd.Timestamp(start_d)) & (sday <= pd.Timestamp(end_d))
    sim = sim[in_sim].reset_index(drop=True)
    sim["scored"] = sim["closed"] & sim["working_days"].notna()
    return sim_ev, sim


def _censoring_note(obs: pd.DataFrame, sim: pd.DataFrame, reps: int, until: pd.Timestamp) -> str:
    n_open_obs = int((obs["working_days"].notna() & ~obs["closed"]).sum())
    n_open_sim = int((sim["working_days"].notna() & ~sim["closed"]).sum())
    return (
        f"censoring: {n_open_obs} of {int(obs['working_days'].notna().sum())} accepted observed "
        f"case(s) and {n_open_sim} of {int(sim['working_days'].notna().sum())} accepted "
        f"simulated case(s) ({reps} replication(s)) were still open at {until} and are "
        "left out of the duration metrics on both sides"
    )


def _duration_rows(
    obs_acc: pd.DataFrame, sim_acc: pd.DataFrame, n_weeks: float, reps: int, tol: Tolerances
) -> list[dict[str, Any]]:
    """Count and duration rows of the hall and of every observed item."""
    rows = duration_rows("hall", "hall", obs_acc, sim_acc, n_weeks, reps, tol)
    for item_id, o in obs_acc.groupby("item_id", sort=True):
        s = sim_acc[sim_acc["item_id"] == item_id]
        rows += duration_rows("item", str(item_id), o, s, n_weeks, reps, tol)
    return rows


def _wait_rows(
    ev_in: pd.DataFrame,
    sim_in: pd.DataFrame,
    windows: Collection[str],
    dept_of: Mapping[str, str],
    sc: Scenario,
    reps: int,
    tol: Tolerances,
) -> list[dict[str, Any]]:
    """Window-wait rows of the hall and of every observed department."""
    ow = window_waits(ev_in, windows, dept_of)
    sw = window_waits(sim_in, SIM_WINDOWS, {i.id: i.department for i in sc.items})
    rows = wait_rows("hall", "hall", ow["wait_min"].to_numpy(), sw, reps, tol)
    for dept, o in ow.groupby("department", sort=True):
        rows += wait_rows(
            "department",
            str(dept),
            o["wait_min"].to_numpy(),
            sw[sw["department"] == dept],
            reps,
            tol,
        )
    return rows


def _hourly(observed: pd.Series, simulated: pd.Series) -> pd.DataFrame:
    """``hour, observed, simulated`` ticket shares, hours with a ticket on either side."""
    po, ps = hour_shares(observed), hour_shares(simulated)
    hourly = pd.DataFrame({"hour": np.arange(24), "observed": po, "simulated": ps})
    return hourly[(hourly["observed"] > 0) | (hourly["simulated"] > 0)].reset_index(drop=True)


def _weekly(
    obs_acc: pd.DataFrame, sim_acc: pd.DataFrame, start_d: date, end_d: date, reps: int
) -> pd.DataFrame:
    """``week, observed, simulated`` accepted cases per week (simulated: mean of reps)."""
    weeks = pd.period_range(pd.Timestamp(start_d), pd.Timestamp(end_d), freq="W-SUN")
    wk_o = obs_acc["first"].dt.to_period("W-SUN").value_counts()
    wk_s = sim_acc["first"].dt.to_period("W-SUN").value_counts() / reps
    return pd.DataFrame(
        {
            "week": weeks.start_time,
            "observed": wk_o.reindex(weeks, fill_value=0).to_numpy(dtype=np.float64),
            "simulated": wk_s.reindex(weeks, fill_value=0).to_numpy(dtype=np.float64),
        }
    )
