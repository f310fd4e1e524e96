"""What the route handlers declare: settings, the engine, the explainer, the caller.

Each reads the app state only, so it is ``async def``: a plain ``def`` dependency costs a
worker-thread hop per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from credit_core.web.auth import Principal, require_roles
from explain_service.settings import ExplainSettings
from explain_service.state import ModelHolder

__all__ = ["AdminDep", "CallerDep", "EngineDep", "ModelsDep", "SettingsDep"]


async def _settings(request: Request) -> ExplainSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def _engine(request: Request) -> Engine:
    return request.app.state.engine()  # type: ignore[no-any-return]


async def _models(request: Request) -> ModelHolder:
    return request.app.state.models  # type: ignore[no-any-return]


SettingsDep = Annotated[ExplainSettings, Depends(_settings)]
EngineDep = Annotated[Engine, Depends(_engine)]
ModelsDep = Annotated[ModelHolder, Depends(_models)]
CallerDep = Annotated[Principal, Depends(require_roles("integrator", "service", "admin"))]
AdminDep = Annotated[Principal, Depends(require_roles("admin"))]
