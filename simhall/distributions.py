"""Probability distributions of durations, as small objects.

A distribution is the answer to "how long does this take?" written down once: the window
clerk's minutes per application, a section's review time, the days an applicant needs to
come back with the missing papers. Each object knows its ``mean``, draws with
``sample(rng, size)`` from a :class:`numpy.random.Generator` it is given (never from global
state) and prints as the constructor call that rebuilds it, in the spirit of Ciw.

Parameters are plain numbers; the *unit* lives in the name of the field that holds the
distribution (``duration`` of a work step is in working minutes, ``days`` of a delay in
working days) and in the scenario keys (``mean_min``, ``mean_days``).

Each class declares its parameters once (:attr:`Distribution.parameters`, a tuple of
:class:`Param`); the scenario reader and writer, ``params()`` and ``repr()`` all read that
declaration, and :func:`from_params` builds a distribution from its scenario-file name
(:data:`DISTRIBUTIONS`).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Param:
    """One parameter of a distribution, as the constructor and scenario files name it.

    Parameters
    ----------
    name : str
        Constructor keyword, and the scenario-file key before its unit suffix (``mean`` is
        written ``mean_min`` or ``mean_days``).
    attr : str
        The attribute holding the value (default: ``name``).
    positive : bool
        The value must be > 0 (otherwise >= 0).
    whole : bool
        The value must be a whole number.
    unitless : bool
        A pure number, written without unit suffix (Weibull's ``shape``).
    many : bool
        A non-empty list of values (Empirical's ``values``).
    at_least : str or None
        The parameter this one may not be smaller than (``high`` of ``low``).
    """

    name: str
    attr: str = ""
    positive: bool = False
    whole: bool = False
    unitless: bool = False
    many: bool = False
    at_least: str | None = None

    def value_of(self, dist: Distribution) -> Any:
        """This parameter's value in ``dist``."""
        return getattr(dist, self.attr or self.name)


class Distribution(ABC):
    """A non-negative random duration.

    Subclasses set ``name`` (the scenario-file name, ``""`` for composites that scenario
    files do not write) and ``parameters``; ``days_only`` marks distributions of whole
    working days, not allowed for minutes.
    """

    name: str = ""
    parameters: ClassVar[tuple[Param, ...]] = ()
    days_only: ClassVar[bool] = False

    @abstractmethod
    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draw ``size`` independent values with ``rng``."""

    @property
    @abstractmethod
    def mean(self) -> float:
        """Expected value."""

    def params(self) -> dict[str, float | list[float]]:
        """Parameters as scenario-file keys without unit suffix (for writing scenarios)."""
        out: dict[str, float | list[float]] = {}
        for param in self.parameters:
            value = param.value_of(self)
            out[param.name] = [float(v) for v in value] if param.many else float(value)
        return out

    def __repr__(self) -> str:
        """The constructor call with keyword arguments, e.g. ``Lognormal(mean=12, sd=6)``."""
        args = ", ".join(f"{p.name}={_fmt_param(p, p.value_of(self))}" for p in self.parameters)
        return f"{type(self).__name__}({args})"


def _fmt(x: float) -> str:
    """``x`` as Python source: integers without ``.0``, floats with full precision."""
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return repr(int(x))
    return repr(x)


def _fmt_param(param: Param, value: Any) -> str:
    """A parameter value as Python source (every value of a list, without abbreviation)."""
    if param.many:
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if param.whole:
        return str(value)
    return _fmt(value)


def _number(cls: str, key: str, value: float, *, positive: bool = False) -> float:
    """``value`` as a finite float that is ``>= 0`` (or ``> 0``), else a clear ValueError."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{cls}: {key} must be a number, got {value!r}") from None
    if not math.isfinite(x):
        raise ValueError(f"{cls}: {key} must be finite, got {value!r}")
    if positive and x <= 0:
        raise ValueError(f"{cls}: {key} must be > 0, got {value!r}")
    if x < 0:
        raise ValueError(f"{cls}: {key} must be >= 0, got {value!r}")
    return x


def _check_order(cls: str, low: float, high: float) -> None:
    if low > high:
        raise ValueError(f"{cls}: low must be <= high, got low={low!r}, high={high!r}")


@dataclass(frozen=True, repr=False)
class Fixed(Distribution):
    """Always ``value``: deterministic durations for exact tests."""

    value: float
    name = "fixed"
    parameters = (Param("value"),)

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _number("Fixed", "value", self.value))

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        return np.full(size, float(self.value))

    @property
    def mean(self) -> float:
        return float(self.value)


