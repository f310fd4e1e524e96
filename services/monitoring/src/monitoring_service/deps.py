"""What the route handlers declare: settings, the engine, the monitor, the runner, the caller.

Each reads the app state only, so it is ``async def``: a plain ``def`` dependency costs a
worker-thread hop per request.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import Engine

from credit_core.web.auth import BEARER_SCHEME, Principal, RoleRequirement, require_roles
from credit_core.web.errors import DependencyUnavailable
from monitoring_service.monitor import Monitor
from monitoring_service.service import Runner
from monitoring_service.sessions import COOKIE, key_is_active
from monitoring_service.settings import MonitoringSettings

__all__ = ["AdminDep", "DashboardCallerDep", "EngineDep", "LoginRequired", "MonitorDep",
           "OpsDep", "OutcomesCallerDep", "RunnerDep", "SettingsDep", "StatusReaderDep"]

DASHBOARD_ROLES = ("ops", "admin")


class LoginRequired(Exception):
    """The dashboard needs a session (or a bearer key): answered with the login page."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


async def _settings(request: Request) -> MonitoringSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def _engine(request: Request) -> Engine:
    return request.app.state.engine()  # type: ignore[no-any-return]


async def _monitor(request: Request) -> Monitor:
    monitor = request.app.state.monitors.monitor
    if monitor is None:
        raise DependencyUnavailable("the model and its reference", retry_after=30)
    return monitor  # type: ignore[no-any-return]


async def _runner(request: Request) -> Runner:
    return request.app.state.runner  # type: ignore[no-any-return]


class _DashboardCaller(RoleRequirement):
    """A bearer key (as the API), else the session cookie of a key that is still active."""

    async def __call__(self, request: Request, _credentials: Annotated[
            HTTPAuthorizationCredentials | None, Depends(BEARER_SCHEME)]) -> Principal:
        if request.headers.get("authorization"):
            return self.check(request)
        token = request.cookies.get(COOKIE)
        # A cookie that is not ASCII was not issued by us (and hmac.compare_digest would raise).
        principal = request.app.state.sessions.verify(token) if token and token.isascii() \
            else None
        if principal is None:
            raise LoginRequired("Sign in with an ops or admin API key.")
        active = await asyncio.to_thread(key_is_active, request.app.state.engine(),
                                         principal.name, principal.role)
        if not active or principal.role not in self.roles:
            raise LoginRequired("Your session has ended: the key was revoked. Sign in again.")
        request.state.principal = principal
        return principal


_dashboard_caller = _DashboardCaller(*DASHBOARD_ROLES)


SettingsDep = Annotated[MonitoringSettings, Depends(_settings)]
EngineDep = Annotated[Engine, Depends(_engine)]
MonitorDep = Annotated[Monitor, Depends(_monitor)]
RunnerDep = Annotated[Runner, Depends(_runner)]
OpsDep = Annotated[Principal, Depends(require_roles("ops", "admin"))]
#: Read-only status for the advisors' dashboard (its key has the "service" role).
StatusReaderDep = Annotated[Principal, Depends(require_roles("service", "ops", "admin"))]
OutcomesCallerDep = Annotated[Principal, Depends(require_roles("service", "ops", "admin"))]
AdminDep = Annotated[Principal, Depends(require_roles("admin"))]
DashboardCallerDep = Annotated[Principal, Depends(_dashboard_caller)]
