"""``simhall.calibration.roles``: what each resource is, from its name and what it does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simhall.calibration.roles import (
    ResourceOverride,
    find_roles,
    overlap_share,
    read_resource_overrides,
)

MON = pd.Timestamp("2024-03-04")


def _log(n: int = 40) -> pd.DataFrame:
    """Cases of item A (department ``gs``): accepted at ``工商窗口1``/``工商窗口2``,
    reviewed by ``gs-s1`` one after another, inspected by ``site-team`` (three days, many
    at once), carried by ``van``."""
    rows = []
    for k in range(n):
        day = MON + pd.Timedelta(days=k % 20 + 7 * (k % 20 // 5) // 5)
        t0 = day + pd.Timedelta(hours=9, minutes=k % 7 * 20)
        cid = f"c{k}"
        rows.append((cid, "A", "受理", f"工商窗口{1 + k % 2}", t0, t0 + pd.Timedelta(minutes=15)))
        r0 = MON + pd.Timedelta(days=30, minutes=60 * k)
        rows.append((cid, "A", "科室审核", "gs-s1", r0, r0 + pd.Timedelta(minutes=50)))
        i0 = r0 + pd.Timedelta(minutes=60)
        rows.append((cid, "A", "现场勘查", "site-team", i0, i0 + pd.Timedelta(days=3)))
        c0 = i0 + pd.Timedelta(days=3, hours=1)
        rows.append((cid, "A", "送回大厅", "van", c0, c0 + pd.Timedelta(minutes=40)))
    return pd.DataFrame(
        rows, columns=["case_id", "item_id", "activity", "resource", "start", "end"]
    )


def _items() -> pd.DataFrame:
    return pd.DataFrame(
        {"item_id": ["A"], "department": ["gs"], "kind": ["commitment"], "committed_days": [5]}
    )


def test_overlap_share_counts_events_started_while_another_runs() -> None:
    resource = np.array([0, 0, 0, 1, 1, -1])
    start = np.array([0.0, 10.0, 50.0, 0.0, 5.0, 0.0])
    end = np.array([20.0, 30.0, 60.0, 5.0, 9.0, 100.0])
    share = overlap_share(resource, start, end, 2)
    np.testing.assert_allclose(share, [1 / 3, 0.0])  # back to back is no overlap


def test_roles_from_what_resources_do(period_of: Callable[..., tuple]) -> None:
    catalogue, period = period_of(_log(), _items(), accept_activity="受理")
    roles = find_roles(period, catalogue)
    table = roles.table.set_index("resource")
    assert table.loc["工商窗口1", "role"] == table.loc["工商窗口2", "role"] == "window"
    assert table.loc["gs-s1", "role"] == "staff"
    assert table.loc["site-team", "role"] == "shared"
    assert table.loc["van", "role"] == "courier"
    # departments: from the name (gs-s1), from the items handled (工商窗口1), none if shared
    assert table.loc["gs-s1", "department"] == "gs"
    assert table.loc["工商窗口1", "department"] == "gs"
    assert table.loc["site-team", "department"] == ""
    assert "overlapping intervals" in roles.evidence.assumptions[0]


def test_overrides_win_and_unknown_names_are_noted(period_of: Callable[..., tuple]) -> None:
    catalogue, period = period_of(_log(), _items(), accept_activity="受理")
    roles = find_roles(
        period,
        catalogue,
        {"site-team": ResourceOverride("staff"), "nobody": ResourceOverride("window")},
    )
    assert roles.table.set_index("resource").loc["site-team", "role"] == "staff"
    assert "nobody" in roles.evidence.notes[0]


def test_read_resource_overrides(tmp_path: Path) -> None:
    path = tmp_path / "classify.toml"
    path.write_text(
        '[activities]\nx = "delay"\n[resources]\n"工商窗口2" = "window"\n'
        'lead = { role = "staff", department = "gs" }\n',
        encoding="utf-8",
    )
    got = read_resource_overrides(path)
    assert got == {
        "工商窗口2": ResourceOverride("window"),
        "lead": ResourceOverride("staff", "gs"),
    }
    path.write_text('[resources]\nlead = "boss"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"resources\.lead\.role = 'boss': expected one of"):
        read_resource_overrides(path)
