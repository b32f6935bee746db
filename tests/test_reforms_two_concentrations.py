"""Two concentrations: the back office moves into the hall, meetings fold into sign-offs."""

from __future__ import annotations

from collections.abc import Callable

from simhall.model import TO_BACK_OFFICE, TO_HALL
from simhall.reforms import apply_reforms
from simhall.scenario.schema import Scenario
from tests.helpers import START, at, case_row, model, play, trace

WithReforms = Callable[..., Scenario]
MON = at(START, 9)  # Monday 2007-09-24 09:00


def test_two_concentrations_removes_courier_transfers_and_meetings(
    outside_hall: Scenario, with_reforms: WithReforms
) -> None:
    base = outside_hall
    m = play(model(base, days=20, drain_days=40), [(MON, 0)])
    assert TO_BACK_OFFICE in [a for a, _, _ in trace(m)]
    out = apply_reforms(with_reforms(base, {"kind": "two_concentrations", "department": "d"}))
    dept = out.department("d")
    assert dept.back_office == "hall" and dept.courier is None
    assert all(p.in_hall for p in dept.pools)
    kinds = [getattr(s, "session", "work") for s in out.item("a").route]
    assert kinds == ["work", "signoff"]  # the meeting folds into the sign-off that follows
    m2 = play(model(out, days=20, drain_days=40), [(MON, 0)])
    acts = [a for a, _, _ in trace(m2)]
    assert TO_BACK_OFFICE not in acts and TO_HALL not in acts
    assert case_row(m2, 0)["elapsed_days"] < case_row(m, 0)["elapsed_days"]
