"""Random mutations of valid inputs never give a traceback (issue 9, "beyond the list").

A mutation of a valid scenario file (a value of another type, out of range, a key removed or
added, a bad time, a deeper table), of its item catalogue or of a CLI option must either
load (or run) or end with a clear error: :class:`ScenarioError` / :class:`UsageError` /
:class:`ValueError` subclasses the command line turns into exit status 2. Anything else is a
bug the fuzz found.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tomllib
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simhall
from simhall.cli import main
from simhall.errors import UsageError
from simhall.reforms import apply_reforms
from simhall.scenario import ScenarioError, load_scenario

EXAMPLES = Path(__file__).resolve().parents[1] / "scenarios" / "examples"
SMALL = EXAMPLES / "small_hall.toml"
BASE = tomllib.loads(SMALL.read_text(encoding="utf-8"))

# ------------------------------------------------------------------ a tiny TOML writer


def _key(k: str) -> str:
    return k if k.replace("_", "").replace("-", "").isalnum() and k.isascii() else f'"{k}"'


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v) if v == v and v not in (float("inf"), float("-inf")) else "nan"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def dumps(data: dict[str, Any]) -> str:
    """TOML text of ``data``: top-level scalars, then tables and arrays of tables."""
    lines = [f"{_key(k)} = {_value(v)}" for k, v in data.items() if not isinstance(v, dict | list)]
    lines += [
        f"{_key(k)} = {_value(v)}"
        for k, v in data.items()
        if isinstance(v, list) and not (v and all(isinstance(x, dict) for x in v))
    ]
    for k, v in data.items():
        if isinstance(v, dict):
            lines.append(f"[{_key(k)}]")
            lines += [f"{_key(a)} = {_value(b)}" for a, b in v.items()]
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            for entry in v:
                lines.append(f"[[{_key(k)}]]")
                lines += [f"{_key(a)} = {_value(b)}" for a, b in entry.items()]
    return "\n".join(lines) + "\n"


def test_the_writer_round_trips_the_example() -> None:
    assert tomllib.loads(dumps(BASE)) == BASE


# ------------------------------------------------------------------ mutations

ODD_VALUES = st.one_of(
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=8),
    st.sampled_from(["24:00", "25:61", "8:3", "-1:00", "mon", "", "最", "exponential"]),
    st.dates(dt.date(1900, 1, 1), dt.date(2200, 1, 1)),
    st.lists(st.integers(-5, 5), max_size=3),
    st.just({}),
    st.just({"dist": "gamma", "mean_min": -1}),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


PATHS = _paths(BASE)


def _mutate(data: Any, path: tuple[Any, ...], action: str, value: Any) -> None:
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "delete":
        if isinstance(parent, dict):
            del parent[last]
        else:
            parent.pop(last)
    elif action == "add_key" and isinstance(parent, dict):
        parent[f"{last}_x"] = value
    elif action == "nest":
        parent[last] = {"deeper": parent[last]}
    else:
        parent[last] = value


def _copy(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _copy(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_copy(v) for v in x]
    return x


def _load_or_clear_error(path: Path) -> None:
    """Load ``path``; what loads also runs a few days (a scenario that loads must run)."""
    try:
        scenario = apply_reforms(load_scenario(path))
    except ScenarioError:
        return
    try:
        simhall.run(scenario, days=6, warmup_days=0, drain_days=5, reps=1, show_progress=False)
    except UsageError:
        pass  # e.g. nobody arrives, or the demand would not fit in memory: clear messages


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    mutations=st.lists(
        st.tuples(
            st.sampled_from(PATHS),
            st.sampled_from(["set", "set", "set", "delete", "add_key", "nest"]),
            ODD_VALUES,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_mutated_scenarios_load_or_fail_clearly(
    tmp_path: Path, mutations: list[tuple[tuple[Any, ...], str, Any]]
) -> None:
    data = _copy(BASE)
    for path, action, value in mutations:
        try:
            _mutate(data, path, action, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the place
    folder = tmp_path / "s"
    folder.mkdir(exist_ok=True)
    shutil.copy(EXAMPLES / "small_hall_items.csv", folder / "small_hall_items.csv")
    (folder / "hall.toml").write_text(dumps(data), encoding="utf-8")
    _load_or_clear_error(folder / "hall.toml")


CSV_LINES = (EXAMPLES / "small_hall_items.csv").read_text(encoding="utf-8").splitlines()


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    row=st.integers(1, len(CSV_LINES) - 1),
    column=st.integers(0, 10),
    cell=st.one_of(st.text(max_size=6), st.sampled_from(["-1", "1e9", "nan", "", "onsite", "x;y"])),
)
def test_mutated_catalogues_load_or_fail_clearly(
    tmp_path: Path, row: int, column: int, cell: str
) -> None:
    lines = list(CSV_LINES)
    cells = lines[row].split(",")
    if column < len(cells):
        cells[column] = (
            cell.replace(",", ";").replace("\n", " ").replace("\r", " ").replace('"', "")
        )
    lines[row] = ",".join(cells)
    folder = tmp_path / "c"
    folder.mkdir(exist_ok=True)
    (folder / "small_hall_items.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copy(SMALL, folder / "hall.toml")
    _load_or_clear_error(folder / "hall.toml")


OPTION_VALUES = st.sampled_from(
    ["0", "-1", "1", "abc", "1e9", "2007-02-30", "2007-01-01", "nan", "inf", "0.5", "", "99999"]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    option=st.sampled_from(
        [
            "--days",
            "--reps",
            "--seed",
            "--warmup-days",
            "--drain-days",
            "--start",
            "--service-level",
            "--workers",
            "--memory-limit-gb",
            "--show",
        ]
    ),
    value=OPTION_VALUES,
)
def test_cli_options_exit_0_or_2(tmp_path: Path, option: str, value: str) -> None:
    argv = [
        "run",
        str(SMALL),
        "--days",
        "8",
        "--reps",
        "1",
        "--warmup-days",
        "0",
        "--drain-days",
        "5",
        "--quiet",
        "--out",
        str(tmp_path / "out"),
        option,
        value,
    ]
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse rejects a bad value with exit 2
            code = int(exc.code or 0)
    assert code in (0, 2), err.getvalue()
    assert "Traceback" not in err.getvalue()
