"""simhall: simulation of government service halls under working-day time limits.

The main entry points are :func:`simhall.run` (replications of a scenario with confidence
intervals), :func:`simhall.sweep` (many variants of a scenario, ranked) and
:func:`simhall.load_scenario` (a scenario file into typed objects).
"""

from __future__ import annotations

# nothing imported at run time: ``simhall`` and ``python -m simhall`` start here, before
# the command line's handler of Ctrl-C (simhall.cli.main) is in place
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from simhall.experiment import run
    from simhall.scenario import load_scenario

__version__ = "0.1.0"
__all__ = ["__version__", "load_scenario", "run", "sweep"]


def __getattr__(name: str) -> Any:
    """Import entry points lazily so ``import simhall`` stays cheap."""
    if name == "run":
        from simhall.experiment import run

        return run
    if name == "load_scenario":
        from simhall.scenario import load_scenario

        return load_scenario
    if name == "sweep":  # the package, callable as simhall.sweep.sweep
        import simhall.sweep

        return simhall.sweep
    raise AttributeError(f"module 'simhall' has no attribute {name!r}")
