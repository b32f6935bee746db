"""``simhall.compare.headlines``: the headline "committed before -> recommended after"
split into the slack in today's limits and the reform's effect.

A change that leaves the limits alone (the base against itself, one more clerk in a pool
that idles) must show its whole change as slack and a reform effect whose interval holds
0; a real reform (chief representatives in the small hall) a reform effect below 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from simhall.compare import Comparison, compare, sectioned_interval
from simhall.reporting.paired_tables import aggregate_table, headline_table
from simhall.scenario import load_scenario
from simhall.scenario.schema import Scenario

EXAMPLES = Path(__file__).resolve().parent.parent / "scenarios" / "examples"
PARTS = ("committed", "slack", "reform")


def _split(cmp: Comparison, label: str, stat: str = "sum") -> dict[str, pd.Series]:
    agg = cmp.aggregates[cmp.aggregates["scenario"] == label].set_index("figure")
    return {p: agg.loc[f"{p}_{stat}"] for p in PARTS}


def _committed_minus_recommended(cmp: Comparison, label: str) -> tuple[float, list[str]]:
    """Sum over the items with a committed limit and a recommendation in both runs of
    recommended before minus committed (what the slack must be), and those items."""
    it = cmp.items[cmp.items["scenario"] == label]
    ok = (
        (pd.to_numeric(it["committed_before"]) > 0)
        & it["recommended_before"].notna()
        & it["recommended_after"].notna()
    )
    used = it[ok]
    return float((used["recommended_before"] - used["committed_before"]).sum()), list(
        used["item_id"]
    )


@pytest.fixture(scope="module")
def zero_effect() -> Comparison:
    """The compare hall against itself and against one more clerk in ``e``'s section (item
    ``b``'s review: 3 a day of about 30 minutes on 2 clerks, busy about a tenth of the
    day)."""
    from tests.conftest import COMPARE_RUN, _compare_hall, _compare_overlay

    base = _compare_hall()
    clerk = {"kind": "staffing", "departments": ["e"], "add_staff": {"section": 1}}
    return compare(
        base,
        {"same": _compare_overlay(base), "clerk": _compare_overlay(base, clerk)},
        with_contributions=False,
        with_scorecard=False,
        **COMPARE_RUN,
    )


@pytest.fixture(scope="module")
def chief_rep() -> Comparison:
    """The small hall against its chief-representative overlay (jianwei and gongshang)."""
    return compare(
        load_scenario(EXAMPLES / "small_hall.toml"),
        {"chief": load_scenario(EXAMPLES / "small_hall_chief_rep.toml")},
        with_contributions=False,
        with_scorecard=False,
        reps=3,
        days=40,
        seed=1,
        show_progress=False,
    )


@pytest.mark.parametrize("label", ["same", "clerk"])
def test_a_change_without_effect_on_limits_is_all_slack(
    zero_effect: Comparison, label: str
) -> None:
    split = _split(zero_effect, label)
    slack, used = _committed_minus_recommended(zero_effect, label)
    assert sorted(used) == ["a", "b"]  # both items have committed limits (12 and 8)
    assert split["slack"]["change"] == pytest.approx(slack)
    assert slack < 0  # the compare hall's limits have room: recommended < committed
    assert split["slack"]["before"] == 20  # 12 + 8
    reform = split["reform"]
    assert reform["ci_low"] <= 0 <= reform["ci_high"]
    assert abs(reform["change"]) <= 1  # whole days: at most one item a day apart
    assert split["committed"]["change"] == pytest.approx(slack + reform["change"])
    pcts = [split[p]["pct_of_committed"] for p in PARTS]
    assert pcts[0] == pytest.approx(pcts[1] + pcts[2])


def test_the_base_against_itself_has_exactly_zero_effect(zero_effect: Comparison) -> None:
    for stat in ("sum", "mean"):
        reform = _split(zero_effect, "same", stat)["reform"]
        assert (reform["change"], reform["ci_low"], reform["ci_high"]) == (0, 0, 0)
    it = zero_effect.items[zero_effect.items["scenario"] == "same"]
    assert (it["effect_days"] == 0).all()
    assert (it["slack_days"] == it["compression_days"]).all()


def test_the_extra_clerk_shows_slack_not_reform(zero_effect: Comparison) -> None:
    table = headline_table(zero_effect.aggregates).loc["clerk"]
    row = table.loc["sum of limits"]
    assert row["slack (% of committed)"] == row["total (% of committed)"]
    assert abs(row["reform (% of committed)"]) <= 100 * 1 / 20


def test_a_real_reform_has_an_effect(chief_rep: Comparison) -> None:
    split = _split(chief_rep, "chief")
    slack, used = _committed_minus_recommended(chief_rep, "chief")
    assert split["slack"]["change"] == pytest.approx(slack)
    reform = split["reform"]
    # the sign-off round (Tue/Fri) replaced by an on-site signature: limits fall
    assert reform["change"] < 0 and reform["ci_high"] < 0
    assert split["committed"]["change"] == pytest.approx(slack + reform["change"])
    assert split["committed"]["change"] < split["slack"]["change"]
    it = chief_rep.items.set_index("item_id")
    assert reform["change"] == pytest.approx(it.loc[used, "effect_days"].sum())
    mean = _split(chief_rep, "chief", "mean")["reform"]
    assert mean["change"] == pytest.approx(reform["change"] / len(used))


def test_only_items_with_a_committed_limit_enter_the_split(chief_rep: Comparison) -> None:
    split = _split(chief_rep, "chief")
    it = chief_rep.items[chief_rep.items["scenario"] == "chief"]
    onsite = int((pd.to_numeric(it["committed_before"]) == 0).sum())
    assert onsite > 0  # the small hall has on-site items (committed 0)
    assert f"{onsite} without a committed limit" in split["slack"]["note"]
    withheld = it[(it["withheld_after"] != "") & (pd.to_numeric(it["committed_before"]) > 0)]
    assert split["slack"]["n_withheld"] == len(withheld)
    for item_id in withheld["item_id"]:
        assert item_id in split["slack"]["note"]
    assert split["slack"]["n_items"] + len(withheld) + onsite == len(it)


def test_the_aggregate_table_lists_each_headline_with_its_parts(chief_rep: Comparison) -> None:
    t = aggregate_table(chief_rep.aggregates[chief_rep.aggregates["scenario"] == "chief"])
    labels = list(t.index)
    assert labels[0].startswith("sum of limits: committed")
    assert "slack" in labels[1] and "reform" in labels[2]
    first = t.iloc[:3]["% of committed"].to_numpy()
    assert first[0] == pytest.approx(first[1] + first[2], abs=0.11)


def test_a_withheld_item_leaves_every_part_empty(
    compare_hall: Scenario, overlay_of: Callable[..., Scenario], compare_options: dict[str, Any]
) -> None:
    """Item ``a``'s pool overloaded after the reform (as in test_compare_stability): the
    set ``target`` has nothing to split."""
    table = {"kind": "staffing", "items": ["a"], "staff": {"section": 1}, "demand_factor": 3.0}
    cmp = compare(
        compare_hall,
        {"busy": overlay_of(compare_hall, table)},
        tags=["target"],
        with_contributions=False,
        with_scorecard=False,
        **compare_options,
    )
    agg = cmp.aggregates.set_index("figure")
    for part in PARTS:
        row = agg.loc[f"{part}_sum"]
        assert row["n_items"] == 0 and row["n_withheld"] == 1 and row["note"] == "withheld: a"
        assert math.isnan(row["after"]) and math.isnan(row["pct_of_committed"])


def test_sectioned_interval() -> None:
    # replications all agree on 0, the pooled figure a day off: the span holds both
    assert sectioned_interval(-1.0, np.zeros(3)) == (-1.0, 0.0)
    lo, hi = sectioned_interval(2.0, np.array([1.0, 2.0, 3.0]))
    assert lo == pytest.approx(2.0 - 2.484, abs=1e-3) and hi == pytest.approx(2.0 + 2.484, abs=1e-3)
    assert all(math.isnan(v) for v in sectioned_interval(1.0, np.array([1.0])))
    assert all(math.isnan(v) for v in sectioned_interval(math.nan, np.ones(3)))
