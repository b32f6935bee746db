"""``simhall.validation.recovery``: parameters of a known hall vs those calibrated from its log."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pandas as pd
import pytest

from simhall.distributions import Exponential, Fixed
from simhall.scenario import load_scenario
from simhall.scenario.schema import Courier, DelayStep, Scenario, SessionSchedule
from simhall.validation.recovery import COLUMNS, recovery_table

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "scenarios" / "examples" / "small_hall.toml"


@pytest.fixture(scope="module")
def small() -> Scenario:
    return load_scenario(SMALL)


def value(table: pd.DataFrame, id_: str, parameter: str, column: str) -> object:
    hit = table[(table["id"] == id_) & (table["parameter"] == parameter)]
    assert len(hit) == 1, (id_, parameter, hit)
    return hit.iloc[0][column]


def test_identical_scenarios_recover_exactly(small: Scenario) -> None:
    table = recovery_table(small, small)
    assert tuple(table.columns) == COLUMNS
    numeric = table[table["match"].isna()]
    text = table[table["match"].notna()]
    assert len(numeric) and len(text)
    assert (numeric["rel_error"] == 0.0).all()
    assert text["match"].all()
    assert text["rel_error"].isna().all()
    assert list(dict.fromkeys(table["scope"])) == ["department", "item"]
    depts = [d.id for d in small.departments]
    assert list(dict.fromkeys(table.loc[table["scope"] == "department", "id"])) == depts
    assert list(dict.fromkeys(table.loc[table["scope"] == "item", "id"])) == [
        i.id for i in small.items
    ]


def test_expected_rows_and_values(small: Scenario) -> None:
    table = recovery_table(small, small)
    assert value(table, "jianwei", "windows", "truth") == 3.0
    assert value(table, "jianwei", "staff: section", "truth") == 4.0
    assert value(table, "jianwei", "sign-off weekdays", "truth") == "tue, fri"
    assert value(table, "jianwei", "sign-off times", "truth") == "16:00"
    assert value(table, "jianwei", "meeting weekdays", "truth") == "mon"
    assert value(table, "jianwei", "courier times", "truth") == "10:00, 15:00"
    assert value(table, "jianwei", "courier travel", "truth") == 40.0
    assert value(table, "gongshang", "sign-off weekdays", "truth") == "mon, tue, wed, thu, fri"
    # no courier, no sign-off at gongan: no such rows
    gongan = set(table.loc[table["id"] == "gongan", "parameter"])
    assert gongan == {"windows", "staff: review"}
    # daily volume: daily_volume x mean Monday-Friday weekday factor
    assert value(table, "JW-001", "daily volume", "truth") == pytest.approx(3.5 * 1.02)
    assert value(table, "GS-001", "daily volume", "truth") == pytest.approx(12.0 * 1.04)
    assert value(table, "JW-001", "return probability", "truth") == pytest.approx(0.2)
    assert value(table, "JW-001", "window service mean", "truth") == pytest.approx(20.0)
    # parallel branches flattened; work steps in working minutes, delays in working days
    assert value(table, "JW-001", "section_review mean", "truth") == pytest.approx(120.0)
    assert value(table, "JW-001", "section_review mean", "unit") == "working min"
    assert value(table, "JW-001", "business_check mean", "truth") == pytest.approx(60.0)
    assert value(table, "JW-001", "site_inspection mean", "truth") == pytest.approx(2.0)
    assert value(table, "JW-001", "site_inspection mean", "unit") == "working days"
    assert value(table, "JW-001", "director_meeting probability", "truth") == pytest.approx(0.2)
    # sessions have no duration row; probability rows only where a side is below 1
    params = set(table.loc[table["id"] == "JW-001", "parameter"])
    assert "leader_signoff mean" not in params
    assert "leader_signoff probability" not in params


def _replace_dept(sc: Scenario, dept_id: str, **changes: object) -> Scenario:
    depts = tuple(
        dataclasses.replace(d, **changes) if d.id == dept_id else d  # type: ignore[arg-type]
        for d in sc.departments
    )
    return dataclasses.replace(sc, departments=depts)


def _replace_item(sc: Scenario, item_id: str, **changes: object) -> Scenario:
    items = tuple(
        dataclasses.replace(i, **changes) if i.id == item_id else i  # type: ignore[arg-type]
        for i in sc.items
    )
    return dataclasses.replace(sc, items=items)


def test_differences_are_reported(small: Scenario) -> None:
    other = _replace_dept(
        small,
        "jianwei",
        windows=4,
        signoff=SessionSchedule(weekdays=(1, 3), times_min=(960,)),
        courier=Courier(times_min=(600,), travel_min=30.0),
    )
    ga2 = small.item("GA-002")
    other = _replace_item(
        other,
        "GA-002",
        incomplete_prob=0.15,
        window_service=Exponential(mean=10.0),
        route=(*ga2.route, DelayStep("extra_wait", "gongan", Fixed(2.0), probability=0.5)),
    )
    table = recovery_table(small, other)
    assert value(table, "jianwei", "windows", "rel_error") == pytest.approx(1 / 3)
    assert value(table, "jianwei", "sign-off weekdays", "recovered") == "tue, thu"
    assert not value(table, "jianwei", "sign-off weekdays", "match")
    assert value(table, "jianwei", "sign-off times", "match")
    assert value(table, "jianwei", "courier times", "recovered") == "10:00"
    assert value(table, "jianwei", "courier travel", "rel_error") == pytest.approx(0.25)
    assert value(table, "GA-002", "return probability", "rel_error") == pytest.approx(0.5)
    assert value(table, "GA-002", "window service mean", "rel_error") == pytest.approx(0.25)
    # a step on the calibrated side only: NaN truth, NaN error; probability 0 vs 0.5
    assert math.isnan(value(table, "GA-002", "extra_wait mean", "truth"))  # type: ignore[arg-type]
    assert value(table, "GA-002", "extra_wait mean", "recovered") == 2.0
    assert math.isnan(value(table, "GA-002", "extra_wait mean", "rel_error"))  # type: ignore[arg-type]
    assert value(table, "GA-002", "extra_wait probability", "truth") == 0.0
    assert value(table, "GA-002", "extra_wait probability", "recovered") == 0.5


def test_missing_department_item_pool_and_session(small: Scenario) -> None:
    cal = dataclasses.replace(
        small,
        departments=tuple(d for d in small.departments if d.id != "gongan"),
        items=tuple(i for i in small.items if i.id != "GS-003"),
    )
    cal = _replace_dept(cal, "jianwei", meeting=None, pools=small.department("jianwei").pools[:1])
    table = recovery_table(small, cal)
    assert math.isnan(value(table, "gongan", "windows", "recovered"))  # type: ignore[arg-type]
    assert math.isnan(value(table, "GS-003", "daily volume", "recovered"))  # type: ignore[arg-type]
    assert math.isnan(value(table, "jianwei", "staff: chief", "recovered"))  # type: ignore[arg-type]
    assert value(table, "jianwei", "meeting weekdays", "recovered") == "-"
    assert not value(table, "jianwei", "meeting weekdays", "match")


def test_digits_round_numbers_only(small: Scenario) -> None:
    other = _replace_item(small, "JW-002", incomplete_prob=0.2345678)
    table = recovery_table(small, other, digits=3)
    assert value(table, "JW-002", "return probability", "recovered") == 0.235
    assert value(table, "JW-002", "return probability", "rel_error") == round(
        0.2345678 / 0.2 - 1, 3
    )
    assert value(table, "jianwei", "sign-off times", "recovered") == "16:00"


def test_recovers_the_small_hall_from_its_synthetic_log(small: Scenario) -> None:
    from simhall.calibration import calibrate
    from simhall.synth import synthesize

    events, items = synthesize(small, days=60, seed=4)
    table = recovery_table(small, calibrate(events, items, source="test").scenario())
    depts = table[table["scope"] == "department"]
    numbers = depts[depts["match"].isna()]
    assert (numbers["rel_error"] == 0.0).all(), numbers
    assert depts.loc[depts["match"].notna(), "match"].all()
    volume = table[table["parameter"] == "daily volume"]
    assert (volume["rel_error"] < 0.25).all(), volume
    service = table[table["parameter"] == "window service mean"]
    assert (service["rel_error"] < 0.15).all(), service
