"""``simhall compare``: paired CIs, common random numbers, contributions and outputs."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from simhall.cli import main
from simhall.compare import (
    aggregate,
    compare,
    contributions,
    item_reps,
    item_table,
    paired,
    write_comparison,
)
from simhall.distributions import Fixed, Lognormal, UniformInt
from simhall.experiment import run
from simhall.reforms import apply_reforms
from simhall.scenario.schema import DelayStep, Scenario, SessionSchedule, SessionStep, WorkStep
from tests.helpers import department, item, scenario

RUN: dict[str, Any] = {
    "reps": 3,
    "seed": 11,
    "days": 40,
    "warmup_days": 5,
    "drain_days": 30,
    "show_progress": False,
}


def _hall() -> Scenario:
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
    return scenario([a, b], [d, e])


def _overlay(base: Scenario, *tables: dict[str, object]) -> Scenario:
    return dataclasses.replace(base, reforms=base.reforms + tuple(("o.toml", t) for t in tables))


def test_paired_differences_and_ci() -> None:
    before = pd.DataFrame({"replication": [0, 1, 2], "x": [10.0, 12.0, 14.0]})
    after = before.assign(x=before["x"] - [2.0, 2.5, 1.5])
    out = paired(before, after, [], ["x"]).iloc[0]
    assert out["before"] == 12.0 and out["after"] == 10.0
    assert out["diff"] == pytest.approx(-2.0)
    # paired: the CI comes from the differences' spread (sd 0.5), not the levels' (sd 2)
    assert out["ci_low"] == pytest.approx(-2.0 - 4.303 * 0.5 / np.sqrt(3), abs=1e-3)
    assert out["ci_high"] < 0 and out["reps"] == 3


def test_untouched_item_draws_identically_under_crn() -> None:
    base = _hall()
    reform = _overlay(base, {"kind": "reengineering", "items": ["a"], "remove": ["inspection"]})
    rb, ra = run(base, **RUN), run(apply_reforms(reform), **RUN)
    cb = rb.cases[rb.cases["item_id"] == "b"].reset_index(drop=True)
    ca = ra.cases[ra.cases["item_id"] == "b"].reset_index(drop=True)
    cols = ["arrival", "acceptance", "completion", "counted_days", "visits"]
    pd.testing.assert_frame_equal(cb[cols], ca[cols])
    it = item_table(rb, ra)
    row_b = it[it["item_id"] == "b"].iloc[0]
    assert row_b["p95_diff"] == 0 and row_b["p95_diff_ci_low"] == 0
    row_a = it[it["item_id"] == "a"].iloc[0]
    # inspection of 1-3 days removed: P95 falls by about 2-3 days, paired CI below zero
    assert -4.0 <= row_a["p95_diff"] <= -1.0 and row_a["p95_diff_ci_high"] < 0
    assert row_a["removed"] == 1 and row_a["compression_days"] > 0
    agg = aggregate(it, ["a"], item_reps(rb), item_reps(ra), "target").set_index("figure")
    assert agg.loc["committed_sum", "before"] == 12
    assert agg.loc["steps_sum", "before"] - agg.loc["steps_sum", "after"] == 1
    assert agg.loc["limit_sum", "change"] < 0


def test_contributions_add_one_and_leave_one_out() -> None:
    base = _hall()
    overlays = {
        "remove": _overlay(
            base, {"kind": "reengineering", "items": ["a"], "remove": ["inspection"]}
        ),
        "daily": _overlay(
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
        return run(apply_reforms(s), **RUN)

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


def test_compare_writes_outputs_and_ranks(tmp_path: Path) -> None:
    base = _hall()
    overlays = {
        "remove": _overlay(
            base, {"kind": "reengineering", "items": ["a"], "remove": ["inspection"]}
        )
    }
    cmp = compare(
        base,
        overlays,
        tags=["target"],
        rank_budget=1,
        rank_template={"replace": ["signoff"]},
        **RUN,
    )
    assert set(cmp.hall["metric"]) >= {"onsite_rate", "mean_wait_min", "staff_utilization"}
    assert set(cmp.ranking["department"]) == {"d", "e"}
    top = cmp.ranking.iloc[0]
    assert top["department"] == "d" and top["selected"] and top["compression_days"] > 0
    assert cmp.ranking["selected"].sum() == 1
    out = write_comparison(cmp, tmp_path / "out", ["target"])
    for name in (
        "comparison.csv",
        "items.csv",
        "aggregates.csv",
        "report.md",
        "ranking.csv",
        "p95_remove.png",
    ):
        assert (out / name).is_file(), name
    tidy = pd.read_csv(out / "comparison.csv")
    assert set(tidy["scope"]) == {"item", "department", "hall"}


SMALL = Path(__file__).resolve().parents[1] / "scenarios" / "examples" / "small_hall.toml"


def test_cli_compare(tmp_path: Path) -> None:
    overlay = tmp_path / "reform_two.toml"
    overlay.write_text(
        f'extends = "{SMALL.as_posix()}"\n\n[[reforms]]\nkind = "two_concentrations"\n'
        'department = "jianwei"\n',
        encoding="utf-8",
    )
    code = main(
        [
            "compare",
            str(SMALL),
            str(overlay),
            "--reps",
            "2",
            "--seed",
            "3",
            "--days",
            "30",
            "--warmup-days",
            "5",
            "--drain-days",
            "30",
            "--quiet",
            "--out",
            str(tmp_path / "o"),
        ]
    )
    assert code == 0
    assert (tmp_path / "o" / "report.md").is_file()
    bad = tmp_path / "reform_bad.toml"
    bad.write_text(
        f'extends = "{SMALL.as_posix()}"\n\n[[reforms]]\nkind = "staffing"\n'
        'departments = ["jianwei"]\nwindow = 2\n',
        encoding="utf-8",
    )
    assert (
        main(
            [
                "compare",
                str(SMALL),
                str(bad),
                "--reps",
                "1",
                "--quiet",
                "--out",
                str(tmp_path / "o2"),
            ]
        )
        == 2
    )


def test_fixed_item_has_zero_width_ci() -> None:
    base = scenario([item("a", route=[DelayStep("x", "d", Fixed(2.0))], volume=2.0)])
    r = run(base, **RUN)
    it = item_table(r, r)
    assert it.loc[0, "p95_diff"] == 0 and it.loc[0, "p95_before"] == 2
