"""What each resource of a log is: a window clerk, a member of staff, a shared name, a courier.

Resource names in real exports come in every shape (``dept/window/3``, ``market-w1``,
``health-s2``, ``工商窗口2``, ``build-leader``, ``courier``), so a name is read like a
stranger's badge: a hint, checked against what its bearer does. A resource that serves the
counter (acceptance, 补正 visits) is a **window**; one whose intervals overlap one another
(many site inspections "under way" at once under one name) is no person at all but a
**shared** name, whose activities are delays; a resource that carries files between
buildings (a transfer activity, or a name that says courier) is a **courier**; everything
else is **staff** (a clerk, a leader). The department of a resource is the one its name
begins with (``market-w1``, ``build/window/1``), else the one of the items it handles when
at least :data:`DEPT_SHARE` of its events are of one department's items, else none (each
event then belongs to its item's department).

An override table (the ``[resources]`` table of the classification file) wins over all of
this::

    [resources]
    "工商窗口2" = "window"
    "site-team" = { role = "shared" }
    "build-leader" = { role = "staff", department = "build" }
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simhall.calibration.catalogue import Catalogue
from simhall.calibration.evidence import Evidence
from simhall.calibration.period import PeriodLog
from simhall.tomlfile import read_toml

__all__ = [
    "DEPT_SHARE",
    "OVERLAP_SHARE",
    "ROLES",
    "ResourceOverride",
    "ResourceRoles",
    "find_roles",
    "overlap_share",
    "read_resource_overrides",
]

ROLES: tuple[str, ...] = ("window", "staff", "shared", "courier")
"""What a resource can be."""
OVERLAP_SHARE = 0.2
"""A resource with at least this share of its timed events starting before an earlier one of
its events ended is a shared name, not a person."""
WINDOW_SHARE = 0.5
"""A resource with at least this share of its events at window visits is a window."""
DEPT_SHARE = 0.8
"""A resource whose name names no department belongs to the department of at least this
share of the items it handles."""
OVERLAP_TOL_MIN = 0.5
"""Minutes of overlap tolerated (timestamps rounded to the second or minute)."""
_COURIER_NAME = re.compile(r"courier|driver|post|van|快递|交通|通讯员|送件", re.IGNORECASE)
_TRANSFER_ACT = re.compile(r"transfer|courier|deliver|送|转|递|交接|流转", re.IGNORECASE)
_SEPARATOR = re.compile(r"[/\-_.:\s]")


@dataclass(frozen=True)
class ResourceOverride:
    """A user's word on one resource: its role and, optionally, its department."""

    role: str
    department: str | None = None


def read_resource_overrides(path: str | Path) -> dict[str, ResourceOverride]:
    """The ``[resources]`` table of a classification file (empty when it has none).

    Raises
    ------
    ValueError
        Unreadable TOML, a role not in :data:`ROLES`, or an entry that is neither a role nor
        a table ``{ role = ..., department = ... }`` (naming the file and the resource).
    """
    path = Path(path)
    data = read_toml(path, "classification file")  # TomlFileError is a ValueError
    table = data.get("resources", {})
    if not isinstance(table, dict):
        raise ValueError(f"{path}: [resources] must be a table of name = role")
    out: dict[str, ResourceOverride] = {}
    for name, value in table.items():
        where = f"{path}: resources.{name}"
        if isinstance(value, str):
            value = {"role": value}
        if not isinstance(value, dict) or set(value) - {"role", "department"}:
            raise ValueError(f"{where} = {value!r}: expected a role or {{ role, department }}")
        role = value.get("role")
        if role not in ROLES:
            raise ValueError(f"{where}.role = {role!r}: expected one of {', '.join(ROLES)}")
        dept = value.get("department")
        if dept is not None and not isinstance(dept, str):
            raise ValueError(f"{where}.department = {dept!r}: expected a department id")
        out[str(name)] = ResourceOverride(str(role), dept)
    return out


def overlap_share(resource: np.ndarray, start: np.ndarray, end: np.ndarray, n: int) -> np.ndarray:
    """Per resource code ``0..n-1``: the share of its timed events that start before an
    earlier-starting event of the same resource has ended (NaN without timed events)."""
    ok = (resource >= 0) & np.isfinite(start) & np.isfinite(end)
    r, s, e = resource[ok], start[ok], end[ok]
    order = np.lexsort((s, r))
    r, s, e = r[order], s[order], e[order]
    frame = pd.DataFrame({"r": r, "e": e})
    prev_max = frame.groupby("r", sort=False)["e"].cummax().groupby(frame["r"]).shift(1)
    over = s < prev_max.to_numpy(dtype=np.float64, na_value=-np.inf) - OVERLAP_TOL_MIN
    num = np.bincount(r, weights=over.astype(np.float64), minlength=n)
    den = np.bincount(r, minlength=n).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def _name_dept(name: str, dept_ids: tuple[str, ...]) -> int:
    """The department a resource name begins with (as a whole token), else -1."""
    first = _SEPARATOR.split(name, maxsplit=1)[0]
    for k, d in enumerate(dept_ids):
        if first == d:
            return k
    return -1


