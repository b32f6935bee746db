"""The window scorecard (窗口绩效评估): indicators from a case log or a run, scored by a scheme.

=====================  ==================================================================
:mod:`~.source`        :class:`CaseData` from a case log (:func:`from_log`), a run folder
                       (:func:`from_run`) or a run in memory (:func:`from_result`)
:mod:`~.indicators`    :data:`INDICATORS` and their values per department
:mod:`~.weights`       :class:`Weights`: dimensions, areas, sub-items, inputs; the file
:mod:`~.score`         sub-item scores and the ranking
:mod:`~.result`        :func:`scorecard`, :class:`Scorecard` (report, figure, folder)
=====================  ==================================================================

See ``docs/scorecard.md``.
"""

from __future__ import annotations

from simhall.scorecard.indicators import INDICATORS, across, indicators
from simhall.scorecard.result import Scorecard, figure, scorecard
from simhall.scorecard.score import rank, score_details
from simhall.scorecard.source import CaseData, from_frames, from_log, from_result, from_run
from simhall.scorecard.weights import (
    BUNDLED,
    SubItem,
    Weights,
    WeightsError,
    bundled_path,
    read_weights,
    weights_from_mapping,
)

__all__ = [
    "BUNDLED",
    "INDICATORS",
    "CaseData",
    "Scorecard",
    "SubItem",
    "Weights",
    "WeightsError",
    "across",
    "bundled_path",
    "figure",
    "from_frames",
    "from_log",
    "from_result",
    "from_run",
    "indicators",
    "rank",
    "read_weights",
    "score_details",
    "scorecard",
    "weights_from_mapping",
]
