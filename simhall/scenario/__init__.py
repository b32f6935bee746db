"""Scenarios: the typed description of a hall, and the loader that reads it from TOML.

>>> from simhall.scenario import load_scenario
>>> hall = load_scenario("scenarios/examples/small_hall.toml")  # doctest: +SKIP

See ``docs/scenario-format.md`` for the file format.
"""

from simhall.scenario.distribution_tables import distribution_to_toml, parse_distribution
from simhall.scenario.errors import Problem, ScenarioError
from simhall.scenario.loader import load_scenario, load_scenario_text
from simhall.scenario.schema import (
    WEEKDAY_NAMES,
    CalendarSpec,
    Courier,
    DelayStep,
    Demand,
    Department,
    Interval,
    Item,
    OnlineChannel,
    ParallelStep,
    Pool,
    RunSpec,
    Scenario,
    SessionSchedule,
    SessionStep,
    Step,
    WorkStep,
)

__all__ = [
    "WEEKDAY_NAMES",
    "CalendarSpec",
    "Courier",
    "DelayStep",
    "Demand",
    "Department",
    "Interval",
    "Item",
    "OnlineChannel",
    "ParallelStep",
    "Pool",
    "Problem",
    "RunSpec",
    "Scenario",
    "ScenarioError",
    "SessionSchedule",
    "SessionStep",
    "Step",
    "WorkStep",
    "distribution_to_toml",
    "load_scenario",
    "load_scenario_text",
    "parse_distribution",
]