@dataclass(frozen=True)
class ResourceRoles:
    """Role and department of every resource of the period.

    Attributes
    ----------
    table : DataFrame
        ``resource, role, department, events, window_share, overlap_share, reason``.
    role : numpy.ndarray
        Role per resource code (object array; one extra last entry ``""`` for no resource,
        so ``role[period.resource]`` works for every event).
    dept : numpy.ndarray
        int64 department code per resource code (-1: the event's item's department), with
        the same extra last entry.
    evidence : Evidence
    """

    table: pd.DataFrame
    role: np.ndarray
    dept: np.ndarray
    evidence: Evidence

    def of_events(self, resource: np.ndarray) -> np.ndarray:
        """Role per event (``""`` for events without a resource)."""
        return self.role[resource]


def find_roles(
    period: PeriodLog,
    catalogue: Catalogue,
    overrides: Mapping[str, ResourceOverride] | None = None,
) -> ResourceRoles:
    """Role and department of each resource, from its name and what it does.

    Parameters
    ----------
    period : PeriodLog
        The period's events (window visits marked).
    catalogue : Catalogue
        Departments and the items' departments.
    overrides : mapping, optional
        Resource name -> :class:`ResourceOverride` (``[resources]`` of the classification
        file); names not in the log are noted.

    Returns
    -------
    ResourceRoles
    """
    overrides = dict(overrides or {})
    names = period.resources
    n = len(names)
    res = period.resource
    has = res >= 0
    events = np.bincount(res[has], minlength=n)
    win = np.bincount(res[has], weights=period.is_window[has].astype(np.float64), minlength=n)
    window_share = np.divide(win, events, out=np.zeros(n), where=events > 0)
    overlap = overlap_share(res, period.start, period.end, n)
    acts = np.array([bool(_TRANSFER_ACT.search(a)) for a in period.activities] + [False])
    transfer = np.bincount(
        res[has], weights=acts[period.activity[has]].astype(np.float64), minlength=n
    )
    transfer_share = np.divide(transfer, events, out=np.zeros(n), where=events > 0)
    item_dept = catalogue.item_dept_code[period.item]
    n_dept = len(catalogue.dept_ids)
    per_dept = np.zeros((n, max(n_dept, 1)))
    np.add.at(per_dept, (res[has], item_dept[has]), 1.0)
    rows = []
    role = np.empty(n + 1, dtype=object)
    dept = np.full(n + 1, -1, dtype=np.int64)
    role[n] = ""
    for k, name in enumerate(names):
        d = _name_dept(name, catalogue.dept_ids)
        top = int(per_dept[k].argmax()) if events[k] else -1
        if d < 0 and events[k] and per_dept[k, top] >= DEPT_SHARE * events[k]:
            d = top
        ov = overlap[k]
        if name in overrides:
            r, why = overrides[name].role, "set in the classification file"
            if overrides[name].department is not None:
                d = catalogue.dept_code.get(str(overrides[name].department), d)
        elif window_share[k] >= WINDOW_SHARE:
            r, why = "window", f"{100 * window_share[k]:.0f}% of its events are window visits"
        elif _COURIER_NAME.search(name) or transfer_share[k] >= 0.5:
            r, why = "courier", "its name or its activities say courier/transfer"
        elif np.isfinite(ov) and ov >= OVERLAP_SHARE:
            r = "shared"
            why = (
                f"{100 * ov:.0f}% of its events start while another of its events is under way: "
                "many at once under one name, not one person"
            )
        else:
            r, why = "staff", "one person's work (no overlap)"
        if r == "shared":
            d = -1
        role[k], dept[k] = r, d
        rows.append(
            {
                "resource": name,
                "role": r,
                "department": catalogue.dept_ids[d] if d >= 0 else "",
                "events": int(events[k]),
                "window_share": round(float(window_share[k]), 3),
                "overlap_share": round(float(ov), 3) if np.isfinite(ov) else np.nan,
                "reason": why,
            }
        )
    notes: list[str] = []
    unknown = sorted(set(overrides) - set(names))
    if unknown:
        notes.append(
            "classification file names resources not in the log (ignored): " + ", ".join(unknown)
        )
    n_shared = sum(1 for r in rows if r["role"] == "shared")
    assumptions = []
    if n_shared:
        assumptions.append(
            f"{n_shared} resource name(s) carry overlapping intervals (many jobs under way at "
            "once): treated as shared names, their activities as delays in working days, not "
            "as a one-person queue"
        )
    table = pd.DataFrame(
        rows,
        columns=[
            "resource",
            "role",
            "department",
            "events",
            "window_share",
            "overlap_share",
            "reason",
        ],
    )
    return ResourceRoles(
        table, role, dept, Evidence(assumptions=tuple(assumptions), notes=tuple(notes))
    )
