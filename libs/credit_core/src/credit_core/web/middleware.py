"""Pure ASGI middleware (cheaper than BaseHTTPMiddleware on a 3 ms budget): request id, access
log, metrics, and the request body size limit."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from credit_core.web.logging import client_request_id_var, request_id_var
from credit_core.web.metrics import ServiceMetrics

__all__ = ["RequestContextMiddleware"]

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
logger = logging.getLogger("credit.access")


class _BodyTooLarge(Exception):
    pass


class RequestContextMiddleware:
    """Gives every request an id (X-Request-ID kept when well-formed), logs and measures it,
    and answers 413 to a body over the limit before it is read into memory: ``max_body_bytes``
    for multipart uploads, the smaller of it and ``max_json_bytes`` for any other body."""

    def __init__(self, app: Any, metrics: ServiceMetrics, max_body_bytes: int,
                 max_json_bytes: int | None = None) -> None:
        self.app = app
        self.metrics = metrics
        self.max_body_bytes = max_body_bytes
        self.max_json_bytes = min(max_body_bytes, max_json_bytes or max_body_bytes)

    def _limit(self, headers: dict[bytes, bytes]) -> int:
        media_type = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
        return self.max_body_bytes if media_type == b"multipart/form-data" else self.max_json_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        # Ours is always generated (unique, the audit's correlation id); the caller's own
        # X-Request-ID, when well-formed, is kept beside it (logs, the audit's client column).
        supplied = headers.get(b"x-request-id", b"").decode("latin-1")
        client_request_id = supplied if _REQUEST_ID.match(supplied) else None
        request_id = uuid.uuid4().hex
        token = request_id_var.set(request_id)
        client_token = client_request_id_var.set(client_request_id)
        state = scope.setdefault("state", {})
        state["request_id"], state["client_request_id"] = request_id, client_request_id
        started = time.perf_counter()
        status = {"code": 500}

        async def send_with_id(message: dict) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        limit = self._limit(headers)
        try:
            declared = headers.get(b"content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                await self._too_large(send_with_id, limit)
                return
            await self.app(scope, self._limited(receive, limit), send_with_id)
        except _BodyTooLarge:
            await self._too_large(send_with_id, limit)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.observe_request(route, scope["method"], status["code"], elapsed)
            logger.info("request", extra={
                "method": scope["method"], "route": route, "status": status["code"],
                "duration_ms": round(elapsed * 1000, 3),
            })
            request_id_var.reset(token)
            client_request_id_var.reset(client_token)

    def _limited(self, receive: Any, limit: int) -> Any:
        received = {"bytes": 0}

        async def wrapped() -> dict:
            message = await receive()
            if message["type"] == "http.request":
                received["bytes"] += len(message.get("body", b""))
                if received["bytes"] > limit:
                    raise _BodyTooLarge
            return message

        return wrapped

    async def _too_large(self, send: Any, limit: int) -> None:
        body = json.dumps({"detail": [{
            "loc": ["body"], "type": "too_large",
            "msg": f"request body larger than {limit} bytes",
        }]}).encode()
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        ]})
        await send({"type": "http.response.body", "body": body})
