"""Closure: which cases were closed when the log was extracted, and which rule said so.

An archivist sorting a registry's folders after the export knows a folder is finished in two
ways: its last sheet is one that ends a file (the decision, the pickup slip), or nobody has
touched it for longer than any file waits between two steps, or for longer than the item's
whole committed limit. Real logs need both: cases end in several ways (a decision is the
last step of the files collected by post and not of those picked up at the window), so the
last-step test alone leaves most finished cases "open"; and a case caught in the middle of a
long step has been idle for a while, so idle time alone closes it too early.

:func:`infer_closure` applies the rules (:class:`ClosedRule`: ``both``, the default,
``terminal``, ``idle``) and :func:`closed_status` turns a status (a status column, a set of
closed ids) or the rules into one :class:`Closure`, which says for every case which rule
decided it and sums that up for the report (:meth:`Closure.note`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pandas as pd

from simhall.calendar import WorkCalendar
from simhall.validation.cases import check_events, event_times

__all__ = [
    "DEFAULT_IDLE_QUANTILE",
    "DEFAULT_TERMINAL_SHARE",
    "ClosedRule",
    "Closure",
    "ClosedSpec",
    "closed_from_values",
    "closed_status",
    "infer_closed",
    "infer_closure",
]

DEFAULT_TERMINAL_SHARE = 0.9
"""Share of settled occurrences of a step that must be the last of their case for the step
to be terminal."""

DEFAULT_IDLE_QUANTILE = 0.99
"""Quantile of the log's within-case gaps beyond which an untouched case counts as closed."""

RULES = ("both", "terminal", "idle")
"""The inference rules (``status:COLUMN=VALUES`` reads a status column instead)."""

CLOSING = frozenset({"terminal step", "idle time", "committed limit", "status", "given"})
"""``Closure.cases.decided_by`` values of closed cases (the others are open)."""


@dataclass(frozen=True)
class ClosedRule:
    """How closure is decided: an inference rule or a status column.

    Attributes
    ----------
    kind : {"both", "terminal", "idle", "status"}
        ``terminal``: the last step is terminal for the item; ``idle``: the case has been
        untouched for longer than the log's within-case gaps (or the item's committed limit)
        at extraction; ``both`` (default): either; ``status``: a status column.
    column : str or None
        The status column (``status`` only).
    values : tuple of str
        Status values meaning closed (``status`` only).
    """

    kind: str = "both"
    column: str | None = None
    values: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> ClosedRule:
        """Read ``terminal``, ``idle``, ``both`` or ``status:COLUMN=V1,V2``.

        Raises
        ------
        ValueError
            Anything else, naming the value and what was expected.
        """
        t = text.strip()
        if t in RULES:
            return cls(t)
        if t.startswith("status:"):
            column, sep, values = t.removeprefix("status:").partition("=")
            vals = tuple(v.strip() for v in values.split(",") if v.strip())
            if sep and column.strip() and vals:
                return cls("status", column.strip(), vals)
        raise ValueError(
            f"closed rule {text!r}: expected one of {', '.join(RULES)} or "
            "status:COLUMN=VALUE[,VALUE...] (e.g. status:caseStatus=G)"
        )

    def __str__(self) -> str:
        if self.kind == "status":
            return f"status:{self.column}={','.join(self.values)}"
        return self.kind


ClosedSpec: TypeAlias = "Closure | pd.Series | Mapping[str, bool] | Collection[str] | None"
"""What ``closed=`` accepts: a :class:`Closure`, a bool per case id, the closed ids, or
``None`` (inferred)."""


@dataclass(frozen=True)
class Closure:
    """Closed or open at extraction, per case, and the rule that decided it.

    Attributes
    ----------
    cases : pandas.DataFrame
        One row per case: ``case_id`` (str), ``closed`` (bool) and ``decided_by``:
        ``terminal step``, ``idle time``, ``committed limit`` (idle past the item's limit),
        ``open`` and ``never accepted`` for the rules; ``status`` / ``open by status`` for a
        given status; ``given`` / ``not given`` for a set of closed ids.
    rule : str
        ``both``, ``terminal``, ``idle``, ``status`` (a bool per case) or ``ids`` (a set of
        closed ids).
    description : str
        The rule in words, for the report.
    """

    cases: pd.DataFrame
    rule: str
    description: str

    @property
    def closed(self) -> pd.Series:
        """Bool per ``case_id`` (str index)."""
        return pd.Series(
            self.cases["closed"].to_numpy(dtype=bool),
            index=pd.Index(self.cases["case_id"].to_numpy(), name="case_id"),
        )

    def counts(self, ids: Iterable[str] | None = None) -> pd.Series:
        """Cases per ``decided_by`` (of the cases ``ids``, default all), largest first."""
        c = self.cases if ids is None else self.cases[self.cases["case_id"].isin(set(ids))]
        return c["decided_by"].value_counts()

    def note(self, ids: Iterable[str] | None = None, what: str = "observed cases") -> str:
        """The rule and how many of the cases ``ids`` (default all) each part decided."""
        counts = self.counts(ids)
        n = int(counts.sum())
        parts = ", ".join(
            f"{int(k)} closed by {name}" if name in CLOSING else f"{int(k)} {name}"
            for name, k in counts.items()
        )
        return f"closure of {what} ({n}): {self.description}; {parts or 'no case'}"


