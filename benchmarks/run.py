"""simhall benchmarks: what ``make bench`` runs.

Measures, each with the machine it ran on and the median of a few repetitions:

``network``
    The issue-10 network (``benchmarks/network.py``: Poisson 3/min -> 5 windows -> p = 0.6
    back office of 3 -> one sign-off server, 24 h, ~100,000 customers) end to end: the
    idiomatic plain-SimPy model, Ciw (if installed), ``simhall.run`` (reps=1, workers=1:
    simulation, frames, summary) and the ``simhall run`` command (in-process: load, run,
    write the folder, print the tables), engines interleaved, each in a fresh process;
    µs per customer, ratios, and simhall's mean waits with batch-means 95% CIs against the
    Jackson waits.
``scaling``
    ``simhall.run`` on the network for ~13,000, ~100,000 and ~1,000,000 customers, each run
    in a fresh process (the sizes under 100 days at least 5 times): wall and CPU µs per
    customer (median and minimum), and bytes of the process's own peak RSS above its RSS
    after a warm-up run, per customer.
``hall_year_cli``
    ``simhall run scenarios/huainan_2007/baseline.toml --days 365 --reps 1`` as a user runs
    it (a fresh interpreter calling ``simhall.cli.main()`` as the console script does;
    interpreter start and imports included): wall seconds and the child's own peak RSS.
``hall_year``
    One replication of 365 days of ``scenarios/huainan_2007/baseline.toml`` (and of the same
    hall with 1.25x demand): wall seconds of the simulation and of building the frames,
    visits, cases, SimPy events, µs per case, peak RSS. Each repetition runs in a fresh
    process.

Bytecode is cached as on a user's machine (:func:`cache_bytecode`; compiled once by a
warm-up run before the measurements), even where the environment sets
``PYTHONDONTWRITEBYTECODE``.

Peak RSS is always the measuring process's own: ``VmHWM`` of /proc/self/status, which
belongs to the current address space and starts afresh at exec. ``ru_maxrss`` is only the
fallback where /proc is absent: on Linux a fork+exec child inherits the parent's high-water
RSS in it, so after the in-process ``parallel`` run every child reported the parent's peak.
``per_case_vs_simpy``
    The same open tandem network (window c=2 -> review c=3 -> sign-off c=1, exponential,
    open 24/7) in simhall, in a minimal plain-SimPy model (``benchmarks/plain_simpy.py``)
    and in Ciw (if installed; it is not a project dependency): µs per customer and ratios.
``parallel``
    ``simhall.experiment.run`` of the baseline, 120 days x 4 replications, with 1 and 2
    worker processes (the local worker pool, start-up included): speedup, and a check that
    both give identical frames. In one process, so only the first ``workers=2`` run starts
    the fork server (multiprocessing keeps it for the process's later pools).
``parallel_cli``
    The same as commands, ``simhall run ... --workers 1`` and ``--workers 2``, each in a
    fresh interpreter as a user runs them: every command starts its workers' fork server;
    a check that both write the same log, cases and summary tables.
``instructions``
    Instructions per customer on the network, counted by Valgrind's callgrind for plain
    SimPy, ``simhall.run``, the command and Ciw: each engine over 1 and over 4 days of
    arrivals in fresh processes, the difference of the counts over the difference of the
    customers (fixed costs such as imports cancel). A count that the machine's load does
    not move, for changes of a few percent that wall time cannot show on a shared VM.
    Skipped without ``valgrind``; some minutes (Valgrind runs Python ~50x slower).
``log_read``, ``calibrate``
    ``benchmarks/bench_log_read.py`` / ``benchmarks/bench_calibrate.py`` if they exist, run in
    a subprocess; their printed line is recorded.

Usage::

    .venv/bin/python benchmarks/run.py [--quick] [--only NAME] [--out benchmarks/results.json]
    .venv/bin/python benchmarks/run.py --profile     # cProfile of one hall-year replication

Timings are wall-clock and depend on what else the machine is doing: the load average is
recorded before and after each benchmark (and the run waits, up to ``--max-wait`` seconds,
for the 1-minute load to drop below ``--max-load``). Nothing here is asserted on time.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "huainan_2007" / "baseline.toml"
BENCHMARKS = (
    "network",
    "scaling",
    "hall_year_cli",
    "hall_year",
    "per_case_vs_simpy",
    "parallel",
    "parallel_cli",
    "instructions",
    "log_read",
    "calibrate",
)
TANDEM = [(2, 7.5), (3, 12.0), (1, 3.5)]  # (servers, mean minutes): window, review, sign-off
TANDEM_LAM = 0.2  # arrivals per minute (utilizations 0.75, 0.80, 0.70)
CHILD_ENV = {"PYTHONHASHSEED": "0", "SIMHALL_PROGRESS": "0", "MPLBACKEND": "Agg"}
PYCACHE = Path(tempfile.gettempdir()) / "simhall-bench-pycache"


def cache_bytecode() -> str:
    """Let this process, its children and its worker processes keep compiled bytecode, as
    Python does by default on a user's machine; returns how (for ``results.json``).

    With ``PYTHONDONTWRITEBYTECODE`` set (some CI and sandbox images set it) every fresh
    interpreter compiles simhall's ~200 modules again: some 0.2 s per command, and per
    worker process, that a user's ``simhall`` does not pay after its first run. The bytecode
    goes to :data:`PYCACHE` (``PYTHONPYCACHEPREFIX``), not into the source tree.
    """
    was = os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    sys.dont_write_bytecode = False
    sys.pycache_prefix = str(PYCACHE)
    note = f"cached in {PYCACHE}"
    return note + (" (PYTHONDONTWRITEBYTECODE was set: unset for the benchmarks)" if was else "")


# --------------------------------------------------------------------------- machine
def _version(module: str) -> str | None:
    try:
        mod = __import__(module)
    except ImportError:
        return None
    return str(getattr(mod, "__version__", "?"))


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _mem_total_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def machine_info() -> dict[str, Any]:
    """CPU count, CPU model, memory, Python and library versions, current load."""
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": affinity,
        "cpu_model": _cpu_model(),
        "mem_total_gb": _mem_total_gb(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "numpy": _version("numpy"),
        "simpy": _version("simpy"),
        "pandas": _version("pandas"),
        "ciw": _version("ciw"),
        "simhall": _version("simhall"),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "timestamp": dt.datetime.now().isoformat(timespec="seconds"),
    }


def wait_for_low_load(max_load: float, max_wait: float) -> dict[str, Any]:
    """Sleep while the 1-minute load average is above ``max_load`` (at most ``max_wait`` s)."""
    t0 = time.monotonic()
    while os.getloadavg()[0] > max_load and time.monotonic() - t0 < max_wait:
        time.sleep(10)
    return {
        "loadavg_before": [round(x, 2) for x in os.getloadavg()],
        "waited_s": round(time.monotonic() - t0, 1),
    }


def _median(values: list[float]) -> float:
    return float(statistics.median(values))


def _spread(name: str, values: list[float], extreme: Any = min, digits: int = 2) -> dict[str, Any]:
    """``name``: the median of the runs, ``name_min`` (or ``_max``): their extreme,
    ``name_all``: every run, rounded."""
    return {
        name: _median(values),
        f"{name}_{extreme.__name__}": extreme(values),
        f"{name}_all": [round(x, digits) for x in values],
    }


# ---------------------------------------------------------------------- memory
# Peak memory is the process's OWN high-water RSS: ``VmHWM`` of /proc/self/status belongs to
# the current address space, so exec starts it afresh. ``ru_maxrss`` is not used where /proc
# exists: on Linux a child started by fork+exec begins with the parent's high-water RSS at
# the fork (the kernel carries it across execve), and RUSAGE_CHILDREN keeps the maximum over
# every child ever waited for, so a child of a big parent reports the parent's peak.
_PROC_STATUS = Path("/proc/self/status")
RSS_SOURCE = (
    "VmHWM of /proc/self/status (the process's own peak RSS)"
    if _PROC_STATUS.exists()
    else "ru_maxrss (no /proc/self/status: may include the parent's peak at fork)"
)


def _proc_status_kb(field: str) -> int | None:
    """``field`` (``VmHWM``, ``VmRSS``) of /proc/self/status in kB; None without /proc."""
    try:
        with _PROC_STATUS.open() as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _ru_maxrss_mb() -> float:
    """Fallback: ``ru_maxrss`` in MB (kB on Linux, bytes on macOS); may be inherited."""
    value = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return value / 2**20 if sys.platform == "darwin" else value / 1024


def own_peak_rss_mb() -> float:
    """This process's peak RSS so far in MB (VmHWM; ru_maxrss where /proc is absent)."""
    kb = _proc_status_kb("VmHWM")
    return kb / 1024 if kb is not None else _ru_maxrss_mb()


