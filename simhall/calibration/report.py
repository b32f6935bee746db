"""The calibration report: every estimate with its sample size, every assumption, every
dropped row.

The report is the calibration's lab notebook. A planner who opens the scenario file and
wonders "why 4 windows?" or "where does Tuesday 16:00 come from?" finds the answer here:
which activities were taken for what and why, how many observations stand behind each
number, which distribution won and by which criterion, and which data were left out. Case
ids never appear (nor resource names); figures are optional PNGs
(:mod:`simhall.reporting.figures`: bare figures, no pyplot).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from simhall.calibration.fit import SELECTION_RULE
from simhall.calibration.hours import fmt_clock
from simhall.reporting.figures import COLOURS, new_figure, save_png
from simhall.reporting.labels import Lang, phrase
from simhall.reporting.markdown import markdown_table
from simhall.scenario.schema import WEEKDAY_NAMES

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from simhall.calibration.result import Calibration
    from simhall.calibration.sessions import CourierEstimate

__all__ = ["demand_figure", "render_report", "write_figures"]


def _report_cell(v: object) -> str:
    if isinstance(v, float):
        return "" if math.isnan(v) else f"{v:.4g}"
    return str(v).replace("|", "\\|").replace("\n", " ")


def _md_table(frame: pd.DataFrame) -> str:
    if len(frame) == 0:
        return "_(none)_\n"
    return markdown_table(frame, _report_cell) + "\n"


def render_report(cal: Calibration) -> str:
    """Markdown report of a calibration.

    Parameters
    ----------
    cal : Calibration
        The calibration.

    Returns
    -------
    str
        Sections: period and data, caveats, assumptions, dropped data, hours, demand,
        activity classification, departments (windows, pools, sessions, couriers), routes
        and fitted distributions.
    """
    out = [
        "# Calibration report",
        "",
        f"- Source log: `{cal.source}`",
        f"- Period (first visits): {cal.since} to {cal.until} "
        f"({cal.demand.working_days} working days, holidays: {cal.holidays})",
        f"- Used: {cal.n_events} events of {cal.n_cases} cases",
        "",
    ]
    caveats = []
    if cal.durations_estimated:
        caveats.append(
            "The log has completion times only: durations are **estimated** as the time since "
            "the previous completion in the case and **include waiting**."
        )
    if cal.low_precision:
        caveats.append(
            "Most timestamps carry no time of day (**low precision**): only day-level estimates "
            "(working days) are meaningful; hours and intraday profile are assumed."
        )
    if caveats:
        out += ["## Caveats", "", *[f"- {c}" for c in caveats], ""]
    if cal.fit_check is not None:
        out += [cal.fit_check.markdown()]
    out += ["## Assumptions", "", *[f"- {a}" for a in cal.assumptions], ""]
    out += ["## Dropped and flagged data", "", _md_table(cal.dropped)]
    out += ["## How the estimates were made", "", *[f"- {n}" for n in cal.notes], ""]
    h = cal.hours
    out += [
        "## Opening hours",
        "",
        "Opening: "
        + ", ".join(f"{fmt_clock(a)}-{fmt_clock(b)}" for a, b in h.opening)
        + f" (n = {h.n} ticket times)",
        "",
        *[f"- {n}" for n in h.notes],
        "",
    ]
    spec = cal.calendar_spec
    if spec is not None and (spec.extra_holidays or spec.extra_workdays):
        out.append(
            f"Hall closures: {', '.join(d.isoformat() for d in spec.extra_holidays) or '-'}; "
            f"extra working days: {', '.join(d.isoformat() for d in spec.extra_workdays) or '-'}"
        )
        out.append("")
    d = cal.demand
    out += [
        "## Demand",
        "",
        "Weekday factors (hall): "
        + ", ".join(f"{WEEKDAY_NAMES[i]} {x:.3f}" for i, x in enumerate(d.weekday_factors)),
        "",
        "Intraday profile (bin start: weight): "
        + ", ".join(f"{fmt_clock(a)}: {w:.2f}" for a, w in d.intraday),
        "",
        _md_table(d.items),
    ]
    out += [
        "## Activity classification",
        "",
        _md_table(
            cal.classification.assign(
                clock_times=[
                    ", ".join(fmt_clock(t) for t in ts) for ts in cal.classification["clock_times"]
                ],
            )
        ),
    ]
    rows = []
    for de in cal.departments:
        rows.append(
            {
                "department": de.id,
                "what": "windows",
                "value": de.windows,
                "n": de.windows_days,
                "how": de.windows_method,
            }
        )
        for name, (staff, days, method) in de.pools.items():
            rows.append(
                {
                    "department": de.id,
                    "what": f"pool {name}",
                    "value": staff,
                    "n": days,
                    "how": method,
                }
            )
        if de.courier is not None:
            c = de.courier
            rows.append(
                {
                    "department": de.id,
                    "what": "courier",
                    "value": _courier_times(c) + f"; travel {c.travel_min:g} min",
                    "n": c.n,
                    "how": f"{100 * c.coverage:.0f}% of departures within +-5 min",
                }
            )
        for kind, found in (("signoff", de.signoff), ("meeting", de.meeting)):
            if found is None:
                continue
            act, s = found
            rows.append(
                {
                    "department": de.id,
                    "what": f"{kind} ({act})",
                    "value": "/".join(WEEKDAY_NAMES[w] for w in s.weekdays)
                    + " "
                    + ", ".join(fmt_clock(t) for t in s.times_min)
                    + f"; {s.duration_min:g} min",
                    "n": s.n,
                    "how": f"{100 * s.coverage:.0f}% within +-5 min; {s.n_dates} dates; share of "
                    "weekdays with a session: "
                    + ", ".join(
                        f"{WEEKDAY_NAMES[i]} {x:.2f}" for i, x in enumerate(s.weekday_share)
                    ),
                }
            )
    out += [
        "## Departments: staffing, sessions, couriers",
        "",
        "Staff counts: the maximum over working days of the number of distinct resources "
        "active that day (or, without resources, the most overlapping intervals).",
        "",
        _md_table(pd.DataFrame(rows)),
    ]
    rrows = []
    for ie in cal.items:
        rrows.append(
            {
                "item": ie.id,
                "step": "(window)",
                "kind": "window",
                "probability": 1.0,
                "n": ie.visits,
                "detail": f"incomplete_prob {ie.incomplete_prob:.3f}",
            }
        )
        for st in ie.route:
            rrows.append(
                {
                    "item": ie.id,
                    "step": st.name,
                    "kind": st.kind,
                    "probability": st.probability,
                    "n": st.n_eligible,
                    "detail": (f"pool {st.pool}" if st.pool else "")
                    + (f"; {st.pooled}" if st.pooled else ""),
                }
            )
    out += [
        "## Routes",
        "",
        "Probability = share of accepted cases (accepted early enough to have finished) "
        "with the step; n = those cases.",
        "",
        _md_table(pd.DataFrame(rrows)),
    ]
    out += [
        "## Fitted distributions",
        "",
        "Candidates lognormal, gamma, Weibull, exponential (plus uniform for delays in days), "
        "fitted by maximum likelihood and ranked by AIC = 2k - 2 log L. Choice: "
        f"{SELECTION_RULE}. An empirical distribution keeps the sample (or the means of 101 "
        "equal-count groups of it, which keeps the sample mean). Whole-day return delays: "
        "uniform_int unless a chi-square test rejects equal "
        "frequencies (then empirical). Steps of items with fewer than "
        f"{cal.min_cases} observations use their department's pooled data.",
        "",
        _md_table(cal.fits),
    ]
    return "\n".join(out)


def demand_figure(cal: Calibration, *, lang: Lang | None = None) -> Figure:
    """The calibrated demand: intraday ticket profile (weights) and weekday factors."""
    fig = new_figure((10, 3.5))
    axes = fig.subplots(1, 2)
    a = [x for x, _ in cal.demand.intraday]
    w = [y for _, y in cal.demand.intraday]
    axes[0].bar([fmt_clock(x) for x in a], w, color=COLOURS["bar"])
    axes[0].set_title(phrase("intraday_title", lang))
    axes[0].tick_params(axis="x", rotation=60, labelsize=8)
    axes[1].bar(list(WEEKDAY_NAMES), cal.demand.weekday_factors, color=COLOURS["bar"])
    axes[1].set_title(phrase("weekday_title", lang))
    return fig


def write_figures(cal: Calibration, report_path: Path, *, lang: Lang | None = None) -> list[str]:
    """Write PNG figures next to the report (intraday profile, weekday factors).

    Parameters
    ----------
    cal : Calibration
        The calibration.
    report_path : Path
        The report file; figures go to its folder.
    lang : {"zh", "en", "both"}, optional
        Label language (default: the current one, set by ``--lang``).

    Returns
    -------
    list of str
        File names written.
    """
    name = f"{report_path.stem}_demand.png"
    save_png(demand_figure(cal, lang=lang), report_path.parent / name)
    return [name]


def _courier_times(c: CourierEstimate) -> str:
    """``"15:00"``, or ``"15:00 out, 09:30 back"`` for a courier with return departures."""
    out = ", ".join(fmt_clock(t) for t in c.times_min)
    if c.return_times_min is None:
        return out
    return f"{out} out, " + ", ".join(fmt_clock(t) for t in c.return_times_min) + " back"
