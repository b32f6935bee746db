"""Benchmark: read and clean a synthetic one-million-event case log (CSV).

Like timing how long a clerk needs to copy a year's register of a busy hall, this script
writes a synthetic CSV export (200,000 cases x 5 steps, with two personal-data columns that
the reader must skip), then reads it with :func:`simhall.logs.read_event_log` in a fresh
process and prints one line with the wall time and the peak resident memory of that process.

Usage::

    .venv/bin/python benchmarks/bench_log_read.py [--events 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ACTIVITIES = ("accept", "review", "approve", "sign", "deliver")


def make_log(path: Path, n_events: int, seed: int = 1) -> None:
    """Write a synthetic event log CSV with ``n_events`` rows.

    Parameters
    ----------
    path : Path
        Destination ``.csv``.
    n_events : int
        Number of events (rounded down to a multiple of the 5 steps per case).
    seed : int, default 1
        Random seed.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    steps = len(ACTIVITIES)
    n_cases = n_events // steps
    case = np.repeat(np.arange(n_cases), steps)
    step = np.tile(np.arange(steps), n_cases)
    base = pd.Timestamp("2023-01-02 08:30").value
    arrival = base + rng.integers(0, 365 * 86400, n_cases) * 10**9
    offsets = np.cumsum(rng.exponential(3600.0, (n_cases, steps)), axis=1).ravel()
    start = np.repeat(arrival, steps) + (offsets * 1e9).astype(np.int64)
    end = start + (rng.exponential(600.0, case.size) * 1e9).astype(np.int64)
    ready = start - (rng.exponential(900.0, case.size) * 1e9).astype(np.int64)
    fmt = "%Y-%m-%d %H:%M:%S"
    frame = pd.DataFrame(
        {
            "case_id": np.char.add("BJ2023", np.char.zfill(case.astype(str), 8)),
            "item_id": np.char.add("11010", rng.integers(0, 300, n_cases).astype(str))[case],
            "activity": np.asarray(ACTIVITIES)[step],
            "resource": np.char.add("staff", rng.integers(0, 200, case.size).astype(str)),
            "ready": pd.to_datetime(ready).strftime(fmt),
            "start": pd.to_datetime(start).strftime(fmt),
            "end": pd.to_datetime(end).strftime(fmt),
            "申请人姓名": "张三",
            "联系电话": "13800138000",
        }
    )
    frame.to_csv(path, index=False)


def run_read(path: Path) -> None:
    """Read and clean ``path``; print timing and peak memory (run in a fresh process)."""
    from simhall.logs import read_event_log

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    result = read_event_log(path, accept_activity="accept")
    elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"bench_log_read: {len(result.events):,} events, {result.meta['n_cases']:,} cases, "
        f"read+clean {elapsed:.1f} s, peak RSS {peak_mb:.0f} MB "
        f"(after imports {before / 1024:.0f} MB), issues {len(result.issues)}, "
        f"columns {list(result.events.columns)}"
    )


def main() -> None:
    """Generate the log, then time reading it in a subprocess."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="directory to keep the CSV in")
    parser.add_argument("--read", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--make", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make is not None:
        t0 = time.perf_counter()
        make_log(args.make, args.events)
        size = args.make.stat().st_size / 2**20
        print(f"generated {args.make.name} ({size:.0f} MB) in {time.perf_counter() - t0:.1f} s")
        return
    if args.read is not None:
        run_read(args.read)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        path = folder / f"synthetic_{args.events}.csv"
        root = Path(__file__).resolve().parents[1]
        if not path.exists():
            # Generated in its own process: peak RSS (ru_maxrss) survives exec, so the
            # reading process must not descend from one that held the synthetic frame.
            subprocess.run(
                [sys.executable, __file__, "--make", str(path), "--events", str(args.events)],
                check=True,
                cwd=root,
                env={**_env(), "PYTHONPATH": str(root)},
            )
        subprocess.run(
            [sys.executable, __file__, "--read", str(path)],
            check=True,
            cwd=root,
            env={**_env(), "PYTHONPATH": str(root)},
        )


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


if __name__ == "__main__":
    main()