def current_rss_mb() -> float:
    """This process's RSS now in MB (VmRSS; the ru_maxrss peak where /proc is absent)."""
    kb = _proc_status_kb("VmRSS")
    return kb / 1024 if kb is not None else _ru_maxrss_mb()


def _reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0: ``5`` to /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _return_free_memory() -> bool:
    """Give the memory the allocator holds free back to the system (glibc's
    ``malloc_trim``), so that a measured run cannot reuse the warm-up's for nothing."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        trim = None
    if trim is None:
        return False
    trim(0)
    return True


def _child(
    args: list[str], timeout: float = 1800, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """Run ``run.py --child ...`` in a fresh interpreter (under ``prefix``, e.g. Valgrind);
    the finished process, its output captured."""
    proc = subprocess.run(
        [*prefix, sys.executable, str(Path(__file__).resolve()), "--child", *args],
        cwd=ROOT,
        env={**os.environ, **CHILD_ENV},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {[*prefix, *args]} failed:\n{proc.stderr[-3000:]}")
    return proc


def _child_json(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The JSON line a child printed last."""
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _run_child(args: list[str], timeout: float = 1800) -> dict[str, Any]:
    """Run ``run.py --child ...`` in a fresh interpreter; return its JSON line."""
    return _child_json(_child(args, timeout))


# ---------------------------------------------------------------------- hall_year
def _scaled(scenario: Any, factor: float) -> Any:
    """The scenario with every item's daily volume multiplied by ``factor``."""
    if factor == 1.0:
        return scenario
    items = tuple(
        dataclasses.replace(
            it, demand=dataclasses.replace(it.demand, daily_volume=it.demand.daily_volume * factor)
        )
        for it in scenario.items
    )
    return dataclasses.replace(scenario, items=items)


