"""The data dictionary of an output folder: a ``README.md`` that explains every file and
column with its unit.

Like the 填表说明 printed on the back of a government form, each folder simhall writes says
what its files hold, what each column means and in which unit (working days, minutes,
shares, cases per replication), so that ``items.csv`` can be read without simhall's source:
``limit_at_sl`` is the per-replication shortest limit met at the service level (mean over
replications), ``recommended_days`` the same over all replications' cases pooled.

Columns are described in :data:`COLUMNS`; ``<metric>_ci_low`` / ``_ci_high`` and
``<figure>_before`` / ``_after`` are derived from their base column; a few columns mean
something else in one file (:data:`FILE_COLUMNS`). A column without a description is listed
as such, and :func:`undescribed` names them (a test keeps the list empty).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from simhall.io import MANIFEST, atomic_write_text

__all__ = [
    "COLUMNS",
    "FILES",
    "FILE_COLUMNS",
    "README",
    "data_dictionary",
    "describe_column",
    "undescribed",
    "write_data_dictionary",
]

README = "README.md"
"""The data dictionary's file name in every output folder."""

WD = "working days"
SHARE = "share 0-1"
MIN = "minutes"

COLUMNS: dict[str, tuple[str, str]] = {
    # identity
    "item_id": ("commitment or on-site item (事项) id from the scenario", "-"),
    "name": ("name from the scenario (事项名称 / 部门名称)", "-"),
    "department": ("department (部门) id from the scenario", "-"),
    "kind": ("item kind: commitment (承诺件, has a committed limit) or onsite (即办件)", "-"),
    "tags": ("item tags from the scenario, `;`-separated", "-"),
    "scenario": ("label of the reformed scenario (overlay file name without .toml)", "-"),
    "scope": ("what a row is about: hall, department, station or item", "-"),
    "id": ("the department or item id of the row (`hall` for the whole hall)", "-"),
    "label": ("how tables name the metric (English and Chinese)", "-"),
    "metric": ("metric name (see the metric columns of items.csv / departments.csv)", "-"),
    "replication": ("replication number (0-based); with the seed it fixes every draw", "-"),
    "reps": ("replications the mean and CI are over", "count"),
    # statistics
    "mean": ("mean over replications", "unit of the metric"),
    "ci_low": ("lower bound of the 95% confidence interval (Student t)", "unit of the metric"),
    "ci_high": ("upper bound of the 95% confidence interval (Student t)", "unit of the metric"),
    "before": ("value in the base scenario (mean over replications)", "unit of the metric"),
    "after": ("value in the reformed scenario (mean over replications)", "unit of the metric"),
    "diff": ("after - before, paired per replication (common random numbers)", "unit"),
    "change": ("after - before", "unit of the figure"),
    "change_pct": ("100 * (after - before) / before", "percent"),
    # item metrics
    "committed_days": ("committed time limit (承诺时限) of the item", WD),
    "cases": ("cases accepted per replication (after the warm-up)", "cases"),
    "completed": ("cases completed per replication", "cases"),
    "completed_share": ("share of the accepted cases completed within the run (办结比例)", SHARE),
    "open": ("accepted cases still open when the run stopped", "cases"),
    "open_past_limit": ("open cases already past their committed limit: failures", "cases"),
    "mean_days": (
        "mean counted working days, acceptance to completion; with open cases a Kaplan-Meier "
        "estimate, empty when not estimable",
        WD,
    ),
    "p50_days": ("median counted working days (open cases counted, Kaplan-Meier)", WD),
    "p90_days": ("90th percentile of counted working days (open cases counted)", WD),
    "p95_days": ("95th percentile of counted working days (open cases counted)", WD),
    "share_within": (
        "share of commitment cases within the committed limit; a case open past it is a "
        "failure (Kaplan-Meier on open cases)",
        SHARE,
    ),
    "limit_at_sl": (
        "shortest whole limit met by the service level's share of one replication's cases "
        "(open ones counted; mean over replications; empty when not estimable)",
        WD,
    ),
    "recommended_days": (
        "shortest whole limit met by the service level's share of all replications' cases "
        "pooled: the recommended committed limit (steadier than limit_at_sl); empty when "
        "withheld",
        WD,
    ),
    "withheld": (
        "why the recommended limit is withheld (too few cases completed, or a route through "
        "an unstable station); empty when it stands",
        "-",
    ),
    "note": ("why an item's recommendation is withheld or a station is unstable", "-"),
    "compression_days": ("committed limit - recommended limit: room to cut the limit", WD),
    "compression_pct": ("100 * compression_days / committed limit", "percent"),
    "slack_days": (
        "committed limit - recommended limit in the base run: room already in today's "
        "limit, no reform (compression_days = slack_days - effect_days)",
        WD,
    ),
    "effect_days": ("recommended limit after - before: the reform's effect on it", WD),
    "pct_of_committed": (
        "100 * change / the set's committed limits: the slack's and the reform's add up to "
        "the total's (committed_*, slack_*, reform_* rows; empty on the others)",
        "percent",
    ),
    "onsite_rate": ("share of cases completed on their acceptance day (现场办结率)", SHARE),
    "visits_per_case": ("window visits per case (补正 returns included)", "visits"),
    # department metrics
    "windows": ("windows (窗口) of the department", "count"),
    "mean_queue": ("mean number waiting for the department's windows", "applicants"),
    "mean_wait_min": ("mean wait from ticket to call at the department's windows", MIN),
    "p90_wait_min": ("90th percentile of that wait", MIN),
    "window_utilization": ("share of opening time the windows are busy", SHARE),
    "staff_utilization": ("share of working time the back-office staff are busy", SHARE),
    # stations.csv (compare) and the station rows of summary.csv
    "station": ("window row or back-office pool: `department/window`, `department/<pool>`", "-"),
    "utilization": ("share of the station's open time x staff it is busy", SHARE),
    "offered_load": (
        "arrivals x mean work / (open time x staff): at 1 or above work comes faster than "
        "the station can do it",
        "-",
    ),
    "queue_growth": ("least-squares growth of the daily mean queue over the run", "jobs"),
    "unstable": ("utilization near 1, offered load >= 1 or a growing queue", "true/false"),
    "reason": ("why the station is unstable (empty when stable)", "-"),
    "censored_days": ("counted working days so far of a case open at the end", WD),
    # cases.parquet / log.parquet
    "case_id": ("case (办件) id", "-"),
    "arrival": ("first ticket of the applicant", "timestamp"),
    "acceptance": ("acceptance (受理): the clock of the committed limit starts", "timestamp"),
    "completion": ("completion (办结); empty while open at the end", "timestamp"),
    "visits": ("window visits of the case", "visits"),
    "status": ("completed, in_progress (open at the end) or not_accepted", "-"),
    "elapsed_days": ("calendar days from acceptance to completion", "calendar days"),
    "counted_days": ("working days counted against the limit (调休 make-up days count)", WD),
    "within_limit": ("counted_days <= committed_days (commitment items)", "true/false"),
    "onsite_completion": ("completed on the acceptance day", "true/false"),
    "activity": ("activity of the event (window service, review step, sign-off, ...)", "-"),
    "resource": ("who did it: `dept/window/k`, `dept/<pool>`, session or courier", "-"),
    "ready": ("when the case was ready for the activity (ticket time at a window)", "timestamp"),
    "start": ("start of the activity", "timestamp"),
    "end": ("end of the activity", "timestamp"),
    # compare items.csv
    "committed_before": ("committed limit in the base scenario", WD),
    "committed_after": ("committed limit in the reformed scenario (as the overlay sets it)", WD),
    "completed_before": ("completed_share in the base scenario", SHARE),
    "completed_after": ("completed_share in the reformed scenario", SHARE),
    "p95_before": ("p95_days in the base scenario", WD),
    "p95_after": ("p95_days in the reformed scenario", WD),
    "p95_diff": ("paired change of p95_days (after - before)", WD),
    "p95_diff_ci_low": ("lower bound of the 95% CI of p95_diff", WD),
    "p95_diff_ci_high": ("upper bound of the 95% CI of p95_diff", WD),
    "limit_before": ("limit_at_sl in the base scenario", WD),
    "limit_after": ("limit_at_sl in the reformed scenario", WD),
    "limit_after_ci_high": ("upper bound of the 95% CI of limit_after", WD),
    "recommended_before": ("recommended limit (all cases pooled) in the base scenario", WD),
    "recommended_after": ("recommended limit (all cases pooled) after the reform", WD),
    "onsite_before": ("onsite_rate in the base scenario", SHARE),
    "onsite_after": ("onsite_rate in the reformed scenario", SHARE),
    "steps_before": ("approval steps of the item's route in the base scenario", "steps"),
    "steps_after": ("approval steps after the reform", "steps"),
    "removed": ("steps_before - steps_after", "steps"),
    # aggregates, contributions, ranking, bundles
    "set": ("the item set summed over (an item tag, or all items)", "-"),
    "figure": ("which figure of the row (see the file's description)", "-"),
    "n_items": ("items of the set summed in the figure", "count"),
    "n_withheld": (
        "items of the set left out of the figure: recommendation withheld or not estimable",
        "count",
    ),
    "view": ("add_one: the reform alone on the base; leave_one_out: all but this reform", "-"),
    "reform": ("reform kind of the overlay (e.g. chief_rep, one_form)", "-"),
    "contribution": ("change of the figure due to this reform in this view", "unit of figure"),
    "rank": ("rank of the department for chief representatives (1 = first)", "-"),
    "representatives": ("chief representatives the department needs", "persons"),
    "items": ("items of the department a chief representative would sign", "count"),
    "compression_per_rep": ("compression_days per representative", WD),
    "case_days_saved_per_day": ("case working days saved per working day", WD),
    "selected": ("within the --rank-budget of representatives", "true/false"),
    "bundle": ("the one-form registration bundle item", "-"),
    "stage": ("stage of the one-form reform (before / after)", "-"),
    "forms": ("forms filled in per bundle application", "forms"),
    "fields": ("data fields filled in per bundle application", "fields"),
    "window_min": ("window service per bundle application", MIN),
    "visits_observed": ("window visits per bundle application (补正 returns included)", "visits"),
    # validation.csv
    "observed": ("the figure in the case log", "unit of the metric"),
    "simulated": ("the figure in the simulation (mean of replications)", "unit of the metric"),
    "error": ("|simulated - observed|, or the distance for distributions", "unit of metric"),
    "limit": ("tolerance: largest error that passes", "unit of the metric"),
    "se": ("noise scale used by the tolerance", "unit of the metric"),
    "n_observed": ("cases or events in the log behind the figure", "count"),
    "n_simulated": ("cases or events in the simulation behind the figure", "count"),
    # huainan_table.csv
    "report": ("the figure the Huainan 2007 report gives after its reforms", "unit of figure"),
    "simhall": ("simhall's prediction of it", "unit of the figure"),
    "basis": ("mechanics: predicted; input / structure: set by the overlay or baseline", "-"),
    "agrees": ("yes / no / by construction / n/a: the report's figure in the CI", "-"),
}
"""Column -> (meaning, unit) in the folders simhall writes."""

