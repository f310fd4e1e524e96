"""What the route handlers declare: settings, the engine, the scorer, the caller.

Each is ``async def`` although none awaits: FastAPI runs a plain ``def`` dependency in a worker
thread, one thread hop per dependency per request; these only read the app state.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from credit_core.scoring import Scorer
from credit_core.web.auth import Principal, require_roles
from credit_core.web.errors import DependencyUnavailable
from scoring_service.settings import ScoringSettings

__all__ = ["AdminDep", "CallerDep", "EngineDep", "RequestIdDep", "ScorerDep", "SettingsDep"]


async def _settings(request: Request) -> ScoringSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def _engine(request: Request) -> Engine:
    return request.app.state.engine()  # type: ignore[no-any-return]


async def _scorer(request: Request) -> Scorer:
    scorer = request.app.state.models.scorer
    if scorer is None:
        raise DependencyUnavailable("the model", retry_after=30)
    return scorer  # type: ignore[no-any-return]


async def _request_id(request: Request) -> str:
    return str(request.state.request_id)


SettingsDep = Annotated[ScoringSettings, Depends(_settings)]
EngineDep = Annotated[Engine, Depends(_engine)]
ScorerDep = Annotated[Scorer, Depends(_scorer)]
RequestIdDep = Annotated[str, Depends(_request_id)]
CallerDep = Annotated[Principal, Depends(require_roles("integrator", "service", "admin"))]
AdminDep = Annotated[Principal, Depends(require_roles("admin"))]