def closed_from_values(
    case_ids: pd.Series, status: pd.Series, closed_values: Collection[str]
) -> pd.Series:
    """Closed per case from a status per event or per case (its last non-empty value).

    Parameters
    ----------
    case_ids, status : pandas.Series
        Aligned: the case of each row and its status (rows in time order).
    closed_values : collection of str
        Status values meaning closed (compared as text).

    Returns
    -------
    pandas.Series
        Bool per ``case_id`` (str index); cases without any status are open.
    """
    frame = pd.DataFrame(
        {"case_id": case_ids.astype("str").to_numpy(), "status": status.to_numpy()}
    )
    last = frame.dropna(subset=["status"]).groupby("case_id", sort=True)["status"].last()
    all_ids = pd.Index(sorted(frame["case_id"].unique()), name="case_id")
    values = {str(v) for v in closed_values}
    return last.astype("str").isin(values).reindex(all_ids, fill_value=False).astype(bool)


def closed_status(
    closed: ClosedSpec,
    events: pd.DataFrame,
    accept_activity: str,
    *,
    rule: ClosedRule | str = "both",
    observed_until: pd.Timestamp | None = None,
    calendar: WorkCalendar | None = None,
    committed_days: Mapping[str, float] | None = None,
) -> Closure:
    """One :class:`Closure` from a status, a set of closed ids or the inference rules.

    Parameters
    ----------
    closed : Closure, Series, mapping, collection or None
        A closure already decided (returned as is), a bool per case id (a status column),
        the set of closed ids, or ``None``: inferred with ``rule`` (:func:`infer_closure`).
    events : pandas.DataFrame
        The log (every case it names gets a row).
    accept_activity : str
        The acceptance activity.
    rule, observed_until, calendar, committed_days
        As for :func:`infer_closure` (used when ``closed`` is ``None``).

    Returns
    -------
    Closure
    """
    if isinstance(closed, Closure):
        return closed
    if closed is None:
        return infer_closure(
            events,
            accept_activity=accept_activity,
            rule=rule,
            observed_until=observed_until,
            calendar=calendar,
            committed_days=committed_days,
        )
    all_ids = pd.Index(events["case_id"].astype("str").unique())
    if isinstance(closed, pd.Series | Mapping):
        given = (
            closed.astype(bool)
            if isinstance(closed, pd.Series)
            else pd.Series({str(k): bool(v) for k, v in closed.items()}, dtype=bool)
        )
        given.index = given.index.astype("str")
        flags = given.reindex(all_ids).fillna(False).astype(bool).to_numpy()
        labels = np.where(flags, "status", "open by status")
        return Closure(
            pd.DataFrame({"case_id": all_ids, "closed": flags, "decided_by": labels}),
            "status",
            "from the status given with the log (cases without a status count as open)",
        )
    ids = {str(c) for c in closed}
    flags = all_ids.isin(list(ids))
    return Closure(
        pd.DataFrame(
            {
                "case_id": all_ids,
                "closed": flags,
                "decided_by": np.where(flags, "given", "not given"),
            }
        ),
        "ids",
        "every case not in the given set of closed cases is open",
    )


def infer_closed(
    events: pd.DataFrame,
    *,
    accept_activity: str = "accept",
    threshold: float = DEFAULT_TERMINAL_SHARE,
    rule: ClosedRule | str = "both",
    observed_until: pd.Timestamp | None = None,
    idle_quantile: float = DEFAULT_IDLE_QUANTILE,
    calendar: WorkCalendar | None = None,
    committed_days: Mapping[str, float] | None = None,
) -> pd.Series:
    """Guess which cases were closed when the log was extracted (no status in the log).

    The bool per ``case_id`` of :func:`infer_closure` (same parameters).
    """
    return infer_closure(
        events,
        accept_activity=accept_activity,
        threshold=threshold,
        rule=rule,
        observed_until=observed_until,
        idle_quantile=idle_quantile,
        calendar=calendar,
        committed_days=committed_days,
    ).closed


