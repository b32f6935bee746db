"""Timestamp parsing (ISO 8601, offsets, 年月日, tz-aware datetimes) and precision flags."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simhall.logs.timestamps import low_precision_flags, parse_timestamps, precision_note


def test_parse_timestamps_offsets_and_forms() -> None:
    raw = pd.Series(
        [
            "2014-04-11T00:00:00+02:00",
            "2014-11-11T09:30:00+01:00",
            "2024-03-04 09:00",
            "2024年3月4日 9时5分",
            "2024-03-04",
            "",
            None,
            "13/13/2024",
        ],
        dtype="str",
    )
    values, bad, out_of_range = parse_timestamps(raw)
    assert values.dtype == "datetime64[ns]"
    assert values[0] == pd.Timestamp("2014-04-11 00:00")  # wall-clock kept
    assert values[1] == pd.Timestamp("2014-11-11 09:30")
    assert values[3] == pd.Timestamp("2024-03-04 09:05")
    assert values[4] == pd.Timestamp("2024-03-04")
    assert list(bad) == [False] * 7 + [True]
    assert not out_of_range.any()
    converted, _, _ = parse_timestamps(raw[:2], timezone="Asia/Shanghai")
    assert converted[0] == pd.Timestamp("2014-04-11 06:00")
    assert converted[1] == pd.Timestamp("2014-11-11 16:30")


def test_parse_tz_aware_datetimes() -> None:
    aware = pd.Series(pd.to_datetime(["2024-03-04 09:00"]).tz_localize("Asia/Shanghai"))
    values, bad, _ = parse_timestamps(aware)
    assert values[0] == pd.Timestamp("2024-03-04 09:00") and not bad.any()
    utc, _, _ = parse_timestamps(aware, timezone="UTC")
    assert utc[0] == pd.Timestamp("2024-03-04 01:00")


def test_out_of_range_values_are_flagged_not_bad() -> None:
    raw = pd.Series(["0001-01-01", "9999-12-31 10:00", "2024-01-01 08:00"], dtype="str")
    values, bad, out_of_range = parse_timestamps(raw)
    assert list(out_of_range) == [True, True, False]
    assert not bad.any()
    assert values.isna().tolist() == [True, True, False]


def test_precision_flags_and_note() -> None:
    df = pd.DataFrame(
        {
            "start": pd.to_datetime(["2024-01-01 09:00", None, "2024-01-03"], format="ISO8601"),
            "end": pd.to_datetime(
                ["2024-01-01 09:30", "2024-01-02", "2024-01-03 10:00"], format="ISO8601"
            ),
        },
        index=pd.Index([7, 8, 9]),
    )
    flags = low_precision_flags(df)
    assert flags.dtype == np.bool_ and list(flags.index) == [7, 8, 9]
    assert list(flags) == [False, True, True]
    assert precision_note(df) == (
        "40.0% of timestamps carry no time of day (low precision): "
        "2 of 5 are exactly local midnight"
    )
    assert precision_note(df.iloc[:1]) is None
