"""Parsing and applying reform tables: the registry, table keys, bad tables, purity."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from simhall.reforms import REGISTRY, Reform, apply_reforms, parse_reform, reform_log
from simhall.reforms.base import register
from simhall.scenario import ScenarioError, load_scenario_text
from simhall.scenario.schema import Scenario

WithReforms = Callable[..., Scenario]

SELECT = ("items", "tags", "departments")
TABLE_KEYS = {
    "chief_representative": (
        "department",
        "representatives",
        "hours",
        *SELECT,
        "replace",
        "onsite_duration",
        "approval_step",
        "coordination",
        "daily_signoff",
        "daily_meeting",
        "max_wait_days",
    ),
    "reengineering": (
        *SELECT,
        "remove",
        "merge",
        "scale",
        "durations",
        "committed_days",
        "committed_scale",
    ),
    "two_concentrations": ("department", "meeting", "daily_signoff"),
    "one_form": (
        "bundle",
        "items",
        "stage",
        "daily_demand",
        "forms",
        "fields",
        "forms_after",
        "fields_after",
        "min_per_field",
        "sign_service",
    ),
    "parallel_approval": SELECT,
    "staffing": (
        *SELECT,
        "windows",
        "add_windows",
        "staff",
        "add_staff",
        "opening",
        "demand_factor",
        "online_share",
    ),
    "district_center": (*SELECT, "share", "windows", "staff", "suffix"),
    "online_submission": (*SELECT, "share", "correction_days", "pickup_service"),
}
"""The keys of each kind as docs/reforms.md lists them (the unknown-key message order)."""


def test_registry_has_the_eight_kinds_in_order_and_their_table_keys() -> None:
    assert list(REGISTRY) == list(TABLE_KEYS)
    for kind, cls in REGISTRY.items():
        assert cls.kind == kind
        assert cls.table_keys() == ("kind", "name", *TABLE_KEYS[kind])


def test_unknown_kind_lists_the_registry() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_reform({"kind": "online_filing"}, _one_item_hall(), "o.toml", 2)
    kinds = ", ".join(f'"{k}"' for k in TABLE_KEYS)
    assert str(info.value) == f'o.toml: reforms[2].kind = "online_filing": expected one of: {kinds}'


def test_register_refuses_a_second_class_of_a_kind_and_classes_without_kind() -> None:
    @dataclasses.dataclass(frozen=True)
    class Impostor(Reform):
        label: str = "x"
        kind = "staffing"

    with pytest.raises(ValueError, match="two reforms of kind 'staffing'"):
        register(Impostor)

    @dataclasses.dataclass(frozen=True)
    class Nameless(Reform):
        label: str = "x"

    with pytest.raises(TypeError, match="Nameless has no kind"):
        register(Nameless)
    assert REGISTRY["staffing"].__name__ == "Staffing" and "" not in REGISTRY


def _one_item_hall() -> Scenario:
    return load_scenario_text(TEXT, name="hall.toml")


def _problems(scn: Scenario) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        apply_reforms(scn)
    return [f"{p.file}: {p.path}" for p in info.value.problems]


def test_bad_reform_tables_name_file_and_key(
    outside_hall: Scenario, with_reforms: WithReforms
) -> None:
    got = _problems(
        with_reforms(
            outside_hall,
            {"kind": "reengineering", "items": ["a"], "remove": ["x"], "colour": 1},
            {"kind": "chief_representative", "department": "nope"},
            {"kind": "reengineering", "items": ["zz"]},
            {"kind": "chife_representative"},
            {"kind": "staffing", "departments": ["d"], "windows": 0},
        )
    )
    assert "t.toml: reforms[0].colour" in got
    assert "t.toml: reforms[0].remove[0]" in got
    assert "t.toml: reforms[1].department" in got
    assert "t.toml: reforms[2].items[0]" in got
    assert "t.toml: reforms[3].kind" in got
    assert "t.toml: reforms[4].windows" in got


TEXT = """
[scenario]
name = "x"
[calendar]
start = 2007-09-24
[[departments]]
id = "d"
name = "D"
windows = 1
pools = { section = 1 }
[[items]]
id = "a"
department = "d"
kind = "commitment"
committed_days = 5
daily_demand = 1
window_service = { dist = "fixed", value_min = 5 }
route = [ { step = "review", kind = "work", pool = "section", \
  duration = { dist = "fixed", value_min = 5 } } ]
"""


def test_reform_errors_from_toml_overlays_name_the_file(tmp_path: Path) -> None:
    text = (
        TEXT
        + """
[[reforms]]
kind = "reengineering"
tags = ["nothing"]
scale = { review = -1 }
"""
    )
    scn = load_scenario_text(text, name="hall.toml")
    with pytest.raises(ScenarioError) as info:
        apply_reforms(scn)
    message = str(info.value)
    assert "hall.toml: reforms[0].tags[0]" in message


def test_reforms_are_pure_and_apply_once(outside_hall: Scenario, with_reforms: WithReforms) -> None:
    base = with_reforms(outside_hall, {"kind": "two_concentrations", "department": "d"})
    out, log = reform_log(base)
    assert base.department("d").back_office == "outside"  # input untouched
    assert out.reforms == () and len(log) == 1 and log[0].kind == "two_concentrations"
    assert apply_reforms(out) == out
    r = parse_reform({"kind": "parallel_approval", "items": "all"}, base)
    assert r.apply(out) == out  # one department: nothing to parallelize
