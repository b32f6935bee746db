"""The planner panel's logic: one department's windows, staff, chief representatives and
service level, re-run against the hall as it is.

Like a planner at the 政务服务中心 whiteboard asking "what if the 市建委 window had one more
clerk and a chief representative?", :func:`run_plan` takes a :class:`Plan` for one
department, simulates the department (with every department its items pass through: a
closed sub-hall, so the figures are those of the whole hall at a fraction of the cost) as it
is and as planned, with common random numbers, and returns a table per item and a figure.
Notebook 07 only lays the controls out (ipywidgets) and calls these functions.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from simhall.compare import Comparison, compare
from simhall.compare.figures import p95_figure
from simhall.reforms.routes import flatten
from simhall.reporting.formatting import fmt_ci
from simhall.reporting.labels import Lang, name_label, phrase
from simhall.scenario.schema import Scenario
from simhall.studies.huainan import subhall

__all__ = [
    "Plan",
    "PlanResult",
    "apply_plan",
    "closed_departments",
    "current_plan",
    "department_choices",
    "plan_figure",
    "plan_table",
    "run_plan",
]


@dataclass(frozen=True)
class Plan:
    """What the planner sets for one department.

    Parameters
    ----------
    department : str
        Department id.
    windows : int
        Staffed windows.
    staff : int
        Staff of the department's first back-office pool (ignored without pools).
    chief_rep : bool
        A chief representative (首席代表) approves on site in place of review and sign-off.
    service_level : float
        Share of cases a recommended limit must cover, in (0, 1).
    """

    department: str
    windows: int
    staff: int
    chief_rep: bool = False
    service_level: float = 0.95


@dataclass(frozen=True)
class PlanResult:
    """The comparison of the hall as it is (``base``) and as planned (``plan``)."""

    plan: Plan
    comparison: Comparison
    table: pd.DataFrame
    figure: Figure


def department_choices(scenario: Scenario, lang: Lang | None = None) -> list[tuple[str, str]]:
    """``(label, id)`` of each department, for a drop-down (label: name and id)."""
    return [(name_label(d.id, d.name, lang), d.id) for d in scenario.departments]


def current_plan(scenario: Scenario, department: str, service_level: float = 0.95) -> Plan:
    """The department as the scenario has it (no chief representative added)."""
    dept = scenario.department(department)
    staff = dept.pools[0].staff if dept.pools else 0
    return Plan(department, dept.windows, staff, False, service_level)


def closed_departments(scenario: Scenario, department: str) -> list[str]:
    """The smallest set of departments containing ``department`` that no item crosses: the
    departments of the items with a step in it, and of the steps of those items, and so on."""
    keep = {department}
    touched = {
        i.id: {i.department} | {getattr(s, "department", i.department) for s in flatten(i.route)}
        for i in scenario.items
    }
    grown = True
    while grown:
        grown = False
        for depts in touched.values():
            if depts & keep and not depts <= keep:
                keep |= depts
                grown = True
    return [d.id for d in scenario.departments if d.id in keep]


def apply_plan(scenario: Scenario, plan: Plan) -> Scenario:
    """``scenario`` with the plan's windows and staff for its department and, when
    ``plan.chief_rep``, a chief-representative reform for it (applied when run).

    Raises
    ------
    ValueError
        If windows or staff are below 1 (staff: when the department has pools).
    """
    dept = scenario.department(plan.department)
    if plan.windows < 1:
        raise ValueError(f"{plan.department}: windows = {plan.windows}: expected at least 1")
    pools = dept.pools
    if pools:
        if plan.staff < 1:
            raise ValueError(f"{plan.department}: staff = {plan.staff}: expected at least 1")
        pools = (dataclasses.replace(pools[0], staff=plan.staff), *pools[1:])
    new = dataclasses.replace(dept, windows=plan.windows, pools=pools)
    departments = tuple(new if d.id == dept.id else d for d in scenario.departments)
    reforms = scenario.reforms
    if plan.chief_rep:
        table = {"kind": "chief_representative", "department": plan.department}
        reforms = (*reforms, ("planner panel", table))
    return dataclasses.replace(scenario, departments=departments, reforms=reforms)


def plan_table(cmp: Comparison, department: str, lang: Lang | None = None) -> pd.DataFrame:
    """Per item of ``department``: committed limit, P95 as it is and as planned with the
    paired change and its CI, the share of cases completed within the run beside them (a
    P95 of the cases that finished says little when many did not) and the recommended limit
    as planned (blank when withheld); last row the department's mean window wait."""
    it = cmp.items[cmp.items["department"] == department]
    table = pd.DataFrame(
        {
            "item": [name_label(i, n, lang) for i, n in zip(it["item_id"], it["name"])],
            "committed": pd.to_numeric(it["committed_before"], errors="coerce"),
            "P95 now": it["p95_before"].round(1),
            "P95 plan": it["p95_after"].round(1),
            "change [95% CI]": [
                fmt_ci(m, lo, hi, 1)
                for m, lo, hi in zip(it["p95_diff"], it["p95_diff_ci_low"], it["p95_diff_ci_high"])
            ],
            "completed now": it["completed_before"].round(3),
            "completed plan": it["completed_after"].round(3),
            "limit plan": it["recommended_after"],
        }
    )
    wait = cmp.departments[
        (cmp.departments["department"] == department)
        & (cmp.departments["metric"] == "mean_wait_min")
    ]
    if len(wait):
        w = wait.iloc[0]
        blank = ["committed", "completed now", "completed plan", "limit plan"]
        table = table.astype(dict.fromkeys(blank, object))
        table.loc[len(table)] = {
            "item": phrase("window_wait", lang),
            **dict.fromkeys(blank, ""),
            "P95 now": round(float(w["before"]), 1),
            "P95 plan": round(float(w["after"]), 1),
            "change [95% CI]": fmt_ci(w["diff"], w["ci_low"], w["ci_high"], 1),
        }
    return table.set_index("item")


