"""The Huainan 2007 case study: the report's post-reform figures against simhall's predictions.

In October 2007 Huainan's service center reported what its reforms achieved: committed limits
of 36 items cut from 201 to 142 working days, 46 items of three chief-representative windows
from 17.7 to 10 days on average, on-site completion 89.91%, one-form registration, a district
center. This study is the exam those figures set: the synthetic baseline (calibrated only to
the *pre*-reform figures) is run with each reform overlay under common random numbers, and the
predicted figures are put next to the reported ones, with confidence intervals and an honest
"agrees?" column. Nothing after the reform is tuned into the model.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from simhall.compare import Comparison, bundle_table, compare
from simhall.compare.report import comparison_manifest, write_comparison_files
from simhall.io import atomic_write_csv, atomic_write_text, output_folder
from simhall.reforms.routes import flatten
from simhall.reporting.markdown import markdown_table
from simhall.scenario import load_scenario
from simhall.scenario.schema import Scenario
from simhall.studies.huainan_table import huainan_table
from simhall.synth import default_scenario_path

OVERLAYS = (
    "reforms_2007",
    "reform_chief_rep",
    "reform_reengineering",
    "reform_two_concentrations",
    "reform_district",
)
"""Overlays run against the baseline (file stems in the case-study folder)."""

BUNDLE = ("reform_one_form_before", "reform_one_form")
"""The enterprise-registration bundle before and after one-form registration."""

BUNDLE_DEPARTMENTS = ("gongshang", "zhijian", "guoshui", "dishui")
"""The four departments of the enterprise-registration bundle (AIC, quality supervision,
state and local tax). No other department's item has a step in them and theirs have none
elsewhere, so they can be simulated on their own (:func:`subhall`)."""

BAGONGSHAN = (date(2007, 7, 6), date(2007, 9, 6))
"""First and last day of the report's Bagongshan district count (838 cases)."""


def _cell(v: object) -> str:
    if isinstance(v, float):
        return "" if pd.isna(v) else f"{v:.3g}"
    return "" if v is None or v is pd.NA else str(v)


@dataclass(frozen=True)
class HuainanStudy:
    """Result of :func:`run_study`: the comparison table and the runs behind it."""

    table: pd.DataFrame
    comparison: Comparison
    bundle: pd.DataFrame

    def to_markdown(self) -> str:
        """The table as Markdown, with the basis legend."""
        lines = [
            "# Huainan 2007: report vs simhall",
            "",
            "`basis`: *mechanics* = predicted by the model's mechanics; *input* or *structure* ="
            " set by the overlay or the baseline, so agreement says nothing.",
            "",
            markdown_table(self.table, _cell),
        ]
        return "\n".join(lines) + "\n"

    def write(self, out_dir: str | os.PathLike[str]) -> Path:
        """Write ``huainan_table.csv``, ``huainan_table.md`` and the comparison outputs."""
        tags = ("compressed_36",)
        manifest = {**comparison_manifest(self.comparison, tags), "command": "study huainan-2007"}
        with output_folder(out_dir, manifest) as folder:
            write_comparison_files(self.comparison, folder.path, tags)
            atomic_write_csv(self.table, folder.path / "huainan_table.csv")
            atomic_write_text(self.to_markdown(), folder.path / "huainan_table.md")
        return folder.target


def case_study_folder() -> Path:
    """The folder of the bundled Huainan 2007 scenarios."""
    return default_scenario_path().parent


def run_study(
    folder: str | os.PathLike[str] | None = None,
    *,
    days: int = 365,
    reps: int = 5,
    seed: int = 2007,
    workers: int = 1,
    overlays: tuple[str, ...] = OVERLAYS,
    show_progress: bool | None = False,
) -> HuainanStudy:
    """Run the baseline and the 2007 reform overlays and build the report-vs-simhall table.

    Parameters
    ----------
    folder : path, optional
        Folder with ``baseline.toml`` and the overlays (default: the bundled one).
    days, reps, seed, workers
        Run settings for every scenario (common random numbers: the same seed).
    overlays : tuple of str
        Overlay file stems to run (default :data:`OVERLAYS`).
    show_progress : bool, optional
        Progress bars.

    Returns
    -------
    HuainanStudy
    """
    where = Path(folder) if folder is not None else case_study_folder()
    base = load_scenario(where / "baseline.toml")
    scenarios = {name: load_scenario(where / f"{name}.toml") for name in overlays}
    options: dict[str, Any] = dict(
        days=days, reps=reps, seed=seed, workers=workers, show_progress=show_progress
    )
    cmp = compare(base, scenarios, tags=("compressed_36",), with_contributions=False, **options)
    before = load_scenario(where / f"{BUNDLE[0]}.toml")
    after = {"after": load_scenario(where / f"{BUNDLE[1]}.toml")}
    bundle_cmp = compare(before, after, base_label="before", with_contributions=False, **options)
    bundles = bundle_table(bundle_cmp.results, bundle_cmp.reforms)
    results = {name: cmp.results[name] for name in overlays}
    table = huainan_table(cmp.results["base"], results, bundles)
    return HuainanStudy(table=table, comparison=cmp, bundle=bundles)


# --------------------------------------------------------------------------- lighter variants


