"""``simhall.calibration.evidence``: the stages' assumptions, notes, dropped rows and fits."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simhall.calibration.evidence import (
    DROPPED_COLUMNS,
    FIT_COLUMNS,
    Dropped,
    Evidence,
    fit_row,
    params_text,
)
from simhall.calibration.fit import fit_duration
from simhall.distributions import Empirical, Lognormal


def test_pages_add_up_in_order() -> None:
    a = Evidence(assumptions=("x", "y"), dropped=(Dropped("c1", 1, 1, "dropped", ""),))
    b = Evidence(assumptions=("x", "z"), notes=("n",), dropped=(Dropped("c2", 2, 0, "kept", ""),))
    total = Evidence.merge([a, Evidence(), b])
    assert total.assumptions == ("x", "y", "x", "z")
    assert total.unique_assumptions() == ("x", "y", "z")
    assert total.notes == ("n",)
    assert list(total.dropped_table()["check"]) == ["c1", "c2"]
    assert a + b == total


def test_empty_tables_keep_their_columns() -> None:
    assert tuple(Evidence().dropped_table().columns) == DROPPED_COLUMNS
    assert tuple(Evidence().fit_table().columns) == FIT_COLUMNS
    assert len(Evidence().fit_table()) == 0


def test_reader_issues_become_dropped_rows_and_notes_assumptions() -> None:
    issues = pd.DataFrame(
        [{"check": "duplicates", "count": 3, "action": "dropped", "detail": "same row twice"}]
    )
    page = Evidence.from_reader(issues, ["times are local"])
    assert page.dropped == (Dropped("read: duplicates", 3, 0, "dropped", "same row twice"),)
    assert page.assumptions == ("times are local",)
    assert Evidence.from_reader(None, None) == Evidence()


def test_fit_rows() -> None:
    fr = fit_duration(np.random.default_rng(1).lognormal(3, 0.5, 200))
    row = fit_row("item", "A", "review", "min", fr, "")
    assert tuple(row._asdict()) == FIT_COLUMNS
    assert (row.n, row.dist, row.fitted_mean) == (200, fr.dist.name, fr.dist.mean)
    assert params_text(Lognormal(15.0, 8.0)) == "mean=15, sd=8"
    assert params_text(Empirical([1.0, 2.0, 3.0])) == "values=[3 values]"
