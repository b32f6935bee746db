"""Calibration: from a hall's case log to a scenario that reproduces it (``simhall calibrate``).

Like a tailor who measures a customer before cutting, calibration measures a real hall
through its case log — hours, demand, routes, durations, staff, sign-off rounds, couriers —
and writes a commented scenario file and a report that says how every number was measured.
See :func:`calibrate` and :class:`Calibration`.
"""

from simhall.calibration.core import Calibration, calibrate

__all__ = ["Calibration", "calibrate"]