def subhall(scenario: Scenario, departments: Iterable[str]) -> Scenario:
    """``scenario`` restricted to ``departments`` and their items (reform tables kept raw).

    The restriction is only allowed when the departments are closed: none of their items
    has a step in another department and no other item has a step in them. Streams are
    named per item, so the kept items then draw and queue exactly as in the whole hall
    (common random numbers): every figure about them is the same, at a fraction of the cost.

    Raises
    ------
    ValueError
        If an unknown department is named or the departments are not closed.
    """
    keep = set(departments)
    unknown = keep - {d.id for d in scenario.departments}
    if unknown:
        raise ValueError(f"unknown departments: {', '.join(sorted(unknown))}")
    crossing = []
    for item in scenario.items:
        touched = {getattr(s, "department", item.department) for s in flatten(item.route)}
        touched.add(item.department)
        inside = item.department in keep
        if (inside and not touched <= keep) or (not inside and touched & keep):
            crossing.append(item.id)
    if crossing:
        raise ValueError(f"departments are not closed; items crossing: {', '.join(crossing)}")
    return dataclasses.replace(
        scenario,
        name=f"{scenario.name} [{', '.join(sorted(keep))}]",
        departments=tuple(d for d in scenario.departments if d.id in keep),
        items=tuple(i for i in scenario.items if i.department in keep),
    )


def bagongshan_horizon(warmup_days: int = 10) -> tuple[date, int]:
    """``(start, days)`` of a run whose results (after ``warmup_days`` calendar days of
    warm-up) cover exactly the report's Bagongshan window, 2007-07-06 to 2007-09-06."""
    first, last = BAGONGSHAN
    return first - timedelta(days=warmup_days), warmup_days + (last - first).days + 1


def chief_rep_study(
    folder: str | os.PathLike[str] | None = None,
    *,
    days: int = 60,
    reps: int = 2,
    seed: int = 2007,
    workers: int = 1,
    rank_budget: int | None = None,
    show_progress: bool | None = False,
) -> Comparison:
    """The baseline against ``reform_chief_rep.toml`` (common random numbers), items of
    ``chief_rep_46`` aggregated; ``rank_budget`` also ranks the departments
    (:func:`simhall.compare.rank_chief_representatives`)."""
    where = Path(folder) if folder is not None else case_study_folder()
    base = load_scenario(where / "baseline.toml")
    overlay = load_scenario(where / "reform_chief_rep.toml")
    return compare(
        base,
        {"chief_rep": overlay},
        tags=("chief_rep_46",),
        with_contributions=False,
        rank_budget=rank_budget,
        days=days,
        reps=reps,
        seed=seed,
        workers=workers,
        show_progress=show_progress,
    )


def one_form_study(
    folder: str | os.PathLike[str] | None = None,
    *,
    days: int = 120,
    reps: int = 3,
    seed: int = 2007,
    workers: int = 1,
    whole_hall: bool = False,
    show_progress: bool | None = False,
) -> Comparison:
    """The enterprise-registration bundle before (``reform_one_form_before.toml``, label
    ``before``) and after (``reform_one_form.toml``, label ``after``) one-form registration.

    By default only the bundle's four departments are simulated (:func:`subhall`; the
    bundle's figures are identical to the whole hall's); ``whole_hall`` runs every
    department.
    """
    where = Path(folder) if folder is not None else case_study_folder()
    before = load_scenario(where / f"{BUNDLE[0]}.toml")
    after = load_scenario(where / f"{BUNDLE[1]}.toml")
    if not whole_hall:
        before, after = subhall(before, BUNDLE_DEPARTMENTS), subhall(after, BUNDLE_DEPARTMENTS)
    return compare(
        before,
        {"after": after},
        base_label="before",
        with_contributions=False,
        days=days,
        reps=reps,
        seed=seed,
        workers=workers,
        show_progress=show_progress,
    )


def run_table_study(
    folder: str | os.PathLike[str] | None = None,
    *,
    warmup_days: int = 10,
    reps: int = 2,
    seed: int = 2007,
    workers: int = 1,
    overlay: str = "reforms_2007",
    show_progress: bool | None = False,
) -> HuainanStudy:
    """A lighter :func:`run_study` for notebooks: the baseline and one overlay (default all
    2007 reforms together), run over the report's Bagongshan window
    (:func:`bagongshan_horizon`, so the district count is simulated, not extrapolated),
    and the one-form bundle on its four departments only (:func:`one_form_study`, same
    horizon)."""
    where = Path(folder) if folder is not None else case_study_folder()
    start, days = bagongshan_horizon(warmup_days)
    base = load_scenario(where / "baseline.toml")
    options: dict[str, Any] = dict(
        start=start,
        days=days,
        warmup_days=warmup_days,
        reps=reps,
        seed=seed,
        workers=workers,
        show_progress=show_progress,
    )
    cmp = compare(
        base,
        {overlay: load_scenario(where / f"{overlay}.toml")},
        tags=("compressed_36",),
        with_contributions=False,
        **options,
    )
    bundle_cmp = compare(
        subhall(load_scenario(where / f"{BUNDLE[0]}.toml"), BUNDLE_DEPARTMENTS),
        {"after": subhall(load_scenario(where / f"{BUNDLE[1]}.toml"), BUNDLE_DEPARTMENTS)},
        base_label="before",
        with_contributions=False,
        **options,
    )
    bundles = bundle_table(bundle_cmp.results, bundle_cmp.reforms)
    table = huainan_table(cmp.results["base"], {overlay: cmp.results[overlay]}, bundles)
    return HuainanStudy(table=table, comparison=cmp, bundle=bundles)
