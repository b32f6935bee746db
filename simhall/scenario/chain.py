"""The ``extends`` chain: a scenario as a base file plus overlays, merged with provenance.

An overlay is like an amendment to a hall's rule book: it names the book it amends
(``extends = "baseline.toml"``) and lists only what changes. Reading a scenario therefore
starts by reading the chain, top file first, down to the base; merging then goes the other
way, base first:

* tables merge key by key; a distribution table with ``dist`` and an ``intraday`` table
  replace the old one whole; other values, arrays included, are replaced;
* ``[[departments]]`` and ``[[items]]`` entries merge by ``id`` (``remove = true`` deletes
  one); a file's ``items_csv`` catalogue rows merge after its own ``[[items]]``;
* ``[[reforms]]`` are collected raw, base first, with the file each came from.

While merging, every key path remembers the file (and CSV line) it came from
(``Checks.provenance``), so that a problem found later names the file to fix.
"""

from __future__ import annotations

import copy
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simhall.scenario.catalogue import EntrySource, catalogue_rows
from simhall.scenario.checks import MISSING, Checks, Origin, suggest

__all__ = ["TOP_KEYS", "Layer", "merge_chain", "read_chain", "read_text"]

TOP_KEYS: tuple[str, ...] = (
    "extends",
    "items_csv",
    "scenario",
    "calendar",
    "run",
    "demand",
    "defaults",
    "groups",
    "routes",
    "departments",
    "items",
    "reforms",
)
"""The keys a scenario file may have at the top."""

Reforms = list[tuple[str, dict[str, Any]]]

# --------------------------------------------------------------------------- reading


@dataclass
class Layer:
    """One file of the ``extends`` chain: its label, parsed data and directory."""

    label: str
    data: dict[str, Any]
    directory: Path


def _child_label(parent_label: str, rel: str) -> str:
    """Label of a file named ``rel`` from the file labelled ``parent_label``."""
    if parent_label.startswith("<"):
        return rel
    return os.path.normpath(os.path.join(os.path.dirname(parent_label), rel))


