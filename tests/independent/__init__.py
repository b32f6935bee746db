"""An independent case-log generator: evidence for calibration from outside simhall.

A second, deliberately separate hall simulator (issue 8, "Tests and evidence"). It shares no
code with simhall's model, scenario, calendar or distributions: it is a small ``heapq`` event
loop written from the mechanisms a real hall shows (day-level demand factors, windows with
lunch and overtime, 补正 returns, trays, a courier, sign-off rounds, meetings, overlapping
site inspections, pickup visits), and it writes a case log in the columns simhall reads.
Calibration tests fit simhall to these logs and compare the prediction with what this
generator produces next, next to the perfect-model noise floor (:func:`noise_floor`).

Nothing here imports :mod:`simhall`.
"""

from tests.independent.config import (
    ActivityNames,
    DepartmentConfig,
    HallConfig,
    ItemConfig,
    Mechanisms,
    SessionConfig,
)
from tests.independent.generator import GeneratedLog, GroundTruth, generate
from tests.independent.halls import HALLS, chinese_hall, eighteen_item_hall, small_hall
from tests.independent.scoring import (
    ScoreCard,
    case_table,
    compare_scores,
    noise_floor,
    score_log,
)
from tests.independent.workdays import CN_HOLIDAYS_2024_2025, CN_MAKEUP_DAYS_2024_2025, WorkDays

__all__ = [
    "ActivityNames",
    "CN_HOLIDAYS_2024_2025",
    "CN_MAKEUP_DAYS_2024_2025",
    "DepartmentConfig",
    "GeneratedLog",
    "GroundTruth",
    "HALLS",
    "HallConfig",
    "ItemConfig",
    "Mechanisms",
    "ScoreCard",
    "SessionConfig",
    "WorkDays",
    "case_table",
    "chinese_hall",
    "compare_scores",
    "eighteen_item_hall",
    "generate",
    "noise_floor",
    "score_log",
    "small_hall",
]
