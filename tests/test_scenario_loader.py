"""Loading the example scenarios gives the objects the format describes."""

from __future__ import annotations

from pathlib import Path

from simhall.distributions import Exponential, UniformInt
from simhall.scenario import Scenario, load_scenario, load_scenario_text


def test_one_window_is_a_single_onsite_item(examples_dir: Path) -> None:
    hall = load_scenario(examples_dir / "one_window.toml")
    assert hall.name == "One window"
    assert hall.synthetic
    assert hall.source == str(examples_dir / "one_window.toml")
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


def test_load_scenario_text_with_base_dir(examples_dir: Path) -> None:
    text = 'extends = "small_hall.toml"\n[[departments]]\nid = "gongan"\nwindows = 5\n'
    hall = load_scenario_text(text, name="what_if.toml", base_dir=examples_dir)
    assert hall.source == "what_if.toml"
    assert hall.name == "Small hall"  # [scenario].name from the base
    assert hall.department("gongan").windows == 5


def test_name_defaults_to_file_stem(examples_dir: Path, tmp_path: Path) -> None:
    text = (examples_dir / "one_window.toml").read_text(encoding="utf-8")
    text = text.replace('name = "One window"\n', "")
    path = tmp_path / "my_hall.toml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path).name == "my_hall"
