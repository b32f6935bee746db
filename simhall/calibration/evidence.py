"""Evidence: what a calibration stage assumed, noted, left out and fitted.

Every stage of the calibration pipeline keeps a lab notebook beside its numbers, the way a
surveyor writes "hedge, not measured, assumed 2 m" in the margin of the plan: the
assumptions it had to make, notes on how a number was found, the rows of the log it did not
use (and why), and one row per fitted distribution. A stage returns its page as an
:class:`Evidence`; the pipeline adds the pages up in stage order
(:meth:`Evidence.merge`), and the scenario header and the report print them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import pandas as pd

from simhall.calibration.fit import FitResult
from simhall.distributions import Distribution

__all__ = [
    "DROPPED_COLUMNS",
    "FIT_COLUMNS",
    "Dropped",
    "Evidence",
    "FitRow",
    "fit_row",
    "params_text",
]

DROPPED_COLUMNS: tuple[str, ...] = ("check", "events", "cases", "action", "detail")
"""Columns of :attr:`Calibration.dropped <simhall.calibration.result.Calibration.dropped>`."""

FIT_COLUMNS: tuple[str, ...] = (
    "scope",
    "item_id",
    "step",
    "unit",
    "n",
    "dist",
    "params",
    "mean",
    "sd",
    "fitted_mean",
    "p90",
    "fitted_p90",
    "zero_share",
    "aic",
    "ks_p",
    "criterion",
    "pooled",
)
"""Columns of :attr:`Calibration.fits <simhall.calibration.result.Calibration.fits>`."""


class Dropped(NamedTuple):
    """Log rows a stage did not use (or flagged), and what it did with them."""

    check: str
    events: int
    cases: int
    action: str
    detail: str


class FitRow(NamedTuple):
    """One fitted distribution, as a row of the fits table (see :data:`FIT_COLUMNS`)."""

    scope: str
    item_id: str
    step: str
    unit: str
    n: int
    dist: str
    params: str
    mean: float
    sd: float
    fitted_mean: float
    p90: float
    fitted_p90: float
    zero_share: float
    aic: float
    ks_p: float
    criterion: str
    pooled: str


def params_text(dist: Distribution) -> str:
    """``"mean=15, sd=8"``: a distribution's parameters, lists by their length."""
    parts = []
    for k, v in dist.params().items():
        if isinstance(v, list):
            parts.append(f"{k}=[{len(v)} values]")
        else:
            parts.append(f"{k}={v:.4g}")
    return ", ".join(parts)


def fit_row(scope: str, item: str, step: str, unit: str, fr: FitResult, pooled: str) -> FitRow:
    """The fits-table row of one fit.

    Parameters
    ----------
    scope : {"item", "department"}
        Fitted on one item's data or on its department's pooled data.
    item : str
        Item id (empty for department scope).
    step : str
        What was fitted (``window_service``, ``return_delay``, a step name).
    unit : {"min", "days"}
        Unit of the data.
    fr : FitResult
        The fit.
    pooled : str
        How the data were pooled (empty if not).
    """
    return FitRow(
        scope=scope,
        item_id=item,
        step=step,
        unit=unit,
        n=fr.n,
        dist=fr.dist.name,
        params=params_text(fr.dist),
        mean=fr.mean,
        sd=fr.sd,
        fitted_mean=fr.dist.mean,
        p90=fr.p90,
        fitted_p90=fr.fitted_p90,
        zero_share=fr.zero_share,
        aic=fr.aic,
        ks_p=fr.ks_p,
        criterion=fr.criterion,
        pooled=pooled,
    )


@dataclass(frozen=True)
class Evidence:
    """A stage's page of the lab notebook.

    Attributes
    ----------
    assumptions : tuple of str
        What the stage had to assume (scenario header and report).
    notes : tuple of str
        How its numbers were made (report).
    dropped : tuple of Dropped
        Rows it did not use or flagged.
    fits : tuple of FitRow
        Distributions it fitted.
    """

    assumptions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    dropped: tuple[Dropped, ...] = ()
    fits: tuple[FitRow, ...] = ()

    def __add__(self, other: Evidence) -> Evidence:
        return Evidence(
            self.assumptions + other.assumptions,
            self.notes + other.notes,
            self.dropped + other.dropped,
            self.fits + other.fits,
        )

    @staticmethod
    def merge(pages: Iterable[Evidence]) -> Evidence:
        """All pages in order, one after the other."""
        total = Evidence()
        for page in pages:
            total = total + page
        return total

    @staticmethod
    def from_reader(issues: pd.DataFrame | None, notes: Iterable[str] | None) -> Evidence:
        """The log reader's issues (as dropped rows) and notes (as assumptions).

        Parameters
        ----------
        issues : DataFrame, optional
            ``check, count, action, detail`` from :func:`simhall.logs.read_event_log`.
        notes : iterable of str, optional
            The reader's notes.
        """
        dropped = []
        if issues is not None and len(issues):
            for r in issues.itertuples(index=False):
                dropped.append(
                    Dropped(
                        f"read: {getattr(r, 'check', '?')}",
                        int(getattr(r, "count", 0)),
                        0,
                        str(getattr(r, "action", "")),
                        str(getattr(r, "detail", "")),
                    )
                )
        return Evidence(assumptions=tuple(notes or ()), dropped=tuple(dropped))

    def unique_assumptions(self) -> tuple[str, ...]:
        """The assumptions, each once, in the order first made."""
        return tuple(dict.fromkeys(self.assumptions))

    def dropped_table(self) -> pd.DataFrame:
        """The dropped rows as a DataFrame with :data:`DROPPED_COLUMNS`."""
        rows: list[dict[str, Any]] = [r._asdict() for r in self.dropped]
        return pd.DataFrame(rows, columns=list(DROPPED_COLUMNS))

    def fit_table(self) -> pd.DataFrame:
        """The fit rows as a DataFrame with :data:`FIT_COLUMNS`."""
        rows: list[dict[str, Any]] = [r._asdict() for r in self.fits]
        return pd.DataFrame(rows, columns=list(FIT_COLUMNS))
