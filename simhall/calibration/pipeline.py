"""``calibrate``: from a case log and an item catalogue to a scenario that reproduces them.

Calibration is the reverse of simulation. The simulator takes a floor plan and rule book (a
scenario) and writes a register of what happened (an event log); calibration reads such a
register and reconstructs the floor plan, the way a surveyor works from the ground up:
first what is certain (which cases, which period, the hall's working time), then what is
measured on it (how long each event took, what kind of event it was, whose desk it was at),
then what is counted and fitted (staff, schedules, demand, returns, routes, durations).

Each stage is one function in its own module; it takes the results of earlier stages and
returns a small frozen dataclass with its findings and its :class:`Evidence` (assumptions,
notes, dropped rows, fitted distributions). :func:`calibrate` calls them in order:

==================  ==================================================  ====================
stage               function                                            returns
==================  ==================================================  ====================
options             :class:`~.options.CalibrationOptions`                (checked settings)
catalogue           :func:`~.catalogue.read_catalogue`                   ``Catalogue``
events              :func:`~.events.encode_log`                          ``EncodedLog``
visits              :func:`~.visits.find_visits`                         ``Visits``
period              :func:`~.period.select_period`                       ``PeriodLog``
working time        :func:`~.workdays.hall_calendar`                     ``HallCalendar``
durations           :func:`~.durations.measure_durations`                ``Durations``
roles               :func:`~.roles.find_roles`                           ``ResourceRoles``
kinds               :func:`~.kinds.classify_events`                      ``ActivityKinds``
resources           :func:`~.resources.map_resources`                    ``ResourceMap``
windows             :func:`~.departments.staff_windows`                  ``WindowStaff``
schedules           :func:`~.schedules.find_schedules`                   ``Schedules``
pools               :func:`~.departments.staff_pools`                    ``PoolStaff``
trays               :func:`~.trays.find_trays`                           ``Trays``
demand              :func:`~.demand.find_demand`                         ``DemandEstimate``
corrections         :func:`~.corrections.find_corrections`               ``Corrections``
routes              :func:`~.routes.find_routes`                         ``Routes``
items               :func:`~.items.estimate_items`                       ``ItemFits``
run settings        :func:`~.settings.run_settings`                      ``RunSettings``
==================  ==================================================  ====================

and assembles the :class:`~simhall.calibration.result.Calibration` (its departments by
:func:`~.departments.department_estimates`), whose evidence is the stages' evidence in this
order. A new mechanism is a new stage (a function and its
dataclass) inserted where its inputs are ready; a check of the finished calibration
against its own log is a stage after the assembly that returns a corrected
``Calibration`` (the result and all estimates are frozen dataclasses, changed with
:func:`dataclasses.replace`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from simhall.calibration.catalogue import read_catalogue, require_columns
from simhall.calibration.corrections import find_corrections
from simhall.calibration.demand import find_demand
from simhall.calibration.departments import department_estimates, staff_pools, staff_windows
from simhall.calibration.durations import measure_durations
from simhall.calibration.events import encode_log
from simhall.calibration.evidence import Evidence
from simhall.calibration.items import estimate_items
from simhall.calibration.kinds import classify_events
from simhall.calibration.options import CalibrationOptions
from simhall.calibration.period import select_period
from simhall.calibration.resources import map_resources
from simhall.calibration.result import Calibration
from simhall.calibration.roles import ResourceOverride, find_roles
from simhall.calibration.routes import ROUTE_MIN_SHARE, find_routes
from simhall.calibration.schedules import find_schedules
from simhall.calibration.settings import run_settings
from simhall.calibration.stepfits import StepSamples
from simhall.calibration.trays import find_trays
from simhall.calibration.visits import find_visits
from simhall.calibration.workdays import hall_calendar
from simhall.logs.schema import REQUIRED_EVENT_COLUMNS

__all__ = ["calibrate"]


def calibrate(
    events: pd.DataFrame,
    items: pd.DataFrame,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    accept_activity: str = "accept",
    classification: Mapping[str, str] | None = None,
    holidays: str = "cn",
    min_cases: int = 30,
    seed: int = 0,
    rng: np.random.Generator | None = None,
    source: str = "<events>",
    bin_min: int = 60,
    read_issues: pd.DataFrame | None = None,
    read_notes: list[str] | None = None,
    route_min_share: float = ROUTE_MIN_SHARE,
    resource_roles: Mapping[str, ResourceOverride] | None = None,
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
    classification : mapping, optional
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
    route_min_share : float, default :data:`~simhall.calibration.routes.ROUTE_MIN_SHARE`
        Route steps seen in fewer than this share of an item's finished cases are lumped
        into one delay step (``other_rare_steps``) whose duration is the per-case sum of
        theirs, in working days (0 keeps every step).
    resource_roles : mapping, optional
        Resource name -> :class:`~simhall.calibration.roles.ResourceOverride` (the
        ``[resources]`` table of the classification file): role and department of resources
        whose names and behaviour mislead.

    Returns
    -------
    Calibration
        Estimates, evidence, and the scenario text via :meth:`Calibration.to_toml`.

    Raises
    ------
    ValueError
        Missing columns, no usable events, an empty catalogue, or bad options.
    """
    options = CalibrationOptions(
        since=since,
        until=until,
        accept_activity=accept_activity,
        classification=classification,
        holidays=holidays,
        min_cases=min_cases,
        seed=seed,
        source=source,
        bin_min=bin_min,
        route_min_share=route_min_share,
    )
    require_columns(events, REQUIRED_EVENT_COLUMNS, "event log")
    catalogue = read_catalogue(items)
    rng = rng if rng is not None else np.random.default_rng(options.seed)
    reader = Evidence.from_reader(read_issues, read_notes)

    log = encode_log(events, catalogue)
    visits = find_visits(log, options.accept_activity)
    period = select_period(log, visits, options.since, options.until)
    hall = hall_calendar(period, options.holidays)
    durations = measure_durations(period, hall)
    roles = find_roles(period, catalogue, resource_roles)
    kinds = classify_events(
        period, durations, day_min=hall.day_min, overrides=options.classification, roles=roles
    )
    resources = map_resources(period, catalogue, roles)
    windows = staff_windows(period, kinds, resources, catalogue)
    schedules = find_schedules(period, kinds, resources, catalogue, hall.calendar)
    pools = staff_pools(period, kinds, resources, durations, catalogue)
    trays = find_trays(period, kinds, durations, pools, hall, catalogue.dept_ids)
    demand = find_demand(
        period, hall, catalogue, bin_min=options.bin_min, min_cases=options.min_cases
    )
    corrections = find_corrections(period, kinds, hall.calendar, catalogue.n_items)
    routes = find_routes(period, kinds, catalogue.n_items, min_share=options.route_min_share)
    fitted = estimate_items(
        catalogue,
        period,
        kinds,
        resources,
        StepSamples.of(period, kinds, resources, durations, pools, catalogue, trays),
        schedules,
        demand,
        corrections,
        routes,
        min_cases=options.min_cases,
        min_share=options.route_min_share,
        rng=rng,
    )
    run = run_settings(period, routes)

    evidence = Evidence.merge(
        [
            reader,
            log.evidence,
            visits.evidence,
            period.evidence,
            hall.evidence,
            durations.evidence,
            roles.evidence,
            kinds.evidence,
            windows.evidence,
            schedules.evidence,
            pools.evidence,
            trays.evidence,
            Evidence(notes=tuple(demand.notes)),
            fitted.evidence,
            run.evidence,
            Evidence(
                notes=(
                    f"{log.n_read} events read, {period.n_events} used ({period.n_cases} cases)",
                )
            ),
        ]
    )
    return Calibration(
        source=options.source,
        since=period.since,
        until=period.until,
        holidays=hall.holidays,
        hours=hall.hours,
        demand=demand,
        departments=department_estimates(catalogue, windows, pools, schedules),
        items=fitted.items,
        classification=kinds.table.drop(columns="pattern"),  # the reason says "rounds"
        fits=evidence.fit_table(),
        dropped=evidence.dropped_table(),
        assumptions=evidence.unique_assumptions(),
        notes=evidence.notes,
        durations_estimated=period.durations_estimated,
        low_precision=period.low_precision,
        run_days=run.run_days,
        drain_days=run.drain_days,
        n_events=period.n_events,
        n_cases=period.n_cases,
        seed=options.seed,
        min_cases=options.min_cases,
        calendar_spec=hall.spec,
    )