FILE_COLUMNS: dict[tuple[str, str], tuple[str, str]] = {
    ("validation.csv", "status"): ("PASS, FAIL, n/a (too few data) or info", "-"),
    ("ranking.csv", "limit_before"): ("summed limit of the items before", WD),
    ("ranking.csv", "limit_after"): ("summed limit of the items with a representative", WD),
    ("ranking.csv", "compression_days"): ("limit_before - limit_after", WD),
    ("bundles.csv", "cases"): ("bundle applications per replication", "cases"),
    ("summary.csv", "name"): ("name of the department or item (empty for the hall)", "-"),
}
"""(file, column) -> (meaning, unit) where a column means something else in one file."""

FILES: dict[str, str] = {
    MANIFEST: "how to reproduce the folder: command, settings, seed, input file hashes, "
    "simhall version, files written",
    README: "this data dictionary",
    "settings.txt": "the resolved run settings (scenario, horizon, warm-up, drain, seed)",
    "log.parquet": "event log: one row per activity of a case (window service, review "
    "steps, sign-offs), all replications",
    "cases.parquet": "one row per case and replication: acceptance, completion, working days",
    "summary.csv": "tidy long form of all summaries (scope, id, metric, mean and CI, note): "
    "items, departments, stations (unstable ones noted) and the hall",
    "items.csv": "one row per item (run) or per item and reformed scenario (compare): "
    "working days, limits at the service level, recommended limits, compression",
    "departments.csv": "one row per department (run) or per department, metric and "
    "scenario (compare): windows, waits, queues, utilization",
    "hall.csv": "hall-wide metrics: mean and 95% CI (run) or before/after (compare)",
    "comparison.csv": "tidy long form of every paired comparison (item, department, hall)",
    "aggregates.csv": "sums over the item set: committed_sum/_mean (committed limits before "
    "vs recommended after) split into slack_sum/_mean (committed vs recommended in the base "
    "run: slack in today's limits) and reform_sum/_mean (recommended before vs after, "
    "paired: the reform's effect); limit_sum and p95_sum (per-replication sums, paired CI), "
    "steps_sum",
    "scorecard_paired.csv": "the window scorecard (绩效评估) per department before and after: "
    "total, assessment points, rank, points per area and dimension, every indicator; "
    "paired changes with 95% CIs",
    "contributions.csv": "each reform's contribution when reforms are combined",
    "stations.csv": "per scenario and station: utilization, offered load, queue and whether "
    "it is unstable (why)",
    "ranking.csv": "departments ranked for chief representatives (首席代表)",
    "bundles.csv": "one-form registration (一表制) bundles: forms, fields, visits, minutes",
    "report.md": "the human-readable report of the folder",
    "validation.csv": "observed against simulated, per metric: error, tolerance, PASS/FAIL",
    "validation.md": "the validation report",
    "naive.csv": "the naive forecast (training period as prediction) for comparison",
    "calibrated.toml": "the scenario calibrated on the training period",
    "calibration.md": "the calibration report",
    "huainan_table.csv": "the Huainan 2007 report's post-reform figures against simhall",
    "huainan_table.md": "the same as a Markdown table",
    "split.csv": "the BPIC15 study's training/test split",
    "steps.csv": "the BPIC15 study's per-step diagnosis",
    "bpic15.md": "the BPIC15 study summary",
}
"""File name -> what it holds; figures and tables of ``simhall report`` are matched by
suffix (:func:`_describe_file`)."""

