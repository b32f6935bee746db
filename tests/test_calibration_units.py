"""Unit tests of the calibration modules and the ``simhall calibrate`` command."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simhall.calibration import calibrate
from simhall.calibration.classify import classify_activities, read_classification
from simhall.calibration.fit import fit_duration, fit_whole_days
from simhall.calibration.hours import detect_hours
from simhall.calibration.sessions import clock_concentration
from simhall.cli import main
from simhall.scenario import load_scenario

BASE = pd.Timestamp("2007-03-05")  # a Monday


def _ts(day: np.ndarray, minute: np.ndarray) -> pd.Series:
    return pd.Series(BASE + pd.to_timedelta(day, "D") + pd.to_timedelta(minute, "min"))


def test_session_pattern_is_classified_as_session() -> None:
    rng = np.random.default_rng(1)
    n = 400
    # completions at 16:00 on Tuesdays/Fridays (days 1, 4, 8, 11, ...), readiness random
    weeks = rng.integers(0, 20, n)
    day = weeks * 7 + rng.choice([1, 4], n)
    end = _ts(day, np.full(n, 960))
    work_start = rng.uniform(510, 1000, n)
    work_end = work_start + rng.exponential(40, n)
    ev = pd.DataFrame(
        {
            "activity": pd.Categorical(["signoff"] * n + ["review"] * n),
            "resource": pd.Categorical(["d/leader"] * n + ["d/clerk/1"] * n),
            "start": np.concatenate([np.full(n, np.nan), work_start + day * 1440]),
            "end": np.concatenate([(end - BASE).dt.total_seconds() / 60, work_end + day * 1440]),
            "dur_work": np.concatenate([np.full(n, np.nan), work_end - work_start]),
        }
    )
    table = classify_activities(ev, {}, day_min=390).set_index("activity")
    assert table.loc["signoff", "kind"] == "session"
    assert table.loc["review", "kind"] == "work"
    times, coverage = clock_concentration(np.full(50, 960.0))
    assert times == (960,) and coverage == 1.0


def test_classification_override_file(tmp_path: Path) -> None:
    f = tmp_path / "classes.toml"
    f.write_text('[activities]\n"现场勘查" = "delay"\nreview = "work"\n', encoding="utf-8")
    assert read_classification(f) == {"现场勘查": "delay", "review": "work"}
    f.write_text('[activities]\nreview = "lunch"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="review"):
        read_classification(f)


def test_aic_picks_lognormal_for_lognormal_data() -> None:
    x = np.random.default_rng(3).lognormal(np.log(60), 0.8, 2000)
    fit = fit_duration(x)
    assert fit.dist.name == "lognormal"
    assert fit.candidates["lognormal"] < min(
        v for k, v in fit.candidates.items() if k != "lognormal"
    )
    assert fit.dist.mean == pytest.approx(x.mean(), rel=0.1)


def test_constant_durations_are_fixed_and_whole_days_uniform() -> None:
    assert fit_duration(np.full(100, 15.0)).dist.name == "fixed"
    days = np.random.default_rng(4).integers(1, 6, 500)
    fit = fit_whole_days(days)
    assert fit.dist.name == "uniform_int"
    assert fit.dist.params() == {"low": 1.0, "high": 5.0}


def test_hours_detection() -> None:
    rng = np.random.default_rng(5)
    morning = rng.uniform(9 * 60, 12 * 60, 3000)
    afternoon = rng.uniform(13 * 60 + 30, 17 * 60, 3000)
    clock = np.concatenate([morning, afternoon])
    weekday = rng.integers(0, 5, len(clock))
    hours = detect_hours(clock, weekday)
    assert hours.opening == ((540, 720), (810, 1020))
    few = detect_hours(clock[:10], weekday[:10])
    assert not few.estimated and "default" in few.notes[0]


def _tiny_log(n_cases: int, item: str = "A", start_case: int = 0) -> pd.DataFrame:
    rows = []
    rng = np.random.default_rng(n_cases)
    for k in range(n_cases):
        day = int(k % 60)
        day += 2 * (day // 5)  # skip weekends roughly
        t0 = BASE + pd.Timedelta(days=day, minutes=int(rng.integers(520, 700)))
        t1 = t0 + pd.Timedelta(minutes=10)
        t2 = t1 + pd.Timedelta(minutes=float(rng.lognormal(np.log(50), 0.3)))
        cid = f"case{start_case + k}"
        rows.append((cid, item, "accept", "d/window/1", t0, t0, t1))
        rows.append((cid, item, "review", f"d/pool/{1 + k % 2}", t1, t1, t2))
    return pd.DataFrame(
        rows, columns=["case_id", "item_id", "activity", "resource", "ready", "start", "end"]
    )


def test_pooling_to_department_when_item_has_few_cases() -> None:
    ev = pd.concat([_tiny_log(80, "A"), _tiny_log(5, "B", start_case=1000)], ignore_index=True)
    items = pd.DataFrame(
        {
            "item_id": ["A", "B"],
            "department": ["d", "d"],
            "kind": ["commitment"] * 2,
            "committed_days": [5, 5],
        }
    )
    cal = calibrate(ev, items, min_cases=30)
    a, b = cal.items
    assert a.route and not a.route[0].pooled
    assert b.route and b.route[0].pooled.startswith("pooled: department d")
    assert b.window_pooled.startswith("pooled")
    assert b.route[0].fit is not None and b.route[0].fit.n >= 30


def test_missing_column_is_an_error() -> None:
    ev = _tiny_log(10).drop(columns="end")
    items = pd.DataFrame(
        {"item_id": ["A"], "department": ["d"], "kind": ["commitment"], "committed_days": [5]}
    )
    with pytest.raises(ValueError, match="end"):
        calibrate(ev, items)


@pytest.fixture()
def log_files(tmp_path: Path) -> tuple[Path, Path]:
    ev = pd.concat([_tiny_log(80, "A"), _tiny_log(60, "B", start_case=1000)], ignore_index=True)
    log = tmp_path / "log.csv"
    ev.to_csv(log, index=False, date_format="%Y-%m-%d %H:%M:%S")
    items = tmp_path / "items.csv"
    items.write_text(
        "item_id,department,kind,committed_days,name\nA,d,commitment,5,甲\nB,d,commitment,3,乙\n",
        encoding="utf-8",
    )
    return log, items


def test_cli_writes_loadable_scenario_and_report(log_files: tuple[Path, Path]) -> None:
    log, items = log_files
    out, report = log.parent / "cal.toml", log.parent / "cal.md"
    code = main(
        ["calibrate", str(log), "--items", str(items), "--out", str(out), "--report", str(report)]
    )
    assert code == 0
    scenario = load_scenario(out)
    assert {i.id for i in scenario.items} == {"A", "B"}
    text = report.read_text(encoding="utf-8")
    assert "# Calibration report" in text and "Assumptions" in text
    assert "case1" not in text and "case1" not in out.read_text(encoding="utf-8")


def test_cli_missing_column_exits_2_naming_the_file(
    log_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    log, items = log_files
    bad = log.parent / "bad.csv"
    pd.read_csv(log).drop(columns="activity").to_csv(bad, index=False)
    code = main(["calibrate", str(bad), "--items", str(items), "--out", str(log.parent / "x.toml")])
    assert code == 2
    err = capsys.readouterr().err
    assert "bad.csv" in err and "activity" in err


def test_cli_unknown_item_strict_exits_2_naming_rows(
    log_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    log, items = log_files
    frame = pd.read_csv(log)
    frame.loc[3, "item_id"] = "NOPE"
    bad = log.parent / "unknown.csv"
    frame.to_csv(bad, index=False)
    out = log.parent / "y.toml"
    code = main(["calibrate", str(bad), "--items", str(items), "--out", str(out), "--strict"])
    assert code == 2
    err = capsys.readouterr().err
    assert "unknown.csv" in err and "5" in err  # row 5 of the file (header = line 1)
    assert not out.exists()
    # without --strict the row is dropped and reported
    code = main(["calibrate", str(bad), "--items", str(items), "--out", str(out)])
    assert code == 0 and out.exists()
    assert "unknown" in out.read_text(encoding="utf-8")


def test_cli_bad_items_file_exits_2(
    log_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    log, items = log_files
    items.write_text("item_id,department,kind\nA,d,commitment\n", encoding="utf-8")
    code = main(["calibrate", str(log), "--items", str(items), "--out", str(log.parent / "z.toml")])
    assert code == 2
    assert "items.csv" in capsys.readouterr().err


def test_date_only_completions_are_delays_not_sessions() -> None:
    """Completions without a time of day all sit at 00:00: never a sign-off session."""
    rng = np.random.default_rng(2)
    n = 300
    day = rng.integers(0, 140, n).astype(np.float64)
    ev = pd.DataFrame(
        {
            "activity": pd.Categorical(["decision"] * n),
            "resource": pd.Categorical(["d/leader"] * n),
            "start": np.full(n, np.nan),
            "end": day * 1440,  # dates only
            "dur_work": rng.exponential(900, n),
        }
    )
    row = classify_activities(ev, {}, day_min=390).set_index("activity").loc["decision"]
    assert row["kind"] == "delay"
    assert row["date_only"] == 1.0
    assert "no time of day" in row["reason"]


def test_moment_check_rejects_runaway_lognormal() -> None:
    """A very wide sample: the ML lognormal wins on AIC but overshoots the sample mean."""
    x = np.random.default_rng(7).lognormal(np.log(10), 3.0, 100)
    fit = fit_duration(x)
    assert min(fit.candidates, key=lambda k: fit.candidates[k]) == "lognormal"
    assert abs(fit.dist.mean - x.mean()) <= 0.2 * x.mean(), fit.criterion
    p90 = np.quantile(x, 0.9)
    assert p90 / 1.5 <= fit.fitted_p90 <= p90 * 1.5, fit.criterion
    assert "lognormal (mean" in fit.criterion  # the rejected ML fit is named


def test_zero_heavy_sample_is_empirical_with_its_mean() -> None:
    rng = np.random.default_rng(8)
    x = np.concatenate([np.zeros(300), rng.lognormal(7, 1.5, 700)])
    fit = fit_duration(x)
    assert fit.dist.name == "empirical"
    assert fit.zero_share == pytest.approx(0.3)
    assert fit.dist.mean == pytest.approx(x.mean(), rel=1e-6)  # group means keep the mean
    values = fit.dist.params()["values"]
    assert isinstance(values, list) and min(values) == 0.0


def test_rare_route_steps_are_lumped() -> None:
    from simhall.calibration.routes import LUMPED_STEP, route_steps

    n_cases = 200
    case, act, t = [], [], []
    for c in range(n_cases):
        seq = [0, 1] + ([2] if c % 50 == 0 else []) + ([3] if c % 40 == 1 else [])
        for k, a in enumerate(seq):
            case.append(c)
            act.append(a)
            t.append(c * 10.0 + k + 1)
    case_a, act_a = np.array(case), np.array(act)
    steps, _ = route_steps(
        case_a,
        np.zeros(len(case_a), dtype=np.int64),
        act_a,
        np.array(t),
        np.arange(n_cases) * 10.0,
        np.arange(n_cases) * 10.0 + 4,
        np.zeros(n_cases, dtype=np.int64),
        ["a", "b", "rare1", "rare2"],
        1,
        min_share=0.05,
    )
    names = [s.activity for s in steps[0]]
    assert names[:2] == ["a", "b"] and names[2] == LUMPED_STEP
    lumped = steps[0][2]
    assert lumped.lumped == ("rare1", "rare2")
    assert lumped.n_cases == 4 + 5


def test_completion_only_log_without_time_of_day_warns_nothing() -> None:
    """No ready/start times and date-only completions: defaults, explicitly, no NaN cast."""
    import warnings

    rng = np.random.default_rng(9)
    rows = []
    for c in range(60):
        d0 = int(rng.integers(0, 60))
        for k, a in enumerate(["accept", "review", "decision"]):
            rows.append((f"c{c}", "X", a, BASE + pd.Timedelta(days=d0 + 3 * k)))
    events = pd.DataFrame(rows, columns=["case_id", "item_id", "activity", "end"])
    items = pd.DataFrame(
        [{"item_id": "X", "department": "d", "kind": "commitment", "committed_days": 20}]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        cal = calibrate(events, items, holidays="weekends-only")
    assert not cal.hours.estimated
    assert load_scenario is not None and cal.scenario() is not None
