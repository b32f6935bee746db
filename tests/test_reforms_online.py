"""Online submission (远程申报): the window queue loses the online share, the back office keeps it.

The claim of the reform, checked on the model: an online application never queues at the
window for acceptance or correction, still goes through the back office, and ends with a
pickup visit where the item requires one; so window visits and waits fall while the back
office's work stays. Items the reform does not touch keep their draws (common random
numbers).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from simhall.distributions import Exponential, UniformInt
from simhall.logs.schema import ACCEPT, CORRECTION, ONLINE_ACCEPT, ONLINE_CORRECTION, PICKUP
from simhall.reforms import apply_reforms
from simhall.scenario import ScenarioError
from simhall.scenario.schema import Scenario, WorkStep
from tests.helpers import START, at, department, item, model, play, scenario

WithReforms = Callable[..., Scenario]

ONLINE = {
    "kind": "online_submission",
    "items": ["a"],
    "share": 0.5,
    "correction_days": {"dist": "fixed", "value_days": 1},
    "pickup_service": {"dist": "fixed", "value_min": 3},
}


def _hall() -> Scenario:
    """Item ``a`` crowds department ``d``'s two windows (about 80% busy) and needs a review in
    its back office; item ``c`` of department ``e`` is not offered online."""
    review = WorkStep("review", "d", "section", Exponential(mean=20.0))
    a = item(
        "a",
        service=Exponential(mean=12.0),
        volume=50.0,
        incomplete_prob=0.3,
        return_delay=UniformInt(1, 3),
        route=[review],
    )
    c = item(
        "c",
        department="e",
        service=Exponential(mean=10.0),
        volume=10.0,
        route=[WorkStep("check", "e", "section", Exponential(mean=30.0))],
    )
    return scenario([a, c], [department("d", windows=2, staff=3), department("e")])


def _run(scn: Scenario, seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return model(scn, days=40, drain_days=40, seed=seed).run().frames()


def _waits(events: pd.DataFrame, dept: str) -> np.ndarray:
    visits = events[events["resource"].astype("string").str.startswith(f"{dept}/window")]
    return ((visits["start"] - visits["ready"]).dt.total_seconds() / 60.0).to_numpy()


def test_one_online_case_corrects_online_is_reviewed_and_picks_up(
    with_reforms: WithReforms,
) -> None:
    table = {**ONLINE, "share": 1.0}
    scn = apply_reforms(with_reforms(_hall(), table))
    scripted = {"item/a/incomplete": [0.0, 0.9], "item/a/online/coin": [0.0]}
    m = play(model(scn, scripted=scripted), [(at(START, 9), 0)])
    acts = [(e[2], e[3]) for e in m.records()]
    assert acts == [
        (ONLINE_CORRECTION, None),  # no window: the papers come back online
        (ONLINE_ACCEPT, None),
        ("review", "d/section/1"),  # the back office as before
        (PICKUP, "d/window/1"),  # one visit, to collect the result
    ]
    events = m.records()
    assert events[0][5] == at(START, 9)  # filed when the ticket would have been taken
    assert int(events[1][5] // 1440) == 1  # resubmitted one working day later (Tuesday)
    assert int(events[3][4] // 1440) == int(events[2][6] // 1440) + 1  # pickup the day after
    case = m.case_frame().iloc[0]
    assert case["visits"] == 1 and case["status"] == "completed"
    assert case["completion"] < pd.Timestamp(START) + pd.Timedelta(minutes=events[3][4])


def test_window_waits_fall_back_office_load_stays(with_reforms: WithReforms) -> None:
    base = apply_reforms(_hall())
    online = apply_reforms(with_reforms(_hall(), ONLINE))
    (ev0, cases0, st0), (ev1, cases1, st1) = _run(base), _run(online)
    acts1 = ev1.groupby("case_id", observed=True)["activity"].agg(lambda s: set(s.astype(str)))
    by_online = acts1.map(lambda a: ONLINE_ACCEPT in a or ONLINE_CORRECTION in a)
    a_cases = cases1[cases1["item_id"] == "a"].set_index("case_id")
    share = float(by_online.reindex(a_cases.index.astype(str)).mean())
    assert share == pytest.approx(0.5, abs=0.05)  # about 2000 applications, binomial sd 0.011
    for acts in acts1[by_online]:
        assert not acts & {ACCEPT, CORRECTION}  # online cases never queue to be accepted
    # every completed online case picks up exactly once; window cases never do
    picks = ev1[ev1["activity"] == PICKUP].groupby("case_id", observed=True).size()
    done = a_cases[a_cases["status"] == "completed"].index.astype(str)
    online_done = [c for c in done if by_online.get(c, False)]
    assert picks.reindex(online_done).eq(1).all()
    assert set(picks.index.astype(str)) <= set(online_done)
    # the same applicants (same arrival draws) and the same back-office work
    assert len(cases1) == len(cases0)
    reviews0 = (ev0["activity"] == "review").sum()
    assert (ev1["activity"] == "review").sum() == pytest.approx(reviews0, rel=0.01)
    busy = {
        k: s[s["station"] == "section"].set_index("department")["busy_min"]
        for k, s in (("before", st0), ("after", st1))
    }
    assert busy["after"]["d"] == pytest.approx(busy["before"]["d"], rel=0.02)
    # window visits: the online half and its correction visits leave, pickups come
    visits0 = (ev0["activity"].isin([ACCEPT, CORRECTION]) & (ev0["item_id"] == "a")).sum()
    visits1 = (ev1["activity"].isin([ACCEPT, CORRECTION]) & (ev1["item_id"] == "a")).sum()
    assert visits1 == pytest.approx(0.5 * visits0, rel=0.1)
    assert (ev1["activity"] == PICKUP).sum() == len(online_done)
    # so the waits at d's windows fall a lot (from about 80% busy)
    w0, w1 = _waits(ev0, "d"), _waits(ev1, "d")
    assert w0.mean() > 10.0
    assert w1.mean() < 0.4 * w0.mean()
    # department e's item is not offered online: its draws and events are untouched
    e0 = ev0[ev0["item_id"] == "c"].drop(columns="case_id").reset_index(drop=True)
    e1 = ev1[ev1["item_id"] == "c"].drop(columns="case_id").reset_index(drop=True)
    e0["item_id"], e1["item_id"] = e0["item_id"].astype(str), e1["item_id"].astype(str)
    for col in ("activity", "resource"):
        e0[col], e1[col] = e0[col].astype(str), e1[col].astype(str)
    pd.testing.assert_frame_equal(e0, e1)


def test_share_zero_draws_nothing_and_staffing_online_share_is_the_same_mechanism(
    with_reforms: WithReforms,
) -> None:
    base = _run(apply_reforms(_hall()))
    zero = _run(apply_reforms(with_reforms(_hall(), {**ONLINE, "share": 0.0})))
    for b, z in zip(base, zero, strict=True):
        pd.testing.assert_frame_equal(b, z)
    staffing = {"kind": "staffing", "items": ["a"], "online_share": 0.5}
    no_pickup = {k: v for k, v in ONLINE.items() if k not in ("pickup_service", "correction_days")}
    via_staffing = _run(apply_reforms(with_reforms(_hall(), staffing)))
    via_online = _run(apply_reforms(with_reforms(_hall(), no_pickup)))
    for s, o in zip(via_staffing, via_online, strict=True):
        pd.testing.assert_frame_equal(s, o)
    assert (via_staffing[0]["activity"] == PICKUP).sum() == 0
    assert (via_staffing[0]["activity"] == ONLINE_ACCEPT).sum() > 0


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            {"kind": "online_submission", "items": ["a"]},
            "t.toml: reforms[0].share is missing: expected the share of applications filed online, "
            "in [0, 1]",
        ),
        (
            {"kind": "online_submission", "items": ["a"], "share": 1.5},
            "t.toml: reforms[0].share = 1.5: expected a number in [0, 1]",
        ),
        (
            {"kind": "online_submission", "share": 0.2},
            "t.toml: reforms[0].items is missing: expected items = [...], tags = [...], "
            'departments = [...] or "all"',
        ),
        (
            {"kind": "online_submission", "items": ["a"], "share": 0.2, "pickup_service": 3},
            "t.toml: reforms[0].pickup_service = 3: expected a distribution table like { dist = "
            '"exponential", mean_min = 10 } (minutes)',
        ),
    ],
)
def test_bad_tables_are_clear_errors(
    with_reforms: WithReforms, table: dict[str, object], message: str
) -> None:
    with pytest.raises(ScenarioError) as info:
        apply_reforms(with_reforms(_hall(), table))
    assert str(info.value) == message
