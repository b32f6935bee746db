"""Loading the example scenarios gives the objects the format describes."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest

from simhall.distributions import (
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Triangular,
    Uniform,
    UniformInt,
    Weibull,
)
from simhall.scenario import (
    Courier,
    DelayStep,
    ParallelStep,
    Pool,
    Scenario,
    ScenarioError,
    SessionSchedule,
    SessionStep,
    WorkStep,
    distribution_to_toml,
    load_scenario,
    load_scenario_text,
    parse_distribution,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "scenarios" / "examples"
FIXTURES = Path(__file__).resolve().parent / "scenarios"

PROFILE = (
    (510, 570, 1.0),
    (570, 630, 1.6),
    (630, 870, 1.3),
    (870, 930, 1.0),
    (930, 990, 0.9),
    (990, 1050, 0.5),
)


@pytest.fixture(scope="module")
def small_hall() -> Scenario:
    return load_scenario(EXAMPLES / "small_hall.toml")


def test_one_window_is_a_single_onsite_item() -> None:
    hall = load_scenario(EXAMPLES / "one_window.toml")
    assert hall.name == "One window"
    assert hall.synthetic
    assert hall.source == str(EXAMPLES / "one_window.toml")
    assert hall.calendar.holidays == "weekends-only"
    assert hall.calendar.opening == ((510, 720), (870, 1050))
    assert hall.run.days == 60 and hall.run.warmup_days == 5 and hall.run.seed == 20070101
    (dept,) = hall.departments
    assert (dept.id, dept.name, dept.windows, dept.pools) == ("minzheng", "市民政局", 1, ())
    (item,) = hall.items
    assert item.kind == "onsite"
    assert item.committed_days == 0  # onsite items finish the same day
    assert item.route == ()
    assert item.window_service == Exponential(mean=8)
    # built-in defaults
    assert item.incomplete_prob == 0.0
    assert item.return_delay == UniformInt(low=1, high=5)
    assert item.demand.daily_volume == 40
    assert item.demand.weekday_factors == (1.0,) * 7
    assert item.demand.intraday == ((510, 1050, 1.0),)  # uniform over opening hours


def test_small_hall_counts_and_chinese_names(small_hall: Scenario) -> None:
    assert small_hall.name == "Small hall"
    assert [d.id for d in small_hall.departments] == ["jianwei", "gongshang", "gongan"]
    assert [d.name for d in small_hall.departments] == ["市建委", "市工商局", "市公安局"]
    assert len(small_hall.items) == 9  # 1 in the TOML file, 8 from the CSV
    assert small_hall.item("GA-002").name == "户口迁移"
    assert small_hall.item("JW-001").name == "建筑工程施工许可证核发"
    assert small_hall.reforms == ()


def test_small_hall_calendar_and_run(small_hall: Scenario) -> None:
    cal = small_hall.calendar
    assert cal.start.isoformat() == "2007-01-01"
    assert cal.holidays == "cn"
    assert [d.isoformat() for d in cal.extra_holidays] == ["2007-05-08"]
    assert cal.opening_on(4) == ((510, 720), (870, 990))
    assert cal.opening_on(0) == ((510, 720), (870, 1050))
    assert small_hall.run.replications == 3
    assert small_hall.run.service_level == 0.95


def test_departments_pools_courier_sessions(small_hall: Scenario) -> None:
    jianwei = small_hall.department("jianwei")
    assert jianwei.windows == 3
    assert jianwei.back_office == "outside"
    assert jianwei.courier == Courier(times_min=(600, 900), travel_min=40.0)
    assert jianwei.pool("section") == Pool("section", 4, in_hall=False)
    assert jianwei.pool("chief") == Pool("chief", 1, in_hall=True, hours=((510, 720),))
    assert jianwei.signoff == SessionSchedule(
        weekdays=(1, 4), times_min=(960,), duration_min=0.0, on_holiday="next_working_day"
    )
    assert jianwei.meeting == SessionSchedule(weekdays=(0,), times_min=(540,))
    gongshang = small_hall.department("gongshang")
    assert gongshang.back_office == "hall" and gongshang.courier is None
    assert gongshang.pool("clerk") == Pool("clerk", 3, in_hall=True)
    assert gongshang.signoff is not None and gongshang.signoff.weekdays == (0, 1, 2, 3, 4)
    assert gongshang.signoff.duration_min == 30
    assert gongshang.meeting is None


def test_route_with_parallel_branches(small_hall: Scenario) -> None:
    item = small_hall.item("JW-001")
    assert item.kind == "commitment"
    assert (item.committed_days, item.statutory_days) == (12, 20)
    assert item.tags == ("compressed_2007",)
    check, joint, meeting, notice, signoff = item.route
    assert check == WorkStep("acceptance_check", "jianwei", "chief", Fixed(value=15))
    assert isinstance(joint, ParallelStep)
    first, second = joint.branches
    assert first == (
        WorkStep("section_review", "jianwei", "section", Lognormal(mean=120, sd=60)),
        DelayStep("site_inspection", "jianwei", Uniform(low=1, high=3)),
    )
    assert second == (WorkStep("business_check", "gongshang", "clerk", Exponential(mean=60)),)
    assert meeting == SessionStep("director_meeting", "jianwei", "meeting", probability=0.2)
    assert notice == DelayStep("public_notice", "jianwei", Fixed(value=5), counts=False)
    assert signoff == SessionStep("leader_signoff", "jianwei", "signoff")


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


def test_overlay_changes_windows_patches_and_removes() -> None:
    base = load_scenario(EXAMPLES / "small_hall.toml")
    more = load_scenario(EXAMPLES / "small_hall_more_windows.toml")
    assert more.name == "Small hall, more windows"
    assert more.description.startswith("small_hall.toml with 6")
    assert more.synthetic  # from the base
    assert more.department("gongshang").windows == 6
    assert more.department("gongshang").signoff == base.department("gongshang").signoff
    assert more.department("jianwei") == base.department("jianwei")
    # the CSV row GS-002 patched by id: only daily_demand changes
    gs2 = more.item("GS-002")
    assert gs2.demand.daily_volume == 11.0
    assert gs2.name == "个体工商户开业登记"
    assert (gs2.committed_days, gs2.incomplete_prob) == (5, 0.15)
    # remove = true
    with pytest.raises(KeyError):
        more.item("GS-003")
    assert [i.id for i in more.items] == [i.id for i in base.items if i.id != "GS-003"]


def test_reforms_collected_base_first() -> None:
    hall = load_scenario(FIXTURES / "reforms_second.toml")
    assert hall.name == "两轮改革"
    reforms = cast(tuple[tuple[str, dict[str, Any]], ...], hall.reforms)
    files = [Path(file).name for file, _ in reforms]
    assert files == ["reforms_first.toml", "reforms_second.toml", "reforms_second.toml"]
    names = [reform["name"] for _, reform in reforms]
    assert names == ["chief representative", "compress limits", "more windows"]
    assert len(hall.items) == 9


def test_load_scenario_text_with_base_dir() -> None:
    text = 'extends = "small_hall.toml"\n[[departments]]\nid = "gongan"\nwindows = 5\n'
    hall = load_scenario_text(text, name="what_if.toml", base_dir=EXAMPLES)
    assert hall.source == "what_if.toml"
    assert hall.name == "Small hall"  # [scenario].name from the base
    assert hall.department("gongan").windows == 5


def test_name_defaults_to_file_stem(tmp_path: Path) -> None:
    text = (EXAMPLES / "one_window.toml").read_text(encoding="utf-8")
    text = text.replace('name = "One window"\n', "")
    path = tmp_path / "my_hall.toml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path).name == "my_hall"


def test_csv_with_bom(tmp_path: Path) -> None:
    text = (EXAMPLES / "one_window.toml").read_text(encoding="utf-8")
    text = text.split("[[items]]")[0]
    text = 'items_csv = "items.csv"\n' + text
    text += '[defaults]\nwindow_service = { dist = "fixed", value_min = 5 }\n'
    (tmp_path / "hall.toml").write_text(text, encoding="utf-8")
    csv_text = "id,name,department,kind,daily_demand\nMZ-9,收养登记,minzheng,onsite,2\n"
    (tmp_path / "items.csv").write_bytes(b"\xef\xbb\xbf" + csv_text.encode("utf-8"))
    hall = load_scenario(tmp_path / "hall.toml")
    assert hall.item("MZ-9").name == "收养登记"
    assert hall.item("MZ-9").window_service == Fixed(value=5)


@pytest.mark.parametrize(
    ("dist", "unit"),
    [
        (Fixed(value=3), "min"),
        (Exponential(mean=12.5), "min"),
        (Lognormal(mean=12, sd=6), "min"),
        (Gamma(mean=4, sd=2), "days"),
        (Weibull(shape=1.5, scale=40), "min"),
        (Uniform(low=1, high=3), "days"),
        (Triangular(low=3, mode=6, high=15), "min"),
        (UniformInt(low=1, high=5), "days"),
        (Empirical(values=[1.0, 2.5, 4.0]), "days"),
    ],
)
def test_distribution_round_trip(dist: object, unit: str) -> None:
    table = distribution_to_toml(dist, unit)  # type: ignore[arg-type]
    assert table["dist"] == dist.name  # type: ignore[attr-defined]
    assert all(k == "dist" or k == "shape" or k.endswith("_" + unit) for k in table)
    assert parse_distribution(table, unit, "x", "f.toml") == dist  # type: ignore[arg-type]


def test_parse_distribution_reports_file_and_path() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_distribution(
            {"dist": "exponential", "mean_min": -5}, "min", "work.duration", "c.toml"
        )
    assert str(info.value) == "c.toml: work.duration.mean_min = -5: expected a number > 0 (minutes)"
