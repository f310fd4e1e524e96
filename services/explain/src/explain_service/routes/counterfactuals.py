"""POST /v1/counterfactuals: the smallest change to the loan that turns a refusal around."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from credit_core.web.app import require_json
from credit_core.web.errors import error_responses
from credit_core.web.json_keys import StrictJSONRoute
from explain_service.counterfactuals.search import Bounds, counterfactual
from explain_service.deps import CallerDep, EngineDep, ModelsDep, SettingsDep
from explain_service.responses import CounterfactualResponse
from explain_service.schemas import CounterfactualBounds, CounterfactualRequest
from explain_service.settings import ExplainSettings

from .common import explainer_for, subject_for

router = APIRouter(route_class=StrictJSONRoute, prefix="/v1/counterfactuals", tags=["counterfactuals"],
                   dependencies=[Depends(require_json)],
                   responses=error_responses(403, 404, 409))


def _bounds(body: CounterfactualRequest, settings: ExplainSettings) -> Bounds:
    """The settings' defaults with the request's overrides, validated together (422)."""
    merged = {**settings.counterfactual_defaults(), **body.bounds.model_dump(exclude_none=True)}
    try:
        valid = CounterfactualBounds.model_validate(merged)
    except ValidationError as error:
        raise RequestValidationError([
            {**e, "loc": ("body", "bounds", *e["loc"])} for e in error.errors()]) from error
    return Bounds(**valid.model_dump())


@router.post("", response_model=CounterfactualResponse, summary="Smallest change to approval")
def create_counterfactual(body: CounterfactualRequest, engine: EngineDep, models: ModelsDep,
                          settings: SettingsDep, caller: CallerDep) -> dict[str, Any]:
    """The smallest change to the loan (amount, term, down payment) that the model approves."""
    bounds = _bounds(body, settings)
    subject = subject_for(engine, body, models, caller, need_application=True)
    explainer = explainer_for(models, subject.version)
    return counterfactual(explainer, subject, bounds)
