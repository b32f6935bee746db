"""``simhall.compare.compare``: a base against an overlay, paired hall-wide effects."""

from __future__ import annotations

from simhall.compare import Comparison


def test_compare_pairs_the_hall_wide_metrics(comparison: Comparison) -> None:
    assert set(comparison.hall["metric"]) >= {"onsite_rate", "mean_wait_min", "staff_utilization"}


def test_compare_on_workers_starts_one_pool_and_gives_the_serial_numbers(
    compare_hall, overlay_of, compare_options, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    import simhall.compare.comparison as comparison_module
    import simhall.experiment as experiment_module
    from simhall.compare import compare

    overlays = {
        "remove": overlay_of(
            compare_hall, {"kind": "reengineering", "items": ["a"], "remove": ["inspection"]}
        ),
        "more": overlay_of(compare_hall, {"kind": "staffing", "departments": ["d"], "windows": 2}),
    }
    serial = compare(compare_hall, overlays, **compare_options)
    started: list[int] = []
    real = comparison_module.local_pool

    def counted(workers: int):  # type: ignore[no-untyped-def]
        started.append(workers)
        return real(workers)

    monkeypatch.setattr(comparison_module, "local_pool", counted)
    monkeypatch.setattr(experiment_module, "local_pool", counted)
    parallel = compare(compare_hall, overlays, workers=2, **compare_options)
    # base, 2 overlays and their combination (contributions): 4 runs, one pool of 2
    assert started == [2]
    for name in ("items", "aggregates", "departments", "hall", "contributions"):
        pd.testing.assert_frame_equal(getattr(serial, name), getattr(parallel, name))


def test_compare_of_one_replication_on_workers_starts_no_pool(
    compare_hall, overlay_of, compare_options, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The runs of a comparison come one after the other: with one replication each, a pool
    would run one replication at a time in a child while this process waits."""
    import pandas as pd

    import simhall.compare.comparison as comparison_module
    import simhall.experiment as experiment_module
    from simhall.compare import compare

    overlays = {
        "more": overlay_of(compare_hall, {"kind": "staffing", "departments": ["d"], "windows": 2})
    }
    options = {**compare_options, "reps": 1}
    serial = compare(compare_hall, overlays, **options)

    def refused(workers: int):  # type: ignore[no-untyped-def]
        raise AssertionError(f"a pool of {workers} was started")

    monkeypatch.setattr(comparison_module, "local_pool", refused)
    monkeypatch.setattr(experiment_module, "local_pool", refused)
    parallel = compare(compare_hall, overlays, workers=2, **options)
    for name in ("items", "departments", "hall"):
        pd.testing.assert_frame_equal(getattr(serial, name), getattr(parallel, name))
