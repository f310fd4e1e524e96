"""GET /v1/importance: global importance, as stored with the model version."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Query

from credit_core.db.cohorts import read_matrix
from credit_core.web.errors import error_responses
from credit_core.web.json_keys import StrictJSONRoute
from explain_service.deps import CallerDep, EngineDep, ModelsDep, SettingsDep
from explain_service.responses import ImportanceResponse
from explain_service.shap.importance import global_importance

from .common import explainer_for

router = APIRouter(route_class=StrictJSONRoute, prefix="/v1/importance", tags=["importance"],
                   responses=error_responses(404, 409))


@router.get("", response_model=ImportanceResponse, summary="Global feature importance")
def get_importance(engine: EngineDep, models: ModelsDep, settings: SettingsDep,
                   caller: CallerDep,
                   model_version: str | None = Query(None, pattern=r"^[1-9][0-9]{0,8}$"),
                   top: int | None = Query(None, ge=1, le=1000)) -> dict[str, Any]:
    """Mean absolute SHAP value per feature and per family, with readable labels."""
    explainer = explainer_for(models, model_version)
    # The fallback importance's sample: the first training clients, every feature.
    sample = partial(read_matrix, engine, "train", limit=settings.fallback_importance_rows)
    return global_importance(explainer, sample, top)
