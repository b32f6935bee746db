"""``simhall study bpic15 --log PATH`` (issue 8 item 9): the held-out protocol on another file
of the challenge in the same format (here a subset of the bundled municipality 1 written to
a temporary folder), and exit 2 for a file that is not one."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pandas as pd
import pytest

from simhall.cli import main
from simhall.logs.bpic15 import bpic15_path


def subset(path: Path, every: int) -> Path:
    """Every ``every``-th trace of the bundled log, written as plain XES to ``path``."""
    text = gzip.open(bpic15_path(), "rt", encoding="utf-8").read()
    first, last = text.index("<trace>"), text.rindex("</trace>") + len("</trace>")
    traces = [t + "</trace>" for t in text[first:last].split("</trace>") if "<trace>" in t]
    path.write_text(text[:first] + "\n".join(traces[::every]) + text[last:], encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def study_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    folder = tmp_path_factory.mktemp("bpic15_log")
    log = subset(folder / "BPIC15_sub.xes", 6)
    out = folder / "out"
    code = main(["study", "bpic15", "--log", str(log), "--reps", "1", "--out", str(out)])
    return code, out


def test_the_protocol_runs_on_another_file(study_out: tuple[int, Path]) -> None:
    code, out = study_out
    assert code == 0
    comparison = pd.read_csv(out / "comparison.csv")
    assert list(comparison["censoring"]) == ["closed only"] * 2 + ["none"] * 2
    assert list(comparison["measure"]) == ["working_days", "calendar_days"] * 2
    assert (comparison[["model", "naive"]] > 0).all().all()
    split = pd.read_csv(out / "split.csv").set_index("period")
    # a sixth of the bundled file's cases (761 training, 206 test): this file, not the bundled
    assert 100 < split.loc["train", "cases"] < 160 and 20 < split.loc["test", "cases"] < 50
    assert (comparison["n_test"].iloc[:2] == split.loc["test", "scored"]).all()
    summary = (out / "bpic15.md").read_text(encoding="utf-8")
    assert summary.startswith("# BPIC15 (`BPIC15_sub.xes`)")


def test_bad_files_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def study(log: Path) -> int:
        return main(["study", "bpic15", "--log", str(log), "--out", str(tmp_path / "o")])

    assert study(tmp_path / "BPIC15_9.xes") == 2
    assert "no such file" in capsys.readouterr().err
    garbage = tmp_path / "garbage.xes"
    garbage.write_text("case,activity\n1,a\n", encoding="utf-8")
    assert study(garbage) == 2
    assert "garbage.xes" in capsys.readouterr().err
    small = subset(tmp_path / "small.xes", 60)
    text = small.read_text(encoding="utf-8")
    no_status = tmp_path / "no_status.xes"
    no_status.write_text(re.sub(r'<string key="caseStatus" value="[^"]*"/>', "", text), "utf-8")
    assert study(no_status) == 2
    assert "no trace attribute caseStatus" in capsys.readouterr().err
    no_accept = tmp_path / "no_accept.xes"
    no_accept.write_text(text.replace("01_HOOFD_010", "01_HOOFD_011"), encoding="utf-8")
    assert study(no_accept) == 2
    err = capsys.readouterr().err
    assert "'01_HOOFD_010' names no activity" in err and "'01_HOOFD_011'" in err
    # a file of the format whose test period has no closed case: nothing to score
    assert study(small) == 2
    assert "no closed case" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