def plan_figure(cmp: Comparison, plan: Plan, lang: Lang | None = None) -> Figure:
    """P95 working days per item of the department, as it is and as planned."""
    it = cmp.items[cmp.items["department"] == plan.department]
    dept = cmp.results[cmp.base_label].scenario.department(plan.department)
    label = name_label(dept.id, dept.name, lang)
    return p95_figure(it, label, lang=lang, title=phrase("panel_title", lang, dept=label))


def run_plan(
    scenario: Scenario,
    plan: Plan,
    *,
    days: int = 40,
    warmup_days: int = 5,
    drain_days: int = 30,
    reps: int = 2,
    seed: int = 0,
    lang: Lang | None = None,
) -> PlanResult:
    """Simulate the plan's department (in its closed sub-hall) as it is and as planned.

    Parameters
    ----------
    scenario : Scenario
        The hall (its reforms are applied to both runs).
    plan : Plan
        The planner's settings.
    days, warmup_days, drain_days, reps : int
        A small replication set, so the panel redraws within seconds.
    seed : int
        Master seed; both runs draw the same numbers (common random numbers).
    lang : {"zh", "en", "both"}, optional
        Label language of table and figure.
    """
    keep = closed_departments(scenario, plan.department)
    base = subhall(scenario, keep) if len(keep) < len(scenario.departments) else scenario
    cmp = compare(
        base,
        {"plan": apply_plan(base, plan)},
        with_contributions=False,
        days=days,
        warmup_days=warmup_days,
        drain_days=drain_days,
        reps=reps,
        seed=seed,
        service_level=plan.service_level,
        show_progress=False,
    )
    return PlanResult(
        plan, cmp, plan_table(cmp, plan.department, lang), plan_figure(cmp, plan, lang)
    )
