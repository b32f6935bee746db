"""District sub-centers (三级联动): part of the demand handled nearer to the applicants.

A three-level network (city center, district sub-centers, township windows) lets an
applicant file nearby. The district copy of a department has its own windows and staff;
the item's own department's steps move with it, other departments' steps stay in the city.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from simhall.reforms.base import Reform
from simhall.reforms.checker import Checker
from simhall.reforms.routes import map_leaves
from simhall.reforms.selection import Selection
from simhall.scenario.schema import Courier, Item, ParallelStep, Scenario, Step

__all__ = ["DistrictCenter"]


@dataclass(frozen=True)
class DistrictCenter(Reform):
    """A district sub-center (三级联动) handling a share of the demand for selected items.

    Each department with selected items gets a copy ``<id><suffix>`` with its own windows
    (and, by default, pools of the same names and sizes: the district bureau's staff);
    each selected item gets a copy ``<id><suffix>`` at that department carrying ``share``
    of its demand, its own department's steps moved to the copy (other departments' steps,
    e.g. the fire brigade's review, stay in the city).

    Parameters
    ----------
    selection : Selection
        The items offered at the district center.
    share : float
        Share of each item's demand that goes there.
    windows : int
        Windows per department at the district center.
    staff : int or None
        Staff of each copied pool (default: as in the city).
    suffix : str
        Suffix of the new department and item ids.
    """

    selection: Selection
    share: float = 0.2
    windows: int = 1
    staff: int | None = None
    suffix: str = "@district"
    label: str = "district_center"

    kind: ClassVar[str] = "district_center"

    @classmethod
    def parse(cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario) -> DistrictCenter:
        suffix = chk.string(table, "suffix", "@district") or "@district"
        return cls(
            selection=Selection.parse(chk, table, scenario),
            share=chk.number(table, "share", 0.2, low=0.0, high=1.0, low_open=True) or 0.2,
            windows=chk.integer(table, "windows", 1, minimum=1) or 1,
            staff=chk.integer(table, "staff", None, minimum=1),
            suffix=suffix,
            label=cls.parse_label(chk, table),
        )

    def apply(self, scenario: Scenario) -> Scenario:
        chosen = {i.id for i in scenario.items if self.selection.matches(i)}
        depts = {i.department for i in scenario.items if i.id in chosen}
        new_depts = []
        for d in scenario.departments:
            if d.id in depts:
                pools = tuple(
                    dataclasses.replace(p, staff=self.staff if self.staff else p.staff)
                    for p in d.pools
                )
                courier = d.courier
                if courier is None and d.back_office == "outside":
                    courier = Courier((600,), 30.0)
                new_depts.append(
                    dataclasses.replace(
                        d,
                        id=d.id + self.suffix,
                        name=f"{d.name}{self.suffix}",
                        windows=self.windows,
                        pools=pools,
                        courier=courier,
                    )
                )
        items: list[Item] = []
        copies: list[Item] = []
        for item in scenario.items:
            if item.id in chosen:
                volume = item.demand.daily_volume
                home = item.department
                suffix = self.suffix

                def move(step: Step, k: int, home: str = home, suffix: str = suffix) -> list[Step]:
                    if getattr(step, "department", None) == home and not isinstance(
                        step, ParallelStep
                    ):
                        return [dataclasses.replace(step, department=home + suffix)]
                    return [step]

                copies.append(
                    dataclasses.replace(
                        item,
                        id=item.id + self.suffix,
                        department=home + self.suffix,
                        demand=dataclasses.replace(item.demand, daily_volume=volume * self.share),
                        route=map_leaves(item.route, move),
                        tags=("district_center",),
                    )
                )
                item = dataclasses.replace(
                    item,
                    demand=dataclasses.replace(item.demand, daily_volume=volume * (1 - self.share)),
                )
            items.append(item)
        return dataclasses.replace(
            scenario,
            departments=scenario.departments + tuple(new_depts),
            items=tuple(items) + tuple(copies),
        )
