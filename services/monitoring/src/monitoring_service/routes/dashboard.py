"""The ops dashboard (HTML) and its sign-in: a bearer key, or a session cookie obtained by
posting an ops or admin key to the sign-in form (the key never appears in an address)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from credit_core.auth import parse_api_key
from credit_core.logins import ChecksBusy, Throttled
from credit_core.web.auth import Principal
from credit_core.web.errors import ErrorBody, error_responses
from credit_core.web.json_keys import StrictJSONRoute
from monitoring_service.dashboard.data import collect
from monitoring_service.dashboard.page import render_dashboard, render_login
from monitoring_service.deps import (
    DASHBOARD_ROLES,
    DashboardCallerDep,
    EngineDep,
    SettingsDep,
)
from monitoring_service.routes.drift import RunId, get_report

router = APIRouter(route_class=StrictJSONRoute, prefix="/dashboard", tags=["dashboard"])

#: Without a session the browser gets the sign-in page (HTML); a refused bearer key, JSON.
_SIGN_IN: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "content": {"text/html": {}}, "description": description}
    for status, description in ((401, "No valid session or key: the sign-in page"),
                                (403, "The key's role may not see the dashboard"))}
_REDIRECT: dict[int | str, dict[str, Any]] = {303: {"description": "Redirect (Location)"}}

#: No script, no external resource, no framing; nothing cached.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' "
                               "data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def login_page(message: str, status: int, retry_after: int | None = None) -> HTMLResponse:
    """The sign-in form with a message, as a 401 (or 403, 429, 503) answer."""
    headers = dict(PAGE_HEADERS) | ({"WWW-Authenticate": "Bearer"} if status == 401 else {})
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return HTMLResponse(render_login(message), status_code=status, headers=headers)


def _key_principal(request: Request, key: str) -> Principal | None:
    """The key's principal, or None when it is not valid (checked in the gate's pool)."""
    try:
        return request.app.state.authenticator.authenticate(f"Bearer {key}")  # type: ignore[no-any-return]
    except HTTPException:
        return None


@router.get("", response_class=HTMLResponse, summary="The ops dashboard", responses=_SIGN_IN)
def dashboard(request: Request, engine: EngineDep, settings: SettingsDep,
              caller: DashboardCallerDep) -> HTMLResponse:
    """Drift share over time, top drifted columns, prediction drift, realised performance and
    the readiness of the other services (ops and admin keys)."""
    data = collect(engine, request.app.state.models, settings, caller.name)
    return HTMLResponse(render_dashboard(data), headers=PAGE_HEADERS)


@router.get("/runs/{run_id}/report", summary="A run's Evidently report, for the dashboard",
            response_class=Response, responses={
                200: {"content": {"text/html": {}}}, 202: {"description": "still rendering"},
                409: {"description": "rendering failed"}, **error_responses(404), **_SIGN_IN})
def dashboard_report(run_id: RunId, engine: EngineDep, settings: SettingsDep,
                     caller: DashboardCallerDep) -> Response:
    """The same answer as /v1/drift/runs/{run_id}/report, with the dashboard's session."""
    return get_report(run_id, engine, settings, caller)


@router.get("/login", response_class=HTMLResponse, summary="The dashboard's sign-in form")
def login_form() -> HTMLResponse:
    """The sign-in form."""
    return HTMLResponse(render_login("Sign in with an ops or admin API key."),
                        headers=PAGE_HEADERS)


@router.post("/login", response_class=HTMLResponse, summary="Sign in to the dashboard",
             responses={**_SIGN_IN, **_REDIRECT})
async def login(request: Request) -> Response:
    """Exchange an ops or admin API key (form field `api_key`) for a session cookie."""
    form = await request.form(max_files=0, max_fields=5)
    key = form.get("api_key")
    if not isinstance(key, str) or not key.strip():
        return login_page("Enter an API key.", 401)
    key = key.strip()
    parsed = parse_api_key(key)
    # The same throttle and bounded checks as the advisors' sign-in; the key's prefix (not
    # secret) stands for the account.
    name = f"key:{parsed[0]}" if parsed else "key:malformed"
    source = request.client.host if request.client else "unknown"
    try:
        principal = await request.app.state.login_gate.sign_in(
            name, source, lambda: _key_principal(request, key))
    except Throttled as error:
        return login_page(f"Too many failed sign-ins: wait {error.retry_after} s.", 429,
                          retry_after=error.retry_after)
    except ChecksBusy:
        return login_page("Too many sign-ins at once: try again in a second.", 503,
                          retry_after=ChecksBusy.retry_after)
    if principal is None:
        return login_page("That key is not valid (or was revoked).", 401)
    if principal.role not in DASHBOARD_ROLES:
        return login_page(f"A key with the role {principal.role!r} may not see the dashboard.",
                          403)
    response = RedirectResponse("/dashboard", status_code=303, headers=PAGE_HEADERS)
    await asyncio.to_thread(request.app.state.sessions.start, response, principal.name,
                            principal.role)  # a row in the sessions table
    return response


@router.post("/logout", summary="Sign out of the dashboard", responses=_REDIRECT)
def logout(request: Request) -> RedirectResponse:
    """End the session (server-side too) and forget the cookie."""
    response = RedirectResponse("/dashboard/login", status_code=303, headers=PAGE_HEADERS)
    request.app.state.sessions.end(response, request)
    return response
