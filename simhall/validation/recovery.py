"""Parameter recovery: does calibration get back the hall that wrote the log?

A scale is checked with a known weight before it weighs anything unknown. Calibration is
checked the same way: simulate a log from a scenario whose parameters are known (the
"truth", e.g. with :func:`simhall.synth.synthesize`), calibrate a scenario from that log
(:func:`simhall.calibration.calibrate`) and compare the two parameter by parameter.
:func:`recovery_table` makes that comparison.

What is compared:

* per department: windows, staff of each back-office pool, sign-off and meeting weekdays
  and clock times, courier departure times and travel minutes;
* per item: mean first visits per working day (``daily_volume`` times the mean Monday-Friday
  weekday factor, the same on both sides, since calibration may split volume and weekday
  pattern differently), the probability that a visit ends without acceptance (补正), the
  mean window service in minutes, and per route step (parallel branches flattened, matched
  by step name) the mean duration (working minutes of work steps, working days of delays)
  and, where either side is below 1, the step's probability.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from simhall.reforms.routes import flatten
from simhall.scenario.schema import (
    WEEKDAY_NAMES,
    DelayStep,
    Department,
    Item,
    Scenario,
    SessionSchedule,
    Step,
    VisitStep,
    WorkStep,
)

__all__ = ["COLUMNS", "recovery_table"]

COLUMNS = ("scope", "id", "parameter", "unit", "truth", "recovered", "rel_error", "match")
"""Columns of :func:`recovery_table`."""

_Row = dict[str, Any]


def _clock(minutes: float) -> str:
    m = int(round(minutes))
    return f"{m // 60:02d}:{m % 60:02d}"


def _weekdays(days: tuple[int, ...]) -> str:
    return ", ".join(WEEKDAY_NAMES[d] for d in sorted(days))


def _times(times: tuple[int, ...]) -> str:
    return ", ".join(_clock(t) for t in sorted(times))


def _num(
    scope: str, id_: str, parameter: str, unit: str, truth: float | None, rec: float | None
) -> _Row:
    t = math.nan if truth is None else float(truth)
    r = math.nan if rec is None else float(rec)
    if math.isfinite(t) and math.isfinite(r):
        err = abs(r - t) / abs(t) if t != 0 else (0.0 if r == 0 else math.inf)
    else:
        err = math.nan
    return {
        "scope": scope,
        "id": id_,
        "parameter": parameter,
        "unit": unit,
        "truth": t,
        "recovered": r,
        "rel_error": err,
        "match": pd.NA,
    }


def _text(
    scope: str, id_: str, parameter: str, unit: str, truth: str | None, rec: str | None
) -> _Row:
    return {
        "scope": scope,
        "id": id_,
        "parameter": parameter,
        "unit": unit,
        "truth": "-" if truth is None else truth,
        "recovered": "-" if rec is None else rec,
        "rel_error": math.nan,
        "match": truth == rec,
    }


def _session_rows(
    dept_id: str, what: str, truth: SessionSchedule | None, rec: SessionSchedule | None
) -> list[_Row]:
    if truth is None and rec is None:
        return []
    return [
        _text(
            "department",
            dept_id,
            f"{what} weekdays",
            "weekdays",
            None if truth is None else _weekdays(truth.weekdays),
            None if rec is None else _weekdays(rec.weekdays),
        ),
        _text(
            "department",
            dept_id,
            f"{what} times",
            "clock",
            None if truth is None else _times(truth.times_min),
            None if rec is None else _times(rec.times_min),
        ),
    ]


def _department_rows(truth: Department, rec: Department | None) -> list[_Row]:
    d = truth.id
    rows = [
        _num("department", d, "windows", "windows", truth.windows, rec.windows if rec else None)
    ]
    truth_pools = {p.name: p.staff for p in truth.pools}
    rec_pools = {p.name: p.staff for p in rec.pools} if rec is not None else {}
    names = list(truth_pools) + [n for n in rec_pools if n not in truth_pools]
    for name in names:
        rows.append(
            _num(
                "department",
                d,
                f"staff: {name}",
                "staff",
                truth_pools.get(name),
                rec_pools.get(name),
            )
        )
    rows += _session_rows(d, "sign-off", truth.signoff, rec.signoff if rec else None)
    rows += _session_rows(d, "meeting", truth.meeting, rec.meeting if rec else None)
    tc = truth.courier
    rc = rec.courier if rec is not None else None
    if tc is not None or rc is not None:
        rows.append(
            _text(
                "department",
                d,
                "courier times",
                "clock",
                None if tc is None else _times(tc.times_min),
                None if rc is None else _times(rc.times_min),
            )
        )
        rows.append(
            _num(
                "department",
                d,
                "courier travel",
                "min",
                None if tc is None else tc.travel_min,
                None if rc is None else rc.travel_min,
            )
        )
    return rows


def _step_mean(step: Step) -> tuple[float | None, str]:
    if isinstance(step, WorkStep):
        return step.duration.mean, "working min"
    if isinstance(step, DelayStep):
        return step.days.mean, "working days"
    if isinstance(step, VisitStep):
        return step.service.mean, "min"
    return None, ""


def _volume(item: Item) -> float:
    """Mean first visits per Monday-Friday working day."""
    factors = item.demand.weekday_factors[:5]
    return item.demand.daily_volume * sum(factors) / len(factors)


def _item_rows(truth: Item, rec: Item | None) -> list[_Row]:
    i = truth.id
    rows = [
        _num(
            "item",
            i,
            "daily volume",
            "per working day",
            _volume(truth),
            _volume(rec) if rec else None,
        ),
        _num(
            "item",
            i,
            "return probability",
            "share",
            truth.incomplete_prob,
            rec.incomplete_prob if rec else None,
        ),
        _num(
            "item",
            i,
            "window service mean",
            "min",
            truth.window_service.mean,
            rec.window_service.mean if rec else None,
        ),
    ]
    t_steps = {s.name: s for s in flatten(truth.route)}
    r_steps = {s.name: s for s in flatten(rec.route)} if rec is not None else {}
    names = list(t_steps) + [n for n in r_steps if n not in t_steps]
    for name in names:
        ts, rs = t_steps.get(name), r_steps.get(name)
        t_mean, t_unit = _step_mean(ts) if ts is not None else (None, "")
        r_mean, r_unit = _step_mean(rs) if rs is not None else (None, "")
        if t_mean is not None or r_mean is not None:
            rows.append(_num("item", i, f"{name} mean", t_unit or r_unit, t_mean, r_mean))
        t_p = ts.probability if ts is not None else None
        r_p = rs.probability if rs is not None else None
        if (t_p is None or t_p < 1.0) or (r_p is None or r_p < 1.0):
            rows.append(_num("item", i, f"{name} probability", "share", t_p or 0.0, r_p or 0.0))
    return rows


def recovery_table(
    truth: Scenario, calibrated: Scenario, *, digits: int | None = None
) -> pd.DataFrame:
    """Parameters of a known scenario next to those calibrated from its simulated log.

    Parameters
    ----------
    truth : Scenario
        The scenario that generated the log.
    calibrated : Scenario
        The scenario calibrated from that log (``Calibration.scenario()``).
    digits : int, optional
        Round ``truth``, ``recovered`` (numeric rows) and ``rel_error`` to this many
        decimals (default: full precision).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`: ``scope`` (``department`` or ``item``), ``id``,
        ``parameter``, ``unit``, ``truth``, ``recovered``, ``rel_error``
        (``|recovered - truth| / |truth|``; NaN for text parameters and for parameters
        missing on one side) and ``match`` (exact agreement of text parameters such as
        weekdays and clock times, ``<NA>`` for numbers). Departments first, then items, in
        the truth's order; a department, item, pool or step present on one side only has
        NaN (numbers) or ``-`` (text) on the other.
    """
    rows: list[_Row] = []
    rec_depts = {d.id: d for d in calibrated.departments}
    for dept in truth.departments:
        rows += _department_rows(dept, rec_depts.get(dept.id))
    rec_items = {i.id: i for i in calibrated.items}
    for item in truth.items:
        rows += _item_rows(item, rec_items.get(item.id))
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["match"] = frame["match"].astype("boolean")
    frame["rel_error"] = frame["rel_error"].astype("float64")
    if digits is not None:
        frame["rel_error"] = frame["rel_error"].round(digits)
        for col in ("truth", "recovered"):
            frame[col] = [
                round(v, digits) if isinstance(v, float) and math.isfinite(v) else v
                for v in frame[col]
            ]
    return frame
