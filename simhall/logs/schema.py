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
:data:`TO_HALL` (the courier), and :data:`WINDOW_ACTIVITIES` (the window visits).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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

ACCEPT = "accept"
"""Activity of a window visit that ends in acceptance (受理): the limit's clock starts."""

CORRECTION = "return_for_correction"
"""Activity of a window visit that finds the materials incomplete (补正)."""

TO_BACK_OFFICE = "transfer_to_back_office"
"""Activity of the courier carrying a file from the hall to a department's home office."""

TO_HALL = "transfer_to_hall"
"""Activity of the courier carrying a file back to the hall."""

WINDOW_ACTIVITIES: tuple[str, ...] = (ACCEPT, CORRECTION)
"""Activities that are window visits (a ticket taken, a wait, a service)."""

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
