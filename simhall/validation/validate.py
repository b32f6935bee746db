"""Validation: does a scenario reproduce a hall's case log? (``simhall validate``)

A weather service checks its model by re-running last season and laying the forecast next to
what the stations recorded, temperature by temperature, before anyone trusts next week's
forecast. Validation does the same for a hall: it simulates the scenario over the period the
log covers and compares, per item and for the whole hall, what the planner cares about:

* working-day durations of cases (mean, P50, P90 and the 1-Wasserstein distance between
  the observed and the simulated distributions of per-case working days);
* the on-site completion rate (现场办结率, cases completed on their acceptance day);
* window waits (ticket to call), where the log has ``ready`` and ``start``;
* weekly case counts and the hourly profile of ticket times.

Each comparison passes or fails against a stated tolerance (:data:`DEFAULT_TOLERANCES`,
overridable by a small TOML file, see :class:`Tolerances`).

Definitions, the same on both sides (the simulated log is summarised by the very function
that summarises the observed one, :func:`case_table`):

* a case starts at its earliest timestamp (its first ticket) and its week and hour are those
  of that time; only timestamp columns the observed log has are used on the simulated side;
  counts, waits and tickets are those of accepted cases (a case export may omit visits that
  never led to acceptance), on both sides;
* its duration is the number of working days after its acceptance day up to and including
  the day of its last event (:meth:`simhall.calendar.WorkCalendar.working_days_between`,
  with the scenario's calendar); 0 = completed on the acceptance day;
* censoring: the observation ends at the log's last timestamp; the simulation stops at the
  same moment (no drain beyond it). Cases open at that moment are left out of the duration
  metrics on both sides: simulated cases that had not completed, and observed cases that are
  open by the log's own status (``closed=``) or, without one, by the rule of
  :func:`infer_closed`. The report states how many were left out on each side.

:func:`holdout` calibrates on an earlier period with :func:`simhall.calibration.calibrate`,
simulates the later one and scores it, next to the naive forecast "the test period looks like
the training period".
"""

from __future__ import annotations

import dataclasses
import io
import math
import os
import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.stats import wasserstein_distance

from simhall.calendar import WorkCalendar
from simhall.logs.schema import ACCEPT, CORRECTION, REQUIRED_EVENT_COLUMNS
from simhall.reporting.markdown import markdown_table
from simhall.scenario.schema import Scenario

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from simhall.calibration import Calibration

__all__ = [
    "DEFAULT_MIN_CASES",
    "DEFAULT_TOLERANCES",
    "METRICS",
    "HoldoutResult",
    "Tolerance",
    "Tolerances",
    "ValidationResult",
    "case_table",
    "holdout",
    "infer_closed",
    "naive_comparison",
    "validate",
]



# --------------------------------------------------------------------------- tolerances
@dataclass(frozen=True)
class Tolerance:
    """An allowed difference: ``|sim - obs| <= max(abs, rel * |reference|, z * se)``.

    ``se`` is the larger of two noise scales: the case-level standard error of the
    difference (Poisson counts for ``cases_per_week``, ``sqrt(var_obs / n_obs + var_sim /
    n_sim)`` for means and rates) and the between-replication spread of the simulated
    statistic, ``sd_r * sqrt(1 + 1/R)`` (the observed log is one more realization of the
    hall; near capacity, whole replications differ far more than case-level noise says).
    For ``wasserstein_days`` it is the mean distance between one replication and all of
    them pooled. The replication spread needs ``reps >= 2`` (3 or more recommended). For the
    distance metrics (``wasserstein_days``, ``hourly_profile_tv``) the distance itself is
    compared with the limit; the reference of ``wasserstein_days`` is the observed mean
    working days.

    Parameters
    ----------
    abs : float
        Absolute allowance in the metric's unit.
    rel : float
        Allowance relative to the observed value (0.15 = 15%).
    z : float
        Allowance in standard errors (0 = none).
    """

    abs: float
    rel: float = 0.0
    z: float = 0.0

    def limit(self, reference: float, se: float = math.nan) -> float:
        """The allowed difference for an observed ``reference`` value and noise ``se``."""
        ref = abs(reference) if math.isfinite(reference) else 0.0
        noise = self.z * se if math.isfinite(se) else 0.0
        return max(self.abs, self.rel * ref, noise)


METRICS: dict[str, str] = {
    "cases_per_week": "accepted cases per week, by the week of their first ticket",
    "mean_days": "mean working days, acceptance to completion",
    "p50_days": "median working days",
    "p90_days": "90th percentile of working days",
    "wasserstein_days": "1-Wasserstein distance between observed and simulated working days",
    "onsite_rate": "share of completed cases completed on the acceptance day",
    "mean_wait_min": "mean window wait, ticket to call (minutes)",
    "p90_wait_min": "90th percentile of window waits (minutes)",
    "hourly_profile_tv": "total-variation distance between hourly shares of tickets",
}
"""Metric names and meanings, in report order."""

DEFAULT_TOLERANCES: dict[str, Tolerance] = {
    "cases_per_week": Tolerance(1.0, 0.10, 3.0),
    "mean_days": Tolerance(1.0, 0.15, 3.0),
    "p50_days": Tolerance(1.0, 0.15, 3.0),
    "p90_days": Tolerance(2.0, 0.20, 3.0),
    "wasserstein_days": Tolerance(1.0, 0.15, 3.0),
    "onsite_rate": Tolerance(0.05, 0.0, 3.0),
    "mean_wait_min": Tolerance(5.0, 0.25, 3.0),
    "p90_wait_min": Tolerance(10.0, 0.25, 3.0),
    "hourly_profile_tv": Tolerance(0.10, 0.0, 0.0),
}
"""Default tolerances (documented in ``docs/validation.md``)."""

DEFAULT_MIN_CASES = 30
"""Items (and departments) with fewer observed cases (or waits) are shown but not scored."""


