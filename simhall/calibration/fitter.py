"""The one place a calibration's distributions are fitted, in a fixed order.

Large samples are subsampled before maximum-likelihood fitting
(:data:`~simhall.calibration.fit.MAX_FIT_N`), so the fits of one calibration share one
random stream and their results depend on the order they are made in, like the numbered
pages of a lab notebook. A :class:`Fitter` owns that stream; the item stages ask it for
fits in catalogue order. It also keeps the department-pooled fits, each made the first time
an item with too few observations of its own asks for it and reused after that.
"""

from __future__ import annotations

import numpy as np

from simhall.calibration.evidence import FitRow, fit_row
from simhall.calibration.fit import FitResult, fit_days, fit_duration

__all__ = ["Fitter"]


class Fitter:
    """Fits durations from one subsampling stream; pooled fits once each.

    Parameters
    ----------
    rng : numpy.random.Generator
        The stream for subsampling large samples.
    """

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._pooled: dict[tuple[object, ...], FitResult | None] = {}

    def duration(self, values: np.ndarray) -> FitResult:
        """:func:`~simhall.calibration.fit.fit_duration` of ``values`` (minutes)."""
        return fit_duration(values, rng=self._rng)

    def days(self, values: np.ndarray) -> FitResult:
        """:func:`~simhall.calibration.fit.fit_days` of ``values`` (working days)."""
        return fit_days(values, self._rng)

    def __contains__(self, key: tuple[object, ...]) -> bool:
        """Whether the pooled fit of ``key`` has been made."""
        return key in self._pooled

    def pooled(
        self, key: tuple[object, ...], values: np.ndarray, label: str
    ) -> tuple[FitResult | None, tuple[FitRow, ...]]:
        """The pooled fit of ``key``, made from ``values`` the first time it is asked for.

        Parameters
        ----------
        key : tuple
            What was pooled (e.g. ``("window", department code)``).
        values : numpy.ndarray
            The pooled sample in minutes (used the first time only; empty: no fit).
        label : str
            Step name of the fits-table row.

        Returns
        -------
        fit : FitResult or None
            ``None`` when the pooled sample was empty.
        rows : tuple of FitRow
            The department's fits-table row, the first time only.
        """
        if key in self._pooled:
            return self._pooled[key], ()
        fr = self.duration(values) if len(values) else None
        self._pooled[key] = fr
        rows = (fit_row("department", "", label, "min", fr, ""),) if fr is not None else ()
        return fr, rows
