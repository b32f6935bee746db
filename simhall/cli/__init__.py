"""The ``simhall`` command line: one module per sub-command, option groups in
:mod:`simhall.cli.options`, the parser and the error handling in :mod:`simhall.cli.app`."""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``simhall`` (see :func:`simhall.cli.app.main`).

    The sub-commands and the libraries they need are imported here, inside the handler of
    Ctrl-C, so that an interrupt even during start-up ends quietly with exit status 130.
    """
    from simhall.errors import EXIT_INTERRUPTED

    try:
        from simhall.cli.app import main as run_main

        return run_main(argv)
    except KeyboardInterrupt:
        print("simhall: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
