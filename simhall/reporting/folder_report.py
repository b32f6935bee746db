"""``simhall report``: conference material from an output folder of simhall.

Like the secretariat that turns a department's files into the handouts of a meeting (会议材料),
this reads the folder of ``run``, ``compare``, ``validate`` or a ``study`` (its
``manifest.json`` says which), redraws every figure from the folder's tables in simhall's
style and the chosen language, and writes each figure as PDF, SVG and PNG (300 dpi), each
table as CSV, Markdown and LaTeX (booktabs), and a ``report.md`` that strings them together
with one-line captions. The same folder gives the same bytes.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from simhall.errors import UsageError
from simhall.io import MANIFEST, atomic_write_text, file_sha256, output_folder
from simhall.reporting.dictionary import write_data_dictionary
from simhall.reporting.export import format_cell, write_figure_files, write_table_files
from simhall.reporting.formatting import metric_label
from simhall.reporting.labels import Lang, language
from simhall.reporting.markdown import markdown_table

__all__ = ["KINDS", "Piece", "pieces", "read_manifest", "write_report"]

MAX_ROWS = 30
"""Rows of a long table (items) in the report; all rows stay in the source folder."""


@dataclass(frozen=True)
class Piece:
    """One figure or table of the report: file stem, one-line caption and how to make it."""

    stem: str
    caption: str
    figure: Callable[[], Figure] | None = None
    table: pd.DataFrame | None = None
    copy: Path | None = None
    """A PNG of the source folder taken as it is (its data is not in the folder)."""


def read_manifest(folder: Path) -> dict[str, Any]:
    """The source folder's ``manifest.json``.

    Raises
    ------
    UsageError
        If the folder does not exist or simhall did not write it.
    """
    if not folder.is_dir():
        raise UsageError(f"report: {folder}: no such folder")
    path = folder / MANIFEST
    if not path.is_file():
        raise UsageError(
            f"report: {folder}: no {MANIFEST}; expected the output folder of simhall run, "
            "compare, validate or study"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise UsageError(f"report: {path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict) or "command" not in data:
        raise UsageError(f"report: {path}: no 'command' key; was it written by simhall?")
    return data


def _csv(folder: Path, name: str) -> pd.DataFrame | None:
    path = folder / name
    if not path.is_file():
        return None
    return pd.read_csv(path, keep_default_na=True)


def _run_pieces(folder: Path, manifest: dict[str, Any]) -> Iterator[Piece]:
    from simhall.reporting.plots import limits_vs_simulated, working_days_histogram

    sl = float(manifest.get("settings", {}).get("service_level", 0.95))
    items = _csv(folder, "items.csv")
    if items is not None:
        yield Piece(
            "limits_vs_simulated",
            f"Committed limit against simulated P{round(sl * 100)} per commitment item; "
            "points below the diagonal have slack.",
            figure=lambda: limits_vs_simulated(items, service_level=sl),
        )
    if (folder / "cases.parquet").is_file():
        cases = pd.read_parquet(
            folder / "cases.parquet", columns=["status", "kind", "counted_days"]
        )
        yield Piece(
            "working_days_histogram",
            "Working days from acceptance to completion of completed commitment cases.",
            figure=lambda: working_days_histogram(cases),
        )
    hall = _csv(folder, "hall.csv")
    if hall is not None:
        labels = [metric_label(m)[0] for m in hall["metric"]]
        yield Piece(
            "hall",
            "Hall-wide metrics: mean and 95% CI over replications.",
            table=hall.assign(label=labels)[["metric", "label", "mean", "ci_low", "ci_high"]],
        )
    depts = _csv(folder, "departments.csv")
    if depts is not None:
        cols = [
            c
            for c in (
                "department",
                "name",
                "windows",
                "mean_wait_min",
                "p90_wait_min",
                "window_utilization",
                "staff_utilization",
            )
            if c in depts.columns
        ]
        yield Piece(
            "departments", "Departments: windows, waits and utilization.", table=depts[cols]
        )
    if items is not None and "compression_days" in items.columns:
        commit = items[items["kind"] == "commitment"].sort_values(
            "compression_days", ascending=False, kind="stable"
        )
        cols = [
            "item_id",
            "name",
            "department",
            "committed_days",
            "p95_days",
            "limit_at_sl",
            "recommended_days",
            "compression_days",
            "compression_pct",
        ]
        yield Piece(
            "items",
            f"Commitment items with the most room to cut the limit ({min(MAX_ROWS, len(commit))}"
            f" of {len(commit)}; all in items.csv).",
            table=commit[[c for c in cols if c in commit.columns]].head(MAX_ROWS),
        )


def _compare_pieces(folder: Path, manifest: dict[str, Any]) -> Iterator[Piece]:
    from functools import partial

    from simhall.compare.figures import (
        changed_items,
        contributions_figure,
        p95_figure,
        safe_name,
    )

    tags = set(manifest.get("tags") or ())
    items = _csv(folder, "items.csv")
    if items is not None and "scenario" in items.columns:
        items["tags"] = items["tags"].fillna("").astype(str)
        for label, it in items.groupby("scenario", sort=False):
            cand = it[it["tags"].map(lambda t: not tags or bool(tags & set(t.split(";"))))]
            every = changed_items(cand, max_items=len(cand))
            if not len(every):
                continue
            sel = changed_items(cand)
            stem = f"p95_{safe_name(str(label))}"
            yield Piece(
                stem,
                f"{label}: P95 working days before and after of the {len(sel)} items the "
                f"reform changed most (of {len(every)} changed).",
                figure=partial(p95_figure, sel, str(label), n_changed=len(every)),
            )
            cols = [
                "item_id",
                "name",
                "committed_before",
                "p95_before",
                "p95_after",
                "p95_diff",
                "p95_diff_ci_low",
                "p95_diff_ci_high",
                "recommended_after",
                "compression_days",
                "removed",
            ]
            yield Piece(
                f"items_{safe_name(str(label))}",
                f"{label}: the changed items, P95 change with its paired 95% CI and the "
                "recommended limit after.",
                table=every[cols].head(MAX_ROWS),
            )
    contributions = _csv(folder, "contributions.csv")
    if contributions is not None:
        yield Piece(
            "contributions",
            "Each reform's contribution to the summed limit at the service level.",
            figure=lambda: contributions_figure(contributions),
        )
        yield Piece("contributions_table", "Contributions of the reforms.", table=contributions)
    for name, caption in (
        (
            "aggregates",
            "Sums over the item set before and after, with paired 95% CIs; each headline "
            "(committed -> recommended after) is split into the slack in today's limits "
            "(slack_*) and the reform's effect (reform_*).",
        ),
        ("hall", "Hall-wide metrics before and after, paired differences with 95% CIs."),
        (
            "scorecard_paired",
            "The window scorecard per department before and after, paired 95% CIs.",
        ),
        ("ranking", "Departments ranked for chief representatives."),
        ("bundles", "One-form registration bundles."),
    ):
        frame = _csv(folder, f"{name}.csv")
        if frame is not None:
            yield Piece(name, caption, table=frame)


def _validate_pieces(folder: Path, manifest: dict[str, Any]) -> Iterator[Piece]:
    from simhall.validation.figures import errors_figure

    table = _csv(folder, "validation.csv")
    if table is not None:
        yield Piece(
            "validation_errors",
            "Each scored metric's error as a share of its tolerance (past 1 fails).",
            figure=lambda: errors_figure(table),
        )
        keep = table[table["scope"].isin(["hall", "department"])]
        cols = [
            c
            for c in ("scope", "id", "metric", "observed", "simulated", "error", "limit", "status")
            if c in keep.columns
        ]
        yield Piece(
            "validation",
            "Observed against simulated: hall and department metrics.",
            table=keep[cols],
        )
    for png, caption in (
        (
            "durations_ecdf.png",
            "Working-day ECDFs, observed against simulated (as written "
            "by validate; its case tables are not in the folder).",
        ),
        ("weekly_counts.png", "Weekly case counts, observed against simulated (as written)."),
        ("hourly_profile.png", "Hourly ticket profile, observed against simulated (as written)."),
    ):
        if (folder / png).is_file():
            yield Piece(Path(png).stem, caption, copy=folder / png)
    naive = _csv(folder, "naive.csv")
    if naive is not None:
        yield Piece("naive", "The naive forecast (training period as prediction).", table=naive)


def _huainan_pieces(folder: Path, manifest: dict[str, Any]) -> Iterator[Piece]:
    from simhall.studies.huainan_figure import huainan_table_figure

    table = _csv(folder, "huainan_table.csv")
    if table is not None:
        yield Piece(
            "huainan_table_figure",
            "The report's post-reform figures against simhall's predictions (95% CI), "
            "relative to the report.",
            figure=lambda: huainan_table_figure(table),
        )
        yield Piece("huainan_table", "Huainan 2007: report figure, simhall, 95% CI.", table=table)
    yield from _compare_pieces(folder, manifest)


def _bpic15_pieces(folder: Path, manifest: dict[str, Any]) -> Iterator[Piece]:
    yield from _validate_pieces(folder, manifest)
    for name, caption in (
        ("comparison", "BPIC15: simhall against the naive forecast."),
        ("split", "BPIC15: training and test periods."),
    ):
        frame = _csv(folder, f"{name}.csv")
        if frame is not None:
            yield Piece(f"bpic15_{name}", caption, table=frame)


KINDS: dict[str, Callable[[Path, dict[str, Any]], Iterator[Piece]]] = {
    "run": _run_pieces,
    "compare": _compare_pieces,
    "validate": _validate_pieces,
    "validate --holdout": _validate_pieces,
    "study huainan-2007": _huainan_pieces,
    "study bpic15": _bpic15_pieces,
}
"""Manifest ``command`` -> the pieces of its report."""


def pieces(folder: Path, manifest: dict[str, Any]) -> list[Piece]:
    """The figures and tables of the report of ``folder``.

    Raises
    ------
    UsageError
        If the folder's command is not one simhall reports on.
    """
    command = str(manifest["command"])
    if command not in KINDS:
        raise UsageError(
            f"report: {folder}: a folder of '{command}'; expected one of "
            + ", ".join(f"'{k}'" for k in KINDS)
        )
    return list(KINDS[command](folder, manifest))


def _markdown(source: Path, command: str, written: list[tuple[Piece, str]]) -> str:
    lines = [f"# simhall report: {source.name} ({command})", ""]
    n_fig = n_tab = 0
    for piece, kind in written:
        if kind == "table":
            n_tab += 1
            assert piece.table is not None
            lines += [
                f"**Table {n_tab}.** {piece.caption} "
                f"([csv]({piece.stem}.csv), [tex]({piece.stem}.tex))",
                "",
                markdown_table(piece.table, format_cell),
                "",
            ]
        else:
            n_fig += 1
            files = "" if kind == "copy" else f" ([pdf]({piece.stem}.pdf), [svg]({piece.stem}.svg))"
            lines += [
                f"![{piece.stem}]({piece.stem}.png)",
                "",
                f"**Figure {n_fig}.** {piece.caption}{files}",
                "",
            ]
    return "\n".join(lines)


def write_report(source: str | Path, out: str | Path, *, lang: Lang | None = None) -> Path:
    """Write the report of the output folder ``source`` into ``out`` (whole, with a
    manifest and a data dictionary); the folder.

    Raises
    ------
    UsageError
        If ``source`` is not a folder simhall wrote, or ``out`` is ``source`` or inside it.
    """
    src, dst = Path(source), Path(out)
    manifest = read_manifest(src)
    if dst.resolve() == src.resolve() or src.resolve() in dst.resolve().parents:
        raise UsageError(f"report: --out {dst} is inside the source folder {src}")
    command = str(manifest["command"])
    record = {
        "command": "report",
        "source": str(src),
        "source_command": command,
        "source_manifest_sha256": file_sha256(src / MANIFEST),
        "lang": lang or "both",
    }
    with language(lang or "both"), output_folder(dst, record) as folder:
        written: list[tuple[Piece, str]] = []
        for piece in pieces(src, manifest):
            base = folder.path / piece.stem
            if piece.table is not None:
                write_table_files(piece.table, base, piece.caption)
                written.append((piece, "table"))
            elif piece.figure is not None:
                write_figure_files(piece.figure(), base)
                written.append((piece, "figure"))
            elif piece.copy is not None:
                shutil.copyfile(piece.copy, base.with_suffix(".png"))
                written.append((piece, "copy"))
        atomic_write_text(_markdown(src, command, written), folder.path / "report.md")
        write_data_dictionary(folder.path, f"report of {src.name}")
    return folder.target
