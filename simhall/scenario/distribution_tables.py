"""Distributions as scenario files write them: ``{ dist = "lognormal", mean_min = 12 }``.

A distribution table names a distribution of :data:`simhall.distributions.DISTRIBUTIONS`
and gives its parameters with the unit of the field that holds it as suffix: ``mean_min``
in a work step's ``duration`` (working minutes), ``mean_days`` in a delay's ``days``
(working days). Pure numbers such as Weibull's ``shape`` carry no suffix. Which parameters
a distribution has, and which must be positive, whole or in order, is declared once on its
class (:class:`~simhall.distributions.Param`); this module only reads and writes tables.
"""

from __future__ import annotations

from typing import Any, Literal, cast

from simhall.distributions import DISTRIBUTIONS, Distribution, Fixed, Param, from_params
from simhall.scenario.checks import Checks, Loc, num_text, number, one_of, suggest, whole

__all__ = [
    "PLACEHOLDER",
    "UNIT_WORD",
    "Unit",
    "distribution",
    "distribution_to_toml",
    "param_key",
    "parse_distribution",
]

Unit = Literal["min", "days"]
UNIT_WORD: dict[str, str] = {"min": "minutes", "days": "working days"}
"""The unit suffixes of scenario files and how messages name them."""

PLACEHOLDER: Distribution = Fixed(value=0.0)
"""Stands in for a distribution that could not be read (loading then fails anyway)."""


def param_key(param: Param, unit: str) -> str:
    """The scenario-file key of ``param`` in ``unit`` (``mean_min``; ``shape`` as it is)."""
    return param.name if param.unitless else f"{param.name}_{unit}"


def _expectation(param: Param) -> str:
    if param.many:
        return "a non-empty list of numbers >= 0"
    if param.whole:
        return "a whole number >= 0"
    return "a number > 0" if param.positive else "a number >= 0"


def distribution(chk: Checks, value: object, unit: Unit, loc: Loc) -> Distribution | None:
    """The distribution of the table ``value`` whose parameters are in ``unit``.

    Problems (not a table, unknown name, missing or unknown keys, a key with the other
    unit's suffix, values out of range or out of order) go to ``chk``; then ``None``.
    """
    word = UNIT_WORD[unit]
    other = "days" if unit == "min" else "min"
    if not isinstance(value, dict):
        chk.add(
            loc,
            value,
            f'a distribution table like {{ dist = "exponential", mean_{unit} = 10 }} ({word})',
        )
        return None
    name = value.get("dist")
    names = tuple(n for n, c in DISTRIBUTIONS.items() if unit == "days" or not c.days_only)
    if name is None:
        chk.add(loc.k("dist"), None, f"a distribution name, {one_of(names)}")
        return None
    if name not in names:
        days_only = tuple(n for n, c in DISTRIBUTIONS.items() if c.days_only)
        extra = f" ({name} is for whole days only)" if name in days_only else ""
        chk.add(loc.k("dist"), name, f"{one_of(names, name)}{extra}")
        return None
    params = {p.name: p for p in DISTRIBUTIONS[name].parameters}
    keys = {p.name: param_key(p, unit) for p in params.values()}
    ok = True
    for key, val in value.items():
        if key == "dist" or key in keys.values():
            continue
        base, _, suffix = key.rpartition("_")
        if suffix == other and base in params and not params[base].unitless:
            chk.add(
                loc.k(key), val, f"{base}_{unit} (this value is in {word}, not {UNIT_WORD[other]})"
            )
        else:
            allowed = ("dist", *keys.values())
            chk.add(
                loc.k(key),
                val,
                f"unknown key; expected one of: {', '.join(allowed)}{suggest(key, allowed)}",
            )
        ok = False
    got: dict[str, Any] = {}
    for param, key in keys.items():
        if key not in value:
            chk.add(loc.k(key), None, f"{_expectation(params[param])} ({word})")
            ok = False
        else:
            got[param] = value[key]
    if not ok:
        return None
    return _build(chk, name, got, keys, unit, loc)


