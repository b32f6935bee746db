"""Who runs the work: this process, local worker processes, or a Dask cluster.

A hall director who has more files than clerks sends the overflow to a sister office
across town; the files and the rules for handling them are the same, so the results are
the same, only who stamps them differs. simhall's replications and sweep variants are such
files: each carries its own seed (:mod:`simhall.streams`), so any
:class:`concurrent.futures.Executor` gives bit-identical results.

:func:`command_executor` turns the ``--workers N`` / ``--scheduler tcp://HOST:PORT``
options into an executor for the length of one command: ``None`` (the caller works in this
process, or starts its own local pool), a local process pool (:func:`local_pool`), or the
executor of a :class:`distributed.Client` connected to a running Dask scheduler (the
optional extra ``pip install 'simhall[dask]'``; see ``docs/dask.md``). A missing extra or
a scheduler that does not answer within :data:`CONNECT_TIMEOUT_S` ends with a clear
message and exit status 2.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import select
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from simhall import interrupts
from simhall.errors import UsageError

__all__ = [
    "CONNECT_TIMEOUT_S",
    "DASK_EXTRA",
    "LocalPool",
    "command_executor",
    "dask_executor",
    "end_with",
    "local_pool",
    "scheduler_address",
    "start_worker_server",
    "workers_in_argv",
]

CONNECT_TIMEOUT_S = 10.0
"""Seconds to wait for a Dask scheduler to answer before giving up."""

DASK_EXTRA = "pip install 'simhall[dask]'"
"""How to install what ``--scheduler`` needs."""

_ADDRESS = re.compile(r"^(tcp|tls|ws|wss|ucx)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$")


def scheduler_address(text: str) -> str:
    """argparse type: a Dask scheduler address ``tcp://HOST:PORT`` (also ``tls://``, ...)."""
    match = _ADDRESS.match(text.strip())
    if match is None or not 0 < int(match.group(3)) < 65536:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected a scheduler address tcp://HOST:PORT (e.g. tcp://10.0.0.5:8786)"
        )
    return text.strip()


