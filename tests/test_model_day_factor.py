"""The day-level demand factor (``[demand] day_cv``): busy and quiet days (issue 8, item 4).

Daily counts of a real hall vary more than Poisson: with a gamma factor of mean 1 and CV
``c`` shared by all items, the hall's count on a day of mean ``m`` has variance
``m + c**2 m**2`` (negative binomial). The factor is drawn from its own named stream, so a
scenario without ``day_cv`` draws exactly what it drew before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simhall.experiment import run
from simhall.scenario import ScenarioError, load_scenario_text

HALL = """
[calendar]
start = 2024-03-04
holidays = "weekends-only"
[run]
days = 364
drain_days = 5
replications = 1
seed = 11
[demand]
DEMAND
[[departments]]
id = "d"
windows = 30
[[items]]
id = "a"
department = "d"
kind = "onsite"
daily_demand = 30
window_service = { dist = "fixed", value_min = 1 }
[[items]]
id = "b"
department = "d"
kind = "onsite"
daily_demand = 20
window_service = { dist = "fixed", value_min = 1 }
"""


def _run(demand: str):  # type: ignore[no-untyped-def]
    return run(
        load_scenario_text(HALL.replace("DEMAND", demand), name="day.toml"), show_progress=False
    )


def _daily(result) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    acc = result.events[result.events["activity"].astype(str) == "accept"]
    day = acc["ready"].dt.normalize()
    return pd.crosstab(day, acc["item_id"].astype(str))


def test_day_factor_gives_negative_binomial_counts() -> None:
    counts = _daily(_run("day_cv = 0.3"))
    total = counts.sum(axis=1)
    m = total.mean()
    assert m == pytest.approx(50, rel=0.05)
    cv2 = (total.var() - m) / m**2
    assert cv2 == pytest.approx(0.09, abs=0.035)
    # the factor is shared: the two items' daily counts move together
    assert np.corrcoef(counts["a"], counts["b"])[0, 1] > 0.4


def test_without_day_cv_counts_stay_poisson_and_bit_identical() -> None:
    plain = _run("")
    zero = _run("day_cv = 0")
    assert plain.events.equals(zero.events)
    total = _daily(plain).sum(axis=1)
    assert total.var() / total.mean() == pytest.approx(1.0, abs=0.25)


def test_negative_day_cv_is_an_error() -> None:
    with pytest.raises(ScenarioError, match=r"demand\.day_cv"):
        _run("day_cv = -0.1")
