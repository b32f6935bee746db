"""Synthetic case logs: ``simhall synth`` writes a SYNTHETIC hall export to try the pipeline on.

A flight simulator's recorded training flight is not a real flight, but it has exactly the
shape of a flight recorder's tape, so the tools that read real tapes can be rehearsed on it.
In the same way this module runs a scenario (by default the bundled, synthetic Huainan 2007
baseline) once and writes what a hall's case-handling and ticket systems would export:
``events.csv`` in the case-log schema and ``items.csv``, the items catalogue, plus a
``README.md`` that says, first of all, that the data are **synthetic**, from which scenario
and seed they come, and what the columns mean.

Real exports are messier than a simulation. Two optional knobs make the log more like them:

* ``drop_start``: keep only completion times (``end``), as process-mining exports with
  ``lifecycle:transition = complete`` do; ``ready`` and ``start`` are left empty.
* ``date_only_share``: for that share of events (chosen at random) every timestamp loses
  its time of day (local midnight), as in registers where clerks type only the date.

The log is cut at the end of the simulated period like a real export taken that evening:
cases still open then appear with the steps they have finished so far.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from simhall.logs.schema import ACCEPT, EVENT_COLUMNS, ITEM_COLUMNS
from simhall.scenario.schema import Scenario

__all__ = ["DEFAULT_SCENARIO", "default_scenario_path", "items_catalogue", "synthesize", "write"]

DEFAULT_SCENARIO = "scenarios/huainan_2007/baseline.toml"
"""The bundled default scenario, relative to the repository (or working directory)."""


def default_scenario_path() -> Path:
    """Path of the bundled Huainan 2007 baseline scenario.

    Looked up relative to the package's repository checkout first, then to the current
    working directory.

    Returns
    -------
    Path
        The scenario file.

    Raises
    ------
    FileNotFoundError
        If neither location has it (an installed package without the repository).
    """
    here = Path(__file__).resolve().parent
    for base in (here.parent, here, Path.cwd()):
        candidate = base / DEFAULT_SCENARIO
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"default scenario {DEFAULT_SCENARIO} not found next to the package or in the working "
        "directory; pass a scenario file"
    )


def items_catalogue(scenario: Scenario) -> pd.DataFrame:
    """The items catalogue of a scenario in the case-log schema.

    Parameters
    ----------
    scenario : Scenario
        A loaded scenario.

    Returns
    -------
    pandas.DataFrame
        Columns ``item_id, department, kind, committed_days, name, statutory_days``
        (``committed_days`` 0 for on-site items without a limit).
    """
    return pd.DataFrame(
        {
            "item_id": [i.id for i in scenario.items],
            "department": [i.department for i in scenario.items],
            "kind": [i.kind for i in scenario.items],
            "committed_days": np.array(
                [i.committed_days or 0 for i in scenario.items], dtype=np.int64
            ),
            "name": [i.name for i in scenario.items],
            "statutory_days": pd.array([i.statutory_days for i in scenario.items], dtype="Int64"),
        }
    )[list(ITEM_COLUMNS)]


def _load(scenario: Scenario | str | os.PathLike[str] | None) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    from simhall.scenario import load_scenario

    return load_scenario(default_scenario_path() if scenario is None else scenario)


def synthesize(
    scenario: Scenario | str | os.PathLike[str] | None = None,
    days: int = 90,
    seed: int = 0,
    *,
    start: date | None = None,
    drop_start: bool = False,
    date_only_share: float = 0.0,
    keep_unaccepted: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate one replication of a scenario and return it as a case log and catalogue.

    Parameters
    ----------
    scenario : Scenario, path or None
        The hall; default the bundled ``scenarios/huainan_2007/baseline.toml``.
    days : int, default 90
        Calendar days with arrivals; the log is cut at the end of the last one (open cases
        keep the steps finished by then).
    seed : int, default 0
        Master seed of the simulation (replication 0) and of the realism knobs.
    start : datetime.date, optional
        First day; default the scenario's calendar start.
    drop_start : bool, default False
        Leave ``ready`` and ``start`` empty (a completion-only log).
    date_only_share : float, default 0.0
        Share of events, chosen at random, whose timestamps keep only the date.
    keep_unaccepted : bool, default False
        Keep cases never accepted by the cut (only ``return_for_correction`` visits). A
        hall's case system registers a case (办件) at acceptance, so by default they are
        left out, like in a real case export.

    Returns
    -------
    events : pandas.DataFrame
        Columns ``case_id, item_id, activity, resource, ready, start, end`` (no
        ``replication``).
    items : pandas.DataFrame
        The items catalogue (:func:`items_catalogue`).

    Raises
    ------
    ValueError
        For ``days < 1``, ``seed < 0`` or a share outside ``[0, 1]``.
    """
    if days < 1:
        raise ValueError(f"days = {days}: expected a whole number >= 1")
    if seed < 0:
        raise ValueError(f"seed = {seed}: expected a whole number >= 0")
    if not 0.0 <= date_only_share <= 1.0:
        raise ValueError(f"date_only_share = {date_only_share}: expected a share in [0, 1]")
    from simhall.experiment import run

    sc = _load(scenario)
    result = run(
        sc,
        start=start,
        days=days,
        warmup_days=0,
        drain_days=0,
        reps=1,
        seed=seed,
        show_progress=False,
    )
    events = result.events.drop(columns="replication")[list(EVENT_COLUMNS)].copy()
    events["case_id"] = events["case_id"].astype("str")
    if not keep_unaccepted:
        accepted = set(events.loc[events["activity"].astype("str") == ACCEPT, "case_id"])
        events = events[events["case_id"].isin(accepted)].copy()
    if drop_start:
        events["ready"] = pd.Series(pd.NaT, index=events.index, dtype="datetime64[ns]")
        events["start"] = pd.Series(pd.NaT, index=events.index, dtype="datetime64[ns]")
    if date_only_share > 0.0 and len(events):
        rng = np.random.default_rng([seed, 0x5E17])
        strip = rng.random(len(events)) < date_only_share
        for col in ("ready", "start", "end"):
            values = events[col]
            events[col] = values.where(~strip, values.dt.normalize())
    return events.reset_index(drop=True), items_catalogue(sc)


