"""``simhall.calibration.writer``: the commented scenario file."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable

import pandas as pd
import pytest

from simhall.calibration import calibrate
from simhall.calibration.writer import DEFAULT_WINDOW_SERVICE, toml_value


def test_toml_values() -> None:
    assert toml_value(True) == "true" and toml_value(3) == "3"
    assert toml_value(2.0) == "2.0" and toml_value(0.125) == "0.125"
    assert toml_value(1e20) == "1e+20"
    assert toml_value('窗口 "1"') == '"窗口 \\"1\\""'
    assert toml_value([1, "a"]) == '[1, "a"]'
    assert toml_value({"mon": 1.0, "工商": 2}) == '{ mon = 1.0, "工商" = 2 }'
    assert toml_value({}) == "{}"
    parsed = tomllib.loads("x = " + toml_value({"a": [0.1, 2.5], "b": "c"}))
    assert parsed == {"x": {"a": [0.1, 2.5], "b": "c"}}
    with pytest.raises(ValueError, match="non-finite"):
        toml_value(math.inf)
    with pytest.raises(ValueError, match="cannot write set"):
        toml_value({1})


def test_untimed_window_visits_get_the_default_service_marked_assumed(
    case_log: Callable[..., pd.DataFrame], catalogue_of: Callable[..., pd.DataFrame]
) -> None:
    ev = case_log(40).drop(columns=["ready", "start"])
    cal = calibrate(ev, catalogue_of("A"))
    assert cal.items[0].window_service is None
    line = next(x for x in cal.to_toml().splitlines() if x.startswith("window_service"))
    assert "NOT estimated" in line and "assumed" in line
    scenario = cal.scenario()
    assert scenario.items[0].window_service.mean == pytest.approx(DEFAULT_WINDOW_SERVICE.mean)


def test_header_lists_source_period_and_every_assumption(
    case_log: Callable[..., pd.DataFrame], catalogue_of: Callable[..., pd.DataFrame]
) -> None:
    cal = calibrate(case_log(40), catalogue_of("A"), source="hall.csv")
    text = cal.to_toml()
    assert text.startswith("# Calibrated by `simhall calibrate`")
    assert "# Source log: hall.csv" in text
    header = [x for x in text.splitlines() if x.startswith("#   - ")]
    assert header[: len(cal.assumptions)] == [f"#   - {a}" for a in cal.assumptions]
    assert tomllib.loads(text)["run"]["days"] == cal.run_days
