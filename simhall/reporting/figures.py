"""How every simhall figure looks and is saved: the one style module.

Like the house style of a statistical yearbook, every chart simhall draws uses the same
fonts, text sizes and colours, and is saved the same way, so that a notebook's output, a
PNG next to a report and a PDF on a conference slide look alike and regenerate byte for
byte.

* Fonts: Latin text in DejaVu Sans (shipped with matplotlib), Chinese in Noto Sans CJK SC,
  shipped by the ``mplfonts`` package from PyPI (a simhall dependency) and registered here
  with :func:`register_cjk_font`, so 市建委 renders on a fresh machine with no system fonts.
  The two families form a fallback list: each glyph comes from the first family that has it.
* Sizes: no text smaller than :data:`MIN_FONT_PT` points at the saved size (figures are
  saved at their own size in inches, so points on the page are points in the file).
* Colours: :data:`COLOURS`, one per role (before/after, observed/simulated, ...).
* Files: :func:`figure_bytes` renders PNG, SVG or PDF without timestamps or random ids
  (:data:`SAVE_METADATA`, ``svg.hashsalt``), so the same figure gives the same bytes.

A figure is a bare :class:`matplotlib.figure.Figure` (no pyplot: nothing is left open, no
backend has to be chosen) from :func:`new_figure`. Fonts and sizes live in matplotlib's
global ``rcParams``; :func:`use_style` sets simhall's (:data:`STYLE`) and is called by
:func:`new_figure`, as a plotting theme does.
"""

from __future__ import annotations

import importlib.util
import io
import os
import warnings
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text

from simhall.io import atomic_write_bytes

__all__ = [
    "CJK_FAMILY",
    "COLOURS",
    "FIGSIZE",
    "FIGURE_FORMATS",
    "FONT_FAMILIES",
    "MIN_FONT_PT",
    "PNG_DPI",
    "PRINT_DPI",
    "SAVE_METADATA",
    "STYLE",
    "cjk_font_path",
    "figure_bytes",
    "new_figure",
    "png_bytes",
    "register_cjk_font",
    "save_figure",
    "save_png",
    "small_texts",
    "use_style",
]

FIGSIZE = (8.0, 4.0)
"""Default figure size in inches."""

PNG_DPI = 100
"""Resolution of PNG files written next to reports."""

PRINT_DPI = 300
"""Resolution of PNG files for slides and papers (``simhall report``)."""

FIGURE_FORMATS = ("pdf", "svg", "png")
"""The formats ``simhall report`` writes each figure in."""

MIN_FONT_PT = 8.0
"""The smallest text size (points at the saved size) any simhall figure uses."""

LATIN_FAMILY = "DejaVu Sans"
"""Latin text: shipped with matplotlib, so present everywhere."""

CJK_FAMILY = "Noto Sans CJK SC"
"""Chinese text: Noto Sans CJK SC (SIL Open Font License 1.1), from the ``mplfonts`` package."""

CJK_FONT_PACKAGE = "mplfonts"
CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"

FONT_FAMILIES = [LATIN_FAMILY, CJK_FAMILY]
"""Fallback list: a glyph comes from the first family that has it (Latin keeps DejaVu)."""

COLOURS: dict[str, str] = {
    "before": "#c0392b",
    "after": "#27ae60",
    "committed": "#000000",
    "recommended": "#1f77b4",
    "observed": "#000000",
    "simulated": "#e67e22",
    "reported": "#000000",
    "predicted": "#1f77b4",
    "neutral": "#7f7f7f",
    "bar": "#1f77b4",
    "bar2": "#ff7f0e",
}
"""One colour per role; figures look up the role, never a colour of their own."""

STYLE: dict[str, Any] = {
    "font.family": FONT_FAMILIES,
    "font.size": 10.0,
    "axes.titlesize": 11.0,
    "axes.labelsize": 10.0,
    "xtick.labelsize": 9.0,
    "ytick.labelsize": 9.0,
    "legend.fontsize": 9.0,
    "figure.titlesize": 12.0,
    "axes.unicode_minus": True,
    "pdf.fonttype": 42,
    "svg.fonttype": "path",
    "svg.hashsalt": "simhall",
}
"""matplotlib rcParams of simhall figures (fonts, sizes >= :data:`MIN_FONT_PT`, stable ids)."""

