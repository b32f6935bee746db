"""Reform tables are checked by the scenario collector; only the key paths are their own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from simhall.distributions import Fixed
from simhall.reforms import parse_reform
from simhall.reforms.checker import Checker
from simhall.scenario import ScenarioError
from simhall.scenario.schema import DelayStep, Scenario
from tests.helpers import department, item, scenario

WithReforms = Callable[..., Scenario]


def _hall() -> Scenario:
    route = [DelayStep("现场勘查", "d", Fixed(2.0))]
    return scenario([item("a", route=route), item("b")], [department("d")])


def _messages(table: dict[str, object]) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse_reform(table, _hall(), "r.toml", 1)
    return str(info.value).splitlines()


def test_sub_keys_are_written_as_they_are() -> None:
    got = _messages(
        {"kind": "reengineering", "items": "all", "scale": {"公示": 0.5, "现场勘查": -1}}
    )
    assert got == [
        "r.toml: reforms[1].scale.公示 = 0.5: expected a work or delay step name of the selected "
        "items",
        "r.toml: reforms[1].scale.现场勘查 = -1: expected a number in [0, inf)",
    ]


def test_times_follow_the_scenario_rule() -> None:
    table = {"kind": "staffing", "opening": [["08:00", "12:00"], ["14:00", "24:30"]]}
    assert _messages(table) == [
        'r.toml: reforms[1].opening[1][1] = "24:30": expected a time "HH:MM" from "00:00" to '
        '"24:00"'
    ]
    table["opening"] = [["08:00", "12:00"], ["11:00", "24:00"]]
    assert _messages(table) == [
        'r.toml: reforms[1].opening[1] = ["11:00", "24:00"]: expected intervals in order and '
        "not overlapping (this one starts before 12:00, the end of the previous one)"
    ]
    table["opening"] = [["08:00", "12:00"], ["14:00", "24:00"]]
    reform = parse_reform(table, _hall())
    assert reform.apply(_hall()).calendar.opening == ((480, 720), (840, 1440))


def test_numbers_counts_flags_and_distributions_read_as_in_scenarios() -> None:
    got = _messages(
        {
            "kind": "district_center",
            "items": ["a"],
            "share": 0,
            "windows": True,
            "staff": 0,
            "suffix": "",
        }
    )
    assert got == [
        'r.toml: reforms[1].suffix = "": expected a non-empty string',
        "r.toml: reforms[1].share = 0: expected a number in (0, 1]",
        "r.toml: reforms[1].windows = true: expected a whole number >= 1 (not true/false)",
        "r.toml: reforms[1].staff = 0: expected a whole number >= 1",
    ]
    got = _messages(
        {
            "kind": "chief_representative",
            "department": "d",
            "coordination": "yes",
            "onsite_duration": 15,
        }
    )
    assert got == [
        "r.toml: reforms[1].onsite_duration = 15: expected a distribution table like "
        '{ dist = "exponential", mean_min = 10 } (minutes)',
        'r.toml: reforms[1].coordination = "yes": expected true or false',
    ]


def test_checker_paths_and_defaults() -> None:
    chk = Checker("r.toml", 3)
    assert (
        chk.path("") == "reforms[3]" and chk.path("merge[0].steps") == "reforms[3].merge[0].steps"
    )
    assert chk.number({}, "share", 0.2) == 0.2 and chk.integer({}, "windows", 1) == 1
    assert chk.choice({"stage": "later"}, "stage", ("before", "after"), "after") == "after"
    assert chk.strings({"items": ["a", "b", "a"]}, "items") == ("a", "b")
    assert [str(p) for p in chk.problems] == [
        'r.toml: reforms[3].stage = "later": expected one of: "before", "after"; '
        "did you mean 'after'?"
    ]
    chk.keys({"steps": [], "nmae": "x"}, ("steps", "name"), "merge[0]")
    assert str(chk.problems[-1]) == (
        'r.toml: reforms[3].merge[0].nmae = "x": unknown key; expected one of: steps, name; '
        "did you mean 'name'?"
    )
    with pytest.raises(ScenarioError):
        chk.raise_if_any()
