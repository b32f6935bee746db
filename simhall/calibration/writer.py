"""Write a calibration as a commented, readable scenario file.

The calibrated scenario is the planner's starting point, to be read and edited by hand like
a surveyor's sketch that marks every measured distance and every guess: each number carries
a comment with its sample size and how it was found, and the header lists the log, the
period and every assumption. The text loads with :func:`simhall.scenario.load_scenario`.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from simhall.calibration.fit import SELECTION_RULE, FitResult
from simhall.calibration.hours import fmt_clock
from simhall.distributions import Distribution, Lognormal
from simhall.scenario import distribution_to_toml
from simhall.scenario.schema import WEEKDAY_NAMES, Interval

if TYPE_CHECKING:
    from simhall.calibration.result import (
        Calibration,
        DepartmentEstimate,
        ItemEstimate,
        StepEstimate,
    )

__all__ = ["DEFAULT_WINDOW_SERVICE", "render_scenario", "toml_value"]

DEFAULT_WINDOW_SERVICE = Lognormal(15.0, 8.0)
"""Window service written, and marked as assumed, when no window visit was timed."""

_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _key(name: str) -> str:
    return name if name and set(name) <= _BARE else json.dumps(name, ensure_ascii=False)


def toml_value(value: Any) -> str:
    """A Python value as an inline TOML value (tables and arrays on one line).

    Parameters
    ----------
    value : bool, int, float, str, list, tuple or dict
        The value; floats are written with 6 significant digits.

    Returns
    -------
    str
        TOML text.

    Raises
    ------
    ValueError
        For non-finite floats or unsupported types.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write non-finite number {value!r}")
        if value.is_integer() and abs(value) < 1e15:
            return f"{value:.1f}"
        text = f"{value:.6g}"
        return text if any(c in text for c in ".e") else text + ".0"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise ValueError(f"cannot write {type(value).__name__} as TOML")


def _dist(dist: Distribution, unit: str) -> str:
    return toml_value(distribution_to_toml(dist, unit))


def _intervals(opening: tuple[Interval, ...]) -> str:
    return toml_value([[fmt_clock(a), fmt_clock(b)] for a, b in opening])


def _fit_comment(fr: FitResult, unit: str) -> str:
    text = f"n = {fr.n}, mean {fr.mean:.3g} {unit}"
    if math.isfinite(fr.p90):
        text += f", P90 {fr.p90:.3g}"
    if fr.zero_share > 0:
        text += f", {100 * fr.zero_share:.0f}% zeros"
    text += f"; fitted mean {fr.dist.mean:.3g}"
    if math.isfinite(fr.fitted_p90):
        text += f", P90 {fr.fitted_p90:.3g}"
    text += f"; {fr.criterion}"
    if math.isfinite(fr.ks_p):
        text += f", KS p = {fr.ks_p:.2g}"
    return text


def _factors(f: tuple[float, ...]) -> str:
    return toml_value({WEEKDAY_NAMES[i]: round(float(x), 3) for i, x in enumerate(f)})


def _department(de: DepartmentEstimate) -> list[str]:
    out = ["[[departments]]", f"id = {toml_value(de.id)}", f"name = {toml_value(de.id)}"]
    how = f"{de.windows_method}, {de.windows_days} days" if de.windows_days else de.windows_method
    out.append(f"windows = {de.windows}  # {how}")
    if de.courier is not None:
        c = de.courier
        out.append('back_office = "outside"  # files travel by courier')
        courier = {"times": [fmt_clock(t) for t in c.times_min], "travel_min": c.travel_min}
        out.append(
            f"courier = {toml_value(courier)}  # n = {c.n} transfers, "
            f"{100 * c.coverage:.0f}% within +-5 min of these departures; travel = median"
        )
    if de.pools:
        pools = {name: staff for name, (staff, _, _) in de.pools.items()}
        detail = "; ".join(
            f"{name}: {method}, {days} days" for name, (_, days, method) in de.pools.items()
        )
        out.append(f"pools = {toml_value(pools)}  # {detail}")
    for kind, found in (("signoff", de.signoff), ("meeting", de.meeting)):
        if found is None:
            continue
        activity, s = found
        table: dict[str, Any] = {
            "weekdays": [WEEKDAY_NAMES[w] for w in s.weekdays],
            "times": [fmt_clock(t) for t in s.times_min],
            "duration_min": s.duration_min,
        }
        if s.skip_share > 0:
            table["skip_share"] = s.skip_share
        how = f"{100 * s.coverage:.0f}% within +-5 min"
        if s.pattern == "round":
            how = (
                f"rounds: {100 * s.coverage:.0f}% of the first starts within +-5 min, "
                f"{s.per_file_min:g} min per file (median), duration = mean minutes from the "
                f"round's start to a file's end, {100 * s.skip_share:.0f}% of the scheduled "
                "rounds not held"
            )
        out.append(
            f"{kind} = {toml_value(table)}  # from {activity!r}: n = {s.n} on {s.n_dates} "
            f"dates, {how}"
        )
    seen = [f[1] for f in (de.signoff, de.meeting) if f is not None and f[1].on_holiday]
    if seen:
        first = seen[0]
        out.append(
            f"on_holiday = {toml_value(first.on_holiday)}  # {first.holiday_days} round day(s) "
            "of the period fell on holidays: "
            + ("moved" if first.on_holiday != "skip" else "not held")
        )
    else:
        out.append('on_holiday = "next_working_day"  # assumed')
    return out