def _build(
    chk: Checks, name: str, got: dict[str, Any], keys: dict[str, str], unit: Unit, loc: Loc
) -> Distribution | None:
    """Check the parameter values ``got`` (by parameter name) and build the distribution."""
    word = f" ({UNIT_WORD[unit]})"
    nums: dict[str, Any] = {}
    for param in DISTRIBUTIONS[name].parameters:
        raw = got[param.name]
        ploc = loc.k(keys[param.name])
        if param.many:
            if not isinstance(raw, list) or not raw:
                chk.add(ploc, raw, f"a non-empty list of numbers >= 0{word}")
                return None
            checked = [number(chk, v, ploc.i(i), low=0.0, what=word) for i, v in enumerate(raw)]
            if any(v is None for v in checked):
                return None
            nums[param.name] = checked
        elif param.whole:
            count = whole(chk, raw, ploc, 0, what=word)
            if count is not None:
                nums[param.name] = count
        else:
            x = number(chk, raw, ploc, low=0.0, low_open=param.positive, what=word)
            if x is not None:
                nums[param.name] = x
    if len(nums) != len(got):
        return None
    for param in DISTRIBUTIONS[name].parameters:
        before = param.at_least
        if before is not None and nums[param.name] < nums[before]:
            chk.add(
                loc.k(keys[param.name]),
                got[param.name],
                f"a number >= {keys[before]} ({num_text(nums[before])})",
            )
            return None
    try:
        return from_params(name, nums)
    except ValueError as exc:  # a safety net: the constructors check too
        chk.add(loc, {"dist": name, **{keys[p]: v for p, v in got.items()}}, str(exc))
        return None


def parse_distribution(
    table: dict[str, Any], unit: Literal["min", "days"], path: str, file: str
) -> Distribution:
    """Parse one distribution table such as ``{dist = "lognormal", mean_min = 12, sd_min = 6}``.

    Parameters
    ----------
    table : dict
        The inline table as read from TOML.
    unit : {"min", "days"}
        The unit of the field holding it; parameter keys must carry this suffix.
    path : str
        Key path of the table, for messages (e.g. ``"items[3].window_service"``).
    file : str
        File name, for messages.

    Returns
    -------
    Distribution
        The distribution object.

    Raises
    ------
    ScenarioError
        With every problem found (unknown name, missing or extra keys, wrong unit suffix,
        values out of range).
    """
    if unit not in UNIT_WORD:
        raise ValueError(f"unit must be 'min' or 'days', got {unit!r}")
    chk = Checks(file)
    result = distribution(chk, table, unit, Loc(path, ()))
    chk.raise_if_any()
    return cast(Distribution, result)


def distribution_to_toml(dist: Distribution, unit: str) -> dict[str, Any]:
    """The scenario-file table of ``dist`` with parameters in ``unit`` (inverse of parsing).

    Parameters
    ----------
    dist : Distribution
        A distribution from :mod:`simhall.distributions`.
    unit : {"min", "days"}
        Unit suffix for the parameter keys.

    Returns
    -------
    dict
        E.g. ``{"dist": "lognormal", "mean_min": 12.0, "sd_min": 6.0}``; ``parse_distribution``
        of it gives back an equal distribution.

    Raises
    ------
    ValueError
        For an unknown unit, a distribution without a scenario name, or ``uniform_int`` in
        minutes.
    """
    if unit not in UNIT_WORD:
        raise ValueError(f"unit must be 'min' or 'days', got {unit!r}")
    name = dist.name
    if name not in DISTRIBUTIONS:
        raise ValueError(f"{type(dist).__name__} has no scenario-file name")
    if dist.days_only and unit == "min":
        raise ValueError(f"{name} is for whole days only")
    params = {p.name: p for p in dist.parameters}
    out: dict[str, Any] = {"dist": name}
    for param, value in dist.params().items():
        whole_number = params[param].whole and isinstance(value, float)
        out[param_key(params[param], unit)] = int(cast(float, value)) if whole_number else value
    return out
