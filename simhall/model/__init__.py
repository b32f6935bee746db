"""The hall as a SimPy discrete-event model (:class:`HallModel`)."""

from simhall.logs.schema import ACCEPT, CORRECTION, TO_BACK_OFFICE, TO_HALL
from simhall.model.hall import HallModel, RunWindow

__all__ = ["ACCEPT", "CORRECTION", "TO_BACK_OFFICE", "TO_HALL", "HallModel", "RunWindow"]
