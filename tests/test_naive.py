"""simhall.validation.naive: the yardstick of a held-out validation uses the training cases it
should, plain and censored like the test period, and says when it rests on too few."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import wasserstein_distance

from simhall.validation.naive import (
    followup_weights,
    naive_comparison,
    naive_rows,
    yardstick_warnings,
)

END = pd.Timestamp("2024-12-31 18:00")


def _cases(prefix: str, firsts: list[str], days: list[float], scored: list[bool], item: str):
    return pd.DataFrame(
        {
            "case_id": [f"{prefix}{k}" for k in range(len(firsts))],
            "item_id": item,
            "first": pd.to_datetime(firsts),
            "working_days": pd.array([round(d * 5 / 7) for d in days], dtype="Int64"),
            "calendar_days": np.asarray(days, dtype=np.int64),
            "scored": scored,
        }
    )


def test_followup_weights_are_the_share_of_test_cases_that_would_see_a_case_close() -> None:
    test_first = pd.Series(pd.to_datetime(["2024-12-01", "2024-11-01", "2024-10-02"]))
    # follow-ups to 2024-12-31: 30, 60 and 90 days
    w = followup_weights(np.array([0, 30, 31, 60, 90, 91]), test_first, END)
    assert w.tolist() == pytest.approx([1, 1, 2 / 3, 2 / 3, 1 / 3, 0])
    assert followup_weights(np.array([5.0]), pd.Series([], dtype="datetime64[ns]"), END) == 1


def test_naive_forecast_uses_the_scored_training_cases_and_the_test_follow_up() -> None:
    train = _cases(
        "tr",
        ["2024-01-05"] * 6,
        [2, 10, 40, 70, 100, 300],
        [True, True, True, True, False, True],  # one training case was open: not used
        "A",
    )
    test = _cases(
        "te",
        ["2024-10-02", "2024-11-01", "2024-12-01", "2024-12-20"],
        [5, 20, 45, 3],
        [True, True, False, False],  # the third is open, the fourth never accepted
        "A",
    )
    test.loc[3, "working_days"] = pd.NA  # never accepted: not in the follow-up either
    sim = _cases("s", ["2024-10-10"] * 3, [4, 8, 30], [True, True, True], "A")
    naive = naive_comparison(test, sim, train, END)
    assert list(naive["scope"]) == ["hall", "hall"]  # one item: no item rows
    row = naive.set_index("measure").loc["calendar_days"]
    used = train[train["scored"]]
    observed = np.array([5.0, 20.0])  # the scored test cases
    assert row["n_train"] == 5 and row["n_test"] == 2 and row["n_sim"] == 3
    assert row["n_train_accepted"] == 6
    assert row["naive"] == pytest.approx(
        wasserstein_distance(observed, used["calendar_days"].to_numpy(float))
    )
    assert row["model"] == pytest.approx(wasserstein_distance(observed, [4.0, 8.0, 30.0]))
    # follow-ups of the three accepted test cases: 90, 60, 30 days (the open one counts)
    w = np.array([1.0, 1.0, 2 / 3, 1 / 3, 0.0])  # spans 2, 10, 40, 70, 300
    assert row["n_train_followup"] == 4
    assert row["ess_followup"] == pytest.approx(w.sum() ** 2 / (w**2).sum())
    assert row["naive_followup"] == pytest.approx(
        wasserstein_distance(observed, [2.0, 10.0, 40.0, 70.0], v_weights=w[:4])
    )
    assert row["naive_followup"] < row["naive"]  # the long training cases weigh less
    info = naive_rows(naive).set_index("metric")
    assert info.loc["naive_wasserstein_days", "n_simulated"] == 5
    assert info.loc["naive_followup_wasserstein_days", "n_simulated"] == 4
    assert (info["status"] == "info").all()


def test_per_item_rows_use_that_items_cases() -> None:
    train = pd.concat(
        [
            _cases("a", ["2024-01-05"] * 3, [1, 2, 3], [True] * 3, "A"),
            _cases("b", ["2024-01-05"] * 2, [50, 60], [True, False], "B"),
        ]
    )
    test = pd.concat(
        [
            _cases("ta", ["2024-11-01"] * 2, [1, 2], [True] * 2, "A"),
            _cases("tb", ["2024-11-01"], [40], [True], "B"),
        ]
    )
    naive = naive_comparison(test, test, train, END)
    items = naive[(naive["scope"] == "item") & (naive["measure"] == "calendar_days")]
    got = items.set_index("id")[["n_train", "n_train_accepted", "n_test"]]
    assert got.loc["A"].tolist() == [3, 3, 2] and got.loc["B"].tolist() == [1, 2, 1]
    assert items.set_index("id").loc["B", "naive"] == pytest.approx(10.0)


def _hall_row(n_train: int, ess: float, accepted: int) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "scope": "hall",
                "id": "hall",
                "measure": "working_days",
                "n_train": n_train,
                "ess_followup": ess,
                "n_train_accepted": accepted,
            }
        ]
    )


def test_yardstick_warnings_when_too_few_or_too_small_a_share() -> None:
    issue = yardstick_warnings(_hall_row(27, 26.0, 848))  # the log of issue 13
    assert len(issue) == 2
    assert "rests on 27 training case(s), 3% of the 848" in issue[0]
    assert "fewer than 100 and less than 50%" in issue[0]
    assert "censored like the test period rests on 26" in issue[1]
    assert yardstick_warnings(_hall_row(532, 526.0, 761)) == []  # BPIC15
    (none,) = yardstick_warnings(_hall_row(0, 0.0, 0))  # no acceptance event in the log
    assert "no training case has an acceptance event" in none and "--accept-activity" in none
    share_only = yardstick_warnings(_hall_row(300, 290.0, 1000))
    assert len(share_only) == 2 and all("(less than 50%)" in w for w in share_only)
    few_only = yardstick_warnings(_hall_row(80, 80.0, 90))
    assert len(few_only) == 2 and all("(fewer than 100)" in w for w in few_only)
    items = pd.concat([_hall_row(532, 526.0, 761), _hall_row(20, 20.0, 30).assign(scope="item")])
    assert yardstick_warnings(items) == [
        "yardstick: the naive forecasts of 1 of 1 item(s) rest on fewer than 100 (effective) "
        "training cases or on less than 50% of them (see naive.csv)"
    ]
