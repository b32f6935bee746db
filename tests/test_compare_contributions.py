"""``simhall.compare.contributions``: what each of combined reforms contributes, added one
at a time and left out one at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from simhall.compare import contributions
from simhall.experiment import run
from simhall.reforms import apply_reforms
from simhall.scenario.schema import Scenario


def test_contributions_add_one_and_leave_one_out(
    compare_hall: Scenario,
    overlay_of: Callable[..., Scenario],
    compare_options: dict[str, Any],
) -> None:
    base = compare_hall
    overlays = {
        "remove": overlay_of(
            base, {"kind": "reengineering", "items": ["a"], "remove": ["inspection"]}
        ),
        "daily": overlay_of(
            base,
            {
                "kind": "chief_representative",
                "department": "d",
                "replace": [],
                "daily_signoff": True,
            },
        ),
    }
    calls: list[Scenario] = []

    def runner(s: Scenario):  # type: ignore[no-untyped-def]
        calls.append(s)
        return run(apply_reforms(s), **compare_options)

    c = contributions(base, overlays, ["a"], runner)
    assert len(calls) == 4  # base, remove, remove+daily, daily (leave "remove" out)
    lim = c[c["figure"] == "limit_sum"].set_index(["view", "reform"])["contribution"]
    full_minus_base = lim[("add_one", "remove")] + lim[("add_one", "daily")]
    without_daily = c[
        (c["view"] == "leave_one_out") & (c["reform"] == "daily") & (c["figure"] == "limit_sum")
    ].iloc[0]
    assert lim[("leave_one_out", "daily")] == pytest.approx(lim[("add_one", "daily")])
    assert without_daily["with"] - full_minus_base == pytest.approx(
        c[(c["view"] == "add_one") & (c["reform"] == "remove") & (c["figure"] == "limit_sum")].iloc[
            0
        ]["without"]
    )
    assert lim[("add_one", "remove")] < 0 and lim[("add_one", "daily")] <= 0
