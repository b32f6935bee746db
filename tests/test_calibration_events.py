"""``simhall.calibration.events``: the log as codes and minutes, unusable rows counted."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from simhall.calibration.catalogue import read_catalogue
from simhall.calibration.events import encode_log

Log = Callable[..., pd.DataFrame]


def test_codes_minutes_and_dropped_rows(case_log: Log, catalogue_of: Log) -> None:
    ev = case_log(20)
    ev.loc[1, "end"] = pd.NaT  # case0's review
    ev.loc[[2, 3], "item_id"] = "ZZ"  # both events of case1
    log = encode_log(ev, read_catalogue(catalogue_of("A")))
    assert log.n_read == 40 and len(log.end) == 37
    dropped = {d.check: d for d in log.evidence.dropped}
    assert (dropped["missing end"].events, dropped["missing end"].cases) == (1, 0)
    assert (dropped["unknown item"].events, dropped["unknown item"].cases) == (2, 1)
    assert "ZZ" in dropped["unknown item"].detail
    assert log.origin == pd.Timestamp("2007-03-05")  # midnight of the first completion
    first = ev.iloc[0]
    assert log.end[0] == (first["end"] - log.origin) / pd.Timedelta(minutes=1)
    assert log.activities == ("accept", "review")
    assert set(log.resources) == {"d/window/1", "d/pool/1", "d/pool/2"}
    assert log.n_cases == 19 and (log.case_item == 0).all()
    assert not log.low_precision and not log.durations_estimated


def test_dates_only_and_no_starts_are_flagged(catalogue_of: Log) -> None:
    ev = pd.DataFrame(
        {
            "case_id": ["a", "a", "b"],
            "item_id": "A",
            "activity": ["accept", "review", "accept"],
            "end": pd.to_datetime(["2007-03-05 00:00", "2007-03-06 00:00", "2007-03-07 10:00"]),
        }
    )
    log = encode_log(ev, read_catalogue(catalogue_of("A")))
    assert log.low_precision and log.durations_estimated
    assert (log.resource == -1).all() and np.isnan(log.start).all()


def test_nothing_usable_is_an_error(case_log: Log, catalogue_of: Log) -> None:
    with pytest.raises(ValueError, match="no usable events"):
        encode_log(case_log(5), read_catalogue(catalogue_of("other")))


def test_a_log_without_rows_is_an_error_saying_so(case_log: Log, catalogue_of: Log) -> None:
    with pytest.raises(ValueError, match="no events"):
        encode_log(case_log(5).head(0), read_catalogue(catalogue_of("A")))
