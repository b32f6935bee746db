"""One-form registration (一表制): one form for a bundle of items across departments.

Registering a business used to mean a round of windows, each with its own forms asking
for the same name and address again. Under one-form registration the lead window enters
one form once, the applicant only signs at the others, and the departments' approvals run
internally at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from simhall.distributions import Distribution, Lognormal, Shifted
from simhall.reforms.base import Reform
from simhall.reforms.checker import Checker
from simhall.reforms.routes import parallel_by_department
from simhall.scenario.schema import Item, Scenario, Step, VisitStep

__all__ = ["OneForm"]


@dataclass(frozen=True)
class OneForm(Reform):
    """One-form registration (一表制): a bundle of items across departments.

    The reform adds a bundle item (id ``bundle``) whose applicants come from the listed
    items' demand (``daily_demand`` is taken off each of them).

    * ``stage = "before"``: the applicant is accepted at the first item's window (filling
      its forms), goes through that department's approval, then visits the next
      department's window (a :class:`~simhall.scenario.schema.VisitStep`, queueing and
      filling its forms) and waits for its approval, and so on, in turn.
    * ``stage = "after"``: the first window enters one form once (``fields_after``); the
      applicant then only signs at each other window (short visits of ``sign_service``) and
      the departments' approvals run internally in parallel, one branch per department.

    Window minutes grow by ``min_per_field`` per form field entered.

    Parameters
    ----------
    bundle : str
        Id of the bundle item.
    items : tuple of str
        The bundle's items, one per department, in visiting order (the first is the lead
        window).
    stage : {"before", "after"}
        Which way the bundle is handled.
    daily_demand : float or None
        Bundle applicants per working day (default: the smallest volume of the items).
    forms, fields : tuple of int
        Forms and fields per item before the reform.
    forms_after, fields_after : int
        The one form's size.
    min_per_field : float
        Window minutes per form field.
    sign_service : Distribution
        Minutes of a signing visit after the reform.
    """

    bundle: str
    items: tuple[str, ...]
    stage: str = "after"
    daily_demand: float | None = None
    forms: tuple[int, ...] = ()
    fields: tuple[int, ...] = ()
    forms_after: int = 1
    fields_after: int = 0
    min_per_field: float = 0.1
    sign_service: Distribution = field(default_factory=lambda: Lognormal(3.0, 1.5))
    label: str = "one_form"

    kind: ClassVar[str] = "one_form"

    @classmethod
    def parse(cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario) -> OneForm:
        items = chk.strings(table, "items") or ()
        if "items" not in table:
            chk.add("items", None, "a list of >= 2 item ids, one per department, lead first")
        known = {i.id: i for i in scenario.items}
        depts: list[str] = []
        for k, ident in enumerate(items):
            if ident not in known:
                chk.add(f"items[{k}]", ident, "an item id of the scenario")
            elif known[ident].department in depts:
                chk.add(f"items[{k}]", ident, "items of different departments")
            else:
                depts.append(known[ident].department)
        if items and len(items) < 2:
            chk.add("items", list(items), "a list of >= 2 item ids")
        bundle = chk.string(table, "bundle", "bundle") or "bundle"
        if bundle in known:
            chk.add("bundle", bundle, "a new item id (not one of the scenario's)")

        def ints(key: str) -> tuple[int, ...]:
            raw = table.get(key, [0] * len(items))
            if (
                not isinstance(raw, list)
                or len(raw) != len(items)
                or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in raw)
            ):
                chk.add(key, raw, f"a list of {len(items)} whole numbers >= 0 (one per item)")
                return (0,) * len(items)
            return tuple(raw)

        sign = (
            chk.dist(table["sign_service"], "sign_service", "min")
            if "sign_service" in table
            else None
        )
        return cls(
            bundle=bundle,
            items=items,
            stage=chk.choice(table, "stage", ("before", "after"), "after"),
            daily_demand=chk.number(table, "daily_demand", None, low=0.0),
            forms=ints("forms"),
            fields=ints("fields"),
            forms_after=chk.integer(table, "forms_after", 1, minimum=0) or 0,
            fields_after=chk.integer(table, "fields_after", 0, minimum=0) or 0,
            min_per_field=chk.number(table, "min_per_field", 0.1, low=0.0) or 0.0,
            sign_service=sign or Lognormal(3.0, 1.5),
            label=cls.parse_label(chk, table),
        )

    def profile(self) -> dict[str, float]:
        """Visits, forms and fields per bundle application (without returns for 补正)."""
        if self.stage == "before":
            return {
                "visits": float(len(self.items)),
                "forms": float(sum(self.forms)),
                "fields": float(sum(self.fields)),
            }
        return {
            "visits": float(len(self.items)),
            "forms": float(self.forms_after),
            "fields": float(self.fields_after),
        }

    def apply(self, scenario: Scenario) -> Scenario:
        parts = [scenario.item(i) for i in self.items]
        lead = parts[0]
        volume = (
            self.daily_demand
            if self.daily_demand is not None
            else min(p.demand.daily_volume for p in parts)
        )
        mpf = self.min_per_field
        route: list[Step] = []
        if self.stage == "before":
            service: Distribution = Shifted(lead.window_service, self.fields[0] * mpf)
            route.extend(lead.route)
            for k, p in enumerate(parts[1:], start=1):
                route.append(
                    VisitStep(
                        name=f"visit_{p.department}",
                        department=p.department,
                        service=Shifted(p.window_service, self.fields[k] * mpf),
                        forms=self.forms[k],
                        fields=self.fields[k],
                    )
                )
                route.extend(p.route)
            committed = sum(p.committed_days or 0 for p in parts)
        else:
            service = Shifted(lead.window_service, self.fields_after * mpf)
            for p in parts[1:]:
                route.append(
                    VisitStep(
                        name=f"sign_{p.department}",
                        department=p.department,
                        service=self.sign_service,
                    )
                )
            approvals: list[Step] = [s for p in parts for s in p.route]
            route.extend(parallel_by_department(approvals, "internal_approval", lead.department))
            committed = max(p.committed_days or 0 for p in parts)
        bundle = Item(
            id=self.bundle,
            name=f"{self.bundle} ({self.stage} one form)",
            department=lead.department,
            kind="commitment",
            demand=dataclasses.replace(lead.demand, daily_volume=volume),
            window_service=service,
            committed_days=committed,
            statutory_days=None,
            incomplete_prob=lead.incomplete_prob,
            return_delay=lead.return_delay,
            route=tuple(route),
            group=lead.group,
            tags=("one_form_bundle",),
        )
        item_fields = {f.name for f in dataclasses.fields(Item)}
        if {"forms", "fields"} <= item_fields:
            before = self.stage == "before"
            forms = self.forms[0] if before else self.forms_after
            nfields = self.fields[0] if before else self.fields_after
            bundle = dataclasses.replace(bundle, forms=forms, fields=nfields)  # type: ignore[call-arg]
        items: list[Item] = []
        for item in scenario.items:
            if item.id in self.items:
                left = max(item.demand.daily_volume - volume, 0.0)
                item = dataclasses.replace(
                    item, demand=dataclasses.replace(item.demand, daily_volume=left)
                )
            items.append(item)
        items.append(bundle)
        return dataclasses.replace(scenario, items=tuple(items))
