"""The hall as a SimPy discrete-event model (:class:`HallModel`).

Modules: :mod:`~simhall.model.hall` (the model and its processes),
:mod:`~simhall.model.arrivals` (arrival sources), :mod:`~simhall.model.compile` (scenario to
pools, timetables and routes), :mod:`~simhall.model.resources` (staffed pools),
:mod:`~simhall.model.timetables` (couriers, sessions, working days) and
:mod:`~simhall.model.records` (case files and the frames built from them).
"""

from simhall.logs.schema import ACCEPT, CORRECTION, TO_BACK_OFFICE, TO_HALL
from simhall.model.arrivals import ArrivalSetting, ArrivalSource, PoissonArrivals, ScheduledArrivals
from simhall.model.hall import HallModel, RunWindow

__all__ = [
    "ACCEPT",
    "CORRECTION",
    "TO_BACK_OFFICE",
    "TO_HALL",
    "ArrivalSetting",
    "ArrivalSource",
    "HallModel",
    "PoissonArrivals",
    "RunWindow",
    "ScheduledArrivals",
]
