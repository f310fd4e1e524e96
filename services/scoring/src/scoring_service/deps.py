"""What the route handlers declare: the kit's settings, engine, caller and admin, plus the
served model (a Home Credit scorer for the Home Credit routes) and the request id."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from credit_core.scoring import Scorer
from credit_core.serving.deps import AdminDep, CallerDep, EngineDep, app_settings, served
from credit_core.web.auth import Principal, require_roles
from scoring_service.served import GenericModel, Served
from scoring_service.settings import ScoringSettings

__all__ = ["DASHBOARD_READERS", "AdminDep", "AnyServedDep", "CallerDep", "ClientRequestIdDep",
           "DashboardReaderDep", "EngineDep", "RequestIdDep", "ScorerDep", "SettingsDep",
           "require_home_credit"]

#: Who may read clients and the population (the advisors' dashboard, with its "service" key,
#: and admins): not integrators, whose keys score and nothing else (docs/reliability.md).
DASHBOARD_READERS = ("service", "admin")


async def _request_id(request: Request) -> str:
    # async although it awaits nothing: a plain def dependency costs a worker-thread hop.
    return str(request.state.request_id)


async def _client_request_id(request: Request) -> str | None:
    return getattr(request.state, "client_request_id", None)


def _generic_model_here(current: Served | None) -> None:
    if isinstance(current, GenericModel):
        model = current.model
        raise HTTPException(409, detail=(
            f"this deployment serves a generic model ({model.name} v{model.version}), not a "
            "Home Credit model: use POST /invocations with the model's columns"))


async def _home_credit_scorer(current: Annotated[Served, Depends(served)]) -> Scorer:
    """The Home Credit scorer; 409 when this deployment serves a generic model."""
    _generic_model_here(current)
    assert isinstance(current, Scorer)
    return current


async def require_home_credit(request: Request, caller: CallerDep) -> None:
    """For Home Credit routes that need no model (the clients): 409 in a generic deployment.

    After authentication (an anonymous caller learns nothing); with no model loaded yet the
    route still answers, as it did before generic deployments existed.
    """
    _generic_model_here(request.app.state.models.current)


SettingsDep = Annotated[ScoringSettings, Depends(app_settings)]
ScorerDep = Annotated[Scorer, Depends(_home_credit_scorer)]
AnyServedDep = Annotated[Served, Depends(served)]
RequestIdDep = Annotated[str, Depends(_request_id)]
#: The caller's own X-Request-ID (audited beside ours), if it sent one.
ClientRequestIdDep = Annotated[str | None, Depends(_client_request_id)]
DashboardReaderDep = Annotated[Principal, Depends(require_roles(*DASHBOARD_READERS))]
