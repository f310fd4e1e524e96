"""What the route handlers declare: the kit's engine and admin, plus monitoring's settings,
monitor, runner, roles and the ops dashboard's caller (a key or a session).

Each reads the app state only, so it is ``async def``: a plain ``def`` dependency costs a
worker-thread hop per request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import Engine

from credit_core.auth import key_is_active
from credit_core.db.browser_sessions import DatabaseSessionStore
from credit_core.serving.deps import AdminDep, EngineDep, app_settings, served
from credit_core.web.auth import BEARER_SCHEME, Principal, RoleRequirement, require_roles
from credit_core.web.sessions import SessionCookie
from monitoring_service.monitor import Monitor
from monitoring_service.service import Runner
from monitoring_service.settings import MonitoringSettings

__all__ = ["DASHBOARD_ROLES", "OPS_ROLES", "SESSION_COOKIE", "AdminDep", "DashboardCallerDep", "EngineDep",
           "LoginRequired", "MonitorDep", "OpsDep", "OutcomesCallerDep", "RunnerDep",
           "SettingsDep", "StatusReaderDep", "dashboard_sessions"]

OPS_ROLES = ("ops", "admin")
#: Who may see the ops dashboard (with a key or a session).
DASHBOARD_ROLES = OPS_ROLES
SESSION_COOKIE = "monitoring_session"
#: A session unused this long is over (the cookie's own limit is MONITORING_SESSION_HOURS).
SESSION_IDLE = timedelta(minutes=30)


class LoginRequired(Exception):
    """The dashboard needs a session (or a bearer key): answered with the login page."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def dashboard_sessions(settings: MonitoringSettings,
                       engine: Callable[[], Engine]) -> SessionCookie:
    """The ops dashboard's session cookie: an ops or admin key's name, for /dashboard only,
    kept in the sessions table (sign-out ends it; idle for SESSION_IDLE, it expires)."""
    secret = settings.session_secret.get_secret_value() if settings.session_secret else None
    return SessionCookie(SESSION_COOKIE, secret, int(settings.session_hours * 3600),
                         salt="credit-monitoring-session", path="/dashboard",
                         secure=settings.cookie_secure, roles=DASHBOARD_ROLES,
                         store=DatabaseSessionStore(engine, SESSION_COOKIE, SESSION_IDLE))


async def _runner(request: Request) -> Runner:
    return request.app.state.runner  # type: ignore[no-any-return]


class _DashboardCaller(RoleRequirement):
    """A bearer key (as the API), else the session cookie of a key that is still active."""

    async def __call__(self, request: Request, _credentials: Annotated[
            HTTPAuthorizationCredentials | None, Depends(BEARER_SCHEME)]) -> Principal:
        if request.headers.get("authorization"):
            return self.check(request)
        # Of a dashboard role only, and open in the sessions table (a query: off the loop).
        session = await asyncio.to_thread(request.app.state.sessions.of_request, request)
        if session is None:
            raise LoginRequired("Sign in with an ops or admin API key.")
        active = await asyncio.to_thread(key_is_active, request.app.state.engine(),
                                         session.name, session.role)
        if not active:
            raise LoginRequired("Your session has ended: the key was revoked. Sign in again.")
        principal = Principal(session.name, session.role)
        request.state.principal = principal
        return principal


_dashboard_caller = _DashboardCaller(*DASHBOARD_ROLES)


SettingsDep = Annotated[MonitoringSettings, Depends(app_settings)]
MonitorDep = Annotated[Monitor, Depends(served)]
RunnerDep = Annotated[Runner, Depends(_runner)]
OpsDep = Annotated[Principal, Depends(require_roles(*OPS_ROLES))]
#: Read-only status for the advisors' dashboard (its key has the "service" role).
StatusReaderDep = Annotated[Principal, Depends(require_roles("service", "ops", "admin"))]
OutcomesCallerDep = Annotated[Principal, Depends(require_roles("service", "ops", "admin"))]
DashboardCallerDep = Annotated[Principal, Depends(_dashboard_caller)]
