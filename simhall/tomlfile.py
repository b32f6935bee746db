"""Reading the small TOML files a planner writes: one rule for what "unreadable" means.

A hall keeps its standing instructions (column mappings, tolerances, scorecard weights,
sweep grids) on sheets in a binder; before following one the clerk checks that the sheet is
there, legible, and in the house format. :func:`read_toml` is that check, shared by every
reader so that a missing file, a file that is not UTF-8 text and a file that is not TOML
all give the same kind of message: the file, what was wrong, and what was expected.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

__all__ = ["TomlFileError", "read_toml"]


class TomlFileError(ValueError):
    """A TOML file that cannot be read: missing, not UTF-8 text, or not valid TOML.

    Attributes
    ----------
    path : pathlib.Path
        The file.
    what : str
        What the file was meant to be (``"mapping file"``, ``"grid file"``...).
    reason : str
        What went wrong, e.g. ``"not valid TOML: Invalid value (at line 1, column 5)"``.
    """

    def __init__(self, path: Path, what: str, reason: str) -> None:
        self.path, self.what, self.reason = path, what, reason
        super().__init__(f"{path}: cannot read {what}: {reason}")

    @property
    def expected(self) -> str:
        """The expectation, for problem collectors (``"a UTF-8 TOML grid file (...)"``)."""
        return f"a UTF-8 TOML {self.what} ({self.reason})"


def read_toml(path: str | os.PathLike[str], what: str = "TOML file") -> dict[str, Any]:
    """The table of a UTF-8 TOML file (a byte-order mark is allowed, as Excel writes one).

    Parameters
    ----------
    path : path-like
        The file.
    what : str
        What the file is, for the message (``"tolerances file"``).

    Raises
    ------
    TomlFileError
        If the file is missing, is a folder, is not UTF-8 text or is not valid TOML.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TomlFileError(p, what, "no such file") from None
    except IsADirectoryError:
        raise TomlFileError(p, what, "a folder, not a file") from None
    except UnicodeDecodeError as exc:
        raise TomlFileError(p, what, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise TomlFileError(p, what, exc.strerror or str(exc)) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlFileError(p, what, f"not valid TOML: {exc}") from None
