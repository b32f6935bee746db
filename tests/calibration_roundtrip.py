"""The round trip on logs simhall did not write: calibrate, predict, score, against the floor.

Like a weather service judged on tomorrow's weather rather than on yesterday's, calibration
is judged on a period it has not seen, in a world it did not make. The independent generator
(:mod:`tests.independent`, no simhall code) writes ten months of a hall. Calibration reads
what an export taken at the end of the first six months holds (events ended by then, cases
whose first visit falls in those months); :func:`simhall.run` then simulates the next four
months with the calibrated scenario (a warm-up month before them, common settings for every
hall); the simulated log and the generator's own log of those months are scored by the
generator's scoring (:func:`tests.independent.score_log`: its own working-day calendar and
definition). The errors are set beside the perfect-model noise floor: the generator itself
re-run with another seed, scored the same way (:func:`tests.independent.noise_floor`).

:func:`round_trip` is the one entry point (tests, ``docs/validation.md``, benchmarks).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from simhall.calibration import Calibration, calibrate
from simhall.experiment import run
from simhall.logs.schema import ACCEPT, CORRECTION
from tests.independent import HALLS, GeneratedLog, ScoreCard, compare_scores, generate, score_log
from tests.independent.halls import CALIBRATION, PERIOD, TEST

__all__ = [
    "NOISE_FLOOR",
    "RoundTrip",
    "calibrate_world",
    "calibration_log",
    "predict",
    "round_trip",
    "score_prediction",
]

NOISE_FLOOR: dict[str, dict[str, float]] = {
    "eighteen": {
        "mean_wd_mae": 0.26,
        "p90_wd_mae": 0.47,
        "window_wait_rel": 0.40,
        "onsite_share_diff": 0.005,
    },
    "small": {
        "mean_wd_mae": 0.52,
        "p90_wd_mae": 1.44,
        "window_wait_rel": 0.30,
        "onsite_share_diff": 0.011,
    },
    "chinese": {
        "mean_wd_mae": 0.45,
        "p90_wd_mae": 1.03,
        "window_wait_rel": 0.15,
        "onsite_share_diff": 0.008,
    },
}
"""The generator's own noise floor over :data:`~tests.independent.halls.TEST` (seed 0
against seeds 1, 2, 3, averaged; measured in ``docs/independent-generator.md``; recomputed
by the slow test of ``tests/test_calibration_independent.py``)."""

WARMUP_DAYS = 30
"""Calendar days simulated before the test period (their cases are not scored), so the
back office is as busy at its start as the generator's is."""
DRAIN_DAYS = 150
"""Days simulated after the test period's last arrival (as the generator's drain)."""
RUN_SEED = 7
"""Master seed of every prediction (common random numbers across halls and versions)."""


@dataclass(frozen=True)
class RoundTrip:
    """One round trip: the generated world, the calibration, the two score cards, the errors.

    Attributes
    ----------
    hall : str
        Hall name (a key of :data:`tests.independent.HALLS`).
    seed : int
        Generator seed.
    world : GeneratedLog
        The ten generated months (events, catalogue, ground truth, calendar).
    calibration : Calibration
        Calibration on the first six months' export.
    observed, predicted : ScoreCard
        The generator's log and the simulation over the test period.
    errors : dict
        :func:`tests.independent.compare_scores` of ``predicted`` against ``observed``.
    """

    hall: str
    seed: int
    world: GeneratedLog
    calibration: Calibration
    observed: ScoreCard
    predicted: ScoreCard
    errors: dict[str, float]

    @property
    def floor(self) -> dict[str, float]:
        """The hall's noise floor (:data:`NOISE_FLOOR`)."""
        return NOISE_FLOOR[self.hall]

    def per_item(self) -> pd.DataFrame:
        """Predicted (``_p``) and observed (``_o``) cases, mean and P90 working days per item."""
        return self.predicted.per_item.add_suffix("_p").join(
            self.observed.per_item.add_suffix("_o"), how="inner"
        )

    def summary(self) -> str:
        """One line per metric: error and noise floor."""
        return "; ".join(f"{k} {v:.3f} (floor {self.floor[k]:.3f})" for k, v in self.errors.items())


def calibration_log(world: GeneratedLog, until: date = CALIBRATION[1]) -> pd.DataFrame:
    """What an export taken at midnight before ``until`` holds: the events ended by then."""
    ev = world.events
    return ev[ev["end"] < pd.Timestamp(until)].reset_index(drop=True)


def predict(
    cal: Calibration,
    test: tuple[date, date] = TEST,
    *,
    reps: int = 3,
    seed: int = RUN_SEED,
) -> pd.DataFrame:
    """The calibrated scenario simulated over ``test`` (after :data:`WARMUP_DAYS`): the
    replications' event logs stacked, case ids made unique per replication."""
    start = test[0] - timedelta(days=WARMUP_DAYS)
    result = run(
        cal.scenario(),
        start=start,
        days=(test[1] - start).days,
        warmup_days=WARMUP_DAYS,
        drain_days=DRAIN_DAYS,
        reps=reps,
        seed=seed,
        show_progress=False,
    )
    sim = result.events.copy()
    sim["case_id"] = sim["replication"].astype(str) + "-" + sim["case_id"].astype(str)
    sim["activity"] = sim["activity"].astype(str)
    return sim.drop(columns="replication")


def score_prediction(
    sim: pd.DataFrame, world: GeneratedLog, test: tuple[date, date] = TEST
) -> ScoreCard:
    """A simulated log scored by the generator's scoring (simhall's acceptance and 补正
    names; the pickup is the generator's activity name, which calibration keeps)."""
    acts = world.truth.config.activities
    return score_log(
        sim, world.workdays, test, accept=ACCEPT, correction=CORRECTION, pickup=acts.pickup
    )


def calibrate_world(
    hall: str, *, seed: int = 0, **calibrate_kw: object
) -> tuple[GeneratedLog, Calibration]:
    """Generate ``hall`` over :data:`PERIOD` (with ``ready``) and calibrate on the export
    of :data:`CALIBRATION` (the generator's activity names; calibration seed 1)."""
    config = HALLS[hall]()
    world = generate(config, *PERIOD, seed=seed, ready=True)
    kw: dict[str, object] = {
        "accept_activity": config.activities.accept,
        "seed": 1,
        "source": hall,
    }
    kw.update(calibrate_kw)
    cal = calibrate(
        calibration_log(world),
        world.items,
        since=CALIBRATION[0],
        until=CALIBRATION[1] - timedelta(days=1),
        **kw,  # type: ignore[arg-type]
    )
    return world, cal


def round_trip(hall: str, *, seed: int = 0, reps: int = 3, **calibrate_kw: object) -> RoundTrip:
    """Generate ``hall`` over :data:`PERIOD`, calibrate on :data:`CALIBRATION`, predict and
    score :data:`TEST`.

    Parameters
    ----------
    hall : str
        ``"eighteen"``, ``"small"`` or ``"chinese"``.
    seed : int, default 0
        Generator seed (the world); calibration and prediction seeds are fixed.
    reps : int, default 3
        Replications of the prediction.
    **calibrate_kw
        Passed on to :func:`simhall.calibration.calibrate`.
    """
    world, cal = calibrate_world(hall, seed=seed, **calibrate_kw)
    acts = world.truth.config.activities
    observed = score_log(
        world.events,
        world.workdays,
        TEST,
        accept=acts.accept,
        correction=acts.correction,
        pickup=acts.pickup,
    )
    predicted = score_prediction(predict(cal, reps=reps), world)
    return RoundTrip(
        hall, seed, world, cal, observed, predicted, compare_scores(predicted, observed)
    )
