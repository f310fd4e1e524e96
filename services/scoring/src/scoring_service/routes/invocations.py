"""POST /invocations: the MLflow scoring protocol, for MLflow clients and integrators."""

from __future__ import annotations

import anyio
import anyio.to_thread
from fastapi import APIRouter, Depends, HTTPException, Request, Response

from credit_core.web.app import require_json
from credit_core.web.errors import error_responses
from credit_core.web.json_keys import StrictJSONRoute
from scoring_service.deps import AnyServedDep, CallerDep
from scoring_service.invoke import (
    InvocationRefused,
    NeedsMlflow,
    answer_fast,
    answer_invocation,
    answer_mlflow,
)

__all__ = ["INLINE_BODY_BYTES", "LARGE_BODIES_AT_ONCE", "router"]

router = APIRouter(route_class=StrictJSONRoute, tags=["mlflow"])

#: Bodies up to this size are answered on the event loop when they take the fast path: a thread
#: hop costs more than parsing and scoring a few numeric rows. Larger ones (up to the body
#: limit: seconds of JSON parsing and scoring) and any body MLflow must read (pandas, maybe the
#: first load of the pyfunc) go to a worker thread, so /healthz and others are served meanwhile.
INLINE_BODY_BYTES = 32 * 1024
#: Worker threads answering /invocations at once (app.state.invocation_limiter): each holds a
#: parsed body in memory, many times its size, and the CPU is the bound anyway.
LARGE_BODIES_AT_ONCE = 2


@router.post("/invocations", dependencies=[Depends(require_json)],
             responses=error_responses(400, 413),
             summary="MLflow scoring protocol: probabilities of default")
async def invocations(request: Request, served: AnyServedDep, caller: CallerDep) -> Response:
    """Probabilities for rows of model features, as `mlflow models serve` answers.

    No decision is made here, so nothing is audited: use /v1/scores for decisions.
    """
    raw = await request.body()
    state = request.app.state
    max_rows = state.settings.max_batch
    try:
        if len(raw) > INLINE_BODY_BYTES:
            answer = await anyio.to_thread.run_sync(
                answer_invocation, raw, served, state.pyfuncs, max_rows,
                limiter=state.invocation_limiter)
        else:
            fast = answer_fast(raw, served, max_rows)
            answer = fast if not isinstance(fast, NeedsMlflow) else await anyio.to_thread.run_sync(
                answer_mlflow, fast, served, state.pyfuncs, limiter=state.invocation_limiter)
    except InvocationRefused as refused:
        raise HTTPException(refused.status, detail=refused.detail) from None
    return Response(answer, media_type="application/json")
