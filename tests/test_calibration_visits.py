"""``simhall.calibration.visits``: window visits, first tickets and acceptance."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from simhall.calibration.catalogue import read_catalogue
from simhall.calibration.events import encode_log
from simhall.calibration.visits import find_visits

Log = Callable[..., pd.DataFrame]


def test_acceptance_and_first_tickets(case_log: Log, catalogue_of: Log) -> None:
    log = encode_log(case_log(20), read_catalogue(catalogue_of("A")))
    v = find_visits(log, "accept")
    assert v.has_acceptance and set(v.windows) == {"accept"}
    assert v.is_window.sum() == 20 and (v.is_window == v.is_accept).all()
    accept = v.is_accept
    np.testing.assert_array_equal(v.case_ticket[log.case[accept]], log.ready[accept])
    np.testing.assert_array_equal(v.case_accept[log.case[accept]], log.end[accept])
    assert v.evidence.assumptions == () and v.evidence.dropped == ()


def test_without_acceptance_the_first_event_stands_in(case_log: Log, catalogue_of: Log) -> None:
    log = encode_log(case_log(20), read_catalogue(catalogue_of("A")))
    v = find_visits(log, "受理")
    assert not v.has_acceptance
    assert "no acceptance activity '受理'" in v.evidence.assumptions[0]
    np.testing.assert_array_equal(v.case_accept, v.case_ticket)


def test_cases_never_accepted_are_kept_and_counted(case_log: Log, catalogue_of: Log) -> None:
    ev = case_log(20)
    ev = ev[~((ev["case_id"] == "case3") & (ev["activity"] == "accept"))]
    v = find_visits(encode_log(ev, read_catalogue(catalogue_of("A"))), "accept")
    (row,) = v.evidence.dropped
    assert (row.check, row.events, row.cases, row.action) == ("no acceptance", 1, 1, "kept")
    assert "1 case(s) have no window visit" in v.evidence.assumptions[0]
