"""Arrivals: who takes a ticket for which item, and when.

A hall's ticket machine prints a number for every applicant who walks in. How many walk in
on a given day depends on the item's volume and the weekday (Mondays are busy, Friday
afternoons quiet), and when they walk in follows the item's intraday profile within the
opening hours (a morning peak, nobody in the lunch break). An *arrival source* produces the
tickets of a whole replication at once, as two arrays: ticket minutes and item indices.

* :class:`PoissonArrivals` (the default) draws them as a non-homogeneous Poisson process per
  item, from the item's own named stream, so that changing one item leaves every other
  item's arrivals unchanged (common random numbers).
* :class:`ScheduledArrivals` replays a given list of tickets (exact traces in tests, or
  the first visits of an observed case log).
* Any callable ``source(setting) -> (ticket_minutes, item_indices)`` taking an
  :class:`ArrivalSetting` will do (:class:`ArrivalSource`), e.g. a trace-driven or
  batch-arrival process, or the cases another service center hands over.

:class:`IntradayProfile` samples a ticket time within one day; the model also uses it for the
time of day at which an applicant comes back with completed papers (补正).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from simhall.calendar import WorkCalendar
from simhall.model.timetables import MIN_PER_DAY
from simhall.scenario.schema import Item
from simhall.streams import NamedStreams

Opening = tuple[tuple[int, int], ...]
"""A day's opening sessions as ``((start_min, end_min), ...)``."""


class IntradaySampler:
    """Inverse CDF of an item's intraday ticket-time profile on one kind of day.

    Parameters
    ----------
    pieces : sequence of (start_min, end_min, weight)
        Intervals of the day with constant density ``weight``; each interval's mass is
        ``weight x length``.

    Raises
    ------
    ValueError
        When the pieces have no mass.
    """

    __slots__ = ("starts", "ends", "cum")

    def __init__(self, pieces: Sequence[tuple[float, float, float]]) -> None:
        masses = [w * (b - a) for a, b, w in pieces]
        total = sum(masses)
        if total <= 0:
            raise ValueError("intraday profile has no mass inside opening hours")
        self.starts = [a for a, _, _ in pieces]
        self.ends = [b for _, b, _ in pieces]
        acc = 0.0
        self.cum: list[float] = []
        for m in masses:
            acc += m / total
            self.cum.append(acc)
        self.cum[-1] = 1.0

    def time_of_day(self, u: float) -> float:
        """Minute of the day for a uniform draw ``u``."""
        i = bisect_right(self.cum, u)
        if i >= len(self.cum):
            i = len(self.cum) - 1
        lo = self.cum[i - 1] if i else 0.0
        frac = (u - lo) / (self.cum[i] - lo) if self.cum[i] > lo else 0.0
        return self.starts[i] + frac * (self.ends[i] - self.starts[i])

    def many(self, u: np.ndarray) -> np.ndarray:
        """Vectorized :meth:`time_of_day`."""
        cum = np.asarray(self.cum)
        i = np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1)
        lo = np.where(i > 0, cum[i - 1], 0.0)
        width = cum[i] - lo
        frac = np.divide(u - lo, width, out=np.zeros_like(u), where=width > 0)
        starts = np.asarray(self.starts)
        ends = np.asarray(self.ends)
        return starts[i] + frac * (ends[i] - starts[i])


def intraday_pieces(
    bins: Sequence[tuple[int, int, float]], opening: Opening
) -> list[tuple[float, float, float]]:
    """Intersect profile bins with opening sessions (uniform profile when ``bins`` is empty)."""
    if not bins:
        return [(float(a), float(b), 1.0) for a, b in opening]
    pieces = []
    for a, b, w in bins:
        for oa, ob in opening:
            lo, hi = max(a, oa), min(b, ob)
            if hi > lo and w > 0:
                pieces.append((float(lo), float(hi), float(w)))
    if not pieces:
        return [(float(a), float(b), 1.0) for a, b in opening]
    return pieces


class IntradayProfile:
    """An item's intraday profile, with one :class:`IntradaySampler` per kind of day.

    Days differ only in their opening sessions (a short Friday, a Saturday make-up day), so
    the samplers are built once per distinct opening and cached.

    Parameters
    ----------
    bins : sequence of (start_min, end_min, weight)
        The item's ``demand.intraday`` bins (empty: uniform over the opening hours).
    """

    __slots__ = ("bins", "_samplers")

    def __init__(self, bins: Sequence[tuple[int, int, float]]) -> None:
        self.bins = bins
        self._samplers: dict[Opening, IntradaySampler] = {}

    def sampler(self, opening: Opening) -> IntradaySampler:
        """The sampler for a day with these opening sessions."""
        sampler = self._samplers.get(opening)
        if sampler is None:
            sampler = IntradaySampler(intraday_pieces(self.bins, opening))
            self._samplers[opening] = sampler
        return sampler


@dataclass(frozen=True)
class ArrivalSetting:
    """What an arrival source may draw on for one replication.

    Attributes
    ----------
    calendar : WorkCalendar
        The hall's calendar.
    days : int
        Tickets fall in calendar days ``[0, days)``.
    items : sequence of Item
        The scenario's items; arrivals refer to them by index.
    profiles : sequence of IntradayProfile
        Each item's intraday profile (same order as ``items``).
    streams : NamedStreams
        The replication's named streams.
    day_cv : float
        Coefficient of variation of the day-level demand factor (0: none).
    """

    calendar: WorkCalendar
    days: int
    items: Sequence[Item]
    profiles: Sequence[IntradayProfile]
    streams: NamedStreams
    day_cv: float = 0.0


