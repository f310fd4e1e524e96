"""Refuse JSON bodies with a repeated key (``{"a": 1, "a": 2}``): 422 naming the key.

Python's parser keeps the last value silently, so a body could say one thing to a proxy or a
log reader and another to the service. The check is part of the one parse a body gets: routes
declared with ``StrictJSONRoute`` read their JSON through ``unique_pairs`` (FastAPI parses a
body once, in ``Request.json``), and the routes that parse their own bytes (``/invocations``,
the drift runs) use ``unique_pairs`` or ``loads_unique``. No body is parsed a second time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute

__all__ = ["DuplicateKey", "StrictJSONRoute", "duplicate_key_error", "loads_unique",
           "unique_pairs"]


class DuplicateKey(ValueError):
    """A JSON object with the same key twice."""

    def __init__(self, key: str) -> None:
        super().__init__(f"duplicate key {key!r} in a JSON object")
        self.key = key


def unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` for ``json.loads``/``JSONDecoder``: DuplicateKey on a repeat."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


def loads_unique(raw: bytes | str) -> Any:
    """``json.loads`` that raises DuplicateKey (a ValueError) for a repeated key at any depth."""
    return json.loads(raw, object_pairs_hook=unique_pairs)


def duplicate_key_error(error: DuplicateKey) -> HTTPException:
    """The 422 of a repeated key, in the shape of the validation errors (field and reason).

    An HTTPException: FastAPI lets it through its body parsing as it is (any other error
    there becomes a generic 400).
    """
    return HTTPException(422, detail=[{"loc": ["body", error.key], "type": "json_duplicate_key",
                                       "msg": f"duplicate key {error.key!r}: each key once"}])


class _StrictJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            try:
                self._json = loads_unique(await self.body())
            except DuplicateKey as error:
                raise duplicate_key_error(error) from None
        return self._json


class StrictJSONRoute(APIRoute):
    """A route whose JSON body is refused when an object repeats a key (every router of the
    services declares it: ``APIRouter(route_class=StrictJSONRoute)``)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(_StrictJSONRequest(request.scope, request.receive))

        return strict
