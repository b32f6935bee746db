"""Minutes of the hall's wall clock: opening hours on working days, and working minutes.

Time is a float of minutes since midnight of the first day. A back-office task of 90
working minutes begun at 17:00 is like a book read only in the library's opening hours: 30
minutes today, the rest tomorrow morning.
"""

from __future__ import annotations

import numpy as np

from tests.independent.workdays import WorkDays

DAY_MIN = 1440.0


class Clock:
    """Opening periods on working days, and arithmetic with them.

    Parameters
    ----------
    workdays : WorkDays
        The calendar.
    periods : tuple of (int, int)
        Opening periods in minutes after midnight, in order.
    intraday : tuple of (int, int, float)
        Arrival profile segments ``(from_min, to_min, weight)``.
    """

    def __init__(
        self,
        workdays: WorkDays,
        periods: tuple[tuple[int, int], ...],
        intraday: tuple[tuple[int, int, float], ...],
    ) -> None:
        self.workdays = workdays
        self.periods = periods
        seg = np.asarray(intraday, dtype=float)
        self._seg_from = seg[:, 0]
        self._seg_len = seg[:, 1] - seg[:, 0]
        self._seg_p = seg[:, 2] / seg[:, 2].sum()

    def next_open(self, t: float) -> float:
        """The first instant ``>= t`` inside an opening period of a working day."""
        d = int(t // DAY_MIN)
        c = t - d * DAY_MIN
        if self.workdays.is_working[d]:
            for a, b in self.periods:
                if c < a:
                    return d * DAY_MIN + a
                if c < b:
                    return t
        d2 = self.workdays.next_working(d + 1)
        return d2 * DAY_MIN + self.periods[0][0]

    def add_work(self, t: float, work_min: float) -> float:
        """The instant ``work_min`` working (opening-hour) minutes after ``t``."""
        t = self.next_open(t)
        while True:
            d = int(t // DAY_MIN)
            c = t - d * DAY_MIN
            b = next(b for a, b in self.periods if a <= c < b)
            avail = d * DAY_MIN + b - t
            if work_min <= avail:
                return t + work_min
            work_min -= avail
            t = self.next_open(d * DAY_MIN + b)

    def random_times(self, days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One arrival instant per entry of ``days`` (day indices), by the intraday profile."""
        days = np.asarray(days, dtype=np.int64)
        seg = rng.choice(len(self._seg_p), size=len(days), p=self._seg_p)
        u = rng.random(len(days))
        return days * DAY_MIN + self._seg_from[seg] + u * self._seg_len[seg]

    def random_time(self, day: int, rng: np.random.Generator) -> float:
        """One arrival instant on day index ``day``."""
        return float(self.random_times(np.array([day]), rng)[0])
