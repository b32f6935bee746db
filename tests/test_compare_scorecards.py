"""``simhall.compare.scorecards``: the window scorecard per department before and after a
reform, paired per replication, in the comparison, its report and its folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from simhall.compare import Comparison, compare, write_comparison
from simhall.experiment import run
from simhall.scorecard import from_result, from_run, indicators, read_weights, scorecard
from simhall.scorecard.weights import WeightsError
from tests.conftest import COMPARE_RUN, _compare_hall, _compare_overlay


@pytest.fixture(scope="module")
def online() -> Comparison:
    """The compare hall with item ``a``'s demand x6 (24 a day of about 10 minutes at
    ``d``'s one window: busy half the day; 6 clerks for the review) against itself and
    against 60% of those applications filed online (远程申报: no acceptance visit, the
    same back office)."""
    busy = {"kind": "staffing", "items": ["a"], "demand_factor": 6.0, "add_staff": {"section": 4}}
    base = _compare_overlay(_compare_hall(), busy)
    table = {"kind": "online_submission", "items": ["a"], "share": 0.6}
    return compare(
        base,
        {"same": _compare_overlay(base), "online": _compare_overlay(base, table)},
        with_contributions=False,
        **{**COMPARE_RUN, "reps": 5},
    )


def _card(cmp: Comparison, label: str) -> pd.DataFrame:
    card = cmp.scorecard
    return card[card["scenario"] == label].set_index(["department", "metric"])


def test_the_base_against_itself_scores_the_same(online: Comparison) -> None:
    card = _card(online, "same")
    assert (card["diff"] == 0).all()
    bounded = card[card["ci_low"].notna()]
    assert len(bounded) and (bounded["ci_low"] == 0).all() and (bounded["ci_high"] == 0).all()
    assert {"d", "e"} == set(card.index.get_level_values("department"))


def test_the_totals_are_those_of_simhall_scorecard(online: Comparison) -> None:
    """Before: the scorecard of the base run, as ``simhall scorecard`` computes it."""
    ranking = scorecard(from_result(online.results["base"]), read_weights()).ranking
    card = _card(online, "online")
    for row in ranking.itertuples():
        assert card.loc[(row.department, "total"), "before"] == pytest.approx(row.total)
        assert card.loc[(row.department, "rank"), "before"] == row.rank
        assert card.loc[(row.department, "assessment_points"), "before"] == pytest.approx(
            row.assessment_points
        )


def test_online_filing_shortens_the_waits_of_its_department_only(online: Comparison) -> None:
    card = _card(online, "online")
    wait = card.loc[("d", "mean_wait_min")]
    # window busy about 57% of the day before, about 22% after: the wait falls by half or more
    assert wait["after"] < 0.5 * wait["before"] and wait["ci_high"] < 0
    assert wait["after"] == pytest.approx(wait["before"] + wait["diff"])
    # department e's item draws the same numbers (common random numbers)
    for metric in ("mean_wait_min", "onsite_rate", "share_within", "total"):
        assert card.loc[("e", metric), "diff"] == 0, metric
    # the back office keeps the work: on-time and working days hardly move at d
    assert abs(card.loc[("d", "days_to_limit"), "diff"]) < 0.1
    assert card.loc[("d", "total"), "label"].startswith("scorecard total")


def test_the_folder_has_the_scorecard_and_the_report_says_so(
    online: Comparison, tmp_path: Path
) -> None:
    out = write_comparison(online, tmp_path / "out")
    frame = pd.read_csv(out / "scorecard_paired.csv")
    assert {"scenario", "department", "metric", "before", "after", "diff", "ci_low"} <= set(
        frame.columns
    )
    assert set(frame["scenario"]) == {"same", "online"}
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Window scorecard (绩效评估) before and after" in report
    assert "## Headlines: slack in today's limits and the reform's effect" in report
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "| scorecard_paired.csv | the window scorecard" in readme
    assert "(not described)" not in readme


def test_from_result_reads_what_from_run_reads(tmp_path: Path) -> None:
    result = run(_compare_hall(), **{**COMPARE_RUN, "reps": 2})
    folder = result.write(tmp_path / "run")
    mine, theirs = indicators(from_result(result)), indicators(from_run(folder, result.scenario))
    pd.testing.assert_frame_equal(mine, theirs)


def test_weights_naming_an_unknown_department_stop_before_any_run() -> None:
    base = _compare_hall()
    weights = read_weights()
    sub = next(s for s in weights.subitems if s.indicator is None)
    bad = weights.__class__(**{**weights.__dict__, "inputs": {sub.id: {"nowhere": 50.0}}})
    with pytest.raises(WeightsError, match="nowhere"):
        compare(base, {"same": _compare_overlay(base)}, scorecard_weights=bad, **COMPARE_RUN)
