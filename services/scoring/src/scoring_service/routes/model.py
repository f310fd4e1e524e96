"""GET /v1/model and POST /v1/model/reload."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from credit_core.schema.features import feature
from scoring_service.deps import AdminDep, CallerDep, ScorerDep

router = APIRouter(prefix="/v1/model", tags=["model"])


@router.get("", summary="The model being served")
def get_model(scorer: ScorerDep, caller: CallerDep) -> dict[str, Any]:
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


@router.post("/reload", summary="Ask the registry now (admins)")
def reload_model(request: Request, caller: AdminDep) -> dict[str, Any]:
    """Reload the version the alias points to now, even if it failed before (admins only)."""
    return request.app.state.models.reload(force=True)  # type: ignore[no-any-return]
