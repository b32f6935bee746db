"""Presentation helpers of the Huainan 2007 notebooks (simhall.studies.huainan_chief_rep,
huainan_one_form, huainan_table; simhall.reporting.paired_tables) and the lighter study
variants (simhall.studies.huainan)."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pandas as pd
import pytest

from simhall.compare import bundle_table
from simhall.reporting.paired_tables import aggregate_table, paired_table
from simhall.scenario import load_scenario
from simhall.studies import huainan
from simhall.studies.huainan_chief_rep import chief_rep_figure, chief_rep_items
from simhall.studies.huainan_one_form import bundle_reps, one_form_figure, one_form_table
from simhall.studies.huainan_table import report_table

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


@pytest.fixture(scope="module")
def one_form():  # type: ignore[no-untyped-def]
    return huainan.one_form_study(days=25, reps=2, seed=3)


def test_one_form_study_matches_bundle_table(one_form) -> None:  # type: ignore[no-untyped-def]
    table = bundle_table(one_form.results, one_form.reforms).set_index("stage")
    for label, stage in (("before", "before"), ("after", "after")):
        reform = next(r for r in one_form.reforms[label] if hasattr(r, "bundle"))
        reps = bundle_reps(one_form.results[label], reform)
        assert list(reps["replication"]) == [0, 1]
        assert reps["forms"].iloc[0] == table.loc[stage, "forms"]
        # per-replication means of equal-sized replications average to the pooled mean
        assert np.isfinite(reps["window_min"]).all()
        assert (reps["wait_min"] >= 0).all()
    shown = one_form_table(one_form)
    assert shown.loc["forms", "before"] == 22 and shown.loc["forms", "after"] == 1
    assert shown.loc["data fields", "after"] == 39
    assert shown.loc["window service (min)", "after"] < shown.loc["window service (min)", "before"]
    fig = one_form_figure(one_form)
    assert tuple(fig.get_size_inches()) == (9.0, 3.5)


def _items() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item_id": ["b-1", "a-1", "c-1"],
            "name": ["乙", "甲", "丙"],
            "department": ["b", "a", "c"],
            "tags": ["t", "t;u", "u"],
            "committed_before": [10, 20, 5],
            "p95_before": [6.04, 12.0, 3.0],
            "p95_after": [3.0, 5.55, 3.0],
            "p95_diff": [-3.04, -6.45, 0.0],
            "p95_diff_ci_low": [-4.0, np.nan, 0.0],
            "p95_diff_ci_high": [-2.0, np.nan, 0.0],
            "recommended_after": [3.0, 6.0, 3.0],
            "compression_days": [7.0, 14.0, 2.0],
            "compression_pct": [70.0, 70.0, 40.0],
            "removed": [2, 2, 0],
        }
    )


def test_chief_rep_items_selects_sorts_and_rounds() -> None:
    table = chief_rep_items(_items(), "t")
    assert list(table.index) == ["a-1", "b-1"]
    assert table.loc["b-1", "P95 before"] == 6.0
    assert table.loc["b-1", "P95 change [95% CI]"] == "-3.0 [-4.0, -2.0]"
    assert table.loc["a-1", "P95 change [95% CI]"] == "-6.5"
    fig = chief_rep_figure(_items(), "t")
    assert tuple(fig.get_size_inches()) == (8.0, 9.0)


def test_aggregate_and_paired_tables() -> None:
    agg = pd.DataFrame(
        {
            "figure": ["committed_sum", "committed_mean", "committed_after_sum", "limit_sum"],
            "before": [814.0, 17.6957, 814.0, 381.0],
            "after": [164.0, 3.5652, 814.0, 159.0],
            "change": [-650.0, -14.13, 0.0, -222.0],
            "change_pct": [-79.85, -79.85, 0.0, -58.27],
            "ci_low": [np.nan, np.nan, np.nan, -234.7],
            "ci_high": [np.nan, np.nan, np.nan, -209.3],
            "n_items": [46] * 4,
        }
    )
    t = aggregate_table(agg)
    assert len(t) == 3  # committed_after_sum left out
    assert t.iloc[0]["before"] == 17.7 and t.iloc[0]["after"] == 3.6
    assert t.iloc[2]["change [95% CI]"] == "-222 [-235, -209]"
    hall = pd.DataFrame(
        {
            "metric": ["mean_wait_min", "onsite_rate"],
            "before": [2.4696, 0.61772],
            "after": [2.4696, 0.63272],
            "diff": [0.0, 0.015],
            "ci_low": [0.0, 0.0043],
            "ci_high": [0.0, 0.0257],
            "reps": [2, 2],
        }
    )
    p = paired_table(hall, ("onsite_rate", "mean_wait_min"))
    assert list(p.index)[0].startswith("on-site completion")
    assert p.iloc[0]["change [95% CI]"] == "0.015 [0.004, 0.026]"
    assert p.iloc[1]["before"] == 2.47
    dept = hall.assign(department=["x", "y"])
    d = paired_table(dept, key="department", keys=("y", "x"))
    assert [k[0] for k in d.index] == ["y", "x"]


def test_report_table_formats_rows() -> None:
    table = pd.DataFrame(
        {
            "figure": ["share", "days"],
            "report": [0.8991, 142.0],
            "simhall": [0.65527, np.nan],
            "ci_low": [0.6534, np.nan],
            "ci_high": [0.6572, np.nan],
            "basis": ["mechanics", "input"],
            "agrees": ["no", "by construction"],
        }
    )
    t = report_table(table)
    assert t.loc["share", "simhall"] == "0.655"
    assert t.loc["share", "95% CI"] == "[0.653, 0.657]"
    assert t.loc["days", "report"] == "142.0"
    assert t.loc["days", "simhall"] == "-" and t.loc["days", "95% CI"] == "-"
