"""``simhall compare``: the command writes the report, and a bad overlay exits with 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from simhall.cli import main


def test_cli_compare(
    tmp_path: Path, examples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = examples_dir / "small_hall.toml"
    overlay = tmp_path / "reform_two.toml"
    overlay.write_text(
        f'extends = "{small.as_posix()}"\n\n[[reforms]]\nkind = "two_concentrations"\n'
        'department = "jianwei"\n',
        encoding="utf-8",
    )
    code = main(
        [
            "compare",
            str(small),
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
    printed = capsys.readouterr().out
    assert "Headlines (all items)" in printed and "reform effect [95% CI]" in printed
    assert "Window scorecard total (of 100)" in printed
    assert (tmp_path / "o" / "scorecard_paired.csv").is_file()
    bad = tmp_path / "reform_bad.toml"
    bad.write_text(
        f'extends = "{small.as_posix()}"\n\n[[reforms]]\nkind = "staffing"\n'
        'departments = ["jianwei"]\nwindow = 2\n',
        encoding="utf-8",
    )
    assert (
        main(
            [
                "compare",
                str(small),
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


def test_an_overlay_that_is_another_hall_is_refused_naming_its_file(
    tmp_path: Path,
    examples_dir: Path,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    """one_window.toml does not extend small_hall.toml: its tables would be NaN; exit 2
    before anything runs, naming the overlay file and what it lacks."""
    small = examples_dir / "small_hall.toml"
    other = examples_dir / "one_window.toml"
    out = tmp_path / "o"
    code = main(["compare", str(small), str(other), "--reps", "1", "--quiet", "--out", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert str(other) in err and "does not extend the base" in err
    assert "lacks" in err and "items" in err
    assert not out.exists()


def test_cli_compare_names_an_overloaded_station(  # type: ignore[no-untyped-def]
    tmp_path: Path, examples_dir: Path, capsys
) -> None:
    """One business clerk instead of three: the overlay's gongshang/clerk is named on the
    terminal with its offered load, and its items' recommendations are withheld."""
    small = examples_dir / "small_hall.toml"
    overlay = tmp_path / "one_clerk.toml"
    overlay.write_text(
        f'extends = "{small.as_posix()}"\n\n[[reforms]]\nkind = "staffing"\n'
        'departments = ["gongshang"]\nstaff = { clerk = 1 }\n',
        encoding="utf-8",
    )
    args = ["compare", str(small), str(overlay), "--reps", "2", "--seed", "3", "--days", "30"]
    args += ["--warmup-days", "5", "--drain-days", "10", "--no-contributions", "--quiet"]
    assert main([*args, "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "UNSTABLE stations" in out
    line = next(s for s in out.splitlines() if "one_clerk" in s and "gongshang/clerk" in s)
    assert "offered load" in line
    report = (tmp_path / "o" / "report.md").read_text(encoding="utf-8")
    assert "gongshang/clerk" in report and "## Recommendations withheld" in report
