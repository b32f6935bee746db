"""Reforms as pure functions ``Scenario -> Scenario``.

A scenario overlay lists reforms as ``[[reforms]]`` tables; the loader collects them raw
(``Scenario.reforms`` holds ``(file, table)`` pairs, base file first).
:func:`apply_reforms` checks every table (an unknown key or a bad value is a
:class:`~simhall.scenario.ScenarioError` naming the file and ``reforms[i].key``) and applies
them in order; the reforms themselves are frozen dataclasses registered by ``kind``
(:data:`REGISTRY`). See ``docs/reforms.md``.

=============================  ===============================================================
:mod:`~.base`                  :class:`Reform`, :data:`REGISTRY`
:mod:`~.apply`                 :func:`parse_reform`, :func:`reform_log`, :func:`apply_reforms`
:mod:`~.checker`               :class:`Checker`: a reform table's problems
:mod:`~.selection`             :class:`Selection`: which items a reform acts on
:mod:`~.routes`                reading and rewriting routes (:func:`flatten`, ...)
:mod:`~.chief_rep`             ``chief_representative``
:mod:`~.reengineering`         ``reengineering``
:mod:`~.two_concentrations`    ``two_concentrations``
:mod:`~.one_form`              ``one_form``
:mod:`~.parallel`              ``parallel_approval``
:mod:`~.online`                ``online_submission`` (远程申报)
:mod:`~.staffing`              ``staffing``
:mod:`~.district`              ``district_center``
=============================  ===============================================================

>>> from simhall.reforms import load_reformed
>>> hall = load_reformed("scenarios/huainan_2007/reforms_2007.toml")  # doctest: +SKIP
"""

from __future__ import annotations

from simhall.reforms.apply import apply_reforms, load_reformed, parse_reform, reform_log
from simhall.reforms.base import REGISTRY, Reform, register
from simhall.reforms.checker import Checker
from simhall.reforms.chief_rep import ChiefRepresentative
from simhall.reforms.district import DistrictCenter
from simhall.reforms.one_form import OneForm
from simhall.reforms.online import OnlineSubmission
from simhall.reforms.parallel import ParallelApproval
from simhall.reforms.reengineering import Merge, Reengineering
from simhall.reforms.routes import (
    flatten,
    map_leaves,
    parallel_by_department,
    replace_department,
    replace_items,
    step_count,
    step_kind,
)
from simhall.reforms.selection import Selection
from simhall.reforms.staffing import Staffing
from simhall.reforms.two_concentrations import TwoConcentrations

register(
    ChiefRepresentative,
    Reengineering,
    TwoConcentrations,
    OneForm,
    ParallelApproval,
    Staffing,
    DistrictCenter,
    OnlineSubmission,
)

__all__ = [
    "REGISTRY",
    "Checker",
    "ChiefRepresentative",
    "DistrictCenter",
    "Merge",
    "OneForm",
    "OnlineSubmission",
    "ParallelApproval",
    "Reengineering",
    "Reform",
    "Selection",
    "Staffing",
    "TwoConcentrations",
    "apply_reforms",
    "flatten",
    "load_reformed",
    "map_leaves",
    "parallel_by_department",
    "parse_reform",
    "reform_log",
    "replace_department",
    "replace_items",
    "step_count",
    "step_kind",
]
