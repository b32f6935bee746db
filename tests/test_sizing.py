"""Sizing (``simhall size``): the Erlang start, the minimal plan, its overlay, the budget."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pandas as pd
import pytest

import simhall
from simhall.cli import main
from simhall.distributions import Exponential
from simhall.queueing import mmc_metrics, mmc_scenario
from simhall.reforms import apply_reforms
from simhall.scenario import load_scenario, load_scenario_text
from simhall.scenario.schema import Department, Pool, Scenario, VisitStep
from simhall.sizing import Plan, Target, Unit, allocate_budget, mmc_wait, window_loads
from simhall.sizing.erlang import erlang_windows, pool_loads
from tests.helpers import item, scenario

TINY = """\
[scenario]
name = "Tiny sizing hall"
synthetic = true

[calendar]
start = 2007-03-05
holidays = "weekends-only"
opening = [["08:30", "12:00"], ["14:30", "17:30"]]

[run]
days = 12
warmup_days = 2
drain_days = 10
replications = 2
seed = 11

[[departments]]
id = "d"
name = "窗口"
windows = 4
pools = { section = 4 }

[[items]]
id = "A"
name = "即办件"
department = "d"
kind = "onsite"
daily_demand = 36
window_service = { dist = "exponential", mean_min = 8 }

[[items]]
id = "B"
name = "承诺件"
department = "d"
kind = "commitment"
committed_days = 2
daily_demand = 12
window_service = { dist = "exponential", mean_min = 8 }

