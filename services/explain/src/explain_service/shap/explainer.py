"""One model version ready to explain: everything that does not depend on the request.

Built once per version (at load, or on the first pinned request): the model's columns in the
full feature vector, labels in two languages, units, the TreeSHAP implementation and its base
value, the raw score at which the calibrated probability reaches the threshold, the approved
reference clients (sorted), the stored global importance and the reason grouping.
"""

from __future__ import annotations

import logging
import threading

import numpy as np

from credit_core.bundle import Calibration, ModelBundle
from credit_core.model_source import LoadedModel
from credit_core.scoring import check_compatible, vector_positions
from credit_core.serving.holder import ServedVersion
from explain_service.shap.grouping import Grouping
from explain_service.shap.reference import ApprovedReference, load_importance, load_reference
from explain_service.shap.treeshap import LightGBMTreeShap, TreeShap, make_treeshap
from explain_service.wording.feature_info import feature_info

__all__ = ["VersionExplainer", "raw_threshold"]

logger = logging.getLogger("credit.explain.model")

def raw_threshold(calibration: Calibration, threshold: float) -> float | None:
    """The smallest raw score whose calibrated probability reaches ``threshold``.

    None when no raw score in [-40, 40] reaches it (e.g. an isotonic map that stays below).
    The calibrations are non-decreasing, so bisection finds the crossing.
    """
    low, high = -40.0, 40.0
    if calibration.apply(np.array([high]))[0] < threshold:
        return None
    if calibration.apply(np.array([low]))[0] >= threshold:
        return low
    for _ in range(100):
        middle = (low + high) / 2
        if calibration.apply(np.array([middle]))[0] >= threshold:
            high = middle
        else:
            low = middle
    return high


def _is_monotonic(calibration: Calibration) -> bool:
    probabilities = calibration.apply(np.linspace(-20, 20, 2001))
    return bool(np.all(np.diff(probabilities) >= 0))


class VersionExplainer(ServedVersion):
    """A loaded version with its precomputed explanation material."""

    def __init__(self, model: LoadedModel, treeshap: str = "auto",
                 percentile_rows: int = 50_000) -> None:
        bundle = model.bundle
        check_compatible(bundle)
        self.model = model
        self.positions = vector_positions(bundle)
        self.features = [feature_info(name) for name in bundle.features]
        self.groupings = {grouped: Grouping(self.features, grouped) for grouped in (True, False)}
        #: What the explanation lists of each feature, apart from its value and contribution.
        self.feature_templates = [
            {"feature": f.name, "label": f.label, "label_fr": f.label_fr, "family": f.family,
             "protected": f.protected, "actionable": f.actionable} for f in self.features]
        self.reference: ApprovedReference | None = load_reference(
            model.directory, bundle.features, bundle.threshold, percentile_rows)
        self.treeshap = self._treeshap(treeshap, bundle, self._typical_rows())
        self.base_value = float(self.treeshap(np.full((1, len(bundle.features)), np.nan))[0, -1])
        self.raw_threshold = raw_threshold(bundle.calibration, bundle.threshold)
        self.monotonic = _is_monotonic(bundle.calibration)
        self.stored_importance = load_importance(model.directory)
        self.fallback_importance: dict[str, float] | None = None
        self.fallback_rows = 0
        self.lock = threading.Lock()

    def _typical_rows(self, count: int = 9) -> np.ndarray:
        """Rows of approved clients' quantiles (missing without a reference), for timing."""
        rows = np.full((count, len(self.features)), np.nan)
        if self.reference is not None:
            for position, column in enumerate(self.reference.columns):
                if column is not None and column.size:
                    quantiles = np.linspace(0.1, 0.9, count)
                    rows[:, position] = column[(quantiles * (column.size - 1)).astype(int)]
        return rows

    @staticmethod
    def _treeshap(kind: str, bundle: ModelBundle, rows: np.ndarray) -> TreeShap:
        categorical = [bundle.features.index(name) for name in bundle.categorical_features]
        try:
            return make_treeshap(kind, bundle.booster, categorical, rows)
        except ValueError as error:
            logger.warning("TreeSHAP %r unusable for this model (%s); using LightGBM's", kind,
                           error)
            return LightGBMTreeShap(bundle.booster)

    def model_ref(self) -> dict[str, str]:
        """The name and version of the model, as responses cite it."""
        return {"name": self.model.name, "version": self.version}

    def model_rows(self, full_vectors: np.ndarray) -> np.ndarray:
        """The model's columns of full feature vectors (FEATURE_NAMES order)."""
        return np.atleast_2d(full_vectors)[:, self.positions]

    def contributions(self, rows: np.ndarray) -> np.ndarray:
        """TreeSHAP of model rows: (n, features) contributions on the raw log-odds scale."""
        return self.treeshap(rows)[:, :-1]

    def describe(self) -> dict[str, object]:
        """What this version offers for explanations."""
        return {
            **self.model.describe(),
            "calibration": self.bundle.calibration.method,
            "base_value": self.base_value,
            "raw_threshold": self.raw_threshold,
            "treeshap": self.treeshap.name,
            "reference_rows_approved": self.reference.rows if self.reference else None,
            "importance_stored": self.stored_importance is not None,
        }
