"""``simhall calibrate`` (``simhall.cli.calibrate``): files in, scenario and report out, exit 2
on bad input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from simhall.cli import main
from simhall.scenario import load_scenario


@pytest.fixture()
def log_files(tmp_path: Path, case_log: Callable[..., pd.DataFrame]) -> tuple[Path, Path]:
    ev = pd.concat([case_log(80, "A"), case_log(60, "B", start_case=1000)], ignore_index=True)
    log = tmp_path / "log.csv"
    ev.to_csv(log, index=False, date_format="%Y-%m-%d %H:%M:%S")
    items = tmp_path / "items.csv"
    items.write_text(
        "item_id,department,kind,committed_days,name\nA,d,commitment,5,甲\nB,d,commitment,3,乙\n",
        encoding="utf-8",
    )
    return log, items


def test_cli_writes_loadable_scenario_and_report(log_files: tuple[Path, Path]) -> None:
    log, items = log_files
    out, report = log.parent / "cal.toml", log.parent / "cal.md"
    code = main(
        ["calibrate", str(log), "--items", str(items), "--out", str(out), "--report", str(report)]
    )
    assert code == 0
    scenario = load_scenario(out)
    assert {i.id for i in scenario.items} == {"A", "B"}
    text = report.read_text(encoding="utf-8")
    assert "# Calibration report" in text and "Assumptions" in text
    assert "case1" not in text and "case1" not in out.read_text(encoding="utf-8")


def test_cli_figures_next_to_the_report(log_files: tuple[Path, Path]) -> None:
    log, items = log_files
    out, report = log.parent / "cal.toml", log.parent / "cal.md"
    argv = ["calibrate", str(log), "--items", str(items), "--out", str(out)]
    assert main([*argv, "--report", str(report), "--figures"]) == 0
    png = log.parent / "cal_demand.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "![cal_demand.png](cal_demand.png)" in report.read_text(encoding="utf-8")


def test_cli_missing_column_exits_2_naming_the_file(
    log_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    log, items = log_files
    bad = log.parent / "bad.csv"
    pd.read_csv(log).drop(columns="activity").to_csv(bad, index=False)
    code = main(["calibrate", str(bad), "--items", str(items), "--out", str(log.parent / "x.toml")])
    assert code == 2
    err = capsys.readouterr().err
    assert "bad.csv" in err and "activity" in err


def test_cli_unknown_item_strict_exits_2_naming_rows(
    log_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    log, items = log_files
    frame = pd.read_csv(log)
    frame.loc[3, "item_id"] = "NOPE"
    bad = log.parent / "unknown.csv"
    frame.to_csv(bad, index=False)
    out = log.parent / "y.toml"
    code = main(["calibrate", str(bad), "--items", str(items), "--out", str(out), "--strict"])
    assert code == 2
    err = capsys.readouterr().err
    assert "unknown.csv" in err and "5" in err  # row 5 of the file (header = line 1)
    assert not out.exists()
    # without --strict the row is dropped and reported
    code = main(["calibrate", str(bad), "--items", str(items), "--out", str(out)])
    assert code == 0 and out.exists()
    assert "unknown" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_cli_log_without_rows_exits_2_saying_so(
    log_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    log, items = log_files
    empty = log.parent / f"empty{suffix}"
    header_only = pd.read_csv(log).head(0)
    if suffix == ".csv":
        header_only.to_csv(empty, index=False)
    else:
        header_only.to_parquet(empty, index=False)
    out = log.parent / "e.toml"
    code = main(["calibrate", str(empty), "--items", str(items), "--out", str(out)])
    assert code == 2 and not out.exists()
    err = capsys.readouterr().err
    assert f"empty{suffix}" in err and "no events (column names but no rows)" in err
    assert "no start timestamps" not in err  # no notes about the columns of no events


def test_cli_bad_items_file_exits_2(
    log_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    log, items = log_files
    items.write_text("item_id,department,kind\nA,d,commitment\n", encoding="utf-8")
    code = main(["calibrate", str(log), "--items", str(items), "--out", str(log.parent / "z.toml")])
    assert code == 2
    assert "items.csv" in capsys.readouterr().err


def test_cli_self_check_table_on_the_terminal_and_in_the_report(
    log_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    log, items = log_files
    out, report = log.parent / "cal.toml", log.parent / "cal.md"
    argv = ["calibrate", str(log), "--items", str(items), "--out", str(out)]
    assert main([*argv, "--report", str(report), "--check-reps", "1"]) == 0
    printed = capsys.readouterr().out
    head = "self-check (1 replications, seed 0): "
    assert head in printed
    verdict = printed.split(head)[1].split(":")[0]
    assert verdict in ("PASS", "FAIL")
    text = report.read_text(encoding="utf-8")
    assert "## Fit check (the calibrated scenario on its own period)" in text
    assert "step_days" in text and "daily_cv" in text and "mean_days" in text
    assert f"# Self-check on the calibration period: {verdict}" in out.read_text(encoding="utf-8")
    assert main([*argv, "--no-check"]) == 0
    assert "self-check" not in capsys.readouterr().out


def test_cli_strict_self_check_failure_exits_1(
    log_files: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A fit table with a failure: --strict exits 1 (after writing), without it 0."""
    import simhall.calibration.selfcheck as selfcheck

    real = selfcheck.fit_rows

    def failing(*args: object, **kw: object) -> pd.DataFrame:
        table = real(*args, **kw)  # type: ignore[arg-type]
        table.loc[table.index[0], "status"] = "FAIL"
        return table

    monkeypatch.setattr(selfcheck, "fit_rows", failing)
    log, items = log_files
    out = log.parent / "cal.toml"
    argv = ["calibrate", str(log), "--items", str(items), "--out", str(out), "--check-reps", "1"]
    assert main(argv) == 0
    assert main([*argv, "--strict"]) == 1
    assert "--strict: the self-check failed (exit 1)" in capsys.readouterr().out
    assert out.is_file()


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_cli_lang_labels_the_report_figures(
    log_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """``--lang`` reaches the figures of ``calibrate --figures`` (and of ``validate``): the
    commands are run with another language current, so only the option passed through
    labels them."""
    import simhall.calibration.report as report_module
    import simhall.reporting.figures as figures_module
    from simhall.cli.app import build_parser
    from simhall.reporting.labels import language

    def run(argv: list[str]) -> int:
        args = build_parser().parse_args(argv)
        with language("en" if lang == "zh" else "zh"):
            return int(args.func(args))

    titles: list[str] = []
    real = figures_module.save_png

    def capture(fig, path, **kw):  # type: ignore[no-untyped-def]
        titles.extend(ax.get_title() for ax in fig.axes)
        suptitle = fig.get_suptitle()
        if suptitle:
            titles.append(suptitle)
        return real(fig, path, **kw)

    monkeypatch.setattr(report_module, "save_png", capture)
    monkeypatch.setattr(figures_module, "save_png", capture)
    log, items = log_files
    out, report = log.parent / "cal.toml", log.parent / "cal.md"
    argv = ["calibrate", str(log), "--items", str(items), "--out", str(out), "--no-check"]
    assert run([*argv, "--report", str(report), "--figures", "--lang", lang]) == 0
    en, zh = "Weekday factors", "星期系数"
    assert titles[1] == {"en": en, "zh": zh, "both": f"{zh} {en}"}[lang]
    titles.clear()
    folder = log.parent / f"val-{lang}"
    code = run(
        ["validate", str(log), str(out), "--items", str(items), "--reps", "1", "--out", str(folder)]
        + ["--lang", lang]
    )
    assert code in (0, 1)
    ecdf_en = "Working days from acceptance to completion: ECDF, observed vs simulated"
    ecdf_zh = "受理至办结工作日经验分布：实际与模拟"
    text = " | ".join(titles)
    assert (ecdf_en in text) == (lang != "zh") and (ecdf_zh in text) == (lang != "en")
