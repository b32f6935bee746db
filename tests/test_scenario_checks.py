"""The problem collector on its own: locations, provenance, the value checkers' wording."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from simhall.scenario import ScenarioError
from simhall.scenario import checks as c
from simhall.scenario.checks import ROOT, Checks, Loc, Origin


def _messages(chk: Checks) -> list[str]:
    return [str(p) for p in chk.problems]


def test_locations_quote_keys_that_are_not_bare() -> None:
    loc = ROOT.k("demand").k("intraday").k("08:30")
    assert loc.text == 'demand.intraday."08:30"'
    assert loc.key == ("demand", "intraday", "08:30")
    entry = ROOT.k("items").entry(3, "JW-001").k("route").i(0)
    assert entry.text == "items[3].route[0]"
    assert entry.key == ("items", ("id", "JW-001"), "route", 0)


def test_problems_go_to_the_file_and_line_the_value_came_from() -> None:
    chk = Checks("top.toml")
    chk.provenance[("items", ("id", "A"))] = Origin("items.csv", line=7)
    chk.provenance[("items", ("id", "B"))] = Origin("base.toml", index=0)
    a = ROOT.k("items").entry(5, "A").k("daily_demand")
    b = ROOT.k("items").entry(6, "B").k("windows")
    c.number(chk, "abc", a, low=0)
    c.whole(chk, 0, b, 1)
    c.flag(chk, 1, ROOT.k("scenario").k("synthetic"))
    chk.add_blaming(ROOT.k("x"), None, "a table", cause=b)
    assert _messages(chk) == [
        'items.csv: line 7, daily_demand = "abc": expected a number >= 0',
        "base.toml: items[0].windows = 0: expected a whole number >= 1",
        "top.toml: scenario.synthetic = 1: expected true or false",
        "base.toml: x is missing: expected a table",
    ]


def test_raise_if_any_reports_everything_once() -> None:
    chk = Checks("f.toml")
    chk.raise_if_any()  # nothing yet
    for _ in range(3):  # a shared route template checked for three items
        c.text(chk, "", Loc("routes.std[0].step"))
    c.whole(chk, True, Loc("run.days"), 1)
    with pytest.raises(ScenarioError) as info:
        chk.raise_if_any()
    assert str(info.value).splitlines() == [
        'f.toml: routes.std[0].step = "": expected a non-empty string',
        "f.toml: run.days = true: expected a whole number >= 1 (not true/false)",
    ]


def test_number_wording_follows_the_bounds() -> None:
    chk = Checks("f")
    loc = Loc("x")
    assert c.number(chk, 0.5, loc, low=0, high=1) == 0.5
    for value, bounds in [
        (-1, {"low": 0}),
        (0, {"low": 0, "low_open": True}),
        (2, {"low": 0, "high": 1}),
        (1, {"low": 0, "high": 1, "low_open": True, "high_open": True}),
        (-0.5, {"low": 0.0, "high": float("inf")}),
        (float("nan"), {}),
        (True, {"high": 2.5}),
    ]:
        assert c.number(chk, value, loc, **bounds) is None  # type: ignore[arg-type]
    assert [p.expected for p in chk.problems] == [
        "a number >= 0",
        "a number > 0",
        "a number in [0, 1]",
        "a number in (0, 1)",
        "a number in [0, inf)",
        "a number",
        "a number <= 2.5",
    ]


def test_clock_times_and_intervals() -> None:
    chk = Checks("f")
    assert c.clock_time(chk, "8:30", Loc("t")) == 510
    assert c.clock_time(chk, "24:00", Loc("t")) == 1440
    assert c.clock_time(chk, "24:01", Loc("t")) is None
    assert c.clock_time(chk, "12:60", Loc("t")) is None
    assert c.clock_times(chk, ["15:00", "10:00", "10:00"], Loc("times")) == (600, 900)
    got = c.intervals(chk, [["08:30", "12:00"], ["11:00", "13:00"], ["14:00", "14:00"]], Loc("o"))
    assert got == ((510, 720),)
    assert _messages(chk) == [
        'f: t = "24:01": expected a time "HH:MM" from "00:00" to "24:00"',
        'f: t = "12:60": expected a time "HH:MM" from "00:00" to "24:00"',
        'f: o[1] = ["11:00", "13:00"]: expected intervals in order and not overlapping '
        "(this one starts before 12:00, the end of the previous one)",
        'f: o[2] = ["14:00", "14:00"]: expected an interval [start, end] with start before end',
    ]


def test_words_weekdays_dates_and_keys() -> None:
    chk = Checks("f")
    assert c.choice(chk, "hall", Loc("b"), ("hall", "outside")) == "hall"
    assert c.choice(chk, "outsde", Loc("b"), ("hall", "outside")) is None
    assert c.weekdays(chk, ["fri", "tue", "thur"], Loc("w")) == (1, 4)
    assert c.dates(chk, [date(2007, 5, 8), datetime(2007, 5, 9), "2007-05-10"], Loc("d")) == (
        date(2007, 5, 8),
    )
    assert c.strings(chk, ["a", "b", "a"], Loc("s")) == ("a", "b")
    assert c.strings(chk, ["a", ""], Loc("s")) is None
    c.check_keys(chk, {"windows": 1, "windwos": 2}, ("id", "windows"), ROOT.k("departments"))
    assert c.subtable(chk, {"run": 5}, "run", ROOT) == {}
    assert _messages(chk) == [
        'f: b = "outsde": expected one of: "hall", "outside"; did you mean \'outside\'?',
        'f: w[2] = "thur": expected one of: "mon", "tue", "wed", "thu", "fri", "sat", "sun"; '
        "did you mean 'thu'?",
        "f: d[1] = 2007-05-09T00:00:00: expected a TOML date like 2007-05-08 (without quotes)",
        'f: d[2] = "2007-05-10": expected a TOML date like 2007-05-08 (without quotes)',
        'f: s = ["a", ""]: expected a non-empty list of strings',
        "f: departments.windwos = 2: unknown key; expected one of: id, windows; "
        "did you mean 'windows'?",
        "f: run = 5: expected a table",
    ]


def test_a_small_settings_table_checked_in_one_pass() -> None:
    """How another reader (e.g. a tolerances file) uses the collector: all problems at once."""
    data = {"min_cases": 0, "p95_days": {"abs": -1, "rell": 0.1}, "typo": {}}
    chk = Checks("tolerances.toml")
    c.check_keys(chk, data, ("min_cases", "p95_days"), ROOT)
    c.whole(chk, data["min_cases"], ROOT.k("min_cases"), 1)
    table = c.subtable(chk, data, "p95_days", ROOT)
    c.check_keys(chk, table, ("abs", "rel", "z"), ROOT.k("p95_days"))
    c.number(chk, table["abs"], ROOT.k("p95_days").k("abs"), low=0)
    with pytest.raises(ScenarioError) as info:
        chk.raise_if_any()
    assert str(info.value).splitlines() == [
        "tolerances.toml: typo = {}: unknown key; expected one of: min_cases, p95_days",
        "tolerances.toml: min_cases = 0: expected a whole number >= 1",
        "tolerances.toml: p95_days.rell = 0.1: unknown key; expected one of: abs, rel, z; "
        "did you mean 'rel'?",
        "tolerances.toml: p95_days.abs = -1: expected a number >= 0",
    ]
