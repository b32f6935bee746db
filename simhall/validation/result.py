"""What a validation returns: the comparison table, its report and its files.

A school report card lists every subject with the mark, the pass mark and the verdict, then
the teacher's remarks; :class:`ValidationResult` is that card for a hall: the tidy table of
:mod:`simhall.validation.scoring` rows, the case tables both sides were summarised from,
the notes on censoring and assumptions, and renderings as terminal text, Markdown and files.
:class:`HoldoutResult` adds, for a held-out validation, the calibration and the naive
yardsticks of :mod:`simhall.validation.naive`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from simhall.reporting.markdown import markdown_table
from simhall.validation.naive import format_naive
from simhall.validation.tolerances import Tolerances

if TYPE_CHECKING:
    from datetime import date

    from matplotlib.figure import Figure

    from simhall.calibration import Calibration
    from simhall.reporting.labels import Lang

__all__ = ["HoldoutResult", "ValidationResult", "format_numbers", "markdown_cells"]


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
        observed cases carry ``closed_by`` (the closure rule that decided them), simulated
        cases ``replication``.
    weekly : pandas.DataFrame
        ``week`` (Monday), ``observed``, ``simulated`` (mean over replications) accepted-case
        counts.
    hourly : pandas.DataFrame
        ``hour``, ``observed``, ``simulated``: shares of ticket times per hour of day.
    settings : dict
        Period, replications, seed, scenario name, accept activity, warm-up.
    notes : list of str
        Assumptions and caveats (censoring, closure, missing columns, unknown items).
    tolerances : Tolerances
        The tolerances applied.
    warnings : list of str
        What makes a number untrustworthy (e.g. a yardstick resting on too few cases):
        printed by the command line and listed at the top of the report.
    simulated_events : pandas.DataFrame, optional
        The simulated event log the simulated cases were summarised from (case ids
        ``r<replication>:<id>``), for further comparisons (calibration's self-check).
    """

    table: pd.DataFrame
    observed_cases: pd.DataFrame
    simulated_cases: pd.DataFrame
    weekly: pd.DataFrame
    hourly: pd.DataFrame
    settings: dict[str, Any]
    notes: list[str]
    tolerances: Tolerances
    warnings: list[str] = field(default_factory=list)
    simulated_events: pd.DataFrame | None = None

    @property
    def scored(self) -> int:
        """Rows that were scored (PASS or FAIL); the rest had too few observations."""
        return int(self.table["status"].isin(["PASS", "FAIL"]).sum())

    @property
    def passed(self) -> bool:
        """True when something was scored and no row failed: nothing scored never passes."""
        return self.scored > 0 and not bool((self.table["status"] == "FAIL").any())

    @property
    def verdict(self) -> str:
        """``PASS``, ``FAIL``, or ``FAIL (nothing scored: ...)`` with the reason."""
        if self.scored == 0:
            return (
                "FAIL (nothing scored: every metric had fewer than "
                f"{self.tolerances.min_cases} observations; give a longer log)"
            )
        return "PASS" if self.passed else "FAIL"

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
            f"validation.csv)\nResult: {self.verdict}"
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
            f"**Result: {self.verdict}** — "
            f"{int((t['status'] == 'PASS').sum())} PASS, {int((t['status'] == 'FAIL').sum())} "
            f"FAIL, {int((t['status'] == 'n/a').sum())} not scored (fewer than "
            f"{self.tolerances.min_cases} observations).",
            "",
        ]
        if self.warnings:
            lines += ["## Warnings", ""] + [f"- **{w}**" for w in self.warnings] + [""]
        lines += [
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
            markdown_cells(self.tolerances.to_frame()),
            "",
            "## Comparison",
            "",
            markdown_cells(format_numbers(t)),
            "",
        ]
        names = list(figures)
        if names:
            lines += ["## Figures", ""] + [f"![{n}]({n})" for n in names] + [""]
        return "\n".join(lines)

    def figures(self, max_items: int = 5, *, lang: Lang | None = None) -> dict[str, Figure]:
        """Observed vs simulated figures: duration ECDFs, weekly counts, hourly profile.

        Parameters
        ----------
        max_items : int, default 5
            Items (largest first) with their own ECDF panel.
        lang : {"zh", "en", "both"}, optional
            Language of the labels (default: the current one, set by ``--lang``).

        Returns
        -------
        dict of str to matplotlib.figure.Figure
            File name -> figure (fixed sizes).
        """
        from simhall.validation.figures import durations_ecdf, hourly_profile, weekly_counts

        return {
            "durations_ecdf.png": durations_ecdf(self, max_items, lang=lang),
            "weekly_counts.png": weekly_counts(self.weekly, lang=lang),
            "hourly_profile.png": hourly_profile(self.hourly, lang=lang),
        }

    def write(
        self, out_dir: str | os.PathLike[str], *, figures: bool = True, lang: Lang | None = None
    ) -> Path:
        """Write ``validation.csv``, ``validation.md`` and the figures atomically.

        Parameters
        ----------
        out_dir : path
            Output folder (created).
        figures : bool, default True
            Also write the PNG figures.
        lang : {"zh", "en", "both"}, optional
            Language of the figures' labels (default: the current one).

        Returns
        -------
        Path
            The folder, written whole (:func:`simhall.io.output_folder`) with a manifest.
        """
        from simhall.io import output_folder

        with output_folder(out_dir, self.manifest()) as folder:
            self.write_files(folder.path, figures=figures, lang=lang)
        return folder.target

    def manifest(self, command: str = "validate") -> dict[str, Any]:
        """How to reproduce the validation: its settings and tolerances."""
        return {
            "command": command,
            "settings": dict(self.settings),
            "tolerances": self.tolerances.to_frame().to_dict(orient="records"),
        }

    def write_files(self, out: Path, *, figures: bool = True, lang: Lang | None = None) -> None:
        """Write ``validation.csv``, ``validation.md`` and the figures into ``out``."""
        from simhall.io import atomic_write_csv, atomic_write_text
        from simhall.reporting.figures import save_png

        atomic_write_csv(self.table, out / "validation.csv")
        names: list[str] = []
        if figures:
            for name, fig in self.figures(lang=lang).items():
                save_png(fig, out / name, dpi=100)
                names.append(name)
        atomic_write_text(self.to_markdown(names), out / "validation.md")


