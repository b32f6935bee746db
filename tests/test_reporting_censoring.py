"""``simhall.reporting.censoring``: Kaplan-Meier on counted working days, checked by hand;
without open cases every figure is the plain one over the completed cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simhall.reporting import censoring

NONE = np.empty(0)


def test_kaplan_meier_by_hand() -> None:
    """Done after 1, 2, 2 and 4 days; one case open after 3. Day 1: 1 of 5 at risk done
    (S = 0.8); day 2: 2 of 4 (S = 0.4); the open case leaves the count after day 2; day 4:
    1 of 1 (S = 0)."""
    days, share = censoring.kaplan_meier(np.array([1, 2, 2, 4]), np.array([3]))
    assert list(days) == [1.0, 2.0, 4.0]
    assert share == pytest.approx([0.2, 0.6, 1.0])


def test_an_open_case_past_the_limit_is_a_failure() -> None:
    """Four cases done in a day, one open for 10 days against a 5-day limit: 4 of 5 within
    (not 4 of 4); the shortest limit at 95% cannot be estimated."""
    done, open_ = np.array([1, 1, 1, 1]), np.array([10])
    assert censoring.done_by(done, open_, 5) == pytest.approx(0.8)
    assert censoring.done_by(done, NONE, 5) == 1.0
    assert censoring.past_limit(open_, 5) == 1 and censoring.past_limit(open_, 10) == 0
    assert censoring.within_count(done, open_, 5) == pytest.approx(4.0)
    assert censoring.limit_at_service_level(done, open_, 0.8) == 1.0
    assert math.isnan(censoring.limit_at_service_level(done, open_, 0.95))
    assert math.isnan(censoring.mean_days(done, open_))


def test_an_open_case_may_still_finish_on_its_day() -> None:
    """Open after exactly 5 days against a 5-day limit: not known to have failed (it may
    finish on day 5); it leaves the count before day 5, so nothing is known beyond."""
    done, open_ = np.array([1, 1, 6, 6]), np.array([5])
    assert censoring.past_limit(open_, 5) == 0
    # day 1: 2 of 5 done (S 0.6); day 6: 2 of 2 (the open case left before day 5)
    assert censoring.done_by(done, open_, 5) == pytest.approx(0.4)
    assert censoring.done_by(done, open_, 6) == pytest.approx(1.0)


def test_quantiles_are_exact_while_the_open_cases_lie_beyond() -> None:
    """Ten cases done in 0..9 days, two open after 50: the median of all twelve is known
    (5.5, as if the open ones took 50 or more); the P95 needs an open case's duration."""
    done, open_ = np.arange(10), np.array([50, 50])
    p50, p90, p95 = censoring.quantiles(done, open_)
    assert p50 == pytest.approx(np.quantile(np.r_[done, open_], 0.5)) == 5.5
    assert math.isnan(p95)
    # shortest limit met by 80% of the twelve: 10 of them done by 9
    assert censoring.limit_at_service_level(done, open_, 0.8) == 9.0
    assert math.isnan(censoring.limit_at_service_level(done, open_, 0.9))


def test_quantiles_fall_back_to_kaplan_meier_when_open_cases_interleave() -> None:
    # open after 1 day among cases done in 0..9: the KM median is the first day by which
    # the estimated share done reaches 0.5
    done, open_ = np.arange(10), np.array([1])
    days, share = censoring.kaplan_meier(done, open_)
    (p50,) = censoring.quantiles(done, open_, (0.5,))
    assert p50 == days[np.searchsorted(share, 0.5)]
    assert 4 <= p50 <= 5


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_without_open_cases_the_figures_are_the_plain_ones(seed: int) -> None:
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 30, size=int(rng.integers(1, 200))).astype(float)
    assert censoring.quantiles(days, NONE) == tuple(np.quantile(days, [0.5, 0.9, 0.95]))
    assert censoring.mean_days(days, NONE) == days.mean()
    assert censoring.done_by(days, NONE, 10) == (days <= 10).mean()
    k = math.ceil(0.95 * days.size - 1e-9)
    assert censoring.limit_at_service_level(days, NONE, 0.95) == np.sort(days)[k - 1]
    # Kaplan-Meier without censoring is the plain share done, day by day
    d, share = censoring.kaplan_meier(days, NONE)
    assert share == pytest.approx([(days <= t).mean() for t in d])


@pytest.mark.parametrize("whole", [True, False])
def test_limits_of_groups_are_each_groups_order_statistic(whole: bool) -> None:
    """All groups at once (one sort of whole days packed with their group, or a lexsort
    for other durations) give each group's k-th smallest, k = ceil(level * n)."""
    rng = np.random.default_rng(7)
    n_groups = 40
    group = rng.integers(0, n_groups - 3, size=5_000)  # the last three groups stay empty
    done = rng.integers(0, 90, size=group.size).astype(float)
    if not whole:
        done += rng.random(group.size)
    for level in (0.5, 0.8, 0.95, 1.0):
        got = censoring.limits_of_groups(done, group, n_groups, level)
        for g in range(n_groups):
            mine = sorted(done[group == g].tolist())
            if not mine:
                assert math.isnan(got[g])
                continue
            k = max(math.ceil(level * len(mine) - 1e-9), 1)
            assert got[g] == math.ceil(mine[k - 1]), (level, g)
