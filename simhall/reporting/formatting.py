"""How a figure is shown to a reader: a metric's label and decimals, a mean with its CI.

Like the style sheet of a statistical yearbook: every table of a run or a comparison names
a metric the same way (``on-site completion rate 现场办结率``) and gives it the same number
of decimals, so the tables printed by the command line, the notebooks and the reports agree.
"""

from __future__ import annotations

import math

__all__ = ["METRIC_LABELS", "as_float", "fmt_ci", "metric_label", "rounded"]

METRIC_LABELS: dict[str, tuple[str, int]] = {
    "cases": ("cases per replication", 0),
    "in_progress": ("still open at the end", 0),
    "onsite_rate": ("on-site completion rate 现场办结率", 3),
    "share_within": ("commitment cases within the limit", 3),
    "visits_per_case": ("visits per case", 3),
    "mean_wait_min": ("mean window wait (min)", 2),
    "window_utilization": ("window utilization", 3),
    "staff_utilization": ("back-office staff utilization", 3),
    "max_station_util": ("busiest station's utilization 最忙岗位利用率", 3),
    "district_cases_per_day": ("district cases per working day", 1),
    "completed_share": ("cases completed (share) 办结比例", 3),
    "open_past_limit": ("still open past the limit 超期未办结", 1),
    "utilization": ("utilization", 3),
    "offered_load": ("offered load", 3),
    "mean_queue": ("mean queue", 2),
    "queue_growth": ("queue growth over the run", 1),
}
"""Hall-wide, department and station metrics: label and decimals shown."""


def metric_label(metric: object) -> tuple[str, int]:
    """Label and decimals of ``metric``; an unknown metric shows its name with 3 decimals."""
    return METRIC_LABELS.get(str(metric), (str(metric), 3))


def as_float(value: object) -> float:
    """``value`` as a float; NaN when it is not a number."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def rounded(value: object, digits: int) -> float:
    """``value`` rounded to ``digits`` decimals; NaN when it is not a finite number."""
    x = as_float(value)
    return round(x, digits) if math.isfinite(x) else math.nan


def fmt_ci(mean: object, lo: object, hi: object, digits: int = 1) -> str:
    """``12.3 [11.8, 12.9]``; just the mean without bounds; ``-`` when there is no value."""
    m, a, b = (as_float(v) for v in (mean, lo, hi))
    if not math.isfinite(m):
        return "-"
    if not (math.isfinite(a) and math.isfinite(b)):
        return f"{m:.{digits}f}"
    return f"{m:.{digits}f} [{a:.{digits}f}, {b:.{digits}f}]"
