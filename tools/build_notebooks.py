"""Write and execute the notebook suite (maintainer tool; CI only checks the results).

Each notebook is defined here as a list of cells, written to ``notebooks/``, executed in a
fresh kernel from the ``notebooks/`` folder, and saved with its outputs, which nbval then
compares strictly in ``make test``. Run ``python tools/build_notebooks.py [NAME ...]``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def _md(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text.strip())


def _code(text: str, *tags: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(text.strip())
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


QUICKSTART = [
    _code(
        """
# Parameters (papermill can override them)
scenario_path = "../scenarios/huainan_2007/baseline.toml"
days = 60
reps = 2
seed = 2007
""",
        "parameters",
    ),
    _md(
        """
# Quick start: simulate a hall

This notebook runs the bundled Huainan 2007 baseline (a synthetic, Huainan-like hall:
32 departments, 214 items) for a short period and shows what simhall reports: hall-wide
figures, the departments' windows, and per item the working-day durations next to the
committed time limit. Every number comes from one call into `simhall`; the seed makes the
outputs identical on every machine.
"""
    ),
    _code(
        """
%matplotlib inline
import simhall
from simhall import plots, tables

scenario = simhall.load_scenario(scenario_path)
result = simhall.run(scenario, days=days, reps=reps, seed=seed, show_progress=False)
tables.run_overview(result)
"""
    ),
    _md("## Hall-wide figures (mean and 95% confidence interval over replications)"),
    _code("tables.hall_table(result)"),
    _md("## The five busiest departments' windows"),
    _code("tables.department_table(result, top=5)"),
    _md(
        """
## Commitment items with the most room to cut their committed limit

`limit@95%` is the shortest committed limit met by 95% of simulated cases (upper bound of
its confidence interval, rounded up); `cut` is the current limit minus that.
"""
    ),
    _code("tables.compression_table(result, top=8)"),
    _md("## Committed limits against simulated P95 durations"),
    _code("plots.limits_vs_simulated(result.items)"),
]

SUITE = {"01_quickstart.ipynb": QUICKSTART}


def build(name: str) -> Path:
    """Write notebook ``name`` and execute it in place."""
    nb = nbformat.v4.new_notebook()
    nb.cells = SUITE[name]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    os.environ.setdefault("SIMHALL_PROGRESS", "0")
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.metadata.pop("execution", None)
    path = NOTEBOOKS / name
    nbformat.write(nb, path)
    return path


if __name__ == "__main__":
    names = sys.argv[1:] or list(SUITE)
    for n in names:
        print(build(n).relative_to(ROOT))
