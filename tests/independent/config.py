"""The generator's parameters: frozen dataclasses, units in the names.

A hall is described the way its director would on a whiteboard: opening hours, which
departments sit at which windows, how many clerks and back-office staff each has, when the
leader signs, what each item (事项) needs. Every mechanism of issue 8 can be switched off in
:class:`Mechanisms` to test it alone. The configuration *is* the ground truth: the
generator draws from exactly these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tests.independent.workdays import CN_HOLIDAYS_2024_2025, CN_MAKEUP_DAYS_2024_2025


@dataclass(frozen=True)
class ActivityNames:
    """Activity names written to the log (English defaults; see :data:`CHINESE_ACTIVITIES`)."""

    accept: str = "accept"
    correction: str = "return_for_correction"
    pickup: str = "pickup"
    review: str = "section_review"
    signoff: str = "leader_signoff"
    meeting: str = "director_meeting"
    inspection: str = "site_inspection"
    to_back_office: str = "transfer_to_back_office"
    to_hall: str = "transfer_to_hall"


CHINESE_ACTIVITIES = ActivityNames(
    accept="受理",
    correction="补正",
    pickup="办结",
    review="科室审核",
    signoff="领导签发",
    meeting="局务会审议",
    inspection="现场勘查",
    to_back_office="送达后台",
    to_hall="送回大厅",
)
"""Chinese activity names (受理 acceptance, 补正 correction, 办结 pickup of the licence)."""


@dataclass(frozen=True)
class SessionConfig:
    """A recurring round: the leader (or the director's meeting) takes the tray at a clock
    time on some weekdays and decides the files one after another.

    Parameters
    ----------
    weekdays : tuple of int
        0 = Monday ... 6 = Sunday; only working days among them hold a round.
    clock_min : int
        Minutes after midnight the round begins (960 = 16:00).
    per_file_min : (float, float)
        Uniform bounds of the minutes spent on each file.
    skip_share : float
        Probability that a scheduled round does not take place (leader away).
    resource : str
        Resource name written to the log.
    """

    weekdays: tuple[int, ...]
    clock_min: int
    per_file_min: tuple[float, float]
    skip_share: float
    resource: str


@dataclass(frozen=True)
class DepartmentConfig:
    """One department: its window pool, back-office section, courier and leader.

    Parameters
    ----------
    dept_id : str
        Identifier used in the items catalogue and in resource names.
    clerks : int
        Window clerks (one FIFO ticket queue for the department).
    service_median_min, service_sigma : float
        Lognormal window service of an application visit (accept or 补正).
    pickup_service_min : float
        Median minutes of a pickup visit (same sigma).
    staff : int
        Back-office section staff (FIFO, working only in opening hours).
    review_median_min, review_sigma : float
        Lognormal working minutes of a section review.
    tray_days : (int, int)
        Uniform working days a file lies in the tray before review (inclusive bounds).
    courier : bool
        Whether files travel to an outside back office (and back) by the daily courier.
    signoff : SessionConfig
        The leader's sign-off rounds.
    window_names, staff_names : tuple of str
        Resource names of the clerks and staff (as many as ``clerks`` / ``staff``).
    """

    dept_id: str
    clerks: int
    service_median_min: float
    service_sigma: float
    pickup_service_min: float
    staff: int
    review_median_min: float
    review_sigma: float
    tray_days: tuple[int, int]
    courier: bool
    signoff: SessionConfig
    window_names: tuple[str, ...]
    staff_names: tuple[str, ...]
    label: str = ""


@dataclass(frozen=True)
class ItemConfig:
    """One service item (事项).

    ``daily_mean`` is the expected number of new applications on an ordinary working day
    (before weekday and day factors). ``kind`` is ``onsite`` (即办件, ends at acceptance) or
    ``commitment`` (承诺件, goes to the back office). ``inspection_days`` of ``(0, 0)``
    means no site inspection.
    """

    item_id: str
    department: str
    kind: str
    committed_days: int
    daily_mean: float
    correction_share: float
    name: str = ""
    meeting: bool = False
    inspection_days: tuple[int, int] = (0, 0)
    pickup_share: float = 0.0


@dataclass(frozen=True)
class Mechanisms:
    """Switches of the mechanisms of issue 8 (all on by default)."""

    day_factor: bool = True
    weekday_factor: bool = True
    lunch: bool = True
    overtime: bool = True
    corrections: bool = True
    tray: bool = True
    courier: bool = True
    signoff: bool = True
    meeting: bool = True
    inspection: bool = True
    pickup: bool = True


@dataclass(frozen=True)
class HallConfig:
    """A whole hall: hours, calendar, demand, departments, items, names, switches.

    Parameters
    ----------
    opening : tuple of (int, int)
        Opening periods in minutes after midnight (default 08:30-12:00, 14:30-17:30).
        With ``Mechanisms.lunch`` off the gap between them is served too.
    overtime_cutoff_min : int
        Clerks serve the queue after closing until this clock time; those still waiting go
        home and come back the next working day.
    intraday : tuple of (int, int, float)
        Arrival profile: ``(from_min, to_min, weight)`` segments inside opening hours.
    weekday_factor : tuple of 7 float
        Demand multiplier per weekday (Monday first).
    day_cv : float
        Coefficient of variation of the gamma day factor (mean 1) shared by all items, so
        an item's daily count is negative binomial with variance ``m + day_cv**2 * m**2``.
    correction_return_days : (int, int)
        Uniform working days before an applicant returns after 补正.
    pickup_days : (int, int)
        Uniform working days between the decision and the pickup visit.
    courier_out_min, courier_back_min : int
        Clock times the courier leaves the hall / the back office.
    courier_travel_min : (float, float)
        Uniform travel minutes.
    meeting : SessionConfig
        The director's weekly meeting.
    inspection_resource : str
        The one resource name all site inspections are logged under.
    courier_resource : str
        Resource name of the courier.
    """

    name: str
    departments: tuple[DepartmentConfig, ...]
    items: tuple[ItemConfig, ...]
    meeting: SessionConfig
    activities: ActivityNames = field(default_factory=ActivityNames)
    mechanisms: Mechanisms = field(default_factory=Mechanisms)
    opening: tuple[tuple[int, int], ...] = ((510, 720), (870, 1050))
    overtime_cutoff_min: int = 1110
    intraday: tuple[tuple[int, int, float], ...] = (
        (510, 600, 1.4),
        (600, 720, 1.0),
        (870, 960, 1.1),
        (960, 1050, 0.7),
    )
    weekday_factor: tuple[float, ...] = (1.35, 1.0, 0.95, 0.95, 0.85, 0.6, 0.6)
    day_cv: float = 0.25
    correction_return_days: tuple[int, int] = (1, 5)
    max_corrections: int = 3
    pickup_days: tuple[int, int] = (1, 2)
    courier_out_min: int = 900
    courier_back_min: int = 570
    courier_travel_min: tuple[float, float] = (30.0, 60.0)
    inspection_resource: str = "site-inspection"
    courier_resource: str = "courier"
    holidays: tuple[date, ...] = CN_HOLIDAYS_2024_2025
    makeup_days: tuple[date, ...] = CN_MAKEUP_DAYS_2024_2025

    def department(self, dept_id: str) -> DepartmentConfig:
        """The department ``dept_id``."""
        for d in self.departments:
            if d.dept_id == dept_id:
                return d
        raise KeyError(f"hall {self.name!r} has no department {dept_id!r}")
