"""Fitting service and processing times: which distribution describes the clerk's minutes.

A hall manager who times fifty acceptances with a stopwatch sees a heap of short ones and a
long tail of awkward files. :func:`fit_duration` tries a few standard shapes for that heap
(lognormal, gamma, Weibull, exponential), each fitted by maximum likelihood, and keeps the
one with the smallest Akaike information criterion ``AIC = 2k - 2 log L`` (``k`` fitted
parameters). When the sample is large (``n >= EMPIRICAL_MIN_N``) and even the best shape is
rejected by a Kolmogorov-Smirnov test at the 5% level, the observed values themselves
(their percentiles) are used instead: with that many observations the data beat any
textbook curve. Nearly constant samples become ``fixed``.

Day-valued delays (inspections, public notices) add ``uniform`` to the candidates and
whole-day samples become ``uniform_int`` or ``empirical``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from simhall.distributions import (
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Uniform,
    UniformInt,
    Weibull,
)

__all__ = ["EMPIRICAL_MIN_N", "MAX_FIT_N", "FitResult", "fit_duration", "fit_whole_days"]

EMPIRICAL_MIN_N = 500
"""Smallest sample for which the empirical distribution may replace a rejected fit."""
MAX_FIT_N = 4000
"""Larger samples are subsampled (seeded) for maximum-likelihood fits and KS tests."""
KS_ALPHA = 0.01
"""Level of the Kolmogorov-Smirnov test."""
EMPIRICAL_POINTS = 101
"""Percentiles kept for an empirical distribution (0, 1, ..., 100)."""


@dataclass(frozen=True)
class FitResult:
    """A fitted distribution and the evidence for it.

    Parameters
    ----------
    dist : Distribution
        The chosen distribution (in the unit of the data).
    n : int
        Sample size.
    mean, sd : float
        Sample mean and standard deviation.
    aic : float
        AIC of the chosen parametric candidate (NaN for fixed/empirical/whole-day choices).
    ks_p : float
        KS-test p-value of the chosen candidate (NaN when not applicable).
    criterion : str
        Why it was chosen, in words.
    candidates : dict
        AIC of every candidate that could be fitted.
    """

    dist: Distribution
    n: int
    mean: float
    sd: float
    aic: float = math.nan
    ks_p: float = math.nan
    criterion: str = ""
    candidates: dict[str, float] = field(default_factory=dict)


def _subsample(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    if len(x) <= MAX_FIT_N:
        return x
    return rng.choice(x, MAX_FIT_N, replace=False)


def _candidates(x: np.ndarray, with_uniform: bool) -> dict[str, tuple[Distribution, float, object]]:
    """Fit every candidate by maximum likelihood: name -> (dist, log-likelihood, scipy frozen)."""
    out: dict[str, tuple[Distribution, float, object]] = {}
    logx = np.log(x)
    mu, sigma = float(logx.mean()), float(logx.std())
    if sigma > 0:
        frozen = stats.lognorm(s=sigma, scale=math.exp(mu))
        mean = math.exp(mu + sigma * sigma / 2)
        sd = mean * math.sqrt(math.expm1(sigma * sigma))
        out["lognormal"] = (Lognormal(mean, sd), float(frozen.logpdf(x).sum()), frozen)
    m = float(x.mean())
    frozen = stats.expon(scale=m)
    out["exponential"] = (Exponential(m), float(frozen.logpdf(x).sum()), frozen)
    try:
        a, _, scale = stats.gamma.fit(x, floc=0)
        if np.isfinite(a) and a > 0 and scale > 0:
            frozen = stats.gamma(a, scale=scale)
            out["gamma"] = (
                Gamma(a * scale, math.sqrt(a) * scale),
                float(frozen.logpdf(x).sum()),
                frozen,
            )
    except (ValueError, RuntimeError, FloatingPointError):
        pass
    try:
        c, _, scale = stats.weibull_min.fit(x, floc=0)
        if np.isfinite(c) and c > 0 and scale > 0:
            frozen = stats.weibull_min(c, scale=scale)
            out["weibull"] = (
                Weibull(float(c), float(scale)),
                float(frozen.logpdf(x).sum()),
                frozen,
            )
    except (ValueError, RuntimeError, FloatingPointError):
        pass
    if with_uniform:
        lo, hi = float(x.min()), float(x.max())
        if hi > lo:
            frozen = stats.uniform(loc=lo, scale=hi - lo)
            out["uniform"] = (Uniform(lo, hi), -len(x) * math.log(hi - lo), frozen)
    return {k: v for k, v in out.items() if math.isfinite(v[1])}


_N_PARAMS = {"lognormal": 2, "gamma": 2, "weibull": 2, "exponential": 1, "uniform": 2}


def _empirical(x: np.ndarray) -> Empirical:
    q = np.percentile(x, np.linspace(0, 100, EMPIRICAL_POINTS))
    return Empirical([round(float(v), 4) for v in q])


def fit_duration(
    values: np.ndarray,
    *,
    rng: np.random.Generator | None = None,
    with_uniform: bool = False,
    allow_empirical: bool = True,
) -> FitResult:
    """Fit a positive duration sample and choose a distribution by AIC.

    Parameters
    ----------
    values : numpy.ndarray
        Durations (minutes or working days); non-finite values are ignored, values <= 0 are
        raised to a small positive floor (0.1% of the mean) so that log-likelihoods exist.
    rng : numpy.random.Generator, optional
        For subsampling samples larger than :data:`MAX_FIT_N` (default seed 0).
    with_uniform : bool, default False
        Also try ``uniform`` (used for delays in working days).
    allow_empirical : bool, default True
        Allow the empirical choice for large samples rejected by the KS test.

    Returns
    -------
    FitResult
        The choice with n, mean, sd, AIC and KS p-value.

    Raises
    ------
    ValueError
        If no finite value is left.
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    if len(x) == 0:
        raise ValueError("fit_duration: no finite values")
    n = len(x)
    mean, sd = float(x.mean()), float(x.std(ddof=1)) if n > 1 else 0.0
    if mean <= 0 or sd <= 1e-3 * max(mean, 1e-9) or n < 3:
        value = round(float(np.median(x)), 4)
        return FitResult(Fixed(max(value, 0.0)), n, mean, sd, criterion="nearly constant: fixed")
    x = np.maximum(x, 1e-3 * mean)
    xs = _subsample(x, rng)
    fits = _candidates(xs, with_uniform)
    if not fits:
        return FitResult(Exponential(mean), n, mean, sd, criterion="no fit converged: exponential")
    aics = {k: 2 * _N_PARAMS[k] - 2 * ll for k, (_, ll, _) in fits.items()}
    best = min(aics, key=lambda k: aics[k])
    dist, _, frozen = fits[best]
    ks_p = float(stats.kstest(xs, frozen.cdf).pvalue)  # type: ignore[attr-defined]
    if allow_empirical and n >= EMPIRICAL_MIN_N and ks_p < KS_ALPHA:
        return FitResult(
            _empirical(x),
            n,
            mean,
            sd,
            aic=aics[best],
            ks_p=ks_p,
            criterion=(
                f"empirical: best AIC candidate {best} rejected by KS (p = {ks_p:.3g} < "
                f"{KS_ALPHA}) with n = {n} >= {EMPIRICAL_MIN_N}"
            ),
            candidates=aics,
        )
    return FitResult(
        dist,
        n,
        mean,
        sd,
        aic=aics[best],
        ks_p=ks_p,
        criterion=f"lowest AIC: {best}",
        candidates=aics,
    )


