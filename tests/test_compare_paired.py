"""``simhall.compare.paired``: paired differences of replication values and their CI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simhall.compare import paired


def test_paired_differences_and_ci() -> None:
    before = pd.DataFrame({"replication": [0, 1, 2], "x": [10.0, 12.0, 14.0]})
    after = before.assign(x=before["x"] - [2.0, 2.5, 1.5])
    out = paired(before, after, [], ["x"]).iloc[0]
    assert out["before"] == 12.0 and out["after"] == 10.0
    assert out["diff"] == pytest.approx(-2.0)
    # paired: the CI comes from the differences' spread (sd 0.5), not the levels' (sd 2)
    assert out["ci_low"] == pytest.approx(-2.0 - 4.303 * 0.5 / np.sqrt(3), abs=1e-3)
    assert out["ci_high"] < 0 and out["reps"] == 3


def test_difference_of_a_utilization_stays_within_minus_one_one() -> None:
    before = pd.DataFrame({"replication": [0, 1], "staff_utilization": [0.1, 0.2]})
    after = pd.DataFrame({"replication": [0, 1], "staff_utilization": [0.9, 0.3]})
    out = paired(before, after, [], ["staff_utilization"]).iloc[0]
    assert out["diff"] == pytest.approx(0.45)
    assert out["ci_high"] == 1.0 and out["ci_low"] == -1.0
