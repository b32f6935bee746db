"""Chief representatives: same-day approval, supervision, and the effect with randomness."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from simhall.distributions import Lognormal
from simhall.model import TO_BACK_OFFICE, TO_HALL
from simhall.reforms import apply_reforms
from simhall.scenario.schema import Scenario, SessionSchedule, SessionStep, WorkStep
from tests.helpers import START, at, case_row, department, item, model, play, scenario, trace

WithReforms = Callable[..., Scenario]
RunOne = Callable[..., dict[str, object]]
MON = at(START, 9)  # Monday 2007-09-24 09:00


def test_chief_representative_completes_authorized_cases_the_same_day(
    outside_hall: Scenario, with_reforms: WithReforms, run_one: RunOne
) -> None:
    base = outside_hall
    before = run_one(base)
    assert before["elapsed_days"] >= 1
    out = apply_reforms(
        with_reforms(
            base,
            {
                "kind": "chief_representative",
                "department": "d",
                "replace": ["work", "signoff", "meeting"],
                "onsite_duration": {"dist": "fixed", "value_min": 15},
            },
        )
    )
    route = out.item("a").route
    assert [(s.name, getattr(s, "pool", None)) for s in route] == [("onsite_approval", "chief")]
    assert out.department("d").pool("chief").in_hall
    m = play(model(out, days=20, drain_days=40), [(MON, 0)])
    row = case_row(m, 0)
    assert row["elapsed_days"] == 0 and row["onsite_completion"]
    acts = [a for a, _, _ in trace(m)]
    assert TO_BACK_OFFICE not in acts and TO_HALL not in acts


def test_chief_representative_supervision_caps_the_wait_for_signoff(
    with_reforms: WithReforms, run_one: RunOne
) -> None:
    weekly = SessionSchedule(weekdays=(4,), times_min=(960,), duration_min=0)
    dept = department("d", signoff=weekly)
    route = [SessionStep("leader_signoff", "d", "signoff")]
    base = scenario([item("a", route=route)], [dept])
    assert run_one(base)["elapsed_days"] == 4  # Monday -> Friday
    capped = apply_reforms(
        with_reforms(
            base,
            {"kind": "chief_representative", "department": "d", "replace": [], "max_wait_days": 1},
        )
    )
    assert run_one(capped)["elapsed_days"] == 1
    daily = apply_reforms(
        with_reforms(
            base,
            {
                "kind": "chief_representative",
                "department": "d",
                "replace": [],
                "daily_signoff": True,
            },
        )
    )
    assert run_one(daily)["elapsed_days"] == 0


def test_chief_representative_cuts_days_with_random_durations(
    outside_hall: Scenario, with_reforms: WithReforms
) -> None:
    base = outside_hall
    noisy = dataclasses.replace(
        base.item("a"),
        demand=dataclasses.replace(base.item("a").demand, daily_volume=3.0),
        window_service=Lognormal(10.0, 5.0),
        route=tuple(
            dataclasses.replace(s, duration=Lognormal(60.0, 30.0)) if isinstance(s, WorkStep) else s
            for s in base.item("a").route
        ),
    )
    base = dataclasses.replace(base, items=(noisy,))
    out = apply_reforms(
        with_reforms(
            base,
            {"kind": "chief_representative", "department": "d", "replace": ["signoff", "meeting"]},
        )
    )
    days = []
    for scn in (base, out):
        c = model(scn, days=60, drain_days=40, seed=3).run().case_frame()
        days.append(c["elapsed_days"].dropna().astype(float).to_numpy())
    # Tue/Fri sign-off and Monday meeting: a few days on average before; after, the
    # section review and a courier trip back: about a day.
    assert days[0].mean() > 2.0
    assert days[1].mean() < 1.5
    assert np.quantile(days[1], 0.95) < np.quantile(days[0], 0.95)
