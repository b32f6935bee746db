"""Sizing: the fewest windows and staff that meet the wait target and the committed limits.

A personnel office sizing a hall works in three passes. First the back-of-the-envelope sum
(:mod:`simhall.sizing.erlang`): Erlang C on each department's busiest hour, and a pool
large enough that its queue delays files less than a working day. Then the trial: simulate
that plan, and wherever a department's wait or an item's limit is missed, add a window to
the department or a clerk to the busiest pool on the item's route, and simulate again.
A plan that leaves a sized window row or pool unstable (work offered faster than it can be
done: :mod:`simhall.reporting.stability`) misses its targets whatever the finished cases
say, and that unit grows. Last the proof of thrift: for every window row and pool in turn,
take one away; if every target still holds the plan was not the fewest, keep the smaller
one; stop when one fewer of each breaks a target. Every plan runs with the same seed
(common random numbers, :class:`~simhall.sizing.runs.PlanRuns`).

An item whose limit is missed even when its pools are generously staffed (its days go to
sign-off rounds, notices, couriers) cannot be helped by staff: it is reported, not chased.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from simhall.errors import UsageError
from simhall.scenario.schema import Scenario, WorkStep
from simhall.sizing.erlang import erlang_staff, erlang_windows, pool_loads, weighted_steps
from simhall.sizing.erlang import window_loads as _window_loads
from simhall.sizing.measure import Measurement, Target
from simhall.sizing.plan import Plan, Unit
from simhall.sizing.result import SizingResult
from simhall.sizing.runs import PlanRuns, Runner, plan_runner

__all__ = [
    "MAX_ROUNDS",
    "base_scenario",
    "check_departments",
    "items_by_pool",
    "size",
    "sizing_units",
    "station",
]

MAX_ROUNDS = 30
"""Rounds of adding windows and staff before sizing gives up."""


def check_departments(scenario: Scenario, departments: Sequence[str] | None) -> tuple[str, ...]:
    """The departments to size (all when ``None``); UsageError naming an unknown one."""
    ids = [d.id for d in scenario.departments]
    if departments is None:
        return tuple(ids)
    from simhall.scenario.checks import one_of

    for d in departments:
        if d not in ids:
            raise UsageError(f"--departments {d}: unknown department; expected {one_of(ids, d)}")
    return tuple(dict.fromkeys(departments))


def items_by_pool(scenario: Scenario) -> dict[Unit, tuple[str, ...]]:
    """The commitment items whose routes use each pool (by work steps)."""
    out: dict[Unit, list[str]] = {}
    for item in scenario.items:
        if item.kind != "commitment":
            continue
        for step, p in weighted_steps(item.route):
            if isinstance(step, WorkStep) and p > 0:
                users = out.setdefault(Unit(step.department, step.pool), [])
                if item.id not in users:
                    users.append(item.id)
    return {u: tuple(v) for u, v in out.items()}


def sizing_units(scenario: Scenario, departments: Sequence[str]) -> list[Unit]:
    """The window rows of ``departments`` and their pools that some commitment item uses."""
    used = items_by_pool(scenario)
    units = [Unit(d) for d in departments]
    for d in departments:
        units += [Unit(d, p.name) for p in scenario.department(d).pools if Unit(d, p.name) in used]
    return units


def station(unit: Unit) -> str:
    """The station of a unit, as :mod:`simhall.reporting.stability` names it
    (``jianwei/window``, ``jianwei/section``)."""
    return f"{unit.department}/{unit.pool or 'window'}"


class _Search:
    """The state of one sizing: units, targets, runs and what has been learned."""

    def __init__(self, base: Scenario, target: Target, departments: Sequence[str], runs: PlanRuns):
        self.base, self.target, self.runs = base, target, runs
        self.units = sizing_units(base, departments)
        users = items_by_pool(base)
        self.pool_items = {u: users[u] for u in self.units if u.pool}
        self.items = tuple(dict.fromkeys(i for v in self.pool_items.values() for i in v))
        self.departments = tuple(departments)
        self.unreachable: tuple[str, ...] | None = None
        self.evidence: dict[Unit, tuple[Plan, list[str]]] = {}

    def unstable(self, m: Measurement) -> list[Unit]:
        """The sized units whose station ``m`` finds unstable (offered load of 1 or more,
        busy nearly all the time, or a growing queue): no target stands on them."""
        return [u for u in self.units if station(u) in m.unstable]

    def missed(self, m: Measurement) -> list[str]:
        """The targets ``m`` misses, as short phrases."""
        out = [f"{station(u)} unstable ({m.unstable[station(u)]})" for u in self.unstable(m)]
        for d in self.departments:
            if not m.wait_met(d, self.target):
                wait = m.wait(d, self.target.wait_metric)[0]
                out.append(f"{d} {self.target.wait_stat} wait {wait:.1f} min")
        for i in self.items:
            if i not in (self.unreachable or ()) and not m.item_met(i, self.target):
                out.append(f"{i} within limit {m.pooled_within[i]:.1%}")
        return out

    def find_unreachable(self, plan: Plan) -> None:
        """Items missing their limit even with every sized pool generously staffed."""
        generous = plan
        for unit in self.pool_items:
            generous = generous.with_count(unit, 2 * generous.get(unit) + 1)
        m = self.runs(generous, "generous staff")
        self.unreachable = tuple(i for i in self.items if not m.item_met(i, self.target))

    def raise_up(self, start: Plan, max_rounds: int) -> Plan:
        """Add windows and staff where targets are missed until none is."""
        plan = start
        for round_no in range(1, max_rounds + 1):
            m = self.runs(plan, f"up {round_no}")
            bad_items = [i for i in self.items if not m.item_met(i, self.target)]
            if bad_items and self.unreachable is None:
                self.find_unreachable(plan)
            grow: set[Unit] = {Unit(d) for d in self.departments if not m.wait_met(d, self.target)}
            grow.update(self.unstable(m))
            for item in bad_items:
                if item in (self.unreachable or ()):
                    continue
                pools = [u for u, items in self.pool_items.items() if item in items]
                grow.add(max(pools, key=lambda u: m.utilization.get((u.department, u.pool), 0.0)))
            if not grow:
                return plan
            for unit in sorted(grow):
                plan = plan.with_count(unit, plan.get(unit) + 1)
        missed = "; ".join(self.missed(self.runs(plan, "up last")))
        raise UsageError(
            f"sizing: the targets are still missed after {max_rounds} rounds of adding windows "
            f"and staff ({missed}); check the wait target and the committed limits"
        )

    def thin_down(self, plan: Plan) -> Plan:
        """Take one away from each unit while every target holds; stop when one fewer of
        every unit breaks a target (checked again after any change)."""
        changed = True
        while changed:
            changed = False
            for unit in self.units:
                while plan.get(unit) > 1:
                    fewer = plan.with_count(unit, plan.get(unit) - 1)
                    missed = self.missed(self.runs(fewer, f"one fewer {unit.label()}"))
                    if missed:
                        self.evidence[unit] = (fewer, missed)
                        break
                    plan, changed = fewer, True
                    self.evidence.pop(unit, None)
        return plan


def size(
    scenario: Scenario | str,
    target: Target,
    *,
    departments: Sequence[str] | None = None,
    runner: Runner | None = None,
    max_rounds: int = MAX_ROUNDS,
    log: Callable[[str], None] | None = None,
    **settings: Any,
) -> SizingResult:
    """The fewest windows per department and staff per pool that meet ``target``.

    Parameters
    ----------
    scenario : Scenario or path
        The hall; its reforms are applied first.
    target : Target
        Wait target and service level.
    departments : sequence of str, optional
        Departments to size (default all); the others keep their windows and staff.
    runner : callable, optional
        Runs a scenario with fixed settings; default :func:`simhall.run` with ``settings``.
    max_rounds : int
        Rounds of adding before giving up (UsageError).
    log : callable, optional
        Receives a line per simulated plan.
    **settings
        Keyword arguments of :func:`simhall.run` (``days``, ``reps``, ``seed``, ...).

    Returns
    -------
    SizingResult
    """
    base = base_scenario(scenario)
    depts = check_departments(base, departments)
    if runner is None:  # simhall.run with the settings, its workers started once
        with plan_runner(base, None, settings) as default:
            return size(
                scenario,
                target,
                departments=departments,
                runner=default,
                max_rounds=max_rounds,
                log=log,
                **settings,
            )
    runs = PlanRuns(base, runner, log)
    search = _Search(base, target, depts, runs)
    current = Plan.current(base, search.units)
    w_loads, p_loads = _window_loads(base), pool_loads(base)
    windows = erlang_windows(w_loads, target.wait_target_min, target.wait_stat)
    staff = erlang_staff(p_loads)
    start = Plan.of(
        {
            u: (staff[(u.department, u.pool)] if u.pool else windows[u.department])
            for u in search.units
        }
    )
    runs(current, "current")
    proposed = search.thin_down(search.raise_up(start, max_rounds))
    plans = {current, proposed, *(fewer for fewer, _ in search.evidence.values())}
    final = runs(proposed, "")
    untouched = tuple(
        str(i)
        for i in final.pooled_within.index
        if i not in search.items and not final.item_met(str(i), target)
    )
    return SizingResult(
        scenario=base,
        target=target,
        units=tuple(search.units),
        pool_items=search.pool_items,
        current=current,
        start=start,
        proposed=proposed,
        measurements={p: runs(p, "") for p in plans},
        evidence=dict(search.evidence),
        unreachable=search.unreachable or (),
        untouched=untouched,
        window_loads=w_loads,
        pool_loads=p_loads,
        trace=runs.trace(),
        settings={k: v for k, v in settings.items() if v is not None},
    )


def base_scenario(scenario: Scenario | str) -> Scenario:
    """The scenario (loaded from its file) with its reforms applied."""
    if not isinstance(scenario, Scenario):
        from simhall.scenario import load_scenario

        scenario = load_scenario(scenario)
    if scenario.reforms:
        from simhall.reforms import apply_reforms

        scenario = apply_reforms(scenario)
    return scenario
