"""Back-test of a reform: calibrate on the pre-reform log only, predict the post-reform log.

A reform prediction is only as good as the chain behind it: a scenario calibrated from the
hall's log, the reform's overlay applied to that scenario, and the simulator. A back-test
checks the whole chain against a hall whose truth is known:

1. a *truth* scenario writes a **pre-reform log** (one replication, seed ``A``, ``days``
   from its calendar start, drained so every case finishes);
2. the truth scenario with the reform applied writes a **post-reform log** over the next
   ``days`` (seed ``B``): the "observed" outcome of the reform;
3. :func:`simhall.calibration.calibrate` sees the pre-reform log and the item catalogue only
   (never the truth scenario, never the post-reform log);
4. the *same* reform tables are applied to the calibrated scenario, which is simulated over
   the post-reform period (seed ``C``, ``reps`` replications): the **prediction**; the
   calibrated scenario without the reform runs with the same seed and replications (common
   random numbers), so the **predicted change** is a paired difference with a CI;
5. the truth scenario with the reform runs with seed ``C`` as well (the *oracle*: what a
   perfect calibration would predict), which separates calibration error from noise.

Per item (:func:`item_table`), the prediction is scored against the post-reform log with the
stated :class:`BacktestTolerances` (:func:`score_items`, both in
:mod:`simhall.validation.backtest_scoring` and importable from here). Observed and predicted
figures use the same definitions (:func:`simhall.reporting.metrics.items_by_replication` on
the case tables): working days are the counted working days from acceptance to completion,
on-site completion is completion on the acceptance day. See ``docs/backtest.md``.

>>> result = reform_backtest(truth, [{"kind": "chief_representative", "department": "jw"}],
...                          days=182, seeds=(1, 2, 3))  # doctest: +SKIP
>>> result.passed, result.items[["item_id", "obs_mean_days", "pred_mean_days", "ok"]]
... # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from simhall.calibration import Calibration, calibrate
from simhall.compare import paired
from simhall.experiment import RunResult, run
from simhall.reforms import Reform
from simhall.reporting import metrics
from simhall.reporting.markdown import markdown_table
from simhall.scenario.schema import Scenario
from simhall.validation.backtest_scoring import BacktestTolerances, score_items

__all__ = [
    "BacktestResult",
    "BacktestTolerances",
    "catalogue",
    "item_table",
    "observed_items",
    "reform_backtest",
    "score_items",
]

TRUTH_FILE = "backtest:truth"
"""File label of the reform tables applied to the truth scenario (in error messages)."""
CALIBRATED_FILE = "backtest:calibrated"
"""File label of the reform tables applied to the calibrated scenario (in error messages)."""


@dataclass
class BacktestResult:
    """Everything a back-test produced.

    Attributes
    ----------
    items : pandas.DataFrame
        One row per item (:func:`score_items` columns).
    tolerances : BacktestTolerances
        The tolerances applied.
    calibration : Calibration
        The calibration from the pre-reform log.
    pre, post : RunResult
        The pre-reform log (truth, seed ``A``) and the post-reform log (truth + reform,
        seed ``B``), one replication each.
    predicted, predicted_base : RunResult
        Calibrated scenario with and without the reform over the post-reform period
        (seed ``C``, paired replications).
    oracle : RunResult
        Truth scenario with the reform, seed ``C``: the prediction without calibration error.
    post_start : datetime.date
        First day of the post-reform period.
    """

    items: pd.DataFrame
    tolerances: BacktestTolerances
    calibration: Calibration
    pre: RunResult
    post: RunResult
    predicted: RunResult
    predicted_base: RunResult
    oracle: RunResult
    post_start: date
    notes: list[str] = field(default_factory=list)

    @property
    def scored(self) -> pd.DataFrame:
        """The rows that were scored (enough cases in both logs)."""
        return self.items[self.items["scored"]]

    @property
    def passed(self) -> bool:
        """Whether every scored item passed every check."""
        return bool(self.scored["ok"].all())

    def failures(self) -> pd.DataFrame:
        """Scored rows with at least one failed check, and which checks failed."""
        checks = [c for c in self.items.columns if c.startswith("ok_")]
        bad = self.scored[~self.scored["ok"]].copy()
        bad["failed"] = [
            ", ".join(c[3:] for c in checks if not bool(row[c])) for _, row in bad.iterrows()
        ]
        return bad

    def markdown(self, digits: int = 2) -> str:
        """The main columns as a Markdown table (for reports and assertion messages)."""
        cols = [
            "item_id",
            "obs_mean_days",
            "pred_mean_days",
            "oracle_mean_days",
            "obs_p90_days",
            "pred_p90_days",
            "obs_onsite",
            "pred_onsite",
            "obs_change_days",
            "pred_change_days",
            "obs_change_onsite",
            "pred_change_onsite",
            "ok",
        ]
        frame = self.items[[c for c in cols if c in self.items.columns]]

        def cell(v: object) -> str:
            if isinstance(v, (float, np.floating)):
                return "" if math.isnan(v) else f"{v:.{digits}f}"
            return str(v)

        return markdown_table(frame, cell)


def catalogue(scenario: Scenario) -> pd.DataFrame:
    """The item catalogue a hall would hand over with its log (``item_id, department, kind,
    committed_days, name``): the only thing calibration learns besides the log itself."""
    return pd.DataFrame(
        {
            "item_id": [i.id for i in scenario.items],
            "department": [i.department for i in scenario.items],
            "kind": [i.kind for i in scenario.items],
            "committed_days": [i.committed_days or 0 for i in scenario.items],
            "name": [i.name for i in scenario.items],
        }
    )


def observed_items(result: RunResult) -> pd.DataFrame:
    """Per item, the figures of a run's cases pooled over its replications.

    Returns ``item_id, cases, mean_days, p90_days, onsite_rate`` over completed cases (for a
    one-replication log these are the log's own figures).
    """
    done = result.cases[result.cases["status"] == "completed"]
    rows = []
    for item_id, g in done.groupby("item_id", sort=False, observed=True):
        days = g["counted_days"].to_numpy(dtype=np.float64)
        rows.append(
            {
                "item_id": str(item_id),
                "cases": len(g),
                "mean_days": float(days.mean()) if days.size else math.nan,
                "p90_days": float(np.quantile(days, 0.9)) if days.size else math.nan,
                "onsite_rate": float(g["onsite_completion"].astype(float).mean()),
            }
        )
    return pd.DataFrame(rows, columns=["item_id", "cases", "mean_days", "p90_days", "onsite_rate"])


def _with_reforms(
    scenario: Scenario, tables: Sequence[Mapping[str, Any] | Reform], file: str
) -> Scenario:
    """``scenario`` with ``tables`` appended to its reforms, raw tables labelled ``file``."""
    extra = tuple(t if isinstance(t, Reform) else (file, dict(t)) for t in tables)
    return dataclasses.replace(scenario, reforms=tuple(scenario.reforms) + extra)


def item_table(
    pre: RunResult,
    post: RunResult,
    predicted_base: RunResult,
    predicted: RunResult,
    oracle: RunResult,
) -> pd.DataFrame:
    """One row per item of the post-reform hall: observed, predicted and oracle figures.

    Parameters
    ----------
    pre, post : RunResult
        The pre- and post-reform logs (one replication each).
    predicted_base, predicted : RunResult
        The calibrated scenario without and with the reform (paired replications).
    oracle : RunResult
        The truth scenario with the reform, with the predictions' seed.

    Returns
    -------
    pandas.DataFrame
        ``item_id, department, kind, cases_pre, cases_post``, the observed levels before
        (``obs_pre_*``) and after (``obs_*``) the reform, the predicted levels with their CIs
        (``pred_*``), the oracle's levels and replication spread (``oracle_*``), the paired
        predicted change (``pred_base_*``, ``pred_change_*`` with CIs) and the observed
        change (``obs_change_days``, ``obs_change_onsite``); the input of
        :func:`score_items`. Missing figures are NaN (an item new with the reform has no
        pre-reform figures).
    """
    obs_pre = observed_items(pre).set_index("item_id")
    obs_post = observed_items(post).set_index("item_id")
    orc = observed_items(oracle).set_index("item_id")
    pred = predicted.items.set_index("item_id")
    spread = (
        metrics.items_by_replication(oracle.cases)
        .groupby("item_id")[["mean_days", "onsite_rate"]]
        .std(ddof=1)
    )
    change = paired(
        metrics.items_by_replication(predicted_base.cases),
        metrics.items_by_replication(predicted.cases),
        ["item_id"],
        ["mean_days", "onsite_rate"],
    ).set_index(["item_id", "metric"])

    def pick(frame: pd.DataFrame, ident: str, col: str) -> float:
        if ident in frame.index and col in frame.columns:
            value: Any = frame.at[ident, col]
            return float(value)
        return math.nan

    def delta(ident: str, metric: str, col: str) -> float:
        key = (ident, metric)
        value: Any = change.at[key, col] if key in change.index else math.nan
        return float(value)

    rows = []
    for item in post.scenario.items:
        i = item.id
        rows.append(
            {
                "item_id": i,
                "department": item.department,
                "kind": item.kind,
                "cases_pre": pick(obs_pre, i, "cases"),
                "cases_post": pick(obs_post, i, "cases"),
                "obs_pre_mean_days": pick(obs_pre, i, "mean_days"),
                "obs_pre_onsite": pick(obs_pre, i, "onsite_rate"),
                "obs_mean_days": pick(obs_post, i, "mean_days"),
                "obs_p90_days": pick(obs_post, i, "p90_days"),
                "obs_onsite": pick(obs_post, i, "onsite_rate"),
                "pred_mean_days": pick(pred, i, "mean_days"),
                "pred_mean_days_ci_low": pick(pred, i, "mean_days_ci_low"),
                "pred_mean_days_ci_high": pick(pred, i, "mean_days_ci_high"),
                "pred_p90_days": pick(pred, i, "p90_days"),
                "pred_p90_days_ci_low": pick(pred, i, "p90_days_ci_low"),
                "pred_p90_days_ci_high": pick(pred, i, "p90_days_ci_high"),
                "pred_onsite": pick(pred, i, "onsite_rate"),
                "pred_onsite_ci_low": pick(pred, i, "onsite_rate_ci_low"),
                "pred_onsite_ci_high": pick(pred, i, "onsite_rate_ci_high"),
                "oracle_mean_days": pick(orc, i, "mean_days"),
                "oracle_p90_days": pick(orc, i, "p90_days"),
                "oracle_onsite": pick(orc, i, "onsite_rate"),
                "oracle_mean_days_sd": pick(spread, i, "mean_days"),
                "oracle_onsite_sd": pick(spread, i, "onsite_rate"),
                "pred_base_mean_days": delta(i, "mean_days", "before"),
                "pred_base_onsite": delta(i, "onsite_rate", "before"),
                "pred_change_days": delta(i, "mean_days", "diff"),
                "pred_change_days_ci_low": delta(i, "mean_days", "ci_low"),
                "pred_change_days_ci_high": delta(i, "mean_days", "ci_high"),
                "pred_change_onsite": delta(i, "onsite_rate", "diff"),
                "pred_change_onsite_ci_low": delta(i, "onsite_rate", "ci_low"),
                "pred_change_onsite_ci_high": delta(i, "onsite_rate", "ci_high"),
            }
        )
    table = pd.DataFrame(rows)
    table["obs_change_days"] = table["obs_mean_days"] - table["obs_pre_mean_days"]
    table["obs_change_onsite"] = table["obs_onsite"] - table["obs_pre_onsite"]
    return table


def reform_backtest(
    base: Scenario,
    reform_tables: Sequence[Mapping[str, Any] | Reform],
    *,
    days: int = 182,
    seeds: tuple[int, int, int] = (1, 2, 3),
    reps: int = 3,
    drain_days: int = 60,
    post_start: date | None = None,
    tolerances: BacktestTolerances | None = None,
    calibrate_options: Mapping[str, Any] | None = None,
) -> BacktestResult:
    """Back-test a reform on a known hall (see the module docstring for the protocol).

    Parameters
    ----------
    base : Scenario
        The truth scenario before the reform (its own ``[[reforms]]``, if any, are part of
        the pre-reform state).
    reform_tables : sequence of mapping or Reform
        The reform, as ``[[reforms]]`` tables (applied to the truth and, unchanged, to the
        calibrated scenario).
    days : int
        Length of each period in calendar days (182: six months).
    seeds : (int, int, int)
        ``A`` pre-reform log (and calibration subsampling), ``B`` post-reform log, ``C``
        predictions.
    reps : int
        Replications of each prediction (at least 2 for confidence intervals).
    drain_days : int
        Days after each period in which cases finish (no new arrivals).
    post_start : datetime.date, optional
        First day of the post-reform period; default the day after the pre-reform period.
    tolerances : BacktestTolerances, optional
        Scoring tolerances (default :class:`BacktestTolerances`).
    calibrate_options : mapping, optional
        Extra keyword arguments of :func:`simhall.calibration.calibrate`.

    Returns
    -------
    BacktestResult
        The scored per-item table and every run behind it.

    Raises
    ------
    simhall.scenario.ScenarioError
        A reform table that does not fit the truth (file ``backtest:truth``) or the
        calibrated scenario (``backtest:calibrated``, e.g. a step name the log did not show).
    """
    seed_a, seed_b, seed_c = seeds
    start = base.calendar.start
    post_start = post_start or start + timedelta(days=days)
    options: dict[str, Any] = {"warmup_days": 0, "drain_days": drain_days, "show_progress": False}

    # 1-2: the truth writes the pre-reform log, and with the reform the post-reform log
    pre = run(base, start=start, days=days, reps=1, seed=seed_a, **options)
    post = run(
        _with_reforms(base, reform_tables, TRUTH_FILE),
        start=post_start,
        days=days,
        reps=1,
        seed=seed_b,
        **options,
    )
    # 3: calibration sees the pre-reform log and the item catalogue only
    cal_kw: dict[str, Any] = {"source": "pre-reform log", "seed": seed_a}
    cal_kw.update(calibrate_options or {})
    calibration = calibrate(pre.events.drop(columns="replication"), catalogue(base), **cal_kw)
    calibrated = calibration.scenario()
    # 4-5: the prediction with and without the reform (common random numbers), the oracle
    at_c: dict[str, Any] = {"start": post_start, "days": days, "reps": reps, "seed": seed_c}
    predicted_base = run(calibrated, **at_c, **options)
    predicted = run(_with_reforms(calibrated, reform_tables, CALIBRATED_FILE), **at_c, **options)
    oracle = run(_with_reforms(base, reform_tables, TRUTH_FILE), **at_c, **options)

    table = item_table(pre, post, predicted_base, predicted, oracle)
    tol = tolerances or BacktestTolerances()
    notes = [
        f"pre-reform log: {start} + {days} days, seed {seed_a}; post-reform log: {post_start} "
        f"+ {days} days, seed {seed_b}; predictions: seed {seed_c}, {reps} replications",
    ]
    return BacktestResult(
        items=score_items(table, tol),
        tolerances=tol,
        calibration=calibration,
        pre=pre,
        post=post,
        predicted=predicted,
        predicted_base=predicted_base,
        oracle=oracle,
        post_start=post_start,
        notes=notes,
    )