def child_hall_year(days: int, scale: float, profile: Path | None = None) -> dict[str, Any]:
    """One replication of the baseline (demand x ``scale``), timed in parts.

    Mirrors :func:`simhall.experiment.simulate_replication` (Settings from
    ``resolve_settings``), split so that simulation and frame building are timed apart.
    """
    rss_start = own_peak_rss_mb()
    from simhall.calendar import WorkCalendar
    from simhall.experiment import resolve_settings
    from simhall.model import HallModel, RunWindow
    from simhall.scenario import load_scenario

    t0 = time.perf_counter()
    scenario = _scaled(load_scenario(BASELINE), scale)
    settings = resolve_settings(scenario, days=days, reps=1)
    t_load = time.perf_counter() - t0
    rss_imports = own_peak_rss_mb()

    prof = None
    if profile is not None:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    t0 = time.perf_counter()
    window = RunWindow(settings.days, settings.warmup_days, settings.drain_days)
    calendar = WorkCalendar(scenario.calendar, window.n_days)
    model = HallModel(scenario, window, seed=settings.seed, replication=0, calendar=calendar)
    t_setup = time.perf_counter() - t0
    model.run()
    t_sim = time.perf_counter() - t0
    rss_sim = own_peak_rss_mb()
    t1 = time.perf_counter()
    events, cases, _stations = model.frames()
    t_frames = time.perf_counter() - t1
    if prof is not None and profile is not None:
        prof.disable()
        _write_profile(prof, profile, t_sim, t_frames)
    rss_peak = own_peak_rss_mb()

    n_cases_sim = model._n_cases  # every case generated, warm-up included
    simpy_events = next(model.env._eid)  # SimPy's event counter: events scheduled
    window_acts = events["activity"].isin(["accept", "return_for_correction"])
    return {
        "days": days,
        "demand_scale": scale,
        "load_scenario_s": t_load,
        "setup_s": t_setup,
        "sim_s": t_sim,
        "frames_s": t_frames,
        "total_s": t_sim + t_frames,
        "cases_simulated": n_cases_sim,
        "cases_recorded": len(cases),
        "visits_recorded": int(window_acts.sum()),
        "visits_incl_warmup_est": int(round(window_acts.sum() * n_cases_sim / max(len(cases), 1))),
        "window_attempts_recorded": int(cases["visits"].sum()),
        "event_rows": len(events),
        "simpy_events": simpy_events,
        "us_per_case": 1e6 * t_sim / n_cases_sim,
        "us_per_case_with_frames": 1e6 * (t_sim + t_frames) / n_cases_sim,
        "us_per_simpy_event": 1e6 * t_sim / simpy_events,
        # peaks so far of this process's own address space (VmHWM), in MB
        "peak_rss_mb": rss_peak,
        "rss_after_imports_mb": rss_imports,
        "rss_after_sim_mb": rss_sim,
        "rss_at_start_mb": rss_start,
        "rss_source": RSS_SOURCE,
    }


def _write_profile(prof: Any, path: Path, t_sim: float, t_frames: float) -> None:
    import io
    import pstats

    out = io.StringIO()
    out.write(f"# cProfile of one hall-year replication (sim {t_sim:.1f} s + frames ")
    out.write(f"{t_frames:.1f} s under the profiler)\n\n## top 10 by own time (tottime)\n")
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(10)
    out.write("\n## top 25 by cumulative time\n")
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(25)
    text = out.getvalue().replace(str(ROOT) + "/", "").replace(sys.prefix + "/", "")
    path.write_text(text)


def bench_hall_year(quick: bool, repeat: int) -> dict[str, Any]:
    """Baseline hall-year (median of ``repeat`` fresh processes), then 1.25x demand."""
    days = 90 if quick else 365
    out: dict[str, Any] = {"scenario": str(BASELINE.relative_to(ROOT)), "days": days}
    variants = [(1.0, repeat)] if quick else [(1.0, repeat), (1.25, max(1, repeat - 1))]
    for scale, n in variants:
        runs = [
            _run_child(["hall_year", "--days", str(days), "--scale", str(scale)]) for _ in range(n)
        ]
        key = "baseline" if scale == 1.0 else f"demand_x{scale:g}"
        out[key] = _summarize_runs(runs)
        print(f"  {key}: " + _fmt(out[key], ["sim_s", "frames_s", "us_per_case", "peak_rss_mb"]))
    return out


