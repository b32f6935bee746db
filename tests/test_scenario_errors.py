"""Every class of mistake in a scenario is reported with file, key path, value and expectation."""

from __future__ import annotations

from pathlib import Path

import pytest

from simhall.scenario import Problem, ScenarioError, load_scenario

DEPT = """
[[departments]]
id = "jw"
name = "市建委"
windows = 2
pools = { section = 2 }
"""

ITEM = """
[[items]]
id = "A"
department = "jw"
kind = "commitment"
committed_days = 5
daily_demand = 3
window_service = { dist = "exponential", mean_min = 10 }
route = [
{ step = "review", kind = "work", pool = "section", duration = { dist = "fixed", value_min = 60 } },
]
"""

END_OF_ROUTE = "} },\n]\n"

CALENDAR = """
[calendar]
start = 2007-01-01
"""


def hall(*, top: str = "", calendar: str = "", dept: str = DEPT, item: str = ITEM) -> str:
    """A valid small hall; the pieces can be changed one at a time."""
    return top + CALENDAR + calendar + dept + item


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value


def find(error: ScenarioError, path: str) -> Problem:
    """The problem at key path ``path``; also checks that ``str(error)`` lists it."""
    matches = [p for p in error.problems if p.path == path]
    assert matches, f"no problem at {path!r} in:\n{error}"
    assert str(matches[0]) in str(error).splitlines()
    return matches[0]


def check(error: ScenarioError, file: str, path: str, value: str | None, *expected: str) -> Problem:
    """Assert a problem in ``file`` at ``path`` whose message shows ``value`` and ``expected``."""
    problem = find(error, path)
    message = str(problem)
    assert Path(problem.file).name == file
    assert message.startswith(problem.file + ": " + path)
    if value is None:
        assert problem.value is None
        assert " is missing" in message
    else:
        assert f" = {value}:" in message
    for text in expected:
        assert text in message
    return problem


def test_problem_str_format() -> None:
    problem = Problem("baseline.toml", "items[12].route[2].duration.mean_min", -5, "a number > 0")
    assert (
        str(problem)
        == "baseline.toml: items[12].route[2].duration.mean_min = -5: expected a number > 0"
    )


def test_unknown_key_with_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, "hall.toml", hall(dept=DEPT + "windwos = 3\n"))
    error = problems_of(path)
    check(
        error,
        "hall.toml",
        "departments[0].windwos",
        "3",
        "unknown key; expected one of: id, name, windows",
        "did you mean 'windows'?",
    )


def test_zero_and_negative_counts(tmp_path: Path) -> None:
    text = hall(
        calendar="[run]\nreplications = -1\n", dept=DEPT.replace("windows = 2", "windows = 0")
    )
    error = problems_of(write(tmp_path, "hall.toml", text))
    check(error, "hall.toml", "departments[0].windows", "0", "expected a whole number >= 1")
    check(error, "hall.toml", "run.replications", "-1", "expected a whole number >= 1")


def test_bool_is_not_a_count(tmp_path: Path) -> None:
    text = hall(dept=DEPT.replace("windows = 2", "windows = true"))
    error = problems_of(write(tmp_path, "hall.toml", text))
    check(
        error, "hall.toml", "departments[0].windows", "true", "a whole number >= 1 (not true/false)"
    )


def test_probability_out_of_range(tmp_path: Path) -> None:
    item = ITEM.replace(
        END_OF_ROUTE, '} },\n  { step = "sign", kind = "meeting", probability = 1.5 },\n]\n'
    )
    dept = DEPT + 'meeting = { weekdays = ["mon"], times = ["09:00"] }\n'
    error = problems_of(write(tmp_path, "hall.toml", hall(dept=dept, item=item)))
    check(error, "hall.toml", "items[0].route[1].probability", "1.5", "a number in [0, 1]")


