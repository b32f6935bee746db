"""Read a scenario (TOML, ``extends`` overlays, an item CSV) into a frozen :class:`Scenario`.

The format is described in ``docs/scenario-format.md``. Loading happens in three passes,
all reporting to one :class:`~simhall.scenario.checks.Checks` collector:

1. **Read the chain** (:mod:`~simhall.scenario.chain`). The top file and every file it
   ``extends`` (relative to the extending file) are parsed with :mod:`tomllib`; a missing
   file or a cycle stops here.
2. **Merge** (:mod:`~simhall.scenario.chain`). Starting from the base, each file's tables
   and its item catalogue CSV (:mod:`~simhall.scenario.catalogue`) are merged in: tables
   key by key, ``[[departments]]`` and ``[[items]]`` entries by ``id``; ``[[reforms]]``
   are collected, base first. Every key path remembers the file (and CSV line) it came
   from, so that errors name the file to fix.
3. **Validate and build** (:mod:`~simhall.scenario.build`). Every table is checked for
   unknown keys, every value for type and range; item values are looked up item -> group
   -> department ``item_defaults`` -> ``[defaults]`` -> built-in.

All problems are collected and raised together as one
:class:`~simhall.scenario.errors.ScenarioError`.
"""

from __future__ import annotations

import os
from pathlib import Path

from simhall.scenario.build import build_scenario
from simhall.scenario.chain import merge_chain, read_chain, read_text
from simhall.scenario.checks import Checks, Origin
from simhall.scenario.errors import ScenarioError
from simhall.scenario.schema import Scenario

__all__ = ["load_scenario", "load_scenario_text"]


def _load(label: str, text: str, directory: Path, real: Path | None, stem: str) -> Scenario:
    chk = Checks(label)
    layers = read_chain(chk, label, text, directory, real)
    chk.raise_if_any()
    data, reforms, failed = merge_chain(chk, layers)
    if failed:
        chk.raise_if_any()
    scenario = build_scenario(chk, data, reforms, label, stem)
    chk.raise_if_any()
    return scenario


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Load, merge and check a scenario file.

    Parameters
    ----------
    path : str or os.PathLike
        The TOML file. ``extends`` and ``items_csv`` are resolved relative to the file that
        names them.

    Returns
    -------
    Scenario
        The frozen scenario; ``source`` is ``path`` as given.

    Raises
    ------
    ScenarioError
        With every problem found, each naming the file (CSV line), key path, value and
        what was expected.
    """
    label = os.fspath(path)
    file = Path(label)
    chk = Checks(label)
    text = read_text(chk, file, label, "utf-8") if file.is_file() else None
    if text is None:
        if not chk.problems:
            chk.add_in(Origin(label), "", None, "an existing scenario file")
        raise ScenarioError(chk.problems)
    return _load(label, text, file.parent, file.resolve(), file.stem)


def load_scenario_text(
    text: str, *, name: str = "<string>", base_dir: Path | None = None
) -> Scenario:
    """Load a scenario from TOML text (for tests and notebooks).

    Parameters
    ----------
    text : str
        The TOML source.
    name : str, optional
        Label used in messages and as ``Scenario.source``; the scenario name defaults to
        its stem unless ``[scenario].name`` is given.
    base_dir : Path, optional
        Directory against which ``extends`` and ``items_csv`` are resolved (default: the
        current directory).

    Returns
    -------
    Scenario
        The frozen scenario.

    Raises
    ------
    ScenarioError
        With every problem found.
    """
    directory = Path(base_dir) if base_dir is not None else Path.cwd()
    return _load(name, text, directory, None, Path(name).stem or name)
