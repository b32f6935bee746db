"""Fixtures shared by the validation tests (test_validation, test_cases, test_holdout)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from simhall.scenario import load_scenario
from simhall.scenario.schema import Scenario

SMALL = Path(__file__).resolve().parents[1] / "scenarios" / "examples" / "small_hall.toml"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """The small example hall with a fourth business clerk: a stable hall (see
    test_validation's docstring)."""
    sc = load_scenario(SMALL)
    deps = tuple(
        dataclasses.replace(
            d, pools=tuple(dataclasses.replace(p, staff=p.staff + 1) for p in d.pools)
        )
        if d.id == "gongshang"
        else d
        for d in sc.departments
    )
    return dataclasses.replace(sc, departments=deps)