@dataclass(frozen=True, repr=False)
class Exponential(Distribution):
    """Memoryless duration with the given mean (the M of M/M/c)."""

    mean_value: float
    name = "exponential"
    parameters = (Param("mean", "mean_value", positive=True),)

    def __init__(self, mean: float) -> None:
        object.__setattr__(self, "mean_value", _number("Exponential", "mean", mean, positive=True))

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        return rng.exponential(self.mean_value, size)

    @property
    def mean(self) -> float:
        return float(self.mean_value)


@dataclass(frozen=True, repr=False)
class Lognormal(Distribution):
    """Right-skewed duration given by its own mean and standard deviation."""

    mean_value: float
    sd: float
    name = "lognormal"
    parameters = (Param("mean", "mean_value", positive=True), Param("sd"))

    def __init__(self, mean: float, sd: float) -> None:
        object.__setattr__(self, "mean_value", _number("Lognormal", "mean", mean, positive=True))
        object.__setattr__(self, "sd", _number("Lognormal", "sd", sd))

    @property
    def _mu_sigma(self) -> tuple[float, float]:
        m, s = float(self.mean_value), float(self.sd)
        sigma2 = math.log1p((s / m) ** 2)
        return math.log(m) - sigma2 / 2.0, math.sqrt(sigma2)

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        mu, sigma = self._mu_sigma
        return rng.lognormal(mu, sigma, size)

    @property
    def mean(self) -> float:
        return float(self.mean_value)


@dataclass(frozen=True, repr=False)
class Gamma(Distribution):
    """Gamma duration given by its mean and standard deviation."""

    mean_value: float
    sd: float
    name = "gamma"
    # scenario files need sd > 0; the constructor also takes the degenerate sd = 0
    parameters = (Param("mean", "mean_value", positive=True), Param("sd", positive=True))

    def __init__(self, mean: float, sd: float) -> None:
        object.__setattr__(self, "mean_value", _number("Gamma", "mean", mean, positive=True))
        object.__setattr__(self, "sd", _number("Gamma", "sd", sd))

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        m, s = float(self.mean_value), float(self.sd)
        if s == 0.0:
            return np.full(size, m)
        shape = (m / s) ** 2
        return rng.gamma(shape, m / shape, size)

    @property
    def mean(self) -> float:
        return float(self.mean_value)


@dataclass(frozen=True, repr=False)
class Weibull(Distribution):
    """Weibull duration with ``shape`` k and ``scale`` lambda (same unit as the draws)."""

    shape: float
    scale: float
    name = "weibull"
    parameters = (Param("shape", positive=True, unitless=True), Param("scale", positive=True))

    def __post_init__(self) -> None:
        object.__setattr__(self, "shape", _number("Weibull", "shape", self.shape, positive=True))
        object.__setattr__(self, "scale", _number("Weibull", "scale", self.scale, positive=True))

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        return self.scale * rng.weibull(self.shape, size)

    @property
    def mean(self) -> float:
        return float(self.scale * math.gamma(1.0 + 1.0 / self.shape))


@dataclass(frozen=True, repr=False)
class Uniform(Distribution):
    """Uniform on ``[low, high]``."""

    low: float
    high: float
    name = "uniform"
    parameters = (Param("low"), Param("high", at_least="low"))

    def __post_init__(self) -> None:
        low = _number("Uniform", "low", self.low)
        high = _number("Uniform", "high", self.high)
        _check_order("Uniform", low, high)
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        return rng.uniform(self.low, self.high, size)

    @property
    def mean(self) -> float:
        return (float(self.low) + float(self.high)) / 2.0


@dataclass(frozen=True, repr=False)
class Triangular(Distribution):
    """Triangular on ``[low, high]`` with peak at ``mode``: a planner's three-point guess."""

    low: float
    mode: float
    high: float
    name = "triangular"
    parameters = (Param("low"), Param("mode", at_least="low"), Param("high", at_least="mode"))

    def __post_init__(self) -> None:
        low = _number("Triangular", "low", self.low)
        mode = _number("Triangular", "mode", self.mode)
        high = _number("Triangular", "high", self.high)
        _check_order("Triangular", low, high)
        if not low <= mode <= high:
            raise ValueError(
                f"Triangular: mode must lie in [low, high], got low={low!r}, mode={mode!r}, "
                f"high={high!r}"
            )
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "high", high)

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        if self.low == self.high:
            return np.full(size, float(self.low))
        return rng.triangular(self.low, self.mode, self.high, size)

    @property
    def mean(self) -> float:
        return (float(self.low) + float(self.mode) + float(self.high)) / 3.0


