"""``simhall.compare.report``: a comparison written out (CSV files, Markdown, figures)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from simhall.compare import Comparison, write_comparison


def test_compare_writes_outputs(comparison: Comparison, tmp_path: Path) -> None:
    out = write_comparison(comparison, tmp_path / "out", ["target"])
    for name in (
        "comparison.csv",
        "items.csv",
        "aggregates.csv",
        "report.md",
        "ranking.csv",
        "p95_remove.png",
    ):
        assert (out / name).is_file(), name
    tidy = pd.read_csv(out / "comparison.csv")
    assert set(tidy["scope"]) == {"item", "department", "hall"}