class ArrivalSource(Protocol):
    """Gives the first visits of a replication: ``(ticket_minutes, item_indices)``.

    The model sorts them by time (ties by item index), checks them and plays them in that
    order; it calls the source once per :meth:`simhall.model.HallModel.arrivals` call.
    """

    def __call__(self, setting: ArrivalSetting) -> tuple[np.ndarray, np.ndarray]:
        """Ticket minutes (float) and item indices (int) of equal length."""
        ...


class PoissonArrivals:
    """Non-homogeneous Poisson arrivals per item within opening hours (the default source).

    For each item, from its stream ``item/<id>/arrivals``: a Poisson count per working day
    with mean ``daily_volume x weekday_factor``, then ticket times from the intraday profile
    restricted to that day's opening sessions. With ``day_cv > 0`` every mean is also
    multiplied by the day's factor, one gamma draw (mean 1, CV ``day_cv``) per working day
    from the stream ``demand/day_factor`` shared by all items (busy and quiet days: daily
    counts negative binomial); without it nothing more is drawn.
    """

    def __call__(self, setting: ArrivalSetting) -> tuple[np.ndarray, np.ndarray]:
        """Ticket minutes and item indices of all first visits, sorted by time."""
        cal = setting.calendar
        days = np.flatnonzero(cal.working[: setting.days])
        weekdays = np.array([cal.date_of(int(d)).weekday() for d in days], dtype=np.int64)
        openings = [cal.opening(int(d)) for d in days]
        keys = {o: k for k, o in enumerate(dict.fromkeys(openings))}
        key_of_day = np.array([keys[o] for o in openings], dtype=np.int64)
        day_factor = day_factors(setting.streams, setting.day_cv, len(days))
        times_all = []
        items_all = []
        for index, (item, profile) in enumerate(zip(setting.items, setting.profiles, strict=True)):
            demand = item.demand
            rng = setting.streams.generator(f"item/{item.id}/arrivals")
            factors = np.asarray(demand.weekday_factors, dtype=np.float64)[weekdays]
            if day_factor is not None:
                factors = factors * day_factor
            counts = rng.poisson(demand.daily_volume * factors)
            total = int(counts.sum())
            if total == 0:
                continue
            u = rng.random(total)
            day_of = np.repeat(days, counts)
            tod = np.empty(total)
            key_rep = np.repeat(key_of_day, counts)
            for opening, k in keys.items():
                mask = key_rep == k
                if mask.any():
                    tod[mask] = profile.sampler(opening).many(u[mask])
            times_all.append(day_of * MIN_PER_DAY + tod)
            items_all.append(np.full(total, index, dtype=np.int64))
        if not times_all:
            return np.empty(0), np.empty(0, dtype=np.int64)
        times = np.concatenate(times_all)
        items = np.concatenate(items_all)
        order = np.lexsort((items, times))
        return times[order], items[order]


def day_factors(streams: NamedStreams, day_cv: float, n_days: int) -> np.ndarray | None:
    """Gamma day factors (mean 1, CV ``day_cv``) of ``n_days`` working days from the stream
    ``demand/day_factor``; ``None`` for ``day_cv == 0`` (nothing drawn)."""
    if day_cv <= 0:
        return None
    shape = 1.0 / (day_cv * day_cv)
    return streams.generator("demand/day_factor").gamma(shape, 1.0 / shape, n_days)


class ScheduledArrivals:
    """Exactly these first visits, whatever the seed.

    Parameters
    ----------
    tickets : iterable of (ticket_minute, item_index)
        Tickets in any order.

    Examples
    --------
    >>> source = ScheduledArrivals([(600.0, 0), (540.0, 1)])
    >>> source.times.tolist(), source.items.tolist()
    ([540.0, 600.0], [1, 0])
    """

    __slots__ = ("times", "items")

    def __init__(self, tickets: Iterable[tuple[float, int]]) -> None:
        ordered = sorted(tickets)
        self.times = np.array([t for t, _ in ordered], dtype=np.float64)
        self.items = np.array([i for _, i in ordered], dtype=np.int64)

    def __call__(self, setting: ArrivalSetting) -> tuple[np.ndarray, np.ndarray]:
        """The scheduled tickets, sorted by time."""
        return self.times, self.items


def checked(
    times: np.ndarray, items: np.ndarray, n_items: int, end_min: float
) -> tuple[np.ndarray, np.ndarray]:
    """An arrival source's output as float and int arrays sorted by (time, item).

    Raises
    ------
    ValueError
        Arrays of different lengths, a ticket minute outside ``[0, end_min)`` or an item
        index outside ``[0, n_items)``, naming the first offending position and value.
    """
    t = np.asarray(times, dtype=np.float64).reshape(-1)
    i = np.asarray(items).reshape(-1)
    if t.shape != i.shape:
        raise ValueError(
            f"arrivals: {t.size} ticket minutes but {i.size} item indices; expected as many"
        )
    if i.size and not np.issubdtype(i.dtype, np.integer):
        raise ValueError(f"arrivals: item indices of type {i.dtype}; expected whole numbers")
    i = i.astype(np.int64, copy=False)
    bad_t = np.flatnonzero(~((t >= 0.0) & (t < end_min)))
    if bad_t.size:
        k = int(bad_t[0])
        raise ValueError(
            f"arrivals[{k}]: ticket minute {float(t[k])!r}; expected a minute in [0, {end_min:g})"
        )
    bad_i = np.flatnonzero((i < 0) | (i >= n_items))
    if bad_i.size:
        k = int(bad_i[0])
        raise ValueError(
            f"arrivals[{k}]: item index {int(i[k])}; expected an index in [0, {n_items})"
        )
    order = np.lexsort((i, t))  # stable: sorted input comes back as it is
    return t[order], i[order]
