"""Whose desk an event was at: the department and the staff pool of each resource.

A resource name in a log is like a name plate on a door: ``jianwei/section/2`` says the
clerk sits in department ``jianwei``, pool ``section``. :func:`map_resources` reads
``department/pool/...`` names, and takes the department of names of other shapes from
:mod:`~simhall.calibration.roles`; an event whose resource names no known department belongs
to its item's department, and work without a pool in its resource name gets a pool named
after the activity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from simhall.calibration.catalogue import Catalogue
from simhall.calibration.period import PeriodLog
from simhall.calibration.roles import ResourceRoles

__all__ = ["ResourceMap", "map_resources", "slug"]

_NOT_BARE = re.compile(r"[^A-Za-z0-9_-]+")


def slug(name: str) -> str:
    """``name`` as a bare TOML key (runs of other characters become ``_``; ``staff`` if none)."""
    s = _NOT_BARE.sub("_", name).strip("_")
    return s or "staff"


@dataclass(frozen=True)
class ResourceMap:
    """Department and pool of every event.

    Attributes
    ----------
    item_dept : numpy.ndarray
        int64 department code of each event's item.
    dept : numpy.ndarray
        int64 department code of each event: its resource's, else its item's.
    pool : numpy.ndarray
        Pool name of each event (object array): its resource's, else the activity's slug.
    """

    item_dept: np.ndarray
    dept: np.ndarray
    pool: np.ndarray


def map_resources(
    period: PeriodLog, catalogue: Catalogue, roles: ResourceRoles | None = None
) -> ResourceMap:
    """Department and pool of each event from its resource name.

    Parameters
    ----------
    period : PeriodLog
        The period's events.
    catalogue : Catalogue
        Departments of the hall.
    roles : ResourceRoles, optional
        Departments read from names of other shapes and from what a resource does
        (:mod:`~simhall.calibration.roles`); used where the name is not ``dept/pool/...``.

    Returns
    -------
    ResourceMap
    """
    dept_code = catalogue.dept_code
    parts = [r.split("/") for r in period.resources]
    # one extra entry at the end: resource code -1 (no resource) picks it
    res_dept = np.array(
        [dept_code.get(p[0], -1) if len(p) >= 2 else -1 for p in parts] + [-1], dtype=np.int64
    )
    res_pool = [p[1] if len(p) >= 3 and p[0] in dept_code else "" for p in parts] + [""]
    if roles is not None:
        res_dept = np.where(res_dept >= 0, res_dept, roles.dept)
    item_dept = catalogue.item_dept_code[period.item]
    dept = res_dept[period.resource]
    dept = np.where(dept >= 0, dept, item_dept)
    pool = np.array(res_pool, dtype=object)[period.resource]
    act_slug = np.array([slug(a) for a in period.activities], dtype=object)
    pool = np.where(pool == "", act_slug[period.activity] if len(period.activities) else "", pool)
    return ResourceMap(item_dept=item_dept, dept=dept, pool=pool)
