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
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from simhall.calendar import WorkCalendar
from simhall.experiment import RunResult
from simhall.reporting import metrics

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "REPORT",
    "aggregate_table",
    "bundle_reps",
    "chief_rep_figure",
    "chief_rep_items",
    "huainan_table",
    "one_form_figure",
    "one_form_table",
    "paired_table",
    "report_table",
]

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
    g = ir[ir["item_id"].isin(ids)].groupby("replication")["limit_at_sl"]
    return (g.sum() if how == "sum" else g.mean()).to_numpy(dtype=np.float64)


def _pooled(result: RunResult, ids: list[str]) -> pd.Series:
    pooled = metrics.pooled_limits(result.cases, result.settings.service_level)
    return pooled.reindex(ids).astype("float64")


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
        after = _pooled(limits_run, ids).sum()
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
        mean_after = float(_pooled(chief, ids).mean())
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
        cut = 100.0 * (_pooled(chief, three).to_numpy() - c) / c
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


# --------------------------------------------------------------------------- notebook tables

_HALL_LABELS: dict[str, tuple[str, int]] = {
    "onsite_rate": ("on-site completion rate 现场办结率", 3),
    "share_within": ("commitment cases within the limit", 3),
    "visits_per_case": ("visits per case", 3),
    "mean_wait_min": ("mean window wait (min)", 2),
    "window_utilization": ("window utilization", 3),
    "staff_utilization": ("back-office staff utilization", 3),
    "district_cases_per_day": ("district cases per working day", 1),
}


def _fmt_ci(mean: object, lo: object, hi: object, digits: int) -> str:
    from simhall.reporting.tables import fmt_ci

    return fmt_ci(mean, lo, hi, digits)


