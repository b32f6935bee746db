"""Closure: which cases were closed when the log was extracted, and which rule said so.

An archivist sorting a registry's folders after the export knows a folder is finished in two
ways: its last sheet is one that ends a file (the decision, the pickup slip), or nobody has
touched it for longer than any file waits between two steps, or for longer than the item's
whole committed limit. Real logs need both: cases end in several ways (a decision is the
last step of the files collected by post and not of those picked up at the window), so the
last-step test alone leaves most finished cases "open"; and a case caught in the middle of a
long step has been idle for a while, so idle time alone closes it too early.

This module holds the verdicts: :class:`ClosedRule` (``both``, the default, ``terminal``,
``idle``, or a status column), :class:`Closure` (for every case, closed or open and which
rule decided it, summed up for the report by :meth:`Closure.note`) and
:func:`closed_from_values` (a status column read per case). The rules themselves are
:mod:`simhall.validation.closure_rules`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeAlias

import pandas as pd

__all__ = ["CLOSING", "RULES", "ClosedRule", "ClosedSpec", "Closure", "closed_from_values"]

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
