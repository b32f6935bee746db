"""Which items a reform acts on: listed ids, tags, departments, or all of them.

A reform decree names what it covers the way a circular does: "the 46 items listed in the
annex", "every item tagged for compression", "all items of the land bureau", or simply
"all items". A :class:`Selection` is that scope; the union of everything listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simhall.reforms.checker import Checker, department_expected
from simhall.scenario.checks import suggest
from simhall.scenario.schema import Item, Scenario

__all__ = ["SELECTION_KEYS", "Selection"]

SELECTION_KEYS = ("items", "tags", "departments")
"""The table keys a selection is read from."""


@dataclass(frozen=True)
class Selection:
    """Which items a reform acts on: ``items``, ``tags``, ``departments`` or all.

    The selected items are the union of the listed ids, the items carrying any listed tag
    and the items of any listed department; ``items = "all"`` selects every item.

    Parameters
    ----------
    items : tuple of str
        Item ids.
    tags : tuple of str
        Item tags.
    departments : tuple of str
        Department ids (their items).
    everything : bool
        Every item of the scenario.
    """

    items: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    everything: bool = False

    @property
    def empty(self) -> bool:
        """Whether nothing at all was specified."""
        return not (self.items or self.tags or self.departments or self.everything)

    def matches(self, item: Item) -> bool:
        """Whether ``item`` is selected."""
        return (
            self.everything
            or item.id in self.items
            or item.department in self.departments
            or any(t in self.tags for t in item.tags)
        )

    def ids(self, scenario: Scenario) -> tuple[str, ...]:
        """Ids of the selected items of ``scenario``, in scenario order."""
        return tuple(i.id for i in scenario.items if self.matches(i))

    @classmethod
    def parse(
        cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario, required: bool = True
    ) -> Selection:
        """Read ``items``/``tags``/``departments`` of ``table`` and check them against
        ``scenario`` (unknown ids, tags that select nothing)."""
        everything = False
        items: tuple[str, ...] = ()
        raw = table.get("items")
        if raw == "all":
            everything = True
        elif raw is not None:
            got = chk.strings(table, "items", '"all" or a non-empty list of item ids')
            if got is not None:
                known = {i.id for i in scenario.items}
                for k, ident in enumerate(got):
                    if ident not in known:
                        chk.add(
                            f"items[{k}]",
                            ident,
                            f"an item id of the scenario{suggest(ident, known)}",
                        )
                items = got
        tags = chk.strings(table, "tags") or ()
        all_tags = {t for i in scenario.items for t in i.tags}
        for k, tag in enumerate(tags):
            if tag not in all_tags:
                chk.add(f"tags[{k}]", tag, f"a tag carried by some item{suggest(tag, all_tags)}")
        departments: tuple[str, ...] = ()
        raw = table.get("departments")
        if raw == "all":
            everything = True
        elif raw is not None:
            departments = chk.strings(table, "departments") or ()
            known_d = [d.id for d in scenario.departments]
            for k, ident in enumerate(departments):
                if ident not in known_d:
                    chk.add(
                        f"departments[{k}]",
                        ident,
                        department_expected(ident, known_d),
                    )
        sel = cls(items, tags, departments, everything)
        if required and sel.empty:
            chk.add("items", None, 'items = [...], tags = [...], departments = [...] or "all"')
        return sel