def _step_table(st: StepEstimate, item_dept: str) -> dict[str, Any]:
    """The scenario table of a calibrated step (without its probability)."""
    step: dict[str, Any] = {"step": st.name, "kind": st.kind}
    if st.department != item_dept:
        step["department"] = st.department
    if st.kind == "work" and st.fit is not None:
        step["pool"] = st.pool
        step["duration"] = distribution_to_toml(st.fit.dist, "min")
    elif st.kind == "delay" and st.fit is not None:
        step["days"] = distribution_to_toml(st.fit.dist, "days")
    elif st.kind == "visit" and st.fit is not None:
        step["service"] = distribution_to_toml(st.fit.dist, "min")
    return step


def _route_step(st: StepEstimate, item_dept: str) -> list[str]:
    """The route lines of a calibrated step: the step, preceded by its wait (a tray, the
    applicant's days before a visit) when it has one; an optional step with a wait is one
    single-branch ``parallel`` step, so that both happen together or not at all."""
    step = _step_table(st, item_dept)
    comment = f"in {st.n_cases} of {st.n_eligible} finished cases"
    if st.fit is not None:
        unit = "working days" if st.kind == "delay" else "working min"
        if st.kind == "visit":
            unit = "min"
        comment += f"; {_fit_comment(st.fit, unit)}"
    if st.pooled:
        comment += f"; {st.pooled}"
    if st.wait is None:
        if st.probability < 1.0:
            step["probability"] = st.probability
        return [f"  {toml_value(step)},  # {comment}"]
    wait = {
        "step": st.wait_name,
        "kind": "delay",
        "days": distribution_to_toml(st.wait.dist, "days"),
    }
    if st.department != item_dept:
        wait["department"] = st.department
    wait_comment = f"{st.wait_reason}; {_fit_comment(st.wait, 'working days')}"
    if st.probability >= 1.0:
        return [f"  {toml_value(wait)},  # {wait_comment}", f"  {toml_value(step)},  # {comment}"]
    branch = {
        "step": f"{st.name}_with_wait",
        "kind": "parallel",
        "probability": st.probability,
        "branches": [[wait, step]],
    }
    return [
        f"  # {st.name} with its wait {st.wait_name} ({wait_comment}): both or neither",
        f"  {toml_value(branch)},  # {comment}",
    ]


def _item(ie: ItemEstimate, working_days: int) -> list[str]:
    out = [
        "[[items]]",
        f"id = {toml_value(ie.id)}",
        f"name = {toml_value(ie.name)}",
        f"department = {toml_value(ie.department)}",
        f"kind = {toml_value(ie.kind)}  # catalogue",
    ]
    if ie.committed_days is not None:
        out.append(f"committed_days = {ie.committed_days}  # catalogue")
    if ie.statutory_days is not None:
        out.append(f"statutory_days = {ie.statutory_days}  # catalogue")
    out.append(
        f"daily_demand = {toml_value(round(ie.daily_demand, 4))}  # {ie.cases} first visits / "
        f"{working_days} working days"
    )
    if ie.weekday_factors is not None:
        out.append(
            f"weekday_factors = {_factors(ie.weekday_factors)}  # differs from the hall's "
            "(chi-square p < 0.001)"
        )
    if ie.window_service is not None:
        comment = _fit_comment(ie.window_service, "min")
        if ie.window_pooled:
            comment += f"; {ie.window_pooled}"
        out.append(f"window_service = {_dist(ie.window_service.dist, 'min')}  # {comment}")
    else:
        out.append(
            f"window_service = {_dist(DEFAULT_WINDOW_SERVICE, 'min')}  # NOT estimated "
            "(no timed window visits): assumed"
        )
    out.append(
        f"incomplete_prob = {toml_value(ie.incomplete_prob)}  # share of {ie.visits} window "
        "visits that did not end in acceptance"
    )
    if ie.return_delay is not None:
        out.append(
            f"return_delay = {_dist(ie.return_delay.dist, 'days')}  # "
            f"{_fit_comment(ie.return_delay, 'working days')}"
        )
    if ie.kind == "commitment":
        if not ie.route:
            out.append("route = []  # no steps after acceptance found in the log")
        else:
            out.append("route = [")
            for st in ie.route:
                out += _route_step(st, ie.department)
            out.append("]")
    return out