def _num(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _round(value: object, digits: int) -> float:
    x = _num(value)
    return round(x, digits) if math.isfinite(x) else math.nan


def chief_rep_items(items: pd.DataFrame, tag: str = "chief_rep_46") -> pd.DataFrame:
    """Per item of ``tag``: committed limit, P95 working days before and after with the
    paired change and its 95% CI, the recommended limit after (shortest limit met by 95% of
    the pooled cases), the compression from the committed limit and the steps removed.

    Parameters
    ----------
    items : pandas.DataFrame
        :attr:`simhall.compare.Comparison.items` (:func:`simhall.compare.item_table`).
    tag : str
        Item tag of the set.

    Returns
    -------
    pandas.DataFrame
        Indexed by item id, rounded; sorted by department and item.
    """
    tagged = items["tags"].fillna("").map(lambda t: tag in str(t).split(";"))
    sel = items[tagged].sort_values(["department", "item_id"], kind="stable")
    table = pd.DataFrame(
        {
            "item": sel["item_id"],
            "name": sel["name"],
            "department": sel["department"],
            "committed": pd.to_numeric(sel["committed_before"], errors="coerce"),
            "P95 before": sel["p95_before"].round(1),
            "P95 after": sel["p95_after"].round(1),
            "P95 change [95% CI]": [
                _fmt_ci(m, lo, hi, 1)
                for m, lo, hi in zip(
                    sel["p95_diff"], sel["p95_diff_ci_low"], sel["p95_diff_ci_high"]
                )
            ],
            "limit after": sel["recommended_after"].round(0),
            "compression (days)": sel["compression_days"].round(0),
            "compression (%)": sel["compression_pct"].round(1),
            "steps removed": sel["removed"],
        }
    )
    return table.set_index("item")


_AGG_LABELS: dict[str, str] = {
    "committed_mean": "average limit (committed -> recommended)",
    "committed_sum": "sum of limits (committed -> recommended)",
    "limit_sum": "sum of limits met by 95% (per rep.)",
    "p95_sum": "sum of P95 working days (per rep.)",
    "steps_sum": "approval steps",
}


def aggregate_table(aggregates: pd.DataFrame) -> pd.DataFrame:
    """The set's figures (:attr:`simhall.compare.Comparison.aggregates`) with labels,
    rounded; ``committed_after_sum`` is left out (no overlay sets committed limits)."""
    rows = []
    for key, label in _AGG_LABELS.items():
        hit = aggregates[aggregates["figure"] == key]
        if not len(hit):
            continue
        r = hit.iloc[0]
        digits = 1 if key == "committed_mean" else 0
        rows.append(
            {
                "figure": label,
                "items": int(r["n_items"]),
                "before": _round(r["before"], digits),
                "after": _round(r["after"], digits),
                "change [95% CI]": _fmt_ci(r["change"], r["ci_low"], r["ci_high"], digits),
                "change (%)": _round(r["change_pct"], 1),
            }
        )
    return pd.DataFrame(rows).set_index("figure")


def paired_table(
    frame: pd.DataFrame,
    metrics_: tuple[str, ...] | None = None,
    key: str | None = None,
    keys: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Paired before/after rows (:func:`simhall.compare.paired` output, e.g.
    ``Comparison.hall`` or ``Comparison.departments``) as a rounded table.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``[key,] metric, before, after, diff, ci_low, ci_high, reps``.
    metrics_ : tuple of str, optional
        Metrics to show, in this order (default: all).
    key : str, optional
        Grouping column (``department``) shown first.
    keys : tuple of str, optional
        Values of ``key`` to keep, in this order.
    """
    f = frame
    if metrics_ is not None:
        f = f[f["metric"].isin(metrics_)]
        order = {m: k for k, m in enumerate(metrics_)}
        f = f.assign(_m=f["metric"].map(order))
    else:
        f = f.assign(_m=0)
    if key is not None and keys is not None:
        f = f[f[key].isin(keys)]
        f = f.assign(_k=f[key].map({k: n for n, k in enumerate(keys)}))
    else:
        f = f.assign(_k=0)
    f = f.sort_values(["_k", "_m"], kind="stable")
    rows = []
    for r in f.itertuples(index=False):
        label, digits = _HALL_LABELS.get(str(r.metric), (str(r.metric), 3))
        row: dict[str, object] = {} if key is None else {key: getattr(r, key)}
        row.update(
            {
                "metric": label,
                "before": _round(r.before, digits),
                "after": _round(r.after, digits),
                "change [95% CI]": _fmt_ci(r.diff, r.ci_low, r.ci_high, digits),
            }
        )
        rows.append(row)
    out = pd.DataFrame(rows)
    return out.set_index([key, "metric"] if key is not None else "metric")


def chief_rep_figure(items: pd.DataFrame, tag: str = "chief_rep_46") -> Figure:
    """Per item of ``tag``: the committed limit, the simulated P95 before and after and the
    recommended limit after, in working days (fixed size, English labels)."""
    from matplotlib.figure import Figure

    tagged = items["tags"].fillna("").map(lambda t: tag in str(t).split(";"))
    sel = items[tagged].sort_values(["department", "item_id"], kind="stable")
    fig = Figure(figsize=(8.0, 9.0), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(sel))[::-1]
    committed = pd.to_numeric(sel["committed_before"], errors="coerce").to_numpy(float)
    before = sel["p95_before"].to_numpy(float)
    after = sel["p95_after"].to_numpy(float)
    ax.hlines(y, after, before, color="lightgrey", lw=2)
    ax.scatter(committed, y, marker="|", s=90, color="black", label="committed limit")
    ax.scatter(before, y, s=18, color="tab:red", label="P95 before")
    ax.scatter(after, y, s=18, color="tab:green", label="P95 after")
    ax.scatter(
        sel["recommended_after"].to_numpy(float),
        y,
        marker="x",
        s=18,
        color="tab:blue",
        label="recommended limit after",
    )
    ax.set_yticks(y, [str(i) for i in sel["item_id"]], fontsize=6)
    ax.set_ylim(-1, len(sel))
    ax.set_xlim(left=0)
    ax.set_xlabel("working days")
    ax.set_title(f"Chief representatives: items tagged {tag}")
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    return fig


# --------------------------------------------------------------------------- one form

BUNDLE_METRICS: dict[str, tuple[str, int]] = {
    "visits": ("visits (planned)", 1),
    "visits_observed": ("visits (with 补正 returns)", 2),
    "forms": ("forms", 0),
    "fields": ("data fields", 0),
    "window_min": ("window service (min)", 1),
    "wait_min": ("window waiting (min)", 1),
    "mean_days": ("working days (mean)", 2),
    "p95_days": ("working days (P95)", 1),
}
"""Figures per bundle application: label and decimals."""


def bundle_reps(result: RunResult, reform: Any) -> pd.DataFrame:
    """Per replication, for the one-form ``reform``'s bundle: cases, the reform's planned
    visits, forms and fields, observed visits, window service and waiting minutes per
    bundle application, and working days (mean and P95 of completed cases)."""
    profile = reform.profile()
    rows = []
    for rep in range(result.settings.replications):
        cases = result.cases[
            (result.cases["item_id"] == reform.bundle) & (result.cases["replication"] == rep)
        ]
        ev = result.events[
            (result.events["item_id"] == reform.bundle) & (result.events["replication"] == rep)
        ]
        win = ev[ev["resource"].astype("string").str.contains("/window/", na=False)]
        service = (win["end"] - win["start"]).dt.total_seconds() / 60.0
        wait = (win["start"] - win["ready"]).dt.total_seconds() / 60.0
        ids = win["case_id"]
        done = cases[cases["status"] == "completed"]["counted_days"].astype("float64")
        rows.append(
            {
                "replication": rep,
                "bundle": reform.bundle,
                "cases": float(len(cases)),
                **profile,
                "visits_observed": float(cases["visits"].mean()) if len(cases) else math.nan,
                "window_min": float(service.groupby(ids, observed=True).sum().mean())
                if len(win)
                else math.nan,
                "wait_min": float(wait.groupby(ids, observed=True).sum().mean())
                if len(win)
                else math.nan,
                "mean_days": float(done.mean()) if len(done) else math.nan,
                "p95_days": float(np.quantile(done, 0.95)) if len(done) else math.nan,
            }
        )
    return pd.DataFrame(rows)


def _one_form_pair(cmp: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    from simhall.reforms.one_form import OneForm

    labels = [cmp.base_label] + [k for k in cmp.results if k != cmp.base_label]
    if len(labels) != 2:
        raise ValueError("expected a comparison of one base and one overlay")
    frames = []
    for label in labels:
        forms = [r for r in cmp.reforms.get(label, ()) if isinstance(r, OneForm)]
        if not forms:
            raise ValueError(f"{label}: no one_form reform")
        frames.append(bundle_reps(cmp.results[label], forms[0]))
    return frames[0], frames[1]


def one_form_table(cmp: Any) -> pd.DataFrame:
    """The one-form bundle before and after (a :class:`~simhall.compare.Comparison` of the
    ``before`` stage with the ``after`` stage): per figure the means over replications,
    the paired change with its 95% CI and the change in %."""
    from simhall.compare import paired

    before, after = _one_form_pair(cmp)
    pair = paired(before, after, [], list(BUNDLE_METRICS))
    rows = []
    for r in pair.itertuples(index=False):
        label, digits = BUNDLE_METRICS[str(r.metric)]
        b, a = _num(r.before), _num(r.after)
        rows.append(
            {
                "figure": label,
                "before": _round(b, digits),
                "after": _round(a, digits),
                "change [95% CI]": _fmt_ci(r.diff, r.ci_low, r.ci_high, digits),
                "change (%)": _round(100.0 * (a - b) / b, 1) if b else math.nan,
            }
        )
    return pd.DataFrame(rows).set_index("figure")


def one_form_figure(cmp: Any) -> Figure:
    """Bars of window visits, window minutes (service and waiting) and working days per
    bundle application before and after one-form registration, replications as dots."""
    from matplotlib.figure import Figure

    before, after = _one_form_pair(cmp)
    fig = Figure(figsize=(9.0, 3.5), layout="constrained")
    axes = fig.subplots(1, 3)
    panels = (
        ("visits_observed", "window visits per bundle"),
        ("window_min", "window minutes per bundle"),
        ("mean_days", "working days per bundle"),
    )
    for ax, (col, title) in zip(axes, panels):
        for x, (frame, colour) in enumerate(((before, "tab:red"), (after, "tab:green"))):
            values = frame[col].to_numpy(float)
            bottom = 0.0
            ax.bar(x, float(np.nanmean(values)), width=0.6, color=colour, alpha=0.7)
            if col == "window_min":
                bottom = float(np.nanmean(values))
                ax.bar(
                    x,
                    float(np.nanmean(frame["wait_min"].to_numpy(float))),
                    bottom=bottom,
                    width=0.6,
                    color=colour,
                    alpha=0.3,
                    hatch="//",
                )
            ax.scatter(np.full(values.size, x), values, s=10, color="black", zorder=3)
        ax.set_xticks([0, 1], ["before", "after"])
        ax.set_title(title, fontsize=10)
    axes[1].set_ylabel("minutes (hatched: waiting)")
    fig.suptitle("Enterprise registration bundle: before and after one-form registration")
    return fig


# --------------------------------------------------------------------------- report table


def report_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`huainan_table` for display: report figure, simhall prediction and its 95% CI
    as text, shares to 3 decimals and other figures to 1."""
    rows = []
    for r in table.itertuples(index=False):
        rep = _num(r.report)
        digits = 3 if abs(rep) < 1.5 else 1
        lo, hi = _num(r.ci_low), _num(r.ci_high)
        pred = _num(r.simhall)
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