_DERIVED = (
    ("_ci_low", "lower bound of the 95% CI of {base}"),
    ("_ci_high", "upper bound of the 95% CI of {base}"),
    ("_before", "{base} in the base scenario"),
    ("_after", "{base} in the reformed scenario"),
)


def describe_column(column: str, file: str = "") -> tuple[str, str] | None:
    """Meaning and unit of ``column`` (in ``file``); ``None`` when it is not described."""
    if (file, column) in FILE_COLUMNS:
        return FILE_COLUMNS[(file, column)]
    if column in COLUMNS:
        return COLUMNS[column]
    for suffix, text in _DERIVED:
        base = column.removesuffix(suffix)
        if base != column and base in COLUMNS:
            return text.format(base=base), COLUMNS[base][1]
    return None


def _describe_file(name: str) -> str:
    if name in FILES:
        return FILES[name]
    suffix = Path(name).suffix
    stem = Path(name).stem
    if suffix in (".png", ".svg", ".pdf"):
        return f"figure {stem} ({suffix[1:].upper()})"
    if suffix == ".tex":
        return f"table {stem} as LaTeX (booktabs)"
    if suffix == ".md":
        return f"table {stem} as Markdown"
    if suffix == ".csv":
        return f"table {stem}"
    return "file written by simhall"


