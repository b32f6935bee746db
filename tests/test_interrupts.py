"""Ctrl-C held over critical sections (:mod:`simhall.interrupts`), in fresh interpreters.

Each check runs in its own process: it sends itself SIGINT, and the state of the signal
machinery (handlers, masks, the libraries' threads) must be that of a real command.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

needs_posix_signals = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")


def _run(program: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(program)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


_HELD = """
    import os, signal, time
    if {threads}:
        import pyarrow.parquet, pandas  # their native threads leave SIGINT unmasked
        if os.path.isdir("/proc/self/task"):
            assert len(os.listdir("/proc/self/task")) > 1, "expected the libraries' threads"
    from simhall import interrupts

    cut_short = lost = 0
    for _ in range(10):
        state = "before"
        try:
            with interrupts.deferred():
                with interrupts.deferred():  # blocks nest
                    os.kill(os.getpid(), signal.SIGINT)
                    time.sleep(0.01)
                    state = "inner done"
                time.sleep(0.01)
                state = "done"
            time.sleep(0.01)  # Python raises a pending interrupt at a call like this one
            lost += 1
        except KeyboardInterrupt:
            cut_short += state != "done"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    print(cut_short, lost)
"""


@needs_posix_signals
@pytest.mark.parametrize("threads", [False, True], ids=["alone", "with-pandas-threads"])
def test_deferred_holds_ctrl_c_to_the_end_of_the_block_and_then_delivers_it(
    threads: bool,
) -> None:
    # with pandas and pyarrow loaded, masking SIGINT alone let it through at once
    assert _run(_HELD.format(threads=threads)) == "0 0"
