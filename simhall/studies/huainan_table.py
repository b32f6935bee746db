"""The Huainan 2007 prediction-vs-report table.

Each figure the report gives *after* its 2007 reforms is put next to what simhall predicts
from the mechanics of the reform overlays in ``scenarios/huainan_2007/`` (run with
:func:`simhall.compare.compare`). Nothing in the overlays is fitted to these figures. Rows
whose simhall value is an input of the overlay (the one form's size) or follows from how the
baseline was built (the 92 removable steps) say so in ``basis``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from simhall.calendar import WorkCalendar
from simhall.experiment import RunResult
from simhall.reporting import metrics
from simhall.reporting.formatting import as_float

__all__ = ["REPORT", "huainan_table", "report_table"]

REPORT: dict[str, float] = {
    "compressed_36_sum": 142.0,
    "compressed_36_pct": -29.4,
    "chief_rep_46_mean": 10.0,
    "chief_rep_46_steps_removed": 92.0,
    "onsite_completion": 0.8991,
    "chief_rep_3_cut_pct": -100.0 / 3.0,
    "one_form_forms": 1.0,
    "one_form_fields": 39.0,
    "one_form_formalities_pct": -80.0,
    "bagongshan_cases": 838.0,
}
"""The report's post-reform figures (working days, shares, counts)."""


def _ids(result: RunResult, tag: str, departments: tuple[str, ...] = ()) -> list[str]:
    return [
        i.id
        for i in result.scenario.items
        if (tag in i.tags) or (departments and i.department in departments)
    ]


def _per_rep_cached(
    result: RunResult, ids: list[str], how: str, cache: dict[int, pd.DataFrame] | None = None
) -> np.ndarray:
    if cache is not None and id(result) in cache:
        ir = cache[id(result)]
    else:
        ir = metrics.items_by_replication(result.cases, result.settings.service_level)
        if cache is not None:
            cache[id(result)] = ir
    mine = ir[ir["item_id"].isin(ids)]
    # a withheld or not estimable limit makes the sum and mean not estimable (NaN)
    withheld = set(_pooled(result, ids).loc[lambda s: s.isna()].index)
    limits = mine["limit_at_sl"].where(~mine["item_id"].isin(withheld))
    n = int(mine["item_id"].nunique())
    total = limits.groupby(mine["replication"]).sum(min_count=max(n, 1))
    return (total if how == "sum" else total / n).to_numpy(dtype=np.float64)


def _pooled(result: RunResult, ids: list[str]) -> pd.Series:
    """The run's recommended limits of ``ids`` (NaN where withheld: no support)."""
    rec = result.items.set_index("item_id")["recommended_days"]
    return rec.reindex(ids).astype("float64")


def _row(
    figure: str, report: float, pred: float, lo: float, hi: float, basis: str, rule: str = "ci"
) -> dict[str, object]:
    if basis != "mechanics":
        agrees = "by construction"
    elif not math.isfinite(pred):
        agrees = "n/a"
    elif rule == "ci" and math.isfinite(lo) and math.isfinite(hi):
        agrees = "yes" if lo <= report <= hi else "no"
    elif rule == "below":
        agrees = "yes" if pred <= report else "no"
    else:
        agrees = "yes" if abs(pred - report) <= 0.1 * abs(report) else "no"
    return {
        "figure": figure,
        "report": report,
        "simhall": pred,
        "ci_low": lo,
        "ci_high": hi,
        "basis": basis,
        "agrees": agrees,
    }