def _columns(path: Path) -> list[str]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as fh:
            return next(csv.reader(fh), [])
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return [str(n) for n in pq.read_schema(path).names]
    return []


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def data_dictionary(folder: str | os.PathLike[str], title: str = "") -> str:
    """The ``README.md`` text of ``folder``: each file, and each column of its CSV and
    Parquet tables with meaning and unit (``README.md`` and ``manifest.json`` included, as
    they are written last)."""
    root = Path(folder)
    names = {str(p.relative_to(root)) for p in _files(root)} | {README, MANIFEST}
    lines = [
        f"# {title or root.name}: data dictionary",
        "",
        "Written by simhall. Working days (工作日) count the hall's calendar with its "
        "holidays and make-up days (调休); shares are between 0 and 1; 95% confidence "
        "intervals are over replications (Student t).",
        "",
        "| file | contents |",
        "| --- | --- |",
    ]
    lines += [f"| {n} | {_describe_file(Path(n).name)} |" for n in sorted(names)]
    for name in sorted(names):
        path = root / name
        cols = _columns(path) if path.is_file() else []
        if not cols:
            continue
        lines += ["", f"## {name}", "", "| column | meaning | unit |", "| --- | --- | --- |"]
        for col in cols:
            found = describe_column(col, Path(name).name)
            meaning, unit = found if found else ("(not described)", "")
            lines.append(f"| {col} | {meaning} | {unit} |")
    return "\n".join(lines) + "\n"


def undescribed(folder: str | os.PathLike[str]) -> list[str]:
    """``file: column`` of every column in ``folder`` without a description."""
    root = Path(folder)
    return [
        f"{p.relative_to(root)}: {c}"
        for p in _files(root)
        for c in _columns(p)
        if describe_column(c, p.name) is None
    ]


def write_data_dictionary(folder: str | os.PathLike[str], title: str = "") -> Path:
    """Write :func:`data_dictionary` as ``README.md`` into ``folder`` (atomically)."""
    return atomic_write_text(data_dictionary(folder, title), Path(folder) / README)