def fit_whole_days(values: np.ndarray) -> FitResult:
    """Fit a sample of whole working days (the applicant's return delay).

    ``uniform_int`` from the smallest to the largest value when a chi-square test does not
    reject equal frequencies at the 1% level, else ``empirical`` of the observed values
    (their percentiles, so frequencies are kept).

    Parameters
    ----------
    values : numpy.ndarray
        Whole days (rounded if not).

    Returns
    -------
    FitResult
        The choice, with the chi-square p-value in ``ks_p``.

    Raises
    ------
    ValueError
        If no finite value is left.
    """
    x = np.asarray(values, dtype=np.float64)
    x = np.round(x[np.isfinite(x)])
    if len(x) == 0:
        raise ValueError("fit_whole_days: no finite values")
    n = len(x)
    mean, sd = float(x.mean()), float(x.std(ddof=1)) if n > 1 else 0.0
    lo = int(np.quantile(x, 0.005, method="inverted_cdf"))
    hi = int(np.quantile(x, 0.995, method="inverted_cdf"))
    if lo == hi:
        return FitResult(Fixed(float(lo)), n, mean, sd, criterion="constant: fixed")
    core = x[(x >= lo) & (x <= hi)]
    counts = np.bincount((core - lo).astype(np.int64), minlength=hi - lo + 1)
    p = float(stats.chisquare(counts).pvalue)
    trimmed = n - len(core)
    note = f"; {trimmed} value(s) outside the central 99% left out" if trimmed else ""
    if p >= 0.01:
        return FitResult(
            UniformInt(lo, hi),
            n,
            mean,
            sd,
            ks_p=p,
            criterion=(
                f"uniform_int: equal frequencies not rejected (chi-square p = {p:.3g}){note}"
            ),
        )
    q = np.quantile(x, np.linspace(0, 1, EMPIRICAL_POINTS), method="inverted_cdf")
    return FitResult(
        Empirical([float(v) for v in q]),
        n,
        mean,
        sd,
        ks_p=p,
        criterion=f"empirical: frequencies not equal (chi-square p = {p:.3g})",
    )
