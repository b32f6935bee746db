"""``simhall.calibration.options``: the settings of a calibration, checked once."""

from __future__ import annotations

import dataclasses

import pytest

from simhall.calibration.options import CalibrationOptions
from simhall.calibration.routes import ROUTE_MIN_SHARE


def test_defaults() -> None:
    opts = CalibrationOptions()
    assert (opts.holidays, opts.bin_min, opts.min_cases, opts.seed) == ("cn", 60, 30, 0)
    assert opts.route_min_share == ROUTE_MIN_SHARE
    assert opts.overrides == {}
    assert CalibrationOptions(classification={"a": "delay"}).overrides == {"a": "delay"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        opts.seed = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"holidays": "custom"}, "holidays = 'custom': expected 'cn' or 'weekends-only'"),
        ({"bin_min": 15}, "bin_min = 15: expected 30 or 60"),
        ({"min_cases": 0}, "min_cases = 0: expected a whole number >= 1"),
    ],
)
def test_bad_settings(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError) as err:
        CalibrationOptions(**kwargs)  # type: ignore[arg-type]
    assert str(err.value) == message