@dataclass
class HoldoutResult:
    """What :func:`~simhall.validation.holdout.holdout` returns.

    Attributes
    ----------
    validation : ValidationResult
        The calibrated scenario scored on the test period (its table also holds ``info``
        rows ``naive_wasserstein_days`` and ``naive_followup_wasserstein_days``; its
        ``warnings`` those of :func:`~simhall.validation.naive.yardstick_warnings`).
    calibration : Calibration
        The calibration on the training period.
    train_cases : pandas.DataFrame
        Case table of the training cases (with ``closed``, ``closed_by`` and ``scored``).
    naive : pandas.DataFrame
        :func:`~simhall.validation.naive.naive_comparison`: ``scope, id, measure``
        (``working_days``, ``calendar_days``), the ``model``, ``naive`` and
        ``naive_followup`` Wasserstein distances to the observed test cases and the cases
        behind them (``n_test``, ``n_sim``, ``n_train``, ``n_train_followup``,
        ``ess_followup``, ``n_train_accepted``).
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
            "Naive forecast: the training period's observed closed cases used as the "
            "prediction of the test period, plain (`naive`, resting on `n_train` cases) and "
            "censored like the test period (`naive_followup`: each training case weighted "
            "by the share of accepted test cases whose follow-up to the end of the log would "
            "have seen it close; `n_train_followup` cases with a positive weight, "
            "`ess_followup` their effective number). A model that beats `naive` but not "
            "`naive_followup` owes its margin to censoring. Wasserstein distance to the "
            "observed test cases (smaller is better):",
            "",
            markdown_cells(format_naive(self.naive)),
            "",
        ]
        return v.to_markdown(figures) + "\n" + "\n".join(head)

    def write(
        self, out_dir: str | os.PathLike[str], *, figures: bool = True, lang: Lang | None = None
    ) -> Path:
        """Write the validation files, ``naive.csv``, the calibrated scenario and its report.

        Parameters
        ----------
        out_dir : path
            Output folder.
        figures : bool, default True
            Also write the PNG figures.
        lang : {"zh", "en", "both"}, optional
            Language of the figures' labels (default: the current one).

        Returns
        -------
        Path
            The folder.
        """
        from simhall.io import output_folder

        with output_folder(out_dir, self.validation.manifest("validate --holdout")) as folder:
            self.write_files(folder.path, figures=figures, lang=lang)
        return folder.target

    def write_files(self, out: Path, *, figures: bool = True, lang: Lang | None = None) -> None:
        """Write the held-out validation's files into the existing folder ``out``."""
        from simhall.io import atomic_write_csv, atomic_write_text

        self.validation.write_files(out, figures=figures, lang=lang)
        atomic_write_csv(self.naive, out / "naive.csv")
        names = list(self.validation.figures()) if figures else []
        atomic_write_text(self.to_markdown(names), out / "validation.md")
        self.calibration.write(out / "calibrated.toml", out / "calibration.md")


def format_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with the numeric comparison columns as short strings (4 significant digits)."""
    out = frame.copy()
    for c in ("observed", "simulated", "error", "limit", "se"):
        if c in out:
            out[c] = out[c].map(lambda v: "" if pd.isna(v) else f"{v:.4g}")
    return out


def markdown_cells(frame: pd.DataFrame) -> str:
    """``frame`` as a Markdown table, missing cells empty."""

    def cell(v: Any) -> str:
        return "" if pd.isna(v) else str(v)

    return markdown_table(frame, cell)