def _parse_toml(chk: Checks, text: str, label: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        chk.add_in(Origin(label), "", None, f"valid TOML: {exc}")
        return None


def read_text(chk: Checks, path: Path, label: str, encoding: str) -> str | None:
    """The text of ``path``, or ``None`` and a problem with the file ``label``."""
    try:
        return path.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        chk.add_in(Origin(label), "", None, f"a UTF-8 text file ({exc})")
    except OSError as exc:
        chk.add_in(Origin(label), "", None, f"a readable file ({exc.strerror or exc})")
    return None


def read_chain(
    chk: Checks, label: str, text: str, directory: Path, real: Path | None
) -> list[Layer]:
    """The top file (``text``) and the files it extends, base first.

    ``real`` is the top file's resolved path (``None`` for text), for finding cycles.
    """
    layers: list[Layer] = []
    visited: list[tuple[Path, str]] = [(real, label)] if real is not None else []
    while True:
        data = _parse_toml(chk, text, label)
        if data is None:
            break
        layers.append(Layer(label, data, directory))
        ext = data.get("extends", MISSING)
        if ext is MISSING:
            break
        if not isinstance(ext, str) or not ext.strip():
            chk.add_in(Origin(label), "extends", ext, "the path of a scenario file (a string)")
            break
        target = (directory / ext).resolve()
        target_label = _child_label(label, ext)
        chain = [lbl for _, lbl in visited]
        if any(target == seen for seen, _ in visited):
            cycle = " -> ".join([*chain, target_label])
            chk.add_in(
                Origin(label),
                "extends",
                ext,
                f"a file not already in the extends chain (cycle: {cycle})",
            )
            break
        if not target.is_file():
            chk.add_in(Origin(label), "extends", ext, f"an existing file (looked for {target})")
            break
        new_text = read_text(chk, target, target_label, "utf-8")
        if new_text is None:
            break
        visited.append((target, target_label))
        label, text, directory = target_label, new_text, target.parent
    layers.reverse()
    return layers


def _read_catalogue(chk: Checks, layer: Layer, rel: object) -> list[EntrySource] | None:
    """Rows of the layer's item CSV as item tables; ``None`` if the file cannot be read."""
    origin = Origin(layer.label)
    if not isinstance(rel, str) or not rel.strip():
        chk.add_in(origin, "items_csv", rel, "the path of a CSV file (a string)")
        return None
    path = layer.directory / rel
    label = _child_label(layer.label, rel)
    if not path.is_file():
        chk.add_in(origin, "items_csv", rel, f"an existing CSV file (looked for {path.resolve()})")
        return None
    text = read_text(chk, path, label, "utf-8-sig")
    if text is None:
        return None
    return catalogue_rows(chk, text, label)


# --------------------------------------------------------------------------- merging


def _record(
    prov: dict[tuple[object, ...], Origin], key: tuple[object, ...], value: object, origin: Origin
) -> None:
    prov[key] = origin
    if isinstance(value, dict):
        for k, v in value.items():
            _record(prov, (*key, k), v, origin)


def _purge(prov: dict[tuple[object, ...], Origin], key: tuple[object, ...]) -> None:
    n = len(key)
    for old in [k for k in prov if k[:n] == key]:
        del prov[old]


def _merge_value(
    chk: Checks,
    container: dict[str, Any],
    key: str,
    value: Any,
    pkey: tuple[object, ...],
    origin: Origin,
) -> None:
    """Merge ``value`` into ``container[key]``: tables key by key, everything else replaced.

    A table with ``dist`` (a whole new distribution) and ``intraday`` profiles replace the
    old table instead of merging into it.
    """
    old = container.get(key)
    if (
        isinstance(old, dict)
        and isinstance(value, dict)
        and "dist" not in value
        and key != "intraday"
    ):
        for k, v in value.items():
            _merge_value(chk, old, k, v, (*pkey, k), origin)
        return
    if key in container:
        _purge(chk.provenance, pkey)
    container[key] = copy.deepcopy(value)
    _record(chk.provenance, pkey, value, origin)


def _merge_entries(chk: Checks, acc: dict[str, Any], key: str, sources: list[EntrySource]) -> None:
    """Merge ``[[departments]]`` or ``[[items]]`` entries of one file by ``id``."""
    entries: list[dict[str, Any]] = acc.setdefault(key, [])
    index = {e["id"]: e for e in entries}
    seen: dict[str, str] = {}
    noun = key[:-1]
    for entry, origin, text in sources:
        if not isinstance(entry, dict):
            chk.add_in(origin, text, entry, f"a table (an [[{key}]] entry)")
            continue
        ident = entry.get("id")
        if not isinstance(ident, str) or not ident.strip():
            chk.add_in(origin, f"{text}.id", ident, f"a non-empty string id of the {noun}")
            continue
        if ident in seen:
            chk.add_in(origin, f"{text}.id", ident, f"a unique id (also used at {seen[ident]})")
            continue
        seen[ident] = f"{origin.file} {origin.where(text)}"
        remove = entry.get("remove", False)
        if not isinstance(remove, bool):
            chk.add_in(origin, f"{text}.remove", remove, "true or false")
            continue
        pkey: tuple[object, ...] = (key, ("id", ident))
        if remove:
            if ident in index:
                target = index.pop(ident)
                entries[:] = [e for e in entries if e is not target]
                _purge(chk.provenance, pkey)
            else:
                chk.add_in(
                    origin,
                    f"{text}.remove",
                    True,
                    f"an id defined in an earlier file (there is no {noun} {ident!r} to remove)",
                )
            continue
        body = {k: v for k, v in entry.items() if k != "remove"}
        if ident in index:
            for k, v in body.items():
                if k != "id":
                    _merge_value(chk, index[ident], k, v, (*pkey, k), origin)
        else:
            new = copy.deepcopy(body)
            entries.append(new)
            index[ident] = new
            _record(chk.provenance, pkey, body, origin)


def _entry_sources(chk: Checks, layer: Layer, key: str) -> list[EntrySource]:
    value = layer.data.get(key, MISSING)
    if value is MISSING:
        return []
    if not isinstance(value, list):
        chk.add_in(Origin(layer.label), key, value, f"an array of tables [[{key}]]")
        return []
    return [(entry, Origin(layer.label, index=i), f"{key}[{i}]") for i, entry in enumerate(value)]


def merge_chain(chk: Checks, layers: list[Layer]) -> tuple[dict[str, Any], Reforms, bool]:
    """Merge the chain, base first.

    Returns
    -------
    data : dict
        The merged tables (entries of ``departments`` and ``items`` have string ids).
    reforms : list of (str, dict)
        The ``[[reforms]]`` tables with the file each came from, base first.
    failed : bool
        Whether a catalogue could not be read (building would only repeat problems).
    """
    acc: dict[str, Any] = {}
    reforms: Reforms = []
    failed = False
    for layer in layers:
        origin = Origin(layer.label)
        for key, value in layer.data.items():
            if key not in TOP_KEYS:
                chk.add_in(
                    origin,
                    key,
                    value,
                    f"unknown key; expected one of: {', '.join(TOP_KEYS)}{suggest(key, TOP_KEYS)}",
                )
        items = _entry_sources(chk, layer, "items")
        if "items_csv" in layer.data:
            rows = _read_catalogue(chk, layer, layer.data["items_csv"])
            if rows is None:
                failed = True
            else:
                items.extend(rows)
        for key, value in layer.data.items():
            if key in ("extends", "items_csv", "reforms", "items") or key not in TOP_KEYS:
                continue
            if key == "departments":
                _merge_entries(chk, acc, key, _entry_sources(chk, layer, key))
            else:
                _merge_value(chk, acc, key, value, (key,), origin)
        if items or "items" in layer.data or "items_csv" in layer.data:
            _merge_entries(chk, acc, "items", items)
        raw_reforms = layer.data.get("reforms", [])
        if not isinstance(raw_reforms, list):
            chk.add_in(origin, "reforms", raw_reforms, "an array of tables [[reforms]]")
            continue
        for i, reform in enumerate(raw_reforms):
            if isinstance(reform, dict):
                reforms.append((layer.label, reform))
            else:
                chk.add_in(origin, f"reforms[{i}]", reform, "a table (a [[reforms]] entry)")
    return acc, reforms, failed
