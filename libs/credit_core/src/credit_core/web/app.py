"""Build a service's FastAPI app with the shared layer: middleware, errors, health, auth."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import Engine

from credit_core.db.engine import get_engine
from credit_core.web.auth import ApiKeyAuthenticator, RateLimiter, allowed_roles
from credit_core.web.errors import ERROR_DESCRIPTIONS, ErrorBody, install_error_handlers
from credit_core.web.health import Readiness, database_check, health_router
from credit_core.web.metrics import ServiceMetrics
from credit_core.web.middleware import RequestContextMiddleware
from credit_core.web.settings import ServiceSettings

__all__ = ["build_app", "document_errors", "require_json"]

_ERROR_REF = "#/components/schemas/ErrorBody"
_FASTAPI_422_REF = "#/components/schemas/HTTPValidationError"


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
                       max_body_bytes=settings.max_body_bytes,
                       max_json_bytes=settings.max_json_bytes)
    document_errors(app)
    return app


def _dependency_calls(dependant: Any) -> set[Any]:
    calls, pending = set(), [dependant]
    while pending:
        current = pending.pop()
        calls.add(current.call)
        pending.extend(current.dependencies)
    return calls


def _error_codes(route: Any, method: str) -> set[int]:
    """The errors the shared layer itself may answer on ``route``."""
    codes = set() if route.path_format == "/healthz" else {503}
    if allowed_roles(route.dependant) is not None:
        codes |= {401, 403, 429}
    if method == "POST":
        codes |= {413, 422}  # the size limit of the middleware; invalid bodies
    if route.body_field is not None:
        codes.add(400)  # a body that is not UTF-8, or nested too deeply to parse
    if require_json in _dependency_calls(route.dependant):
        codes.add(415)
    return codes


def document_errors(app: FastAPI) -> None:
    """Document in OpenAPI the errors every operation can answer, all with the ErrorBody shape.

    Derived from each route (its role dependency, its method, its body), so that a new route
    is documented without anyone remembering to; routes add their own (404, 409) in
    ``responses``.
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        if "ErrorBody" not in components:
            body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(body.pop("$defs", {}))
            components["ErrorBody"] = body
        for context in iter_route_contexts(app.routes):
            route = context.original_route
            if not isinstance(route, APIRoute) or not context.include_in_schema:
                continue
            for method in context.methods or ():
                operation = schema["paths"].get(context.path_format, {}).get(method.lower())
                if operation is None:
                    continue
                responses = operation.setdefault("responses", {})
                for code in _error_codes(context, method):
                    responses.setdefault(str(code), {"description": ERROR_DESCRIPTIONS[code]})
                for code, response in responses.items():
                    if code.isdigit() and int(code) >= 400:
                        _error_content(response)
                operation["responses"] = dict(sorted(responses.items()))
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _error_content(response: dict[str, Any]) -> None:
    """An error answer without a declared body, or with FastAPI's default 422 body, gets ours."""
    content = response.get("content")
    declared = (content or {}).get("application/json", {}).get("schema", {}).get("$ref")
    if content is None or declared == _FASTAPI_422_REF:
        response["content"] = {"application/json": {"schema": {"$ref": _ERROR_REF}}}


async def require_json(request: Request) -> None:
    """A dependency for JSON routes: 415 unless the body is declared as JSON (async: no
    thread hop for a header check).

    The caller is authenticated first (401 before 415: an anonymous caller learns nothing of
    the route's contract); the role is checked by the route's own dependency. A known key is
    answered from the authenticator's cache; an unknown one is checked in a worker thread.
    """
    authenticator = getattr(request.app.state, "authenticator", None)
    if authenticator is not None:
        authorization = request.headers.get("authorization")
        if authenticator.is_cached(authorization):
            authenticator.authenticate(authorization)
        else:
            await anyio.to_thread.run_sync(authenticator.authenticate, authorization)
    content_type = request.headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise HTTPException(
            415, detail=f"unsupported content type {content_type or '(none)'!r}: "
                        "send 'Content-Type: application/json'",
        )
