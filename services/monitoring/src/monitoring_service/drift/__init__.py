"""The drift engine: a reference profile per model version and the per-column tests, computed
with NumPy/SciPy exactly as Evidently 0.7 decides them, without a pass over the reference.

No web framework here: the pipeline, the benchmark and the tests use it as plain functions.
"""

from monitoring_service.drift.engine import ColumnDrift, DriftReport, compare
from monitoring_service.drift.options import METHODS, DriftOptions, OptionsError
from monitoring_service.drift.profile import DriftProfile, ReferenceColumn, build_profile

__all__ = [
    "METHODS",
    "ColumnDrift",
    "DriftOptions",
    "DriftProfile",
    "DriftReport",
    "OptionsError",
    "ReferenceColumn",
    "build_profile",
    "compare",
]
