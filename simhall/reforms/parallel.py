"""Parallel approval (并联审批): the departments of a bundle review at once, not in turn.

Where an application needs the approval of several departments, serial handling passes
the file from one to the next; parallel approval hands copies to all of them at once and
waits for the last one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from simhall.reforms.base import Reform
from simhall.reforms.checker import Checker
from simhall.reforms.routes import parallel_by_department, replace_items
from simhall.reforms.selection import Selection
from simhall.scenario.schema import Scenario

__all__ = ["ParallelApproval"]


@dataclass(frozen=True)
class ParallelApproval(Reform):
    """Parallel approval (并联审批): the selected items' steps run in one parallel step with a
    branch per department (order kept within a department's branch).

    Parameters
    ----------
    selection : Selection
        The items (bundles) concerned; routes within one department are left alone.
    """

    selection: Selection
    label: str = "parallel_approval"

    kind: ClassVar[str] = "parallel_approval"

    @classmethod
    def parse(cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario) -> ParallelApproval:
        return cls(Selection.parse(chk, table, scenario), cls.parse_label(chk, table))

    def apply(self, scenario: Scenario) -> Scenario:
        new = {
            i.id: dataclasses.replace(
                i, route=parallel_by_department(i.route, "parallel_approval", i.department)
            )
            for i in scenario.items
            if self.selection.matches(i) and i.route
        }
        return replace_items(scenario, new)
