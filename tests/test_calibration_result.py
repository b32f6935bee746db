"""``simhall.calibration.result``: the calibration and its estimates (frozen), written out."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from simhall.calibration import Calibration, calibrate
from simhall.calibration.result import DepartmentEstimate, PoolEstimate


@pytest.fixture(scope="module")
def cal(
    case_log: Callable[..., pd.DataFrame], catalogue_of: Callable[..., pd.DataFrame]
) -> Calibration:
    return calibrate(case_log(80), catalogue_of("A"), source="hall.csv")


def test_estimates_are_frozen_and_replaceable(cal: Calibration) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        cal.seed = 1  # type: ignore[misc]
    item = cal.items[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.route = ()  # type: ignore[misc]
    shorter = dataclasses.replace(cal, items=(dataclasses.replace(item, route=()),))
    assert shorter.items[0].route == () and cal.items[0].route != ()
    assert "route = []  # no steps after acceptance found in the log" in shorter.to_toml()


def test_pools_and_back_office(cal: Calibration) -> None:
    (dept,) = cal.departments
    staff, days, method = dept.pools["pool"]
    assert dept.pools["pool"] == PoolEstimate(staff, days, method)
    assert 1 <= staff <= 2 and method == "max distinct resources active on a working day"
    assert dept.back_office == "hall"
    assert DepartmentEstimate("x", 1, 0, "", {}, courier=object()).back_office == "outside"  # type: ignore[arg-type]


def test_write_scenario_report_and_figures(cal: Calibration, tmp_path: Path) -> None:
    path = cal.write(tmp_path / "cal.toml", tmp_path / "cal.md", figures=True)
    assert path == tmp_path / "cal.toml"
    assert path.read_text(encoding="utf-8") == cal.to_toml()
    report = (tmp_path / "cal.md").read_text(encoding="utf-8")
    assert report.startswith(cal.report())
    assert report.endswith("\n## Figures\n\n![cal_demand.png](cal_demand.png)\n")
    assert (tmp_path / "cal_demand.png").exists()
    cal.write(tmp_path / "only.toml")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cal.md",
        "cal.toml",
        "cal_demand.png",
        "only.toml",
    ]
    assert cal.scenario().items[0].id == "A"
