"""Where a scorecard's figures come from: a real case log, or the folder of a simulated run.

Scoring a hall's windows needs the same two registers whatever their origin: one line per
case (its department, whether it was closed, in how many working days, whether it was sent
back for correction) and one line per window visit (ticket, call, end, and whether the
window was still serving after the evening close). :class:`CaseData` holds them;
:func:`from_log` builds them from an event log and the scenario's catalogue and calendar
(the case tables of :mod:`simhall.validation.cases`, so observed and simulated logs are
read alike); :func:`from_run` from ``log.parquet`` and ``cases.parquet`` of
``simhall run``, each replication apart (:func:`from_result` from a run in memory).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simhall.calendar import WorkCalendar
from simhall.errors import UsageError
from simhall.logs.schema import ACCEPT, CORRECTION, ONLINE_CORRECTION, PICKUP
from simhall.scenario.schema import Scenario
from simhall.validation.cases import case_table, event_times
from simhall.validation.closure_rules import closed_status

if TYPE_CHECKING:
    from simhall.experiment import RunResult

__all__ = ["CaseData", "from_frames", "from_log", "from_result", "from_run", "run_scenario_path"]

CASE_COLUMNS = [
    "replication",
    "case_id",
    "item_id",
    "department",
    "kind",
    "committed_days",
    "completed",
    "working_days",
    "onsite",
    "corrections",
]
VISIT_COLUMNS = ["replication", "case_id", "department", "ready", "start", "end", "after_close"]


@dataclass(frozen=True)
class CaseData:
    """The cases and window visits a scorecard is computed from.

    Attributes
    ----------
    cases : pandas.DataFrame
        :data:`CASE_COLUMNS`: one row per case and replication (an observed log is
        replication 0); ``working_days`` counted after the acceptance day, ``completed``
        closed with a known duration.
    visits : pandas.DataFrame
        :data:`VISIT_COLUMNS`: acceptance, correction and pickup visits at the item's
        department's windows; ``after_close`` when the visit ended after the day's last
        opening session (or on a day the hall is closed).
    names : mapping
        Department id to name (from the scenario).
    label : str
        What was read (for reports).
    origin : {"log", "run"}
    notes : tuple of str
        What was left out and why.
    """

    cases: pd.DataFrame
    visits: pd.DataFrame
    names: Mapping[str, str]
    label: str
    origin: str
    notes: tuple[str, ...] = ()


def _calendar(scenario: Scenario, events: pd.DataFrame) -> WorkCalendar:
    """A working-day calendar of the scenario covering every event."""
    stamps = pd.concat([event_times(events, c) for c in ("ready", "start", "end")]).dropna()
    if stamps.empty:
        raise UsageError("the log has no timestamps")
    first = stamps.min().date() - timedelta(days=1)
    last = stamps.max().date() + timedelta(days=2)
    spec = dataclasses.replace(scenario.calendar, start=first)
    return WorkCalendar(spec, (last - first).days + 1)


def _visits(
    events: pd.DataFrame, departments: Mapping[str, str], calendar: WorkCalendar, accept: str
) -> pd.DataFrame:
    """Acceptance, correction and pickup visits with their department and ``after_close``
    (an application filed online has no acceptance visit)."""
    window = events[events["activity"].astype("str").isin([accept, CORRECTION, PICKUP])]
    end = event_times(window, "end")
    day = ((end.dt.normalize() - pd.Timestamp(calendar.start)) // pd.Timedelta(days=1)).to_numpy()
    close = np.array(
        [calendar.close_of_day(int(d)) if calendar.is_working_day(int(d)) else -np.inf for d in day]
    )
    minute = ((end - pd.Timestamp(calendar.start)).dt.total_seconds() / 60.0).to_numpy()
    return pd.DataFrame(
        {
            "replication": window["replication"].to_numpy() if "replication" in window else 0,
            "case_id": window["case_id"].astype("str").to_numpy(),
            "department": window["item_id"].astype("str").map(departments).to_numpy(),
            "ready": event_times(window, "ready").to_numpy(),
            "start": event_times(window, "start").to_numpy(),
            "end": end.to_numpy(),
            "after_close": minute > close,
        }
    ).dropna(subset=["department"])[VISIT_COLUMNS]


def _corrections(events: pd.DataFrame) -> pd.Series:
    """Returns for correction (at the window or online) per ``(replication, case_id)``."""
    rows = events[events["activity"].astype("str").isin([CORRECTION, ONLINE_CORRECTION])]
    reps = rows["replication"] if "replication" in rows else pd.Series(0, index=rows.index)
    return rows.groupby([reps.to_numpy(), rows["case_id"].astype("str").to_numpy()]).size()


def from_log(
    events: pd.DataFrame,
    scenario: Scenario,
    *,
    items: pd.DataFrame | None = None,
    closed: pd.Series | Mapping[str, bool] | Collection[str] | None = None,
    accept_activity: str = ACCEPT,
    label: str = "case log",
) -> CaseData:
    """The cases and visits of an observed event log.

    Parameters
    ----------
    events : pandas.DataFrame
        Event log in the case-log schema.
    scenario : Scenario
        Gives the calendar (working days, closing times), department names and, unless
        ``items`` is given, the items catalogue.
    items : pandas.DataFrame, optional
        Items catalogue (``item_id, department, kind, committed_days``).
    closed : optional
        Which cases were closed (default: :func:`simhall.validation.infer_closed`).
    accept_activity : str
        The acceptance activity (受理).
    label : str
        Name of the log for reports.
    """
    from simhall.synth import items_catalogue

    catalogue = items if items is not None else items_catalogue(scenario)
    cat = catalogue.assign(item_id=catalogue["item_id"].astype("str")).set_index("item_id")
    calendar = _calendar(scenario, events)
    table = case_table(events, calendar, accept_activity=accept_activity)
    notes = []
    known = table["item_id"].isin(cat.index)
    if not known.all():
        notes.append(f"{int((~known).sum())} case(s) of items not in the catalogue left out")
        table = table[known]
    if table.empty:
        raise UsageError(f"{label}: no case of an item in the catalogue")
    closure = closed_status(closed, events, accept_activity, calendar=calendar)
    status = closure.closed
    notes.append(closure.note())
    is_closed = table["case_id"].map(status).fillna(False).astype(bool)
    completed = is_closed & table["working_days"].notna()
    days = table["working_days"].astype("float64")
    corrections = _corrections(events)
    keys = list(zip([0] * len(table), table["case_id"].astype("str"), strict=True))
    cases = pd.DataFrame(
        {
            "replication": 0,
            "case_id": table["case_id"].astype("str").to_numpy(),
            "item_id": table["item_id"].to_numpy(),
            "department": table["item_id"].map(cat["department"]).astype("str").to_numpy(),
            "kind": table["item_id"].map(cat["kind"]).astype("str").to_numpy(),
            "committed_days": table["item_id"].map(cat["committed_days"]).to_numpy(),
            "completed": completed.to_numpy(),
            "working_days": days.to_numpy(),
            "onsite": (completed & (days == 0)).to_numpy(),
            "corrections": corrections.reindex(keys, fill_value=0).to_numpy(),
        }
    )
    depts = {str(k): str(v) for k, v in cat["department"].items()}
    visits = _visits(events, depts, calendar, accept_activity)
    names = {d.id: d.name for d in scenario.departments}
    notes.append("working days are counted from acceptance to the last event of the case")
    return CaseData(cases[CASE_COLUMNS], visits, names, label, "log", tuple(notes))


def run_scenario_path(folder: Path) -> Path | None:
    """The scenario file a ``simhall run`` folder's manifest names, if it still exists
    (as written, or relative to the folder's parent)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    source = manifest.get("scenario")
    if not isinstance(source, str):
        return None
    for candidate in (Path(source), folder.parent / source):
        if candidate.is_file():
            return candidate
    return None


def from_run(folder: str | Path, scenario: Scenario) -> CaseData:
    """The cases and visits of a ``simhall run`` folder (``log.parquet``, ``cases.parquet``).

    Raises
    ------
    UsageError
        If the folder lacks either file.
    """
    folder = Path(folder)
    missing = [n for n in ("log.parquet", "cases.parquet") if not (folder / n).is_file()]
    if missing:
        raise UsageError(
            f"{folder}: not the folder of a simhall run (no {', '.join(missing)}); give a run "
            "folder or a case log"
        )
    events = pd.read_parquet(folder / "log.parquet")
    raw = pd.read_parquet(folder / "cases.parquet")
    return from_frames(events, raw, scenario, str(folder))


def from_result(result: RunResult, label: str = "") -> CaseData:
    """The cases and visits of a run in memory (what :func:`from_run` reads from its
    folder)."""
    return from_frames(result.events, result.cases, result.scenario, label or result.scenario.name)


def from_frames(
    events: pd.DataFrame, raw: pd.DataFrame, scenario: Scenario, label: str
) -> CaseData:
    """The cases and visits of a run's event log and case table (``log.parquet`` and
    ``cases.parquet`` of ``simhall run``, or :class:`~simhall.experiment.RunResult`'s
    ``events`` and ``cases``)."""
    completed = (raw["status"] == "completed").to_numpy()
    corrections = _corrections(events)
    keys = list(zip(raw["replication"], raw["case_id"].astype("str"), strict=True))
    cases = pd.DataFrame(
        {
            "replication": raw["replication"].to_numpy(),
            "case_id": raw["case_id"].astype("str").to_numpy(),
            "item_id": raw["item_id"].astype("str").to_numpy(),
            "department": raw["department"].astype("str").to_numpy(),
            "kind": raw["kind"].astype("str").to_numpy(),
            "committed_days": raw["committed_days"].astype("float64").to_numpy(),
            "completed": completed,
            "working_days": raw["counted_days"].astype("float64").to_numpy(),
            "onsite": raw["onsite_completion"].fillna(False).astype(bool).to_numpy(),
            "corrections": corrections.reindex(keys, fill_value=0).to_numpy(),
        }
    )
    depts = {i.id: i.department for i in scenario.items}
    visits = _visits(events, depts, _calendar(scenario, events), ACCEPT)
    names = {d.id: d.name for d in scenario.departments}
    return CaseData(cases, visits, names, label, "run")
