"""How many applicants come for each item, on which weekdays and at what time of day.

The queue-ticket machine is the hall's turnstile: every first visit of a case takes a
ticket, so counting first-visit tickets per item and working day gives the daily demand,
the ratio of an average Monday to an average working day gives the weekday factor, and the
histogram of ticket clock times over the opening hours gives the intraday profile. Return
visits after 补正 are not demand (the simulator generates them from the correction
probability), so only each case's first ticket counts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from simhall.calendar import MINUTES_PER_DAY, WorkCalendar
from simhall.calibration.catalogue import Catalogue
from simhall.calibration.period import PeriodLog
from simhall.calibration.workdays import HallCalendar
from simhall.scenario.schema import Interval

__all__ = ["DemandEstimate", "day_dispersion", "estimate_demand", "find_demand"]

WEEKDAY_P = 0.001
"""An item gets its own weekday factors when a chi-square test rejects the hall's at this
level."""


@dataclass(frozen=True)
class DemandEstimate:
    """Demand of every item.

    Parameters
    ----------
    items : DataFrame
        ``item_id, cases, working_days, daily_volume, own_weekday_factors``.
    weekday_factors : tuple of float
        Hall-wide factors Monday..Sunday (mean 1 over the period's working days).
    item_factors : dict
        Item -> its own factors, where they differ significantly.
    intraday : list of (int, float)
        Bin start (minute) and weight (mean 1 over open minutes).
    working_days : int
        Working days in the period.
    notes : list of str
        How the numbers were made.
    day_cv : float
        Coefficient of variation of the hall's day factor (0 when the daily counts are not
        over-dispersed, see :func:`day_dispersion`).
    day_cv_note : str
        How ``day_cv`` was found.
    """

    items: pd.DataFrame
    weekday_factors: tuple[float, ...]
    item_factors: dict[str, tuple[float, ...]] = field(default_factory=dict)
    intraday: list[tuple[int, float]] = field(default_factory=list)
    working_days: int = 0
    notes: list[str] = field(default_factory=list)
    day_cv: float = 0.0
    day_cv_note: str = ""


DISPERSION_P = 0.01
"""Daily counts are over-dispersed when the Poisson dispersion test rejects at this level."""


def day_dispersion(counts: np.ndarray, expected: np.ndarray) -> tuple[float, float]:
    """The day factor's CV from daily counts, by the method of moments, and the test's p.

    With a gamma day factor of mean 1 and CV ``c``, a day's count ``N`` of mean ``m`` has
    ``E[(N - m)^2] = m + c^2 m^2``, so ``c^2 = (mean((N - m)^2) - mean(m)) / mean(m^2)``.
    The dispersion statistic ``sum((N - m)^2 / m)`` is chi-square with ``n - 1`` degrees of
    freedom under Poisson counts; ``c`` is 0 unless that test rejects at
    :data:`DISPERSION_P`.

    Parameters
    ----------
    counts, expected : numpy.ndarray
        Observed count and expected count of each working day.

    Returns
    -------
    cv : float
        Rounded to 3 decimals (0 when not over-dispersed).
    p : float
        p-value of the dispersion test (NaN with fewer than 10 days).
    """
    ok = expected > 0
    n, m = counts[ok].astype(np.float64), expected[ok].astype(np.float64)
    if len(n) < 10:
        return 0.0, float("nan")
    stat = float(np.sum((n - m) ** 2 / m))
    p = float(stats.chi2.sf(stat, len(n) - 1))
    cv2 = (float(np.mean((n - m) ** 2)) - float(np.mean(m))) / float(np.mean(m * m))
    if p >= DISPERSION_P or cv2 <= 0:
        return 0.0, p
    return round(float(np.sqrt(cv2)), 3), p


def _factors(counts_by_day: np.ndarray, working: np.ndarray, weekday: np.ndarray) -> np.ndarray:
    """Weekday factors: mean tickets on working days of each weekday / mean on all."""
    total_days = working.sum()
    overall = counts_by_day[working].sum() / total_days if total_days else 0.0
    f = np.ones(7)
    if overall <= 0:
        return f
    for wd in range(7):
        sel = working & (weekday == wd)
        if sel.sum() > 0:
            f[wd] = counts_by_day[sel].mean() / overall
    return f


def estimate_demand(
    item_ids: list[str],
    case_item: np.ndarray,
    ticket: np.ndarray,
    calendar: WorkCalendar,
    n_period_days: int,
    opening: tuple[Interval, ...],
    *,
    bin_min: int = 60,
    min_cases: int = 30,
) -> DemandEstimate:
    """Daily volumes, weekday factors and intraday profile from first-visit tickets.

    Parameters
    ----------
    item_ids : list of str
        Items of the catalogue (codes index this list).
    case_item : numpy.ndarray
        Item code per case.
    ticket : numpy.ndarray
        First-visit ticket time per case (wall minutes from the period's first day).
    calendar : WorkCalendar
        Working days.
    n_period_days : int
        Calendar days of the calibration period (from day 0).
    opening : tuple of Interval
        Opening sessions (intraday bins start at each session's opening).
    bin_min : int, default 60
        Intraday bin width (30 or 60).
    min_cases : int, default 30
        Items with fewer cases keep the hall's weekday factors.

    Returns
    -------
    DemandEstimate
        Daily volume = first visits / working days in the period; factors normalized to
        mean 1 over those working days, so ``daily_volume`` is the plain average.
    """
    n_days = min(n_period_days, calendar.n_days)
    working = calendar.working[:n_days]
    weekday = (np.arange(n_days) + calendar.start.weekday()) % 7
    day = np.floor(ticket / MINUTES_PER_DAY)
    ok = np.isfinite(day) & (day >= 0) & (day < n_days)
    d = day[ok].astype(np.int64)
    it = case_item[ok].astype(np.int64)
    n_items = len(item_ids)
    counts = np.bincount(it * n_days + d, minlength=n_items * n_days).reshape(n_items, n_days)
    wdays = int(working.sum())
    hall = counts.sum(axis=0).astype(np.float64)
    factors = _factors(hall, working, weekday)
    notes = [
        f"daily volume = first-visit tickets / {wdays} working days of the period; weekday "
        "factors = mean tickets of the weekday's working days / mean of all working days"
    ]
    if not (working & (weekday >= 5)).any():
        factors[5:] = 1.0
        notes.append("no make-up weekend working days in the period: sat/sun factors 1")
    item_factors: dict[str, tuple[float, ...]] = {}
    rows = []
    share = np.array([(working & (weekday == wd)).sum() * factors[wd] for wd in range(7)])
    share = share / share.sum() if share.sum() > 0 else share
    for i, item in enumerate(item_ids):
        c = counts[i]
        n = int(c[working].sum())
        own = False
        if n >= min_cases:
            obs = np.array([c[working & (weekday == wd)].sum() for wd in range(7)], dtype=float)
            keep = share > 0
            expected = share[keep] * n
            if keep.sum() > 1:
                p = float(stats.chisquare(obs[keep], expected).pvalue)
                if p < WEEKDAY_P:
                    own = True
                    item_factors[item] = tuple(
                        float(x) for x in _factors(c.astype(np.float64), working, weekday)
                    )
        rows.append(
            {
                "item_id": item,
                "cases": n,
                "working_days": wdays,
                "daily_volume": n / wdays if wdays else 0.0,
                "own_weekday_factors": own,
            }
        )
    expected = np.where(working, hall[working].mean() * factors[weekday], 0.0) if wdays else hall
    day_cv, p = day_dispersion(hall[working], expected[working])
    day_cv_note = (
        f"method of moments on {wdays} working days' first visits against mean x weekday "
        f"factor; Poisson dispersion test p = {p:.2g}"
    )
    notes.append(
        f"day-to-day demand: day_cv = {day_cv:g} ({day_cv_note}; 0 when p >= {DISPERSION_P})"
    )
    clock = ticket[ok] % MINUTES_PER_DAY
    intraday = _intraday(clock, opening, bin_min)
    notes.append(
        f"intraday profile: first-visit tickets in {bin_min}-minute bins from each opening, "
        "weight = tickets per open minute, mean 1"
    )
    return DemandEstimate(
        items=pd.DataFrame(rows),
        weekday_factors=tuple(float(x) for x in factors),
        item_factors=item_factors,
        intraday=intraday,
        working_days=wdays,
        notes=notes,
        day_cv=day_cv,
        day_cv_note=day_cv_note,
    )


def _intraday(
    clock: np.ndarray, opening: tuple[Interval, ...], bin_min: int
) -> list[tuple[int, float]]:
    bins: list[tuple[int, int]] = []
    for a, b in opening:
        t = a
        while t < b:
            bins.append((t, min(t + bin_min, b)))
            t += bin_min
    if not bins or len(clock) == 0:
        return [(opening[0][0], 1.0)]
    rates = []
    for a, b in bins:
        rates.append(float(np.sum((clock >= a) & (clock < b))) / (b - a))
    widths = np.array([b - a for a, b in bins], dtype=float)
    r = np.array(rates)
    mean = float((r * widths).sum() / widths.sum())
    if mean <= 0:
        return [(bins[0][0], 1.0)]
    return [(a, round(float(x / mean), 3)) for (a, _), x in zip(bins, r)]


def find_demand(
    period: PeriodLog, hall: HallCalendar, catalogue: Catalogue, *, bin_min: int, min_cases: int
) -> DemandEstimate:
    """Demand of every item of the catalogue from the period's first tickets.

    Parameters
    ----------
    period : PeriodLog
        The period's cases.
    hall : HallCalendar
        Working days and opening hours.
    catalogue : Catalogue
        Items.
    bin_min, min_cases : int
        See :func:`estimate_demand`.

    Returns
    -------
    DemandEstimate
        A flat intraday profile when timestamps carry no time of day.
    """
    demand = estimate_demand(
        list(catalogue.item_ids),
        period.case_item,
        period.case_ticket,
        hall.calendar,
        period.n_days,
        hall.hours.opening,
        bin_min=bin_min,
        min_cases=min_cases,
    )
    if period.low_precision:
        demand = dataclasses.replace(demand, intraday=[(hall.hours.opening[0][0], 1.0)])
    return demand