def _worker_context() -> multiprocessing.context.BaseContext:
    """A fork server that has imported simhall already (fast start, no inherited threads);
    it ignores Ctrl-C from its first import on (:mod:`simhall.worker_server`)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["simhall.worker_server", "simhall.experiment"])
        return ctx
    return multiprocessing.get_context("spawn")


def _option_in_argv(argv: list[str], name: str) -> str | None:
    """The value of the last ``--name VALUE`` or ``--name=VALUE`` before any ``--``."""
    value = None
    for k, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == name and k + 1 < len(argv):
            value = argv[k + 1]
        elif arg.startswith(name + "="):
            value = arg.partition("=")[2]
    return value


def _int_or(text: str | None, default: int) -> int:
    try:
        return default if text is None else int(text)
    except ValueError:
        return default  # the parser reports it


def workers_in_argv(argv: list[str]) -> int:
    """The ``--workers N`` of a command line (1 when absent or not a number), read before
    the command is parsed, so that :func:`start_worker_server` can begin at once.

    ``simhall run ... --reps 1`` and ``simhall compare ... --reps 1`` count as 1 whatever
    their ``--workers``: one replication runs in the command's own process
    (:func:`simhall.experiment.iterate_replications`; a comparison runs its scenarios one
    after the other), so a fork server would start for nothing.
    """
    workers = _int_or(_option_in_argv(argv, "--workers"), 1)
    one_by_one = argv[:1] in (["run"], ["compare"])
    if one_by_one and _int_or(_option_in_argv(argv, "--reps"), 2) <= 1:
        return 1
    return workers


def start_worker_server() -> None:
    """Start the fork server of :func:`local_pool` now, without waiting for its imports.

    A command given ``--workers N`` calls this first: the server imports simhall and pandas
    while the command does the same, instead of after it. :func:`local_pool` starts it the
    same way when it is not running yet.

    The server is a child in the command's process group, so a Ctrl-C at the terminal
    reaches it too; it must ignore it from its first instruction, or it dies with a
    traceback of its own while Python starts. SIGINT is therefore blocked while it is
    spawned (a blocked signal stays blocked across ``exec``) and :mod:`simhall.worker_server`,
    its first import, ignores it and unblocks it. In this process a Ctrl-C meanwhile waits
    until the server has been spawned (:func:`simhall.interrupts.deferred`).
    """
    ctx = _worker_context()
    if ctx.get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver, resource_tracker

    with interrupts.deferred():
        # the tracker first: it unblocks SIGINT after spawning its own process
        resource_tracker.ensure_running()
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # POSIX, as fork servers
        try:
            forkserver.ensure_running()
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def end_with(pid: int) -> None:
    """End this process (a worker) as soon as the process ``pid`` (its command) has ended.

    A command killed outright (``kill -9``, a notebook kernel restarted) cannot shut its
    pool down, and the workers would wait for work forever: each holds the read and the
    write end of the pool's task queue, so it never sees the end of it, and the fork
    server stays up while they do. A thread of the worker waits for the command's end
    (a ``pidfd`` on Linux; elsewhere it looks once a second) and ends the worker at once:
    what it was computing has nobody to go to. The shared memory of results it had
    handed over (:mod:`simhall.handover`) is freed by multiprocessing's resource tracker
    when the last of these processes has ended.
    """

    def watch() -> None:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            os._exit(1)
        except (AttributeError, OSError):  # not Linux 5.3+: look now and then
            while True:
                time.sleep(1.0)
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    os._exit(1)
                except PermissionError:
                    pass
        select.select([fd], [], [])  # readable when the process has ended
        os._exit(1)

    threading.Thread(target=watch, name="simhall-end-with-command", daemon=True).start()


def _worker_start(started: Any, command_pid: int) -> None:
    """Initializer of the workers of :func:`local_pool`."""
    end_with(command_pid)
    interrupts.worker_start(started)


class LocalPool(ProcessPoolExecutor):
    """The worker processes of :func:`local_pool`.

    Its workers come from simhall's fork server and share this process's resource tracker,
    so they may hand their results over in shared memory (:mod:`simhall.handover`): a block
    one of them made and this process freed is forgotten by the one tracker that knew it.
    A pool made by the caller may give each worker a tracker of its own, which would warn
    of such blocks as leaked when the worker ends; its results go down the pipe.
    """


@contextmanager
def local_pool(workers: int) -> Iterator[Executor]:
    """``workers`` local worker processes, all started before the block, shut down after.

    Workers leave Ctrl-C to this process (:func:`simhall.interrupts.worker_start`); an
    interrupt while they start waits until all of them run. They end when this process
    ends, even when it is killed without a chance to shut them down (:func:`end_with`).
    """
    start_worker_server()
    with interrupts.deferred():
        ctx = _worker_context()
        started = ctx.Barrier(workers)
        pool = LocalPool(
            max_workers=workers,
            mp_context=ctx,
            initializer=_worker_start,
            initargs=(started, os.getpid()),
        )
        for ready in [pool.submit(os.getpid) for _ in range(workers)]:
            ready.result()
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


@contextmanager
def dask_executor(address: str, timeout_s: float | None = None) -> Iterator[Executor]:
    """The executor of a Dask client connected to the scheduler at ``address``.

    Parameters
    ----------
    address : str
        ``tcp://HOST:PORT`` of a running scheduler (``dask scheduler``, dask-jobqueue).
    timeout_s : float, optional
        Seconds to wait for the scheduler (default :data:`CONNECT_TIMEOUT_S`).

    Raises
    ------
    UsageError
        If dask/distributed is not installed or no scheduler answers in time.
    """
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(
            f"--scheduler {address}: running on a Dask cluster needs the optional packages "
            f"dask and distributed, which are not installed; install them with: {DASK_EXTRA}"
        ) from None
    wait = CONNECT_TIMEOUT_S if timeout_s is None else timeout_s
    try:
        client = Client(address, timeout=wait, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise UsageError(
            f"--scheduler {address}: no Dask scheduler answered within {wait:g} s ({exc}); "
            "expected a running scheduler (start one with `dask scheduler` and workers with "
            "`dask worker tcp://HOST:PORT`; see docs/dask.md)"
        ) from None
    try:
        yield client.get_executor()
    finally:
        client.close()


@contextmanager
def command_executor(
    workers: int = 1, scheduler: str | None = None, *, local: bool = False
) -> Iterator[Executor | None]:
    """The executor of one command given ``--workers`` and ``--scheduler``.

    Parameters
    ----------
    workers : int
        Local worker processes (``--workers``).
    scheduler : str, optional
        Address of a Dask scheduler (``--scheduler``); not together with ``workers > 1``.
    local : bool
        With ``workers > 1`` and no scheduler, start a local pool here (for commands that
        submit work themselves, like ``sweep``); otherwise yield ``None`` and let
        :func:`simhall.run` start its pool for ``workers``.

    Yields
    ------
    concurrent.futures.Executor or None
        ``None``: work in this process (or :func:`simhall.run`'s own pool).

    Raises
    ------
    UsageError
        For both options at once, a missing Dask extra or an unreachable scheduler.
    """
    if scheduler is not None:
        if workers > 1:
            raise UsageError(
                f"--workers {workers} and --scheduler {scheduler}: give one of them (the "
                "cluster's workers run the work; start more with `dask worker`)"
            )
        with dask_executor(scheduler) as executor:
            yield executor
    elif local and workers > 1:
        with local_pool(workers) as pool:
            yield pool
    else:
        yield None
