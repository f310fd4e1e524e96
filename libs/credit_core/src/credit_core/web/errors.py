"""Error responses: 4xx name the field and the reason; a database outage is a 503 with
Retry-After; nothing ever answers with a stack trace. ``ErrorBody`` documents their shape."""

from __future__ import annotations

import logging
import math
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

__all__ = [
    "ERROR_DESCRIPTIONS",
    "DependencyUnavailable",
    "ErrorBody",
    "ErrorItem",
    "error_responses",
    "install_error_handlers",
    "validation_errors",
]

logger = logging.getLogger("credit.errors")


class DependencyUnavailable(Exception):
    """A dependency (database, model, peer service) is down: 503 with Retry-After."""

    def __init__(self, what: str, retry_after: int = 5) -> None:
        super().__init__(what)
        self.what = what
        self.retry_after = retry_after


class ErrorItem(BaseModel):
    """One problem: where (``loc``, e.g. ``["body", "client_id"]``), what and why."""

    loc: list[str | int]
    msg: str
    type: str


class ErrorBody(BaseModel):
    """Every error answer: ``detail`` is a sentence, or one item per field at fault."""

    detail: str | list[ErrorItem]
    request_id: str | None = Field(None, description="Given with a 500, to find the log line")


ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "The body cannot be read (not UTF-8, not JSON, nested too deeply)",
    401: "Missing, malformed, unknown or revoked API key",
    403: "The key's role may not call this route or read this data",
    404: "Unknown client, decision, run or version",
    409: "Conflicts with the stored state",
    413: "Body or batch larger than the service accepts",
    415: "Unsupported content type",
    422: "A field is invalid: where and why",
    429: "Too many requests for this key or account (see Retry-After)",
    503: "A dependency (database, model, registry) is down; retry after Retry-After",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for error ``codes``, with the ErrorBody shape."""
    return {code: {"model": ErrorBody, "description": ERROR_DESCRIPTIONS[code]}
            for code in codes}


#: FastAPI's answer when reading the body fails for another reason than bad JSON syntax.
_UNREADABLE_BODY = "There was an error parsing the body"


def _unreadable_reason(cause: BaseException | None) -> str:
    if isinstance(cause, UnicodeDecodeError):
        return (f"the body is not valid UTF-8: byte 0x{cause.object[cause.start]:02x} at "
                f"position {cause.start}")
    if isinstance(cause, RecursionError):
        return "the JSON body is nested too deeply"
    return "the body cannot be read as JSON"


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


#: Pydantic's names for its own validators and union members, which it puts in ``loc``
#: (``function-after[_not_future(), OutcomeIn]``): internals, not a field of the request.
_INTERNAL_LOC = re.compile(r"^(function-(after|before|wrap|plain)|tagged-union|chain)\[")


def validation_errors(errors: Any) -> list[dict[str, Any]]:
    """Pydantic errors as JSON-safe dicts: where (the request's own field names only), what is
    wrong (no echo of large inputs)."""
    out = []
    for error in errors:
        message = str(error.get("msg", "invalid value"))
        context = error.get("ctx") or {}
        if error.get("type") == "json_invalid" and context.get("error"):
            message = f"{message}: {context['error']}"  # say why, not only that it failed
        out.append({
            "loc": [_clean(part) for part in error.get("loc", ())
                    if not (isinstance(part, str) and _INTERNAL_LOC.match(part))],
            "msg": message,
            "type": str(error.get("type", "value_error")),
        })
    return out


def install_error_handlers(app: FastAPI, retry_after: int) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": validation_errors(error.errors())}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 400 and error.detail == _UNREADABLE_BODY:
            reason = _unreadable_reason(error.__cause__)
            return JSONResponse({"detail": [{"loc": ["body"], "msg": reason,
                                             "type": "body_unreadable"}]}, status_code=400)
        return await http_exception_handler(request, error)

    @app.exception_handler(DependencyUnavailable)
    async def _unavailable(_request: Request, error: DependencyUnavailable) -> JSONResponse:
        return JSONResponse({"detail": f"{error.what} is unavailable; retry later"},
                            status_code=503, headers={"Retry-After": str(error.retry_after)})

    @app.exception_handler(DataError)
    async def _unstorable(_request: Request, error: DataError) -> JSONResponse:
        # A value the database refuses (a NUL in text, a number out of range) is the request's
        # fault: retrying cannot help, so not a 503. The routes validate first; this is the net.
        logger.warning("value refused by the database: %s", type(error.orig).__name__)
        return JSONResponse({"detail": [{
            "loc": ["body"], "type": "value_error",
            "msg": "a value cannot be stored (a NUL character, or a number out of range)",
        }]}, status_code=422)

    @app.exception_handler(OperationalError)
    @app.exception_handler(DBAPIError)
    @app.exception_handler(PoolTimeout)  # every pooled connection busy: overloaded, not broken
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
