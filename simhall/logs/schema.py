"""The case-log contract: which columns an event log and an items catalogue have, and the
activity names the simulator writes.

A case log is to calibration what a hall's paper register is to an inspector: one line per
piece of work done on a file (办件), saying which file, which item (事项) it is for, which step
(环节) was done, by whom, and when. The simulator writes its output in exactly this shape, and
the readers in :mod:`simhall.logs.readers` turn real exports into it (source headers are
mapped onto it by :mod:`simhall.logs.mapping`), so the two can be compared column by column.

Event log columns (:data:`EVENT_COLUMNS`), one row per activity instance:

========== ===================== ==========================================================
column     dtype                 meaning
========== ===================== ==========================================================
case_id    ``str``               the file (办件) the event belongs to
item_id    ``category`` of str   the service item (事项) the file is for
activity   ``category`` of str   the step done (``accept`` = acceptance at the window)
resource   ``category`` of str   who did it (optional; missing = NaN)
ready      ``datetime64[ns]``    when the case became ready for the step (ticket time for
                                 window service; optional)
start      ``datetime64[ns]``    when work on the step started (optional)
end        ``datetime64[ns]``    when the step was completed (required)
========== ===================== ==========================================================

Timestamps are naive local wall-clock times of the hall. Identifier columns other than
``case_id`` are categoricals (a million-event log repeats a few hundred activity names);
``case_id`` is a plain ``str`` column. :func:`canonicalize_events` enforces these dtypes.

Items catalogue columns (:data:`ITEM_COLUMNS`): ``item_id``, ``department``, ``kind``
(``onsite`` = 即办件, settled at the window; ``commitment`` = 承诺件, promised within
``committed_days`` working days), ``committed_days``, and optionally ``name`` and
``statutory_days`` (法定时限).
Activity names
--------------
The simulator's own step names, used wherever a rule depends on what a step is:
:data:`ACCEPT` (受理, the window visit that starts the limit's clock), :data:`CORRECTION`
(补正, a window visit that finds the materials incomplete), :data:`TO_BACK_OFFICE` and
:data:`TO_HALL` (the courier), :data:`ONLINE_ACCEPT` and :data:`ONLINE_CORRECTION` (the same
for an application filed online, 远程申报: no visit), :data:`PICKUP` (办结/领证, the visit to
collect the licence after approval: a visit, never a return for correction), and
:data:`WINDOW_ACTIVITIES` (the window visits). Real exports name the same steps in Chinese:
:data:`ACTIVITY_NAMES` lists, in one place, the names each goes by (English first, Chinese
beside it); :func:`find_accept_activity` finds a log's acceptance among them.
:data:`COLUMN_NAMES_ZH` gives each schema column its usual Chinese header, and
:data:`HALL_TIMEZONE` the hall's zone, in which timestamps are written.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from simhall.logs.errors import LogError

EVENT_COLUMNS: tuple[str, ...] = (
    "case_id",
    "item_id",
    "activity",
    "resource",
    "ready",
    "start",
    "end",
)
"""Columns of an event log, in canonical order."""

REQUIRED_EVENT_COLUMNS: tuple[str, ...] = ("case_id", "item_id", "activity", "end")
"""Columns every event log must have (``item_id`` may be a constant)."""

COLUMN_NAMES_ZH: dict[str, str] = {
    "case_id": "办件编号",
    "item_id": "事项编码",
    "activity": "环节名称",
    "resource": "办理人",
    "ready": "取号时间",
    "start": "开始时间",
    "end": "结束时间",
}
"""The usual Chinese header of each event column (one the Chinese preset of
:mod:`simhall.logs.mapping` looks for), used in messages beside the English name."""

ACCEPT = "accept"
"""Activity of a window visit that ends in acceptance (受理): the limit's clock starts."""

CORRECTION = "return_for_correction"
"""Activity of a window visit that finds the materials incomplete (补正)."""

TO_BACK_OFFICE = "transfer_to_back_office"
"""Activity of the courier carrying a file from the hall to a department's home office."""

TO_HALL = "transfer_to_hall"
"""Activity of the courier carrying a file back to the hall."""

ONLINE_ACCEPT = "accept_online"
"""Activity of an online application accepted (网上受理): the clock starts, no window visit."""

ONLINE_CORRECTION = "return_for_correction_online"
"""Activity of an online application found incomplete (网上补正): resubmitted online."""

PICKUP = "pickup"
"""A visit after the decision: the applicant collects the licence at the window (办结, 领证);
the simulator's step name for the pickup after an online application (远程申报). Calibration
keeps a log's own name; named here so that no rule takes it for a return for correction."""

WINDOW_ACTIVITIES: tuple[str, ...] = (ACCEPT, CORRECTION, PICKUP)
"""Activities that are window visits (a ticket taken, a wait, a service)."""

