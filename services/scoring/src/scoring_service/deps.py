"""What the route handlers declare: the kit's settings, engine, caller and admin, plus the
scorer and the request id."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from credit_core.scoring import Scorer
from credit_core.serving.deps import AdminDep, CallerDep, EngineDep, app_settings, served
from credit_core.web.auth import Principal, require_roles
from scoring_service.settings import ScoringSettings

__all__ = ["DASHBOARD_READERS", "AdminDep", "CallerDep", "ClientRequestIdDep",
           "DashboardReaderDep", "EngineDep", "RequestIdDep", "ScorerDep", "SettingsDep"]

#: Who may read clients and the population (the advisors' dashboard, with its "service" key,
#: and admins): not integrators, whose keys score and nothing else (docs/reliability.md).
DASHBOARD_READERS = ("service", "admin")


async def _request_id(request: Request) -> str:
    # async although it awaits nothing: a plain def dependency costs a worker-thread hop.
    return str(request.state.request_id)


async def _client_request_id(request: Request) -> str | None:
    return getattr(request.state, "client_request_id", None)


SettingsDep = Annotated[ScoringSettings, Depends(app_settings)]
ScorerDep = Annotated[Scorer, Depends(served)]
RequestIdDep = Annotated[str, Depends(_request_id)]
#: The caller's own X-Request-ID (audited beside ours), if it sent one.
ClientRequestIdDep = Annotated[str | None, Depends(_client_request_id)]
DashboardReaderDep = Annotated[Principal, Depends(require_roles(*DASHBOARD_READERS))]
