"""How every simhall figure is made and saved: one place for figure objects and files.

A figure is a bare :class:`matplotlib.figure.Figure` (no pyplot state: nothing global is
touched, nothing is left open, no backend has to be chosen) of a fixed size with a
constrained layout, so that notebook outputs and saved files regenerate identically.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from matplotlib.figure import Figure

from simhall.io import atomic_write_bytes

__all__ = ["FIGSIZE", "PNG_DPI", "new_figure", "png_bytes", "save_png"]

FIGSIZE = (8.0, 4.0)
"""Default figure size in inches."""

PNG_DPI = 100
"""Resolution of PNG files written next to reports."""


def new_figure(figsize: tuple[float, float] = FIGSIZE) -> Figure:
    """A new figure of ``figsize`` inches with a constrained layout."""
    return Figure(figsize=figsize, layout="constrained")


def png_bytes(fig: Figure, dpi: int = PNG_DPI) -> bytes:
    """The figure rendered as PNG."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def save_png(fig: Figure, path: str | os.PathLike[str], dpi: int = PNG_DPI) -> Path:
    """Render ``fig`` as PNG and write it atomically to ``path``."""
    return atomic_write_bytes(png_bytes(fig, dpi), path)
