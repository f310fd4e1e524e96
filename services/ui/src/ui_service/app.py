"""The app factory: ``create_app(settings=None)`` returns the dashboard's FastAPI app.

FastAPI owns the sign-in (``/login``), the health routes and a guard that sends anyone without
a valid session to the sign-in page; the Gradio page is mounted under ``/app/`` with an
``auth_dependency`` that checks the same signed cookie on every Gradio request (config, queue,
files), so an expired session is refused everywhere, not only on the page.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable

import gradio as gr
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from credit_core.settings import disable_telemetry
from credit_core.web.logging import configure_logging
from ui_service.api.flows import Flows
from ui_service.api.peers import Services
from ui_service.events.wiring import build_blocks
from ui_service.layout.theme import CSS, head, theme
from ui_service.login import APP_PATH, RemoteSessions, login_router
from ui_service.session import Sessions
from ui_service.settings import UISettings, get_settings

__all__ = ["create_app"]


def _health(app: FastAPI, services: Services) -> None:
    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        """Liveness: the process answers (checks nothing else)."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    def readyz() -> JSONResponse:
        """Readiness: the scoring service answers its own /readyz."""
        ready = services.ready("scoring")
        return JSONResponse({"status": "ready" if ready else "not ready",
                             "checks": {"scoring": {"ok": ready}}},
                            status_code=200 if ready else 503)


#: Gradio's static files (code, styles, icons; no data), served to a browser before it signs in.
_STATIC = re.compile(
    r"^/app/((svelte|static|assets)/.*|favicon\.ico|theme\.css|robots\.txt|manifest\.json"
    r"|pwa_icon(/[^/]+)?|gradio_api/theme\.css|gradio_api/custom_component/.*)$")


def _guard(sessions: Sessions) -> Callable[[Request, Callable[[Request], Awaitable[Response]]],
                                           Awaitable[Response]]:
    """Send a browser without a valid session from the page to the sign-in form."""

    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]
                    ) -> Response:
        path = request.url.path
        guarded = path in ("/app", APP_PATH) or (path.startswith("/app/")
                                                 and not _STATIC.match(path))
        # Reading a session may ask the scoring service (the store): off the event loop.
        session = await asyncio.to_thread(sessions.of_request, request) if guarded else None
        if path in ("/app", APP_PATH) and session is None:
            reason = "&reason=expired" if request.cookies.get("credit_ui_session") else ""
            return RedirectResponse(f"/login?next={APP_PATH}{reason}", status_code=303)
        # Everything else of Gradio's but its static files needs the session too: some of its
        # routes (heartbeat, reset, cancel, startup events...) skip its auth_dependency.
        if guarded and session is None:
            return JSONResponse({"detail": "sign in first: no valid session"}, status_code=401)
        response = await call_next(request)
        if path in ("/app", APP_PATH):
            response.headers["Cache-Control"] = "no-store"
        return response

    return guard


def create_app(settings: UISettings | None = None, services: Services | None = None) -> FastAPI:
    """Build the dashboard (nothing is contacted until a request needs it)."""
    disable_telemetry()
    settings = settings or get_settings()
    configure_logging("ui", settings.log_level)
    services = services or Services(settings)
    flows = Flows(services)
    sessions = Sessions(settings.resolved_session_secret(), settings.session_minutes,
                        settings.cookie_secure, store=RemoteSessions(services))

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        flows.close()

    app = FastAPI(title="Credit decision dashboard", lifespan=lifespan, docs_url=None,
                  redoc_url=None, openapi_url=None)
    app.state.settings, app.state.flows, app.state.sessions = settings, flows, sessions
    _health(app, services)
    app.include_router(login_router(services, sessions))
    app.middleware("http")(_guard(sessions))

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse(APP_PATH, status_code=303)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    blocks = build_blocks(flows, sessions, settings.page_size)
    return gr.mount_gradio_app(
        app, blocks, path="/app", auth_dependency=sessions.username, footer_links=[],
        show_error=False, ssr_mode=False, pwa=False, mcp_server=False, run_history=False,
        theme=theme(), css=CSS, head=head(), server_name=settings.host,
        server_port=settings.port)
