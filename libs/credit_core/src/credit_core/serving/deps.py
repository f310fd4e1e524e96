"""What the route handlers of every model-serving service declare, and where the app keeps it.

Each dependency only reads the app state, so it is ``async def``: FastAPI runs a plain ``def``
dependency in a worker thread, one thread hop per dependency per request. A service declares
its own typed aliases over these functions (``Annotated[ScoringSettings,
Depends(app_settings)]``, ``Annotated[Scorer, Depends(served)]``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from sqlalchemy import Engine

from credit_core.serving.holder import ModelHolder
from credit_core.web.auth import Principal, require_roles
from credit_core.web.errors import DependencyUnavailable
from credit_core.web.settings import ServiceSettings

__all__ = ["ADMIN_ROLES", "CALLER_ROLES", "AdminDep", "CallerDep", "EngineDep", "app_settings",
           "engine", "models", "serve_model", "served"]

#: Who may call a service's API: integrators, the dashboard's service key, admins.
CALLER_ROLES = ("integrator", "service", "admin")
ADMIN_ROLES = ("admin",)


def serve_model(app: FastAPI, holder: ModelHolder[Any]) -> None:
    """Give ``app`` its model holder (``app.state.models``) and the /readyz "model" check."""
    app.state.models = holder
    app.state.readiness.add("model", holder.readiness)


async def app_settings(request: Request) -> ServiceSettings:
    """The app's settings (a service's alias types them as its own class)."""
    return request.app.state.settings  # type: ignore[no-any-return]


async def engine(request: Request) -> Engine:
    """The database engine (created on first use)."""
    return request.app.state.engine()  # type: ignore[no-any-return]


async def models(request: Request) -> ModelHolder[Any]:
    """The model holder: the current object, pinned versions, the reload."""
    return request.app.state.models  # type: ignore[no-any-return]


async def served(request: Request) -> Any:
    """The object the service builds from the current version; 503 while there is none."""
    holder: ModelHolder[Any] = request.app.state.models
    current = holder.current
    if current is None:
        raise DependencyUnavailable(holder.unavailable, retry_after=30)
    return current


EngineDep = Annotated[Engine, Depends(engine)]
CallerDep = Annotated[Principal, Depends(require_roles(*CALLER_ROLES))]
AdminDep = Annotated[Principal, Depends(require_roles(*ADMIN_ROLES))]
