"""Held-out validation: calibrate on an earlier period, forecast and score the later one.

A forecaster is trusted for what she predicted before the weather came, not for how well she
explains it afterwards. :func:`holdout` runs the protocol in named steps:

1. :func:`split_periods`: the cases starting up to a day train, those starting after it test
   (:class:`HoldoutSplit`);
2. :func:`calibrate_training`: a scenario calibrated on the training cases only
   (:func:`simhall.calibration.calibrate`);
3. the test cases scored against it with :func:`simhall.validation.validate.validate`;
4. :func:`training_cases`: the training cases summarised like the test cases;
5. next to the model, the naive forecast "the test period looks like the training period",
   plain and censored like the test period (:mod:`simhall.validation.naive`), with the
   number of cases behind each, added to the table as ``info`` rows, and a warning when a
   yardstick rests on too few cases.

Closure is decided once, on the whole log, with the extraction date of the whole log
(:func:`log_closure`): a training case is closed or open by the same rule, and the same
evidence, as a test case.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd

from simhall.calendar import WorkCalendar
from simhall.scenario.schema import CalendarSpec
from simhall.validation.cases import case_table, check_events, event_times
from simhall.validation.closure import ClosedRule, ClosedSpec, Closure
from simhall.validation.closure_rules import closed_status
from simhall.validation.naive import naive_comparison, naive_rows, yardstick_warnings
from simhall.validation.result import HoldoutResult
from simhall.validation.tolerances import Tolerances
from simhall.validation.validate import validate

if TYPE_CHECKING:
    from simhall.calibration import Calibration

__all__ = [
    "HoldoutResult",
    "HoldoutSplit",
    "calibrate_training",
    "holdout",
    "log_closure",
    "naive_comparison",
    "split_periods",
    "training_cases",
]


@dataclass(frozen=True)
class HoldoutSplit:
    """The training and test periods (first and last start days) and their cases.

    Attributes
    ----------
    train_since, train_until : datetime.date
        First and last start day of the training cases.
    test_start, test_end : datetime.date
        First and last start day of the test cases (``test_start`` is the day after
        ``train_until``).
    train_ids, test_ids : frozenset of str
        The cases starting in each period.
    """

    train_since: date
    train_until: date
    test_start: date
    test_end: date
    train_ids: frozenset[str]
    test_ids: frozenset[str]

    def note(self) -> str:
        """The set-up in one line, for the validation notes."""
        return (
            f"held-out: calibrated on {len(self.train_ids)} case(s) starting {self.train_since} "
            f".. {self.train_until}; scored on {len(self.test_ids)} case(s) starting "
            f"{self.test_start} .. {self.test_end}"
        )


def split_periods(
    events: pd.DataFrame,
    train_until: date | str,
    train_since: date | str | None = None,
    test_until: date | str | None = None,
) -> HoldoutSplit:
    """Split the cases of a log by the day they start (their earliest timestamp).

    Parameters
    ----------
    events : pandas.DataFrame
        The log, ``case_id`` as strings.
    train_until, train_since, test_until : date or str
        As for :func:`holdout` (defaults: the log's first and last case start).

    Returns
    -------
    HoldoutSplit

    Raises
    ------
    ValueError
        ``train_until`` before ``train_since``, no test period, or no case in a period.
    """
    firsts = pd.concat([event_times(events, c) for c in ("ready", "start", "end")], axis=1)
    case_first = firsts.min(axis=1).groupby(events["case_id"]).min()
    until = pd.Timestamp(train_until).date()
    since = pd.Timestamp(train_since).date() if train_since is not None else case_first.min().date()
    test_start = until + timedelta(days=1)
    test_end = (
        pd.Timestamp(test_until).date() if test_until is not None else case_first.max().date()
    )
    if until < since:
        raise ValueError(f"train_until ({until}) is before train_since ({since})")
    if test_end < test_start:
        raise ValueError(f"no test period: test_until ({test_end}) is not after train_until")
    day = case_first.dt.normalize()
    in_train = (day >= pd.Timestamp(since)) & (day <= pd.Timestamp(until))
    in_test = (day >= pd.Timestamp(test_start)) & (day <= pd.Timestamp(test_end))
    train_ids = frozenset(day[in_train].index)
    test_ids = frozenset(day[in_test].index)
    if not train_ids:
        raise ValueError(f"no case starts between {since} and {until} (training)")
    if not test_ids:
        raise ValueError(f"no case starts between {test_start} and {test_end} (test)")
    return HoldoutSplit(since, until, test_start, test_end, train_ids, test_ids)


def calibrate_training(
    train_events: pd.DataFrame,
    items: pd.DataFrame,
    split: HoldoutSplit,
    *,
    accept_activity: str,
    classification: dict[str, str] | None,
    holidays: str,
    seed: int,
    source: str,
    options: Mapping[str, Any] | None,
) -> Calibration:
    """Calibrate a scenario on the training cases (:func:`simhall.calibration.calibrate`).

    Parameters
    ----------
    train_events : pandas.DataFrame
        Events of the training cases.
    items : pandas.DataFrame
        Items catalogue.
    split : HoldoutSplit
        The periods (the training period is the calibration's).
    accept_activity, classification, holidays, seed
        As for :func:`holdout`.
    source : str
        Name of the log in the calibration report, unless ``options`` gives one.
    options : mapping, optional
        Further keyword arguments of :func:`~simhall.calibration.calibrate`.

    Returns
    -------
    Calibration
    """
    from simhall.calibration import calibrate

    opts = dict(options or {})
    opts.setdefault("source", source)
    return calibrate(
        train_events,
        items,
        since=split.train_since,
        until=split.train_until,
        accept_activity=accept_activity,
        classification=classification,
        holidays=holidays,
        seed=seed,
        **opts,
    )


def training_cases(
    train_events: pd.DataFrame,
    calendar_spec: CalendarSpec,
    since: date,
    observed_until: pd.Timestamp,
    *,
    accept_activity: str,
    closed: ClosedSpec,
) -> pd.DataFrame:
    """The training cases summarised like the test cases (the same working-day calendar).

    Parameters
    ----------
    train_events : pandas.DataFrame
        Events of the training cases.
    calendar_spec : CalendarSpec
        Calendar of the calibrated scenario; it is started the day before ``since`` and
        runs past ``observed_until``.
    since : datetime.date
        First start day of the training cases.
    observed_until : pandas.Timestamp
        End of the observation.
    accept_activity : str
        As for :func:`validate`.
    closed : Closure, Series, mapping, collection or None
        As for :func:`validate` (best: the :func:`log_closure` of the whole log; ``None``
        infers from the training events with the extraction moment ``observed_until``).

    Returns
    -------
    pandas.DataFrame
        :func:`~simhall.validation.cases.case_table` with ``closed``, ``closed_by`` and
        ``scored``.
    """
    spec = dataclasses.replace(calendar_spec, start=since - timedelta(days=1))
    calendar = WorkCalendar(spec, (observed_until.date() - since).days + 4)
    train = case_table(train_events, calendar, accept_activity=accept_activity)
    closure = closed_status(
        closed, train_events, accept_activity, observed_until=observed_until, calendar=calendar
    )
    train["closed"] = train["case_id"].map(closure.closed).fillna(False).astype(bool)
    decided = closure.cases.set_index("case_id")["decided_by"]
    train["closed_by"] = train["case_id"].map(decided).fillna("no event").astype("str")
    train["scored"] = train["closed"] & train["working_days"].notna()
    return train


def log_closure(
    events: pd.DataFrame,
    items: pd.DataFrame,
    calendar_spec: CalendarSpec,
    observed_until: pd.Timestamp,
    *,
    accept_activity: str,
    closed: ClosedSpec,
    rule: ClosedRule | str,
) -> Closure:
    """Closure of every case of the whole log, decided once for training and test.

    Parameters
    ----------
    events : pandas.DataFrame
        The whole log (``case_id`` as strings).
    items : pandas.DataFrame
        Items catalogue (``committed_days`` used by the idle rule where positive).
    calendar_spec : CalendarSpec
        Working days of the calibrated scenario.
    observed_until : pandas.Timestamp
        The extraction moment.
    accept_activity, closed
        As for :func:`validate`.
    rule : ClosedRule or str
        The inference rule when ``closed`` is None.

    Returns
    -------
    Closure
    """
    first = min(pd.Timestamp(t.min()) for t in _stamp_columns(events) if t.notna().any())
    start = first.date() - timedelta(days=1)
    spec = dataclasses.replace(calendar_spec, start=start)
    calendar = WorkCalendar(spec, (observed_until.date() - start).days + 3)
    limits: dict[str, float] = {}
    if "committed_days" in items.columns:
        days = pd.to_numeric(items["committed_days"], errors="coerce")
        keep = days > 0
        limits = dict(zip(items.loc[keep, "item_id"].astype("str"), days[keep].astype(float)))
    return closed_status(
        closed,
        events,
        accept_activity,
        rule=rule,
        observed_until=observed_until,
        calendar=calendar,
        committed_days=limits,
    )


def _stamp_columns(events: pd.DataFrame) -> list[pd.Series]:
    return [event_times(events, c) for c in ("ready", "start", "end")]


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
    closed: ClosedSpec = None,
    closed_rule: ClosedRule | str = "both",
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
    reps, seed, tolerances, accept_activity, closed, closed_rule, observed_until
        As for :func:`validate` (closure is decided once on the whole log,
        :func:`log_closure`).
    warmup_days, workers
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
    check_events(events)
    ev = events.copy()
    ev["case_id"] = ev["case_id"].astype("str")
    split = split_periods(ev, train_until, train_since, test_until)
    train_ev = ev[ev["case_id"].isin(split.train_ids)]
    cal = calibrate_training(
        train_ev,
        items,
        split,
        accept_activity=accept_activity,
        classification=classification,
        holidays=holidays,
        seed=seed,
        source=log_label,
        options=calibrate_options,
    )
    scenario = cal.scenario()
    until = (
        pd.Timestamp(observed_until)
        if observed_until is not None
        else pd.Timestamp(event_times(ev, "end").max())
    )
    closure = log_closure(
        ev,
        items,
        scenario.calendar,
        until,
        accept_activity=accept_activity,
        closed=closed,
        rule=closed_rule,
    )
    # the test period, scored like any log against the calibrated scenario
    val = validate(
        ev[ev["case_id"].isin(split.test_ids)],
        scenario,
        items=items,
        reps=reps,
        seed=seed,
        tolerances=tolerances,
        accept_activity=accept_activity,
        closed=closure,
        start=split.test_start,
        end=split.test_end,
        observed_until=until,
        warmup_days=warmup_days,
        workers=workers,
        log_label=log_label,
    )
    train = training_cases(
        train_ev,
        scenario.calendar,
        split.train_since,
        until,
        accept_activity=accept_activity,
        closed=closure,
    )
    naive = naive_comparison(val.observed_cases, val.simulated_cases, train, until)
    val.table = pd.concat([val.table, naive_rows(naive)], ignore_index=True)
    val.notes.append(split.note())
    val.notes.append(closure.note(train["case_id"], "training cases"))
    val.warnings.extend(yardstick_warnings(naive))
    return HoldoutResult(
        val,
        cal,
        train,
        naive,
        (split.train_since, split.train_until),
        (split.test_start, split.test_end),
    )