@dataclass(frozen=True)
class Tolerances:
    """The tolerance of every metric and the minimum sample for scoring.

    Parameters
    ----------
    metrics : dict of str to Tolerance
        One entry per metric of :data:`METRICS`.
    min_cases : int
        Smallest observed sample (cases or waits) for a row to get PASS/FAIL; smaller ones
        get ``n/a``.

    Examples
    --------
    A TOML file overriding two tolerances::

        min_cases = 50

        [mean_days]
        abs = 0.5
        rel = 0.10

        [onsite_rate]
        abs = 0.03
        z = 2
    """

    metrics: dict[str, Tolerance] = field(default_factory=lambda: dict(DEFAULT_TOLERANCES))
    min_cases: int = DEFAULT_MIN_CASES

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "<tolerances>") -> Tolerances:
        """Defaults overridden by a mapping shaped like the TOML file.

        Parameters
        ----------
        data : mapping
            ``min_cases`` and metric tables with ``abs``, ``rel`` and/or ``z``.
        source : str
            Name for error messages.

        Returns
        -------
        Tolerances

        Raises
        ------
        ValueError
            Unknown keys or metrics, non-numeric or negative values (naming the key).
        """
        metrics = dict(DEFAULT_TOLERANCES)
        min_cases = DEFAULT_MIN_CASES
        for key, value in data.items():
            if key == "min_cases":
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    raise ValueError(
                        f"{source}: min_cases = {value!r}: expected a whole number >= 1"
                    )
                min_cases = value
                continue
            if key not in METRICS:
                raise ValueError(
                    f"{source}: unknown metric {key!r}; expected min_cases or one of "
                    + ", ".join(METRICS)
                )
            if not isinstance(value, Mapping):
                raise ValueError(f"{source}: [{key}] must be a table with abs, rel and/or z")
            base = metrics[key]
            parts = {"abs": base.abs, "rel": base.rel, "z": base.z}
            for sub, number in value.items():
                if sub not in parts:
                    raise ValueError(f"{source}: {key}.{sub}: unknown key; expected abs, rel or z")
                if isinstance(number, bool) or not isinstance(number, (int, float)) or number < 0:
                    raise ValueError(f"{source}: {key}.{sub} = {number!r}: expected a number >= 0")
                parts[sub] = float(number)
            metrics[key] = Tolerance(parts["abs"], parts["rel"], parts["z"])
        return cls(metrics, min_cases)

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str]) -> Tolerances:
        """Read a tolerances TOML file (see the class example).

        Parameters
        ----------
        path : path
            The file.

        Returns
        -------
        Tolerances

        Raises
        ------
        FileNotFoundError
            If the file does not exist.
        ValueError
            Invalid TOML or values (the message names the file and key).
        """
        p = Path(path)
        if not p.is_file():
            raise FileNotFoundError(2, "no such tolerances file", str(p))
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{p}: invalid TOML: {exc}") from None
        return cls.from_mapping(data, str(p))

    def to_frame(self) -> pd.DataFrame:
        """The tolerances as a table (``metric, abs, rel, z, meaning``)."""
        return pd.DataFrame(
            [
                {"metric": m, "abs": t.abs, "rel": t.rel, "z": t.z, "meaning": METRICS[m]}
                for m, t in self.metrics.items()
            ]
        )


def _tolerances(
    value: Tolerances | Mapping[str, Any] | str | os.PathLike[str] | None,
) -> Tolerances:
    if value is None:
        return Tolerances()
    if isinstance(value, Tolerances):
        return value
    if isinstance(value, Mapping):
        return Tolerances.from_mapping(value)
    return Tolerances.from_toml(value)


# --------------------------------------------------------------------------- case tables
def _check_events(events: pd.DataFrame, what: str = "event log") -> None:
    missing = [c for c in REQUIRED_EVENT_COLUMNS if c not in events.columns]
    if missing:
        raise ValueError(
            f"{what} lacks column(s) {', '.join(missing)} needed for validation; columns "
            f"found: {list(events.columns)}"
        )


def _times(events: pd.DataFrame, column: str) -> pd.Series:
    if column not in events.columns:
        return pd.Series(pd.NaT, index=events.index, dtype="datetime64[ns]")
    return pd.to_datetime(events[column]).astype("datetime64[ns]")


def case_table(
    events: pd.DataFrame,
    calendar: WorkCalendar,
    *,
    accept_activity: str = "accept",
) -> pd.DataFrame:
    """One row per case: start, acceptance, last event, working and calendar days.

    Parameters
    ----------
    events : pandas.DataFrame
        Event log (``case_id, item_id, activity, end``; ``ready``/``start`` optional).
    calendar : WorkCalendar
        Working days covering every date in the log.
    accept_activity : str
        The acceptance activity (受理).

    Returns
    -------
    pandas.DataFrame
        ``case_id, item_id, first, accepted, last, events, working_days, calendar_days``:
        ``first`` the earliest timestamp, ``accepted`` the end of the first acceptance
        (NaT if never accepted), ``last`` the latest ``end``; ``working_days`` working days
        after the acceptance day up to and including the day of ``last`` (NA if not
        accepted); ``calendar_days`` calendar days from the day of ``first`` to the day of
        ``last``.
    """
    _check_events(events)
    ev = pd.DataFrame(
        {
            "case_id": events["case_id"].astype("str").to_numpy(),
            "item_id": events["item_id"].astype("str").to_numpy(),
            "activity": events["activity"].astype("str").to_numpy(),
            "end": _times(events, "end").to_numpy(),
        }
    )
    stamps = pd.concat([_times(events, c) for c in ("ready", "start", "end")], axis=1)
    ev["t0"] = stamps.min(axis=1).to_numpy()
    ev = ev[ev["end"].notna()]
    g = ev.groupby("case_id", sort=True)
    cases = pd.DataFrame(
        {
            "item_id": g["item_id"].first(),
            "first": g["t0"].min(),
            "last": g["end"].max(),
            "events": g.size(),
        }
    )
    acc = ev[ev["activity"] == accept_activity].groupby("case_id")["end"].min()
    cases["accepted"] = acc.reindex(cases.index)
    cases.index.name = "case_id"
    cases = cases.reset_index()
    day_first = _day_index(cases["first"], calendar)
    day_acc = _day_index(cases["accepted"], calendar)
    day_last = _day_index(cases["last"], calendar)
    ordinal = calendar.workday_ordinal
    ok = day_acc >= 0
    wd = np.zeros(len(cases), dtype=np.int64)
    wd[ok] = ordinal[day_last[ok]] - ordinal[day_acc[ok]]
    cases["working_days"] = pd.array(wd, dtype="Int64")
    cases.loc[~ok, "working_days"] = pd.NA
    cases["calendar_days"] = (day_last - day_first).astype(np.int64)
    return cases[
        [
            "case_id",
            "item_id",
            "first",
            "accepted",
            "last",
            "events",
            "working_days",
            "calendar_days",
        ]
    ]


def _day_index(times: pd.Series, calendar: WorkCalendar) -> np.ndarray:
    """Calendar day index of each timestamp (-1 for NaT); raises outside the calendar."""
    t = pd.to_datetime(times)
    origin = pd.Timestamp(calendar.start)
    days = ((t.dt.normalize() - origin) // pd.Timedelta(days=1)).to_numpy(
        dtype="float64", na_value=np.nan
    )
    out = np.where(np.isnan(days), -1, days).astype(np.int64)
    bad = (~np.isnan(days)) & ((days < 0) | (days >= calendar.n_days))
    if bad.any():
        raise ValueError(
            f"timestamp {t[bad].iloc[0]} lies outside the working-day calendar "
            f"{calendar.start} .. {calendar.date_of(calendar.n_days - 1)}"
        )
    return out


