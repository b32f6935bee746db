"""``simhall.calibration.pipeline``: :func:`calibrate` end to end on small logs."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from simhall.calibration import calibrate
from simhall.calibration.evidence import DROPPED_COLUMNS, FIT_COLUMNS
from simhall.calibration.settings import STANDING_ASSUMPTIONS
from simhall.scenario import load_scenario

BASE = pd.Timestamp("2007-03-05")  # a Monday

Log = Callable[..., pd.DataFrame]


def test_pooling_to_department_when_item_has_few_cases(case_log: Log, catalogue_of: Log) -> None:
    ev = pd.concat([case_log(80, "A"), case_log(5, "B", start_case=1000)], ignore_index=True)
    cal = calibrate(ev, catalogue_of("A", "B"), min_cases=30)
    a, b = cal.items
    assert a.route and not a.route[0].pooled
    assert b.route and b.route[0].pooled.startswith("pooled: department d")
    assert b.window_pooled.startswith("pooled")
    assert b.route[0].fit is not None and b.route[0].fit.n >= 30
    # the department's pooled fits are made once and listed once
    dept_rows = cal.fits[cal.fits["scope"] == "department"]
    assert list(dept_rows["step"]) == ["d window_service", "d review"]


def test_missing_column_is_an_error(case_log: Log, catalogue_of: Log) -> None:
    ev = case_log(10).drop(columns="end")
    with pytest.raises(ValueError, match="end"):
        calibrate(ev, catalogue_of("A"))


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"holidays": "us"}, "holidays = 'us'"),
        ({"bin_min": 45}, "bin_min = 45"),
        ({"min_cases": 0}, "min_cases = 0"),
    ],
)
def test_bad_options_are_errors_before_any_work(
    option: dict[str, object], message: str, catalogue_of: Log
) -> None:
    empty = pd.DataFrame(columns=["case_id"])  # would fail later: the options fail first
    with pytest.raises(ValueError, match=message):
        calibrate(empty, catalogue_of("A"), **option)  # type: ignore[arg-type]


def test_evidence_in_stage_order(case_log: Log, catalogue_of: Log) -> None:
    """Dropped rows: reader, events, visits, period; assumptions once each, standing ones
    last."""
    ev = case_log(80, "A")
    ev.loc[0, "item_id"] = "NOPE"  # case0's acceptance: dropped, so case0 is never accepted
    issues = pd.DataFrame([{"check": "blank rows", "count": 2, "action": "dropped", "detail": ""}])
    cal = calibrate(
        ev,
        catalogue_of("A"),
        since="2007-03-12",
        read_issues=issues,
        read_notes=["a note from the reader", "a note from the reader"],
    )
    assert tuple(cal.dropped.columns) == DROPPED_COLUMNS
    assert tuple(cal.fits.columns) == FIT_COLUMNS
    checks = ["read: blank rows", "unknown item", "no acceptance", "outside period"]
    assert list(cal.dropped["check"]) == checks
    assert cal.assumptions[0] == "a note from the reader"
    assert cal.assumptions.count("a note from the reader") == 1
    assert cal.assumptions[-len(STANDING_ASSUMPTIONS) :] == STANDING_ASSUMPTIONS
    assert cal.notes[-1].endswith(f"used ({cal.n_cases} cases)")
    assert cal.since.isoformat() == "2007-03-12"


def test_completion_only_log_without_time_of_day_warns_nothing() -> None:
    """No ready/start times and date-only completions: defaults, explicitly, no NaN cast."""
    rng = np.random.default_rng(9)
    rows = []
    for c in range(60):
        d0 = int(rng.integers(0, 60))
        for k, a in enumerate(["accept", "review", "decision"]):
            rows.append((f"c{c}", "X", a, BASE + pd.Timedelta(days=d0 + 3 * k)))
    events = pd.DataFrame(rows, columns=["case_id", "item_id", "activity", "end"])
    items = pd.DataFrame(
        [{"item_id": "X", "department": "d", "kind": "commitment", "committed_days": 20}]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        cal = calibrate(events, items, holidays="weekends-only")
    assert not cal.hours.estimated
    assert load_scenario is not None and cal.scenario() is not None