def _summarize_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians of the timing fields; counts from the first run (identical across runs)."""
    timed = {k for k in runs[0] if k.endswith("_s") or k.startswith("us_per") or k.endswith("_mb")}
    summary = {k: (_median([r[k] for r in runs]) if k in timed else runs[0][k]) for k in runs[0]}
    summary["repetitions"] = len(runs)
    summary["sim_s_all"] = [round(r["sim_s"], 2) for r in runs]
    summary["sim_s_min"] = min(r["sim_s"] for r in runs)
    return summary


def _fmt(d: dict[str, Any], keys: list[str]) -> str:
    return ", ".join(f"{k}={d[k]:.3g}" if isinstance(d[k], float) else f"{k}={d[k]}" for k in keys)


# ----------------------------------------------------------- per_case_vs_simpy
def tandem_scenario(days: int, drain_days: int) -> Any:
    """The benchmark network as a simhall scenario (simhall.queueing.tandem_scenario)."""
    import datetime as dt

    from simhall.queueing import tandem_scenario as build

    return build(TANDEM_LAM, TANDEM, n_days=days + drain_days, start=dt.date(2007, 3, 5))


def child_per_case(engine: str, days: int, seed: int) -> dict[str, Any]:
    """Time one engine on the tandem; arrivals in ``[0, days)`` days."""
    import numpy as np

    horizon = days * 1440.0
    if engine == "simhall":
        from simhall.calendar import WorkCalendar
        from simhall.model import HallModel, RunWindow

        drain = 2
        scenario = tandem_scenario(days, drain)
        t0 = time.perf_counter()
        window = RunWindow(days, 0, drain)
        calendar = WorkCalendar(scenario.calendar, window.n_days)
        model = HallModel(scenario, window, seed=seed, replication=0, calendar=calendar).run()
        t_sim = time.perf_counter() - t0
        t1 = time.perf_counter()
        events, cases, _ = model.frames()
        t_frames = time.perf_counter() - t1
        n = len(cases)
        wait = (events["start"] - events["ready"]).dt.total_seconds() / 60.0
        station = events["resource"].astype(str).str.rsplit("/", n=1).str[0]
        by = wait.groupby(station).mean()
        waits = [float(by[k]) for k in ("D/window", "D/s0", "D/s1")]
        done = int(cases["completion"].notna().sum())
        return {
            "engine": engine,
            "customers": n,
            "completed": done,
            "sim_s": t_sim,
            "frames_s": t_frames,
            "us_per_customer": 1e6 * t_sim / n,
            "us_per_customer_with_frames": 1e6 * (t_sim + t_frames) / n,
            "mean_waits": waits,
        }
    if engine == "simpy":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from plain_simpy import simulate

        t0 = time.perf_counter()
        n, records = simulate(TANDEM_LAM, TANDEM, horizon, seed=seed)
        t_sim = time.perf_counter() - t0
        rec = np.asarray(records)
        waits = [float((rec[rec[:, 1] == s, 3] - rec[rec[:, 1] == s, 2]).mean()) for s in range(3)]
        done = int((rec[:, 1] == 2).sum())
        return {
            "engine": engine,
            "customers": n,
            "completed": done,
            "sim_s": t_sim,
            "us_per_customer": 1e6 * t_sim / n,
            "mean_waits": waits,
        }
    if engine == "ciw":
        import ciw

        ciw.seed(seed)
        t0 = time.perf_counter()
        network = ciw.create_network(
            arrival_distributions=[ciw.dists.Exponential(TANDEM_LAM), None, None],
            service_distributions=[ciw.dists.Exponential(1.0 / m) for _, m in TANDEM],
            routing=[[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]],
            number_of_servers=[c for c, _ in TANDEM],
        )
        sim = ciw.Simulation(network)
        sim.simulate_until_max_time(horizon)
        t_sim = time.perf_counter() - t0
        n = sim.nodes[0].number_of_individuals
        recs = sim.get_all_records()
        waits = [float(np.mean([r.waiting_time for r in recs if r.node == k])) for k in (1, 2, 3)]
        done = sum(1 for r in recs if r.node == 3)
        return {
            "engine": engine,
            "customers": n,
            "completed": done,
            "sim_s": t_sim,
            "us_per_customer": 1e6 * t_sim / n,
            "mean_waits": waits,
        }
    raise ValueError(engine)


def _erlang_c_wait(lam: float, mean: float, c: int) -> float:
    import math

    a = lam * mean
    terms = sum(a**k / math.factorial(k) for k in range(c))
    top = a**c / math.factorial(c) / (1 - a / c)
    return top / (terms + top) * mean / (c - a)


def bench_per_case(quick: bool, repeat: int) -> dict[str, Any]:
    """simhall vs plain SimPy vs Ciw on the tandem, engines interleaved per repetition."""
    days = 10 if quick else 60
    engines = ["simhall", "simpy"]
    out: dict[str, Any] = {
        "network": "tandem window c=2 (7.5 min) -> review c=3 (12 min) -> sign-off c=1 "
        "(3.5 min), exponential, Poisson 0.2/min, open 24/7",
        "days": days,
        "theory_mean_waits": [_erlang_c_wait(TANDEM_LAM, m, c) for c, m in TANDEM],
    }
    if _version("ciw") is None:
        out["ciw"] = "ciw not installed"
    else:
        engines.append("ciw")
    runs: dict[str, list[dict[str, Any]]] = {e: [] for e in engines}
    for rep in range(repeat):
        for e in engines:
            runs[e].append(
                _run_child(["per_case", "--engine", e, "--days", str(days), "--seed", str(rep + 1)])
            )
    for e in engines:
        rs = runs[e]
        keys = [k for k in rs[0] if k.endswith("_s") or k.startswith("us_per")]
        out[e] = {k: _median([r[k] for r in rs]) for k in keys}
        out[e]["customers"] = rs[0]["customers"]
        out[e]["completed"] = rs[0]["completed"]
        out[e]["mean_waits_rep1"] = [round(w, 2) for w in rs[0]["mean_waits"]]
        out[e]["us_per_customer_all"] = [round(r["us_per_customer"], 1) for r in rs]
        out[e]["repetitions"] = len(rs)
        print(f"  {e}: {out[e]['us_per_customer']:.1f} µs/customer")
    s, p = out["simhall"]["us_per_customer"], out["simpy"]["us_per_customer"]
    out["ratio_simhall_over_simpy"] = s / p
    out["ratio_simhall_with_frames_over_simpy"] = out["simhall"]["us_per_customer_with_frames"] / p
    if "ciw" in engines:
        c = out["ciw"]["us_per_customer"]
        out["ratio_ciw_over_simhall"] = c / s
        out["ratio_ciw_over_simhall_with_frames"] = (
            c / out["simhall"]["us_per_customer_with_frames"]
        )
        out["ratio_ciw_over_simpy"] = c / p
    return out


# ------------------------------------------------------------------------ network
def _batch_ci(values: Any, batches: int = 20) -> tuple[float, float, float]:
    """Mean and 95% CI by batch means (consecutive customers in ``batches`` batches)."""
    import numpy as np
    from scipy import stats

    x = np.asarray(values, dtype=float)
    k = x.size // batches
    means = x[: k * batches].reshape(batches, k).mean(axis=1)
    half = float(stats.t.ppf(0.975, batches - 1) * means.std(ddof=1) / np.sqrt(batches))
    return float(x.mean()), float(means.mean() - half), float(means.mean() + half)


def _network_waits(events: Any) -> list[tuple[float, float, float]]:
    """simhall's mean waits (and batch-means CIs) at the windows, back office, sign-off."""
    station = events["resource"].astype(str).str.rsplit("/", n=1).str[0]
    wait = (events["start"] - events["ready"]).dt.total_seconds().to_numpy() / 60.0
    order = events["ready"].to_numpy().argsort(kind="stable")
    st = station.to_numpy()[order]
    return [_batch_ci(wait[order][st == key]) for key in ("D/window", "D/back", "D/sign")]


