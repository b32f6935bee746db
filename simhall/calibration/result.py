"""What a calibration found: the estimates, the evidence behind them, the scenario they make.

A :class:`Calibration` is the surveyor's finished file: the measurements (hours, demand,
departments with their windows, pools, rounds and couriers, items with their routes and
fitted durations), the lab notebook (classification of activities, fitted distributions,
dropped data, assumptions, notes), and two ways to read it: the scenario file
(:meth:`Calibration.to_toml`, written by :mod:`~simhall.calibration.writer`) and the report
(:meth:`Calibration.report`, :mod:`~simhall.calibration.report`). The writer and the report
read a calibration and know nothing else of the pipeline that made it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pandas as pd

from simhall.calibration.demand import DemandEstimate
from simhall.calibration.fit import FitResult
from simhall.calibration.hours import HoursEstimate
from simhall.calibration.report import render_report, write_figures
from simhall.calibration.sessions import CourierEstimate, SessionEstimate
from simhall.calibration.writer import render_scenario
from simhall.io import atomic_write_text
from simhall.scenario import load_scenario_text
from simhall.scenario.schema import CalendarSpec, Scenario

if TYPE_CHECKING:
    from simhall.calibration.selfcheck import FitCheck
    from simhall.reporting.labels import Lang

__all__ = [
    "Calibration",
    "DepartmentEstimate",
    "ItemEstimate",
    "PoolEstimate",
    "StepEstimate",
]


@dataclass(frozen=True)
class StepEstimate:
    """One step of a calibrated route.

    Attributes
    ----------
    name : str
        Step (activity) name.
    kind : {"work", "signoff", "meeting", "delay", "visit"}
        Step kind in the scenario (``visit``: the applicant comes back to the department's
        window, e.g. to collect the licence; ``fit`` is its service in minutes).
    department : str
        Department that does it.
    probability : float
        Share of the item's finished cases with the step.
    n_cases, n_eligible : int
        Finished cases with the step, and all finished cases of the item.
    pool : str, optional
        Staff pool (work steps).
    fit : FitResult, optional
        Duration (working minutes for work, working days for delays; none for sessions).
    pooled : str
        How its data were pooled (empty if not).
    wait : FitResult, optional
        A delay in working days before the step, written as its own delay step
        ``wait_name`` (a tray before work no queue explains; the applicant's days before a
        visit after the decision); none for most steps.
    wait_name, wait_reason : str
        That delay step's name, and why it is there.
    """

    name: str
    kind: str
    department: str
    probability: float
    n_cases: int
    n_eligible: int
    pool: str | None = None
    fit: FitResult | None = None
    pooled: str = ""
    wait: FitResult | None = None
    wait_name: str = ""
    wait_reason: str = ""


@dataclass(frozen=True)
class ItemEstimate:
    """Everything calibrated for one item.

    Attributes
    ----------
    id, name, department, kind : str
        From the catalogue (``name`` falls back to ``id``).
    committed_days, statutory_days : int, optional
        From the catalogue.
    daily_demand : float
        First visits per working day.
    cases : int
        First visits in the period.
    window_service : FitResult, optional
        Window service minutes (none when no visit was timed).
    window_pooled : str
        How the window data were pooled (empty if not).
    incomplete_prob : float
        Share of window visits that did not end in acceptance.
    visits : int
        Window visits.
    return_delay : FitResult, optional
        Working days until the applicant returns after a correction.
    weekday_factors : tuple of float, optional
        The item's own weekday factors, where they differ from the hall's.
    route : tuple of StepEstimate
        Steps after acceptance (commitment items).
    """

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
    route: tuple[StepEstimate, ...] = ()


class PoolEstimate(NamedTuple):
    """Staff of one pool, the days behind the number, and the method."""

    staff: int
    days: int
    method: str


@dataclass(frozen=True)
class DepartmentEstimate:
    """Everything calibrated for one department.

    Attributes
    ----------
    id : str
        Department id.
    windows, windows_days : int
        Windows, and the working days the count rests on.
    windows_method : str
        How the windows were counted.
    pools : dict
        Pool name -> :class:`PoolEstimate`.
    courier : CourierEstimate, optional
        The courier, when files travel by one.
    signoff, meeting : tuple of (str, SessionEstimate), optional
        The activity and schedule of the sign-off round and the meeting.
    """

    id: str
    windows: int
    windows_days: int
    windows_method: str
    pools: dict[str, PoolEstimate]
    courier: CourierEstimate | None = None
    signoff: tuple[str, SessionEstimate] | None = None
    meeting: tuple[str, SessionEstimate] | None = None

    @property
    def back_office(self) -> str:
        """``"outside"`` when files travel by courier, else ``"hall"``."""
        return "outside" if self.courier is not None else "hall"


@dataclass(frozen=True)
class Calibration:
    """The result of :func:`~simhall.calibration.calibrate`: estimates, evidence, scenario.

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
    departments : tuple of DepartmentEstimate
    items : tuple of ItemEstimate
    classification : DataFrame
        ``activity, kind, n, reason, ...``.
    fits : DataFrame
        One row per fitted distribution (n, dist, parameters, AIC, KS p, criterion).
    dropped : DataFrame
        ``check, events, cases, action, detail``: every row not used, and why.
    assumptions : tuple of str
        Every assumption made.
    notes : tuple of str
        How the estimates were made.
    durations_estimated : bool
        The log had no start times: durations are gaps between completions.
    low_precision : bool
        Most timestamps carry no time of day: day-level estimates only.
    run_days, drain_days : int
        ``[run]`` settings for the scenario.
    n_events, n_cases : int
        Events and cases used.
    seed : int
        ``[run] seed`` of the scenario.
    min_cases : int
        Observations below which an item's step uses its department's pooled data.
    calendar_spec : CalendarSpec, optional
        The scenario's ``[calendar]``.
    fit_check : FitCheck, optional
        The self-check of :func:`~simhall.calibration.selfcheck.check_calibration` (the
        scenario simulated over its own period, compared and corrected), when it ran.
    """

    source: str
    since: date
    until: date
    holidays: str
    hours: HoursEstimate
    demand: DemandEstimate
    departments: tuple[DepartmentEstimate, ...]
    items: tuple[ItemEstimate, ...]
    classification: pd.DataFrame
    fits: pd.DataFrame
    dropped: pd.DataFrame
    assumptions: tuple[str, ...]
    notes: tuple[str, ...]
    durations_estimated: bool
    low_precision: bool
    run_days: int
    drain_days: int
    n_events: int
    n_cases: int
    seed: int = 12345
    min_cases: int = 30
    calendar_spec: CalendarSpec | None = None
    fit_check: FitCheck | None = None

    def to_toml(self) -> str:
        """The commented scenario file (loads with :func:`simhall.scenario.load_scenario`)."""
        return render_scenario(self)

    def report(self) -> str:
        """The Markdown calibration report."""
        return render_report(self)

    def scenario(self) -> Scenario:
        """The calibrated scenario, loaded from :meth:`to_toml`."""
        return load_scenario_text(self.to_toml(), name="calibrated.toml")

    def write(
        self,
        out_toml: str | os.PathLike[str],
        report_md: str | os.PathLike[str] | None = None,
        *,
        figures: bool = False,
        lang: Lang | None = None,
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
        lang : {"zh", "en", "both"}, optional
            Language of the figures' labels (default: the current one).

        Returns
        -------
        Path
            The scenario path.
        """
        path = atomic_write_text(self.to_toml(), out_toml)
        if report_md is not None:
            text = self.report()
            if figures:
                names = write_figures(self, Path(report_md), lang=lang)
                if names:
                    text += "\n## Figures\n\n" + "\n".join(f"![{n}]({n})" for n in names) + "\n"
            atomic_write_text(text, report_md)
        return path
