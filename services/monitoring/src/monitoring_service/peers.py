"""The readiness of the other services, asked in parallel with a short timeout (stdlib HTTP:
no client library for three GET requests)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["peer_readiness"]


def _ask(url: str, timeout: float) -> dict[str, Any]:
    target = url.rstrip("/") + "/readyz"
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(target, timeout=timeout) as response:
            status = response.status
            body = response.read(4096)
    except urllib.error.HTTPError as error:
        status, body = error.code, b""
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return {"url": url, "state": "down", "status": None, "detail": str(reason)[:200],
                "seconds": round(time.perf_counter() - started, 3)}
    state = {200: "ready", 503: "not ready"}.get(status, "up")
    detail: Any = None
    try:
        detail = json.loads(body).get("status") if body else None
    except (ValueError, AttributeError):
        detail = None
    return {"url": url, "state": state, "status": status, "detail": detail,
            "seconds": round(time.perf_counter() - started, 3)}


def peer_readiness(peers: Mapping[str, str], timeout: float) -> dict[str, dict[str, Any]]:
    """For each named service: state ready / not ready / up (other answer) / down, with detail."""
    if not peers:
        return {}
    with ThreadPoolExecutor(max_workers=len(peers)) as pool:
        answers = {name: pool.submit(_ask, url, timeout) for name, url in peers.items()}
        return {name: answer.result() for name, answer in answers.items()}