@pytest.mark.parametrize(
    ("old", "new", "path", "value", "expected"),
    [
        (
            'kind = "work"',
            'kind = "wrok"',
            "items[0].route[0].kind",
            '"wrok"',
            'a step kind, one of: "work", "signoff", "meeting", "delay", "visit", "parallel"; '
            "did you mean 'work'?",
        ),
        (
            'pool = "section"',
            'pool = "sectoin"',
            "items[0].route[0].pool",
            '"sectoin"',
            "a pool of department 'jw', one of: \"section\"; did you mean 'section'?",
        ),
        (
            'kind = "work",',
            'kind = "work", department = "gongshang",',
            "items[0].route[0].department",
            '"gongshang"',
            'a department id, one of: "jw"',
        ),
    ],
    ids=["step-kind", "pool", "department"],
)
def test_route_names_unknown_things(
    tmp_path: Path, old: str, new: str, path: str, value: str, expected: str
) -> None:
    error = problems_of(write(tmp_path, "hall.toml", hall(item=ITEM.replace(old, new))))
    check(error, "hall.toml", path, value, expected)


def test_signoff_step_without_department_signoff(tmp_path: Path) -> None:
    item = ITEM.replace(END_OF_ROUTE, '} },\n  { step = "leader", kind = "signoff" },\n]\n')
    error = problems_of(write(tmp_path, "hall.toml", hall(item=item)))
    check(
        error,
        "hall.toml",
        "items[0].route[1].kind",
        '"signoff"',
        "a signoff step of a department with signoff sessions",
        "department 'jw' has no `signoff = ",
    )


def test_impossible_times(tmp_path: Path) -> None:
    calendar = 'opening = [["08:30", "25:00"], ["12:00", "08:30"]]\n'
    error = problems_of(write(tmp_path, "hall.toml", hall(calendar=calendar)))
    check(error, "hall.toml", "calendar.opening[0][1]", '"25:00"', 'a time "HH:MM" from "00:00"')
    check(
        error,
        "hall.toml",
        "calendar.opening[1]",
        '["12:00", "08:30"]',
        "an interval [start, end] with start before end",
    )


def test_department_without_windows(tmp_path: Path) -> None:
    error = problems_of(write(tmp_path, "hall.toml", hall(dept=DEPT.replace("windows = 2\n", ""))))
    check(error, "hall.toml", "departments[0].windows", None, "a whole number >= 1")


def test_empty_hall(tmp_path: Path) -> None:
    error = problems_of(write(tmp_path, "empty.toml", CALENDAR))
    check(error, "empty.toml", "departments", None, "at least one [[departments]] entry")
    check(error, "empty.toml", "items", None, "at least one [[items]] entry")


def test_duplicate_ids(tmp_path: Path) -> None:
    error = problems_of(write(tmp_path, "hall.toml", hall(item=ITEM + ITEM)))
    check(error, "hall.toml", "items[1].id", '"A"', "a unique id (also used at ", "items[0]")


def test_missing_window_service(tmp_path: Path) -> None:
    item = ITEM.replace('window_service = { dist = "exponential", mean_min = 10 }\n', "")
    error = problems_of(write(tmp_path, "hall.toml", hall(item=item)))
    check(
        error,
        "hall.toml",
        "items[0].window_service",
        None,
        "a distribution in minutes",
        "[defaults]",
    )


def test_unit_suffix_mismatch(tmp_path: Path) -> None:
    item = ITEM.replace("mean_min = 10", "mean_days = 10")
    error = problems_of(write(tmp_path, "hall.toml", hall(item=item)))
    check(
        error,
        "hall.toml",
        "items[0].window_service.mean_days",
        "10",
        "expected mean_min (this value is in minutes, not working days)",
    )


def test_bad_csv_row_names_file_and_line(tmp_path: Path) -> None:
    rows = (
        "id,name,department,kind,committed_days,daily_demand\n"
        "B,乙,jw,onsite,,2\n"
        "C,丙,jw,onsite,,lots\n"
    )
    write(tmp_path, "items.csv", rows)
    defaults = '[defaults]\nwindow_service = { dist = "fixed", value_min = 5 }\n'
    text = 'items_csv = "items.csv"\n' + hall(calendar=defaults)
    error = problems_of(write(tmp_path, "hall.toml", text))
    check(error, "items.csv", "line 3, daily_demand", '"lots"', "a number >= 0")
    assert 'items.csv: line 3, daily_demand = "lots": expected a number >= 0' in str(error)
    assert len(error.problems) == 1