def child_network(engine: str, days: int, seed: int) -> dict[str, Any]:
    """Time one engine on the issue-10 network; arrivals in ``[0, days)`` days."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import network

    horizon = days * 1440.0
    out: dict[str, Any] = {"engine": engine, "days": days, "seed": seed}
    if engine == "simpy":
        t0 = time.perf_counter()
        n, waits = network.plain_simpy(horizon, seed=seed)
        t = time.perf_counter() - t0
        out["mean_waits"] = waits
    elif engine == "ciw":
        t0 = time.perf_counter()
        n, waits = network.ciw_run(horizon, seed=seed)
        t = time.perf_counter() - t0
        out["mean_waits"] = waits
    elif engine == "simhall":
        from simhall.experiment import run

        scenario = network.scenario(days)
        t0 = time.perf_counter()
        result = run(scenario, days=days, warmup_days=0, drain_days=1, reps=1, seed=seed)
        t = time.perf_counter() - t0
        n = len(result.cases)
        cis = _network_waits(result.events)
        out["mean_waits"] = [c[0] for c in cis]
        out["wait_cis"] = cis
    elif engine == "cli":
        import contextlib
        import io
        import tempfile

        from simhall.cli import main

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "network.toml"
            path.write_text(network.toml(days))
            argv = ["run", str(path), "--seed", str(seed), "--quiet", "--out", f"{tmp}/out"]
            t0 = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                code = main(argv)
            t = time.perf_counter() - t0
            import pandas as pd

            n = len(pd.read_parquet(f"{tmp}/out/cases.parquet", columns=["case_id"]))
        out["exit_code"] = code
    else:
        raise ValueError(engine)
    out.update(customers=n, wall_s=t, us_per_customer=1e6 * t / n)
    out["peak_rss_mb"] = own_peak_rss_mb()
    return out


def bench_network(quick: bool, repeat: int) -> dict[str, Any]:
    """Plain SimPy, Ciw, simhall.run and the CLI on the network, interleaved."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import network

    days = 3 if quick else 23
    engines = ["simpy", "simhall", "cli"] + (["ciw"] if _version("ciw") else [])
    runs: dict[str, list[dict[str, Any]]] = {e: [] for e in engines}
    for rep in range(repeat):
        for e in engines:
            args = ["network", "--engine", e, "--days", str(days), "--seed", str(rep + 1)]
            runs[e].append(_run_child(args))
    out: dict[str, Any] = {
        "network": "Poisson 3/min -> 5 windows (exp 1.5) -> p=0.6: back office 3 (exp 1.4) "
        "-> sign-off 1 (exp 0.45), else leave; 24 h, FIFO",
        "days": days,
        "jackson_waits_min": list(network.JACKSON_WAITS_MIN),
        "ciw": _version("ciw") or "not installed",
        "rss_source": RSS_SOURCE,
    }
    for e in engines:
        rs = runs[e]
        out[e] = {
            "us_per_customer": _median([r["us_per_customer"] for r in rs]),
            "us_per_customer_all": [round(r["us_per_customer"], 2) for r in rs],
            "customers": rs[0]["customers"],
            "peak_rss_mb": _median([r["peak_rss_mb"] for r in rs]),
        }
        if "mean_waits" in rs[0]:
            out[e]["mean_waits_rep1"] = [round(w, 3) for w in rs[0]["mean_waits"]]
        print(f"  {e}: {out[e]['us_per_customer']:.2f} µs/customer {out[e]['us_per_customer_all']}")
    p = out["simpy"]["us_per_customer"]
    out["ratio_simhall_run_over_simpy"] = out["simhall"]["us_per_customer"] / p
    out["ratio_cli_over_simpy"] = out["cli"]["us_per_customer"] / p
    # per repetition, engines interleaved: the ratio of the same repetition
    out["ratio_simhall_over_simpy_per_rep"] = [
        round(a["us_per_customer"] / b["us_per_customer"], 3)
        for a, b in zip(runs["simhall"], runs["simpy"], strict=True)
    ]
    if "ciw" in engines:
        c = out["ciw"]["us_per_customer"]
        out["ratio_ciw_over_simhall_run"] = c / out["simhall"]["us_per_customer"]
        out["ratio_ciw_over_cli"] = c / out["cli"]["us_per_customer"]
    cover = []
    for r in runs["simhall"]:
        for (mean, lo, hi), exact in zip(r["wait_cis"], network.JACKSON_WAITS_MIN, strict=True):
            cover.append(
                {
                    "mean": round(mean, 3),
                    "ci": [round(lo, 3), round(hi, 3)],
                    "jackson": round(exact, 3),
                    "covered": lo <= exact <= hi,
                }
            )
    out["jackson_check"] = cover
    out["jackson_covered"] = f"{sum(c['covered'] for c in cover)} of {len(cover)}"
    print(
        f"  ratios: run/simpy {out['ratio_simhall_run_over_simpy']:.2f}, "
        f"cli/simpy {out['ratio_cli_over_simpy']:.2f}; Jackson CIs {out['jackson_covered']}"
    )
    return out


# ------------------------------------------------------------------- instructions
INSTRUCTION_DAYS = (1, 4)  # the network's arrivals over 1 and over 4 days: the difference


def _instructions(engine: str, days: int) -> tuple[int, int]:
    """Instructions executed by a ``network`` child under Valgrind, and its customers."""
    args = ["network", "--engine", engine, "--days", str(days)]
    proc = _child(args, 3600, ("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"))
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if found is None:
        raise RuntimeError(f"valgrind {engine} {days}: no count in\n{proc.stderr[-3000:]}")
    return int(found.group(1)), int(_child_json(proc)["customers"])


