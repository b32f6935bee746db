"""The Huainan 2007 table as a figure: each of the report's post-reform figures against
simhall's prediction with its 95% CI.

The figures of the report have different units (working days, shares, case counts), so each
prediction is drawn relative to the report's value: 1 is the report, a CI crossing 1 agrees.
Like a scorecard on which each examiner's mark is set against the pass line, rows predicted
by the model's mechanics are drawn in colour; rows set by an overlay or by how the baseline
was built (agreement there says nothing) are grey.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simhall.reporting.figures import COLOURS, new_figure
from simhall.reporting.formatting import as_float
from simhall.reporting.labels import Lang, bilingual, phrase

__all__ = ["huainan_table_figure", "relative_to_report"]


def relative_to_report(table: pd.DataFrame) -> pd.DataFrame:
    """Per row of :func:`simhall.studies.huainan_table.huainan_table` with a non-zero
    report figure and a prediction: ``figure, basis, agrees, ratio, ratio_low, ratio_high``
    (prediction and CI divided by the report's figure; bounds NaN without a CI)."""
    rows = []
    for r in table.itertuples(index=False):
        rep, pred = as_float(r.report), as_float(r.simhall)
        if not (math.isfinite(rep) and rep != 0 and math.isfinite(pred)):
            continue
        lo, hi = as_float(r.ci_low) / rep, as_float(r.ci_high) / rep
        rows.append(
            {
                "figure": r.figure,
                "basis": r.basis,
                "agrees": r.agrees,
                "ratio": pred / rep,
                "ratio_low": min(lo, hi),
                "ratio_high": max(lo, hi),
            }
        )
    return pd.DataFrame(
        rows, columns=["figure", "basis", "agrees", "ratio", "ratio_low", "ratio_high"]
    )


def huainan_table_figure(table: pd.DataFrame, *, lang: Lang | None = None) -> Figure:
    """simhall's prediction / the report's figure, with the 95% CI, one row per figure.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`simhall.studies.huainan_table.huainan_table` (``figure, report, simhall,
        ci_low, ci_high, basis, agrees``), e.g. read back from ``huainan_table.csv``.
    lang : {"zh", "en", "both"}, optional
        Label language.
    """
    rel = relative_to_report(table)
    n = len(rel)
    fig = new_figure((9.0, max(3.0, 1.8 + 0.32 * n)))
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    mech = (rel["basis"] == "mechanics").to_numpy()
    colours = [COLOURS["predicted"] if m else COLOURS["neutral"] for m in mech]
    ratio = rel["ratio"].to_numpy(float)
    lo = rel["ratio_low"].to_numpy(float)
    hi = rel["ratio_high"].to_numpy(float)
    has_ci = np.isfinite(lo) & np.isfinite(hi)
    for k in np.flatnonzero(has_ci):
        ax.hlines(y[k], lo[k], hi[k], color=colours[k], lw=2)
    ax.scatter(ratio, y, color=colours, s=30, zorder=3, label=phrase("simhall_ci", lang))
    ax.axvline(1.0, color=COLOURS["reported"], lw=1, ls="--", label=phrase("report", lang))
    labels = [f"{f} ({a})" for f, a in zip(rel["figure"], rel["agrees"])]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlim(left=min(0.0, float(np.nanmin(np.r_[ratio, lo[has_ci], 1.0])) - 0.05))
    ax.set_xlabel(
        bilingual(
            "simhall / report (1 = the report's figure; grey: set by the input)",
            "simhall / 报告（1 = 报告数；灰色：由输入设定）",
            lang,
        )
    )
    ax.set_title(phrase("huainan_title", lang))
    fig.legend(loc="outside lower center", ncols=2, frameon=False)
    return fig