[[items.route]]
step = "review"
kind = "work"
pool = "section"
duration = { dist = "exponential", mean_min = 45 }
"""

WAIT_MIN = 5.0
SETTINGS = {"days": 12, "warmup_days": 2, "drain_days": 10, "reps": 2, "seed": 11}


# --------------------------------------------------------------------------- Erlang start


def test_busiest_hour_is_hand_computed() -> None:
    # item a: 60 tickets on 08:00-12:00 with weight 3 in 09:00-10:00 (half the day's mass:
    # 180 of 60 + 180 + 120), one in five visits incomplete (1.25 visits per ticket);
    # item b of department e sends half its 20 applicants (flat: a quarter in that hour) to
    # d's windows for 4 minutes.
    a = item(
        "a",
        kind="onsite",
        volume=60,
        service=10.0,
        incomplete_prob=0.2,
        intraday=((480, 540, 1.0), (540, 600, 3.0), (600, 720, 1.0)),
    )
    b = item(
        "b",
        department="e",
        volume=20,
        route=[VisitStep("visit_d", "d", Exponential(mean=4.0), probability=0.5)],
    )
    depts = [Department("d", "D", 2), Department("e", "E", 1, pools=(Pool("section", 1),))]
    scn = scenario([a, b], depts, opening=((480, 720),))
    row = window_loads(scn).set_index("department").loc["d"]
    rate_a, rate_b = 60 * 0.5 * 1.25 / 60, 20 * 0.5 * 0.25 / 60
    assert row["peak_hour"] == 9
    assert row["visits_per_min"] == pytest.approx(rate_a + rate_b)
    assert row["mean_service_min"] == pytest.approx((rate_a * 10 + rate_b * 4) / (rate_a + rate_b))


@pytest.mark.parametrize("target", [0.5, 1.0, 3.0])
def test_erlang_start_matches_analytic_mmc(target: float) -> None:
    # a stationary single-department hall (open 24 h, Poisson arrivals): the start is the
    # fewest windows whose Erlang C mean wait meets the target (simhall.queueing)
    scn = mmc_scenario(0.5, 6.0, 1, n_days=5)
    loads = window_loads(scn)
    assert loads.loc[0, "visits_per_min"] == pytest.approx(0.5)
    assert loads.loc[0, "mean_service_min"] == pytest.approx(6.0)
    c = erlang_windows(loads, target, "mean")["D"]
    assert mmc_metrics(0.5, 6.0, c).mean_wait <= target < mmc_metrics(0.5, 6.0, c - 1).mean_wait


def test_p90_wait_is_the_tail_quantile() -> None:
    m = mmc_metrics(0.5, 6.0, 4)
    t = mmc_wait(0.5, 6.0, 4, "p90")
    assert m.p_wait * math.exp(-(4 / 6.0 - 0.5) * t) == pytest.approx(0.1)
    assert mmc_wait(0.5, 6.0, 3, "mean") == math.inf  # a = 3 erlangs on 3 windows: unstable


def test_pool_load_counts_work_minutes_per_open_minute() -> None:
    scn = load_scenario_text(TINY, name="tiny.toml")
    row = pool_loads(scn).iloc[0]
    assert (row["department"], row["pool"]) == ("d", "section")
    assert row["offered_erlangs"] == pytest.approx(12 * 45 / 390)


# --------------------------------------------------------------------------- sizing


@pytest.fixture(scope="module")
def sized(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("sizing")
    (root / "tiny.toml").write_text(TINY, encoding="utf-8")
    out = root / "size"
    status = main(["size", str(root / "tiny.toml"), "--wait-target-min", str(WAIT_MIN),
                   "--quiet", "--out", str(out)])  # fmt: skip
    assert status == 0
    return root, out


def _missed(scn: Scenario) -> list[str]:
    """Targets a plain ``simhall.run`` of ``scn`` misses (independent of the search)."""
    result = simhall.run(scn, **SETTINGS, show_progress=False)
    missed = [
        d for d, w in zip(result.departments["department"], result.departments["mean_wait_min"])
        if w > WAIT_MIN
    ]  # fmt: skip
    commit = result.cases[
        (result.cases["kind"] == "commitment") & result.cases["within_limit"].notna()
    ]
    shares = commit.groupby("item_id")["within_limit"].mean()
    return missed + [i for i, s in shares.items() if s < 0.95]


def test_sizing_meets_the_targets_and_one_fewer_breaks_them(sized: tuple[Path, Path]) -> None:
    _, out = sized
    table = pd.read_csv(out / "sizing.csv", keep_default_na=False)
    assert list(table["department"]) == ["d", "d"] and list(table["pool"]) == ["", "section"]
    assert table["met"].astype(str).eq("True").all()
    proposed = load_scenario(out / "sizing.toml")
    hall = apply_reforms(proposed)
    assert _missed(hall) == []
    dept = hall.department("d")
    assert (dept.windows, dept.pool("section").staff) == tuple(table["proposed"])
    # one fewer window, or one fewer clerk, misses a target
    one_fewer_windows = dataclasses.replace(dept, windows=dept.windows - 1)
    one_fewer_staff = dataclasses.replace(
        dept,
        pools=(dataclasses.replace(dept.pool("section"), staff=dept.pool("section").staff - 1),),
    )
    assert dept.windows > 1 and dept.pool("section").staff > 1
    for fewer in (one_fewer_windows, one_fewer_staff):
        assert _missed(dataclasses.replace(hall, departments=(fewer,))) != []
    # the sizing beats the scenario's own 4 windows and 4 clerks
    assert table["proposed"].sum() < table["current"].sum()


def test_sizing_overlay_runs_as_is(sized: tuple[Path, Path]) -> None:
    root, out = sized
    text = (out / "sizing.toml").read_text(encoding="utf-8")
    assert 'extends = "../tiny.toml"' in text and 'kind = "staffing"' in text
    run_out = root / "run"
    assert main(["run", str(out / "sizing.toml"), "--quiet", "--out", str(run_out)]) == 0
    depts = pd.read_csv(run_out / "departments.csv")
    sizing = pd.read_csv(out / "sizing.csv", keep_default_na=False)
    # the same settings and seed: the run reproduces the sizing's "after" figure exactly
    assert depts.loc[0, "mean_wait_min"] == pytest.approx(sizing.loc[0, "after"], rel=1e-5)
    assert {"sizing.md", "erlang.csv", "trace.csv", "manifest.json"} <= {
        p.name for p in out.iterdir()
    }


# --------------------------------------------------------------------------- budget


def test_budget_goes_to_the_overloaded_windows() -> None:
    busy = item("a", kind="onsite", volume=40, service=Exponential(mean=9.0))
    calm = item("b", department="e", kind="onsite", volume=10, service=Exponential(mean=5.0))
    depts = [Department("d", "D", 1), Department("e", "E", 2)]
    scn = scenario([busy, calm], depts, holidays="weekends-only")
    result = allocate_budget(scn, 1, objective="waits", **SETTINGS, show_progress=False)
    step = result.steps.iloc[0]
    assert (step["department"], step["unit"]) == ("d", "windows")
    gains = result.candidates.set_index("department")["gain"]
    assert gains["d"] > 5.0  # minutes of mean wait saved in the hall
    assert abs(gains["e"]) < 0.5  # a third window at the calm department changes ~nothing
    assert result.final == Plan.of({Unit("d"): 2, Unit("e"): 2})


# --------------------------------------------------------------------------- bad input


def test_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    assert main(["size", str(path), "--out", str(tmp_path / "o")]) == 2
    assert "--wait-target-min" in capsys.readouterr().err
    args = ["size", str(path), "--wait-target-min", "5", "--departments", "dd"]
    assert main([*args, "--out", str(tmp_path / "o")]) == 2
    assert "--departments dd: unknown department" in capsys.readouterr().err
    args = ["size", str(path), "--wait-target-min", "5", "--service-level", "1.5"]
    assert main([*args, "--out", str(tmp_path / "o")]) == 2
    assert "service level = 1.5" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["size", str(path), "--wait-target-min", "-1"])
    with pytest.raises(ValueError, match="expected mean or p90"):
        Target(5.0, "p95")


def test_departments_limit_the_sizing_and_unsized_misses_are_named() -> None:
    from simhall.scenario.schema import WorkStep
    from simhall.sizing import size

    slow = WorkStep("review", "e", "section", Exponential(mean=120.0))
    a = item("a", kind="onsite", volume=20, service=Exponential(mean=8.0))
    b = item("b", department="e", volume=8, committed_days=1, route=[slow])
    depts = [Department("d", "D", 3), Department("e", "E", 1, pools=(Pool("section", 1),))]
    scn = scenario([a, b], depts, holidays="weekends-only")
    result = size(scn, Target(5.0), departments=["d"], **SETTINGS, show_progress=False)
    assert [u.department for u in result.units] == ["d"]  # e's windows and pool untouched
    assert result.untouched == ("b",)  # 8 x 120 min a day on one clerk: the limit is missed
    assert "b" in result.report()


# --------------------------------------------------------------------------- what counts as met


def test_the_overlay_carries_the_run_settings_it_was_sized_with(tmp_path: Path) -> None:
    """Sized with other days, replications and seed than the file's ``[run]``: the overlay
    says so, and ``simhall run`` on it repeats the sizing's final run."""
    (tmp_path / "tiny.toml").write_text(TINY, encoding="utf-8")
    out = tmp_path / "size"
    args = ["--days", "10", "--warmup-days", "1", "--reps", "3", "--seed", "5"]
    status = main(["size", str(tmp_path / "tiny.toml"), "--wait-target-min", str(WAIT_MIN),
                   *args, "--quiet", "--out", str(out)])  # fmt: skip
    assert status == 0
    proposed = load_scenario(out / "sizing.toml")
    assert (proposed.run.days, proposed.run.warmup_days) == (10, 1)
    assert (proposed.run.replications, proposed.run.seed) == (3, 5)
    assert proposed.run.drain_days == 10  # not given: the file's own
    run_out = tmp_path / "run"
    assert main(["run", str(out / "sizing.toml"), "--quiet", "--out", str(run_out)]) == 0
    depts = pd.read_csv(run_out / "departments.csv")
    sizing = pd.read_csv(out / "sizing.csv", keep_default_na=False)
    assert depts.loc[0, "mean_wait_min"] == pytest.approx(sizing.loc[0, "after"], rel=1e-5)


