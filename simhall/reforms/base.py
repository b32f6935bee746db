"""The reform base class and the registry of reform kinds.

A reform is a pure function ``Scenario -> Scenario``, the way a State Council circular
turns one hall's rules into the next: it is read from a ``[[reforms]]`` table of a
scenario overlay, checked against the scenario it will act on, and applied without
mutating anything. Each kind of reform is a frozen dataclass subclass of :class:`Reform`
in its own module, registered by its ``kind`` in :data:`REGISTRY`.

Adding a kind: write the dataclass (its fields are its parameters), give it ``kind``,
``parse`` and ``apply``, and add it to the :func:`register` call in
:mod:`simhall.reforms`. The keys its table accepts follow from its fields
(:meth:`Reform.table_keys`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, ClassVar

from simhall.reforms.checker import Checker
from simhall.reforms.selection import SELECTION_KEYS
from simhall.scenario.schema import Scenario

__all__ = ["ALL_WEEKDAYS", "COMMON_KEYS", "REGISTRY", "Reform", "register"]

COMMON_KEYS = ("kind", "name")
"""Keys of every reform table: the kind, and an optional label (the ``label`` field)."""

ALL_WEEKDAYS = (0, 1, 2, 3, 4, 5, 6)
"""Every weekday: a session on every working day (make-up weekends included)."""


class Reform:
    """Base class: a reform is a pure function of a scenario.

    Subclasses are frozen dataclasses with a class attribute ``kind``; their fields are
    the reform's parameters, each read from the table key of the same name, except those
    in ``field_keys``.
    """

    kind: ClassVar[str] = ""
    field_keys: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "label": (),
        "selection": SELECTION_KEYS,
    }
    """Table keys of the fields not read from a key of their own name (``()``: none; the
    label is ``name``, one of :data:`COMMON_KEYS`)."""
    label: str

    @classmethod
    def table_keys(cls) -> tuple[str, ...]:
        """The keys a table of this kind may have, in the order of the fields."""
        keys = list(COMMON_KEYS)
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            keys.extend(cls.field_keys.get(f.name, (f.name,)))
        return tuple(keys)

    @classmethod
    def parse(cls, chk: Checker, table: Mapping[str, Any], scenario: Scenario) -> Reform:
        """Check ``table`` against ``scenario`` (problems go to ``chk``) and build the reform."""
        raise NotImplementedError

    @classmethod
    def parse_label(cls, chk: Checker, table: Mapping[str, Any]) -> str:
        """The table's ``name`` (default: the kind)."""
        return chk.string(table, "name", cls.kind) or cls.kind

    def apply(self, scenario: Scenario) -> Scenario:
        """The scenario after the reform."""
        raise NotImplementedError


REGISTRY: dict[str, type[Reform]] = {}
"""Reform classes by ``kind``, in the order :mod:`simhall.reforms` registers them."""


def register(*classes: type[Reform]) -> None:
    """Add reform classes to :data:`REGISTRY` by their ``kind`` (which must be unique)."""
    for cls in classes:
        if not cls.kind:
            raise TypeError(f"{cls.__name__} has no kind")
        known = REGISTRY.get(cls.kind)
        if known is not None and known is not cls:
            raise ValueError(f"two reforms of kind {cls.kind!r}: {known.__name__}, {cls.__name__}")
        REGISTRY[cls.kind] = cls
