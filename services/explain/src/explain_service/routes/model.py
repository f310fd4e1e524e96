"""GET /v1/model and POST /v1/model/reload."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from credit_core.web.errors import error_responses
from explain_service.deps import AdminDep, CallerDep, ModelsDep

from .common import explainer_for

router = APIRouter(prefix="/v1/model", tags=["model"],
                   responses=error_responses(404, 409))


@router.get("", summary="The model being explained")
def get_model(models: ModelsDep, caller: CallerDep) -> dict[str, Any]:
    """Name, version, calibration, base value and what this version offers for explanations."""
    explainer = explainer_for(models, None)
    return {**explainer.describe(), "pinned_versions": models.describe()["pinned_versions"]}


@router.post("/reload", summary="Ask the registry now (admins)")
def reload_model(models: ModelsDep, caller: AdminDep) -> dict[str, Any]:
    """Reload the version the alias points to now, even if it failed before (admins only)."""
    return models.reload(force=True)
