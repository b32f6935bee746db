"""The ``simhall`` command line.

``simhall run SCENARIO`` simulates a hall and writes its event log, case table and summary;
the other sub-commands (calibrate, validate, synth, compare, sweep, study) hang off the same parser,
one module each in this package. Bad input (a scenario with a typo, a date the holiday table
does not cover, a missing file) ends with a message naming the file, key and value and exit
status 2, never a traceback; ``SIMHALL_DEBUG=1`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from simhall.cli import (
    calibrate,
    compare,
    report,
    run,
    scorecard,
    size,
    study,
    sweep,
    synth,
    validate,
)
from simhall.errors import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, EXIT_USAGE, UsageError

__all__ = ["build_parser", "main"]

COMMANDS = (run, calibrate, validate, synth, compare, sweep, size, scorecard, study, report)
"""The sub-command modules, in the order ``simhall --help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``simhall`` and its sub-commands."""
    parser = argparse.ArgumentParser(
        prog="simhall",
        description="Simulate government service halls under working-day time limits.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (2 for bad input, without a traceback)."""
    from simhall.calendar import CalendarError
    from simhall.scenario import ScenarioError

    parser = build_parser()
    args = parser.parse_args(argv)
    _set_figure_language(args)
    if os.environ.get("SIMHALL_DEBUG"):
        return int(args.func(args))
    try:
        status = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, inside the handlers below
        return status
    except ScenarioError as exc:
        print(f"simhall: invalid {exc.what}\n{exc}", file=sys.stderr)
    except CalendarError as exc:
        print(f"simhall: calendar: {exc}", file=sys.stderr)
    except (UsageError, ValueError) as exc:
        print(f"simhall: {exc}", file=sys.stderr)
    except FileNotFoundError as exc:
        print(f"simhall: file not found: {exc.filename or exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("simhall: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader of our output went away (``simhall ... | head``): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return EXIT_USAGE


def _set_figure_language(args: argparse.Namespace) -> None:
    """Label figures in the language of ``--lang``, on the commands that have it."""
    if getattr(args, "lang", None):
        from simhall.reporting.labels import set_language

        set_language(args.lang)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
