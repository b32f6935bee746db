"""``simhall.calibration.report``: the Markdown report and its figure."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from simhall.calibration import calibrate
from simhall.calibration.report import render_report, write_figures


def test_sections_and_evidence(
    case_log: Callable[..., pd.DataFrame], catalogue_of: Callable[..., pd.DataFrame]
) -> None:
    ev = case_log(60)
    ev.loc[0, "item_id"] = "NOPE"
    cal = calibrate(ev, catalogue_of("A"), source="hall.csv")
    text = render_report(cal)
    for heading in (
        "# Calibration report",
        "## Assumptions",
        "## Dropped and flagged data",
        "## Opening hours",
        "## Demand",
        "## Activity classification",
        "## Departments: staffing, sessions, couriers",
        "## Routes",
        "## Fitted distributions",
    ):
        assert f"\n{heading}\n" in f"\n{text}", heading
    assert "| unknown item | 1 | 1 | dropped |" in text
    assert "- Source log: `hall.csv`" in text
    assert text == cal.report()


def test_figure_is_a_png_next_to_the_report_without_pyplot_figures(
    tmp_path: Path,
    case_log: Callable[..., pd.DataFrame],
    catalogue_of: Callable[..., pd.DataFrame],
) -> None:
    cal = calibrate(case_log(60), catalogue_of("A"))
    names = write_figures(cal, tmp_path / "report.md")
    assert names == ["report_demand.png"]
    assert (tmp_path / "report_demand.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    plt = sys.modules.get("matplotlib.pyplot")
    assert plt is None or plt.get_fignums() == []  # no figure left open in pyplot
