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

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from simhall.compare import Comparison, bundle_table, compare, write_comparison
from simhall.io import atomic_write_csv, atomic_write_text
from simhall.reforms.casestudy import huainan_table
from simhall.scenario import load_scenario
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


@dataclass(frozen=True)
class HuainanStudy:
    """Result of :func:`run_study`: the comparison table and the runs behind it."""

    table: pd.DataFrame
    comparison: Comparison
    bundle: pd.DataFrame

    def to_markdown(self) -> str:
        """The table as Markdown, with the basis legend."""
        t = self.table.copy()
        lines = [
            "# Huainan 2007: report vs simhall",
            "",
            "`basis`: *mechanics* = predicted by the model's mechanics; *input* or *structure* ="
            " set by the overlay or the baseline, so agreement says nothing.",
            "",
            "| " + " | ".join(t.columns) + " |",
            "| " + " | ".join("---" for _ in t.columns) + " |",
        ]
        for row in t.itertuples(index=False):
            cells = [
                "" if pd.isna(v) else (f"{v:.3g}" if isinstance(v, float) else str(v)) for v in row
            ]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"

    def write(self, out_dir: str | os.PathLike[str]) -> Path:
        """Write ``huainan_table.csv``, ``huainan_table.md`` and the comparison outputs."""
        out = Path(out_dir)
        write_comparison(self.comparison, out, ("compressed_36",))
        atomic_write_csv(self.table, out / "huainan_table.csv")
        atomic_write_text(self.to_markdown(), out / "huainan_table.md")
        return out


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
    options = dict(days=days, reps=reps, seed=seed, workers=workers, show_progress=show_progress)
    cmp = compare(base, scenarios, tags=("compressed_36",), with_contributions=False, **options)
    before = load_scenario(where / f"{BUNDLE[0]}.toml")
    after = {"after": load_scenario(where / f"{BUNDLE[1]}.toml")}
    bundle_cmp = compare(before, after, base_label="before", with_contributions=False, **options)
    bundles = bundle_table(bundle_cmp.results, bundle_cmp.reforms)
    results = {name: cmp.results[name] for name in overlays}
    table = huainan_table(cmp.results["base"], results, bundles)
    return HuainanStudy(table=table, comparison=cmp, bundle=bundles)