def bench_instructions(quick: bool) -> dict[str, Any]:
    """Instructions per customer on the network, counted by Valgrind (callgrind): a count
    that does not move with the machine's load, for changes too small to see in wall time.

    Each engine runs the network's arrivals over 1 and over 4 days in fresh processes; the
    difference of the two counts over the difference of their customers is the marginal
    cost of a customer (imports, interpreter start and other fixed costs cancel: the CLI's
    import of pandas included, which the wall-clock ``network`` benchmark counts).
    """
    if shutil.which("valgrind") is None:
        print("  valgrind not installed: skipped")
        return {"skipped": "valgrind not installed"}
    engines = ["simpy", "simhall", "cli"] + (["ciw"] if _version("ciw") and not quick else [])
    out: dict[str, Any] = {"days": list(INSTRUCTION_DAYS), "tool": _valgrind_version()}
    for e in engines:
        (n1, c1), (n2, c2) = (_instructions(e, d) for d in INSTRUCTION_DAYS)
        per = (n2 - n1) / (c2 - c1)
        out[e] = {"instructions_per_customer": round(per), "customers": [c1, c2]}
        print(f"  {e}: {per:,.0f} instructions per customer")
    p = out["simpy"]["instructions_per_customer"]
    for e in engines[1:]:
        out[f"ratio_{e}_over_simpy"] = round(out[e]["instructions_per_customer"] / p, 3)
    print(
        "  ratios over plain SimPy: "
        + ", ".join(f"{e} {out[f'ratio_{e}_over_simpy']:.2f}" for e in engines[1:])
    )
    return out


def _valgrind_version() -> str:
    proc = subprocess.run(["valgrind", "--version"], capture_output=True, text=True, check=False)
    return proc.stdout.strip()


SCALING_SMALL_REPEAT = 5  # the sizes < 100 days run at least this often (see bench_scaling)


def bench_scaling(quick: bool, repeat: int) -> dict[str, Any]:
    """Cost per customer of simhall.run for ~13k, ~100k and ~1M customers (fresh processes).

    The small sizes (< 100 days) run ``max(repeat, 5)`` times: on a small shared VM the
    speed varies from second to second (up to 1.7x on the 2-core reference machine), so the
    median and the minimum are both reported, and the CPU time next to the wall time.
    """
    sizes = [3, 23] if quick else [3, 23, 231]
    rows = []
    for days in sizes:
        n_runs = max(repeat, SCALING_SMALL_REPEAT) if days < 100 else 1
        rs = [
            _run_child(["scaling", "--days", str(days), "--seed", str(k + 1)])
            for k in range(n_runs)
        ]
        us = [r["us_per_customer"] for r in rs]
        cpu = [r["cpu_us_per_customer"] for r in rs]
        row = {
            "days": days,
            "customers": rs[0]["customers"],
            "repetitions": n_runs,
            "seeds": list(range(1, n_runs + 1)),
            **_spread("us_per_customer", us),
            **_spread("cpu_us_per_customer", cpu),
            "peak_rss_mb": _median([r["peak_rss_mb"] for r in rs]),
            "rss_after_warmup_mb": _median([r["rss_after_warmup_mb"] for r in rs]),
            "bytes_per_customer": _median([r["bytes_per_customer"] for r in rs]),
            "peak_reset_after_warmup": all(r["peak_reset_after_warmup"] for r in rs),
            "loadavg": [round(x, 2) for x in os.getloadavg()],
        }
        rows.append(row)
        print(
            f"  {row['customers']} customers, {n_runs} run(s): wall {row['us_per_customer']:.2f} "
            f"µs median (min {row['us_per_customer_min']:.2f}), CPU "
            f"{row['cpu_us_per_customer']:.2f} µs median (min "
            f"{row['cpu_us_per_customer_min']:.2f}) per customer; "
            f"{row['bytes_per_customer']:.0f} B per customer (own peak "
            f"{row['peak_rss_mb']:.0f} MB, after warm-up {row['rss_after_warmup_mb']:.0f} MB)"
        )
    base = rows[0]
    for r in rows:
        r["time_vs_smallest"] = r["us_per_customer"] / base["us_per_customer"]
        r["time_vs_smallest_of_minima"] = r["us_per_customer_min"] / base["us_per_customer_min"]
        r["cpu_vs_smallest"] = r["cpu_us_per_customer"] / base["cpu_us_per_customer"]
        if base["bytes_per_customer"] > 0:
            r["memory_vs_smallest"] = r["bytes_per_customer"] / base["bytes_per_customer"]
        else:
            r["memory_vs_smallest"] = None
            r["memory_vs_smallest_note"] = (
                f"not computed: the smallest size's bytes per customer is "
                f"{base['bytes_per_customer']:.0f} (its peak did not rise above the RSS after "
                "the warm-up run)"
            )
    return {
        "rows": rows,
        "rss_source": RSS_SOURCE,
        "note": "each run in a fresh process: a 1-day warm-up run (imports, caches), then the "
        "measured simhall.run; wall (perf_counter) and CPU (process_time) time of the measured "
        "run per customer, median and minimum over the runs; bytes per customer = (own peak "
        "RSS (VmHWM, reset after the warm-up) - RSS (VmRSS) after the warm-up and after "
        "malloc_trim(0) has returned the warm-up's freed memory) / customers",
    }


def child_scaling(days: int, seed: int) -> dict[str, Any]:
    """``simhall.run`` of the network over ``days`` days: time and peak RSS per customer."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import network

    from simhall.experiment import run

    scenario = network.scenario(days)
    run(network.scenario(1), days=1, warmup_days=0, drain_days=1, reps=1)  # imports, warm
    # the warm-up's freed memory back to the system: a small run would otherwise reuse it
    # without its RSS growing (13,000 customers: 665 bytes each with it, 940 without)
    trimmed = _return_free_memory()
    rss0 = current_rss_mb()
    # without the reset the peak would still hold the warm-up run's high water
    reset = _reset_peak_rss()
    c0 = time.process_time()
    t0 = time.perf_counter()
    result = run(scenario, days=days, warmup_days=0, drain_days=1, reps=1, seed=seed)
    t = time.perf_counter() - t0
    cpu = time.process_time() - c0
    peak = own_peak_rss_mb()
    n = len(result.cases)
    return {
        "customers": n,
        "wall_s": t,
        "cpu_s": cpu,
        "us_per_customer": 1e6 * t / n,
        "cpu_us_per_customer": 1e6 * cpu / n,
        "peak_rss_mb": peak,
        "rss_after_warmup_mb": rss0,
        "peak_reset_after_warmup": reset,
        "free_memory_returned_after_warmup": trimmed,
        "bytes_per_customer": (peak - rss0) * 2**20 / n,
        "rss_source": RSS_SOURCE,
    }


# The ``simhall`` console script (``simhall = "simhall.cli:main"`` in pyproject.toml) run as
# ``python -c``: the same ``main()`` and exit status, sys.argv[0] and sys.path[0] as the
# generated script has them, and in ``finally`` the process's own peak RSS (VmHWM, MB) as a
# JSON line to the file named by $SIMHALL_BENCH_PEAK_FILE.
_CLI_PROGRAM = """\
import sys
sys.path[0] = {bindir!r}
sys.argv = [{script!r}, *sys.argv[1:]]
try:
    from simhall.cli import main
    sys.exit(main())
