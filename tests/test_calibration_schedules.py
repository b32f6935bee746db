"""``simhall.calibration.schedules``: each department's courier, sign-off and meeting."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from simhall.calibration import calibrate

BASE = pd.Timestamp("2007-03-05")  # a Monday

Log = Callable[..., pd.DataFrame]


def test_sessions_go_to_one_signoff_and_one_meeting_schedule(catalogue_of: Log) -> None:
    """A name that says meeting makes the meeting; the busiest other session the sign-off;
    a third session activity shares the sign-off schedule (and says so)."""
    rows = []
    for week in range(10):
        for k in range(6):
            monday = BASE + pd.Timedelta(days=7 * week)
            cid = f"c{week}-{k}"
            t0 = monday + pd.Timedelta(minutes=540 + 20 * k)
            rows.append((cid, "A", "accept", "d/window/1", t0, t0 + pd.Timedelta(minutes=10)))
            sessions = (("leader_signoff", 1, 960), ("director_meeting", 3, 540))
            sessions += (("chief_signoff", 4, 660),) if k < 2 else ()
            for name, weekday, minute in sessions:
                start = monday + pd.Timedelta(days=weekday, minutes=minute)
                rows.append((cid, "A", name, "d/leader", start, start + pd.Timedelta(minutes=5)))
    ev = pd.DataFrame(rows, columns=["case_id", "item_id", "activity", "resource", "start", "end"])
    cal = calibrate(ev, catalogue_of("A"), holidays="weekends-only")
    (dept,) = cal.departments
    assert dept.signoff is not None and dept.signoff[0] == "leader_signoff"
    assert dept.signoff[1].weekdays == (1,) and dept.signoff[1].times_min == (960,)
    assert dept.meeting is not None and dept.meeting[0] == "director_meeting"
    assert dept.meeting[1].weekdays == (3,) and dept.meeting[1].times_min == (540,)
    assert any("'chief_signoff' shares the sign-off schedule" in a for a in cal.assumptions)
    kinds = {st.name: st.kind for st in cal.items[0].route}
    assert kinds == {
        "leader_signoff": "signoff",
        "director_meeting": "meeting",
        "chief_signoff": "signoff",
    }


def test_transfers_make_a_courier_only_from_five(case_log: Log, catalogue_of: Log) -> None:
    ev = case_log(40)
    accepted = ev[ev["activity"] == "accept"].head(6)
    for n, dept in ((5, "d"), (4, "e")):
        rows = accepted.head(n).assign(
            activity="transfer_to_back_office",
            resource=f"{dept}/courier",
            start=lambda f: f["end"].dt.normalize() + pd.Timedelta(hours=15),
            end=lambda f: f["end"].dt.normalize() + pd.Timedelta(hours=15, minutes=30),
        )
        ev = pd.concat([ev, rows], ignore_index=True)
    items = pd.concat([catalogue_of("A"), catalogue_of("B").assign(department="e")])
    cal = calibrate(ev, items)
    d, e = cal.departments
    assert d.courier is not None and d.courier.times_min == (900,)
    assert d.courier.travel_min == 30.0 and d.back_office == "outside"
    assert e.courier is None


def test_courier_out_in_the_afternoon_back_in_the_morning(catalogue_of: Log) -> None:
    """Transfers before the back office's first work leave at 15:00, those after it at
    09:30: the courier gets its own return departures (and the scenario says so)."""
    rows = []
    for day in range(20):
        t0 = BASE + pd.Timedelta(days=7 * (day // 5) + day % 5)
        for k in range(2):
            cid = f"c{day}-{k}"
            acc = t0 + pd.Timedelta(minutes=540 + 60 * k)
            rows.append((cid, "A", "accept", "d/window/1", acc, acc + pd.Timedelta(minutes=10)))
            out = t0 + pd.Timedelta(hours=15)
            rows.append(
                (
                    cid,
                    "A",
                    "transfer_to_back_office",
                    "courier",
                    out,
                    out + pd.Timedelta(minutes=40),
                )
            )
            rev = t0 + pd.Timedelta(days=1, hours=9, minutes=5 + 60 * k)
            if rev.weekday() >= 5:
                rev += pd.Timedelta(days=2)
            rows.append((cid, "A", "review", "d/staff/1", rev, rev + pd.Timedelta(minutes=50)))
            back = rev.normalize() + pd.Timedelta(days=1, hours=9, minutes=30)
            rows.append(
                (cid, "A", "transfer_to_hall", "courier", back, back + pd.Timedelta(minutes=40))
            )
    ev = pd.DataFrame(rows, columns=["case_id", "item_id", "activity", "resource", "start", "end"])
    cal = calibrate(ev, catalogue_of("A"), holidays="weekends-only")
    (dept,) = cal.departments
    assert dept.courier is not None
    assert dept.courier.times_min == (900,) and dept.courier.return_times_min == (570,)
    assert 'return_times = ["09:30"]' in cal.to_toml()
    courier = cal.scenario().departments[0].courier
    assert courier is not None and courier.back_times_min == (570,)
