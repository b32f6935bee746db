"""The independent generator checked from first principles (its own mechanics, not simhall's)."""

from __future__ import annotations

import dataclasses
import pathlib
from datetime import date

import numpy as np
import pandas as pd
import pytest

from tests.independent import (
    CN_HOLIDAYS_2024_2025,
    CN_MAKEUP_DAYS_2024_2025,
    WorkDays,
    case_table,
    chinese_hall,
    eighteen_item_hall,
    generate,
    noise_floor,
    score_log,
    small_hall,
)

SPRING = (date(2024, 3, 4), date(2024, 4, 1))
AUTUMN = (date(2024, 9, 2), date(2024, 10, 21))  # Mid-Autumn, National Day, 3 make-up days


@pytest.fixture(scope="module")
def autumn():
    return generate(eighteen_item_hall(), *AUTUMN, seed=3, ready=True)


def _clock(ts: pd.Series) -> np.ndarray:
    return (ts.dt.hour * 60 + ts.dt.minute + ts.dt.second / 60).to_numpy()


def test_no_simhall_import():
    for path in pathlib.Path(__file__).parent.joinpath("independent").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import simhall" not in text and "from simhall" not in text, path


def test_holiday_lists_match_chinese_calendar():
    cc = pytest.importorskip("chinese_calendar")
    wd = WorkDays(date(2024, 1, 1), 731, CN_HOLIDAYS_2024_2025, CN_MAKEUP_DAYS_2024_2025)
    mismatch = [
        wd.date(i) for i in range(731) if bool(wd.is_working[i]) != cc.is_workday(wd.date(i))
    ]
    assert mismatch == []


def test_working_day_arithmetic():
    wd = WorkDays(date(2024, 9, 27), 30, CN_HOLIDAYS_2024_2025, CN_MAKEUP_DAYS_2024_2025)
    # Fri 09-27 -> Sun 09-29 is a make-up day, then Oct 1-7 off, Tue 10-08 works
    assert wd.date(wd.add(wd.day(date(2024, 9, 27)), 1)) == date(2024, 9, 29)
    assert wd.date(wd.add(wd.day(date(2024, 9, 29)), 2)) == date(2024, 10, 8)
    assert wd.between(wd.day(date(2024, 9, 27)), wd.day(date(2024, 10, 8))) == 3  # 29th, 30th, 8th
    assert wd.between(wd.day(date(2024, 9, 30)), wd.day(date(2024, 9, 30))) == 0


def test_determinism_and_seeds():
    a = generate(small_hall(), *SPRING, seed=7)
    b = generate(small_hall(), *SPRING, seed=7)
    c = generate(small_hall(), *SPRING, seed=8)
    pd.testing.assert_frame_equal(a.events, b.events)
    assert not a.events.equals(c.events)
    assert list(a.events.columns) == ["case_id", "item_id", "activity", "resource", "start", "end"]
    assert set(a.items.columns) >= {"item_id", "department", "kind", "committed_days", "name"}


def test_events_only_on_working_days(autumn):
    wd = autumn.workdays
    days = pd.concat([autumn.events["start"], autumn.events["end"]]).dt.normalize()
    idx = ((days - pd.Timestamp(wd.start)).dt.days).to_numpy()
    assert wd.is_working[idx].all()
    seen = set(days.dt.date)
    for d in (date(2024, 9, 14), date(2024, 9, 29), date(2024, 10, 12)):  # make-up days
        assert d in seen
    assert not seen & {date(2024, 10, 1), date(2024, 9, 16), date(2024, 9, 21)}


def test_window_lunch_and_overtime(autumn):
    acts = autumn.truth.config.activities
    win = autumn.events[autumn.events["activity"].isin([acts.accept, acts.correction, acts.pickup])]
    c = _clock(win["start"])
    assert not ((c >= 720) & (c < 870)).any()  # no call in the lunch break
    assert (c < 1110).all() and (c >= 510).all()
    assert (c > 1050).sum() > 0  # the queue at closing is served in overtime
    off = dataclasses.replace(
        small_hall(), mechanisms=dataclasses.replace(small_hall().mechanisms, overtime=False)
    )
    g = generate(off, *SPRING, seed=1)
    assert (_clock(g.events.loc[g.events["activity"] == "accept", "start"]) < 1020).all()


def test_day_factor_dispersion():
    hall = eighteen_item_hall()
    flat = dataclasses.replace(
        hall,
        mechanisms=dataclasses.replace(hall.mechanisms, weekday_factor=False, corrections=False),
    )
    period = (date(2024, 3, 1), date(2024, 8, 1))

    def vmr(h):
        g = generate(h, *period, seed=11, ready=True)
        first = g.events.groupby("case_id")["ready"].min().dt.date.value_counts()
        return first.var() / first.mean(), first.mean()

    ratio, mean = vmr(flat)
    expected = 1 + hall.day_cv**2 * mean  # negative binomial: var = m + cv^2 m^2
    assert 0.65 * expected < ratio < 1.4 * expected
    poisson, _ = vmr(
        dataclasses.replace(flat, mechanisms=dataclasses.replace(flat.mechanisms, day_factor=False))
    )
    assert 0.6 < poisson < 1.6


