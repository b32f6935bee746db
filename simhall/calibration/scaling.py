"""A fitted distribution made longer or shorter by a factor, still writable to a scenario.

Like stretching a ruler: every length it measures is multiplied, its shape stays. The
self-check (:mod:`~simhall.calibration.selfcheck`) corrects a delay whose simulated days
fall short of the log's by scaling its fitted distribution; the result must be a plain
distribution of :mod:`simhall.distributions` (a scenario file cannot hold
:class:`~simhall.distributions.Scaled`), so each family is scaled through its own
parameters: every parameter with a unit is multiplied, unitless ones (a Weibull's shape)
are kept. Whole-day uniforms become the empirical distribution of their scaled days.
"""

from __future__ import annotations

import numpy as np

from simhall.distributions import Distribution, Empirical, UniformInt

__all__ = ["scale_distribution"]


def scale_distribution(dist: Distribution, factor: float) -> Distribution:
    """``dist`` with every value multiplied by ``factor`` (> 0), of the same family where
    the family allows it.

    Parameters
    ----------
    dist : Distribution
        A fitted distribution (not a composite one).
    factor : float
        The scale, > 0.

    Returns
    -------
    Distribution
        Same family with scaled parameters (mean times ``factor``); a
        :class:`~simhall.distributions.UniformInt` becomes an
        :class:`~simhall.distributions.Empirical` of its scaled whole values.

    Raises
    ------
    ValueError
        A factor <= 0, or a distribution without parameters (a composite).
    """
    if not factor > 0:
        raise ValueError(f"factor = {factor}: expected a number > 0")
    if isinstance(dist, UniformInt):
        values = np.arange(int(dist.low), int(dist.high) + 1, dtype=np.float64) * factor
        return Empirical(values.tolist())
    if not dist.parameters:
        raise ValueError(f"{dist!r}: only a distribution with parameters can be scaled")
    kw = {}
    for p in dist.parameters:
        value = p.value_of(dist)
        if p.unitless:
            kw[p.name] = value
        elif p.many:
            kw[p.name] = [float(v) * factor for v in value]
        else:
            kw[p.name] = float(value) * factor
    if isinstance(dist, Empirical):
        return Empirical(kw["values"])
    return type(dist)(**kw)