def test_open_cases_past_their_limit_are_failures() -> None:
    """Four completed cases within the 2-day limit and four still open after 5 days: half
    of the cases kept the limit, not all of the completed ones."""
    from simhall.sizing.measure import pooled_within

    n = 8
    cases = pd.DataFrame(
        {
            "item_id": ["B"] * n + ["C"] * 2,
            "committed_days": [2.0] * n + [3.0] * 2,
            "status": ["completed"] * 4 + ["in_progress"] * 4 + ["completed"] * 2,
            "counted_days": pd.array([1, 1, 2, 2, pd.NA, pd.NA, pd.NA, pd.NA, 1, 4], "Int64"),
            "censored_days": pd.array([pd.NA] * 4 + [5, 5, 5, 5] + [pd.NA] * 2, "Int64"),
        }
    )
    shares = pooled_within(cases)
    assert shares["B"] == pytest.approx(0.5) and shares["C"] == pytest.approx(0.5)


def test_an_unstable_sized_station_misses_the_target() -> None:
    from simhall.sizing.measure import Measurement
    from simhall.sizing.runs import PlanRuns
    from simhall.sizing.search import _Search, station

    hall = load_scenario_text(TINY)
    assert station(Unit("d", "section")) == "d/section" and station(Unit("d")) == "d/window"
    waits = pd.DataFrame(columns=["replication", "department", "visits", "mean_wait_min"])
    empty = pd.Series(dtype="float64")
    m = Measurement(waits, pd.DataFrame(), empty, empty, {"d/section": "offered load 1.2 >= 1"})
    search = _Search(hall, Target(WAIT_MIN), ["d"], PlanRuns(hall, lambda s: None))  # type: ignore[arg-type,return-value]
    assert search.missed(m) == ["d/section unstable (offered load 1.2 >= 1)"]
    assert search.unstable(m) == [Unit("d", "section")]
    calm = dataclasses.replace(m, unstable={"x/window": "elsewhere"})
    assert search.missed(calm) == []


def test_sizing_on_workers_starts_them_once_and_finds_the_serial_plan(
    sized: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import simhall.experiment as experiment_module
    import simhall.sizing.runs as runs_module

    root, out = sized
    started: list[int] = []
    real = runs_module.local_pool

    def counted(workers: int):  # type: ignore[no-untyped-def]
        started.append(workers)
        return real(workers)

    monkeypatch.setattr(runs_module, "local_pool", counted)
    monkeypatch.setattr(experiment_module, "local_pool", counted)
    scn = load_scenario(root / "tiny.toml")
    target = Target(WAIT_MIN, "mean", 0.95)
    result = simhall.sizing.size(scn, target, workers=2, **SETTINGS)
    assert started == [2]  # one pool for every plan of the search
    assert len(result.trace) > 1
    serial = pd.read_csv(out / "sizing.csv")
    assert result.table()["proposed"].tolist() == serial["proposed"].tolist()
