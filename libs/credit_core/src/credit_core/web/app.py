"""Build a service's FastAPI app with the shared layer: middleware, errors, health, auth."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import Engine

from credit_core.db.engine import get_engine
from credit_core.web.auth import ApiKeyAuthenticator, RateLimiter
from credit_core.web.errors import install_error_handlers
from credit_core.web.health import Readiness, database_check, health_router
from credit_core.web.metrics import ServiceMetrics
from credit_core.web.middleware import RequestContextMiddleware
from credit_core.web.settings import ServiceSettings

__all__ = ["build_app", "require_json"]


def build_app(
    service: str,
    settings: ServiceSettings,
    lifespan: Callable[[FastAPI], Any] | None = None,
    **fastapi_kwargs: Any,
) -> FastAPI:
    """A FastAPI app with request ids, JSON logs, metrics, auth, health and error handlers.

    ``app.state`` gets ``settings``, ``metrics``, ``readiness`` (with a database check),
    ``authenticator`` and ``engine()`` (the database engine, created on first use).
    """
    app = FastAPI(lifespan=lifespan, **fastapi_kwargs)
    app.state.settings = settings
    app.state.metrics = ServiceMetrics(service)
    app.state.readiness = Readiness()

    def engine() -> Engine:
        return get_engine(settings.resolved_database_url)

    app.state.engine = engine
    app.state.readiness.add("database", database_check(lambda: app.state.engine()))
    app.state.authenticator = ApiKeyAuthenticator(
        lambda: app.state.engine(), settings.api_key_cache_seconds,
        RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst),
    )
    install_error_handlers(app, settings.database_retry_after_seconds)
    app.include_router(health_router())
    app.add_middleware(
        CORSMiddleware, allow_origins=settings.cors_origins, allow_credentials=False,
        allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type",
                                                      "X-Request-ID"],
    )
    app.add_middleware(RequestContextMiddleware, metrics=app.state.metrics,
                       max_body_bytes=settings.max_body_bytes)
    return app


def require_json(request: Request) -> None:
    """A dependency for JSON routes: 415 unless the body is declared as JSON."""
    content_type = request.headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise HTTPException(
            415, detail=f"unsupported content type {content_type or '(none)'!r}: "
                        "send 'Content-Type: application/json'",
        )
