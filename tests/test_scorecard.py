"""The window scorecard (``simhall scorecard``): scheme file, indicators, scores, command."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

import simhall
from simhall.cli import main
from simhall.scorecard import (
    INDICATORS,
    CaseData,
    WeightsError,
    from_log,
    from_run,
    indicators,
    read_weights,
    scorecard,
    weights_from_mapping,
)
from simhall.scorecard.indicators import peak_queue

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "scenarios" / "examples" / "small_hall.toml"

# --------------------------------------------------------------------------- the scheme


def test_bundled_scheme_follows_the_report() -> None:
    w = read_weights()
    assert [name for _, name in w.dimensions] == ["执行力", "发展力", "公信力"]
    assert [name for _, name in w.areas] == ["窗口建设", "窗口服务", "项目办理", "窗口管理"]
    assert len(w.subitems) == 20
    assert sum(s.weight for s in w.subitems) == pytest.approx(100.0)
    assert w.assessment_share == 0.15 and w.weights_assumed
    used = [s.indicator for s in w.subitems if s.indicator is not None]
    assert sorted(used) == sorted(INDICATORS)  # every computable indicator scored once
    assert all(s.default is not None for s in w.subitems if s.indicator is None)


ONSITE = {"id": "onsite", "name": "现场办结率", "area": "a", "dimension": "x", "weight": 60,
          "indicator": "onsite_rate", "full": 1.0, "zero": 0.0}  # fmt: skip
FEEDBACK = {"id": "feedback", "name": "群众满意度", "area": "a", "dimension": "x", "weight": 40,
            "default": 50}  # fmt: skip


def _scheme(**override: object) -> dict[str, object]:
    data: dict[str, object] = {
        "scorecard": {"name": "test", "assessment_share": 0.15},
        "dimensions": {"x": "执行力"},
        "areas": {"a": "窗口服务"},
        "subitems": [dict(ONSITE), dict(FEEDBACK)],
        "inputs": {"feedback": {"d": 100}},
    }
    data.update(override)
    return data


def test_bad_scheme_lists_every_problem_with_key_and_value() -> None:
    data = _scheme()
    subs = data["subitems"]
    assert isinstance(subs, list)
    subs[0] = {**subs[0], "weight": -1, "indicator": "onsite", "area": "aa"}
    data["inputs"] = {"onsite": {"d": 50}, "feedbak": {"d": 1}}
    with pytest.raises(WeightsError) as err:
        weights_from_mapping(data, "bad.toml")
    text = str(err.value)
    assert "bad.toml: subitems[0].weight = -1: expected a number > 0 (points)" in text
    assert 'subitems[0].indicator = "onsite": expected one of:' in text
    assert "did you mean 'onsite_rate'?" in text
    assert 'subitems[0].area = "aa": expected one of: "a"' in text
    assert "inputs.feedbak" in text and "did you mean 'feedback'?" in text
    ok = _scheme()
    subs = ok["subitems"]
    assert isinstance(subs, list)
    subs[1] = {**subs[1], "weight": 30}
    with pytest.raises(WeightsError, match="summing to 100"):
        weights_from_mapping(ok, "sum.toml")


def test_inputs_must_name_known_departments() -> None:
    w = weights_from_mapping(_scheme(inputs={"feedback": {"dd": 90}}), "w.toml")
    with pytest.raises(WeightsError, match=r"w.toml: inputs.feedback.dd = 90: expected one of"):
        w.check_departments(["d"])


# --------------------------------------------------------------------------- indicators


def _t(hh: int, mm: int = 0, day: int = 5) -> pd.Timestamp:
    return pd.Timestamp(2007, 3, day, hh, mm)


def _hand_data() -> CaseData:
    cases = pd.DataFrame(
        {
            "replication": 0,
            "case_id": ["1", "2", "3", "4"],
            "item_id": ["A", "A", "B", "B"],
            "department": "d",
            "kind": ["onsite", "onsite", "commitment", "commitment"],
            "committed_days": [math.nan, math.nan, 5.0, 5.0],
            "completed": [True, True, True, True],
            "working_days": [0.0, 0.0, 3.0, 6.0],
            "onsite": [True, True, False, False],
            "corrections": [0, 1, 0, 0],
        }
    )
    visits = pd.DataFrame(
        {
            "replication": 0,
            "case_id": ["1", "2", "3", "4"],
            "department": "d",
            "ready": [_t(9), _t(9, 15), _t(14, 0), _t(14, 0, day=6)],
            "start": [_t(9, 30), _t(10, 15), _t(14, 0), _t(14, 10, day=6)],
            "end": [_t(9, 40), _t(10, 25), _t(14, 10), _t(17, 40, day=6)],
            "after_close": [False, False, False, True],
        }
    )
    return CaseData(cases, visits, {"d": "窗口"}, "hand", "log")


def test_indicators_by_hand() -> None:
    row = indicators(_hand_data()).iloc[0]
    assert row["onsite_rate"] == pytest.approx(0.5)
    assert row["share_within"] == pytest.approx(0.5)  # 3 <= 5, 6 > 5
    assert row["days_to_limit"] == pytest.approx((3 / 5 + 6 / 5) / 2)
    assert row["correction_rate"] == pytest.approx(0.25)
    assert row["overtime_share"] == pytest.approx(0.25)
    assert row["mean_wait_min"] == pytest.approx((30 + 60 + 0 + 10) / 4)
    # hour 9 of 5 March: 30 + 45 waiting minutes; two days with visits
    assert peak_queue(_hand_data().visits) == pytest.approx(75 / 60 / 2)


def test_scores_scale_to_the_points_available() -> None:
    w = weights_from_mapping(_scheme(), "w.toml")
    data = _hand_data()
    calm = data.cases.assign(department="e", case_id=lambda f: "e" + f["case_id"])
    both = CaseData(pd.concat([data.cases, calm]), data.visits, {"d": "D", "e": "E"}, "x", "log")
    card = scorecard(both, w)
    ranking = card.ranking.set_index("department")
    # d: onsite 0.5 -> 30 of 60 points, feedback input 100 -> 40 points
    assert ranking.loc["d", "total"] == pytest.approx(70.0)
    # e: the same cases, feedback default 50 -> 20 points
    assert ranking.loc["e", "total"] == pytest.approx(50.0)
    assert ranking.loc["d", "rank"] == 1 and ranking.loc["e", "defaults_used"] == 1
    assert ranking.loc["d", "assessment_points"] == pytest.approx(70.0 * 0.15)
    # a scheme scoring the wait: e has no visits, so the sub-item is n/a and e's total is
    # scaled to the 40 points it can earn
    sub = {"id": "wait", "name": "等候", "area": "a", "dimension": "x", "weight": 60,
           "indicator": "mean_wait_min", "full": 0.0, "zero": 50.0}  # fmt: skip
    waits = weights_from_mapping(_scheme(subitems=[sub, FEEDBACK]), "w.toml")
    ranking = scorecard(both, waits).ranking.set_index("department")
    assert ranking.loc["d", "total"] == pytest.approx(60 * (1 - 25 / 50) + 40)
    assert ranking.loc["e", "total"] == pytest.approx(100 * 20 / 40)
    assert ranking.loc["e", "not_available"] == "wait"


# --------------------------------------------------------------------------- runs and logs


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("card") / "run"
    result = simhall.run(SMALL, days=25, warmup_days=3, drain_days=20, reps=2, seed=5,
                         show_progress=False)  # fmt: skip
    result.write(out)
    return out


def test_run_indicators_agree_with_the_run_summary(run_dir: Path) -> None:
    scn = simhall.load_scenario(SMALL)
    card = scorecard(from_run(run_dir, scn), read_weights())
    values = card.indicators.pivot(index="department", columns="indicator", values="value")
    summary = pd.read_csv(run_dir / "departments.csv").set_index("department")
    for metric in ("mean_wait_min", "p90_wait_min"):
        pd.testing.assert_series_equal(
            values[metric], summary[metric].reindex(values.index), check_names=False, rtol=1e-5
        )
    # the observed-log path on replication 0 of the same events gives the same waits
    events = pd.read_parquet(run_dir / "log.parquet")
    log = from_log(events[events["replication"] == 0].drop(columns="replication"), scn)
    per_rep = indicators(from_run(run_dir, scn))
    rep0 = per_rep[per_rep["replication"] == 0].set_index("department")
    observed = indicators(log).set_index("department")
    for metric in ("mean_wait_min", "onsite_rate", "correction_rate", "overtime_share"):
        pd.testing.assert_series_equal(observed[metric], rep0[metric], check_names=False)


def test_cli_scores_a_run_and_a_log(
    run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "card"
    assert main(["scorecard", str(run_dir), "--scenario", str(SMALL), "--out", str(out)]) == 0
    names = {p.name for p in out.iterdir()}
    assert names >= {"ranking.csv", "scorecard.csv", "indicators.csv", "scorecard.md"}
    assert "scorecard.png" in names
    ranking = pd.read_csv(out / "ranking.csv")
    assert sorted(ranking["department"]) == ["gongan", "gongshang", "jianwei"]
    assert list(ranking["rank"]) == [1, 2, 3]
    details = pd.read_csv(out / "scorecard.csv")
    assert len(details) == 3 * 20
    events = pd.read_parquet(run_dir / "log.parquet")
    csv = tmp_path / "events.csv"
    events[events["replication"] == 0].drop(columns="replication").to_csv(csv, index=False)
    out2 = tmp_path / "card_log"
    args = ["scorecard", str(csv), "--scenario", str(SMALL), "--no-figures", "--out", str(out2)]
    assert main(args) == 0
    assert "scorecard.png" not in {p.name for p in out2.iterdir()}
    capsys.readouterr()


def test_cli_bad_input_exits_2(
    run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    text = (ROOT / "simhall" / "data" / "scorecard" / "huainan_2007.toml").read_text("utf-8")
    bad.write_text(text.replace("weight = 6\nindicator", "weight = 0\nindicator", 1), "utf-8")
    args = ["scorecard", str(run_dir), "--scenario", str(SMALL), "--weights", str(bad)]
    assert main([*args, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "invalid scorecard weights" in err
    assert f"{bad}: subitems[4].weight = 0: expected a number > 0 (points)" in err
    # a log without --scenario; a folder that is not a run
    assert main(["scorecard", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "needs --scenario" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    args = ["scorecard", str(empty), "--scenario", str(SMALL), "--out", str(tmp_path / "o")]
    assert main(args) == 2
    assert "not the folder of a simhall run" in capsys.readouterr().err
    copy = tmp_path / "copy"
    shutil.copytree(run_dir, copy)
    args = ["scorecard", str(copy), "--weights", str(tmp_path / "nope.toml")]
    assert main([*args, "--out", str(tmp_path / "o")]) == 2
    assert "nope.toml" in capsys.readouterr().err
