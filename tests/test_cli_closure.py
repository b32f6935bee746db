"""``simhall validate --closed-rule``: a status column of a CSV log overrides the inference,
bad rules and unknown columns are refused with exit status 2, and the held-out mode prints
and writes both yardsticks with the cases behind them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from simhall.cli import main

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "scenarios" / "examples" / "small_hall.toml"


@pytest.fixture(scope="module")
def synth_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    logs = tmp_path_factory.mktemp("synth")
    assert main(["synth", str(SMALL), "--days", "40", "--seed", "4", "--out", str(logs)]) == 0
    return logs


def test_status_column_overrides_the_inference(
    synth_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = pd.read_csv(synth_log / "events.csv")
    done = events["case_id"].drop_duplicates().iloc[:12]
    events["办结状态"] = "在办"
    events.loc[events["case_id"].isin(done), "办结状态"] = "办结"
    log = tmp_path / "with_status.csv"
    events.to_csv(log, index=False)
    capsys.readouterr()
    out = tmp_path / "v"
    code = main(
        [
            "validate",
            str(log),
            str(SMALL),
            "--reps",
            "1",
            "--no-figures",
            "--out",
            str(out),
            "--closed-rule",
            "status:办结状态=办结,已办结",
        ]
    )
    assert code in (0, 1)
    printed = capsys.readouterr().out
    assert "from the status given with the log" in printed
    assert "12 closed by status" in printed
    assert "12 closed by status" in (out / "validation.md").read_text(encoding="utf-8")
    capsys.readouterr()
    main(["validate", str(log), str(SMALL), "--reps", "1", "--no-figures", "--out", str(out)])
    assert "rule `both`" in capsys.readouterr().out  # no status rule: inferred


def test_bad_rules_and_unknown_columns_are_refused(
    synth_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["validate", str(synth_log / "events.csv"), str(SMALL), "--out", str(tmp_path / "v")]
    with pytest.raises(SystemExit) as exc:
        main([*base, "--closed-rule", "finished"])
    assert exc.value.code == 2
    assert "expected one of both, terminal, idle or status:COLUMN=" in capsys.readouterr().err
    code = main([*base, "--closed-rule", "status:state=done"])
    err = capsys.readouterr().err
    assert code == 2 and "no column 'state'" in err and "Traceback" not in err


def test_holdout_prints_and_writes_both_yardsticks(
    synth_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    out = tmp_path / "h"
    code = main(
        [
            "validate",
            str(synth_log / "events.csv"),
            "--items",
            str(synth_log / "items.csv"),
            "--holdout",
            "--train-until",
            "2007-01-31",
            "--reps",
            "1",
            "--no-figures",
            "--closed-rule",
            "idle",
            "--out",
            str(out),
        ]
    )
    assert code in (0, 1)
    printed = capsys.readouterr().out
    assert "naive_followup" in printed and "n_train_followup" in printed
    assert "closure of training cases" in printed and "rule `idle`" in printed
    naive = pd.read_csv(out / "naive.csv")
    assert {"naive", "naive_followup", "n_train", "n_train_followup", "ess_followup"} <= set(
        naive.columns
    )
    report = (out / "validation.md").read_text(encoding="utf-8")
    assert "censored like the test period" in report
