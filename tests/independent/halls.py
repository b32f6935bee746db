"""Three halls with different parameters, for calibration round trips.

* :func:`eighteen_item_hall`: 18 items in 6 departments, as in issue 8; resource names of
  every shape (``dept/window/3``, ``market-w1``, ``health-s2``, ``build-leader``, ``courier``).
* :func:`small_hall`: 6 items in 2 departments, one clerk each, Monday/Thursday rounds.
* :func:`chinese_hall`: Chinese activity names (受理, 补正, 办结 ...) and resource names
  (``工商窗口2``, ``工商科员1``, ``工商负责人``, ``快递员``).

Each can generate 10 months (e.g. :data:`PERIOD`) so that calibration uses the first 6
(:data:`CALIBRATION`) and scoring the next 4 (:data:`TEST`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from tests.independent.config import (
    CHINESE_ACTIVITIES,
    DepartmentConfig,
    HallConfig,
    ItemConfig,
    SessionConfig,
)

PERIOD = (date(2024, 3, 1), date(2025, 1, 1))
"""Ten months of arrivals."""
CALIBRATION = (date(2024, 3, 1), date(2024, 9, 1))
"""The first six months (calibration)."""
TEST = (date(2024, 9, 1), date(2025, 1, 1))
"""The next four months (scoring)."""


def _dept(
    dept_id: str,
    clerks: int,
    staff: int,
    *,
    windows: str,
    staff_fmt: str,
    leader: str,
    label: str = "",
    **kw: object,
) -> DepartmentConfig:
    params: dict[str, object] = dict(
        service_median_min=22.0,
        service_sigma=0.5,
        pickup_service_min=4.0,
        review_median_min=45.0,
        review_sigma=0.6,
        tray_days=(1, 3),
        courier=False,
        signoff=SessionConfig((1, 4), 960, (2.0, 5.0), 0.15, leader),
    )
    params.update(kw)
    return DepartmentConfig(
        dept_id=dept_id,
        clerks=clerks,
        staff=staff,
        window_names=tuple(windows.format(k=k + 1, dept=dept_id) for k in range(clerks)),
        staff_names=tuple(staff_fmt.format(k=k + 1, dept=dept_id) for k in range(staff)),
        label=label,
        **params,  # type: ignore[arg-type]
    )


def eighteen_item_hall() -> HallConfig:
    """18 items, 6 departments; true mean working days from about 0.5 to 7."""
    depts = (
        _dept(
            "market",
            3,
            3,
            windows="market-w{k}",
            staff_fmt="market-s{k}",
            leader="market-leader",
            service_median_min=18.0,
        ),
        _dept(
            "health",
            2,
            2,
            windows="health-w{k}",
            staff_fmt="health-s{k}",
            leader="health-leader",
            tray_days=(0, 2),
        ),
        _dept(
            "build",
            2,
            2,
            windows="build/window/{k}",
            staff_fmt="build/staff/{k}",
            leader="build-leader",
            courier=True,
            review_median_min=70.0,
            signoff=SessionConfig((1, 4), 960, (2.0, 5.0), 0.25, "build-leader"),
        ),
        _dept(
            "tax",
            3,
            2,
            windows="tax/window/{k}",
            staff_fmt="tax/staff/{k}",
            leader="tax-leader",
            service_median_min=15.0,
            tray_days=(0, 1),
            signoff=SessionConfig((0, 2, 4), 930, (1.0, 3.0), 0.1, "tax-leader"),
        ),
        _dept(
            "transport",
            2,
            2,
            windows="transport-w{k}",
            staff_fmt="transport-s{k}",
            leader="transport-leader",
            courier=True,
        ),
        _dept(
            "civil",
            2,
            1,
            windows="civil/window/{k}",
            staff_fmt="civil-s{k}",
            leader="civil-leader",
            service_median_min=25.0,
            tray_days=(1, 2),
        ),
    )
    spec = [  # item, dept, kind, committed, daily, correction, meeting, inspection, pickup
        ("M01", "market", "onsite", 0, 6.0, 0.10, False, (0, 0), 0.0),
        ("M02", "market", "commitment", 5, 3.0, 0.15, False, (0, 0), 0.5),
        ("M03", "market", "commitment", 10, 1.5, 0.20, True, (1, 3), 0.8),
        ("H01", "health", "onsite", 0, 4.0, 0.10, False, (0, 0), 0.0),
        ("H02", "health", "commitment", 7, 2.0, 0.15, False, (1, 3), 0.6),
        ("H03", "health", "commitment", 3, 1.0, 0.10, False, (0, 0), 0.0),
        ("B01", "build", "commitment", 15, 1.2, 0.25, True, (2, 4), 0.9),
        ("B02", "build", "commitment", 10, 1.0, 0.20, False, (1, 3), 0.5),
        ("B03", "build", "onsite", 0, 2.5, 0.05, False, (0, 0), 0.0),
        ("T01", "tax", "onsite", 0, 8.0, 0.05, False, (0, 0), 0.0),
        ("T02", "tax", "onsite", 0, 5.0, 0.08, False, (0, 0), 0.0),
        ("T03", "tax", "commitment", 3, 2.0, 0.10, False, (0, 0), 0.0),
        ("R01", "transport", "commitment", 5, 1.5, 0.15, False, (0, 0), 0.7),
        ("R02", "transport", "commitment", 10, 0.8, 0.20, True, (1, 3), 0.7),
        ("R03", "transport", "onsite", 0, 3.0, 0.10, False, (0, 0), 0.0),
        ("C01", "civil", "onsite", 0, 4.0, 0.12, False, (0, 0), 0.0),
        ("C02", "civil", "commitment", 5, 1.0, 0.15, False, (0, 0), 0.3),
        ("C03", "civil", "onsite", 0, 2.0, 0.10, False, (0, 0), 0.0),
    ]
    items = tuple(
        ItemConfig(
            item_id=i,
            department=d,
            kind=k,
            committed_days=c,
            daily_mean=2.5 * m,
            correction_share=p,
            meeting=mt,
            inspection_days=ins,
            pickup_share=pk,
        )
        for i, d, k, c, m, p, mt, ins, pk in spec  # 2.5 x: about 175 applications a day
    )
    return HallConfig(
        name="eighteen",
        departments=depts,
        items=items,
        meeting=SessionConfig((0,), 540, (10.0, 20.0), 0.05, "director"),
    )


def small_hall() -> HallConfig:
    """6 items, 2 departments with one clerk each; quieter days, longer lunch, no overtime
    beyond 30 minutes."""
    depts = (
        _dept(
            "permits",
            1,
            2,
            windows="permits-w{k}",
            staff_fmt="permits-s{k}",
            leader="permits-leader",
            service_median_min=20.0,
            tray_days=(1, 3),
            signoff=SessionConfig((0, 3), 990, (3.0, 6.0), 0.3, "permits-leader"),
        ),
        _dept(
            "social",
            1,
            1,
            windows="social/window/{k}",
            staff_fmt="social/staff/{k}",
            leader="social-leader",
            service_median_min=14.0,
            courier=True,
            tray_days=(0, 1),
            signoff=SessionConfig((2,), 600, (2.0, 4.0), 0.1, "social-leader"),
        ),
    )
    spec = [
        ("P1", "permits", "onsite", 0, 3.0, 0.15, False, (0, 0), 0.0),
        ("P2", "permits", "commitment", 5, 2.0, 0.20, False, (1, 2), 0.5),
        ("P3", "permits", "commitment", 10, 0.7, 0.25, True, (2, 4), 1.0),
        ("S1", "social", "onsite", 0, 4.0, 0.08, False, (0, 0), 0.0),
        ("S2", "social", "commitment", 3, 1.5, 0.10, False, (0, 0), 0.0),
        ("S3", "social", "commitment", 7, 0.6, 0.12, True, (0, 0), 0.6),
    ]
    items = tuple(
        ItemConfig(
            item_id=i,
            department=d,
            kind=k,
            committed_days=c,
            daily_mean=1.5 * m,
            correction_share=p,
            meeting=mt,
            inspection_days=ins,
            pickup_share=pk,
        )
        for i, d, k, c, m, p, mt, ins, pk in spec
    )
    return HallConfig(
        name="small",
        departments=depts,
        items=items,
        meeting=SessionConfig((2,), 570, (15.0, 30.0), 0.0, "director"),
        opening=((540, 720), (840, 1020)),
        overtime_cutoff_min=1050,
        intraday=((540, 660, 1.5), (660, 720, 0.8), (840, 1020, 1.0)),
        day_cv=0.35,
        correction_return_days=(2, 5),
        courier_out_min=930,
        inspection_resource="inspections",
        courier_resource="van",
    )


def chinese_hall() -> HallConfig:
    """9 items, 3 departments; Chinese activity and resource names."""
    depts = (
        _dept(
            "gs",
            2,
            2,
            windows="工商窗口{k}",
            staff_fmt="工商科员{k}",
            leader="工商负责人",
            label="工商",
            service_median_min=20.0,
            signoff=SessionConfig((1, 4), 960, (2.0, 5.0), 0.2, "工商负责人"),
        ),
        _dept(
            "ws",
            2,
            1,
            windows="卫生窗口{k}",
            staff_fmt="卫生科员{k}",
            leader="卫生负责人",
            label="卫生",
            tray_days=(1, 2),
            signoff=SessionConfig((3,), 900, (3.0, 5.0), 0.1, "卫生负责人"),
        ),
        _dept(
            "zj",
            1,
            2,
            windows="住建窗口{k}",
            staff_fmt="住建科员{k}",
            leader="住建负责人",
            label="住建",
            courier=True,
            review_median_min=60.0,
            tray_days=(2, 3),
            signoff=SessionConfig((0, 2, 4), 1000, (2.0, 4.0), 0.15, "住建负责人"),
        ),
    )
    spec = [
        ("GS01", "gs", "onsite", 0, 5.0, 0.12, False, (0, 0), 0.0, "个体工商户登记"),
        ("GS02", "gs", "commitment", 3, 2.5, 0.18, False, (0, 0), 0.5, "食品经营许可"),
        ("GS03", "gs", "commitment", 10, 0.8, 0.2, True, (2, 4), 0.8, "广告发布登记"),
        ("WS01", "ws", "onsite", 0, 3.0, 0.1, False, (0, 0), 0.0, "健康证明"),
        ("WS02", "ws", "commitment", 7, 1.2, 0.15, False, (1, 3), 0.7, "公共场所卫生许可"),
        ("WS03", "ws", "commitment", 5, 0.8, 0.1, False, (0, 0), 0.0, "放射诊疗许可"),
        ("ZJ01", "zj", "commitment", 15, 0.9, 0.25, True, (2, 4), 0.9, "施工许可"),
        ("ZJ02", "zj", "commitment", 5, 1.1, 0.2, False, (0, 0), 0.5, "竣工验收备案"),
        ("ZJ03", "zj", "onsite", 0, 1.5, 0.05, False, (0, 0), 0.0, "资质证书变更"),
    ]
    items = tuple(
        ItemConfig(
            item_id=i,
            department=d,
            kind=k,
            committed_days=c,
            daily_mean=2.0 * m,
            correction_share=p,
            meeting=mt,
            inspection_days=ins,
            pickup_share=pk,
            name=nm,
        )
        for i, d, k, c, m, p, mt, ins, pk, nm in spec
    )
    return HallConfig(
        name="chinese",
        departments=depts,
        items=items,
        activities=CHINESE_ACTIVITIES,
        meeting=SessionConfig((0,), 540, (10.0, 15.0), 0.1, "局长"),
        inspection_resource="现场勘查组",
        courier_resource="快递员",
        day_cv=0.2,
    )


HALLS: dict[str, Callable[[], HallConfig]] = {
    "eighteen": eighteen_item_hall,
    "small": small_hall,
    "chinese": chinese_hall,
}
"""The halls by name."""
