"""Staffing: windows, back-office staff, opening hours and demand.

Not a reform of procedure but of capacity, the usual first answer to queues: open more
windows, add staff to a section, open longer, or expect more applicants, or let a share of them file
online (they skip the window queue, not the back office: :mod:`simhall.reforms.online`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from simhall.reforms.base import Reform
from simhall.reforms.checker import Checker
from simhall.reforms.online import with_online_share
from simhall.reforms.selection import Selection
from simhall.scenario.schema import Scenario

__all__ = ["Staffing"]


@dataclass(frozen=True)
class Staffing(Reform):
    """Windows, staff, opening hours and demand.

    Parameters
    ----------
    selection : Selection
        Items whose demand changes (default: all); departments listed (or the departments
        of the selected items) get the window and staff changes.
    windows, add_windows : int or None
        Set or change the number of windows of those departments.
    staff, add_staff : tuple of (str, int)
        Set or change pool staff by pool name.
    opening : tuple of (int, int) or None
        New hall opening sessions (weekday overrides are dropped).
    demand_factor : float
        Demand growth factor (1.2 = +20%).
    online_share : float
        Share of the selected items' applications filed online (远程申报): they skip the
        window queue and correct their papers online, their files go through the back office
        as before, the result is sent (no pickup visit; ``online_submission`` sets one).
    """

    selection: Selection = field(default_factory=Selection)
    windows: int | None = None
    add_windows: int | None = None
    staff: tuple[tuple[str, int], ...] = ()
    add_staff: tuple[tuple[str, int], ...] = ()
    opening: tuple[tuple[int, int], ...] | None = None
    demand_factor: float = 1.0
    online_share: float = 0.0
    label: str = "staffing"

    kind: ClassVar[str] = "staffing"

    @classmethod
    def parse(cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario) -> Staffing:
        sel = Selection.parse(chk, table, scenario, required=False)
        windows = chk.integer(table, "windows", None, minimum=1)
        add_windows: int | None = None
        if "add_windows" in table:
            v = table["add_windows"]
            if isinstance(v, bool) or not isinstance(v, int):
                chk.add("add_windows", v, "a whole number (may be negative)")
            else:
                add_windows = v
        staff: dict[str, tuple[tuple[str, int], ...]] = {}
        for key in ("staff", "add_staff"):
            raw = table.get(key, {})
            ok = isinstance(raw, dict) and all(
                isinstance(v, int) and not isinstance(v, bool) and (key == "add_staff" or v >= 1)
                for v in raw.values()
            )
            if not ok:
                chk.add(key, raw, "a table { pool_name = whole number }")
                raw = {}
            staff[key] = tuple(raw.items())
        touches_depts = windows is not None or add_windows is not None or any(staff.values())
        targets = cls._targets(sel, scenario)
        if touches_depts and not targets:
            chk.add("departments", None, "the departments whose windows or staff change")
        ids = {d.id for d in scenario.departments}
        known = [d for d in targets if d in ids]  # unknown ones are reported by Selection
        for key, pairs in staff.items():
            for pool, _ in pairs:
                for d in known:
                    if pool not in [p.name for p in scenario.department(d).pools]:
                        chk.add(f"{key}.{pool}", pool, f"a pool of department {d!r}")
                        break
        if add_windows is not None:
            for d in known:
                if scenario.department(d).windows + add_windows < 1:
                    chk.add("add_windows", add_windows, f"at least 1 window left in {d!r}")
                    break
        opening = chk.intervals(table["opening"], "opening") if "opening" in table else None
        return cls(
            selection=sel,
            windows=windows,
            add_windows=add_windows,
            staff=staff["staff"],
            add_staff=staff["add_staff"],
            opening=opening,
            demand_factor=chk.number(table, "demand_factor", 1.0, low=0.0) or 0.0,
            online_share=chk.number(table, "online_share", 0.0, low=0.0, high=1.0) or 0.0,
            label=cls.parse_label(chk, table),
        )

    @staticmethod
    def _targets(sel: Selection, scenario: Scenario) -> tuple[str, ...]:
        if sel.everything:
            return tuple(d.id for d in scenario.departments)
        if sel.departments:
            return sel.departments
        if sel.empty:
            return ()
        return tuple(dict.fromkeys(scenario.item(i).department for i in sel.ids(scenario)))

    def apply(self, scenario: Scenario) -> Scenario:
        depts = []
        targets = self._targets(self.selection, scenario)
        set_staff, add_staff = dict(self.staff), dict(self.add_staff)
        for d in scenario.departments:
            if d.id in targets:
                windows = self.windows if self.windows is not None else d.windows
                windows += self.add_windows or 0
                pools = tuple(
                    dataclasses.replace(
                        p, staff=max(1, set_staff.get(p.name, p.staff) + add_staff.get(p.name, 0))
                    )
                    for p in d.pools
                )
                d = dataclasses.replace(d, windows=max(1, windows), pools=pools)
            depts.append(d)
        items = []
        for item in scenario.items:
            if self.selection.empty or self.selection.matches(item):
                if self.demand_factor != 1.0:
                    volume = item.demand.daily_volume * self.demand_factor
                    item = dataclasses.replace(
                        item, demand=dataclasses.replace(item.demand, daily_volume=volume)
                    )
                if self.online_share > 0:
                    item = with_online_share(item, self.online_share)
            items.append(item)
        calendar = scenario.calendar
        if self.opening is not None:
            calendar = dataclasses.replace(calendar, opening=self.opening, opening_by_weekday=())
        return dataclasses.replace(
            scenario, departments=tuple(depts), items=tuple(items), calendar=calendar
        )
