"""The BPIC15 held-out study: real split counts, finite distances, an honest report.

These assertions hold whatever the model's quality: the study must report the naive
comparison and the censoring, not win it.
"""

from __future__ import annotations

import math

import pytest

from simhall.studies.bpic15 import StudyResult, run_study


@pytest.fixture(scope="module")
def study() -> StudyResult:
    return run_study(reps=2, seed=2015)


def test_split_counts(study: StudyResult) -> None:
    split = study.split.set_index("period")
    assert split.loc["train", "cases"] == 761
    assert split.loc["test", "cases"] == 206
    assert split.loc["train", "closed"] == 532
    assert split.loc["test", "closed"] == 78
    assert split.loc["test", "censored"] == 128
    assert split.loc["test", "scored"] == 78
    assert study.holdout.calibration.n_cases > 700


def test_distances_finite_and_positive(study: StudyResult) -> None:
    main = study.comparison[study.comparison["censoring"] == "closed only"]
    assert set(main["measure"]) == {"working_days", "calendar_days"}
    for col in ("model", "naive"):
        values = main[col].to_numpy()
        assert all(math.isfinite(v) and v > 0 for v in values), (col, values)
    assert (main["n_test"] == 78).all()


def test_report_is_honest(study: StudyResult) -> None:
    text = study.summary
    assert "naive" in text.lower() and "the test period looks like the training period" in text
    assert "128 accepted test case(s)" in text  # the censoring count
    assert "weekends-only" in text
    assert "Where the model loses" in text
    main = study.comparison[study.comparison["censoring"] == "closed only"]
    for r in main.itertuples(index=False):
        assert f"{r.model:.1f}" in text and f"{r.naive:.1f}" in text
    verdicts = [
        "beats" if float(m) < float(n) else "loses to"
        for m, n in zip(main["model"], main["naive"], strict=True)
    ]
    for v in verdicts:
        assert f"the model {v} the naive forecast" in text
