"""``simhall.studies.huainan_chief_rep``: the chief-representative items table and figure."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simhall.studies.huainan_chief_rep import chief_rep_figure, chief_rep_items


def _items() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item_id": ["b-1", "a-1", "c-1"],
            "name": ["乙", "甲", "丙"],
            "department": ["b", "a", "c"],
            "tags": ["t", "t;u", "u"],
            "committed_before": [10, 20, 5],
            "p95_before": [6.04, 12.0, 3.0],
            "p95_after": [3.0, 5.55, 3.0],
            "p95_diff": [-3.04, -6.45, 0.0],
            "p95_diff_ci_low": [-4.0, np.nan, 0.0],
            "p95_diff_ci_high": [-2.0, np.nan, 0.0],
            "recommended_after": [3.0, 6.0, 3.0],
            "compression_days": [7.0, 14.0, 2.0],
            "compression_pct": [70.0, 70.0, 40.0],
            "removed": [2, 2, 0],
        }
    )


def test_chief_rep_items_selects_sorts_and_rounds() -> None:
    table = chief_rep_items(_items(), "t")
    assert list(table.index) == ["a-1", "b-1"]
    assert table.loc["b-1", "P95 before"] == 6.0
    assert table.loc["b-1", "P95 change [95% CI]"] == "-3.0 [-4.0, -2.0]"
    assert table.loc["a-1", "P95 change [95% CI]"] == "-6.5"
    fig = chief_rep_figure(_items(), "t")
    # fixed width; the height grows with the items drawn (two here: the minimum)
    assert tuple(fig.get_size_inches()) == (9.0, 3.0)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(ticks) == 2
