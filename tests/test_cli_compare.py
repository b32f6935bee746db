"""``simhall compare``: the command writes the report, and a bad overlay exits with 2."""

from __future__ import annotations

from pathlib import Path

from simhall.cli import main


def test_cli_compare(tmp_path: Path, examples_dir: Path) -> None:
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
