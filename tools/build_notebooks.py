"""Build the notebook suite from its sources and execute it (maintainer tool).

Each notebook is written as a plain Python file in ``notebooks/src/`` in the "percent"
format (``# %%`` starts a code cell, ``# %% [markdown]`` a Markdown cell whose lines start
with ``# ``, ``# %% tags=["parameters"]`` a tagged cell). This tool turns a source into
``notebooks/NAME.ipynb``, executes it in a fresh kernel from ``notebooks/`` and saves it with
its outputs, which nbval then compares strictly in ``make test``.

Run ``python tools/build_notebooks.py [NAME ...]`` (names without ``.py``; default all).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOURCES = NOTEBOOKS / "src"
_MARKER = re.compile(r"^# %%(?P<md> \[markdown\])?(?: tags=(?P<tags>\[.*\]))?\s*$")


def parse(text: str) -> list[nbformat.NotebookNode]:
    """Cells of a percent-format source."""
    cells: list[nbformat.NotebookNode] = []
    kind, tags, lines = None, None, []

    def flush() -> None:
        if kind is None:
            return
        body = "\n".join(lines).strip("\n")
        if kind == "markdown":
            body = "\n".join(re.sub(r"^# ?", "", ln) for ln in body.splitlines())
            cells.append(nbformat.v4.new_markdown_cell(body))
        else:
            cell = nbformat.v4.new_code_cell(body)
            if tags:
                cell.metadata["tags"] = tags
            cells.append(cell)

    for line in text.splitlines():
        m = _MARKER.match(line)
        if m:
            flush()
            kind = "markdown" if m.group("md") else "code"
            tags = json.loads(m.group("tags")) if m.group("tags") else None
            lines = []
        else:
            lines.append(line)
    flush()
    return cells


def build(name: str) -> Path:
    """Write notebook ``name`` from its source and execute it in place."""
    nb = nbformat.v4.new_notebook()
    nb.cells = parse((SOURCES / f"{name}.py").read_text(encoding="utf-8"))
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:02d}"  # stable ids: rebuilding gives no spurious diffs
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    os.environ.setdefault("SIMHALL_PROGRESS", "0")
    os.environ.setdefault("MPLBACKEND", "Agg")
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    nb.metadata.pop("widgets", None)  # live widgets' state (notebook 07): random model ids
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.metadata.pop("execution", None)
    path = NOTEBOOKS / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


if __name__ == "__main__":
    names = sys.argv[1:] or sorted(p.stem for p in SOURCES.glob("*.py"))
    for n in names:
        print(build(n).relative_to(ROOT))
