"""``simhall.model.arrivals``: Poisson arrivals, scheduled arrivals, the source seam.

Daily counts have mean (and variance) daily volume x weekday factor; ticket times fall only
in opening sessions and follow the intraday profile (bin masses proportional to weight x
open minutes in the bin). Tolerances are 4 standard errors. Any arrival source can be
injected (``HallModel(..., arrivals=...)``); what it gives is checked and sorted.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from simhall.calendar import WorkCalendar
from simhall.distributions import Fixed
from simhall.model import (
    ArrivalSetting,
    HallModel,
    PoissonArrivals,
    RunWindow,
    ScheduledArrivals,
)
from simhall.model.arrivals import IntradayProfile, IntradaySampler
from simhall.scenario.schema import CalendarSpec, Demand, Department, Item, Scenario
from simhall.streams import NamedStreams
from tests.helpers import at, item, model, scenario

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


# ----------------------------------------------------------- the arrival-source seam


def test_default_source_is_poisson_arrivals_on_the_models_setting() -> None:
    m = _model(20.0, days=30)
    setting = ArrivalSetting(
        calendar=m.calendar,
        days=30,
        items=m.scenario.items,
        profiles=[IntradayProfile(it.demand.intraday) for it in m.scenario.items],
        streams=NamedStreams(seed=3),
    )
    times, items = PoissonArrivals()(setting)
    got_times, got_items = m.arrivals()
    assert times.size > 300  # about 20 working days x 20 tickets
    np.testing.assert_array_equal(got_times, times)
    np.testing.assert_array_equal(got_items, items)


def test_scheduled_arrivals_are_played_in_time_order() -> None:
    scn = scenario([item("a", kind="onsite", service=5), item("b", kind="onsite", service=5)])
    tickets = [(at(0, 10, 0), 1), (at(0, 9, 0), 0), (at(0, 9, 0), 1), (at(1, 9, 0), 0)]
    m = model(scn, days=3, drain_days=1)
    scheduled = HallModel(
        m.scenario, m.window, seed=m.seed, arrivals=ScheduledArrivals(tickets)
    ).run()
    times, items = scheduled.arrivals()
    assert times.tolist() == [at(0, 9, 0), at(0, 9, 0), at(0, 10, 0), at(1, 9, 0)]
    assert items.tolist() == [0, 1, 1, 0]
    cases = scheduled.case_frame()
    assert list(cases["item_id"]) == ["a", "b", "b", "a"]
    assert list(cases["arrival"].dt.strftime("%d %H:%M")) == [
        "24 09:00",
        "24 09:00",
        "24 10:00",
        "25 09:00",
    ]


def test_any_callable_is_an_arrival_source_and_its_output_is_sorted() -> None:
    seen: list[ArrivalSetting] = []

    def source(setting: ArrivalSetting) -> tuple[np.ndarray, np.ndarray]:
        seen.append(setting)
        return np.array([at(0, 11, 0), at(0, 9, 0)]), np.array([0, 0])

    scn = scenario([item("a", kind="onsite", service=5)])
    m = HallModel(scn, RunWindow(3, 0, 1), seed=1, arrivals=source).run()
    assert len(seen) == 1 and seen[0].days == 3 and seen[0].items == scn.items
    assert m.case_frame()["arrival"].dt.hour.tolist() == [9, 11]


@pytest.mark.parametrize(
    ("times", "items", "message"),
    [
        ([-1.0], [0], r"arrivals\[0\]: ticket minute -1.0; expected a minute in \[0, 5760\)"),
        ([10.0, 5760.0], [0, 0], r"arrivals\[1\]: ticket minute 5760.0"),
        ([10.0, math.nan], [0, 0], r"arrivals\[1\]: ticket minute nan"),
        ([10.0], [1], r"arrivals\[0\]: item index 1; expected an index in \[0, 1\)"),
        ([10.0, 20.0], [0], r"2 ticket minutes but 1 item indices"),
        ([10.0], [0.5], r"item indices of type float64; expected whole numbers"),
    ],
)
def test_bad_arrivals_are_refused_with_position_and_value(
    times: list[float], items: list[float], message: str
) -> None:
    def source(setting: ArrivalSetting) -> tuple[np.ndarray, np.ndarray]:
        return np.array(times), np.array(items)

    scn = scenario([item("a", kind="onsite", service=5)])
    m = HallModel(scn, RunWindow(3, 0, 1), seed=1, arrivals=source)
    with pytest.raises(ValueError, match=message):
        m.run()


# ------------------------------------------------------------------ intraday sampling


def test_intraday_sampler_inverts_the_profile() -> None:
    # profile bins clipped to the opening: 08:30-09:30 weight 1 (mass 60), 09:30-12:00
    # weight 3 (mass 450), 14:30-17:30 weight 1 (mass 180); total 690
    profile = IntradayProfile(BINS)
    sampler = profile.sampler(((510, 720), (870, 1050)))
    assert profile.sampler(((510, 720), (870, 1050))) is sampler  # cached per opening
    assert sampler.time_of_day(0.0) == 510.0
    assert sampler.time_of_day(60 / 690) == pytest.approx(570.0)
    assert sampler.time_of_day(510 / 690) == pytest.approx(870.0)
    assert sampler.time_of_day((510 + 90) / 690) == pytest.approx(960.0)
    u = np.linspace(0.0, 0.999, 50)
    np.testing.assert_allclose(sampler.many(u), [sampler.time_of_day(x) for x in u])
    # a short day: only the morning session is open, so all mass is in the morning bins
    short = profile.sampler(((510, 720),))
    assert short.time_of_day(60 / 510) == pytest.approx(570.0)


def test_intraday_profile_outside_opening_hours_falls_back_to_uniform() -> None:
    sampler = IntradayProfile(((1200, 1300, 1.0),)).sampler(((510, 720),))
    assert sampler.time_of_day(0.5) == pytest.approx(615.0)
    with pytest.raises(ValueError, match="no mass"):
        IntradaySampler([(510.0, 720.0, 0.0)])
