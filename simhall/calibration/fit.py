"""Fitting service and processing times: which distribution describes the clerk's minutes.

A hall manager who times fifty acceptances with a stopwatch sees a heap of short ones and a
long tail of awkward files. :func:`fit_duration` tries a few standard shapes for that heap
(lognormal, gamma, Weibull, exponential), each fitted by maximum likelihood, and ranks them by
the Akaike information criterion ``AIC = 2k - 2 log L`` (``k`` fitted parameters).

A shape is only accepted when it also reproduces what the simulation adds up: the **moment
check** (:data:`SELECTION_RULE`) requires the fitted mean within :data:`MEAN_TOL` (20%) of
the sample mean and the fitted 90th percentile within a factor :data:`P90_FACTOR` (1.5) of
the sample's. Maximum likelihood on completion gaps with many near-zero values can give a
lognormal whose mean is 25 times the sample mean: it wins on AIC (it explains the small
values) and ruins every simulated sum. The lowest-AIC candidate that passes is chosen; when
none passes, a moment-matched gamma (sample mean and sd), then a moment-matched lognormal,
each subject to the same P90 check, then the empirical distribution. When the sample is large
(``n >= EMPIRICAL_MIN_N``) and even the chosen shape is rejected by a Kolmogorov-Smirnov test
at the 1% level, the observed values themselves are used: with that many observations the
data beat any textbook curve. Samples with at least :data:`ZERO_SHARE` (10%) of zeros
(completions with the same timestamp) have an atom at zero no positive shape can represent:
they go straight to the empirical distribution, which keeps the zeros. Nearly constant
samples become ``fixed``.

An empirical distribution resamples the sample itself when ``n <= EMPIRICAL_POINTS``, else
the means of :data:`EMPIRICAL_POINTS` equal-count groups of the sorted sample, which keeps
the sample mean (percentiles would give the single largest value 1% of the weight).

Day-valued delays (inspections, public notices) add ``uniform`` to the candidates and
whole-day samples become ``uniform_int`` or ``empirical``.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

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

__all__ = [
    "EMPIRICAL_MIN_N",
    "MAX_FIT_N",
    "MEAN_TOL",
    "P90_FACTOR",
    "SELECTION_RULE",
    "ZERO_SHARE",
    "FitResult",
    "fit_days",
    "fit_duration",
    "fit_whole_days",
]

EMPIRICAL_MIN_N = 500
"""Smallest sample for which the empirical distribution may replace a rejected fit."""
MAX_FIT_N = 4000
"""Larger samples are subsampled (seeded) for maximum-likelihood fits and KS tests."""
KS_ALPHA = 0.01
"""Level of the Kolmogorov-Smirnov test."""
EMPIRICAL_POINTS = 101
"""Values kept for an empirical distribution (group means of the sorted sample)."""
MEAN_TOL = 0.2
"""Moment check: the fitted mean must lie within this share of the sample mean."""
P90_FACTOR = 1.5
"""Moment check: the fitted P90 must lie within this factor of the sample P90."""
DAYS_MEAN_TOL = 0.05
"""Delays in working days: a fitted mean further than this share from the sample mean is
replaced by the empirical distribution (a day lost per step adds up along a route)."""
ZERO_SHARE = 0.1
"""Samples with at least this share of zeros are represented by their empirical distribution."""
SELECTION_RULE = (
    f"lowest AIC among the candidates whose mean is within {100 * MEAN_TOL:.0f}% of the sample "
    f"mean and whose P90 is within a factor {P90_FACTOR:g} of the sample P90; if none passes, "
    "a moment-matched gamma, then a moment-matched lognormal (same P90 check), else empirical; "
    f"empirical also when >= {100 * ZERO_SHARE:.0f}% of the values are 0, or when n >= "
    f"{EMPIRICAL_MIN_N} and a KS test rejects the choice at {KS_ALPHA:g}"
)
"""The distribution choice in words (scenario header, report)."""


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
    p90, fitted_p90 : float
        90th percentile of the sample and of the chosen distribution.
    zero_share : float
        Share of the values that are 0.
    """

    dist: Distribution
    n: int
    mean: float
    sd: float
    aic: float = math.nan
    ks_p: float = math.nan
    criterion: str = ""
    candidates: dict[str, float] = field(default_factory=dict)
    p90: float = math.nan
    fitted_p90: float = math.nan
    zero_share: float = 0.0


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
    """The sample itself (n <= EMPIRICAL_POINTS) or the means of equal-count sorted groups."""
    xs = np.sort(np.asarray(x, dtype=np.float64))
    n = len(xs)
    if n <= EMPIRICAL_POINTS:
        values = xs
    else:
        # group k averages the sorted sample over ranks [k n / m, (k + 1) n / m), splitting a
        # value between neighbouring groups where needed: every group has the same weight
        # n / m, so the values' mean is the sample mean exactly
        cum = np.concatenate([[0.0], np.cumsum(xs)])
        t = np.linspace(0.0, n, EMPIRICAL_POINTS + 1)
        k = np.minimum(np.floor(t).astype(np.int64), n - 1)
        s_t = cum[k] + (t - k) * xs[k]
        values = np.diff(s_t) * EMPIRICAL_POINTS / n
    return Empirical([round(float(v), 4) for v in values])


