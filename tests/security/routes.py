"""Every route of an app, read from the app itself (mounted sub-apps included), and a probe that
sends one request straight to the ASGI app and returns as soon as the status is known (so that
streaming routes, such as Gradio's heartbeat, do not hang the test)."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from fastapi.routing import iter_route_contexts
from starlette.routing import Mount

from credit_core.web.auth import allowed_roles

__all__ = ["PLAUSIBLE", "Endpoint", "endpoints", "fill", "probe"]

#: Plausible values for the path parameters the apps declare (ours and Gradio's).
PLAUSIBLE = {
    "client_id": "100001", "decision_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "run_id": "1", "session_id": "s" * 43, "path": "index.js", "size": "192", "key": "k",
    "session_hash": "abc123",
    "event_id": "e1", "api_name": "predict", "id": "x", "environment": "client",
    "type": "js", "file_name": "index.js", "url_path": "x", "path_or_url": "x", "run": "0",
    "component_id": "1", "segment_id": "2", "ext": "ts",
}
_PARAMETER = re.compile(r"\{([A-Za-z_]+)(?::[a-z]+)?\}")


@dataclass(frozen=True)
class Endpoint:
    """One method of one route: where, and the roles its dependency admits (None: open)."""

    method: str
    path: str
    roles: tuple[str, ...] | None

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def _walk(routes: Any, prefix: str) -> list[Endpoint]:
    found: list[Endpoint] = []
    for context in iter_route_contexts(routes):
        route = context.original_route
        if isinstance(route, Mount):
            found += _walk(route.routes, prefix + route.path)
            continue
        dependant = getattr(context, "dependant", None)
        roles = allowed_roles(dependant) if dependant is not None else None
        for method in sorted(context.methods or ()):
            if method != "HEAD":  # answered like GET
                found.append(Endpoint(method, prefix + str(context.path), roles))
    return found


def endpoints(app: Any) -> list[Endpoint]:
    """Every (method, path) the app serves, mounted apps included."""
    return _walk(app.routes, "")


def fill(path: str) -> str:
    """The path with its parameters replaced by plausible values."""
    return _PARAMETER.sub(lambda match: PLAUSIBLE[match.group(1)], path)


async def _probe(app: Any, method: str, path: str, headers: list[tuple[bytes, bytes]],
                 body: bytes, timeout: float) -> tuple[int, dict[str, str], bytes]:
    started: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
    chunks: list[bytes] = []
    finished = asyncio.Event()

    async def receive() -> dict[str, Any]:
        if finished.is_set():
            await asyncio.sleep(3600)  # the client stays connected until cancelled
        finished.set()
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start" and not started.done():
            started.set_result(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    raw_path, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": raw_path, "raw_path": raw_path.encode(), "root_path": "",
             "query_string": query.encode(), "headers": [(b"host", b"testserver"), *headers],
             "client": ("127.0.0.1", 50000), "server": ("testserver", 80), "state": {}}
    task = asyncio.create_task(app(scope, receive, send))
    try:
        start = await asyncio.wait_for(asyncio.shield(started), timeout)
        await asyncio.wait({task}, timeout=0.2)  # the body, unless it streams
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    response_headers = {key.decode("latin-1").lower(): value.decode("latin-1")
                        for key, value in start.get("headers", [])}
    return int(start["status"]), response_headers, b"".join(chunks)


def probe(app: Any, method: str, path: str, headers: dict[str, str] | None = None,
          body: bytes = b"", timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body so far) of one request to ``app``; no lifespan is run."""
    encoded = [(name.lower().encode("latin-1"), value.encode("latin-1"))
               for name, value in (headers or {}).items()]
    # In a thread of its own: another test's live event loop (Playwright's sync API) would
    # make asyncio.run refuse in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _probe(app, method, path, encoded, body, timeout)).result()
