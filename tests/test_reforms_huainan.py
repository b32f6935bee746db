"""The Huainan 2007 reform overlays: they load, apply, and are not fitted to the report."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from simhall.reforms import load_reformed
from simhall.reforms.routes import step_count
from simhall.scenario import load_scenario

HERE = Path(__file__).resolve().parents[1] / "scenarios" / "huainan_2007"
SINGLE = [
    "reform_reengineering",
    "reform_chief_rep",
    "reform_two_concentrations",
    "reform_one_form",
    "reform_district",
]


@pytest.fixture(scope="module")
def base():  # type: ignore[no-untyped-def]
    return load_scenario(HERE / "baseline.toml")


@pytest.mark.parametrize("name", [*SINGLE, "reform_one_form_before", "reforms_2007"])
def test_overlays_load_and_apply(name: str) -> None:
    scn = load_reformed(HERE / f"{name}.toml")
    assert scn.reforms == ()
    assert len(scn.items) >= 214


def test_combination_is_the_single_overlays_in_order() -> None:
    combined = tomllib.loads((HERE / "reforms_2007.toml").read_text("utf-8"))["reforms"]
    singles = [
        r for n in SINGLE for r in tomllib.loads((HERE / f"{n}.toml").read_text("utf-8"))["reforms"]
    ]
    assert combined == singles


def test_no_overlay_sets_committed_limits() -> None:
    for path in HERE.glob("reform*.toml"):
        for table in tomllib.loads(path.read_text("utf-8")).get("reforms", []):
            assert "committed_days" not in table and "committed_scale" not in table, path


def test_chief_rep_removes_two_steps_from_each_of_the_46(base) -> None:  # type: ignore[no-untyped-def]
    after = load_reformed(HERE / "reform_chief_rep.toml")
    ids = [i.id for i in base.items if "chief_rep_46" in i.tags]
    removed = [step_count(base.item(i).route) - step_count(after.item(i).route) for i in ids]
    assert len(ids) == 46 and set(removed) == {2}
