"""Held-out validation: calibrate on an earlier period, forecast and score the later one.

A forecaster is trusted for what she predicted before the weather came, not for how well she
explains it afterwards. :func:`holdout` calibrates a scenario on cases starting up to a day
(:func:`simhall.calibration.calibrate`), simulates the cases that start after it and scores
them with :func:`simhall.validation.validate.validate`, next to the naive forecast "the test
period looks like the training period" (:func:`naive_comparison`).
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.stats import wasserstein_distance

from simhall.calendar import WorkCalendar
from simhall.validation.cases import case_table, check_events, closed_status, event_times
from simhall.validation.result import ValidationResult, markdown_cells
from simhall.validation.tolerances import Tolerances
from simhall.validation.validate import validate

if TYPE_CHECKING:
    from simhall.calibration import Calibration

__all__ = ["HoldoutResult", "holdout", "naive_comparison"]


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
            markdown_cells(_fmt_naive(self.naive)),
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
    """A copy with the distances as strings with two decimals."""
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

    check_events(events)
    train_until_d = pd.Timestamp(train_until).date()
    ev = events.copy()
    ev["case_id"] = ev["case_id"].astype("str")
    firsts = pd.concat([event_times(ev, c) for c in ("ready", "start", "end")], axis=1).min(axis=1)
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
        else pd.Timestamp(event_times(ev, "end").max())
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
    closed_s, _ = closed_status(closed, train_ev, accept_activity)
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
