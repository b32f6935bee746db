"""The ``simhall`` command line: one module per sub-command, option groups in
:mod:`simhall.cli.options`, the parser and the error handling in :mod:`simhall.cli.main`."""

from simhall.cli.main import main

__all__ = ["main"]
