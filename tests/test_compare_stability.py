"""A reform that overloads a pool, compared with the stable base: the pool is named as
unstable with its offered load in the report, its item's recommendation is withheld after
the reform (not a cut) and the set's sums leave it out, saying so."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from simhall.compare import Comparison, compare, write_comparison
from tests.conftest import COMPARE_RUN, _compare_hall, _compare_overlay


@pytest.fixture(scope="module")
def busy() -> Comparison:
    """Item ``a``'s demand x3 (12 a day of about 40 minutes' review) on one clerk of ``d``:
    about 1.2 x the clerk's open minutes."""
    base = _compare_hall()
    table = {"kind": "staffing", "items": ["a"], "staff": {"section": 1}, "demand_factor": 3.0}
    return compare(
        base,
        {"busy": _compare_overlay(base, table)},
        tags=["target"],
        with_contributions=False,
        **COMPARE_RUN,
    )


def test_the_overloaded_pool_is_unstable_after_the_reform_only(busy: Comparison) -> None:
    st = busy.stations.set_index(["scenario", "station"])
    assert not st["unstable"].loc["base"].any()
    after = st.loc[("busy", "d/section")]
    assert after["unstable"] and "offered load" in after["reason"]
    # 12 jobs x ~40 min a day on one clerk: offered load about 1.2 (it was about 0.2)
    assert 1.0 < after["offered_load"] < 1.5
    assert st.loc[("base", "d/section"), "offered_load"] == pytest.approx(
        after["offered_load"] / 6, rel=0.3
    )
    assert not st.loc[("busy", "e/section"), "unstable"]


def test_its_item_is_withheld_and_left_out_of_the_sums(busy: Comparison) -> None:
    it = busy.items.set_index("item_id")
    assert it.loc["a", "withheld_before"] == ""
    assert it.loc["a", "withheld_after"] == "route through unstable d/section"
    assert math.isnan(it.loc["a", "recommended_after"])
    assert math.isnan(it.loc["a", "compression_days"]) and math.isnan(it.loc["a", "limit_after"])
    assert it.loc["a", "recommended_before"] > 0  # the base still recommends
    assert it.loc["b", "withheld_after"] == "" and it.loc["b", "compression_days"] > 0
    assert {"completed_before", "completed_after"} <= set(it.columns)
    agg = busy.aggregates.set_index("figure")
    for figure in ("committed_sum", "limit_sum", "p95_sum"):
        assert agg.loc[figure, "n_items"] == 0 and agg.loc[figure, "n_withheld"] == 1
        assert math.isnan(agg.loc[figure, "after"]), figure  # not 0 -> 0
        assert agg.loc[figure, "note"] == "withheld: a"
    assert agg.loc["steps_sum", "n_items"] == 1 and agg.loc["steps_sum", "n_withheld"] == 0


def test_the_report_names_the_station_with_its_offered_load(
    busy: Comparison, tmp_path: Path
) -> None:
    out = write_comparison(busy, tmp_path / "out", ["target"])
    report = (out / "report.md").read_text()
    assert "## Unstable stations (1;" in report
    line = next(s for s in report.splitlines() if s.startswith("| d/section | busy |"))
    assert "offered load 1." in line
    assert "## Recommendations withheld (1 item rows" in report
    assert (out / "stations.csv").is_file()


def test_a_stable_comparison_withholds_nothing(comparison: Comparison, tmp_path: Path) -> None:
    assert not comparison.stations["unstable"].any()
    assert (comparison.items["withheld_after"] == "").all()
    assert (comparison.aggregates["n_withheld"] == 0).all()
    agg = comparison.aggregates.set_index("figure")
    assert agg.loc["committed_sum", "before"] == 12  # item a's committed limit, as before
    report = (write_comparison(comparison, tmp_path / "o", ["target"]) / "report.md").read_text()
    assert "No unstable station in any run" in report
    assert "## Recommendations withheld" not in report and "withheld: " not in report
