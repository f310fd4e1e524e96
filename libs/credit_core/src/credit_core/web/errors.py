"""Error responses: 4xx name the field and the reason; a database outage is a 503 with
Retry-After; nothing ever answers with a stack trace."""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError

__all__ = ["DependencyUnavailable", "install_error_handlers", "validation_errors"]

logger = logging.getLogger("credit.errors")


class DependencyUnavailable(Exception):
    """A dependency (database, model, peer service) is down: 503 with Retry-After."""

    def __init__(self, what: str, retry_after: int = 5) -> None:
        super().__init__(what)
        self.what = what
        self.retry_after = retry_after


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def validation_errors(errors: Any) -> list[dict[str, Any]]:
    """Pydantic errors as JSON-safe dicts: where, what is wrong (no echo of large inputs)."""
    out = []
    for error in errors:
        out.append({
            "loc": [_clean(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "invalid value")),
            "type": str(error.get("type", "value_error")),
        })
    return out


def install_error_handlers(app: FastAPI, retry_after: int) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": validation_errors(error.errors())}, status_code=422)

    @app.exception_handler(DependencyUnavailable)
    async def _unavailable(_request: Request, error: DependencyUnavailable) -> JSONResponse:
        return JSONResponse({"detail": f"{error.what} is unavailable; retry later"},
                            status_code=503, headers={"Retry-After": str(error.retry_after)})

    @app.exception_handler(OperationalError)
    @app.exception_handler(DBAPIError)
    async def _database(_request: Request, error: Exception) -> JSONResponse:
        logger.warning("database unavailable: %s", type(error).__name__)
        return JSONResponse({"detail": "the database is unavailable; retry later"},
                            status_code=503, headers={"Retry-After": str(retry_after)})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        logger.exception("unhandled error")
        request_id = getattr(request.state, "request_id", None)
        return JSONResponse({"detail": "internal error", "request_id": request_id},
                            status_code=500)
