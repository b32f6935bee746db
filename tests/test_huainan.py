"""``simhall.studies.huainan``: the study's horizons and sub-halls."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from simhall.scenario import load_scenario
from simhall.studies import huainan

HERE = huainan.case_study_folder()


def test_bagongshan_horizon_covers_the_window() -> None:
    start, days = huainan.bagongshan_horizon(10)
    assert start == date(2007, 6, 26)
    assert days == 73  # 10 warm-up days + 2007-07-06..2007-09-06 (63 days)
    start, days = huainan.bagongshan_horizon(0)
    assert start == date(2007, 7, 6) and days == 63


def test_subhall_keeps_closed_departments_only() -> None:
    base = load_scenario(HERE / "baseline.toml")
    sub = huainan.subhall(base, huainan.BUNDLE_DEPARTMENTS)
    assert {d.id for d in sub.departments} == set(huainan.BUNDLE_DEPARTMENTS)
    assert {i.department for i in sub.items} == set(huainan.BUNDLE_DEPARTMENTS)
    with pytest.raises(ValueError, match="unknown"):
        huainan.subhall(base, ["nowhere"])
    # an item of another department with a step in a kept one breaks closure
    other = next(i for i in base.items if i.department not in huainan.BUNDLE_DEPARTMENTS)
    gs = next(i for i in base.items if i.department == "gongshang" and i.route)
    crossing = dataclasses.replace(other, route=other.route + gs.route)
    bad = dataclasses.replace(base, items=(*base.items, dataclasses.replace(crossing, id="x")))
    with pytest.raises(ValueError, match="not closed"):
        huainan.subhall(bad, huainan.BUNDLE_DEPARTMENTS)
