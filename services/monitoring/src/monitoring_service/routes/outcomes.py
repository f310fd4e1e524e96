"""POST /v1/outcomes (what became of clients) and GET /v1/performance (realised figures)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from credit_core.web.app import require_json
from credit_core.web.json_keys import StrictJSONRoute
from monitoring_service.deps import EngineDep, OpsDep, OutcomesCallerDep
from monitoring_service.outcomes import realised_performance, record_outcomes
from monitoring_service.schemas import MAX_OUTCOMES, OutcomeIn, OutcomesBatch

router = APIRouter(route_class=StrictJSONRoute, tags=["outcomes"])


@router.post("/v1/outcomes", status_code=201, dependencies=[Depends(require_json)],
             summary="Record observed outcomes")
def post_outcomes(body: OutcomeIn | OutcomesBatch, engine: EngineDep,
                  caller: OutcomesCallerDep) -> dict[str, Any]:
    """Record one outcome, or many under `outcomes` (at most 10,000); how many match a
    decision made before they were observed."""
    items = body.outcomes if isinstance(body, OutcomesBatch) else [body]
    if len(items) > MAX_OUTCOMES:
        raise HTTPException(413, detail=f"{len(items)} outcomes, more than {MAX_OUTCOMES}; "
                            "split them")
    return record_outcomes(engine, [item.model_dump() for item in items], caller.name)


@router.get("/v1/performance", summary="Realised performance by week")
def performance(request: Request, engine: EngineDep, caller: OpsDep,
                model_version: str | None = Query(None, pattern=r"^[1-9][0-9]{0,8}$")) -> dict[str, Any]:
    """Realised AUC, business cost, default and approval rates by ISO week of the decision,
    overall, and the training figures of the monitored model."""
    monitor = request.app.state.models.current
    return realised_performance(engine, monitor.bundle.metrics if monitor else {},
                                model_version)
