"""``GET /v1/model`` (what is served) and ``POST /v1/model/reload`` (admins), for any service.

A service says what it tells of its object; the router adds the versions kept pinned, if any.
"""

# No ``from __future__ import annotations``: FastAPI must see the reader dependency built in
# model_router, which a string annotation could not name.
from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from credit_core.serving.deps import CALLER_ROLES, AdminDep, models, served
from credit_core.serving.holder import ModelHolder
from credit_core.web.auth import Principal, require_roles
from credit_core.web.json_keys import StrictJSONRoute

__all__ = ["model_router"]


def model_router(
    describe: Callable[[Any], dict[str, Any]],
    *,
    summary: str,
    description: str,
    readers: Sequence[str] = CALLER_ROLES,
    responses: dict[int | str, dict[str, Any]] | None = None,
) -> APIRouter:
    """The model routes: ``describe`` turns the served object into the GET answer.

    ``summary`` and ``description`` document the GET in /docs; ``readers`` are the roles that
    may read it; ``responses`` documents errors the service's routes add.
    """
    router = APIRouter(route_class=StrictJSONRoute, prefix="/v1/model", tags=["model"], responses=responses)
    reader = Annotated[Principal, Depends(require_roles(*readers))]

    @router.get("", summary=summary, description=description)
    def get_model(current: Annotated[Any, Depends(served)],
                  holder: Annotated[ModelHolder[Any], Depends(models)],
                  caller: reader) -> dict[str, Any]:
        pinned = {} if holder.pinned is None else {"pinned_versions": holder.pinned.versions()}
        return {**describe(current), **pinned}

    @router.post("/reload", summary="Ask the registry now (admins)")
    def reload_model(holder: Annotated[ModelHolder[Any], Depends(models)],
                     caller: AdminDep) -> dict[str, Any]:
        """Reload the version the alias points to now, even if it failed before (admins only)."""
        return holder.reload(force=True)

    return router
