"""The window scorecard of a hall: indicators, sub-item scores, ranking, figure, folder.

:func:`scorecard` is the whole evaluation round: the indicators of every department from the
cases and visits (:mod:`~simhall.scorecard.indicators`), each sub-item scored through the
scheme (:mod:`~simhall.scorecard.score`), the departments ranked. :class:`Scorecard` holds
the tables and writes them, with a figure of the points by area, as one folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from simhall.io import atomic_write_csv, atomic_write_text, file_sha256, output_folder
from simhall.reporting.figures import new_figure, save_png
from simhall.scorecard.indicators import INDICATORS, across, indicators
from simhall.scorecard.score import rank, score_details
from simhall.scorecard.source import CaseData
from simhall.scorecard.weights import Weights

__all__ = ["Scorecard", "figure", "scorecard"]


@dataclass(frozen=True)
class Scorecard:
    """A scored hall.

    Attributes
    ----------
    indicators : pandas.DataFrame
        ``department, indicator, label, label_zh, value, ci_low, ci_high, reps``.
    details : pandas.DataFrame
        One row per department and sub-item (:func:`~simhall.scorecard.score.score_details`).
    ranking : pandas.DataFrame
        :func:`~simhall.scorecard.score.rank`.
    """

    weights: Weights
    data_label: str
    origin: str
    indicators: pd.DataFrame
    details: pd.DataFrame
    ranking: pd.DataFrame
    notes: tuple[str, ...] = ()

    def report(self) -> str:
        """Markdown: the scheme, the ranking, the indicators and the notes."""
        w = self.weights
        assumed = " Its weights are assumptions." if w.weights_assumed else ""
        lines = [
            f"# Window scorecard: {self.data_label}",
            "",
            f"Scheme: {w.name} ({len(w.subitems)} sub-items, {len(w.areas)} areas, "
            f"{len(w.dimensions)} dimensions; the total enters the city's assessment at "
            f"{w.assessment_share:.0%}).{assumed}",
            f"Indicators from the {'simulated run' if self.origin == 'run' else 'case log'}; "
            "sub-items no log holds are inputs of the weights file (or their defaults: "
            "`defaults_used`). A sub-item the data cannot measure is n/a and the total is "
            "scaled to the points available.",
            "",
            "```",
            self.ranking.round(2).to_string(index=False),
            "```",
            "",
            "```",
            self.indicators.pivot(index="department", columns="indicator", values="value")
            .reindex(columns=list(INDICATORS))
            .round(3)
            .to_string(),
            "```",
        ]
        lines += [f"\nnote: {n}" for n in self.notes]
        return "\n".join(lines) + "\n"

    def write(self, out_dir: str | os.PathLike[str], *, figures: bool = True) -> Path:
        """Write ``ranking.csv``, ``scorecard.csv`` (every sub-item), ``indicators.csv``,
        ``scorecard.md``, ``scorecard.png`` and ``manifest.json`` as one folder."""
        source = Path(self.weights.source) if self.weights.source else None
        inputs = {str(source): file_sha256(source)} if source and source.is_file() else {}
        manifest = {
            "command": "scorecard",
            "data": self.data_label,
            "settings": {"weights": self.weights.source, "origin": self.origin},
            "inputs": inputs,
        }
        with output_folder(out_dir, manifest) as folder:
            out = folder.path
            atomic_write_csv(self.ranking, out / "ranking.csv")
            atomic_write_csv(self.details, out / "scorecard.csv")
            atomic_write_csv(self.indicators, out / "indicators.csv")
            atomic_write_text(self.report(), out / "scorecard.md")
            if figures:
                save_png(figure(self), out / "scorecard.png")
        return folder.target


def figure(card: Scorecard) -> Figure:
    """Stacked bars of each department's points by area, best first, with its total."""
    fig = new_figure((8.0, max(3.0, 0.35 * len(card.ranking) + 1.5)))
    ax = fig.add_subplot()
    ranking = card.ranking.iloc[::-1]
    y = range(len(ranking))
    left = pd.Series(0.0, index=ranking.index)
    for key, label in card.weights.areas:
        points = ranking[f"{key} ({label})"]
        ax.barh(list(y), points, left=left, label=key)
        left = left + points
    for k, (total, right) in enumerate(zip(ranking["total"], left, strict=True)):
        ax.text(right + 0.5, k, f"{total:.1f}", va="center", fontsize=7)
    ax.set_yticks(list(y), ranking["department"], fontsize=7)
    ax.set_xlabel("points by area (the total, right, is scaled to the points available)")
    ax.set_xlim(0, 125)  # room for the legend right of the 100 points
    ax.set_title("Window scorecard")
    ax.legend(fontsize=7, loc="center right")
    return fig


def scorecard(data: CaseData, weights: Weights) -> Scorecard:
    """Score every department of ``data`` with ``weights``.

    Raises
    ------
    WeightsError
        If the weights' inputs name a department the data does not have (or miss one for a
        sub-item without default).
    """
    departments = sorted(data.cases["department"].unique())
    weights.check_departments(departments)
    values = across(indicators(data))
    labels = pd.DataFrame(
        [(k, v.label, v.label_zh) for k, v in INDICATORS.items()],
        columns=["indicator", "label", "label_zh"],
    )
    values = values.merge(labels, on="indicator", how="left")[
        ["department", "indicator", "label", "label_zh", "value", "ci_low", "ci_high", "reps"]
    ]
    details = score_details(weights, values, departments, data.origin)
    return Scorecard(
        weights=weights,
        data_label=data.label,
        origin=data.origin,
        indicators=values,
        details=details,
        ranking=rank(weights, details, data.names),
        notes=data.notes,
    )