def infer_closure(
    events: pd.DataFrame,
    *,
    accept_activity: str = "accept",
    threshold: float = DEFAULT_TERMINAL_SHARE,
    rule: ClosedRule | str = "both",
    observed_until: pd.Timestamp | None = None,
    idle_quantile: float = DEFAULT_IDLE_QUANTILE,
    calendar: WorkCalendar | None = None,
    committed_days: Mapping[str, float] | None = None,
) -> Closure:
    """Infer closure at extraction from the steps and the idle time of each case.

    Two rules, both for accepted cases only:

    * **terminal step**: order each case's events by day, then, within a day, by the
      activity's typical position in its item's cases (timestamps without a time of day do
      not reorder a day's steps), then by time. The k-th occurrence of an activity in a case
      is *terminal* for an item when at least ``threshold`` of its *settled* occurrences
      (those older than the idle limit at extraction, whose successors would have been
      logged by then; all occurrences where none is settled) are the last event of their
      case. A case whose last event is terminal is closed.
    * **idle time**: a case whose last event is older, at extraction, than the
      ``idle_quantile`` of all within-case gaps of the log (time between consecutive events
      of a case), or than its item's committed limit (more working days than
      ``committed_days``, when positive), is closed: no case of the log waited that long
      between two steps, and an open case idle that long would be overdue.

    ``both`` closes a case when either rule does; a case caught in the middle of its route
    ends with a step that usually has successors and has been idle only briefly.

    Parameters
    ----------
    events : pandas.DataFrame
        Event log.
    accept_activity : str
        The acceptance activity.
    threshold : float, default :data:`DEFAULT_TERMINAL_SHARE`
        Share of settled occurrences that must be last for an occurrence to be terminal.
    rule : ClosedRule or {"both", "terminal", "idle"}
        The rules applied.
    observed_until : Timestamp, optional
        Extraction moment (default: the log's last end time).
    idle_quantile : float, default :data:`DEFAULT_IDLE_QUANTILE`
        Quantile of the within-case gaps used as the idle limit.
    calendar : WorkCalendar, optional
        Working days for the committed limit (default: Monday to Friday).
    committed_days : mapping, optional
        Committed limit in working days per ``item_id``.

    Returns
    -------
    Closure
        ``cases`` also holds ``last`` (the last end time), ``idle_days`` (calendar days),
        ``terminal`` and ``idle`` (each rule's verdict).

    Raises
    ------
    ValueError
        Missing columns, or a ``status`` rule (read the column with
        :func:`closed_from_values`).
    """
    check_events(events)
    r = rule if isinstance(rule, ClosedRule) else ClosedRule.parse(rule)
    if r.kind == "status":
        raise ValueError(f"closed rule {r}: a status column is read, not inferred")
    ev = _ordered(events)
    until = (
        pd.Timestamp(observed_until)
        if observed_until is not None
        else pd.Timestamp(ev["end"].max())
    )
    gaps = ev.groupby("case_id")["end"].diff().dropna().dt.total_seconds() / 86400.0
    limit_days = float(np.quantile(gaps, idle_quantile)) if len(gaps) else 0.0
    ev["settled"] = (until - ev["end"]).dt.total_seconds() / 86400.0 > limit_days
    last_mask = ~ev["case_id"].duplicated(keep="last").to_numpy()
    ev["is_last"] = last_mask
    ev["occ"] = ev.groupby(["case_id", "activity"]).cumcount()
    keys = ["item_id", "activity", "occ"]
    share_all = ev.groupby(keys)["is_last"].mean()
    share_settled = ev[ev["settled"]].groupby(keys)["is_last"].mean()
    share = share_settled.reindex(share_all.index).fillna(share_all)
    terminal_keys = set(share[share >= threshold].index)
    last = ev[last_mask].reset_index(drop=True)
    terminal = np.array(
        [k in terminal_keys for k in zip(last["item_id"], last["activity"], last["occ"])],
        dtype=bool,
    )
    idle_days = ((until - last["end"]).dt.total_seconds() / 86400.0).to_numpy()
    by_gap = idle_days > limit_days
    past_limit = _past_limit(last, until, calendar, committed_days)
    accepted = last["case_id"].isin(set(ev.loc[ev["activity"] == accept_activity, "case_id"]))
    acc = accepted.to_numpy()
    use_terminal = r.kind in ("both", "terminal")
    use_idle = r.kind in ("both", "idle")
    closed = acc & ((use_terminal & terminal) | (use_idle & (by_gap | past_limit)))
    decided = np.select(
        [
            ~acc,
            use_terminal & terminal,
            use_idle & by_gap,
            use_idle & past_limit,
        ],
        ["never accepted", "terminal step", "idle time", "committed limit"],
        default="open",
    )
    cases = pd.DataFrame(
        {
            "case_id": last["case_id"].to_numpy(),
            "closed": closed,
            "decided_by": decided,
            "last": last["end"].to_numpy(),
            "idle_days": idle_days,
            "terminal": terminal & acc,
            "idle": (by_gap | past_limit) & acc,
        }
    )
    return Closure(cases, r.kind, _describe(r.kind, limit_days, idle_quantile, threshold, until))


