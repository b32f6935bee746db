"""Bad input at the command line: a clear message and exit status 2, never a traceback
(issue 9), checked before any simulation work starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from simhall.cli import main

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "scenarios" / "examples" / "small_hall.toml"


def _items(tmp_path: Path) -> Path:
    items = tmp_path / "items.csv"
    items.write_text("item_id,department,kind,committed_days\na,d,onsite,0\n", encoding="utf-8")
    return items


def test_csv_gz_that_is_not_gzip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "events.csv.gz"
    log.write_text("case_id,item_id,activity,end\n1,a,accept,2024-01-02 09:00\n")
    for extra in ([], ["--encoding", "utf-8"]):
        code = main(
            ["calibrate", str(log), "--items", str(_items(tmp_path)), "--out", "x.toml", *extra]
        )
        err = capsys.readouterr().err
        assert code == 2
        assert "not a gzip file" in err and "events.csv.gz" in err
        assert "Traceback" not in err


def test_binary_file_named_csv_names_the_cli_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "events.csv"
    log.write_bytes(bytes(range(128, 256)) * 20)
    code = main(["calibrate", str(log), "--items", str(_items(tmp_path)), "--out", "x.toml"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--encoding" in err and "pass encoding=" not in err


def test_run_out_naming_a_file_stops_before_simulating(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import simhall.experiment

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("simulation started although --out is unusable")

    monkeypatch.setattr(simhall.experiment, "run", boom)
    target = tmp_path / "afile"
    target.write_text("keep me")
    for out in (target, target / "sub"):
        code = main(["run", str(SMALL), "--days", "3", "--reps", "1", "--out", str(out)])
        err = capsys.readouterr().err
        assert code == 2
        assert "expected a folder, found a file" in err
    assert target.read_text() == "keep me"


def test_run_with_no_arrivals_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 2007-01-01 .. 03 are New Year holidays: nobody comes, nothing to summarize.
    out = tmp_path / "run"
    code = main(
        [
            "run",
            str(SMALL),
            "--days",
            "3",
            "--reps",
            "1",
            "--drain-days",
            "5",
            "--warmup-days",
            "0",
            "--out",
            str(out),
            "--quiet",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "no applicant arrived in the simulated days 2007-01-01 .. 2007-01-03" in err
    assert not out.exists()


def test_validate_no_figures_does_not_claim_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logs = tmp_path / "synth"
    assert main(["synth", str(SMALL), "--days", "30", "--seed", "1", "--out", str(logs)]) == 0
    capsys.readouterr()
    out = tmp_path / "val"
    code = main(
        [
            "validate",
            str(logs / "events.csv"),
            str(SMALL),
            "--reps",
            "1",
            "--out",
            str(out),
            "--no-figures",
        ]
    )
    assert code in (0, 1)
    printed = capsys.readouterr().out
    assert "(validation.csv, validation.md)" in printed and "figures)" not in printed
    assert not list(out.glob("*.png"))


def test_validate_on_a_one_case_log_does_not_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pandas as pd

    logs = tmp_path / "synth"
    assert main(["synth", str(SMALL), "--days", "30", "--seed", "2", "--out", str(logs)]) == 0
    events = pd.read_csv(logs / "events.csv")
    one = tmp_path / "one.csv"
    events[events["case_id"] == events["case_id"].iloc[0]].to_csv(one, index=False)
    capsys.readouterr()
    out = tmp_path / "val"
    code = main(["validate", str(one), str(SMALL), "--reps", "1", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 1
    assert "Result: FAIL (nothing scored" in printed
    assert "**Result: FAIL (nothing scored" in (out / "validation.md").read_text()


def test_validate_reports_log_items_missing_from_the_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pandas as pd

    logs = tmp_path / "synth"
    assert main(["synth", str(SMALL), "--days", "30", "--seed", "2", "--out", str(logs)]) == 0
    events = pd.read_csv(logs / "events.csv")
    first = events["case_id"].drop_duplicates().iloc[:5]
    events.loc[events["case_id"].isin(first), "item_id"] = "NOT-IN-SCENARIO"
    log = tmp_path / "mixed.csv"
    events.to_csv(log, index=False)
    capsys.readouterr()
    code = main(["validate", str(log), str(SMALL), "--reps", "1", "--out", str(tmp_path / "v")])
    assert code in (0, 1)
    printed = capsys.readouterr()
    text = printed.out + printed.err
    assert "NOT-IN-SCENARIO" in text and "item not in the catalogue: dropped" in text


def test_output_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    import subprocess
    import sys

    argv = [sys.executable, "-m", "simhall", "run", str(SMALL), "--days", "10", "--reps", "1"]
    argv += ["--warmup-days", "0", "--out", str(tmp_path / "run"), "--quiet"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader goes away before anything is printed
    err = proc.stderr.read().decode()
    assert proc.wait() == 141, err
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_run_twice_into_one_folder_replaces_it_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    out = tmp_path / "run"
    argv = ["run", str(SMALL), "--days", "10", "--reps", "1", "--warmup-days", "0", "--quiet"]
    assert main([*argv, "--out", str(out)]) == 0
    assert "replacing" not in capsys.readouterr().out
    (out / "contributions.csv").write_text("stale file of an earlier command")
    assert main([*argv, "--seed", "5", "--out", str(out)]) == 0
    assert "(replacing the earlier results there)" in capsys.readouterr().out
    assert not (out / "contributions.csv").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["command"] == "run" and manifest["settings"]["seed"] == 5
    assert "summary.csv" in manifest["files"] and str(SMALL) in manifest["inputs"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_run_refuses_a_folder_it_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import simhall.experiment

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("simulation started although --out is unusable")

    monkeypatch.setattr(simhall.experiment, "run", boom)
    (tmp_path / "notes.txt").write_text("mine")
    code = main(["run", str(SMALL), "--days", "3", "--out", str(tmp_path)])
    assert code == 2
    assert "was not written by simhall" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text() == "mine"
