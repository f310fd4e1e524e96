"""GET /v1/model (the scorer's model, its metrics and features) and POST /v1/model/reload."""

from __future__ import annotations

from typing import Any

from credit_core.schema.features import feature
from credit_core.scoring import Scorer
from credit_core.serving.routes import model_router

__all__ = ["router"]


def describe(scorer: Scorer) -> dict[str, Any]:
    """Name, version, threshold, metrics and feature list of the model being served."""
    model = scorer.model
    bundle = model.bundle
    return {
        **model.describe(),
        "loaded_at": model.loaded_at,
        "calibration": bundle.calibration.method,
        "metrics": bundle.metrics,
        "features": [{"name": name, "label": feature(name).label} for name in bundle.features],
    }


router = model_router(describe, summary="The model being served",
                      description="Name, version, threshold, metrics and feature list of the "
                                  "model being served.")
