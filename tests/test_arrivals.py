"""Arrivals: a non-homogeneous Poisson process per item within opening hours.

Daily counts have mean (and variance) daily volume x weekday factor; ticket times fall only
in opening sessions and follow the intraday profile (bin masses proportional to weight x
open minutes in the bin). Tolerances are 4 standard errors.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np

from simhall.calendar import WorkCalendar
from simhall.distributions import Fixed
from simhall.model import HallModel, RunWindow
from simhall.scenario.schema import CalendarSpec, Demand, Department, Item, Scenario

FACTORS = (1.4, 1.1, 1.0, 0.9, 0.6, 1.0, 1.0)
# 08:30-09:30 weight 1, 09:30-12:00 weight 3, 14:30-17:30 weight 1 (lunch has no mass)
BINS = ((510, 570, 1.0), (570, 870, 3.0), (870, 1050, 1.0))


def _model(volume: float, days: int = 500) -> HallModel:
    item = Item(
        id="a",
        name="a",
        department="d",
        kind="onsite",
        demand=Demand(volume, FACTORS, BINS),
        window_service=Fixed(1.0),
        committed_days=0,
    )
    scenario = Scenario(
        name="arrivals",
        calendar=CalendarSpec(start=date(2007, 1, 1)),
        departments=(Department(id="d", name="d", windows=50),),
        items=(item,),
    )
    window = RunWindow(days=days, drain_days=5)
    return HallModel(scenario, window, seed=3, calendar=WorkCalendar(scenario.calendar, 505))


def test_daily_counts_follow_volume_times_weekday_factor() -> None:
    volume = 40.0
    m = _model(volume)
    times, _ = m.arrivals()
    days = (times // 1440).astype(int)
    cal = m.calendar
    counts = np.bincount(days, minlength=500)[:500]
    working = np.flatnonzero(cal.working[:500])
    weekday = np.array([cal.date_of(int(d)).weekday() for d in working])
    for wd in range(5):
        c = counts[working[weekday == wd]]
        expected = volume * FACTORS[wd]
        se = math.sqrt(expected / c.size)
        assert abs(c.mean() - expected) < 4 * se, (wd, c.mean(), expected)
        # Poisson: variance equals the mean (within sampling error of the variance)
        assert abs(c.var(ddof=1) / expected - 1.0) < 4 * math.sqrt(2.0 / (c.size - 1))
    # no arrival on a non-working day
    assert counts[~cal.working[:500]].sum() == 0


def test_ticket_times_follow_the_intraday_profile_inside_opening_hours() -> None:
    m = _model(60.0)
    times, _ = m.arrivals()
    tod = times % 1440
    assert ((tod >= 510) & (tod < 720) | (tod >= 870) & (tod < 1050)).all()
    masses = np.array([1.0 * 60, 3.0 * 150, 1.0 * 180])  # lunch 12:00-14:30 has no mass
    expected = masses / masses.sum()
    observed = np.array(
        [
            ((tod >= 510) & (tod < 570)).mean(),
            ((tod >= 570) & (tod < 720)).mean(),
            ((tod >= 870) & (tod < 1050)).mean(),
        ]
    )
    se = np.sqrt(expected * (1 - expected) / tod.size)
    assert (np.abs(observed - expected) < 4 * se).all(), (observed, expected)