ACTIVITY_NAMES: dict[str, tuple[str, ...]] = {
    ACCEPT: (ACCEPT, "受理", "收件", "窗口受理"),
    CORRECTION: (CORRECTION, "correction", "补正", "补齐补正", "退回补正", "一次性告知"),
    PICKUP: (PICKUP, "collect", "办结", "领证", "取证", "发证", "出证", "证照领取"),
}
"""The names each step goes by in case logs: simhall's own (English) name first, then the
Chinese names of hall-system exports. The one place where 受理 is acceptance."""

HALL_TIMEZONE = "Asia/Shanghai"
"""The hall's zone: naive timestamps are its wall-clock time, offset-carrying ones are
converted to it (China Standard Time, UTC+08:00, no daylight saving)."""

TIME_COLUMNS: tuple[str, ...] = ("ready", "start", "end")
"""Timestamp columns of an event log."""

CATEGORY_COLUMNS: tuple[str, ...] = ("item_id", "activity", "resource")
"""Identifier columns stored as categoricals of strings."""

ITEM_COLUMNS: tuple[str, ...] = (
    "item_id",
    "department",
    "kind",
    "committed_days",
    "name",
    "statutory_days",
)
"""Columns of the items catalogue, in canonical order (``name`` and ``statutory_days``
optional)."""

REQUIRED_ITEM_COLUMNS: tuple[str, ...] = ("item_id", "department", "kind", "committed_days")
"""Columns every items catalogue must have."""

ITEM_KINDS: tuple[str, ...] = ("onsite", "commitment")
"""Allowed values of the catalogue's ``kind`` column."""


def canonicalize_events(events: pd.DataFrame) -> pd.DataFrame:
    """Return ``events`` with exactly the schema columns, in order, with canonical dtypes.

    Missing optional columns are added empty. The index is kept.

    Parameters
    ----------
    events : DataFrame
        An event log with at least the required columns.

    Returns
    -------
    DataFrame
        Columns :data:`EVENT_COLUMNS`; ``case_id`` ``str``; ``item_id``, ``activity``,
        ``resource`` categoricals of strings; timestamps ``datetime64[ns]``.
    """
    out: dict[str, pd.Series] = {}
    n = len(events)
    for column in EVENT_COLUMNS:
        if column in events.columns:
            series = events[column]
        elif column in TIME_COLUMNS:
            series = pd.Series(np.full(n, np.datetime64("NaT", "ns")), index=events.index)
        else:
            series = pd.Series(np.full(n, np.nan, dtype=object), index=events.index)
        if column in TIME_COLUMNS:
            if isinstance(series.dtype, pd.DatetimeTZDtype):
                series = series.dt.tz_localize(None)
            series = pd.to_datetime(series).astype("datetime64[ns]")
        elif column == "case_id":
            if not (isinstance(series.dtype, pd.StringDtype)):
                series = series.astype("str")
        elif not isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype("str").astype("category")
        else:
            cats = series.cat.categories
            if not isinstance(cats.dtype, pd.StringDtype):
                series = series.cat.rename_categories(list(cats.astype("str")))
        out[column] = series
    return pd.DataFrame(out, index=events.index)


def column_label(column: str) -> str:
    """A schema column named in Chinese and English for messages: ``"环节名称 (activity)"``."""
    zh = COLUMN_NAMES_ZH.get(column)
    return f"{zh} ({column})" if zh else column


def find_accept_activity(
    counts: Mapping[str, int],
    given: str | None = None,
    *,
    option: str = "acceptance activity (--accept-activity)",
) -> str:
    """The acceptance activity (受理) of a log.

    Parameters
    ----------
    counts : mapping of str to int
        The log's activities and their event counts.
    given : str, optional
        The name the user gave. It must be an activity of the log.
    option : str
        How the user gives it (named in the error: ``--accept-activity`` on the command line).

    Returns
    -------
    str
        ``given``; else the first name of :data:`ACTIVITY_NAMES` ``[ACCEPT]`` present in the
        log; else :data:`ACCEPT` (the log has no acceptance, which the checks then report).

    Raises
    ------
    LogError
        If ``given`` is not an activity of the log (the message lists the activities present).
    """
    if given is not None:
        if given in counts:
            return given
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        shown = ", ".join(f"{name!r} ({n})" for name, n in ranked[:40])
        more = f" ... (+{len(ranked) - 40} more)" if len(ranked) > 40 else ""
        raise LogError(
            f"{option} {given!r} names no activity of the log; activities present (events): "
            f"{shown}{more}",
            expected="the acceptance (受理) activity, one of those present",
        )
    return next((name for name in ACTIVITY_NAMES[ACCEPT] if name in counts), ACCEPT)
