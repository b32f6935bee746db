"""``simhall report`` and the output data dictionary: tables as CSV, Markdown and LaTeX,
figures as PDF, SVG and PNG, byte-identical for the same folder, every column explained."""

from __future__ import annotations

import struct
from pathlib import Path

import pandas as pd
import pytest

from simhall.compare import Comparison, write_comparison
from simhall.errors import UsageError
from simhall.reporting.dictionary import (
    README,
    data_dictionary,
    describe_column,
    undescribed,
)
from simhall.reporting.export import format_cell, latex_table, write_table_files
from simhall.reporting.folder_report import write_report

EXAMPLES = Path(__file__).resolve().parent.parent / "scenarios" / "examples"


def test_format_cell() -> None:
    assert format_cell(3.0) == "3"
    assert format_cell(0.123456) == "0.1235"
    assert format_cell(float("nan")) == "-"
    assert format_cell(None) == "-"
    assert format_cell("a|b") == "a/b"
    assert format_cell(True) == "yes"


def test_latex_table_is_booktabs_and_escaped() -> None:
    frame = pd.DataFrame({"item_id": ["JW_1"], "share %": [0.5], "name": ["市建委 & 国土"]})
    tex = latex_table(frame, caption="50% of items", label="tab:x")
    assert r"\toprule" in tex and r"\midrule" in tex and r"\bottomrule" in tex
    assert r"\begin{tabular}{lrl}" in tex
    assert r"item\_id & share \% & name \\" in tex
    assert r"JW\_1 & 0.5 & 市建委 \& 国土 \\" in tex
    assert r"\caption{50\% of items}" in tex


def test_table_files(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": [1.0, 2.5], "b": ["x", "y"]})
    paths = write_table_files(frame, tmp_path / "t", "caption")
    assert [p.name for p in paths] == ["t.csv", "t.md", "t.tex"]
    assert (tmp_path / "t.md").read_text(encoding="utf-8").splitlines()[2] == "| 1 | x |"


def test_describe_column_derives_ci_and_before_after() -> None:
    assert describe_column("p95_days_ci_low")[1] == "working days"  # type: ignore[index]
    assert "base scenario" in describe_column("steps_before")[0]  # type: ignore[index]
    assert describe_column("no_such_column") is None


def test_undescribed_column_is_named(tmp_path: Path) -> None:
    pd.DataFrame({"item_id": ["a"], "mystery": [1]}).to_csv(tmp_path / "x.csv", index=False)
    assert undescribed(tmp_path) == ["x.csv: mystery"]
    assert "| mystery | (not described) |" in data_dictionary(tmp_path)


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from simhall.experiment import run
    from simhall.scenario import load_scenario

    result = run(
        load_scenario(EXAMPLES / "small_hall.toml"),
        days=20,
        warmup_days=2,
        drain_days=20,
        reps=2,
        seed=3,
        show_progress=False,
    )
    return result.write(tmp_path_factory.mktemp("run") / "run")


def test_run_folder_explains_every_file_and_column(run_folder: Path) -> None:
    readme = (run_folder / README).read_text(encoding="utf-8")
    assert undescribed(run_folder) == []
    assert "| limit_at_sl |" in readme and "| recommended_days |" in readme
    assert "pooled" in readme.split("| recommended_days |")[1].splitlines()[0]
    for name in ("items.csv", "cases.parquet", "log.parquet", "settings.txt"):
        assert f"| {name} |" in readme


def test_compare_folder_explains_every_column(comparison: Comparison, tmp_path: Path) -> None:
    out = write_comparison(comparison, tmp_path / "cmp", ["target"])
    assert (out / README).is_file()
    assert undescribed(out) == []


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return struct.unpack(">II", data[16:24])


def _report_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_report_of_a_run_is_complete_and_reproducible(run_folder: Path, tmp_path: Path) -> None:
    first = write_report(run_folder, tmp_path / "r1", lang="zh")
    names = set(p.name for p in first.iterdir())
    for stem in ("limits_vs_simulated", "working_days_histogram"):
        assert {f"{stem}.pdf", f"{stem}.svg", f"{stem}.png"} <= names
    for stem in ("hall", "departments", "items"):
        assert {f"{stem}.csv", f"{stem}.md", f"{stem}.tex"} <= names
    assert {"report.md", README, "manifest.json"} <= names
    # 8 x 4 inch figure at 300 dpi
    assert _png_size(first / "limits_vs_simulated.png") == (2400, 1200)
    md = (first / "report.md").read_text(encoding="utf-8")
    assert "**Figure 2.**" in md and "**Table 3.**" in md
    assert "(limits_vs_simulated.pdf)" in md and "(items.tex)" in md
    second = write_report(run_folder, tmp_path / "r2", lang="zh")
    assert _report_files(first) == _report_files(second)


def test_report_language_changes_figures_not_tables(run_folder: Path) -> None:
    """The report's pieces drawn in English and in Chinese: same tables, other labels (one
    SVG each, not a whole report: embedding the CJK font in PDFs takes seconds)."""
    from simhall.reporting import figures as style
    from simhall.reporting.folder_report import pieces, read_manifest
    from simhall.reporting.labels import language

    def draw(lang: str) -> tuple[bytes, pd.DataFrame | None]:
        with language(lang):  # type: ignore[arg-type]
            parts = {p.stem: p for p in pieces(run_folder, read_manifest(run_folder))}
            figure = parts["limits_vs_simulated"].figure
            assert figure is not None
            return style.figure_bytes(figure(), "svg"), parts["items"].table

    (svg_en, items_en), (svg_zh, items_zh) = draw("en"), draw("zh")
    assert items_en is not None and items_zh is not None
    pd.testing.assert_frame_equal(items_en, items_zh)
    assert svg_en != svg_zh


def test_report_of_a_comparison_draws_the_changed_items(
    comparison: Comparison, tmp_path: Path
) -> None:
    src = write_comparison(comparison, tmp_path / "cmp", ["target"])
    out = write_report(src, tmp_path / "rep")
    names = set(p.name for p in out.iterdir())
    assert {"p95_remove.pdf", "items_remove.tex", "aggregates.md", "ranking.csv"} <= names
    items = pd.read_csv(out / "items_remove.csv")
    # the reform removed item a's inspection: a is drawn, b (untouched) only if its P95 moved
    assert "a" in set(items["item_id"])
    assert undescribed(out) == []


def test_report_refuses_a_folder_simhall_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    with pytest.raises(UsageError, match="no manifest.json"):
        write_report(tmp_path / "mine", tmp_path / "out")
    with pytest.raises(UsageError, match="no such folder"):
        write_report(tmp_path / "missing", tmp_path / "out")


def test_report_refuses_out_inside_the_source(run_folder: Path) -> None:
    with pytest.raises(UsageError, match="inside the source folder"):
        write_report(run_folder, run_folder / "report")


def test_cli_report_bad_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from simhall.cli import main

    assert main(["report", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    assert "no such folder" in capsys.readouterr().err
