"""Working days of the generator's hall: Mon-Fri, minus holidays, plus make-up days (调休).

Like the office's wall calendar: a day is a working day when it is a weekday not printed red,
or a weekend day printed black (a make-up day). The lists below are the State Council's
2024 and 2025 schedules, written out by hand (not taken from ``chinesecalendar``; a test
checks them against it). Minutes are counted from midnight of the generator's first day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import numpy as np


def _span(first: str, last: str) -> list[date]:
    a, b = date.fromisoformat(first), date.fromisoformat(last)
    return [a + timedelta(days=i) for i in range((b - a).days + 1)]


CN_HOLIDAYS_2024_2025: tuple[date, ...] = tuple(
    d
    for first, last in (
        ("2024-01-01", "2024-01-01"),
        ("2024-02-10", "2024-02-17"),
        ("2024-04-04", "2024-04-06"),
        ("2024-05-01", "2024-05-05"),
        ("2024-06-10", "2024-06-10"),
        ("2024-09-15", "2024-09-17"),
        ("2024-10-01", "2024-10-07"),
        ("2025-01-01", "2025-01-01"),
        ("2025-01-28", "2025-02-04"),
        ("2025-04-04", "2025-04-06"),
        ("2025-05-01", "2025-05-05"),
        ("2025-05-31", "2025-06-02"),
        ("2025-10-01", "2025-10-08"),
    )
    for d in _span(first, last)
)
"""Public holidays (法定节假日) of 2024 and 2025, weekend days inside them included."""

CN_MAKEUP_DAYS_2024_2025: tuple[date, ...] = tuple(
    date.fromisoformat(s)
    for s in (
        "2024-02-04",
        "2024-02-18",
        "2024-04-07",
        "2024-04-28",
        "2024-05-11",
        "2024-09-14",
        "2024-09-29",
        "2024-10-12",
        "2025-01-26",
        "2025-02-08",
        "2025-04-27",
        "2025-09-28",
        "2025-10-11",
    )
)
"""Weekend days worked in exchange for a bridge holiday (调休上班日) of 2024 and 2025."""


class WorkDays:
    """Which calendar days work, and working-day arithmetic on day indices.

    Parameters
    ----------
    start : date
        Day index 0.
    n_days : int
        Calendar days covered (index ``0 .. n_days - 1``).
    holidays, makeup_days : iterable of date
        Weekdays that do not work; weekend days that do.
    """

    def __init__(
        self,
        start: date,
        n_days: int,
        holidays: Iterable[date] = (),
        makeup_days: Iterable[date] = (),
    ) -> None:
        self.start = start
        off = {(d - start).days for d in holidays}
        on = {(d - start).days for d in makeup_days}
        weekday = (np.arange(n_days) + start.weekday()) % 7
        work = weekday < 5
        for i in off:
            if 0 <= i < n_days:
                work[i] = False
        for i in on:
            if 0 <= i < n_days:
                work[i] = True
        self.is_working = work
        self.weekday = weekday
        self.ordinal = np.cumsum(work) - 1
        """Per day: number of working days before it (the working-day ordinal of a working
        day)."""
        self.working_index = np.flatnonzero(work)
        self._next = np.searchsorted(self.working_index, np.arange(n_days))

    def day(self, d: date) -> int:
        """Day index of ``d``."""
        return (d - self.start).days

    def date(self, i: int) -> date:
        """Date of day index ``i``."""
        return self.start + timedelta(days=int(i))

    def next_working(self, i: int) -> int:
        """The first working day index ``>= i``."""
        return int(self.working_index[self._next[i]])

    def add(self, i: int, n: int) -> int:
        """The ``n``-th working day after day ``i`` (``n = 0``: the next working day >= i)."""
        if n <= 0:
            return self.next_working(i)
        k = int(self._next[i + 1]) if i + 1 < len(self._next) else len(self.working_index)
        return int(self.working_index[k + n - 1])

    def between(self, i: int, j: int) -> int:
        """Working days after day ``i`` up to and including day ``j`` (``j >= i``)."""
        return int(self.ordinal[j] - self.ordinal[i])