@dataclass(frozen=True, repr=False)
class UniformInt(Distribution):
    """Whole numbers ``low..high`` inclusive, equally likely (e.g. days until return)."""

    low: int
    high: int
    name = "uniform_int"
    parameters = (Param("low", whole=True), Param("high", whole=True, at_least="low"))
    days_only = True

    def __post_init__(self) -> None:
        bounds = []
        for key, value in (("low", self.low), ("high", self.high)):
            x = _number("UniformInt", key, value)
            if not x.is_integer():
                raise ValueError(f"UniformInt: {key} must be a whole number, got {value!r}")
            bounds.append(int(x))
        _check_order("UniformInt", bounds[0], bounds[1])
        object.__setattr__(self, "low", bounds[0])
        object.__setattr__(self, "high", bounds[1])

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        return rng.integers(self.low, self.high + 1, size).astype(np.float64)

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2.0


@dataclass(frozen=True, repr=False)
class Empirical(Distribution):
    """Resampling of observed values (each equally likely)."""

    values: tuple[float, ...]
    name = "empirical"
    parameters = (Param("values", many=True),)

    def __init__(self, values: Sequence[float]) -> None:
        checked = tuple(_number("Empirical", f"values[{i}]", v) for i, v in enumerate(values))
        if not checked:
            raise ValueError("Empirical: values must not be empty")
        object.__setattr__(self, "values", checked)

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        return rng.choice(np.asarray(self.values, dtype=np.float64), size)

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))


# Composite distributions, built by reforms (a step made faster, window time growing with
# form fields, merged steps); they are not written to scenario files.


@dataclass(frozen=True, repr=False)
class Scaled(Distribution):
    """``factor`` times another distribution (a step made faster or slower)."""

    base: Distribution
    factor: float
    name = ""

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        return np.asarray(self.base.sample(rng, size), dtype=np.float64) * self.factor

    @property
    def mean(self) -> float:
        return self.base.mean * self.factor

    def __repr__(self) -> str:
        return f"Scaled({self.base!r}, factor={self.factor!r})"


@dataclass(frozen=True, repr=False)
class Shifted(Distribution):
    """Another distribution plus a constant (window minutes growing with form fields)."""

    base: Distribution
    shift: float
    name = ""

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        return np.asarray(self.base.sample(rng, size), dtype=np.float64) + self.shift

    @property
    def mean(self) -> float:
        return self.base.mean + self.shift

    def __repr__(self) -> str:
        return f"Shifted({self.base!r}, shift={self.shift!r})"


@dataclass(frozen=True, repr=False)
class Summed(Distribution):
    """The sum of independent draws of several distributions (merged steps)."""

    parts: tuple[Distribution, ...]
    name = ""

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        total = np.zeros(size, dtype=np.float64)
        for part in self.parts:
            total += np.asarray(part.sample(rng, size), dtype=np.float64)
        return total

    @property
    def mean(self) -> float:
        return float(sum(p.mean for p in self.parts))

    def __repr__(self) -> str:
        return f"Summed(parts=({''.join(repr(p) + ', ' for p in self.parts).rstrip()}))"


DISTRIBUTIONS: dict[str, type[Distribution]] = {
    cls.name: cls
    for cls in (
        Fixed,
        Exponential,
        Lognormal,
        Gamma,
        Weibull,
        Uniform,
        Triangular,
        UniformInt,
        Empirical,
    )
}
"""Distribution classes by the name used in scenario files (``dist = "lognormal"``)."""


def from_params(name: str, params: Mapping[str, Any]) -> Distribution:
    """The distribution called ``name`` in scenario files, built from its parameters.

    Parameters
    ----------
    name : str
        A key of :data:`DISTRIBUTIONS`, e.g. ``"lognormal"``.
    params : mapping
        Values by :class:`Param` name, without unit suffix (``{"mean": 12, "sd": 6}``), as
        :meth:`Distribution.params` returns them.

    Returns
    -------
    Distribution
        ``from_params(d.name, d.params()) == d`` for every distribution ``d`` with a name.

    Raises
    ------
    ValueError
        For an unknown name, or parameters the constructor rejects.
    """
    cls = DISTRIBUTIONS.get(name)
    if cls is None:
        known = ", ".join(DISTRIBUTIONS)
        raise ValueError(f"unknown distribution {name!r}; expected one of: {known}")
    return cls(**params)