def _p90(frozen: object) -> float:
    return float(frozen.ppf(0.9))  # type: ignore[attr-defined]


def _check(fmean: float, fp90: float, mean: float, p90: float) -> str:
    """Empty when the moment check passes, else why not."""
    if not (math.isfinite(fmean) and abs(fmean - mean) <= MEAN_TOL * mean):
        return f"mean {fmean:.4g} vs sample {mean:.4g}"
    if p90 > 0 and not (math.isfinite(fp90) and p90 / P90_FACTOR <= fp90 <= p90 * P90_FACTOR):
        return f"P90 {fp90:.4g} vs sample {p90:.4g}"
    return ""


def _moment_matched(mean: float, sd: float) -> list[tuple[str, Distribution, object]]:
    cv2 = (sd / mean) ** 2
    a = 1.0 / cv2
    sigma = math.sqrt(math.log1p(cv2))
    return [
        ("gamma", Gamma(mean, sd), stats.gamma(a, scale=mean / a)),
        (
            "lognormal",
            Lognormal(mean, sd),
            stats.lognorm(s=sigma, scale=math.exp(math.log(mean) - sigma * sigma / 2)),
        ),
    ]


def fit_duration(
    values: np.ndarray,
    *,
    rng: np.random.Generator | None = None,
    with_uniform: bool = False,
    allow_empirical: bool = True,
) -> FitResult:
    """Fit a non-negative duration sample and choose a distribution (:data:`SELECTION_RULE`).

    Parameters
    ----------
    values : numpy.ndarray
        Durations (minutes or working days); non-finite values are ignored, negative values
        count as 0. For the maximum-likelihood fits values <= 0 are raised to a small
        positive floor (0.1% of the mean) so that log-likelihoods exist; the moment check
        and the empirical distribution use the values themselves.
    rng : numpy.random.Generator, optional
        For subsampling samples larger than :data:`MAX_FIT_N` (default seed 0).
    with_uniform : bool, default False
        Also try ``uniform`` (used for delays in working days).
    allow_empirical : bool, default True
        Allow the empirical choice (else the moment-matched gamma is the last resort).

    Returns
    -------
    FitResult
        The choice with n, mean, sd, P90s, AIC and KS p-value.

    Raises
    ------
    ValueError
        If no finite value is left.
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    x = np.asarray(values, dtype=np.float64)
    x = np.maximum(x[np.isfinite(x)], 0.0)
    if len(x) == 0:
        raise ValueError("fit_duration: no finite values")
    n = len(x)
    mean, sd = float(x.mean()), float(x.std(ddof=1)) if n > 1 else 0.0
    p90 = float(np.quantile(x, 0.9))
    zero = float(np.mean(x <= 0.0))
    if mean <= 0 or sd <= 1e-3 * max(mean, 1e-9) or n < 3:
        value = round(float(np.median(x)), 4)
        return FitResult(
            Fixed(max(value, 0.0)),
            n,
            mean,
            sd,
            criterion="nearly constant: fixed",
            p90=p90,
            fitted_p90=value,
            zero_share=zero,
        )

    def result(dist: Distribution, fp90: float, criterion: str, **kw: Any) -> FitResult:
        return FitResult(
            dist, n, mean, sd, criterion=criterion, p90=p90, fitted_p90=fp90, zero_share=zero, **kw
        )

    def empirical(why: str, **kw: Any) -> FitResult:
        emp = _empirical(x)
        return result(emp, float(np.quantile(emp.values, 0.9)), f"empirical: {why}", **kw)

    if allow_empirical and zero >= ZERO_SHARE:
        return empirical(
            f"{100 * zero:.0f}% of the values are 0 (same-timestamp completions), an atom at "
            "zero no positive shape has"
        )
    xf = np.maximum(x, 1e-3 * mean)
    xs = _subsample(xf, rng)
    fits = _candidates(xs, with_uniform)
    aics = {k: 2 * _N_PARAMS[k] - 2 * ll for k, (_, ll, _) in fits.items()}
    rejected: list[str] = []
    for name in sorted(aics, key=lambda k: aics[k]):
        dist, _, frozen = fits[name]
        fp90 = _p90(frozen)
        why = _check(dist.mean, fp90, mean, p90)
        if why:
            rejected.append(f"{name} ({why})")
            continue
        ks_p = float(stats.kstest(xs, frozen.cdf).pvalue)  # type: ignore[attr-defined]
        note = f"; failed the moment check: {', '.join(rejected)}" if rejected else ""
        if allow_empirical and n >= EMPIRICAL_MIN_N and ks_p < KS_ALPHA:
            return empirical(
                f"{name} (lowest AIC passing the moment check) rejected by KS (p = {ks_p:.3g} "
                f"< {KS_ALPHA}) with n = {n} >= {EMPIRICAL_MIN_N}{note}",
                aic=aics[name],
                ks_p=ks_p,
                candidates=aics,
            )
        return result(
            dist,
            fp90,
            f"lowest AIC passing the moment check: {name}{note}",
            aic=aics[name],
            ks_p=ks_p,
            candidates=aics,
        )
    failed = f"no ML fit passed the moment check ({', '.join(rejected) or 'none converged'})"
    for name, dist, frozen in _moment_matched(mean, sd):
        fp90 = _p90(frozen)
        why = _check(dist.mean, fp90, mean, p90)
        if not why or not allow_empirical:
            ks_p = float(stats.kstest(xs, frozen.cdf).pvalue)  # type: ignore[attr-defined]
            return result(
                dist, fp90, f"moment-matched {name}: {failed}", ks_p=ks_p, candidates=aics
            )
        rejected.append(f"moment-matched {name} ({why})")
    return empirical(
        f"neither ML fits nor moment-matched shapes passed the moment check "
        f"({', '.join(rejected)})",
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


def fit_days(values: np.ndarray, rng: np.random.Generator) -> FitResult:
    """Fit a delay in working days: whole-day samples as whole days, else continuous.

    The whole-day choice (:func:`fit_whole_days`, when at least 90% of the values are
    whole days) must pass the same mean check as :func:`fit_duration` (within
    :data:`MEAN_TOL` of the sample mean); otherwise (rounding, trimmed tails) the continuous
    choice is used, with ``uniform`` among the candidates, and replaced by the empirical
    distribution when its mean is more than :data:`DAYS_MEAN_TOL` from the sample's.

    Parameters
    ----------
    values : numpy.ndarray
        Working days (finite).
    rng : numpy.random.Generator
        For subsampling (see :func:`fit_duration`).

    Returns
    -------
    FitResult
    """
    whole = np.abs(values - np.round(values)) <= 0.02
    mean = float(np.mean(values)) if len(values) else 0.0
    if whole.mean() >= 0.9:
        fr = fit_whole_days(np.round(values))
        if abs(fr.dist.mean - mean) <= MEAN_TOL * mean or mean <= 0:
            return fr
    fr = fit_duration(values, rng=rng, with_uniform=True)
    if mean > 0 and abs(fr.dist.mean - mean) > DAYS_MEAN_TOL * mean:
        emp = _empirical(np.maximum(values[np.isfinite(values)], 0.0))
        return dataclasses.replace(
            fr,
            dist=emp,
            fitted_p90=float(np.quantile(emp.values, 0.9)),
            criterion=(
                f"empirical: the choice ({fr.criterion}) had mean {fr.dist.mean:.3g}, more than "
                f"{100 * DAYS_MEAN_TOL:.0f}% from the sample's {mean:.3g} (working days add up "
                "along a route)"
            ),
        )
    return fr
