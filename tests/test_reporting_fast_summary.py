"""The summary tables built from arrays read as the pandas operations they replace."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simhall.experiment import resolve_settings, simulate_replication
from simhall.reporting import metrics, stability, summary
from simhall.scenario import load_scenario


@pytest.fixture(scope="module")
def small_run(examples_dir):  # type: ignore[no-untyped-def]
    scn = load_scenario(examples_dir / "small_hall.toml")
    settings = resolve_settings(scn, days=10, warmup_days=0, drain_days=0, reps=2)
    reps = [simulate_replication(scn, settings, r) for r in range(2)]
    return scn, reps


def test_across_grid_reads_a_shuffled_table_as_a_pivot(small_run) -> None:  # type: ignore[no-untyped-def]
    _, reps = small_run
    per_rep = stability.stations_by_replication(pd.concat([r.stations for r in reps]))
    tidy = metrics.across(per_rep, ["station"], stability.STATION_METRICS)
    keys, stats = metrics.across_grid(tidy, "station", stability.STATION_METRICS)
    shuffled = tidy.sample(frac=1.0, random_state=3)
    keys2, stats2 = metrics.across_grid(shuffled, "station", stability.STATION_METRICS)
    assert list(keys) == list(keys2) == sorted(per_rep["station"].unique())
    wide = tidy.pivot(index="station", columns="metric", values="mean")
    expected = wide[stability.STATION_METRICS].to_numpy()
    for got in (stats["mean"], stats2["mean"]):
        np.testing.assert_array_equal(got, expected)


def test_station_table_keeps_first_seen_order_and_counts_replications(small_run) -> None:  # type: ignore[no-untyped-def]
    _, reps = small_run
    per_rep = stability.stations_by_replication(pd.concat([r.stations for r in reps]))
    table = stability.station_table(per_rep)
    assert list(table["station"]) == list(dict.fromkeys(per_rep["station"]))
    first = per_rep.groupby("station", sort=False)[["department", "kind", "capacity"]].first()
    pd.testing.assert_frame_equal(
        table.set_index("station")[["department", "kind", "capacity"]], first
    )
    # one replication's rows: no confidence bound, so a growing queue needs g > 0 alone
    single = stability.station_table(per_rep[per_rep["replication"] == 0])
    assert single["queue_growth_ci_low"].isna().all()


def test_department_rows_equal_the_merges(small_run) -> None:  # type: ignore[no-untyped-def]
    scn, reps = small_run
    events = pd.concat([r.events for r in reps], ignore_index=True)
    stations = pd.concat([r.stations for r in reps], ignore_index=True)
    cases = pd.concat([r.cases for r in reps], ignore_index=True)
    got = summary.summarize_replications(scn, events, cases, stations).departments
    keys = ["replication", "department"]
    waits = metrics.window_waits_by_replication(events, [d.id for d in scn.departments])
    queues = stations[stations["kind"] == "window"][[*keys, "mean_queue"]]
    util = metrics.utilization_by_replication(stations, keys)
    expected = waits.merge(queues, on=keys, how="left").merge(util, on=keys, how="left")
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_rows_of_gives_way_to_the_merge_for_repeated_keys() -> None:
    left = pd.DataFrame({"replication": [0, 0], "department": ["a", "b"]})
    right = pd.DataFrame({"replication": [0, 0], "department": ["a", "a"], "x": [1.0, 2.0]})
    assert summary._rows_of(left, right, ["replication", "department"]) is None
    right = right.iloc[:1]
    at = summary._rows_of(left, right, ["replication", "department"])
    assert at is not None and list(at) == [0, -1]