finally:
    import json, os, resource
    hwm = None
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) / 1024
    except OSError:
        pass
    source = "VmHWM"
    if hwm is None:
        hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        hwm = hwm / 2**20 if sys.platform == "darwin" else hwm / 1024
        source = "ru_maxrss"
    path = os.environ.get("SIMHALL_BENCH_PEAK_FILE")
    if path:
        with open(path, "w") as f:
            f.write(json.dumps({{"peak_rss_mb": hwm, "source": source}}) + "\\n")
"""


def _run_cli(args: list[str], tmp: str) -> tuple[float, dict[str, Any]]:
    """``simhall ARGS`` in a fresh interpreter as the console script runs it: wall seconds
    (measured around the whole subprocess) and the child's own peak RSS record."""
    script = Path(sys.executable).with_name("simhall")
    program = _CLI_PROGRAM.format(bindir=str(script.parent), script=str(script))
    peak_file = Path(tmp) / "peak.json"
    env = {**os.environ, **CHILD_ENV, "SIMHALL_BENCH_PEAK_FILE": str(peak_file)}
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", program, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"simhall exited {proc.returncode}:\n{proc.stderr.decode()[-2000:]}")
    return wall, json.loads(peak_file.read_text())


def bench_hall_year_cli(quick: bool, repeat: int) -> dict[str, Any]:
    """``simhall run baseline --days 365 --reps 1`` in a fresh process: wall s, own peak RSS."""
    days = 90 if quick else 365
    walls, rss = [], []
    peak: dict[str, Any] = {}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            args = ["run", str(BASELINE), "--days", str(days), "--reps", "1"]
            wall, peak = _run_cli([*args, "--quiet", "--out", f"{tmp}/out"], tmp)
            walls.append(wall)
            rss.append(peak["peak_rss_mb"])
        print(f"  {days} days: {walls[-1]:.2f} s, own peak RSS {rss[-1]:.0f} MB")
    return {
        "command": f"simhall run {BASELINE.relative_to(ROOT)} --days {days} --reps 1 --quiet",
        **_spread("wall_s", walls),
        **_spread("peak_rss_mb", rss, max, digits=1),
        "rss_source": "VmHWM" if peak.get("source") == "VmHWM" else RSS_SOURCE,
        "note": "fresh interpreter running simhall.cli.main() as the simhall console script "
        "does (interpreter start and imports included; wall time measured by the parent around "
        "the whole subprocess); peak RSS is the child's own (VmHWM of /proc/self/status, read "
        "when main() returns), median of the runs (largest and all recorded)",
    }


# ----------------------------------------------------------------------- parallel
def _speedup(times: dict[int, list[float]]) -> dict[str, Any]:
    """Medians, all runs and the speedups of 1 against 2 workers, for ``results.json``."""
    t1, t2 = _median(times[1]), _median(times[2])
    return {
        "workers_1_s": t1,
        "workers_2_s": t2,
        "workers_1_all": [round(x, 2) for x in times[1]],
        "workers_2_all": [round(x, 2) for x in times[2]],
        "speedup": t1 / t2,
        "speedup_of_minima": min(times[1]) / min(times[2]),
    }


