"""Fixtures shared by the tests: scenario and reform tests, the validation tests' stable
hall (``scenario``), the calibration tests' small logs and first stages (``case_log``,
``catalogue_of``, ``period_of``), and the comparison tests' hall, overlays and run
(``compare_hall``, ``overlay_of``, ``compare_options``, ``comparison``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from simhall.calibration.catalogue import Catalogue, read_catalogue
from simhall.calibration.events import encode_log
from simhall.calibration.period import PeriodLog, select_period
from simhall.calibration.visits import find_visits
from simhall.distributions import Fixed, Lognormal, UniformInt
from simhall.scenario import Scenario, load_scenario
from simhall.scenario.schema import DelayStep, SessionSchedule, SessionStep, WorkStep
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


# --- calibration ----------------------------------------------------------------------

CALIBRATION_MONDAY = pd.Timestamp("2007-03-05")
"""Day 0 of the small calibration logs (a Monday)."""


def _case_log(n_cases: int, item: str = "A", start_case: int = 0) -> pd.DataFrame:
    rows = []
    rng = np.random.default_rng(n_cases)
    for k in range(n_cases):
        day = int(k % 60)
        day += 2 * (day // 5)  # skip weekends roughly
        t0 = CALIBRATION_MONDAY + pd.Timedelta(days=day, minutes=int(rng.integers(520, 700)))
        t1 = t0 + pd.Timedelta(minutes=10)
        t2 = t1 + pd.Timedelta(minutes=float(rng.lognormal(np.log(50), 0.3)))
        cid = f"case{start_case + k}"
        rows.append((cid, item, "accept", "d/window/1", t0, t0, t1))
        rows.append((cid, item, "review", f"d/pool/{1 + k % 2}", t1, t1, t2))
    return pd.DataFrame(
        rows, columns=["case_id", "item_id", "activity", "resource", "ready", "start", "end"]
    )


@pytest.fixture(scope="session")
def case_log() -> Callable[..., pd.DataFrame]:
    """``case_log(n_cases, item="A", start_case=0)``: a small timed log of department ``d``.

    Each case is accepted at window ``d/window/1`` (10 min, between 08:40 and 11:40 on a
    weekday of the first 12 weeks from Monday 2007-03-05), then reviewed by ``d/pool/1``
    or ``d/pool/2`` (lognormal, median 50 min).
    """
    return _case_log


@pytest.fixture(scope="session")
def catalogue_of() -> Callable[..., pd.DataFrame]:
    """``catalogue_of(*item_ids, committed_days=5)``: commitment items of department ``d``."""

    def make(*item_ids: str, committed_days: int = 5) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "item_id": list(item_ids),
                "department": "d",
                "kind": "commitment",
                "committed_days": committed_days,
            }
        )

    return make


@pytest.fixture(scope="session")
def period_of() -> Callable[..., tuple[Catalogue, PeriodLog]]:
    """``period_of(events, items, accept_activity="accept")``: the first calibration stages
    (catalogue, events, visits, period over the whole log)."""

    def make(
        events: pd.DataFrame, items: pd.DataFrame, accept_activity: str = "accept"
    ) -> tuple[Catalogue, PeriodLog]:
        catalogue = read_catalogue(items)
        log = encode_log(events, catalogue)
        return catalogue, select_period(log, find_visits(log, accept_activity))

    return make


# --- compare --------------------------------------------------------------------------

COMPARE_RUN: dict[str, Any] = {
    "reps": 3,
    "seed": 11,
    "days": 40,
    "warmup_days": 5,
    "drain_days": 30,
    "show_progress": False,
}


def _compare_hall() -> Scenario:
    d = department("d", staff=2, signoff=SessionSchedule((1, 4), (960,), 30))
    e = department("e", staff=2)
    a = item(
        "a",
        route=[
            WorkStep("review", "d", "section", Lognormal(40.0, 20.0)),
            DelayStep("inspection", "d", UniformInt(1, 3)),
            SessionStep("leader_signoff", "d", "signoff"),
        ],
        volume=4.0,
        service=Lognormal(10.0, 5.0),
        committed_days=12,
    )
    a = dataclasses.replace(a, tags=("target",))
    b = item(
        "b",
        department="e",
        route=[
            WorkStep("review", "e", "section", Lognormal(30, 15)),
            DelayStep("check", "e", UniformInt(0, 2)),
        ],
        volume=3.0,
        service=Lognormal(8.0, 4.0),
        committed_days=8,
    )
    return helpers.scenario([a, b], [d, e])


def _compare_overlay(base: Scenario, *tables: dict[str, object]) -> Scenario:
    return dataclasses.replace(base, reforms=base.reforms + tuple(("o.toml", t) for t in tables))


@pytest.fixture(scope="session")
def compare_options() -> dict[str, Any]:
    """Run options of the comparison tests: 3 replications of 40 days (5 warm-up, 30 drain),
    seed 11, no progress bar."""
    return dict(COMPARE_RUN)


@pytest.fixture(scope="session")
def compare_hall() -> Scenario:
    """Two departments: item ``a`` (tagged ``target``) of ``d`` with section review, a 1-3
    day inspection and the Tue/Fri 16:00 sign-off; item ``b`` of ``e`` with review and a
    0-2 day check."""
    return _compare_hall()


@pytest.fixture(scope="session")
def overlay_of() -> Callable[..., Scenario]:
    """``overlay_of(base, *tables)``: ``base`` extended by these raw reform tables (from
    ``o.toml``), as an overlay file that ``extends`` the base would be."""
    return _compare_overlay


@pytest.fixture(scope="session")
def comparison():  # type: ignore[no-untyped-def]
    """:func:`simhall.compare.compare` of :func:`compare_hall` and one overlay removing
    item ``a``'s inspection, for the set ``target``, ranking within one representative."""
    from simhall.compare import compare

    base = _compare_hall()
    overlays = {
        "remove": _compare_overlay(
            base, {"kind": "reengineering", "items": ["a"], "remove": ["inspection"]}
        )
    }
    return compare(
        base,
        overlays,
        tags=["target"],
        rank_budget=1,
        rank_template={"replace": ["signoff"]},
        **COMPARE_RUN,
    )