def infer_closed(
    events: pd.DataFrame,
    *,
    accept_activity: str = "accept",
    threshold: float = 0.9,
) -> pd.Series:
    """Guess which cases were closed when the log was extracted (no status in the log).

    Rule: order each case's events by day, then, within a day, by the activity's typical
    position in its item's cases (so that timestamps without a time of day do not reorder a
    day's steps), then by time. The k-th occurrence of an activity in a case (a file may pass
    the same courier twice) is *terminal* for an item when at least ``threshold`` of such
    occurrences are the last event of their case. A case is closed when it was accepted and
    its last event is terminal for its item: a case caught in the middle of its route at the
    extraction ends with a step that usually has successors.

    Parameters
    ----------
    events : pandas.DataFrame
        Event log.
    accept_activity : str
        The acceptance activity.
    threshold : float, default 0.9
        Share of occurrences that must be last for an occurrence to be terminal.

    Returns
    -------
    pandas.Series
        Bool per ``case_id`` (str index).
    """
    _check_events(events)
    ev = pd.DataFrame(
        {
            "case_id": events["case_id"].astype("str").to_numpy(),
            "item_id": events["item_id"].astype("str").to_numpy(),
            "activity": events["activity"].astype("str").to_numpy(),
            "end": _times(events, "end").to_numpy(),
        }
    ).dropna(subset=["end"])
    ev["day"] = ev["end"].dt.normalize()
    ev = ev.sort_values(["case_id", "day", "end"], kind="stable")
    pos = ev.groupby("case_id").cumcount()
    size = ev.groupby("case_id")["end"].transform("size")
    ev["rel"] = np.where(size > 1, pos / (size - 1).clip(lower=1), 1.0)
    ev["rank"] = ev.groupby(["item_id", "activity"])["rel"].transform("median")
    ev = ev.sort_values(["case_id", "day", "rank", "end"], kind="stable")
    last_mask = ~ev["case_id"].duplicated(keep="last").to_numpy()
    ev["is_last"] = last_mask
    ev["occ"] = ev.groupby(["case_id", "activity"]).cumcount()
    share = ev.groupby(["item_id", "activity", "occ"])["is_last"].mean()
    terminal = set(share[share >= threshold].index)
    last = ev[last_mask]
    is_term = [
        (i, a, k) in terminal for i, a, k in zip(last["item_id"], last["activity"], last["occ"])
    ]
    accepted = set(ev.loc[ev["activity"] == accept_activity, "case_id"])
    return pd.Series(
        np.asarray(is_term, dtype=bool) & last["case_id"].isin(accepted).to_numpy(),
        index=pd.Index(last["case_id"].to_numpy(), name="case_id"),
    )


def _closed_series(
    closed: pd.Series | Mapping[str, bool] | Collection[str] | None,
    events: pd.DataFrame,
    accept_activity: str,
) -> tuple[pd.Series, str]:
    if closed is None:
        return infer_closed(events, accept_activity=accept_activity), (
            "observed cases open at the end of the log were identified by the rule of "
            "simhall.validation.infer_closed (last step not a terminal step of the item)"
        )
    if isinstance(closed, pd.Series):
        s = closed.astype(bool)
        s.index = s.index.astype("str")
        return s, "observed open cases: from the status given with the log"
    if isinstance(closed, Mapping):
        mapped = pd.Series({str(k): bool(v) for k, v in closed.items()}, dtype=bool)
        return mapped, "observed open cases: from the status given with the log"
    ids = {str(c) for c in closed}
    all_ids = pd.Index(events["case_id"].astype("str").unique())
    return pd.Series(all_ids.isin(list(ids)), index=all_ids), (
        "observed open cases: every case not in the given set of closed cases"
    )


# --------------------------------------------------------------------------- results
@dataclass
class ValidationResult:
    """What :func:`validate` returns.

    Attributes
    ----------
    table : pandas.DataFrame
        Tidy comparison: ``scope`` (hall, item, department), ``id``, ``metric``,
        ``observed``, ``simulated``, ``error`` (``|simulated - observed|`` or the distance),
        ``limit``, ``se`` (noise scale used by the limit), ``n_observed``, ``n_simulated``,
        ``status`` (PASS, FAIL, n/a, info).
    observed_cases, simulated_cases : pandas.DataFrame
        Case tables (:func:`case_table`) with ``closed`` and ``scored`` (used for durations);
        simulated cases carry ``replication``.
    weekly : pandas.DataFrame
        ``week`` (Monday), ``observed``, ``simulated`` (mean over replications) accepted-case
        counts.
    hourly : pandas.DataFrame
        ``hour``, ``observed``, ``simulated``: shares of ticket times per hour of day.
    settings : dict
        Period, replications, seed, scenario name, accept activity, warm-up.
    notes : list of str
        Assumptions and caveats (censoring, missing columns, unknown items).
    tolerances : Tolerances
        The tolerances applied.
    """

    table: pd.DataFrame
    observed_cases: pd.DataFrame
    simulated_cases: pd.DataFrame
    weekly: pd.DataFrame
    hourly: pd.DataFrame
    settings: dict[str, Any]
    notes: list[str]
    tolerances: Tolerances

    @property
    def passed(self) -> bool:
        """True when no row failed."""
        return not bool((self.table["status"] == "FAIL").any())

    @property
    def failures(self) -> pd.DataFrame:
        """The failed rows."""
        return self.table[self.table["status"] == "FAIL"].reset_index(drop=True)

    def row(self, metric: str, scope: str = "hall", id: str = "hall") -> pd.Series:
        """The row of one metric (hall-wide by default).

        Parameters
        ----------
        metric : str
            Metric name.
        scope, id : str
            Scope (hall, item, department) and its id.

        Returns
        -------
        pandas.Series

        Raises
        ------
        KeyError
            If there is no such row.
        """
        t = self.table
        hit = t[(t["scope"] == scope) & (t["id"] == id) & (t["metric"] == metric)]
        if hit.empty:
            raise KeyError((scope, id, metric))
        return hit.iloc[0]

    def render(self, max_items: int = 10) -> str:
        """The terminal table: hall and department rows, and the largest items."""
        t = self.table[self.table["status"] != "info"]
        items = self.observed_cases.groupby("item_id").size().sort_values(ascending=False).index
        shown = set(items[:max_items])
        keep = (t["scope"] != "item") | t["id"].isin(shown)
        view = t[keep].copy()
        for c in ("observed", "simulated", "error", "limit"):
            view[c] = view[c].map(lambda v: "" if pd.isna(v) else f"{v:.3g}")
        n_fail = int((t["status"] == "FAIL").sum())
        n_pass = int((t["status"] == "PASS").sum())
        cols = ["scope", "id", "metric", "observed", "simulated", "error", "limit"]
        with pd.option_context("display.width", 200, "display.max_rows", 1000):
            body = view[[*cols, "n_observed", "status"]].to_string(index=False)
        head = (
            f"validation of {self.settings['scenario']} against {self.settings['log']}: "
            f"{n_pass} PASS, {n_fail} FAIL (items shown: the {len(shown)} largest; all in "
            "validation.csv)"
        )
        return head + "\n" + body

    def to_markdown(self, figures: Iterable[str] = ()) -> str:
        """The validation report (Markdown).

        Parameters
        ----------
        figures : iterable of str
            File names of figures to link.

        Returns
        -------
        str
        """
        s = self.settings
        t = self.table
        lines = [
            f"# Validation: {s['scenario']}",
            "",
            f"Log: `{s['log']}`. Cases starting {s['start']} to {s['end']}; observation ends "
            f"{s['observed_until']}. Simulation: {s['reps']} replication(s), seed {s['seed']}, "
            f"warm-up {s['warmup_days']} day(s), no drain beyond the end of the log.",
            "",
            f"**Result: {'PASS' if self.passed else 'FAIL'}** — "
            f"{int((t['status'] == 'PASS').sum())} PASS, {int((t['status'] == 'FAIL').sum())} "
            f"FAIL, {int((t['status'] == 'n/a').sum())} not scored (fewer than "
            f"{self.tolerances.min_cases} observations).",
            "",
            "## Censoring and definitions",
            "",
        ]
        lines += [f"- {n}" for n in self.notes]
        lines += [
            "- working days: after the acceptance day up to and including the day of the last "
            "event, on the scenario's working-day calendar (the simulator's definition), "
            "computed by the same function for observed and simulated logs.",
            "",
            "## Tolerances",
            "",
            "PASS when |simulated − observed| ≤ max(abs, rel × |observed|, z × se), where se is "
            "the larger of the case-level standard error and the between-replication spread "
            "(sd × √(1 + 1/R)); for `wasserstein_days` the distance itself is compared, with "
            "the observed mean as reference and, as se, the mean distance of one replication "
            "to all of them pooled; for `hourly_profile_tv` the distance is compared with "
            "`abs`.",
            "",
            _md_table(self.tolerances.to_frame()),
            "",
            "## Comparison",
            "",
            _md_table(_fmt(t)),
            "",
        ]
        names = list(figures)
        if names:
            lines += ["## Figures", ""] + [f"![{n}]({n})" for n in names] + [""]
        return "\n".join(lines)

    def figures(self, max_items: int = 5) -> dict[str, Figure]:
        """Observed vs simulated figures: duration ECDFs, weekly counts, hourly profile.

        Parameters
        ----------
        max_items : int, default 5
            Items (largest first) with their own ECDF panel.

        Returns
        -------
        dict of str to matplotlib.figure.Figure
            File name -> figure (fixed sizes).
        """
        return {
            "durations_ecdf.png": _fig_ecdf(self, max_items),
            "weekly_counts.png": _fig_weekly(self.weekly),
            "hourly_profile.png": _fig_hourly(self.hourly),
        }

    def write(self, out_dir: str | os.PathLike[str], *, figures: bool = True) -> Path:
        """Write ``validation.csv``, ``validation.md`` and the figures atomically.

        Parameters
        ----------
        out_dir : path
            Output folder (created).
        figures : bool, default True
            Also write the PNG figures.

        Returns
        -------
        Path
            The folder.
        """
        from simhall.io import atomic_write_bytes, atomic_write_csv, atomic_write_text

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        atomic_write_csv(self.table, out / "validation.csv")
        names: list[str] = []
        if figures:
            for name, fig in self.figures().items():
                buf = io.BytesIO()
                fig.savefig(buf, format="png", dpi=100)
                atomic_write_bytes(buf.getvalue(), out / name)
                names.append(name)
        atomic_write_text(self.to_markdown(names), out / "validation.md")
        return out


