"""``simhall.reporting.tables``: the run's display tables, labelled from the one table of
metric labels (:mod:`simhall.reporting.formatting`)."""

from __future__ import annotations

import pytest

from simhall.experiment import run
from simhall.reporting import tables
from simhall.reporting.formatting import fmt_ci, metric_label
from tests.helpers import two_department_hall


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    scn = two_department_hall(route_kind=3, volume=6.0)
    return run(scn, days=8, drain_days=15, reps=3, seed=7, show_progress=False)


def test_hall_table_labels_and_rounds_every_hall_metric(result) -> None:  # type: ignore[no-untyped-def]
    shown = tables.hall_table(result)
    hall = result.hall.set_index("metric")
    assert len(shown) == len(hall)
    for metric, row in hall.iterrows():
        label, digits = metric_label(metric)
        assert label != metric
        assert shown.loc[label, "mean [95% CI]"] == fmt_ci(
            row["mean"], row["ci_low"], row["ci_high"], digits
        )
    assert shown.loc["cases per replication", "mean [95% CI]"].split(" ")[0].isdigit()


def test_department_and_compression_tables(result) -> None:  # type: ignore[no-untyped-def]
    depts = tables.department_table(result, top=1)
    waits = result.departments.set_index("department")["mean_wait_min"]
    assert list(depts.index) == [waits.idxmax()]
    commit = result.items[result.items["kind"] == "commitment"]
    cuts = tables.compression_table(result)
    assert len(cuts) == len(commit) and "limit@95%" in cuts.columns
    # largest cut first; withheld recommendations (no cut) last, each with its reason
    cut = cuts["cut"].dropna()
    assert list(cut) == sorted(cut, reverse=True)
    assert list(cuts.index[: len(cut)]) == list(cut.index)
    withheld = cuts[cuts["cut"].isna()]
    assert (withheld["note"].str.len() > 0).all()
    overview = tables.run_overview(result)
    assert overview.loc["replications", "value"] == "3"
