"""Departments: windows, back office, pools, courier and sessions as the file gives them."""

from __future__ import annotations

from simhall.scenario import Courier, Pool, Scenario, SessionSchedule


def test_departments_pools_courier_sessions(small_hall: Scenario) -> None:
    jianwei = small_hall.department("jianwei")
    assert jianwei.windows == 3
    assert jianwei.back_office == "outside"
    assert jianwei.courier == Courier(times_min=(600, 900), travel_min=40.0)
    assert jianwei.pool("section") == Pool("section", 4, in_hall=False)
    assert jianwei.pool("chief") == Pool("chief", 1, in_hall=True, hours=((510, 720),))
    assert jianwei.signoff == SessionSchedule(
        weekdays=(1, 4), times_min=(960,), duration_min=0.0, on_holiday="next_working_day"
    )
    assert jianwei.meeting == SessionSchedule(weekdays=(0,), times_min=(540,))
    gongshang = small_hall.department("gongshang")
    assert gongshang.back_office == "hall" and gongshang.courier is None
    assert gongshang.pool("clerk") == Pool("clerk", 4, in_hall=True)
    assert gongshang.signoff is not None and gongshang.signoff.weekdays == (0, 1, 2, 3, 4)
    assert gongshang.signoff.duration_min == 30
    assert gongshang.meeting is None