def test_error_in_overlay_names_overlay(tmp_path: Path) -> None:
    write(tmp_path, "base.toml", hall())
    overlay = 'extends = "base.toml"\n[[departments]]\nid = "jw"\nwindows = -2\n'
    error = problems_of(write(tmp_path, "overlay.toml", overlay))
    check(error, "overlay.toml", "departments[0].windows", "-2", "a whole number >= 1")
    assert len(error.problems) == 1


def test_extends_cycle(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", 'extends = "b.toml"\n' + hall())
    write(tmp_path, "b.toml", 'extends = "a.toml"\n')
    error = problems_of(tmp_path / "a.toml")
    check(
        error,
        "b.toml",
        "extends",
        '"a.toml"',
        "a file not already in the extends chain (cycle: ",
        "a.toml -> ",
        "b.toml -> ",
    )


def test_missing_extends_file(tmp_path: Path) -> None:
    error = problems_of(write(tmp_path, "over.toml", 'extends = "nowhere.toml"\n'))
    check(error, "over.toml", "extends", '"nowhere.toml"', "an existing file (looked for ")


def test_several_problems_are_all_reported(tmp_path: Path) -> None:
    dept = DEPT.replace("windows = 2", "windows = 0") + "colour = 1\n"
    item = ITEM.replace("daily_demand = 3", "daily_demand = -3").replace(
        "value_min = 60", "value_min = -1"
    )
    text = hall(calendar='evening = "late"\n', dept=dept, item=item)
    error = problems_of(write(tmp_path, "hall.toml", text))
    paths = {p.path for p in error.problems}
    assert paths == {
        "calendar.evening",
        "departments[0].windows",
        "departments[0].colour",
        "items[0].daily_demand",
        "items[0].route[0].duration.value_min",
    }
    assert len(str(error).splitlines()) == 5


@pytest.mark.parametrize(
    ("old", "new", "path", "value"),
    [
        ('department = "jw"', 'department = ["jw"]', "items[0].department", '["jw"]'),
        (
            'department = "jw"',
            'department = "jw"\ngroup = { a = 1 }',
            "items[0].group",
            "{ a = 1 }",
        ),
        ('kind = "work",', 'kind = "work", department = [],', "items[0].route[0].department", "[]"),
    ],
    ids=["item-department", "group", "step-department"],
)
def test_ids_that_are_not_strings(
    tmp_path: Path, old: str, new: str, path: str, value: str
) -> None:
    error = problems_of(write(tmp_path, "hall.toml", hall(item=ITEM.replace(old, new, 1))))
    check(error, "hall.toml", path, value, "expected a ")


def test_intraday_without_a_single_good_bin(tmp_path: Path) -> None:
    text = hall(calendar='[demand]\nintraday = { "morning" = 1.0, "9:00" = "lots" }\n')
    error = problems_of(write(tmp_path, "hall.toml", text))
    check(error, "hall.toml", "demand.intraday.morning", '"morning"', 'a time "HH:MM"')
    check(error, "hall.toml", 'demand.intraday."9:00"', '"lots"', "a number >= 0")
    assert len(error.problems) == 2


def test_delay_place_and_courier_return_times(tmp_path: Path) -> None:
    item = ITEM.replace(
        END_OF_ROUTE,
        '} },\n  { step = "tray", kind = "delay", at = "back_office", '
        'days = { dist = "fixed", value_days = 1 } },\n]\n',
    )
    dept = DEPT + (
        'back_office = "outside"\n'
        'courier = { times = ["15:00"], return_times = ["09:30"], travel_min = 40 }\n'
    )
    scn = load_scenario(write(tmp_path, "hall.toml", hall(dept=dept, item=item)))
    assert scn.items[0].route[1].at == "back_office"  # type: ignore[union-attr]
    courier = scn.departments[0].courier
    assert courier is not None and courier.times_min == (900,)
    assert courier.return_times_min == (570,) and courier.back_times_min == (570,)
    bad = item.replace('at = "back_office"', 'at = "office"')
    error = problems_of(write(tmp_path, "bad.toml", hall(dept=dept, item=bad)))
    check(
        error,
        "bad.toml",
        "items[0].route[1].at",
        '"office"',
        'where the file lies, one of: "here", "hall", "back_office"',
    )