def _ordered(events: pd.DataFrame) -> pd.DataFrame:
    """Events with an end time, per case by day, then typical position, then time."""
    ev = pd.DataFrame(
        {
            "case_id": events["case_id"].astype("str").to_numpy(),
            "item_id": events["item_id"].astype("str").to_numpy(),
            "activity": events["activity"].astype("str").to_numpy(),
            "end": event_times(events, "end").to_numpy(),
        }
    ).dropna(subset=["end"])
    ev["day"] = ev["end"].dt.normalize()
    ev = ev.sort_values(["case_id", "day", "end"], kind="stable")
    pos = ev.groupby("case_id").cumcount()
    size = ev.groupby("case_id")["end"].transform("size")
    ev["rel"] = np.where(size > 1, pos / (size - 1).clip(lower=1), 1.0)
    ev["rank"] = ev.groupby(["item_id", "activity"])["rel"].transform("median")
    return ev.sort_values(["case_id", "day", "rank", "end"], kind="stable").reset_index(drop=True)


def _past_limit(
    last: pd.DataFrame,
    until: pd.Timestamp,
    calendar: WorkCalendar | None,
    committed_days: Mapping[str, float] | None,
) -> np.ndarray:
    """Whether each case's last event lies more than its item's committed working days
    before ``until`` (False for items without a positive limit)."""
    if not committed_days:
        return np.zeros(len(last), dtype=bool)
    limit = last["item_id"].map({str(k): float(v) for k, v in committed_days.items()})
    lim = limit.to_numpy(dtype=np.float64, na_value=np.nan)
    last_day = last["end"].dt.normalize()
    end_day = until.normalize()
    if calendar is not None:
        origin = pd.Timestamp(calendar.start)
        i_last = ((last_day - origin) // pd.Timedelta(days=1)).to_numpy(dtype=np.int64)
        i_end = int((end_day - origin) // pd.Timedelta(days=1))
        if i_last.size and (i_last.min() < 0 or i_end >= calendar.n_days):
            raise ValueError(
                f"the working-day calendar {calendar.start} .. "
                f"{calendar.date_of(calendar.n_days - 1)} does not cover the log up to {until}"
            )
        ordinal = calendar.workday_ordinal
        idle_wd = (ordinal[i_end] - ordinal[i_last]).astype(np.float64)
    else:
        idle_wd = np.busday_count(
            last_day.to_numpy(dtype="datetime64[D]") + np.timedelta64(1, "D"),
            np.datetime64(end_day.date()) + np.timedelta64(1, "D"),
        ).astype(np.float64)
    with np.errstate(invalid="ignore"):
        return np.nan_to_num(lim, nan=np.inf) < idle_wd


def _describe(
    kind: str, limit_days: float, quantile: float, threshold: float, until: pd.Timestamp
) -> str:
    terminal = (
        f"closed when the last step is terminal for the item (the last event in at least "
        f"{threshold:.0%} of its settled occurrences)"
    )
    idle = (
        f"closed when untouched for more than {limit_days:.2f} calendar day(s) (the "
        f"P{100 * quantile:g} of the log's within-case gaps) or more working days than the "
        f"item's committed limit before {until}"
    )
    text = {"terminal": terminal, "idle": idle, "both": f"{terminal}, or {idle}"}[kind]
    return f"rule `{kind}`: accepted cases {text}"
