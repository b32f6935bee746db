"""The BPI Challenge 2015 log bundled with simhall, and its case status as a closure rule.

BPIC15 is five Dutch municipalities' building-permit (Wabo) registers, exported as XES: the
outside evidence simhall calibrates against. Like a register that comes with the clerk's own
"closed" stamp on each file, its traces carry ``caseStatus`` at extraction (``G``, gesloten,
closed; ``O`` open), so which cases were closed need not be inferred from the events.
:func:`bpic15_path` finds the bundled municipality-1 file, :func:`read_bpic15` reads it with
the :data:`~simhall.logs.mapping.BPIC15` preset, and :func:`closed_by_status` turns a status
column of the per-case frame into closed flags.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from simhall.logs.mapping import BPIC15
from simhall.logs.readers import LogReadResult, read_event_log

__all__ = [
    "BPIC15",
    "BPIC15_CLOSED",
    "BPIC15_STATUS",
    "bpic15_path",
    "closed_by_status",
    "read_bpic15",
]

BPIC15_STATUS = "caseStatus"
"""Trace attribute of BPIC15 logs holding a case's status at extraction."""

BPIC15_CLOSED = ("G",)
"""BPIC15 ``caseStatus`` values of closed cases (``G``, gesloten); ``O`` is open at
extraction and the single ``T`` case is neither."""


def closed_by_status(
    cases: pd.DataFrame | None,
    column: str = BPIC15_STATUS,
    closed_values: Sequence[str] = BPIC15_CLOSED,
) -> pd.Series | None:
    """Which cases a status column marks closed (``None`` when there is no such column).

    Parameters
    ----------
    cases : DataFrame or None
        Case attributes with ``case_id`` and the status ``column``.
    column : str, default ``"caseStatus"``
        The status column.
    closed_values : sequence of str, default ``("G",)``
        Values meaning closed.

    Returns
    -------
    Series of bool or None
        Indexed by ``case_id`` as strings.
    """
    if cases is None or column not in cases.columns:
        return None
    return pd.Series(
        cases[column].astype("str").isin(list(closed_values)).to_numpy(),
        index=cases["case_id"].astype("str").to_numpy(),
    )


def bpic15_path() -> Path:
    """Path of the bundled BPI Challenge 2015 municipality 1 log (``BPIC15_1.xes.gz``).

    The file ships as package data in ``simhall/data/bpic15/`` (with its README and
    attribution: van Dongen, B.F. (2015) BPI Challenge 2015, 4TU.ResearchData,
    doi:10.4121/uuid:a0addfda-2044-4541-a450-fdcc9fe16d17), so it is found from an installed
    package as well as from a source checkout.

    Returns
    -------
    Path
        The file path.

    Raises
    ------
    FileNotFoundError
        If the data file is not installed.
    """
    resource = resources.files("simhall").joinpath("data", "bpic15", "BPIC15_1.xes.gz")
    path = Path(str(resource))
    if not path.is_file():
        raise FileNotFoundError(f"bundled BPIC15 log not found at {path}")
    return path


def read_bpic15(**kwargs: Any) -> LogReadResult:
    """Read the bundled BPIC15 municipality-1 log with the ``BPIC15`` preset.

    One item, ``building_permit``; acceptance is ``01_HOOFD_010`` (registration of the
    submission date, present in every case); trace attributes ``caseStatus``,
    ``startDate``, ``endDate`` in ``cases``.

    Parameters
    ----------
    **kwargs
        Passed on to :func:`read_event_log` (e.g. ``strict``).

    Returns
    -------
    LogReadResult
        The log.
    """
    kwargs.setdefault("mapping", BPIC15)
    kwargs.setdefault("accept_activity", "01_HOOFD_010")
    return read_event_log(bpic15_path(), **kwargs)
