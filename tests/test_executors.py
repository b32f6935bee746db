"""The local worker pool: ``--workers`` read ahead of the parser, the fork server's start, the
workers' end with their command."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from simhall.executors import workers_in_argv


@pytest.mark.parametrize(
    ("argv", "workers"),
    [
        (["run", "s.toml"], 1),
        (["run", "s.toml", "--workers", "2"], 2),
        (["compare", "s.toml", "o.toml", "--workers=3"], 3),
        (["run", "s.toml", "--workers"], 1),  # the parser reports the missing value
        (["run", "s.toml", "--workers", "two"], 1),
        (["run", "--", "--workers", "4"], 1),  # after "--": not an option
        (["run", "s.toml", "--workers", "4", "--workers", "1"], 1),  # the last one counts
        (["run", "s.toml", "--workers", "2", "--reps", "1"], 1),  # one replication: no pool
        (["run", "s.toml", "--workers", "2", "--reps=3"], 2),
        (["compare", "a.toml", "b.toml", "--workers", "2", "--reps", "1"], 1),  # one by one
        (["compare", "a.toml", "b.toml", "--workers", "2"], 2),
    ],
)
def test_workers_in_argv(argv: list[str], workers: int) -> None:
    assert workers_in_argv(argv) == workers


def test_the_fork_server_ignores_ctrl_c_from_its_first_import() -> None:
    """The server is spawned with SIGINT blocked; its first import ignores it, then unblocks
    it: a Ctrl-C sent to it at once neither kills it nor prints anything."""
    program = """
import os, signal, sys, time
from multiprocessing import forkserver
from simhall.executors import _worker_context, start_worker_server
ctx = _worker_context()
start_worker_server()
pid = forkserver._forkserver._forkserver_pid
os.kill(pid, signal.SIGINT)  # while it still imports simhall and pandas
child = ctx.Process(target=time.sleep, args=(0,))
child.start(); child.join()  # the server forks a process after the interrupt
print(child.exitcode, signal.pthread_sigmask(signal.SIG_BLOCK, []) == set())
"""
    env = {**os.environ, "SIMHALL_PROGRESS": "0"}
    out = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr, out.stderr
    assert out.stdout.split() == ["0", "True"]  # and this process has SIGINT unblocked again


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie waiting to be reaped has ended)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_workers_end_when_their_command_is_killed() -> None:
    """A command killed with SIGKILL (a notebook kernel restarted) cannot shut its pool
    down; its workers and the fork server must end by themselves, not wait forever."""
    program = """
import os, sys, time
from multiprocessing import forkserver
from simhall.executors import local_pool

if __name__ == "__main__":
    with local_pool(2) as pool:
        pids = {pool.submit(os.getpid).result() for _ in range(8)}
        print(*pids, forkserver._forkserver._forkserver_pid, flush=True)
        time.sleep(60)
"""
    proc = subprocess.Popen(
        [sys.executable, "-c", program], stdout=subprocess.PIPE, text=True, cwd=os.getcwd()
    )
    assert proc.stdout is not None
    pids = [int(p) for p in proc.stdout.readline().split()]
    assert len(pids) == 3 and all(_running(p) for p in pids)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 20
    while any(_running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in pids if _running(p)]
