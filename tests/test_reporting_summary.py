"""``simhall.reporting.summary``: per-replication rows merge into the run's summary, bit for
bit, and the tables carry the scenario's names and limits."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from simhall.experiment import iterate_replications, run
from simhall.reporting import metrics
from simhall.reporting.summary import (
    ITEM_METRICS,
    ReplicationSummary,
    Summary,
    combine_replications,
    summarize,
    summarize_replications,
)
from tests.helpers import two_department_hall

KW = dict(days=8, drain_days=15, reps=3, seed=7, show_progress=False)


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return run(two_department_hall(route_kind=3, volume=6.0), **KW)  # type: ignore[arg-type]


def test_replications_summarized_one_by_one_merge_into_the_run_summary(result) -> None:  # type: ignore[no-untyped-def]
    """What a worker process would send (one replication's rows) and the parent merges:
    the same tables as summarizing the concatenated frames, exactly."""
    scn, settings = result.scenario, result.settings
    parts = [
        summarize_replications(scn, r.events, r.cases, r.stations, settings.service_level)
        for r in iterate_replications(scn, settings)
    ]
    assert [list(p.hall["replication"]) for p in parts] == [[0], [1], [2]]
    merged = combine_replications(scn, ReplicationSummary.concat(parts), settings.service_level)
    for name, frame in zip(Summary._fields, merged, strict=True):
        pd.testing.assert_frame_equal(frame, getattr(result, name), check_exact=True)


def test_summary_unpacks_into_the_run_tables(result) -> None:  # type: ignore[no-untyped-def]
    out = summarize(result.scenario, result.events, result.cases, result.stations, 0.95)
    items, departments, hall, summary = out
    assert isinstance(out, Summary)
    pd.testing.assert_frame_equal(items, result.items)
    assert list(items["item_id"]) == [i.id for i in result.scenario.items]
    assert list(departments["department"]) == [d.id for d in result.scenario.departments]
    assert set(hall["metric"]) == {
        "cases",
        "in_progress",
        "onsite_rate",
        "visits_per_case",
        "share_within",
        "completed_share",
        "open_past_limit",
    }
    assert set(summary["scope"]) == {"item", "department", "station", "hall"}
    for m in ITEM_METRICS:
        assert {m, f"{m}_ci_low", f"{m}_ci_high"} <= set(items.columns)
    # the recommended limit is the pooled limit over all replications' cases, unless
    # withheld (this little hall's outside section is overloaded: its items' are)
    pooled = metrics.pooled_limits(result.cases, 0.95)
    rec = items.set_index("item_id")
    for item_id, limit in pooled.items():
        if rec.loc[item_id, "withheld"] == "":
            assert rec.loc[item_id, "recommended_days"] == limit
        else:
            assert np.isnan(rec.loc[item_id, "recommended_days"])
    assert (rec["withheld"] != "").any()


def test_pooled_limit_does_not_depend_on_the_order_of_replications() -> None:
    days = pd.DataFrame({"item_id": ["a"] * 5 + ["b"] * 2, "counted_days": [0, 1, 1, 2, 5, 3, 4]})
    forward = metrics.limits_by_item(days, 0.8)
    backward = metrics.limits_by_item(days.iloc[::-1], 0.8)
    assert forward.to_dict() == backward.to_dict() == {"a": 2.0, "b": 4.0}


def test_a_replication_without_rows_adds_nothing_to_the_merge() -> None:
    full = ReplicationSummary(
        items=pd.DataFrame({"replication": [0], "item_id": ["a"], "cases": [3]}),
        departments=pd.DataFrame({"replication": [0], "department": ["d"]}),
        hall=pd.DataFrame({"replication": [0], "cases": [3]}),
        completed_days=pd.DataFrame({"item_id": ["a"], "counted_days": [np.float64(2.0)]}),
    )
    empty = ReplicationSummary(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    merged = ReplicationSummary.concat([full, empty])
    pd.testing.assert_frame_equal(merged.items, full.items)
    pd.testing.assert_frame_equal(merged.completed_days, full.completed_days)
    two = ReplicationSummary.concat([full, full])
    assert len(two.hall) == 2 and list(two.hall.index) == [0, 1]
    with pytest.raises(ValueError, match="at least one"):
        ReplicationSummary.concat([])


def test_settings_service_level_reaches_the_limits() -> None:
    # items a and b only: item c overloads the outside section (recommendations withheld)
    full = two_department_hall(route_kind=3, volume=6.0)
    scn = dataclasses.replace(full, items=full.items[:2])
    loose = run(scn, days=8, drain_days=15, reps=2, seed=7, service_level=0.5, show_progress=False)
    tight = run(scn, days=8, drain_days=15, reps=2, seed=7, service_level=0.99, show_progress=False)
    pd.testing.assert_frame_equal(loose.cases, tight.cases)
    lo = loose.items.set_index("item_id")["recommended_days"].dropna()
    hi = tight.items.set_index("item_id")["recommended_days"].dropna()
    assert len(lo) and (lo <= hi[lo.index]).all() and (lo < hi[lo.index]).any()
