"""The closure rules: a case's last step and its idle time, read at the extraction date.

Like an archivist deciding from the folders alone which files are finished, two rules read
an event log without a status: the **terminal step** (the case's last step is one that ends
cases of its item) and the **idle time** (nobody touched the case for longer than any case of
the log waited between two steps, or than its item's committed limit). :func:`infer_closure`
applies them (:class:`~simhall.validation.closure.ClosedRule`: ``both``, ``terminal``,
``idle``) and :func:`closed_status` turns a status, a set of closed ids or the rules into
one :class:`~simhall.validation.closure.Closure`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from simhall.calendar import WorkCalendar
from simhall.validation.cases import check_events, event_times
from simhall.validation.closure import ClosedRule, ClosedSpec, Closure

__all__ = [
    "DEFAULT_IDLE_QUANTILE",
    "DEFAULT_TERMINAL_SHARE",
    "closed_status",
    "infer_closed",
    "infer_closure",
]

DEFAULT_TERMINAL_SHARE = 0.9
"""Share of settled occurrences of a step that must be the last of their case for the step
to be terminal."""

DEFAULT_IDLE_QUANTILE = 0.99
"""Quantile of the log's within-case gaps beyond which an untouched case counts as closed."""


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
