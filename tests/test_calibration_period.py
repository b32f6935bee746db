"""``simhall.calibration.period``: the cases of the calibration period, on its own clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd
import pytest

from simhall.calibration.catalogue import read_catalogue
from simhall.calibration.events import encode_log
from simhall.calibration.period import select_period
from simhall.calibration.visits import find_visits

Log = Callable[..., pd.DataFrame]


@pytest.fixture()
def encoded(case_log: Log, catalogue_of: Log):  # type: ignore[no-untyped-def]
    log = encode_log(case_log(40), read_catalogue(catalogue_of("A")))
    return log, find_visits(log, "accept")


def test_whole_log_by_default(encoded) -> None:  # type: ignore[no-untyped-def]
    log, visits = encoded
    p = select_period(log, visits)
    assert p.since == date(2007, 3, 5) and p.n_cases == 40 and p.n_events == 80
    assert p.evidence.dropped == ()
    np.testing.assert_array_equal(p.end, log.end)  # day 0 is already the first day


def test_a_later_start_moves_the_clock_and_drops_earlier_cases(encoded) -> None:  # type: ignore[no-untyped-def]
    log, visits = encoded
    p = select_period(log, visits, since="2007-03-12", until=date(2007, 4, 6))
    assert (p.since, p.until, p.n_days) == (date(2007, 3, 12), date(2007, 4, 6), 26)
    assert (p.case_ticket >= 0).all() and (p.case_ticket < 26 * 1440).all()
    assert p.case.max() == p.n_cases - 1  # compact case codes
    (row,) = p.evidence.dropped
    assert row.check == "outside period" and row.cases == 40 - p.n_cases
    assert row.events == 2 * row.cases
    in_period = (visits.case_ticket >= 7 * 1440) & (visits.case_ticket < 33 * 1440)
    assert p.n_cases == in_period.sum()
    np.testing.assert_allclose(p.end, log.end[in_period[log.case]] - 7 * 1440)


def test_bad_periods_are_errors(encoded) -> None:  # type: ignore[no-untyped-def]
    log, visits = encoded
    with pytest.raises(ValueError, match=r"until \(2007-03-01\) is before since"):
        select_period(log, visits, since="2007-03-05", until="2007-03-01")
    with pytest.raises(ValueError, match="no case has its first visit between"):
        select_period(log, visits, since="2010-01-01", until="2010-02-01")
