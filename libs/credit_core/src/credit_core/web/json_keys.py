"""Refuse JSON bodies with a repeated key (``{"a": 1, "a": 2}``): 422 naming the key.

Python's parser keeps the last value silently, so a body could say one thing to a proxy or a
log reader and another to the service. Checked once per JSON body, before the app reads it
(the body is already bounded by the request-context middleware); the body is then passed on
unchanged.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["DuplicateKey", "DuplicateKeysMiddleware", "find_duplicate_key"]


class DuplicateKey(ValueError):
    """A JSON object with the same key twice."""

    def __init__(self, key: str) -> None:
        super().__init__(f"duplicate key {key!r} in a JSON object")
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey(key)
        seen[key] = value
    return seen


def find_duplicate_key(body: bytes) -> str | None:
    """The first repeated key of ``body``, or None (also when it is not JSON: the app says so)."""
    try:
        json.loads(body, object_pairs_hook=_pairs)
    except DuplicateKey as error:
        return error.key
    except (ValueError, RecursionError):
        return None
    return None


def _checked(headers: list[tuple[bytes, bytes]]) -> bool:
    """A JSON body from a caller with credentials (an anonymous one gets its 401 first)."""
    found = dict(headers)
    media = found.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
    return b"authorization" in found and (media == b"application/json"
                                           or media.endswith(b"+json"))


class DuplicateKeysMiddleware:
    """ASGI middleware: 422 for a JSON body with a repeated key; other requests pass as is."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not _checked(scope.get("headers") or []):
            await self.app(scope, receive, send)
            return
        messages, chunks = [], []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body_bytes = b"".join(chunks)
        key = find_duplicate_key(body_bytes) if body_bytes.strip() else None
        if key is not None:
            body = json.dumps({"detail": [{"loc": ["body", key], "type": "json_duplicate_key",
                                           "msg": f"duplicate key {key!r}: each key once"}]})
            await send({"type": "http.response.start", "status": 422, "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body.encode()})
            return
        pending = list(messages)

        async def replay() -> dict:
            return pending.pop(0) if pending else await receive()

        await self.app(scope, replay, send)