def _readme(
    scenario: Scenario,
    label: str,
    days: int,
    seed: int,
    events: pd.DataFrame,
    items: pd.DataFrame,
    events_name: str,
    drop_start: bool,
    date_only_share: float,
    keep_unaccepted: bool,
) -> str:
    first = events["end"].min()
    last = events["end"].max()
    knobs = []
    if drop_start:
        knobs.append("`ready` and `start` are empty (completion times only, `--drop-start`)")
    if date_only_share > 0:
        knobs.append(
            f"{date_only_share:.0%} of events (at random) keep only the date of their "
            "timestamps (`--date-only-share`)"
        )
    if keep_unaccepted:
        knobs.append("cases never accepted (only returns for correction) are kept")
    else:
        knobs.append(
            "cases never accepted by the cut (only returns for correction) are left out, as a "
            "case system registers a case at acceptance (`--keep-unaccepted` keeps them)"
        )
    knob_text = "".join(f"- {k}\n" for k in knobs)
    return f"""# SYNTHETIC case log (simhall synth)

**These data are synthetic.** They were produced by the simhall simulator, not exported from
any real government service hall; no person, case or clerk in them exists. Use them to try
`simhall calibrate` and `simhall validate`, not as evidence about a real hall.

| | |
| --- | --- |
| scenario | {scenario.name} (`{label}`) |
| seed | {seed} (replication 0) |
| simulated days | {days} calendar days (first event {first.date()}) |
| events | {len(events):,} (`{events_name}`), {events["case_id"].nunique():,} cases |
| timestamps | {first} to {last} |
| items | {len(items)} (`items.csv`) |

Realism knobs:

{knob_text}
The log is cut at the end of the last simulated day, like an export taken that evening: cases
still open then carry only the steps finished so far.

## Schema

`{events_name}`, one row per activity instance (the simhall case-log schema):

- `case_id`: the case (办件), `c0000001`...
- `item_id`: the service item (事项), see `items.csv`
- `activity`: the step: `accept` (受理 at the window), `return_for_correction` (补正: the
  window visit ended without acceptance), back-office steps, sign-off and meeting sessions,
  courier transfers, delays
- `resource`: window, staff member, session or courier (`department/pool/k`); empty for
  pure delays
- `ready`: when the case became ready for the step (the ticket time for window service)
- `start`: when the step started
- `end`: when the step was completed

Timestamps are local wall-clock times `YYYY-MM-DD HH:MM:SS`.

`items.csv`: `item_id, department, kind` (`onsite` 即办件 / `commitment` 承诺件),
`committed_days` (working days), `name`, `statutory_days`.

Read them with `simhall.logs.read_event_log("{events_name}")` and
`simhall.logs.read_items("items.csv")`.
"""


def write(
    out_dir: str | os.PathLike[str],
    scenario: Scenario | str | os.PathLike[str] | None = None,
    days: int = 90,
    seed: int = 0,
    *,
    fmt: str = "csv",
    start: date | None = None,
    drop_start: bool = False,
    date_only_share: float = 0.0,
    keep_unaccepted: bool = False,
) -> Path:
    """Synthesize a log and write ``events.csv`` (or ``.parquet``), ``items.csv``, ``README.md``.

    Parameters
    ----------
    out_dir : path
        Output folder (created); files are written atomically.
    scenario, days, seed, start, drop_start, date_only_share, keep_unaccepted
        As for :func:`synthesize`.
    fmt : {"csv", "parquet"}
        Format of the event log.

    Returns
    -------
    Path
        The output folder.
    """
    from simhall.io import atomic_write_csv, atomic_write_text, file_sha256, output_folder

    if fmt not in ("csv", "parquet"):
        raise ValueError(f"format = {fmt!r}: expected 'csv' or 'parquet'")
    sc = _load(scenario)
    label = sc.source or (str(scenario) if scenario is not None else DEFAULT_SCENARIO)
    if scenario is None:
        label = DEFAULT_SCENARIO
    events, items = synthesize(
        sc,
        days,
        seed,
        start=start,
        drop_start=drop_start,
        date_only_share=date_only_share,
        keep_unaccepted=keep_unaccepted,
    )
    source = Path(sc.source) if sc.source else None
    manifest = {
        "command": "synth",
        "scenario": label,
        "settings": {
            "days": days,
            "seed": seed,
            "start": start,
            "format": fmt,
            "drop_start": drop_start,
            "date_only_share": date_only_share,
            "keep_unaccepted": keep_unaccepted,
        },
        "inputs": {str(source): file_sha256(source)} if source and source.is_file() else {},
        "synthetic": True,
    }
    with output_folder(out_dir, manifest) as folder:
        out = folder.path
        name = f"events.{fmt}"
        _write_log(events, out / name)
        atomic_write_csv(items, out / "items.csv")
        atomic_write_text(
            _readme(
                sc,
                label,
                days,
                seed,
                events,
                items,
                name,
                drop_start,
                date_only_share,
                keep_unaccepted,
            ),
            out / "README.md",
        )
    return folder.target


def _write_log(events: pd.DataFrame, path: Path) -> None:
    """Write the log through a temporary file with the right suffix, then rename it."""
    import tempfile

    from simhall.logs import write_event_log

    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write_event_log(events, tmp_path)
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
