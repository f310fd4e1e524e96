"""POST /invocations: the MLflow scoring protocol, for MLflow clients and integrators."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request

from credit_core.web.app import require_json
from credit_core.web.errors import error_responses
from scoring_service.deps import CallerDep, ScorerDep
from scoring_service.invocations import InvocationError, parse_invocation

router = APIRouter(tags=["mlflow"])


@router.post("/invocations", dependencies=[Depends(require_json)], responses=error_responses(400),
             summary="MLflow scoring protocol: probabilities of default")
async def invocations(request: Request, scorer: ScorerDep, caller: CallerDep) -> dict[str, Any]:
    """Probabilities for rows of model features, as `mlflow models serve` answers.

    No decision is made here, so nothing is audited: use /v1/scores for decisions.
    """
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as error:
        raise HTTPException(400, detail=f"body is not valid JSON: {error}") from error
    except RecursionError as error:  # json.loads recurses once per level of nesting
        raise HTTPException(400, detail="body is not valid JSON: nested too deeply") from error
    try:
        matrix = parse_invocation(body, scorer.model.bundle.features)
    except InvocationError as error:
        raise HTTPException(422, detail=str(error)) from error
    if matrix.shape[0] > request.app.state.settings.max_batch:
        raise HTTPException(413, detail=f"more than {request.app.state.settings.max_batch} rows")
    return {"predictions": scorer.model.bundle.predict_proba(matrix).tolist()}
