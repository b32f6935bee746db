"""Online submission (远程申报): a share of the applications filed over the internet.

In Huainan six bureaus ran remote declaration systems: the applicant uploads the papers from
the office instead of taking a ticket in the hall. The window queue loses those applicants
(and their return visits to complete the papers, now corrected online), but not the work
behind the window: every file still goes through the section's review, the leader's
signature and the director's meeting. Where the result is a paper the applicant must
collect in person (an original licence, 领证), one short visit remains, at the end.

The mechanics are the item's :class:`~simhall.scenario.schema.OnlineChannel`; this reform
sets it on the selected items.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from simhall.distributions import Distribution
from simhall.reforms.base import Reform
from simhall.reforms.checker import Checker
from simhall.reforms.routes import replace_items
from simhall.reforms.selection import Selection
from simhall.scenario.schema import Item, OnlineChannel, Scenario

__all__ = ["OnlineSubmission", "with_online_share"]


def with_online_share(
    item: Item,
    share: float,
    correction_days: Distribution | None = None,
    pickup: Distribution | None = None,
) -> Item:
    """``item`` with ``share`` of its applications filed online (replacing an earlier
    online channel; ``share == 0`` removes it)."""
    online = OnlineChannel(share, correction_days, pickup) if share > 0 else None
    return dataclasses.replace(item, online=online)


@dataclass(frozen=True)
class OnlineSubmission(Reform):
    """Online submission (远程申报) of a share of the selected items' applications.

    Parameters
    ----------
    selection : Selection
        The items offered online (required).
    share : float
        Share of their applications filed online, in ``[0, 1]``.
    correction_days : Distribution or None
        Working days until an incomplete online application is resubmitted (default: each
        item's return delay).
    pickup_service : Distribution or None
        Window minutes of the visit collecting the result (领证); ``None``: the result is
        sent, no visit.
    """

    selection: Selection
    share: float
    correction_days: Distribution | None = None
    pickup_service: Distribution | None = None
    label: str = "online_submission"

    kind: ClassVar[str] = "online_submission"

    @classmethod
    def parse(cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario) -> OnlineSubmission:
        sel = Selection.parse(chk, table, scenario)
        share = chk.number(table, "share", None, low=0.0, high=1.0)
        if "share" not in table:
            chk.add("share", None, "the share of applications filed online, in [0, 1]")
        days = (
            chk.dist(table["correction_days"], "correction_days", "days")
            if "correction_days" in table
            else None
        )
        pickup = (
            chk.dist(table["pickup_service"], "pickup_service", "min")
            if "pickup_service" in table
            else None
        )
        return cls(
            selection=sel,
            share=share or 0.0,
            correction_days=days,
            pickup_service=pickup,
            label=cls.parse_label(chk, table),
        )

    def apply(self, scenario: Scenario) -> Scenario:
        new = {
            i.id: with_online_share(i, self.share, self.correction_days, self.pickup_service)
            for i in scenario.items
            if self.selection.matches(i)
        }
        return replace_items(scenario, new)
