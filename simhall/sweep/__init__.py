"""Sweeps: many variants of one scenario, run with common random numbers and ranked.

>>> import simhall
>>> result = simhall.sweep("scenarios/examples/small_hall.toml", "grid.toml")  # doctest: +SKIP
>>> result.best  # doctest: +SKIP

``simhall.sweep`` is this package and, called, :func:`~simhall.sweep.runner.sweep` (the
package is a callable module, so that both ``simhall.sweep(...)`` and
``simhall.sweep.read_grid`` work whichever was imported first).

The modules, one concept each:

* :mod:`~simhall.sweep.grid` -- the grid file (axes or a list of variants), checked;
* :mod:`~simhall.sweep.variants` -- variants as overlay files that run as they are;
* :mod:`~simhall.sweep.metrics` -- one row of figures per variant;
* :mod:`~simhall.sweep.objective` -- the figure to optimise and the targets to meet;
* :mod:`~simhall.sweep.runner` -- :func:`sweep`, on any executor.
"""

import sys
import types
from typing import Any

from simhall.sweep.grid import Axis, Grid, Setting, read_grid
from simhall.sweep.objective import Objective
from simhall.sweep.runner import SweepResult, run_variant, sweep
from simhall.sweep.variants import Variant, expand, overlay_text

__all__ = [
    "Axis",
    "Grid",
    "Objective",
    "Setting",
    "SweepResult",
    "Variant",
    "expand",
    "overlay_text",
    "read_grid",
    "run_variant",
    "sweep",
]


class _CallableModule(types.ModuleType):
    """This package, callable as :func:`sweep`."""

    def __call__(self, *args: Any, **kwargs: Any) -> SweepResult:
        return sweep(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
