"""``simhall.studies.huainan_one_form``: the one-form study's per-replication bundle
figures, its display table and figure (with :func:`simhall.studies.huainan.one_form_study`
and :func:`simhall.compare.bundle_table`)."""

from __future__ import annotations

import numpy as np
import pytest

from simhall.compare import bundle_table
from simhall.studies import huainan
from simhall.studies.huainan_one_form import bundle_reps, one_form_figure, one_form_table


@pytest.fixture(scope="module")
def one_form():  # type: ignore[no-untyped-def]
    return huainan.one_form_study(days=25, reps=2, seed=3)


def test_one_form_study_matches_bundle_table(one_form) -> None:  # type: ignore[no-untyped-def]
    table = bundle_table(one_form.results, one_form.reforms).set_index("stage")
    for label, stage in (("before", "before"), ("after", "after")):
        reform = next(r for r in one_form.reforms[label] if hasattr(r, "bundle"))
        reps = bundle_reps(one_form.results[label], reform)
        assert list(reps["replication"]) == [0, 1]
        assert reps["forms"].iloc[0] == table.loc[stage, "forms"]
        # per-replication means of equal-sized replications average to the pooled mean
        assert np.isfinite(reps["window_min"]).all()
        assert (reps["wait_min"] >= 0).all()
    shown = one_form_table(one_form)
    assert shown.loc["forms", "before"] == 22 and shown.loc["forms", "after"] == 1
    assert shown.loc["data fields", "after"] == 39
    assert shown.loc["window service (min)", "after"] < shown.loc["window service (min)", "before"]
    fig = one_form_figure(one_form)
    assert tuple(fig.get_size_inches()) == (9.0, 3.5)
