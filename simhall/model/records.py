"""Records of a replication and the tables built from them.

Every case carries a file (:class:`CaseFile`) in which each desk it passes writes one line:
which activity, by whom, when the file was ready for it, when the work started and ended.
When the case ends (or the simulated period stops with it still open) the file goes to the
archive (:class:`Recorder`), unless the case belongs to the warm-up. At the end of the run the
archive is typed up into the three tables a hall's statistics office keeps:

* the event log (:func:`event_frame`), in the schema of real case logs, so that the same
  calibration and validation code reads simulated and observed logs;
* the case table (:func:`case_frame`): arrival, acceptance, completion, visits, and working
  days elapsed and counted against the committed limit;
* the station table (:func:`simhall.model.stations.station_frame`): per window row and
  staff pool, utilization and queue length over the opening hours after the warm-up.

The hot loop only appends plain tuples; everything else happens here, once per replication.
"""

# the station table's statistics live in simhall.model.stations; re-exported here
# (where they were) for existing imports

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from simhall.calendar import WorkCalendar
from simhall.model.compile import CompiledHall
from simhall.model.timetables import MIN_PER_DAY
from simhall.scenario.schema import Item

EventRecord = tuple[int, int, int, int, float, float, float]
"""``(case, item index, activity code, resource code, ready, start, end)``; -1 = no resource."""


class CaseFile:
    """What a case carries through its steps: its log lines, visits and suspensions.

    Attributes
    ----------
    arrival, accept, done : float
        Minute of the first ticket, of acceptance and of completion (NaN until then).
    visits : int
        Window visits so far (returns for correction and visit steps included).
    status : {"not_accepted", "in_progress", "completed"}
        Where the case stands (read only: from ``accept`` and ``done``).
    log : list of float
        Six numbers per activity, one activity after the other: ``item index, activity
        code, resource code, ready, start, end`` (flat, so that the recorder files them in
        one block; append a line with ``file.log += (item, act, res, ready, start, end)``).
    suspended : list of (start, end)
        Spells in steps that do not count against the committed limit.
    """

    __slots__ = ("arrival", "accept", "done", "visits", "log", "suspended")

    def __init__(self, arrival: float) -> None:
        self.arrival = arrival
        self.accept = math.nan
        self.done = math.nan
        self.visits = 0
        self.log: list[float] = []
        self.suspended: list[tuple[float, float]] = []

    @property
    def status(self) -> str:
        """Where the case stands, from :attr:`accept` and :attr:`done`."""
        return _status(self.accept, self.done)