def huainan_table(
    base: RunResult,
    results: Mapping[str, RunResult],
    bundles: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The report's post-reform figures next to simhall's predictions.

    Parameters
    ----------
    base : RunResult
        The baseline run.
    results : mapping of str to RunResult
        Runs of the overlays, by file stem: ``reforms_2007`` (all reforms; used for the
        limits and the on-site rate), ``reform_chief_rep`` (used for the 46 items when
        ``reforms_2007`` is missing), ``reform_reengineering``, ``reform_district``. Missing
        runs leave their rows out.
    bundles : pandas.DataFrame, optional
        :func:`simhall.compare.bundle_table` with the ``before`` and ``after`` one-form
        stages (rows for the one-form figures).

    Returns
    -------
    pandas.DataFrame
        ``figure, report, simhall, ci_low, ci_high, basis, agrees``; ``basis`` is
        ``mechanics`` (a prediction), ``input`` or ``structure`` (set by the overlay or the
        baseline, so agreement says nothing). CIs are Student-t over replications.
    """
    rows: list[dict[str, object]] = []
    cache: dict[int, pd.DataFrame] = {}  # per-replication item metrics, once per run

    def _per_rep(result: RunResult, ids: list[str], how: str) -> np.ndarray:
        return _per_rep_cached(result, ids, how, cache)

    full = results.get("reforms_2007")
    limits_run = full or results.get("reform_reengineering")
    if limits_run is not None:
        ids = _ids(base, "compressed_36")
        after = _pooled(limits_run, ids).sum(min_count=len(ids))
        _, lo, hi = metrics.confidence_interval(_per_rep(limits_run, ids, "sum"))
        rows.append(
            _row(
                "36 items: sum of limits after (working days)",
                REPORT["compressed_36_sum"],
                after,
                lo,
                hi,
                "mechanics",
            )
        )
        before = float(sum(base.scenario.item(i).committed_days or 0 for i in ids))
        rows.append(
            _row(
                "36 items: change of the summed limit (%)",
                REPORT["compressed_36_pct"],
                100.0 * (after - before) / before,
                math.nan,
                math.nan,
                "mechanics",
            )
        )
        sb, sa = _per_rep(base, ids, "sum"), _per_rep(limits_run, ids, "sum")
        rel = 100.0 * (sa - sb) / sb
        m, lo, hi = metrics.confidence_interval(rel)
        rows.append(
            _row(
                "36 items: change of the shortest limit at SL (%), relative",
                REPORT["compressed_36_pct"],
                m,
                lo,
                hi,
                "mechanics",
            )
        )
    chief = full or results.get("reform_chief_rep")
    if chief is not None:
        ids = _ids(base, "chief_rep_46")
        mean_after = float(_pooled(chief, ids).sum(min_count=len(ids)) / len(ids))
        _, lo, hi = metrics.confidence_interval(_per_rep(chief, ids, "mean"))
        rows.append(
            _row(
                "46 items: average limit after (working days)",
                REPORT["chief_rep_46_mean"],
                mean_after,
                lo,
                hi,
                "mechanics",
            )
        )
        committed = float(np.mean([base.scenario.item(i).committed_days or 0 for i in ids]))
        ratio = _per_rep(chief, ids, "mean") / _per_rep(base, ids, "mean")
        m, lo, hi = metrics.confidence_interval(committed * ratio)
        rows.append(
            _row(
                "46 items: 17.7 x relative change of the limit at SL",
                REPORT["chief_rep_46_mean"],
                m,
                lo,
                hi,
                "mechanics",
            )
        )
        removed = sum(_steps(base, i) - _steps(chief, i) for i in ids if i in _item_ids(chief))
        rows.append(
            _row(
                "46 items: approval steps removed",
                REPORT["chief_rep_46_steps_removed"],
                float(removed),
                math.nan,
                math.nan,
                "structure",
            )
        )
        three = _ids(base, "", ("nongwei", "gongshang", "renfang"))
        three = [i for i in three if base.scenario.item(i).kind == "commitment"]
        c = np.array([base.scenario.item(i).committed_days or 0 for i in three], dtype=float)
        rec = _pooled(chief, three).to_numpy()
        cut = 100.0 * (rec - c) / c if not np.isnan(rec).any() else np.full(1, math.nan)
        rows.append(
            _row(
                "agriculture/AIC/civil air defence: mean limit change (%)",
                REPORT["chief_rep_3_cut_pct"],
                float(np.nanmean(cut)),
                math.nan,
                math.nan,
                "mechanics",
                rule="below",
            )
        )
    if full is not None:
        hall = metrics.hall_by_replication(full.cases)
        m, lo, hi = metrics.confidence_interval(hall["onsite_rate"].to_numpy())
        rows.append(
            _row(
                "on-site completion rate (all cases, same working day)",
                REPORT["onsite_completion"],
                m,
                lo,
                hi,
                "mechanics",
            )
        )
    if bundles is not None and len(bundles):
        b = bundles[bundles["stage"] == "before"]
        a = bundles[bundles["stage"] == "after"]
        if len(a):
            rows.append(
                _row(
                    "one form: forms",
                    REPORT["one_form_forms"],
                    float(a["forms"].iloc[0]),
                    math.nan,
                    math.nan,
                    "input",
                )
            )
            rows.append(
                _row(
                    "one form: fields",
                    REPORT["one_form_fields"],
                    float(a["fields"].iloc[0]),
                    math.nan,
                    math.nan,
                    "input",
                )
            )
        if len(a) and len(b):
            wb, wa = float(b["window_min"].iloc[0]), float(a["window_min"].iloc[0])
            rows.append(
                _row(
                    "one form: window minutes per bundle (%)",
                    REPORT["one_form_formalities_pct"],
                    100.0 * (wa - wb) / wb,
                    math.nan,
                    math.nan,
                    "mechanics",
                    rule="below",
                )
            )
    district = results.get("reform_district") or full
    if district is not None:
        ids = [i.id for i in district.scenario.items if "district_center" in i.tags]
        if ids:
            s = district.settings
            cal = WorkCalendar(district.scenario.calendar, s.days)
            n_days = int(np.asarray(cal.working[s.warmup_days : s.days]).sum())
            counts = (
                district.cases[district.cases["item_id"].isin(ids)]
                .groupby("replication")
                .size()
                .to_numpy(dtype=np.float64)
            )
            window = _working_days_between(district, "2007-07-06", "2007-09-06")
            m, lo, hi = metrics.confidence_interval(counts / n_days * window)
            rows.append(
                _row(
                    "Bagongshan: cases 2007-07-06..09-06",
                    REPORT["bagongshan_cases"],
                    m,
                    lo,
                    hi,
                    "mechanics",
                )
            )
    return pd.DataFrame(rows)


def _item_ids(result: RunResult) -> set[str]:
    return {i.id for i in result.scenario.items}


def _steps(result: RunResult, item_id: str) -> int:
    from simhall.reforms.routes import step_count

    return step_count(result.scenario.item(item_id).route)


def _working_days_between(result: RunResult, first: str, last: str) -> int:
    from datetime import date

    start = result.scenario.calendar.start
    a, b = date.fromisoformat(first), date.fromisoformat(last)
    cal = WorkCalendar(result.scenario.calendar, max((b - start).days + 1, 1))
    lo, hi = max((a - start).days, 0), (b - start).days + 1
    return int(np.asarray(cal.working[lo:hi]).sum())


def report_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`huainan_table` for display: report figure, simhall prediction and its 95% CI
    as text, shares to 3 decimals and other figures to 1."""
    rows = []
    for r in table.itertuples(index=False):
        rep = as_float(r.report)
        digits = 3 if abs(rep) < 1.5 else 1
        lo, hi = as_float(r.ci_low), as_float(r.ci_high)
        pred = as_float(r.simhall)
        rows.append(
            {
                "figure": r.figure,
                "report": f"{rep:.{digits}f}",
                "simhall": f"{pred:.{digits}f}" if math.isfinite(pred) else "-",
                "95% CI": f"[{lo:.{digits}f}, {hi:.{digits}f}]" if math.isfinite(lo + hi) else "-",
                "basis": r.basis,
                "agrees": r.agrees,
            }
        )
    return pd.DataFrame(rows).set_index("figure")
