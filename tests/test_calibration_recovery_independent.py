"""Parameter recovery on the independent generator's logs (issue 8, "Tests and evidence").

The generator's configuration is the ground truth (:mod:`tests.independent.config`); its
realised hidden quantities (which rounds were held, each case's tray days) are in
``world.truth``. Calibration on the six-month export must find, per department and item:

* rounds: weekdays and clock time exact, the per-file minutes within 0.5 min of the
  configured uniform's mean, the skip share within 0.05 of the share realised in the period;
* the director's meeting: weekday and time exact;
* resources: windows = clerks and section staff = staff exactly; inspections under one shared
  name are delays (their mean within 0.35 working days of the configured mean);
* trays: a tray for every department whose files wait (configured ``tray_days`` of at least
  one day on average), its mean within 0.3 working days of the realised mean tray days;
* pickups: a visit after the decision, in the configured share of cases (+-0.06, or three
  standard errors);
* 补正 (returns for correction): probability per visit within 0.03 (or three standard
  errors) of the configured share;
* day-to-day demand: ``day_cv`` within 0.06 of the CV the day factors realised in the
  period, and within 0.1 of the configured one (a hall that sends the last applicants home
  at the cutoff moves part of a busy day to the next, which the log cannot show).
"""

from __future__ import annotations

import math

import pytest

from simhall.calibration import Calibration
from tests.calibration_roundtrip import calibrate_world
from tests.independent import GeneratedLog
from tests.independent.halls import CALIBRATION

HALL_NAMES = ("eighteen", "small", "chinese")


@pytest.fixture(scope="module", params=HALL_NAMES)
def world(request: pytest.FixtureRequest) -> tuple[GeneratedLog, Calibration]:
    return calibrate_world(request.param, seed=0)


def _departments(cal: Calibration):  # type: ignore[no-untyped-def]
    return {d.id: d for d in cal.departments}


def _held_share(world: GeneratedLog, kind: str) -> float:
    s = world.truth.sessions
    s = s[(s["kind"] == kind) & (s["date"] >= CALIBRATION[0]) & (s["date"] < CALIBRATION[1])]
    return float(s["held"].mean())


def test_signoff_rounds(world) -> None:  # type: ignore[no-untyped-def]
    log, cal = world
    deps = _departments(cal)
    for d in log.truth.config.departments:
        found = deps[d.dept_id].signoff
        assert found is not None, d.dept_id
        activity, est = found
        truth = d.signoff
        assert activity == log.truth.config.activities.signoff
        assert est.pattern == "round"
        assert est.weekdays == tuple(sorted(truth.weekdays)), d.dept_id
        assert est.times_min == (truth.clock_min,), d.dept_id
        assert est.per_file_min == pytest.approx(sum(truth.per_file_min) / 2, abs=0.5)
        realised = 1 - _held_share(log, f"signoff:{d.dept_id}")
        assert est.skip_share == pytest.approx(realised, abs=0.05), d.dept_id


def test_director_meeting(world) -> None:  # type: ignore[no-untyped-def]
    log, cal = world
    cfg = log.truth.config
    deps = _departments(cal)
    for dept_id in {i.department for i in cfg.items if i.meeting}:
        found = deps[dept_id].meeting
        assert found is not None, dept_id
        assert found[1].weekdays == cfg.meeting.weekdays
        assert found[1].times_min == (cfg.meeting.clock_min,)


def test_windows_staff_and_shared_inspections(world) -> None:  # type: ignore[no-untyped-def]
    log, cal = world
    cfg = log.truth.config
    deps = _departments(cal)
    for d in cfg.departments:
        est = deps[d.dept_id]
        assert est.windows == d.clerks, d.dept_id
        work_pools = [p.staff for p in est.pools.values()]
        assert work_pools == [d.staff], (d.dept_id, est.pools)
    roles = cal.classification.set_index("activity")["kind"]
    assert roles[cfg.activities.inspection] == "delay"
    assert roles[cfg.activities.pickup] == "visit"
    for item in cfg.items:
        lo, hi = item.inspection_days
        if hi == 0:
            continue
        est = next(i for i in cal.items if i.id == item.item_id)
        step = next(s for s in est.route if s.name == cfg.activities.inspection)
        true_mean = sum(max(n, 1) for n in range(lo, hi + 1)) / (hi - lo + 1)
        assert step.kind == "delay" and step.fit is not None
        assert step.fit.dist.mean == pytest.approx(true_mean, abs=0.35), item.item_id


def test_trays(world) -> None:  # type: ignore[no-untyped-def]
    log, cal = world
    cfg = log.truth.config
    cases = log.truth.cases
    accepted = cases["accepted"] < CALIBRATION[1].isoformat()
    for item in cfg.items:
        if item.kind != "commitment":
            continue
        dept = cfg.department(item.department)
        est = next(i for i in cal.items if i.id == item.item_id)
        review = next(s for s in est.route if s.name == cfg.activities.review)
        mine = cases[accepted & (cases["item_id"] == item.item_id) & (cases["tray_days"] >= 0)]
        realised = float(mine["tray_days"].mean())
        if sum(dept.tray_days) / 2 >= 1:
            assert review.wait is not None, item.item_id
        if review.wait is not None:
            assert review.wait.dist.mean == pytest.approx(realised, abs=0.3), item.item_id


def test_pickups_and_corrections(world) -> None:  # type: ignore[no-untyped-def]
    log, cal = world
    cfg = log.truth.config
    for item in cfg.items:
        est = next(i for i in cal.items if i.id == item.item_id)
        p = item.correction_share
        tol = max(0.03, 3 * math.sqrt(p * (1 - p) / est.visits))  # three standard errors
        assert est.incomplete_prob == pytest.approx(p, abs=tol), item.item_id
        if item.kind != "commitment":
            continue
        pickup = [s for s in est.route if s.name == cfg.activities.pickup]
        if item.pickup_share == 0:
            assert pickup == []
            continue
        assert pickup[0].kind == "visit" and pickup[0].wait is not None
        q = item.pickup_share
        tol = max(0.06, 3 * math.sqrt(q * (1 - q) / pickup[0].n_eligible))
        assert pickup[0].probability == pytest.approx(q, abs=tol), item.item_id


def test_day_to_day_dispersion(world) -> None:  # type: ignore[no-untyped-def]
    """Against the CV the day factors realised in the period (the configured one +-0.1)."""
    log, cal = world
    f = log.truth.day_factor
    f = f[(f.index >= CALIBRATION[0]) & (f.index < CALIBRATION[1])]
    assert cal.demand.day_cv == pytest.approx(float(f.std() / f.mean()), abs=0.06)
    assert cal.demand.day_cv == pytest.approx(log.truth.config.day_cv, abs=0.1)
    assert f"day_cv = {cal.demand.day_cv:g}" in cal.to_toml()
