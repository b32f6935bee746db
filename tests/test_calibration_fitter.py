"""``simhall.calibration.fitter``: one subsampling stream; pooled fits made once."""

from __future__ import annotations

import numpy as np

from simhall.calibration.fit import MAX_FIT_N
from simhall.calibration.fitter import Fitter


def test_pooled_fit_is_made_once_and_listed_once() -> None:
    fitter = Fitter(np.random.default_rng(0))
    x = np.random.default_rng(1).gamma(2.0, 20.0, 300)
    assert ("window", 0) not in fitter
    fr, rows = fitter.pooled(("window", 0), x, "d window_service")
    assert fr is not None and ("window", 0) in fitter
    (row,) = rows
    assert (row.scope, row.item_id, row.step, row.n) == ("department", "", "d window_service", 300)
    again, rows = fitter.pooled(("window", 0), np.empty(0), "d window_service")
    assert again is fr and rows == ()
    assert fitter.pooled(("step", 0, 1), np.empty(0), "d review") == (None, ())


def test_fits_follow_the_order_they_are_asked_for() -> None:
    """Large samples are subsampled from the one stream: same order, same fits."""
    rng = np.random.default_rng(2)
    a, b = rng.lognormal(3, 1, 2 * MAX_FIT_N), rng.lognormal(2, 1, 2 * MAX_FIT_N)
    one, two = Fitter(np.random.default_rng(5)), Fitter(np.random.default_rng(5))
    first_a = one.duration(a).aic
    assert [first_a, one.duration(b).aic] == [two.duration(a).aic, two.duration(b).aic]
    swapped = Fitter(np.random.default_rng(5))
    swapped.duration(b)
    assert swapped.duration(a).aic != first_a  # another subsample of a: order matters
    assert Fitter(np.random.default_rng(5)).days(np.full(50, 2.0)).dist.name == "fixed"
