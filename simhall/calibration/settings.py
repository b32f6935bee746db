"""The ``[run]`` settings of a calibrated scenario and the assumptions every one makes.

The calibrated scenario replays the calibration period: it runs for the period's days and
then drains long enough for nearly every case to finish (1.5 times the 99th percentile of
the observed case spans, at least 30 and at most 730 days). Some rules of the hall cannot be
read off any log; every calibrated scenario states them as :data:`STANDING_ASSUMPTIONS`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simhall.calendar import MINUTES_PER_DAY
from simhall.calibration.evidence import Evidence
from simhall.calibration.period import PeriodLog
from simhall.calibration.routes import Routes

__all__ = ["DRAIN_DAYS", "STANDING_ASSUMPTIONS", "RunSettings", "run_settings"]

DRAIN_DAYS: tuple[int, int] = (30, 730)
"""Least and most drain days of a calibrated scenario."""

STANDING_ASSUMPTIONS: tuple[str, ...] = (
    "evening policy: applicants waiting at closing time are served (overtime)",
    "sessions on a holiday move to the next working day",
    "every step counts toward the committed time limit (counts = true)",
    "steps that ran side by side in the log (parallel branches) are calibrated as a sequence",
    "pools work during the hall's opening hours",
    "files of a department with courier transfers are handled outside the hall "
    '(back_office = "outside"; all its pools outside)',
)
"""What every calibrated scenario assumes (no log shows it)."""


@dataclass(frozen=True)
class RunSettings:
    """``[run] days`` and ``drain_days`` of the scenario."""

    run_days: int
    drain_days: int
    evidence: Evidence


def run_settings(period: PeriodLog, routes: Routes) -> RunSettings:
    """Run and drain days from the period and its case spans.

    Parameters
    ----------
    period : PeriodLog
        The period (its days, acceptance and first tickets).
    routes : Routes
        Each case's last event.

    Returns
    -------
    RunSettings
        With the standing assumptions as evidence.
    """
    begin = np.where(np.isfinite(period.case_accept), period.case_accept, period.case_ticket)
    span_days = (routes.case_last_end - begin) / MINUTES_PER_DAY
    span_days = span_days[np.isfinite(span_days)]
    p99 = float(np.quantile(span_days, 0.99)) if len(span_days) else 30.0
    lo, hi = DRAIN_DAYS
    drain = int(min(max(lo, math.ceil(1.5 * p99)), hi))
    return RunSettings(period.n_days, drain, Evidence(assumptions=STANDING_ASSUMPTIONS))
