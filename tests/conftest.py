"""Fixtures shared by the tests: scenario and reform tests, and the validation tests'
stable hall (``scenario``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from simhall.distributions import Fixed
from simhall.scenario import Scenario, load_scenario
from simhall.scenario.schema import SessionSchedule, SessionStep, WorkStep
from tests import helpers
from tests.helpers import START, at, case_row, department, item, model, play

EXAMPLES = Path(__file__).resolve().parent.parent / "scenarios" / "examples"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """``scenarios/examples``: the example scenarios the format documentation describes."""
    return EXAMPLES


@pytest.fixture(scope="session")
def small_hall() -> Scenario:
    """The example small hall (three departments, a CSV catalogue, defaults, routes)."""
    return load_scenario(EXAMPLES / "small_hall.toml")


@pytest.fixture()
def outside_hall() -> Scenario:
    """One item of department ``d`` whose back office is outside the hall.

    Route: section review (30 min), the Monday 09:00 director's meeting (60 min), the
    Tue/Fri 16:00 sign-off (30 min); files travel by the 10:00 and 15:30 courier (30 min).
    """
    dept = department(
        "d",
        back_office="outside",
        courier=((600, 930), 30.0),
        signoff=SessionSchedule(weekdays=(1, 4), times_min=(960,), duration_min=30),
        meeting=SessionSchedule(weekdays=(0,), times_min=(540,), duration_min=60),
    )
    route = [
        WorkStep("section_review", "d", "section", Fixed(30.0)),
        SessionStep("director_meeting", "d", "meeting"),
        SessionStep("leader_signoff", "d", "signoff"),
    ]
    return helpers.scenario([item("a", route=route)], [dept])


@pytest.fixture()
def with_reforms() -> Callable[..., Scenario]:
    """``with_reforms(scn, *tables)``: ``scn`` with these raw reform tables from ``t.toml``."""

    def make(scn: Scenario, *tables: dict[str, object]) -> Scenario:
        return dataclasses.replace(scn, reforms=tuple(("t.toml", t) for t in tables))

    return make


@pytest.fixture()
def run_one() -> Callable[..., dict[str, object]]:
    """``run_one(scn, ticket=Monday 09:00, index=0)``: the case row of one applicant."""

    def run(scn: Scenario, ticket: float = at(START, 9), index: int = 0) -> dict[str, object]:
        m = play(model(scn, days=20, drain_days=40), [(ticket, index)])
        return case_row(m, 0)

    return run


SMALL = EXAMPLES / "small_hall.toml"


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
