"""Route helpers: leaves in order, rebuilding with parallel branches, grouping by department."""

from __future__ import annotations

from simhall.distributions import Fixed
from simhall.reforms.routes import (
    flatten,
    map_leaves,
    parallel_by_department,
    replace_department,
    step_count,
    step_kind,
)
from simhall.scenario.schema import DelayStep, ParallelStep, SessionStep, VisitStep, WorkStep
from tests.helpers import department, item, scenario


def _delay(name: str, dept: str = "d") -> DelayStep:
    return DelayStep(name, dept, Fixed(1.0))


ROUTE = (
    _delay("a"),
    ParallelStep("joint", ((_delay("b"), _delay("c", "e")), (_delay("d", "e"),))),
    _delay("f"),
)


def test_flatten_and_step_count_walk_the_branches_in_order() -> None:
    assert [s.name for s in flatten(ROUTE)] == ["a", "b", "c", "d", "f"]
    assert step_count(ROUTE) == 5


def test_step_kind_names_every_kind() -> None:
    steps = [
        WorkStep("w", "d", "section", Fixed(1.0)),
        SessionStep("s", "d", "signoff"),
        SessionStep("m", "d", "meeting"),
        _delay("x"),
        VisitStep("v", "d", Fixed(1.0)),
        ROUTE[1],
    ]
    assert [step_kind(s) for s in steps] == [
        "work",
        "signoff",
        "meeting",
        "delay",
        "visit",
        "parallel",
    ]


def test_map_leaves_numbers_leaves_and_collapses_branches() -> None:
    seen: list[tuple[str, int]] = []

    def drop_d(step, k):  # type: ignore[no-untyped-def]
        seen.append((step.name, k))
        return [] if step.name == "d" else [step]

    out = map_leaves(ROUTE, drop_d)
    assert seen == [("a", 0), ("b", 1), ("c", 2), ("d", 3), ("f", 4)]
    # the second branch is empty: the parallel step with one branch left becomes its steps
    assert [s.name for s in out] == ["a", "b", "c", "f"]
    assert not any(isinstance(s, ParallelStep) for s in out)
    assert map_leaves(ROUTE, lambda s, k: [] if s.name in "bcd" else [s]) == (ROUTE[0], ROUTE[2])


def test_parallel_by_department_puts_the_first_department_first() -> None:
    (joint,) = parallel_by_department(ROUTE, "together", first="e")
    assert isinstance(joint, ParallelStep) and joint.name == "together"
    assert [[s.name for s in b] for b in joint.branches] == [["c", "d"], ["a", "b", "f"]]
    one_dept = (_delay("a"), _delay("b"))
    assert parallel_by_department(one_dept) == one_dept


def test_replace_department_keeps_the_order() -> None:
    hall = scenario([item("a")], [department("d"), department("e")])
    wider = department("d", windows=4)
    out = replace_department(hall, wider)
    assert [d.id for d in out.departments] == ["d", "e"]
    assert out.department("d").windows == 4 and hall.department("d").windows == 1
