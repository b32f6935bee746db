"""Items: demand profiles, and values looked up item -> group -> department -> defaults."""

from __future__ import annotations

from simhall.distributions import (
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    Triangular,
    UniformInt,
    Weibull,
)
from simhall.scenario import DelayStep, Scenario, SessionStep, WorkStep

PROFILE = (
    (510, 570, 1.0),
    (570, 630, 1.6),
    (630, 870, 1.3),
    (870, 930, 1.0),
    (930, 990, 0.9),
    (990, 1050, 0.5),
)


def test_demand_bins_and_factors(small_hall: Scenario) -> None:
    item = small_hall.item("JW-001")
    assert item.demand.daily_volume == 3.5
    assert item.demand.weekday_factors == (1.3, 1.1, 1.0, 0.9, 0.8, 1.0, 1.0)
    assert item.demand.intraday == PROFILE
    # a group's weekday_factors replace those of [demand]; days not given are 1.0
    licence = small_hall.item("GS-001")
    assert licence.demand.weekday_factors == (1.5, 1.0, 1.0, 1.0, 0.7, 1.0, 1.0)
    assert licence.demand.intraday == PROFILE


def test_csv_items_take_defaults_in_order(small_hall: Scenario) -> None:
    # JW-002: empty daily_demand -> group; window_service: group beats department defaults
    jw2 = small_hall.item("JW-002")
    assert jw2.group == "construction"
    assert jw2.demand.daily_volume == 2.0
    assert jw2.window_service == Lognormal(mean=15, sd=8)
    assert jw2.incomplete_prob == 0.2  # group beats [defaults]
    assert jw2.route == (
        WorkStep("section_review", "jianwei", "section", Exponential(mean=90)),
        SessionStep("leader_signoff", "jianwei", "signoff"),
    )
    assert jw2.tags == ("compressed_2007", "planning")
    # JW-003: no group -> the department's item_defaults beat [defaults]; the CSV cell wins
    jw3 = small_hall.item("JW-003")
    assert jw3.window_service == Lognormal(mean=12, sd=6)
    assert jw3.incomplete_prob == 0.05
    assert jw3.return_delay == UniformInt(low=1, high=5)
    # GS-002: a department without item_defaults -> [defaults]; the route comes from its group
    gs2 = small_hall.item("GS-002")
    assert gs2.window_service == Lognormal(mean=10, sd=5)
    assert gs2.incomplete_prob == 0.15
    assert [s.name for s in gs2.route] == ["clerk_review", "leader_signoff"]
    assert gs2.route[0] == WorkStep("clerk_review", "gongshang", "clerk", Gamma(mean=45, sd=20))
    # onsite rows
    ga1 = small_hall.item("GA-001")
    assert ga1.kind == "onsite" and ga1.committed_days == 0 and ga1.statutory_days is None
    assert ga1.window_service == Triangular(low=3, mode=6, high=15)
    assert ga1.incomplete_prob == 0.08
    ga2 = small_hall.item("GA-002")
    assert ga2.route == (
        WorkStep("household_review", "gongan", "review", Weibull(shape=1.5, scale=40)),
        DelayStep("archive_check", "gongan", Empirical(values=[0, 1, 1, 2])),
    )