def bench_parallel(quick: bool, repeat: int) -> dict[str, Any]:
    """``run`` with workers=1 and workers=2 (interleaved); frames must be identical."""
    import pandas as pd

    from simhall.experiment import run

    days, reps = (30, 4) if quick else (120, 4)
    times: dict[int, list[float]] = {1: [], 2: []}
    first: dict[int, Any] = {}
    for _ in range(repeat):
        for w in (1, 2):
            t0 = time.perf_counter()
            result = run(BASELINE, days=days, reps=reps, workers=w, show_progress=False)
            times[w].append(time.perf_counter() - t0)
            first.setdefault(w, result)
            print(f"  workers={w}: {times[w][-1]:.1f} s")
    a, b = first[1], first[2]
    for name in ("events", "cases", "stations", "summary"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert a.events.shape[0] > 0
    return {
        "scenario": str(BASELINE.relative_to(ROOT)),
        "days": days,
        "reps": reps,
        **_speedup(times),
        "frames_identical": True,
        "event_rows": int(a.events.shape[0]),
        "repetitions": repeat,
        "note": "wall time of simhall.experiment.run (local worker pool "
        "(simhall.executors.local_pool); its fork server starts in the first workers=2 run "
        "only, later pools of this process reuse it)",
    }


def bench_parallel_cli(quick: bool, repeat: int) -> dict[str, Any]:
    """``simhall run baseline --workers 1`` and ``--workers 2`` as commands (interleaved,
    fresh processes: the workers' start-up included); the written tables must be equal."""
    import pandas as pd

    days, reps = (30, 4) if quick else (120, 4)
    times: dict[int, list[float]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as keep:
        for k in range(repeat):
            for w in (1, 2):
                out = Path(keep) / f"w{w}-{k}"
                args = ["run", str(BASELINE), "--days", str(days), "--reps", str(reps)]
                args += ["--workers", str(w), "--quiet", "--out", str(out)]
                wall, _peak = _run_cli(args, keep)
                times[w].append(wall)
                print(f"  simhall run --workers {w}: {wall:.1f} s")
        a, b = Path(keep) / "w1-0", Path(keep) / "w2-0"
        for name in ("log.parquet", "cases.parquet"):
            pd.testing.assert_frame_equal(pd.read_parquet(a / name), pd.read_parquet(b / name))
        for name in ("summary.csv", "items.csv", "departments.csv", "hall.csv"):
            if (a / name).read_bytes() != (b / name).read_bytes():
                raise AssertionError(f"{name} differs between --workers 1 and --workers 2")
    return {
        "command": f"simhall run {BASELINE.relative_to(ROOT)} --days {days} --reps {reps} "
        "--workers W --quiet",
        **_speedup(times),
        "outputs_identical": True,
        "repetitions": repeat,
        "note": "fresh interpreter per command (imports, the fork server's start, writing "
        "and printing included); log, cases and the summary tables compared",
    }


# ------------------------------------------------------------- external scripts
def bench_script(name: str) -> dict[str, Any]:
    """Run ``benchmarks/bench_<name>.py`` and keep its printed line."""
    script = Path(__file__).resolve().parent / f"bench_{name}.py"
    if not script.exists():
        return {"skipped": f"{script.relative_to(ROOT)} does not exist"}
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        env={**os.environ, **CHILD_ENV},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    mine = [ln for ln in lines if ln.startswith(f"bench_{name}")]
    line = (mine or lines or [""])[-1]
    out = {
        "script": str(script.relative_to(ROOT)),
        "returncode": proc.returncode,
        "line": line,
        "wall_s": time.perf_counter() - t0,
    }
    if proc.returncode != 0:
        out["stderr_tail"] = proc.stderr[-2000:]
    print(f"  {line or proc.stderr[-500:]}")
    return out


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="simhall benchmarks (see module docstring)")
    parser.add_argument(
        "--quick", action="store_true", help="short horizons, 1 repetition, no 1.25x demand run"
    )
    parser.add_argument(
        "--only", choices=BENCHMARKS, action="append", help="run only this benchmark (repeatable)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    parser.add_argument(
        "--repeat", type=int, default=None, help="repetitions per measurement (default 3; quick 1)"
    )
    parser.add_argument(
        "--max-load",
        type=float,
        default=1.5,
        help="wait for the 1-min load average to drop below this",
    )
    parser.add_argument(
        "--max-wait",
        type=float,
        default=120.0,
        help="longest wait for low load before each benchmark (s)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="only cProfile one hall-year replication (writes benchmarks/profile_hall_year.txt)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--days", type=int, default=365, help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=float, default=1.0, help=argparse.SUPPRESS)
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child == "hall_year":
        print(json.dumps(child_hall_year(args.days, args.scale)))
        return 0
    if args.child == "network":
        print(json.dumps(child_network(args.engine, args.days, args.seed)))
        return 0
    if args.child == "scaling":
        print(json.dumps(child_scaling(args.days, args.seed)))
        return 0
    if args.child == "per_case":
        print(json.dumps(child_per_case(args.engine, args.days, args.seed)))
        return 0
    if args.profile:
        path = ROOT / "benchmarks" / "profile_hall_year.txt"
        res = child_hall_year(args.days, args.scale, profile=path)
        print(f"profile written to {path.relative_to(ROOT)}: " + _fmt(res, ["sim_s", "frames_s"]))
        return 0

    selected = args.only or list(BENCHMARKS)
    bytecode = cache_bytecode()
    # compile once, outside any measurement: a tiny network run through the command, and
    # a few days of the Huainan hall (its sessions, couriers and catalogue)
    _run_child(["network", "--engine", "cli", "--days", "1", "--seed", "1"])
    _run_child(["hall_year", "--days", "25"])
    base_repeat = args.repeat or (1 if args.quick else 3)
    results: dict[str, Any] = {}
    if args.only and args.out.exists():  # update the named entries, keep the others
        try:
            results = json.loads(args.out.read_text()).get("benchmarks", {})
        except (OSError, ValueError):
            results = {}
    machine = machine_info()
    machine["bytecode"] = bytecode
    print(
        f"machine: {machine['cpu_count']} CPUs ({machine['cpu_model']}), Python "
        f"{machine['python']}, numpy {machine['numpy']}, simpy {machine['simpy']}, "
        f"ciw {machine['ciw']}, load {machine['loadavg']}"
    )
    for name in selected:
        load = wait_for_low_load(args.max_load, args.max_wait)
        print(f"{name} (load {load['loadavg_before']}, waited {load['waited_s']} s)")
        t0 = time.perf_counter()
        if name == "hall_year":
            res = bench_hall_year(args.quick, base_repeat)
        elif name == "network":
            res = bench_network(args.quick, base_repeat)
        elif name == "scaling":
            res = bench_scaling(args.quick, base_repeat)
        elif name == "hall_year_cli":
            res = bench_hall_year_cli(args.quick, base_repeat)
        elif name == "per_case_vs_simpy":
            res = bench_per_case(args.quick, base_repeat)
        elif name == "parallel":
            res = bench_parallel(args.quick, args.repeat or (1 if args.quick else 3))
        elif name == "parallel_cli":
            res = bench_parallel_cli(args.quick, args.repeat or (1 if args.quick else 3))
        elif name == "instructions":
            res = bench_instructions(args.quick)
        else:
            res = bench_script(name)
        res.update(load)
        res["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
        res["bench_wall_s"] = time.perf_counter() - t0
        res["quick"] = args.quick
        res["machine"] = machine_info()
        results[name] = res
    payload = {"machine": machine, "benchmarks": results}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    tmp.replace(args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
