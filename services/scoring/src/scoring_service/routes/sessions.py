"""/v1/auth/sessions: the advisors' dashboard sessions (POST opens one, GET checks it, POST
.../end closes it), kept in the database for the dashboard (which has none), so that sign-out,
user removal and idleness end them on every replica."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from credit_core.auth import NAME_PATTERN
from credit_core.db.browser_sessions import close_session, open_session, session_active
from credit_core.web.auth import Principal, require_roles
from credit_core.web.errors import error_responses
from credit_core.web.json_keys import StrictJSONRoute
from scoring_service.deps import EngineDep

__all__ = ["IDLE", "KIND", "router"]

router = APIRouter(route_class=StrictJSONRoute, prefix="/v1/auth/sessions", tags=["oversight"])
DashboardDep = Annotated[Principal, Depends(require_roles("service", "admin"))]
#: The dashboard's cookie: the sessions' kind in the table.
KIND = "credit_ui_session"
#: A dashboard session unused this long is over.
IDLE = timedelta(minutes=30)
SessionId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{20,100}$")]


class SessionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64, pattern=NAME_PATTERN)
    role: str = Field(min_length=1, max_length=16, pattern=r"^[a-z]+$")


@router.post("", status_code=201, summary="Open a dashboard session (after a sign-in)")
async def open_(body: SessionRequest, engine: EngineDep, caller: DashboardDep) -> dict[str, str]:
    """A new session's id, for the dashboard's signed cookie."""
    session_id = await run_in_threadpool(open_session, engine, KIND, body.username, body.role)
    return {"session": session_id}


@router.get("/{session_id}", summary="Whether a dashboard session is open",
            responses=error_responses(404))
async def check(session_id: SessionId, engine: EngineDep,
                caller: DashboardDep) -> dict[str, bool]:
    """200 while the session is open and not idle (and marks it used); 404 otherwise."""
    if not await run_in_threadpool(session_active, engine, KIND, session_id, IDLE):
        raise HTTPException(404, detail="no open session with this id")
    return {"active": True}


@router.post("/{session_id}/end", status_code=204, summary="End a dashboard session")
async def close(session_id: SessionId, engine: EngineDep, caller: DashboardDep) -> Response:
    """Sign-out: the session ends on every replica."""
    await run_in_threadpool(close_session, engine, KIND, session_id)
    return Response(status_code=204)