class Recorder:
    """The archive of one replication's finished (or stopped) cases.

    Parameters
    ----------
    warmup_min : float
        Cases accepted before this minute (or, never accepted, arriving before it) are
        left out.

    Attributes
    ----------
    log : array.array of float
        The kept cases' log lines (:attr:`CaseFile.log`), six numbers each, case after case
        as filed; ``log_cases`` and ``log_counts`` say whose and how many
        (:meth:`event_array`). Unboxed, so that the frames read them as one block instead
        of chasing a million small objects scattered over memory.
    rows : array.array of float
        ``case, item index, arrival, accept, done, visits`` per kept case (:meth:`case_array`).
    suspended : dict
        Case number -> its suspended spells (only cases that have some).
    """

    __slots__ = ("warmup_min", "log", "log_cases", "log_counts", "rows", "suspended")

    def __init__(self, warmup_min: float) -> None:
        self.warmup_min = warmup_min
        self.log = array("d")
        self.log_cases = array("q")
        self.log_counts = array("q")
        self.rows = array("d")
        self.suspended: dict[int, tuple[tuple[float, float], ...]] = {}

    def keep(self, case_id: int, item: int, file: CaseFile) -> None:
        """File a case unless it was accepted (or, never accepted, arrived) in the warm-up."""
        accepted = file.accept == file.accept
        if (file.accept if accepted else file.arrival) < self.warmup_min:
            return
        log = file.log
        if log:
            self.log.fromlist(log)
            self.log_cases.append(case_id)
            self.log_counts.append(len(log) // 6)
        self.rows.fromlist([case_id, item, file.arrival, file.accept, file.done, file.visits])
        if file.suspended:
            self.suspended[case_id] = tuple(file.suspended)

    def event_array(self) -> np.ndarray:
        """The event records as an ``(n, 7)`` float array (columns of :data:`EventRecord`)."""
        lines = np.frombuffer(self.log, dtype=np.float64).reshape(-1, 6) if self.log else None
        out = np.empty((0 if lines is None else len(lines), 7), dtype=np.float64)
        if lines is not None:
            counts = np.frombuffer(self.log_counts, dtype=np.int64)
            out[:, 0] = np.repeat(np.frombuffer(self.log_cases, dtype=np.int64), counts)
            out[:, 1:] = lines
        return out

    def case_array(self) -> np.ndarray:
        """The kept cases as an ``(n, 6)`` float array (columns of :attr:`rows`)."""
        if not self.rows:
            return np.empty((0, 6), dtype=np.float64)
        return np.frombuffer(self.rows, dtype=np.float64).reshape(-1, 6).copy()

    @property
    def events(self) -> list[EventRecord]:
        """The event records as tuples, in the order the cases were filed."""
        return [
            (int(c), int(i), int(a), int(r), ready, start, end)
            for c, i, a, r, ready, start, end in self.event_array().tolist()
        ]

    @property
    def cases(self) -> list[tuple[Any, ...]]:
        """``(case, item index, arrival, accept, done, visits, status, suspended spells)``
        per kept case, in the order filed (the status as :attr:`CaseFile.status`)."""
        return [
            (
                int(c),
                int(i),
                arr,
                acc,
                done,
                int(v),
                _status(acc, done),
                self.suspended.get(int(c), ()),
            )
            for c, i, arr, acc, done, v in self.case_array().tolist()
        ]


def _status(accept: float, done: float) -> str:
    """A case's status from its acceptance and completion minutes (NaN: not yet)."""
    if accept != accept:
        return "not_accepted"
    return "completed" if done == done else "in_progress"


def rows_array(rows: Sequence[Sequence[float]], width: int) -> np.ndarray:
    """Equal-length tuples (the hot loop's records) as an ``(n, width)`` float array.

    Like ``np.asarray(rows, dtype=float)``, but through one flat iterator: numpy converts a
    list of tuples element by element with type checks, some twenty times slower.
    """
    if isinstance(rows, np.ndarray):
        return rows.astype(np.float64, copy=False).reshape(-1, width)
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.float64, count=len(rows) * width)
    return flat.reshape(-1, width)


def decoded_events(
    recorder: Recorder, hall: CompiledHall
) -> list[tuple[int, str, str, str | None, float, float, float]]:
    """The event records with item ids, activity and resource names, in recording order."""
    items = [c.item.id for c in hall.items]
    acts = list(hall.activities)
    res = list(hall.resources)
    return [
        (case, items[i], acts[a], res[r] if r >= 0 else None, ready, start, end)
        for case, i, a, r, ready, start, end in recorder.events
    ]


