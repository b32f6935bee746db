"""Calibration: from a hall's case log to a scenario that reproduces it (``simhall calibrate``).

Like a tailor who measures a customer before cutting, calibration measures a real hall
through its case log — hours, demand, routes, durations, staff, sign-off rounds, couriers —
and writes a commented scenario file and a report that says how every number was measured.
See :func:`calibrate` (the stages, in :mod:`~simhall.calibration.pipeline`) and
:class:`Calibration` (the result, in :mod:`~simhall.calibration.result`).
"""

from simhall.calibration.pipeline import calibrate
from simhall.calibration.result import Calibration

__all__ = ["Calibration", "calibrate"]
