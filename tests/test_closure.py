"""simhall.validation.closure: which cases were closed at extraction, on logs simhall did not
write.

The independent generator (tests/independent, no simhall code) writes halls whose cases end
in several ways: on-site items at acceptance, commitment items at the leader's sign-off or
the courier's return, and a share of them at a pickup visit one or two working days later
(so the decision step is the last step of only part of its cases, as in the real log of
issue 13). ``censor=True`` cuts the log at the end of its period like an export, leaving
cases caught in the middle of their route. The truth (``truth.cases.completed``) says which
cases were closed at the cut.

Stated error, with the default rule ``both``: at most 2% of accepted cases misclassified and
at least 95% of the cases open at extraction found open (measured, seed 3, four months: 0.8%
misclassified in the small hall, 1.1% in the Chinese hall; all 51 open cases of the small
hall and 98 of the 99 of the Chinese hall found open). The terminal-step rule alone
misclassifies at least 5% (measured 9.9% and 13.9%: what issue 13 saw).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from simhall.validation import ClosedRule, infer_closure
from simhall.validation.closure import closed_from_values
from simhall.validation.closure_rules import closed_status
from tests.independent import HALLS, generate

START, END = date(2024, 3, 1), date(2024, 7, 1)


def _truth(hall_name: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, pd.Series, str]:
    hall = HALLS[hall_name]()
    log = generate(hall, START, END, seed=3, censor=True)
    cut = pd.Timestamp(END)
    ids = pd.Index(log.events["case_id"].unique())
    cases = log.truth.cases.set_index("case_id").reindex(ids)
    closed = cases["completed"].notna() & (cases["completed"] < cut)
    accepted = cases["accepted"] < cut
    return log.events, log.items, closed, accepted, hall.activities.accept


@pytest.fixture(scope="module", params=["small", "chinese"])
def varied(
    request: pytest.FixtureRequest,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, pd.Series, str]:
    return _truth(request.param)


def _errors(inferred: pd.Series, closed: pd.Series, accepted: pd.Series) -> tuple[float, float]:
    """Share of accepted cases misclassified; share of the truly open ones found open."""
    got = inferred.reindex(closed.index).fillna(False).astype(bool).to_numpy()
    truth, acc = closed.to_numpy(), accepted.to_numpy()
    wrong = float((got != truth)[acc].mean())
    open_found = float((~got)[acc & ~truth].mean())
    return wrong, open_found


def test_the_log_has_varied_endings_and_cases_caught_mid_route(varied) -> None:
    events, _, closed, accepted, _ = varied
    last = events.sort_values("end").groupby("case_id")["activity"].last().astype(str)
    ends = last[closed.reindex(last.index).to_numpy()].value_counts(normalize=True)
    assert (ends > 0.05).sum() >= 3  # several terminal steps
    assert int((accepted & ~closed).sum()) >= 40  # cases caught mid-route at extraction


def test_closure_inferred_within_stated_error(varied) -> None:
    events, items, closed, accepted, accept = varied
    limits = dict(zip(items["item_id"], items["committed_days"]))
    res = infer_closure(
        events, accept_activity=accept, committed_days=limits, observed_until=pd.Timestamp(END)
    )
    wrong, open_found = _errors(res.closed, closed, accepted)
    assert wrong <= 0.02, wrong
    assert open_found >= 0.95, open_found
    terminal_only = infer_closure(events, accept_activity=accept, rule="terminal")
    wrong_terminal, _ = _errors(terminal_only.closed, closed, accepted)
    assert wrong_terminal >= 0.05  # the terminal-step rule alone fails here (issue 13)
    idle_only = infer_closure(events, accept_activity=accept, rule="idle")
    wrong_idle, _ = _errors(idle_only.closed, closed, accepted)
    assert wrong <= min(wrong_terminal, wrong_idle)
    # every case is decided by exactly one named rule, and the report says how many
    counts = res.counts()
    assert int(counts.sum()) == len(closed)
    assert {"terminal step", "idle time", "open"} <= set(counts.index)
    assert set(counts.index) <= {
        "terminal step",
        "idle time",
        "committed limit",
        "open",
        "never accepted",
    }
    note = res.note()
    assert f"({len(closed)})" in note
    assert f"{counts['terminal step']} closed by terminal step" in note
    assert f"{counts['open']} open" in note


def test_closure_holds_on_completion_dates_only(varied) -> None:
    """The log of issue 13 had completion times only; many exports keep the date alone. With
    the end times cut to their day (a day's steps then keep their typical order), the
    stated error still holds (measured: 0.8% and 1.2%, against 0.8% and 1.1% with times)."""
    events, items, closed, accepted, accept = varied
    dates = events[["case_id", "item_id", "activity"]].assign(
        end=pd.to_datetime(events["end"]).dt.normalize()
    )
    limits = dict(zip(items["item_id"], items["committed_days"]))
    res = infer_closure(dates, accept_activity=accept, committed_days=limits)
    wrong, open_found = _errors(res.closed, closed, accepted)
    assert wrong <= 0.02, wrong
    assert open_found >= 0.95, open_found


def _case(case_id: str, item: str, steps: list[tuple[str, str]]) -> list[dict[str, object]]:
    return [
        {"case_id": case_id, "item_id": item, "activity": a, "end": pd.Timestamp(t)}
        for a, t in steps
    ]


def _hand_log() -> pd.DataFrame:
    """Twenty finished cases (accept, review 20 days later, decide the next day) and four to
    judge: the P99 of the within-case gaps is 20 days."""
    rows: list[dict[str, object]] = []
    for k in range(20):
        day = pd.Timestamp("2024-01-01 09:00") + pd.Timedelta(days=k)
        rows += _case(
            f"done{k}",
            "permit",
            [
                ("accept", str(day)),
                ("review", str(day + pd.Timedelta(days=20))),
                ("decide", str(day + pd.Timedelta(days=21))),
            ],
        )
    for case_id, steps in (
        ("stale", [("accept", "2024-01-02 09:00"), ("review", "2024-01-03 09:00")]),
        ("fresh", [("accept", "2024-03-01 09:00"), ("review", "2024-03-01 15:00")]),
        ("visit", [("return_for_correction", "2024-01-05 10:00")]),
        ("overdue", [("accept", "2024-02-16 09:00"), ("review", "2024-02-16 15:00")]),
    ):
        rows += _case(case_id, "permit", steps)
    return pd.DataFrame(rows)


def test_each_rule_on_a_hand_made_log() -> None:
    log = _hand_log()
    until = pd.Timestamp("2024-03-01 18:00")

    def decided(**kw: object) -> pd.Series:
        res = infer_closure(log, observed_until=until, **kw)  # type: ignore[arg-type]
        return res.cases.set_index("case_id")["decided_by"]

    by = decided(committed_days={"permit": 5})
    assert (by[[f"done{k}" for k in range(20)]] == "terminal step").all()
    assert by["stale"] == "idle time"  # untouched for 58 days, no gap longer than 20
    assert by["fresh"] == "open"  # a review with a decision still to come
    assert by["visit"] == "never accepted"
    # untouched for 14 days (< 20) but 10 working days (Feb 19 .. Mar 1) > 5 committed
    assert by["overdue"] == "committed limit"
    assert decided()["overdue"] == "open"
    assert decided(rule="terminal")["stale"] == "open"
    idle = decided(rule="idle")
    assert idle["stale"] == "idle time" and idle["fresh"] == "open"
    assert (idle[[f"done{k}" for k in range(20)]] == "idle time").all()


def test_closed_rule_parses_and_refuses() -> None:
    assert ClosedRule.parse("idle") == ClosedRule("idle")
    rule = ClosedRule.parse("status:caseStatus=G, C")
    assert (rule.kind, rule.column, rule.values) == ("status", "caseStatus", ("G", "C"))
    assert str(rule) == "status:caseStatus=G,C"
    for bad in ("closed", "status:caseStatus", "status:=G", "status:x="):
        with pytest.raises(ValueError, match="expected one of both, terminal, idle or status"):
            ClosedRule.parse(bad)
    with pytest.raises(ValueError, match="read, not inferred"):
        infer_closure(_hand_log(), rule=rule)


def test_a_status_overrides_the_rules() -> None:
    log = _hand_log()
    status = pd.Series(np.where(log["case_id"] == "fresh", "done", None), index=log.index)
    closed = closed_from_values(log["case_id"], status, ["done"])
    assert closed["fresh"] and not closed["done0"]
    res = closed_status(closed, log, "accept")
    by = res.cases.set_index("case_id")["decided_by"]
    assert by["fresh"] == "status" and by["stale"] == "open by status"
    assert res.closed.sum() == 1
    given = closed_status({"stale"}, log, "accept")
    assert given.closed["stale"] and given.closed.sum() == 1
    assert closed_status(res, log, "accept") is res
