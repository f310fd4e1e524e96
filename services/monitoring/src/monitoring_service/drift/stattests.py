"""The drift tests by name, and Evidently's automatic choice among them.

Each test takes the reference column, the current column's non-missing values sorted (float32)
and the threshold, and returns Evidently's score (a distance or a p-value).
"""

from __future__ import annotations

import numpy as np

from monitoring_service.drift.continuous import ks, wasserstein
from monitoring_service.drift.counts import chisquare, jensenshannon, psi, z
from monitoring_service.drift.options import Kind
from monitoring_service.drift.profile import ReferenceColumn, levels_of

__all__ = ["SCORERS", "default_method", "union_size"]


def union_size(ref: ReferenceColumn, current: np.ndarray, at_most: int) -> int:
    """Distinct values over both sides, exact up to ``at_most`` (then any larger number)."""
    if ref.nunique > at_most:
        return ref.nunique
    cur_levels, _ = levels_of(current)
    if cur_levels.size > at_most:
        return int(cur_levels.size)
    return int(np.union1d(ref.levels()[0], cur_levels).size)


SCORERS = {"wasserstein": wasserstein, "ks": ks, "jensenshannon": jensenshannon, "psi": psi,
           "chisquare": chisquare, "z": z}


def default_method(ref: ReferenceColumn, current: np.ndarray, kind: Kind) -> str:
    """Evidently's automatic choice: by the reference's non-missing count and distinct values."""
    if ref.count <= 1000:
        values = union_size(ref, current, 5)
        if kind == "num" and values > 5:
            return "ks"
        return "chisquare" if values > 2 else "z"
    if kind == "num":
        return "jensenshannon" if union_size(ref, current, 5) <= 5 else "wasserstein"
    return "jensenshannon"
