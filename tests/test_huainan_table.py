"""``simhall.studies.huainan_table``: the report-against-simhall table, formatted."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simhall.studies.huainan_table import report_table


def test_report_table_formats_rows() -> None:
    table = pd.DataFrame(
        {
            "figure": ["share", "days"],
            "report": [0.8991, 142.0],
            "simhall": [0.65527, np.nan],
            "ci_low": [0.6534, np.nan],
            "ci_high": [0.6572, np.nan],
            "basis": ["mechanics", "input"],
            "agrees": ["no", "by construction"],
        }
    )
    t = report_table(table)
    assert t.loc["share", "simhall"] == "0.655"
    assert t.loc["share", "95% CI"] == "[0.653, 0.657]"
    assert t.loc["days", "report"] == "142.0"
    assert t.loc["days", "simhall"] == "-" and t.loc["days", "95% CI"] == "-"
