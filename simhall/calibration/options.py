"""The settings of one calibration, checked once before any work.

Like the order form a tailor fills in before measuring (which fabric, which cut, how many
fittings), :class:`CalibrationOptions` holds every choice :func:`~simhall.calibration.calibrate`
takes besides the log and the catalogue, and refuses a bad one with a clear message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from simhall.calibration.routes import ROUTE_MIN_SHARE

__all__ = ["HOLIDAY_SOURCES", "INTRADAY_BINS", "CalibrationOptions"]

HOLIDAY_SOURCES: tuple[str, ...] = ("cn", "weekends-only")
"""Working-day calendars a calibrated hall can keep."""

INTRADAY_BINS: tuple[int, ...] = (30, 60)
"""Allowed widths of the intraday demand bins, in minutes."""


@dataclass(frozen=True)
class CalibrationOptions:
    """Every setting of :func:`~simhall.calibration.calibrate` (see there for each).

    Raises
    ------
    ValueError
        ``holidays`` not in :data:`HOLIDAY_SOURCES`, ``bin_min`` not in
        :data:`INTRADAY_BINS`, or ``min_cases < 1``.
    """

    since: date | str | pd.Timestamp | None = None
    until: date | str | pd.Timestamp | None = None
    accept_activity: str = "accept"
    classification: Mapping[str, str] | None = None
    holidays: str = "cn"
    min_cases: int = 30
    seed: int = 0
    source: str = "<events>"
    bin_min: int = 60
    route_min_share: float = ROUTE_MIN_SHARE

    def __post_init__(self) -> None:
        if self.holidays not in HOLIDAY_SOURCES:
            raise ValueError(f"holidays = {self.holidays!r}: expected 'cn' or 'weekends-only'")
        if self.bin_min not in INTRADAY_BINS:
            raise ValueError(f"bin_min = {self.bin_min}: expected 30 or 60")
        if self.min_cases < 1:
            raise ValueError(f"min_cases = {self.min_cases}: expected a whole number >= 1")

    @property
    def overrides(self) -> dict[str, str]:
        """Activity -> kind overrides (empty when none were given)."""
        return dict(self.classification or {})
