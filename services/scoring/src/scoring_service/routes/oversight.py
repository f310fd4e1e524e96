"""POST /v1/auth/login (the dashboard's advisors) and POST /v1/decisions/{id}/review."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from credit_core.auth import NAME_PATTERN
from credit_core.db.reviews import AlreadyReviewed, UnknownDecision, record_review
from credit_core.logins import ChecksBusy, LoginGate, Throttled, check_login
from credit_core.web.app import require_json
from credit_core.web.auth import Principal, require_roles
from credit_core.web.errors import error_responses
from credit_core.web.json_keys import StrictJSONRoute
from scoring_service.deps import EngineDep

router = APIRouter(route_class=StrictJSONRoute, tags=["oversight"], dependencies=[Depends(require_json)])
DashboardDep = Annotated[Principal, Depends(require_roles("service", "admin"))]


#: Text without control characters but tab and line breaks (PostgreSQL refuses NUL in text).
_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Account names follow the rule of `credit users add`; no other name can exist.
    username: str = Field(min_length=1, max_length=64, pattern=NAME_PATTERN)
    password: str = Field(min_length=1, max_length=1024)
    #: The browser's address as the dashboard saw it (throttling is per source); without it,
    #: the caller's own address.
    source: str | None = Field(None, min_length=1, max_length=64, pattern=r"^[0-9A-Za-z.:_-]+$")


class ReviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    final_decision: Literal["approved", "refused"]
    comment: str | None = Field(None, max_length=2000, pattern=_TEXT)
    advisor: str = Field(min_length=1, max_length=64, pattern=NAME_PATTERN)

    @model_validator(mode="after")
    def _strip(self) -> ReviewRequest:
        if self.comment is not None and not self.comment.strip():
            self.comment = None
        return self


@router.post("/v1/auth/login", summary="Check a dashboard account (for the dashboard)",
             responses=error_responses(429, 503))
async def login(body: LoginRequest, request: Request, engine: EngineDep,
                caller: DashboardDep) -> dict[str, str]:
    """The advisor's name and role if the password is right (401 otherwise; 429 while failed
    sign-ins are throttled, 503 when too many password checks already run)."""
    gate: LoginGate = request.app.state.login_gate
    source = body.source or (request.client.host if request.client else "unknown")
    try:
        account = await gate.sign_in(body.username, source, lambda: check_login(
            engine, body.username, body.password))
    except Throttled as error:
        raise HTTPException(429, detail=str(error),
                            headers={"Retry-After": str(error.retry_after)}) from error
    except ChecksBusy as error:
        raise HTTPException(503, detail="too many sign-ins at once: try again in a second",
                            headers={"Retry-After": str(ChecksBusy.retry_after)}) from error
    if account is None:
        raise HTTPException(401, detail="unknown user name or wrong password")
    return {"username": account.username, "role": account.role}


@router.post("/v1/decisions/{decision_id}/review", status_code=201, responses=error_responses(404, 409),
             summary="Record the advisor's final decision")
def review(body: ReviewRequest, engine: EngineDep, caller: DashboardDep,
           decision_id: str = Path(pattern=r"^[0-9a-f-]{36}$")) -> dict[str, Any]:
    """Store the final decision; overriding the model requires a comment (422 without)."""
    try:
        return record_review(engine, decision_id, body.final_decision, body.comment,
                             body.advisor, caller.name)
    except UnknownDecision as error:
        raise HTTPException(404, detail=f"unknown decision {decision_id}") from error
    except AlreadyReviewed as error:
        raise HTTPException(409, detail=f"decision {decision_id} was already reviewed") from error
    except ValueError as error:
        raise HTTPException(422, detail=[{"loc": ["body", "comment"], "msg": str(error),
                                          "type": "value_error"}]) from error
