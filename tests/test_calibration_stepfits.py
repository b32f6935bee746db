"""``simhall.calibration.stepfits``: durations of route steps (own, pooled, lumped)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from simhall.calibration import calibrate
from simhall.calibration.routes import LUMPED_STEP

Log = Callable[..., pd.DataFrame]


def _with_steps(
    ev: pd.DataFrame,
    every: int,
    name: str,
    days: float,
    after: str = "review",
    repeat: bool = False,
) -> pd.DataFrame:
    """Add a step ``name`` of ``days`` days after step ``after`` of every ``every``-th case."""
    reviews = ev[ev["activity"] == after].iloc[::every]
    extra = reviews.assign(
        activity=name,
        resource=None,
        ready=reviews["end"],
        start=reviews["end"],
        end=reviews["end"] + pd.Timedelta(days=days),
    )
    parts = [ev, extra] + (
        [extra.assign(end=extra["end"] + pd.Timedelta(days=1))] if repeat else []
    )
    return pd.concat(parts, ignore_index=True)


def test_rare_steps_lumped_into_one_delay(case_log: Log, catalogue_of: Log) -> None:
    ev = _with_steps(case_log(200), 1, "inspection", 1.0)  # no resource: a delay
    ev = _with_steps(ev, 40, "objection", 2.0, after="inspection")
    ev = _with_steps(ev, 50, "extension", 3.0, after="inspection")
    cal = calibrate(ev, catalogue_of("A"), holidays="weekends-only")
    route = {st.name: st for st in cal.items[0].route}
    assert list(route)[0] == "review"
    assert set(route) == {"review", "inspection", LUMPED_STEP}  # by mean relative position
    lumped = route[LUMPED_STEP]
    assert lumped.kind == "delay" and lumped.pooled.startswith("lumps 2 steps each in < 5%")
    assert lumped.n_cases == 8  # cases 0, 40, 80, 120, 160 and 0, 50, 100, 150
    # per case, the sum of its rare steps' working days: 2 (x4), 3 (x3) and 2 + 3 (case 0)
    assert lumped.fit is not None and lumped.fit.mean == pytest.approx((4 * 2 + 3 * 3 + 5) / 8)
    assert any("2 route steps seen in fewer than 5%" in a for a in cal.assumptions)
    assert route["inspection"].kind == "delay" and route["inspection"].fit is not None
    assert route["inspection"].fit.dist.mean == pytest.approx(1.0, rel=0.2)
    everything = calibrate(ev, catalogue_of("A"), holidays="weekends-only", route_min_share=0)
    names = {st.name for st in everything.items[0].route}
    assert names == {"review", "inspection", "objection", "extension"}  # nothing lumped


def test_repeated_steps_are_kept_once_and_said_so(case_log: Log, catalogue_of: Log) -> None:
    ev = _with_steps(case_log(100), 1, "inspection", 1.0, repeat=True)
    cal = calibrate(ev, catalogue_of("A"), holidays="weekends-only")
    (item,) = cal.items
    assert [st.name for st in item.route] == ["review", "inspection"]
    n = item.route[1].n_eligible  # finished cases: all of them have it twice
    assert f"item A: step 'inspection' occurs more than once in {n} case(s)" in "".join(
        cal.assumptions
    )


def test_session_steps_wait_for_their_departments_schedule(
    case_log: Log, catalogue_of: Log
) -> None:
    """A session step has no duration of its own: the department's sign-off schedule."""
    cal = calibrate(case_log(60), catalogue_of("A"), classification={"review": "session"})
    assert cal.departments[0].signoff is not None
    assert cal.departments[0].signoff[0] == "review"
    (step,) = cal.items[0].route
    assert (step.name, step.kind, step.fit, step.pool) == ("review", "signoff", None, None)
    assert step.probability == 1.0