def render_scenario(cal: Calibration) -> str:
    """The scenario TOML text of a calibration.

    Parameters
    ----------
    cal : Calibration
        The calibration.

    Returns
    -------
    str
        Commented TOML: header (source, period, assumptions), ``[scenario]``,
        ``[calendar]``, ``[run]``, ``[demand]``, ``[[departments]]`` and ``[[items]]``.
    """
    lines = [
        "# Calibrated by `simhall calibrate` -- a starting point, edit by hand.",
        f"# Source log: {cal.source}",
        f"# Period: cases with a first visit from {cal.since} to {cal.until} "
        f"({cal.n_cases} cases, {cal.n_events} events, {cal.demand.working_days} working days).",
    ]
    if cal.durations_estimated:
        lines.append("# Durations are ESTIMATED from completion times only and include waiting.")
    if cal.low_precision:
        lines.append("# Timestamps carry no time of day: estimates are day-level only.")
    lines.append(f"# Distributions: {SELECTION_RULE}.")
    lines.append("# Assumptions:")
    for a in cal.assumptions:
        lines.append(f"#   - {a}")
    if len(cal.dropped):
        lines.append("# Data not used (see the calibration report for details):")
        for r in cal.dropped.itertuples(index=False):
            lines.append(f"#   - {r.check}: {r.events} events, {r.cases} cases, {r.action}")
    lines.append("")
    lines += [
        "[scenario]",
        f"name = {toml_value('Calibrated from ' + cal.source)}",
        f"description = {toml_value(f'Calibrated from a case log, {cal.since} to {cal.until}')}",
        "synthetic = false",
        "",
        "[calendar]",
        f"start = {cal.since.isoformat()}",
        f"holidays = {toml_value(cal.holidays)}",
    ]
    h = cal.hours
    how = f"from {h.n} ticket times" if h.estimated else "NOT estimated (assumed)"
    cs = cal.calendar_spec
    if cs is not None and cs.extra_holidays:
        days = ", ".join(d.isoformat() for d in cs.extra_holidays)
        lines.append(f"extra_holidays = [{days}]  # working days without a single ticket")
    if cs is not None and cs.extra_workdays:
        days = ", ".join(d.isoformat() for d in cs.extra_workdays)
        lines.append(f"extra_workdays = [{days}]  # non-working days with tickets")
    lines.append(f"opening = {_intervals(h.opening)}  # {how}")
    if h.by_weekday:
        table = ", ".join(
            f"{WEEKDAY_NAMES[wd]} = {_intervals(iv)}" for wd, iv in sorted(h.by_weekday.items())
        )
        lines.append(f"opening_by_weekday = {{ {table} }}")
    lines += [
        'evening = "overtime"  # assumed',
        "",
        "[run]",
        f"days = {cal.run_days}  # the calibration period",
        "warmup_days = 0",
        f"drain_days = {cal.drain_days}  # 1.5 x the 99th percentile of case spans (>= 30)",
        "replications = 5",
        f"seed = {cal.seed}",
        "",
        "[demand]",
        f"weekday_factors = {_factors(cal.demand.weekday_factors)}  # {cal.n_cases} first visits",
        "intraday = "
        + toml_value({fmt_clock(a): w for a, w in cal.demand.intraday})
        + "  # tickets per open minute, mean 1",
    ]
    if cal.demand.day_cv > 0:
        lines.append(
            f"day_cv = {toml_value(cal.demand.day_cv)}  # day-to-day dispersion of the hall's "
            f"first visits beyond Poisson ({cal.demand.day_cv_note})"
        )
    lines += [
        "",
    ]
    for de in cal.departments:
        lines += _department(de)
        lines.append("")
    for ie in cal.items:
        lines += _item(ie, cal.demand.working_days)
        lines.append("")
    return "\n".join(lines)
