"""``simhall.calibration.resources``: department and pool from resource names."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from simhall.calibration.resources import map_resources, slug


def test_slug() -> None:
    assert slug("site inspection") == "site_inspection"
    assert slug("review-2") == "review-2"
    assert slug("现场勘查") == "staff"


def test_department_and_pool_from_names(
    period_of: Callable[..., tuple], catalogue_of: Callable[..., pd.DataFrame]
) -> None:
    items = pd.concat(
        [catalogue_of("A"), catalogue_of("B").assign(department="e")], ignore_index=True
    )
    t0 = pd.Timestamp("2007-03-05 09:00")
    rows = [
        ("c1", "A", "accept", "d/window/1", t0),
        ("c1", "A", "review", "e/section/3", t0 + pd.Timedelta(hours=1)),  # another department
        ("c1", "A", "site visit", "inspector", t0 + pd.Timedelta(hours=2)),  # no department
        ("c2", "B", "accept", None, t0 + pd.Timedelta(hours=3)),  # no resource
    ]
    ev = pd.DataFrame(rows, columns=["case_id", "item_id", "activity", "resource", "end"])
    catalogue, period = period_of(ev, items)
    m = map_resources(period, catalogue)
    assert catalogue.dept_ids == ("d", "e")
    assert m.item_dept.tolist() == [0, 0, 0, 1]
    assert m.dept.tolist() == [0, 1, 0, 1]
    assert m.pool.tolist() == ["window", "section", "site_visit", "accept"]