def _fmt(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for c in ("observed", "simulated", "error", "limit", "se"):
        if c in out:
            out[c] = out[c].map(lambda v: "" if pd.isna(v) else f"{v:.4g}")
    return out


def _md_table(frame: pd.DataFrame) -> str:
    def cell(v: Any) -> str:
        return "" if pd.isna(v) else str(v)

    return markdown_table(frame, cell)


# --------------------------------------------------------------------------- figures
def _new_figure(size: tuple[float, float]) -> Figure:
    from matplotlib.figure import Figure

    # A bare Figure needs no pyplot state (Agg canvas): nothing global, nothing left open.
    return Figure(figsize=size, layout="constrained")


def _ecdf(ax: Any, values: np.ndarray, label: str, color: str) -> None:
    if values.size == 0:
        return
    x = np.sort(values)
    y = np.arange(1, x.size + 1) / x.size
    ax.step(x, y, where="post", label=label, color=color)


def _fig_ecdf(res: ValidationResult, max_items: int) -> Figure:
    obs = res.observed_cases[res.observed_cases["scored"]]
    sim = res.simulated_cases[res.simulated_cases["scored"]]
    top = list(obs.groupby("item_id").size().sort_values(ascending=False).index[:max_items])
    panels: list[tuple[str, pd.DataFrame, pd.DataFrame]] = [("whole hall", obs, sim)]
    panels += [(str(i), obs[obs["item_id"] == i], sim[sim["item_id"] == i]) for i in top]
    fig = _new_figure((10.0, 6.0))
    axes = fig.subplots(2, 3, squeeze=False).ravel()
    for ax, (title, o, s) in zip(axes, panels):
        _ecdf(ax, o["working_days"].to_numpy(dtype=np.float64), f"observed ({len(o)})", "black")
        _ecdf(ax, s["working_days"].to_numpy(dtype=np.float64), "simulated", "tab:orange")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("working days", fontsize=8)
        ax.set_ylim(0, 1.02)
        ax.legend(fontsize=7, frameon=False, loc="lower right")
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    fig.suptitle("Working days from acceptance to completion: ECDF, observed vs simulated")
    return fig


def _fig_weekly(weekly: pd.DataFrame) -> Figure:
    fig = _new_figure((8.0, 3.5))
    ax = fig.add_subplot()
    if len(weekly):
        ax.plot(weekly["week"], weekly["observed"], color="black", marker=".", label="observed")
        ax.plot(
            weekly["week"],
            weekly["simulated"],
            color="tab:orange",
            marker=".",
            label="simulated (mean of replications)",
        )
    ax.set_ylabel("accepted cases per week")
    ax.set_title("Weekly case counts")
    ax.legend(frameon=False, fontsize=8)
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    return fig


def _fig_hourly(hourly: pd.DataFrame) -> Figure:
    fig = _new_figure((6.0, 3.5))
    ax = fig.add_subplot()
    if len(hourly):
        h = hourly["hour"].to_numpy(dtype=np.float64)
        ax.bar(h - 0.2, hourly["observed"], width=0.4, color="black", label="observed")
        ax.bar(h + 0.2, hourly["simulated"], width=0.4, color="tab:orange", label="simulated")
    ax.set_xlabel("hour of day")
    ax.set_ylabel("share of tickets")
    ax.set_title("Hourly ticket profile")
    ax.legend(frameon=False, fontsize=8)
    return fig


# --------------------------------------------------------------------------- metrics
def _row(
    scope: str,
    id_: str,
    metric: str,
    observed: float,
    simulated: float,
    n_obs: int,
    n_sim: int,
    tol: Tolerances,
    *,
    distance: float | None = None,
    reference: float | None = None,
    se: float = math.nan,
) -> dict[str, Any]:
    t = tol.metrics[metric]
    if distance is None:
        both = math.isfinite(observed) and math.isfinite(simulated)
        error = abs(simulated - observed) if both else math.nan
        limit = t.limit(observed, se)
    else:
        error = distance
        limit = t.limit(reference if reference is not None else math.nan, se)
    if n_obs < tol.min_cases or not math.isfinite(error) or n_sim == 0:
        status = "n/a"
    else:
        status = "PASS" if error <= limit + 1e-12 else "FAIL"
    return {
        "scope": scope,
        "id": id_,
        "metric": metric,
        "observed": observed,
        "simulated": simulated,
        "error": error,
        "limit": limit,
        "se": se,
        "n_observed": int(n_obs),
        "n_simulated": int(n_sim),
        "status": status,
    }


def _quant(x: np.ndarray, q: float) -> float:
    return float(np.quantile(x, q)) if x.size else math.nan


def _rep_spread(values: list[float], reps: int) -> float:
    """Between-replication standard error of "one more realization": ``sd * sqrt(1 + 1/R)``.

    The observed log is one realization of the hall; a simulated statistic varies from
    replication to replication (much more than case-level noise suggests when staff work
    near capacity), so the observed value is compared with that spread. NaN with fewer than
    two finite replication values.
    """
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    if x.size < 2:
        return math.nan
    return float(x.std(ddof=1)) * math.sqrt(1.0 + 1.0 / reps)


def _nanmax(*values: float) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return max(finite) if finite else math.nan


def _se_mean(o: np.ndarray, s: np.ndarray) -> float:
    """Standard error of the difference of two sample means (NaN if a sample is tiny)."""
    if o.size < 2 or s.size < 2:
        return math.nan
    return math.sqrt(float(o.var(ddof=1)) / o.size + float(s.var(ddof=1)) / s.size)


def _duration_rows(
    scope: str,
    id_: str,
    obs: pd.DataFrame,
    sim: pd.DataFrame,
    n_weeks: float,
    reps: int,
    tol: Tolerances,
) -> list[dict[str, Any]]:
    rows = []
    n_obs_cases = len(obs)
    n_sim_cases = len(sim)
    o = obs.loc[obs["scored"], "working_days"].to_numpy(dtype=np.float64)
    s = sim.loc[sim["scored"], "working_days"].to_numpy(dtype=np.float64)
    per_rep: dict[str, list[float]] = {k: [] for k in ("count", "mean", "p50", "p90", "w1", "on")}
    for r in range(reps):
        g = sim[sim["replication"] == r]
        x = g.loc[g["scored"], "working_days"].to_numpy(dtype=np.float64)
        per_rep["count"].append(len(g) / n_weeks)
        per_rep["mean"].append(float(x.mean()) if x.size else math.nan)
        per_rep["p50"].append(_quant(x, 0.5))
        per_rep["p90"].append(_quant(x, 0.9))
        per_rep["on"].append(float(np.mean(x == 0)) if x.size else math.nan)
        if reps > 1 and x.size and s.size:
            per_rep["w1"].append(float(wasserstein_distance(x, s)))
    spread = {k: _rep_spread(v, reps) for k, v in per_rep.items() if k != "w1"}
    # Poisson counts: var(observed) = n_obs, var(mean of reps) = (n_sim / reps) / reps
    se_count = math.sqrt(n_obs_cases + n_sim_cases / reps / reps) / n_weeks
    rows.append(
        _row(
            scope,
            id_,
            "cases_per_week",
            n_obs_cases / n_weeks,
            n_sim_cases / reps / n_weeks,
            n_obs_cases,
            n_sim_cases,
            tol,
            se=_nanmax(se_count, spread["count"]),
        )
    )
    mo = float(o.mean()) if o.size else math.nan
    ms = float(s.mean()) if s.size else math.nan
    se_mean = _nanmax(_se_mean(o, s), spread["mean"])
    rows.append(_row(scope, id_, "mean_days", mo, ms, o.size, s.size, tol, se=se_mean))
    p50o, p50s, p90o, p90s = _quant(o, 0.5), _quant(s, 0.5), _quant(o, 0.9), _quant(s, 0.9)
    rows.append(_row(scope, id_, "p50_days", p50o, p50s, o.size, s.size, tol, se=spread["p50"]))
    rows.append(_row(scope, id_, "p90_days", p90o, p90s, o.size, s.size, tol, se=spread["p90"]))
    w = float(wasserstein_distance(o, s)) if o.size and s.size else math.nan
    # how far one replication typically lies from the pooled simulation
    typical = float(np.mean(per_rep["w1"])) if per_rep["w1"] else math.nan
    rows.append(
        _row(
            scope,
            id_,
            "wasserstein_days",
            math.nan,
            math.nan,
            o.size,
            s.size,
            tol,
            distance=w,
            reference=mo,
            se=typical,
        )
    )
    ro = float(np.mean(o == 0)) if o.size else math.nan
    rs = float(np.mean(s == 0)) if s.size else math.nan
    se_on = _nanmax(
        _se_mean((o == 0).astype(np.float64), (s == 0).astype(np.float64)), spread["on"]
    )
    rows.append(_row(scope, id_, "onsite_rate", ro, rs, o.size, s.size, tol, se=se_on))
    return rows


def _waits(
    events: pd.DataFrame, windows: Collection[str], dept_of: Mapping[str, str]
) -> pd.DataFrame:
    """Window waits in minutes (ticket to call); timestamps without a time of day skipped."""
    ready = _times(events, "ready")
    start = _times(events, "start")
    precise = (ready != ready.dt.normalize()) & (start != start.dt.normalize())
    mask = (
        events["activity"].astype("str").isin(list(windows)).to_numpy()
        & (ready.notna() & start.notna() & precise).to_numpy()
    )
    sub = events[mask]
    wait = (start[mask] - ready[mask]).dt.total_seconds() / 60.0
    out = pd.DataFrame(
        {
            "department": sub["item_id"].astype("str").map(dept_of).to_numpy(),
            "wait_min": wait.to_numpy(dtype=np.float64),
        }
    )
    out["replication"] = (
        sub["replication"].to_numpy() if "replication" in sub.columns else np.zeros(len(sub))
    )
    return out


def _wait_rows(
    scope: str, id_: str, o: np.ndarray, sim: pd.DataFrame, reps: int, tol: Tolerances
) -> list[dict[str, Any]]:
    s = sim["wait_min"].to_numpy(dtype=np.float64)
    means, p90s = [], []
    for r in range(reps):
        x = sim.loc[sim["replication"] == r, "wait_min"].to_numpy(dtype=np.float64)
        means.append(float(x.mean()) if x.size else math.nan)
        p90s.append(_quant(x, 0.9))
    mo = float(o.mean()) if o.size else math.nan
    ms = float(s.mean()) if s.size else math.nan
    se_m = _nanmax(_se_mean(o, s), _rep_spread(means, reps))
    p90o, p90s_all = _quant(o, 0.9), _quant(s, 0.9)
    return [
        _row(scope, id_, "mean_wait_min", mo, ms, o.size, s.size, tol, se=se_m),
        _row(
            scope,
            id_,
            "p90_wait_min",
            p90o,
            p90s_all,
            o.size,
            s.size,
            tol,
            se=_rep_spread(p90s, reps),
        ),
    ]


def _tickets(events: pd.DataFrame, windows: Collection[str]) -> pd.Series:
    """Ticket times of window visits with a time of day (ready, else start, else end)."""
    win = events["activity"].astype("str").isin(list(windows)).to_numpy()
    t = _times(events, "ready").fillna(_times(events, "start")).fillna(_times(events, "end"))
    t = t[win]
    return t[t.notna() & (t != t.dt.normalize())]


def _hour_shares(t: pd.Series) -> np.ndarray:
    counts = np.bincount(t.dt.hour.to_numpy(dtype=np.int64), minlength=24).astype(np.float64)
    total = counts.sum()
    return counts / total if total else counts


# --------------------------------------------------------------------------- validate
def _load(scenario: Scenario | str | os.PathLike[str]) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    from simhall.scenario import load_scenario

    return load_scenario(scenario)


def _catalogue(scenario: Scenario, items: pd.DataFrame | None) -> pd.DataFrame:
    if items is not None:
        for c in ("item_id", "department"):
            if c not in items.columns:
                raise ValueError(f"items catalogue lacks column {c!r}")
        return items.assign(item_id=items["item_id"].astype("str"))
    from simhall.synth import items_catalogue

    return items_catalogue(scenario)


def validate(
    events: pd.DataFrame,
    scenario: Scenario | str | os.PathLike[str],
    *,
    items: pd.DataFrame | None = None,
    reps: int = 3,
    seed: int = 0,
    tolerances: Tolerances | Mapping[str, Any] | str | os.PathLike[str] | None = None,
    accept_activity: str = "accept",
    window_activities: Collection[str] | None = None,
    closed: pd.Series | Mapping[str, bool] | Collection[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    observed_until: pd.Timestamp | date | None = None,
    warmup_days: int = 0,
    workers: int = 1,
    log_label: str = "<events>",
) -> ValidationResult:
    """Simulate a scenario over a log's period and compare it with the log.

    Parameters
    ----------
    events : pandas.DataFrame
        Observed event log (case-log schema; ``case_id, item_id, activity, end`` required).
    scenario : Scenario or path
        The scenario to validate.
    items : pandas.DataFrame, optional
        Items catalogue (``item_id, department``...); default the scenario's items.
    reps : int, default 3
        Replications (3 or more give the between-replication allowance a sound footing).
    seed : int, default 0
        Master seed.
    tolerances : Tolerances, mapping, path or None
        Overrides of :data:`DEFAULT_TOLERANCES` (a TOML file path or its mapping).
    accept_activity : str, default "accept"
        The observed log's acceptance activity (simulated logs use ``accept``).
    window_activities : collection of str, optional
        Observed window activities (waits, tickets); default ``accept_activity`` and
        ``return_for_correction``.
    closed : Series, mapping, collection or None
        Which observed cases were closed at the end of the log (bool per case id, or the
        set of closed ids); default inferred (:func:`infer_closed`).
    start, end : datetime.date, optional
        First and last day on which scored cases start (default: the log's first and last
        case start). Cases starting outside are left out on both sides.
    observed_until : Timestamp or date, optional
        End of observation (default: the log's last timestamp); the simulation stops at
        the end of that day.
    warmup_days : int, default 0
        Days simulated before ``start`` so that the hall is not empty at ``start``.
    workers : int, default 1
        Worker processes for replications.
    log_label : str
        Name of the log in reports.

    Returns
    -------
    ValidationResult

    Raises
    ------
    ValueError
        Missing columns, an empty log, no case in the period, bad options.
    """
    from simhall.experiment import run

    _check_events(events)
    if len(events) == 0:
        raise ValueError(f"{log_label}: the event log is empty")
    if reps < 1:
        raise ValueError(f"reps = {reps}: expected a whole number >= 1")
    if warmup_days < 0:
        raise ValueError(f"warmup_days = {warmup_days}: expected a whole number >= 0")
    sc = _load(scenario)
    tol = _tolerances(tolerances)
    notes: list[str] = []
    cat = _catalogue(sc, items)
    dept_of = dict(zip(cat["item_id"].astype("str"), cat["department"].astype("str")))
    sim_items = {i.id for i in sc.items}
    windows = set(window_activities or (accept_activity, CORRECTION))

    ev = events.copy()
    ev["case_id"] = ev["case_id"].astype("str")
    ev["item_id"] = ev["item_id"].astype("str")
    end_t = _times(ev, "end")
    if end_t.isna().all():
        raise ValueError(f"{log_label}: no event has an end time")
    t_last = pd.Timestamp(end_t.max())
    present = [_times(ev, c) for c in ("ready", "start", "end")]
    t_min = min(pd.Timestamp(t.min()) for t in present if t.notna().any())
    obs_until = pd.Timestamp(observed_until) if observed_until is not None else t_last
    has_col = {c: bool(_times(ev, c).notna().any()) for c in ("ready", "start")}
    if not has_col["start"]:
        notes.append(
            "the log has no start times: window waits are not compared; case starts are the "
            "earliest completion (or ready) time"
        )
    elif not has_col["ready"]:
        notes.append("the log has no ready (ticket) times: window waits are not compared")
    midnight = float((end_t.notna() & (end_t == end_t.dt.normalize())).mean())
    if midnight > 0.05:
        notes.append(
            f"{midnight:.0%} of end times carry no time of day: they count on their day; the "
            "hourly profile and the waits use only timestamps with a time of day"
        )

    # a calendar covering the whole log and the simulation
    cal_start = min(t_min.date(), start or t_min.date()) - timedelta(days=warmup_days + 1)
    cal_end = max(obs_until.date(), t_last.date()) + timedelta(days=2)
    spec = dataclasses.replace(sc.calendar, start=cal_start)
    calendar = WorkCalendar(spec, (cal_end - cal_start).days + 1)

    obs = case_table(ev, calendar, accept_activity=accept_activity)
    unknown = ~obs["item_id"].isin(list(sim_items))
    if unknown.any():
        names = sorted(obs.loc[unknown, "item_id"].unique())
        notes.append(
            f"{int(unknown.sum())} observed case(s) of {len(names)} item(s) not in the "
            f"scenario left out: {', '.join(names[:10])}" + (" ..." if len(names) > 10 else "")
        )
        obs = obs[~unknown]
    if obs.empty:
        raise ValueError(f"{log_label}: no case of an item in the scenario")
    start_d = start or obs["first"].min().date()
    end_d = end or obs["first"].max().date()
    if end_d < start_d:
        raise ValueError(f"end ({end_d}) is before start ({start_d})")
    first_day = obs["first"].dt.normalize()
    in_period = (first_day >= pd.Timestamp(start_d)) & (first_day <= pd.Timestamp(end_d))
    if (~in_period).any():
        notes.append(
            f"{int((~in_period).sum())} observed case(s) starting outside {start_d} .. {end_d} "
            "left out"
        )
    obs = obs[in_period].reset_index(drop=True)
    if obs.empty:
        raise ValueError(f"{log_label}: no case starts between {start_d} and {end_d}")
    if obs_until.date() < end_d:
        raise ValueError(f"observed_until ({obs_until.date()}) is before the last start ({end_d})")
    closed_s, closed_note = _closed_series(closed, ev, accept_activity)
    obs["closed"] = obs["case_id"].map(closed_s).fillna(False).astype(bool)
    obs["scored"] = obs["closed"] & obs["working_days"].notna()
    notes.append(closed_note)

    # simulate the same period, cut at the same moment
    days = (end_d - start_d).days + 1
    drain = (obs_until.date() - end_d).days
    res = run(
        sc,
        start=start_d - timedelta(days=warmup_days),
        days=days + warmup_days,
        warmup_days=warmup_days,
        drain_days=drain,
        reps=reps,
        seed=seed,
        workers=workers,
        show_progress=False,
    )
    sim_ev = res.events.copy()
    sim_ev["case_id"] = (
        "r" + sim_ev["replication"].astype("str") + ":" + sim_ev["case_id"].astype("str")
    )
    for c in ("ready", "start"):
        if not has_col[c]:
            sim_ev[c] = pd.Series(pd.NaT, index=sim_ev.index, dtype="datetime64[ns]")
    sim = case_table(sim_ev, calendar, accept_activity=ACCEPT)
    rep_of = sim_ev.drop_duplicates("case_id").set_index("case_id")["replication"]
    sim["replication"] = sim["case_id"].map(rep_of).astype("int64")
    key = "r" + res.cases["replication"].astype("str") + ":" + res.cases["case_id"].astype("str")
    status = pd.Series(res.cases["status"].astype("str").to_numpy(), index=key.to_numpy())
    sim["closed"] = sim["case_id"].map(status).eq("completed").to_numpy()
    sday = sim["first"].dt.normalize()
    in_sim = (sday >= pd.Timestamp(start_d)) & (sday <= pd.Timestamp(end_d))
    sim = sim[in_sim].reset_index(drop=True)
    sim["scored"] = sim["closed"] & sim["working_days"].notna()
    n_open_obs = int((obs["working_days"].notna() & ~obs["closed"]).sum())
    n_open_sim = int((sim["working_days"].notna() & ~sim["closed"]).sum())
    notes.append(
        f"censoring: {n_open_obs} of {int(obs['working_days'].notna().sum())} accepted observed "
        f"case(s) and {n_open_sim} of {int(sim['working_days'].notna().sum())} accepted "
        f"simulated case(s) ({reps} replication(s)) were still open at {obs_until} and are "
        "left out of the duration metrics on both sides"
    )

    # metrics
    n_weeks = days / 7.0
    obs_acc = obs[obs["working_days"].notna()]
    sim_acc = sim[sim["working_days"].notna()]
    rows = _duration_rows("hall", "hall", obs_acc, sim_acc, n_weeks, reps, tol)
    for item_id, o in obs_acc.groupby("item_id", sort=True):
        s = sim_acc[sim_acc["item_id"] == item_id]
        rows += _duration_rows("item", str(item_id), o, s, n_weeks, reps, tol)
    # waits and tickets of accepted cases on both sides (an export may omit the rest)
    ev_in = ev[ev["case_id"].isin(set(obs_acc["case_id"]))]
    sim_in = sim_ev[sim_ev["case_id"].isin(set(sim_acc["case_id"]))]
    sim_windows = {ACCEPT, CORRECTION}
    if has_col["ready"] and has_col["start"]:
        ow = _waits(ev_in, windows, dept_of)
        sw = _waits(sim_in, sim_windows, {i.id: i.department for i in sc.items})
        rows += _wait_rows("hall", "hall", ow["wait_min"].to_numpy(), sw, reps, tol)
        for dept, o in ow.groupby("department", sort=True):
            rows += _wait_rows(
                "department",
                str(dept),
                o["wait_min"].to_numpy(),
                sw[sw["department"] == dept],
                reps,
                tol,
            )
    ot = _tickets(ev_in, windows)
    st = _tickets(sim_in, sim_windows)
    po, ps = _hour_shares(ot), _hour_shares(st)
    tv = 0.5 * float(np.abs(po - ps).sum()) if len(ot) and len(st) else math.nan
    rows.append(
        _row(
            "hall",
            "hall",
            "hourly_profile_tv",
            math.nan,
            math.nan,
            len(ot),
            len(st),
            tol,
            distance=tv,
        )
    )
    hourly = pd.DataFrame({"hour": np.arange(24), "observed": po, "simulated": ps})
    hourly = hourly[(hourly["observed"] > 0) | (hourly["simulated"] > 0)].reset_index(drop=True)
    if len(ot) == 0:
        notes.append("no ticket time with a time of day: the hourly profile is not compared")

    weeks = pd.period_range(pd.Timestamp(start_d), pd.Timestamp(end_d), freq="W-SUN")
    wk_o = obs_acc["first"].dt.to_period("W-SUN").value_counts()
    wk_s = sim_acc["first"].dt.to_period("W-SUN").value_counts() / reps
    weekly = pd.DataFrame(
        {
            "week": weeks.start_time,
            "observed": wk_o.reindex(weeks, fill_value=0).to_numpy(dtype=np.float64),
            "simulated": wk_s.reindex(weeks, fill_value=0).to_numpy(dtype=np.float64),
        }
    )
    settings = {
        "scenario": sc.name,
        "log": log_label,
        "start": start_d,
        "end": end_d,
        "observed_until": obs_until,
        "reps": reps,
        "seed": seed,
        "warmup_days": warmup_days,
        "accept_activity": accept_activity,
        "sim_days": days,
        "drain_days": drain,
    }
    return ValidationResult(pd.DataFrame(rows), obs, sim, weekly, hourly, settings, notes, tol)


# --------------------------------------------------------------------------- holdout
@dataclass
class HoldoutResult:
    """What :func:`holdout` returns.

    Attributes
    ----------
    validation : ValidationResult
        The calibrated scenario scored on the test period (its table also holds ``info``
        rows ``naive_wasserstein_days``).
    calibration : Calibration
        The calibration on the training period.
    train_cases : pandas.DataFrame
        Case table of the training cases (with ``closed`` and ``scored``).
    naive : pandas.DataFrame
        ``scope, id, measure`` (``working_days``, ``calendar_days``), ``model`` and
        ``naive`` Wasserstein distances to the observed test cases, ``n_test``, ``n_sim``,
        ``n_train``.
    train_period, test_period : tuple of datetime.date
        First and last start days.
    """

    validation: ValidationResult
    calibration: Calibration
    train_cases: pd.DataFrame
    naive: pd.DataFrame
    train_period: tuple[date, date]
    test_period: tuple[date, date]

    def to_markdown(self, figures: Iterable[str] = ()) -> str:
        """Validation report with the held-out set-up and the naive comparison."""
        v = self.validation
        head = [
            "## Held-out set-up",
            "",
            f"Calibrated on cases starting {self.train_period[0]} .. {self.train_period[1]} "
            f"({self.calibration.n_cases} cases), scored on cases starting "
            f"{self.test_period[0]} .. {self.test_period[1]} ({len(v.observed_cases)} cases).",
            "",
            "Naive forecast: the training period's observed (closed) cases used as the "
            "prediction of the test period. Wasserstein distance to the observed test cases "
            "(smaller is better):",
            "",
            _md_table(_fmt_naive(self.naive)),
            "",
        ]
        return v.to_markdown(figures) + "\n" + "\n".join(head)

    def write(self, out_dir: str | os.PathLike[str], *, figures: bool = True) -> Path:
        """Write the validation files, ``naive.csv``, the calibrated scenario and its report.

        Parameters
        ----------
        out_dir : path
            Output folder.
        figures : bool, default True
            Also write the PNG figures.

        Returns
        -------
        Path
            The folder.
        """
        from simhall.io import atomic_write_csv, atomic_write_text

        out = self.validation.write(out_dir, figures=figures)
        atomic_write_csv(self.naive, out / "naive.csv")
        names = list(self.validation.figures()) if figures else []
        atomic_write_text(self.to_markdown(names), out / "validation.md")
        self.calibration.write(out / "calibrated.toml", out / "calibration.md")
        return out


def _fmt_naive(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for c in ("model", "naive"):
        out[c] = out[c].map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
    return out


def naive_comparison(test: pd.DataFrame, sim: pd.DataFrame, train: pd.DataFrame) -> pd.DataFrame:
    """Wasserstein distances of the model and of the naive forecast to the test cases.

    Parameters
    ----------
    test, sim, train : pandas.DataFrame
        Case tables with ``scored``, ``item_id``, ``working_days``, ``calendar_days``.

    Returns
    -------
    pandas.DataFrame
        ``scope, id, measure, model, naive, n_test, n_sim, n_train``.
    """
    rows = []
    groups: list[tuple[str, str, pd.DataFrame, pd.DataFrame, pd.DataFrame]] = [
        ("hall", "hall", test, sim, train)
    ]
    if test["item_id"].nunique() > 1:
        for item_id, t in test.groupby("item_id", sort=True):
            groups.append(
                (
                    "item",
                    str(item_id),
                    t,
                    sim[sim["item_id"] == item_id],
                    train[train["item_id"] == item_id],
                )
            )
    for scope, id_, t, s, tr in groups:
        t, s, tr = t[t["scored"]], s[s["scored"]], tr[tr["scored"]]
        for measure in ("working_days", "calendar_days"):
            o = t[measure].to_numpy(dtype=np.float64)
            m = s[measure].to_numpy(dtype=np.float64)
            n = tr[measure].to_numpy(dtype=np.float64)
            rows.append(
                {
                    "scope": scope,
                    "id": id_,
                    "measure": measure,
                    "model": float(wasserstein_distance(o, m)) if o.size and m.size else math.nan,
                    "naive": float(wasserstein_distance(o, n)) if o.size and n.size else math.nan,
                    "n_test": int(o.size),
                    "n_sim": int(m.size),
                    "n_train": int(n.size),
                }
            )
    return pd.DataFrame(rows)


def holdout(
    events: pd.DataFrame,
    items: pd.DataFrame,
    *,
    train_until: date | str,
    train_since: date | str | None = None,
    test_until: date | str | None = None,
    reps: int = 3,
    seed: int = 0,
    tolerances: Tolerances | Mapping[str, Any] | str | os.PathLike[str] | None = None,
    accept_activity: str = "accept",
    holidays: str = "cn",
    classification: dict[str, str] | None = None,
    closed: pd.Series | Mapping[str, bool] | Collection[str] | None = None,
    observed_until: pd.Timestamp | date | None = None,
    warmup_days: int = 0,
    workers: int = 1,
    log_label: str = "<events>",
    calibrate_options: Mapping[str, Any] | None = None,
) -> HoldoutResult:
    """Calibrate on cases starting up to ``train_until``, simulate and score the later ones.

    Parameters
    ----------
    events : pandas.DataFrame
        The whole observed log.
    items : pandas.DataFrame
        Items catalogue (for :func:`simhall.calibration.calibrate`).
    train_until : date or str
        Last start day of training cases; test cases start the day after.
    train_since : date or str, optional
        First start day of training cases (default: the log's first).
    test_until : date or str, optional
        Last start day of test cases (default: the log's last case start).
    reps, seed, tolerances, accept_activity, closed, observed_until, warmup_days, workers
        As for :func:`validate`.
    holidays : {"cn", "weekends-only"}
        Calendar of the calibrated scenario.
    classification : dict, optional
        Activity kind overrides for calibration.
    log_label : str
        Name of the log in reports.
    calibrate_options : mapping, optional
        Further keyword arguments of :func:`simhall.calibration.calibrate`.

    Returns
    -------
    HoldoutResult

    Raises
    ------
    ValueError
        Bad dates, no case in either period.
    """
    from simhall.calibration import calibrate

    _check_events(events)
    train_until_d = pd.Timestamp(train_until).date()
    ev = events.copy()
    ev["case_id"] = ev["case_id"].astype("str")
    firsts = pd.concat([_times(ev, c) for c in ("ready", "start", "end")], axis=1).min(axis=1)
    case_first = firsts.groupby(ev["case_id"]).min()
    since_d = (
        pd.Timestamp(train_since).date() if train_since is not None else case_first.min().date()
    )
    test_start = train_until_d + timedelta(days=1)
    test_end = (
        pd.Timestamp(test_until).date() if test_until is not None else case_first.max().date()
    )
    if train_until_d < since_d:
        raise ValueError(f"train_until ({train_until_d}) is before train_since ({since_d})")
    if test_end < test_start:
        raise ValueError(f"no test period: test_until ({test_end}) is not after train_until")
    day = case_first.dt.normalize()
    in_train = (day >= pd.Timestamp(since_d)) & (day <= pd.Timestamp(train_until_d))
    in_test = (day >= pd.Timestamp(test_start)) & (day <= pd.Timestamp(test_end))
    train_ids = set(day[in_train].index)
    test_ids = set(day[in_test].index)
    if not train_ids:
        raise ValueError(f"no case starts between {since_d} and {train_until_d} (training)")
    if not test_ids:
        raise ValueError(f"no case starts between {test_start} and {test_end} (test)")
    opts = dict(calibrate_options or {})
    opts.setdefault("source", log_label)
    train_ev = ev[ev["case_id"].isin(train_ids)]
    cal = calibrate(
        train_ev,
        items,
        since=since_d,
        until=train_until_d,
        accept_activity=accept_activity,
        classification=classification,
        holidays=holidays,
        seed=seed,
        **opts,
    )
    scenario = cal.scenario()
    until = (
        pd.Timestamp(observed_until)
        if observed_until is not None
        else pd.Timestamp(_times(ev, "end").max())
    )
    val = validate(
        ev[ev["case_id"].isin(test_ids)],
        scenario,
        items=items,
        reps=reps,
        seed=seed,
        tolerances=tolerances,
        accept_activity=accept_activity,
        closed=closed,
        start=test_start,
        end=test_end,
        observed_until=until,
        warmup_days=warmup_days,
        workers=workers,
        log_label=log_label,
    )
    # training cases, summarised like the test cases (same calendar definition)
    spec = dataclasses.replace(scenario.calendar, start=since_d - timedelta(days=1))
    calendar = WorkCalendar(spec, (until.date() - since_d).days + 4)
    train = case_table(train_ev, calendar, accept_activity=accept_activity)
    closed_s, _ = _closed_series(closed, train_ev, accept_activity)
    train["closed"] = train["case_id"].map(closed_s).fillna(False).astype(bool)
    train["scored"] = train["closed"] & train["working_days"].notna()
    naive = naive_comparison(val.observed_cases, val.simulated_cases, train)
    extra = [
        {
            "scope": r.scope,
            "id": r.id,
            "metric": "naive_wasserstein_days",
            "observed": math.nan,
            "simulated": math.nan,
            "error": r.naive,
            "limit": math.nan,
            "se": math.nan,
            "n_observed": r.n_test,
            "n_simulated": r.n_train,
            "status": "info",
        }
        for r in naive[naive["measure"] == "working_days"].itertuples(index=False)
    ]
    val.table = pd.concat([val.table, pd.DataFrame(extra)], ignore_index=True)
    val.notes.append(
        f"held-out: calibrated on {len(train_ids)} case(s) starting {since_d} .. "
        f"{train_until_d}; scored on {len(test_ids)} case(s) starting {test_start} .. {test_end}"
    )
    return HoldoutResult(val, cal, train, naive, (since_d, train_until_d), (test_start, test_end))
