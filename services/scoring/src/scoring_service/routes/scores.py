"""POST /v1/scores and /v1/scores/batch: decisions, each with its audit row."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from credit_core.db.vectors import UnknownClients
from credit_core.scoring import Decision, Scorer, score_applications, score_clients
from credit_core.web.app import require_json
from credit_core.web.errors import error_responses
from credit_core.web.json_keys import StrictJSONRoute
from scoring_service.deps import (
    CallerDep,
    ClientRequestIdDep,
    EngineDep,
    RequestIdDep,
    ScorerDep,
    SettingsDep,
)
from scoring_service.schemas import BatchRequest, BatchResponse, ScoreRequest, ScoreResponse

router = APIRouter(route_class=StrictJSONRoute, prefix="/v1/scores", tags=["scores"],
                   dependencies=[Depends(require_json)],
                   responses=error_responses(404))


def _response(decision: Decision, scorer: Scorer, model: dict[str, str] | None = None,
              scored_at: Any = None) -> dict[str, Any]:
    """One decision as the API shows it; a batch passes its shared model reference and its
    time already encoded."""
    return {
        "client_id": decision.client_id, "probability": decision.probability,
        "threshold": decision.threshold, "decision": decision.decision,
        "model": model or {"name": scorer.model.name, "version": scorer.version},
        "decision_id": decision.decision_id,
        "scored_at": decision.scored_at if scored_at is None else scored_at,
    }


def _batch_body(made: list[Decision], scorer: Scorer) -> bytes:
    """The batch's JSON, byte for byte what FastAPI's response_model path gives (a test checks
    it), written directly: FastAPI's path walks, validates and re-encodes the 10,000 decisions
    (0.145 s a batch here) where this takes 0.03 s. The decisions share their model and their
    time, so those are encoded once."""
    model = {"name": scorer.model.name, "version": scorer.version}
    stamps = {t: t.isoformat().replace("+00:00", "Z") for t in {d.scored_at for d in made}}
    decisions = [_response(d, scorer, model, stamps[d.scored_at]) for d in made]
    return json.dumps({"count": len(made), "decisions": decisions}, separators=(",", ":"),
                      allow_nan=False).encode()


def _count(request: Request, made: list[Decision]) -> None:
    counter = request.app.state.decisions_total
    refused = sum(decision.decision == "refused" for decision in made)
    for outcome, count in (("refused", refused), ("approved", len(made) - refused)):
        if count:
            counter.labels(outcome).inc(count)


def _not_found(error: UnknownClients) -> HTTPException:
    return HTTPException(404, detail=str(error))


@router.post("", response_model=ScoreResponse, summary="Score one applicant")
def score(body: ScoreRequest, request: Request, scorer: ScorerDep, engine: EngineDep,
          caller: CallerDep, request_id: RequestIdDep,
          client_request_id: ClientRequestIdDep) -> dict[str, Any]:
    """Score one applicant by client id or by application fields; the decision is audited."""
    try:
        if body.features is None:  # the request's validator admits exactly one of the two
            assert body.client_id is not None
            made = score_clients(engine, scorer, [body.client_id], caller.name, request_id,
                                 client_request_id)
        else:
            record = body.features.model_dump(exclude_none=True)
            made = score_applications(engine, scorer, [record], caller.name, request_id,
                                      client_request_id)
    except UnknownClients as error:
        raise _not_found(error) from error
    _count(request, made)
    return _response(made[0], scorer)


@router.post("/batch", response_model=BatchResponse, summary="Score many applicants")
def score_batch(body: BatchRequest, request: Request, scorer: ScorerDep, engine: EngineDep,
                settings: SettingsDep, caller: CallerDep,
                request_id: RequestIdDep,
                client_request_id: ClientRequestIdDep) -> Response:
    """Score up to SCORING_MAX_BATCH applicants by id or by application rows (413 above)."""
    if body.size > settings.max_batch:
        raise HTTPException(413, detail=f"batch of {body.size} rows is larger than the "
                                        f"maximum of {settings.max_batch}; split it")
    if body.size == 0:
        return Response(_batch_body([], scorer), media_type="application/json")
    try:
        if body.client_ids is not None:
            made = score_clients(engine, scorer, body.client_ids, caller.name, request_id,
                                 client_request_id)
        else:
            records = [row.model_dump(exclude_none=True)  # type: ignore[attr-defined]
                       for row in body.applications or []]
            made = score_applications(engine, scorer, records, caller.name, request_id,
                                 client_request_id)
    except UnknownClients as error:
        raise _not_found(error) from error
    _count(request, made)
    return Response(_batch_body(made, scorer), media_type="application/json")
