"""Errors that reach the user as a message, never as a traceback.

Like the hall's complaints desk, every problem with what a user handed in is written down
with where it was found and what was expected; the command line turns these exceptions into
a message on standard error and exit status 2 (:data:`EXIT_USAGE`).

* :class:`UsageError`: a problem with the command's input (a missing file, options that do
  not go together, a log with nothing usable in it).
* :class:`simhall.scenario.ScenarioError`: every problem found in a scenario file at once,
  each with its file and key path (defined with the scenario checks).
"""

from __future__ import annotations

EXIT_USAGE = 2
"""Exit status of a command stopped by bad input."""

EXIT_INTERRUPTED = 130
"""Exit status of a command stopped by Ctrl-C (128 + SIGINT)."""


EXIT_BROKEN_PIPE = 141
"""Exit status when the output's reader went away (128 + SIGPIPE), as other tools do."""


class UsageError(Exception):
    """A problem with the user's input, reported without a traceback (exit status 2)."""
