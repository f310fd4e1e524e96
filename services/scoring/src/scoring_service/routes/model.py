"""GET /v1/model (the served model, its metrics and features) and POST /v1/model/reload."""

from __future__ import annotations

from typing import Any

from credit_core.schema.features import feature
from credit_core.serving.routes import model_router
from scoring_service.served import Served, kind_of

__all__ = ["router"]


def _label(name: str) -> str:
    try:
        return feature(name).label
    except KeyError:  # a generic model's own column: its name is its label
        return name


def describe(served: Served) -> dict[str, Any]:
    """Name, version, kind, threshold, metrics and feature list of the model being served."""
    model = served.model
    bundle = model.bundle
    return {
        **model.describe(),
        "kind": kind_of(served),
        "loaded_at": model.loaded_at,
        "calibration": bundle.calibration.method,
        "metrics": bundle.metrics,
        "features": [{"name": name, "label": _label(name)} for name in bundle.features],
    }


router = model_router(describe, summary="The model being served",
                      description="Name, version, kind (home_credit, or generic: /invocations "
                                  "only), threshold, metrics and feature list of the model "
                                  "being served.")