def test_signoff_rounds(autumn):
    cfg = autumn.truth.config
    build = cfg.department("build").signoff
    ev = autumn.events[autumn.events["resource"] == build.resource]
    assert set(ev["start"].dt.day_of_week) <= set(build.weekdays)
    assert (_clock(ev["start"]) >= build.clock_min).all()
    per_round = ev.groupby(ev["start"].dt.date)["start"]
    spread = (per_round.max() - per_round.min()).dt.total_seconds() / 60
    sizes = per_round.size()
    assert (spread[sizes >= 5] > 10).all()  # files signed one after another
    # back to back: within a round each file starts when the previous one ends
    ev = ev.sort_values("start")
    prev_end = ev.groupby(ev["start"].dt.date)["end"].shift(1)
    gap = (ev["start"] - prev_end).dropna().dt.total_seconds()
    assert len(gap) > 20 and (gap.abs() <= 1).all()
    ready = ev["ready"]
    assert ready.dt.floor("h").nunique() > 20  # files ready at many different times


def test_skip_share_observed():
    g = generate(eighteen_item_hall(), date(2024, 3, 1), date(2024, 9, 1), seed=5)
    s = g.truth.sessions
    build = s[s["resource"] == "build-leader"]
    skipped = 1 - build["held"].mean()
    assert abs(skipped - 0.25) < 0.12
    round_days = set(g.events.loc[g.events["resource"] == "build-leader", "start"].dt.date)
    assert round_days <= set(build.loc[build["held"], "date"])
    assert not round_days & set(build.loc[~build["held"], "date"])


def test_inspections_overlap_on_one_name(autumn):
    cfg = autumn.truth.config
    ev = autumn.events[autumn.events["activity"] == cfg.activities.inspection]
    assert set(ev["resource"]) == {cfg.inspection_resource}
    t = pd.concat([pd.Series(1, index=ev["start"]), pd.Series(-1, index=ev["end"])])
    concurrency = t.sort_index().cumsum()
    assert concurrency.max() >= 5


def test_correction_returns_in_working_days(autumn):
    acts = autumn.truth.config.activities
    wd = autumn.workdays
    win = autumn.events[autumn.events["activity"].isin([acts.accept, acts.correction])]
    win = win.sort_values(["case_id", "start"])
    nxt = win.groupby("case_id")["start"].shift(-1)
    corr = win[(win["activity"] == acts.correction) & nxt.notna()]
    origin = pd.Timestamp(wd.start)
    a = (corr["end"].dt.normalize() - origin).dt.days.to_numpy()
    b = (nxt[corr.index].dt.normalize() - origin).dt.days.to_numpy()
    gaps = np.array([wd.between(i, j) for i, j in zip(a, b, strict=True)])
    assert len(gaps) > 100
    assert gaps.min() >= 1 and np.mean(gaps <= 5) > 0.97
    assert set(range(1, 6)) <= set(gaps)


def test_tray_and_pickup(autumn):
    acts = autumn.truth.config.activities
    ev = autumn.events
    cases = autumn.truth.cases.set_index("case_id")
    review = ev[ev["activity"] == acts.review].set_index("case_id")
    wd = autumn.workdays
    origin = pd.Timestamp(wd.start)
    a = (review["ready"].dt.normalize() - origin).dt.days.to_numpy()
    b = (review["start"].dt.normalize() - origin).dt.days.to_numpy()
    waited = np.array([wd.between(i, j) for i, j in zip(a, b, strict=True)])
    assert (waited >= cases.loc[review.index, "tray_days"].to_numpy()).all()
    pick = ev[ev["activity"] == acts.pickup]
    sign = ev[ev["activity"] == acts.signoff].groupby("case_id")["end"].max()
    assert (pick.set_index("case_id")["start"] > sign[pick["case_id"]].to_numpy()).all()


def test_onsite_items_complete_at_window_and_working_days(autumn):
    cfg = autumn.truth.config
    table = case_table(autumn.events, autumn.workdays)
    onsite = {i.item_id for i in cfg.items if i.kind == "onsite"}
    assert (table.loc[table["item_id"].isin(onsite), "working_days"] == 0).all()
    commit = table.loc[~table["item_id"].isin(onsite)]
    assert (commit.groupby("item_id")["working_days"].mean() > 1).all()


def test_chinese_hall_names():
    g = generate(chinese_hall(), *SPRING, seed=2)
    assert {"受理", "补正", "科室审核", "领导签发"} <= set(g.events["activity"])
    assert "工商窗口2" in set(g.events["resource"])
    card = score_log(g.events, g.workdays, SPRING, accept="受理", correction="补正", pickup="办结")
    assert 0.2 < card.onsite_share < 0.9
    assert np.isnan(card.window_wait_min)  # no ready column: no wait


def test_noise_floor_is_small_but_positive():
    nf = noise_floor(small_hall(), *SPRING, (date(2024, 3, 4), date(2024, 3, 18)))
    assert 0 < nf["mean_wd_mae"] < 3
    assert 0 <= nf["onsite_share_diff"] < 0.15