SAVE_METADATA: dict[str, dict[str, Any] | None] = {
    "pdf": {"CreationDate": None, "ModDate": None},
    "svg": {"Date": None},
    "png": None,
}
"""Per format, the metadata passed to ``savefig``: no creation dates in the files."""


def cjk_font_path() -> Path | None:
    """The Noto Sans CJK SC font file of the installed ``mplfonts`` package, if any.

    The package is located without being imported (its import would pull in tools simhall
    does not need).
    """
    spec = importlib.util.find_spec(CJK_FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location) / "fonts" / CJK_FONT_FILE
        if path.is_file():
            return path
    return None


_registered: list[Path] = []


def register_cjk_font() -> Path | None:
    """Add the bundled CJK font to matplotlib's font manager (once); its path.

    Without the font (``mplfonts`` not installed) a warning says so once and Chinese text
    renders as boxes; nothing else changes.
    """
    if _registered:
        return _registered[0]
    path = cjk_font_path()
    if path is None:
        warnings.warn(
            f"simhall: the font package {CJK_FONT_PACKAGE!r} is not installed; Chinese labels "
            "will show as empty boxes (pip install mplfonts)",
            stacklevel=2,
        )
        _registered.append(Path())
        return None
    font_manager.fontManager.addfont(str(path))
    _registered.append(path)
    return path


def use_style() -> None:
    """Register the CJK font and set simhall's :data:`STYLE` in matplotlib's rcParams."""
    register_cjk_font()
    matplotlib.rcParams.update(STYLE)  # type: ignore[arg-type]


def new_figure(figsize: tuple[float, float] = FIGSIZE) -> Figure:
    """A new figure of ``figsize`` inches with a constrained layout, in simhall's style."""
    use_style()
    return Figure(figsize=figsize, layout="constrained")


def figure_bytes(fig: Figure, fmt: str = "png", dpi: int = PNG_DPI) -> bytes:
    """The figure rendered as ``fmt`` (``png``, ``svg`` or ``pdf``), without dates.

    Raises
    ------
    ValueError
        If ``fmt`` is not one of :data:`FIGURE_FORMATS`.
    """
    if fmt not in SAVE_METADATA:
        raise ValueError(f"figure format {fmt!r}: expected one of {', '.join(FIGURE_FORMATS)}")
    use_style()
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi, metadata=SAVE_METADATA[fmt])
    return buf.getvalue()


def png_bytes(fig: Figure, dpi: int = PNG_DPI) -> bytes:
    """The figure rendered as PNG."""
    return figure_bytes(fig, "png", dpi)


def save_png(fig: Figure, path: str | os.PathLike[str], dpi: int = PNG_DPI) -> Path:
    """Render ``fig`` as PNG and write it atomically to ``path``."""
    return atomic_write_bytes(png_bytes(fig, dpi), path)


def save_figure(
    fig: Figure,
    stem: str | os.PathLike[str],
    formats: tuple[str, ...] = FIGURE_FORMATS,
    dpi: int = PRINT_DPI,
) -> list[Path]:
    """Write ``fig`` as ``<stem>.<fmt>`` for each of ``formats`` (atomically); the paths."""
    base = Path(stem)
    return [
        atomic_write_bytes(figure_bytes(fig, fmt, dpi), base.with_name(f"{base.name}.{fmt}"))
        for fmt in formats
    ]


def small_texts(fig: Figure, min_pt: float = MIN_FONT_PT) -> list[str]:
    """Visible texts of ``fig`` smaller than ``min_pt`` points, as ``'text' (size pt)``.

    The figure is drawn first, so that tick labels exist.
    """
    fig.canvas.draw()
    out = []
    for text in fig.findobj(Text):
        size = float(text.get_fontsize())
        if text.get_visible() and text.get_text().strip() and size < min_pt:
            out.append(f"{text.get_text()!r} ({size:g} pt)")
    return out
