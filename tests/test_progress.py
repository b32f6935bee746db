"""Progress bars: shown on a terminal, silent off one, in CI and with SIMHALL_PROGRESS=0."""

from __future__ import annotations

import sys

import pytest

from simhall.progress import progress, progress_enabled


class _Terminal:
    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.text = ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize(
    ("tty", "env", "shown"),
    [
        (True, {}, True),
        (False, {}, False),
        (True, {"SIMHALL_PROGRESS": "0"}, False),
        (True, {"CI": "true"}, False),
        (True, {"SIMHALL_PROGRESS": "1"}, True),
    ],
)
def test_bar_only_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, tty: bool, env: dict[str, str], shown: bool
) -> None:
    for name in ("SIMHALL_PROGRESS", "CI"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    terminal = _Terminal(tty)
    monkeypatch.setattr(sys, "stderr", terminal)
    assert progress_enabled() is shown
    assert list(progress(range(3), total=3, desc="variants")) == [0, 1, 2]
    assert ("variants" in terminal.text) is shown


def test_explicit_choice_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIMHALL_PROGRESS", "0")
    assert progress_enabled(True) is True
    monkeypatch.delenv("SIMHALL_PROGRESS")
    assert progress_enabled(False) is False
