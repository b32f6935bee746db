"""``simhall.calibration.items``: each item's demand, window service, returns and route."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from simhall.calibration import calibrate

Log = Callable[..., pd.DataFrame]


def test_catalogue_fields_and_onsite_items(case_log: Log, catalogue_of: Log) -> None:
    ev = pd.concat([case_log(60, "A"), case_log(40, "B", start_case=100)], ignore_index=True)
    items = catalogue_of("A", "B").assign(
        kind=["commitment", "onsite"], name=["营业执照", None], statutory_days=[20, None]
    )
    cal = calibrate(ev, items, holidays="weekends-only")
    a, b = cal.items
    assert (a.name, a.statutory_days, a.committed_days) == ("营业执照", 20, 5)
    assert (b.name, b.statutory_days) == ("B", None)  # the id when the name is empty
    assert a.cases == 60 and b.cases == 40
    assert a.daily_demand == pytest.approx(60 / cal.demand.working_days)
    assert [st.name for st in a.route] == ["review"] and b.route == ()
    assert "item B is on-site in the catalogue; its 1 post-window activities are ignored" in (
        cal.notes
    )
    assert a.window_service is not None and not a.window_pooled
    assert a.window_service.mean == pytest.approx(10.0)
    assert (a.visits, a.incomplete_prob, a.return_delay) == (60, 0.0, None)
    fits = cal.fits.set_index(["item_id", "step"])
    assert fits.loc[("A", "window_service"), "n"] == 60


def test_returns_for_correction(case_log: Log, catalogue_of: Log) -> None:
    """Every fourth applicant is sent back once and returns two working days later."""
    ev = case_log(80)
    first = ev[(ev["activity"] == "accept")].iloc[::4]
    back = first.assign(
        activity="return_for_correction",
        ready=first["ready"] - pd.Timedelta(days=2),
        start=first["start"] - pd.Timedelta(days=2),
        end=first["start"] - pd.Timedelta(days=2) + pd.Timedelta(minutes=5),
    )
    back = back[back["ready"].dt.day_of_week < 3]  # so that two days back is two working days
    cal = calibrate(
        pd.concat([ev, back], ignore_index=True), catalogue_of("A"), holidays="weekends-only"
    )
    (item,) = cal.items
    assert item.visits == 80 + len(back)
    assert item.incomplete_prob == pytest.approx(len(back) / (80 + len(back)), abs=1e-4)
    assert item.return_delay is not None and item.return_delay.dist.mean == 2.0