def string_column(values: Sequence[str], codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``values[codes]`` as a pandas ``string`` array, taken in Arrow (no Python string per row).

    Equal to ``pd.array(np.array(values, dtype=object)[codes], dtype="string")``, ten times
    faster on a hall-year's case table.
    """
    storage = pa.array(list(values), type=pa.large_string())
    return pd.array(pc.take(storage, pa.array(np.asarray(codes, dtype=np.int64))), dtype="string")


def timestamps(calendar: WorkCalendar, minutes: np.ndarray) -> pd.Series:
    """Simulation minutes as timestamps from the calendar's start (NaN -> NaT), to the second.

    Whole seconds from the start, in integer nanoseconds (exact: no float arithmetic after
    the rounding), NaT where a time is missing or infinite.
    """
    origin_ns = np.datetime64(pd.Timestamp(calendar.start), "ns").astype(np.int64)
    seconds = np.round(np.asarray(minutes, dtype=np.float64) * 60.0)
    ok = np.isfinite(seconds)
    ns = np.where(ok, seconds, 0.0).astype(np.int64)
    ns *= 1_000_000_000
    ns += origin_ns
    ns[~ok] = np.iinfo(np.int64).min  # NaT
    return pd.Series(ns.view("datetime64[ns]"))


def case_order(number: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """``np.lexsort((end, start, number))``: the rows by case, then start, then end.

    A case files its lines mostly in the order they happened; when each case's lines are
    already in (start, end) order, a stable sort by case alone gives the same order at a
    third of the cost (checked, else the full sort).
    """
    by_case = np.argsort(number, kind="stable")
    n, s, e = number[by_case], start[by_case], end[by_case]
    same = n[1:] == n[:-1]
    later = (s[1:] > s[:-1]) | ((s[1:] == s[:-1]) & (e[1:] >= e[:-1]))
    if np.all(later | ~same):
        return by_case
    return np.lexsort((end, start, number))


def event_frame(
    recorder: Recorder,
    hall: CompiledHall,
    calendar: WorkCalendar,
    replication: int,
    known_ids: pd.Categorical | None = None,
) -> pd.DataFrame:
    """Simulated event log in the case-log schema, plus ``replication``.

    Rows are ordered by case, then start and end; ``item_id``, ``activity`` and
    ``resource`` are categoricals (``resource`` is missing for pure delays). ``known_ids``:
    the case table's ``case_id`` (its ids are looked up, not formatted again).
    """
    arr = recorder.event_array()
    number = arr[:, 0].astype(np.int64)
    order = case_order(number, arr[:, 5], arr[:, 6])
    arr = arr[order]
    codes = arr[:, 1:4].astype(np.int64)
    frame = pd.DataFrame(
        {
            "case_id": case_ids(number[order], _known(recorder, known_ids)),
            "item_id": categorical(codes[:, 0], [c.item.id for c in hall.items]),
            "activity": categorical(codes[:, 1], list(hall.activities)),
            "resource": categorical(codes[:, 2], list(hall.resources)),
            "ready": timestamps(calendar, arr[:, 4]),
            "start": timestamps(calendar, arr[:, 5]),
            "end": timestamps(calendar, arr[:, 6]),
        }
    )
    frame["replication"] = np.int64(replication)
    return frame


def case_frame(
    recorder: Recorder, items: Sequence[Item], calendar: WorkCalendar, replication: int
) -> pd.DataFrame:
    """One row per case: arrival, acceptance, completion, visits and working days."""
    arr = recorder.case_array()
    arr = arr[np.argsort(arr[:, 0], kind="stable")]
    n = len(arr)
    case_id = arr[:, 0].astype(np.int64)
    item_idx = arr[:, 1].astype(np.int64)
    arrival, accept, done = arr[:, 2], arr[:, 3], arr[:, 4]
    visits = arr[:, 5].astype(np.int64)
    status_code = np.where(np.isnan(accept), 0, np.where(np.isnan(done), 1, 2))
    ordinal = calendar.workday_ordinal
    complete = np.isfinite(done)
    elapsed = np.full(n, -1, dtype=np.int64)
    if complete.any():
        a_day = (accept[complete] // MIN_PER_DAY).astype(np.int64)
        d_day = (done[complete] // MIN_PER_DAY).astype(np.int64)
        elapsed[complete] = ordinal[d_day] - ordinal[a_day]
    suspended_days = np.zeros(n, dtype=np.int64)
    spells = _spells_by_row(recorder, case_id)
    for k, spell in spells.items():
        if complete[k]:
            suspended_days[k] = working_days_suspended(spell, calendar)
    counted = np.where(complete, np.maximum(elapsed - suspended_days, 0), -1)
    censored = open_counted_days(recorder, case_id, item_idx, spells, items, calendar, accept, done)
    committed = np.array(
        [it.committed_days if it.committed_days is not None else -1 for it in items],
        dtype=np.int64,
    )[item_idx]

    def per_item(values: list[str]) -> pd.api.extensions.ExtensionArray:
        return string_column(values, item_idx)

    frame = pd.DataFrame(
        {
            "case_id": case_ids(case_id),
            "item_id": per_item([it.id for it in items]),
            "department": per_item([it.department for it in items]),
            "kind": per_item([it.kind for it in items]),
            "arrival": timestamps(calendar, arrival),
            "acceptance": timestamps(calendar, accept),
            "completion": timestamps(calendar, done),
            "visits": visits,
            "status": string_column(list(_STATUSES), status_code),
            "elapsed_days": pd.array(np.where(complete, elapsed, -1), dtype="Int64"),
            "counted_days": pd.array(counted, dtype="Int64"),
            "committed_days": pd.array(committed, dtype="Int64"),
            "censored_days": pd.array(censored, dtype="Int64"),
        }
    )
    frame.loc[censored < 0, "censored_days"] = pd.NA
    for col in ("elapsed_days", "counted_days"):
        frame.loc[~complete, col] = pd.NA
    frame.loc[committed < 0, "committed_days"] = pd.NA
    within = complete & (committed >= 0) & (counted <= committed)
    frame["within_limit"] = pd.array(
        np.where(complete & (committed >= 0), within, False), dtype="boolean"
    )
    frame.loc[~(complete & (committed >= 0)), "within_limit"] = pd.NA
    frame["onsite_completion"] = pd.array(complete & (elapsed == 0), dtype="boolean")
    frame["replication"] = np.int64(replication)
    return frame


_STATUSES = np.array(["not_accepted", "in_progress", "completed"], dtype=object)


def _spells_by_row(recorder: Recorder, case_id: np.ndarray) -> dict[int, Sequence[Any]]:
    """Row number (in ``case_id`` order) -> suspended spells, for cases that have some."""
    if not recorder.suspended:
        return {}
    numbers = np.fromiter(recorder.suspended, dtype=np.int64, count=len(recorder.suspended))
    rows = np.searchsorted(case_id, numbers)
    return dict(zip(rows.tolist(), recorder.suspended.values(), strict=True))


def _has_uncounted(steps: Sequence[Any]) -> bool:
    """Whether a route has a step that does not count against the limit (at any depth)."""
    return any(
        not step.counts or _has_uncounted([s for b in getattr(step, "branches", ()) for s in b])
        for step in steps
    )


def open_counted_days(
    recorder: Recorder,
    case_id: np.ndarray,
    item_idx: np.ndarray,
    spells: dict[int, Sequence[Any]],
    items: Sequence[Item],
    calendar: WorkCalendar,
    accept: np.ndarray,
    done: np.ndarray,
) -> np.ndarray:
    """Counted working days of each accepted, still open case when the run stopped (-1 else).

    Rows are the kept cases in ``case_id`` order (``spells``: row -> suspended spells).
    The run stops at the end of the calendar's last day; the working days from acceptance to
    then, less those in finished non-counting steps, are a lower bound of the days the case
    will count (it is right-censored there). For an item with a non-counting step a case may
    be in one when the run stops, unseen; its days are counted up to the end of its last
    recorded activity instead (still a lower bound, unless such a step runs in one parallel
    branch while another branch records later activities).
    """
    n = len(case_id)
    out = np.full(n, -1, dtype=np.int64)
    open_ = np.isfinite(accept) & ~np.isfinite(done)
    if not open_.any():
        return out
    ordinal = calendar.workday_ordinal
    stop = np.full(n, float(calendar.n_days) * MIN_PER_DAY - 1.0)
    uncounted = [k for k, item in enumerate(items) if _has_uncounted(item.route)]
    if uncounted:
        late = open_ & np.isin(item_idx, uncounted)
        stop[late] = accept[late]  # no activity recorded: up to the acceptance
        ev = recorder.event_array()
        if len(ev):
            # the end of each case's last recorded activity (the latest end, whatever order)
            order = np.lexsort((ev[:, 6], ev[:, 0]))
            numbers, last = ev[order, 0], ev[order, 6]
            final = np.append(numbers[1:] != numbers[:-1], True)
            rows = np.searchsorted(case_id, numbers[final].astype(np.int64))
            has = late[rows]
            stop[rows[has]] = last[final][has]
    a_day = (accept[open_] // MIN_PER_DAY).astype(np.int64)
    s_day = (stop[open_] // MIN_PER_DAY).astype(np.int64)
    days = ordinal[s_day] - ordinal[a_day]
    where = {k: j for j, k in enumerate(np.flatnonzero(open_).tolist())}
    for k, spell in spells.items():
        if k in where:
            days[where[k]] -= working_days_suspended(spell, calendar)
    out[open_] = np.maximum(days, 0)
    return out


def categorical(codes: np.ndarray, names: list[str]) -> pd.Categorical:
    """Codes into a categorical of the names used, categories sorted (-1 = missing).

    The names used are counted with one ``bincount`` and the codes renumbered through a
    small lookup table (no sort of the rows).
    """
    k = len(names)
    codes = np.asarray(codes, dtype=np.int64)
    present = codes[codes >= 0]
    used = np.flatnonzero(np.bincount(present, minlength=k)) if len(present) else present
    by_name = sorted(used.tolist(), key=names.__getitem__)
    renumber = np.full(k + 1, -1, dtype=np.int64)  # renumber[-1]: missing stays missing
    renumber[by_name] = np.arange(len(by_name))
    dtype = pd.CategoricalDtype([names[i] for i in by_name])
    return pd.Categorical.from_codes(renumber[codes], dtype=dtype, validate=False)


def _known(recorder: Recorder, ids: pd.Categorical | None) -> tuple[np.ndarray, pd.Index] | None:
    """Sorted kept case numbers and their ids from the case table's ``case_id`` column."""
    if ids is None or len(ids.categories) != len(recorder.rows) // 6:
        return None
    numbers = np.sort(recorder.case_array()[:, 0].astype(np.int64))
    return numbers, ids.categories


def case_ids(
    numbers: np.ndarray, known: tuple[np.ndarray, pd.Index] | None = None
) -> pd.Categorical:
    """Case ids ``c0000001``... from case numbers, as an ordered categorical.

    ``known``: sorted case numbers and their ids (the case table's, made first), a superset
    of ``numbers``, whose ids are looked up rather than formatted again.
    """
    codes, uniques = _factorized(np.asarray(numbers, dtype=np.int64))
    if known is not None:
        if np.array_equal(known[0], uniques):  # every case has rows: its very categories
            return pd.Categorical.from_codes(
                codes, categories=known[1], ordered=True, validate=False
            )
        pos = np.searchsorted(known[0], uniques)
        if len(known[0]) and (pos < len(known[0])).all() and (known[0][pos] == uniques).all():
            return pd.Categorical.from_codes(codes, categories=known[1][pos], ordered=True)
    return pd.Categorical.from_codes(codes, categories=case_labels(uniques), ordered=True)


def _factorized(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(numbers, sort=True)``; without a hash table when ``numbers`` are
    already in order (the case table's, and the event log's sorted by case)."""
    if len(numbers) and bool(np.all(numbers[1:] >= numbers[:-1])):
        first = np.empty(len(numbers), dtype=bool)
        first[0] = True
        np.not_equal(numbers[1:], numbers[:-1], out=first[1:])
        return np.cumsum(first, dtype=np.intp) - 1, numbers[first]
    codes, uniques = pd.factorize(numbers, sort=True)
    return codes, uniques


def case_labels(numbers: np.ndarray) -> pd.Index:
    """``c0000001``-style ids of case numbers (``f"c{n:07d}"``), formatted in Arrow."""
    digits = pc.utf8_lpad(
        pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string()), 7, "0"
    )
    labels = pc.binary_join_element_wise("c", digits, "")
    return pd.Index(labels.to_numpy(zero_copy_only=False), dtype=object)


def working_days_suspended(intervals: Sequence[tuple[float, float]], cal: WorkCalendar) -> int:
    """Working days spent in non-counting steps (overlapping intervals merged)."""
    merged: list[list[float]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return sum(cal.working_days_between(a, b) for a, b in merged)


from simhall.model.stations import daily_queue, queue_stats, station_frame, traffic  # noqa: E402

__all__ = [
    "CaseFile",
    "EventRecord",
    "Recorder",
    "case_frame",
    "case_ids",
    "case_labels",
    "case_order",
    "categorical",
    "daily_queue",
    "decoded_events",
    "event_frame",
    "open_counted_days",
    "queue_stats",
    "rows_array",
    "string_column",
    "station_frame",
    "timestamps",
    "traffic",
    "working_days_suspended",
]
