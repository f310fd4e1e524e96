"""/healthz (the process answers), /readyz (model and database usable), /metrics (Prometheus).

Open to all: orchestrators and Prometheus call them without credentials.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, text

from credit_core.web.json_keys import StrictJSONRoute
from credit_core.web.metrics import CONTENT_TYPE_LATEST

__all__ = ["Readiness", "database_check", "health_router"]

#: A check returns (ok, detail). Readiness is every check ok.
Check = Callable[[], tuple[bool, Any]]


class Readiness:
    """The checks a service registers; /readyz runs them all."""

    def __init__(self) -> None:
        self.checks: dict[str, Check] = {}

    def add(self, name: str, check: Check) -> None:
        self.checks[name] = check

    def run(self) -> tuple[bool, dict[str, Any]]:
        results = {}
        ready = True
        for name, check in self.checks.items():
            try:
                ok, detail = check()
            except Exception as error:  # a failing check means not ready, never a 500
                ok, detail = False, f"{type(error).__name__}: {error}"
            results[name] = {"ok": ok, "detail": detail}
            ready = ready and ok
        return ready, results


def database_check(engine: Callable[[], Engine]) -> Check:
    """Ready when a trivial query answers."""

    def check() -> tuple[bool, Any]:
        with engine().connect() as connection:
            connection.execute(text("SELECT 1"))
        return True, "reachable"

    return check


def health_router() -> APIRouter:
    router = APIRouter(route_class=StrictJSONRoute, tags=["health"])

    @router.get("/healthz", summary="Liveness: the process answers")
    def healthz() -> dict[str, str]:
        """Liveness: the process answers (checks nothing else)."""
        return {"status": "ok"}

    @router.get("/readyz", summary="Readiness: model loaded and database reachable")
    def readyz(request: Request) -> JSONResponse:
        """Readiness: every dependency check, with details; 503 until all pass."""
        ready, checks = request.app.state.readiness.run()
        return JSONResponse({"status": "ready" if ready else "not ready", "checks": checks},
                            status_code=200 if ready else 503)

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    def metrics(request: Request) -> Response:
        """Prometheus metrics of this process."""
        return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return router
