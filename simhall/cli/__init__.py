"""The ``simhall`` command line: one module per sub-command, option groups in
:mod:`simhall.cli.options`, the parser and the error handling in :mod:`simhall.cli.app`."""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``simhall`` (see :func:`simhall.cli.app.main`).

    The sub-commands and the libraries they need are imported here, inside the handler of
    Ctrl-C, so that an interrupt even during start-up ends quietly with exit status 130.
    (Only an interrupt while the interpreter itself starts, before this package is
    imported, shows Python's own message: no program can catch it.)

    A command given ``--workers N`` starts its workers' fork server first
    (:func:`simhall.executors.start_worker_server`), so that the server's imports and this
    process's run side by side.
    """
    try:
        from simhall.executors import start_worker_server, workers_in_argv

        if workers_in_argv(list(sys.argv[1:] if argv is None else argv)) > 1:
            start_worker_server()
        from simhall.cli.app import main as run_main

        return run_main(argv)
    except KeyboardInterrupt:
        from simhall.errors import EXIT_INTERRUPTED

        print("simhall: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
