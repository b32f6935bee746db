"""A second comparison into the same folder leaves nothing of the first (issue 9, item 4)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pandas as pd

from simhall.compare import write_comparison


def test_second_comparison_replaces_the_first_whole(comparison: Any, tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    write_comparison(comparison, out, ("target",))
    first = sorted(p.name for p in out.iterdir())
    assert "ranking.csv" in first and "manifest.json" in first
    lighter = dataclasses.replace(comparison, ranking=pd.DataFrame())
    write_comparison(lighter, out, ("target",))
    second = sorted(p.name for p in out.iterdir())
    assert "ranking.csv" not in second
    assert set(second) < set(first)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["command"] == "compare" and manifest["tags"] == ["target"]
    assert sorted(manifest["files"]) == sorted(n for n in second if n != "manifest.json")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
