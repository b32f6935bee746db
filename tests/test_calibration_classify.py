"""``simhall.calibration.classify``: what kind of step each activity is, and overrides."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simhall.calibration.classify import classify_activities, read_classification

BASE = pd.Timestamp("2007-03-05")  # a Monday


def _ts(day: np.ndarray, minute: np.ndarray) -> pd.Series:
    return pd.Series(BASE + pd.to_timedelta(day, "D") + pd.to_timedelta(minute, "min"))


def test_session_pattern_is_classified_as_session() -> None:
    rng = np.random.default_rng(1)
    n = 400
    # completions at 16:00 on Tuesdays/Fridays (days 1, 4, 8, 11, ...), readiness random
    weeks = rng.integers(0, 20, n)
    day = weeks * 7 + rng.choice([1, 4], n)
    end = _ts(day, np.full(n, 960))
    work_start = rng.uniform(510, 1000, n)
    work_end = work_start + rng.exponential(40, n)
    ev = pd.DataFrame(
        {
            "activity": pd.Categorical(["signoff"] * n + ["review"] * n),
            "resource": pd.Categorical(["d/leader"] * n + ["d/clerk/1"] * n),
            "start": np.concatenate([np.full(n, np.nan), work_start + day * 1440]),
            "end": np.concatenate([(end - BASE).dt.total_seconds() / 60, work_end + day * 1440]),
            "dur_work": np.concatenate([np.full(n, np.nan), work_end - work_start]),
        }
    )
    table = classify_activities(ev, {}, day_min=390).set_index("activity")
    assert table.loc["signoff", "kind"] == "session"
    assert table.loc["review", "kind"] == "work"


def test_classification_override_file(tmp_path: Path) -> None:
    f = tmp_path / "classes.toml"
    f.write_text('[activities]\n"现场勘查" = "delay"\nreview = "work"\n', encoding="utf-8")
    assert read_classification(f) == {"现场勘查": "delay", "review": "work"}
    f.write_text('[activities]\nreview = "lunch"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="review"):
        read_classification(f)


def test_date_only_completions_are_delays_not_sessions() -> None:
    """Completions without a time of day all sit at 00:00: never a sign-off session."""
    rng = np.random.default_rng(2)
    n = 300
    day = rng.integers(0, 140, n).astype(np.float64)
    ev = pd.DataFrame(
        {
            "activity": pd.Categorical(["decision"] * n),
            "resource": pd.Categorical(["d/leader"] * n),
            "start": np.full(n, np.nan),
            "end": day * 1440,  # dates only
            "dur_work": rng.exponential(900, n),
        }
    )
    row = classify_activities(ev, {}, day_min=390).set_index("activity").loc["decision"]
    assert row["kind"] == "delay"
    assert row["date_only"] == 1.0
    assert "no time of day" in row["reason"]
