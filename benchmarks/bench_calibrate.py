"""Benchmark: calibrate a scenario from a one-million-event log (target < 60 s, < 2 GB).

Like timing a clerk on a full year's register rather than on a sample page, this builds a
large log by simulating ``scenarios/examples/small_hall.toml`` for half a year and stacking
copies of it (each copy with its own case ids), then times :func:`simhall.calibration.calibrate`
and, as ``simhall calibrate`` runs it, the self-check
(:func:`simhall.calibration.selfcheck.check_calibration`: the scenario simulated over its own
period, 2 replications on ``--workers`` processes (default 2, the machine's cores), up to 2
correction rounds; a log this large is checked on a sample of its weeks,
:mod:`simhall.calibration.checkperiod`). It prints one line with the seconds of each, the
load average and the peak memory: the peak resident set size of the process (which includes
building the log; tracemalloc is not used, it would slow the simulation down) and the peak of
the resident sizes of the process and its worker processes together (sampled every 0.2 s with
psutil), and the period the self-check scored.

Run: ``python benchmarks/bench_calibrate.py [--events 1000000] [--workers 2] [--no-check]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import threading
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def build_log(n_events: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A log of about ``n_events`` events and its items catalogue."""
    from simhall.experiment import run
    from simhall.scenario import load_scenario

    scenario = load_scenario(ROOT / "scenarios" / "examples" / "small_hall.toml")
    result = run(scenario, days=182, warmup_days=0, reps=1, show_progress=False)
    base = result.events.drop(columns="replication")
    base["case_id"] = base["case_id"].astype(str)
    copies = max(1, round(n_events / len(base)))
    parts = []
    for k in range(copies):
        part = base.copy()
        part["case_id"] = part["case_id"] + f"-{k}"
        parts.append(part)
    events = pd.concat(parts, ignore_index=True)
    for col in ("item_id", "activity", "resource"):
        events[col] = events[col].astype("category")
    items = pd.DataFrame(
        {
            "item_id": [i.id for i in scenario.items],
            "department": [i.department for i in scenario.items],
            "kind": [i.kind for i in scenario.items],
            "committed_days": [i.committed_days or 0 for i in scenario.items],
        }
    )
    return events, items


def _watch_tree_rss(stop: threading.Event, peak: list[int]) -> None:
    """Keep in ``peak[0]`` the largest sum of resident sizes of this process and its
    descendants (the self-check's worker processes) seen until ``stop`` is set (0 without
    psutil, which the notebook and Dask extras install)."""
    try:
        import psutil
    except ImportError:
        return

    me = psutil.Process()
    while not stop.is_set():
        total = 0
        for proc in [me, *me.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except psutil.Error:  # a worker that has just ended
                pass
        peak[0] = max(peak[0], total)
        stop.wait(0.2)


def main(argv: list[str] | None = None) -> int:
    """Build the log, calibrate it, print seconds and peak MB."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--no-check", action="store_true", help="skip the self-check")
    parser.add_argument("--workers", type=int, default=2, help="self-check worker processes")
    args = parser.parse_args(argv)
    from simhall.calibration import calibrate
    from simhall.calibration.selfcheck import check_calibration

    events, items = build_log(args.events)
    rss_log = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load_before = os.getloadavg()[0]
    stop, tree_peak = threading.Event(), [0]
    watcher = threading.Thread(target=_watch_tree_rss, args=(stop, tree_peak), daemon=True)
    watcher.start()
    t0 = time.perf_counter()
    cal = calibrate(events, items, source="bench")
    t1 = time.perf_counter()
    if not args.no_check:
        cal = check_calibration(cal, events, reps=2, seed=0, max_rounds=2, workers=args.workers)
    t2 = time.perf_counter()
    text = cal.to_toml()
    report = cal.report()
    t3 = time.perf_counter()
    stop.set()
    watcher.join()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    fc = cal.fit_check
    rounds = fc.rounds if fc is not None else 0
    print(
        f"calibrate: {len(events)} events, {cal.n_cases} cases: calibration "
        f"{t1 - t0:.1f} s, self-check {t2 - t1:.1f} s ({rounds} simulation round(s), "
        f"{args.workers} worker(s)), writing {t3 - t2:.1f} s, total {t3 - t0:.1f} s; peak RSS "
        f"{rss_mb:.0f} MB (after building the log {rss_log:.0f} MB), with the workers "
        + (f"{tree_peak[0] / 2**20:.0f} MB" if tree_peak[0] else "n/a (no psutil)")
        + f"; scenario {len(text)} "
        f"chars, report {len(report)} chars; 1-minute load {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after"
    )
    if fc is not None and fc.period is not None:
        print(f"self-check {fc.verdict}; scored: {fc.period.describe()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
