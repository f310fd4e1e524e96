"""API-key authentication and per-key rate limiting for every service.

A key is checked against its salted argon2 hash once, then trusted for ``cache_seconds``
(keyed by a SHA-256 of the presented key, never the key itself), so that argon2's deliberate
slowness is paid once per key and period, not on every request. Revocation takes effect when
the cache entry expires. The rate limit is a token bucket per key name, per process: with
several replicas the effective limit is the per-replica limit times the replica count.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine, select

from credit_core.auth import parse_api_key, verify_secret
from credit_core.db.tables import api_keys

__all__ = ["BEARER_SCHEME", "ApiKeyAuthenticator", "Principal", "RateLimiter",
           "RoleRequirement", "allowed_roles", "require_roles"]


@dataclass(frozen=True)
class Principal:
    """Who called: the API key's name (written to the audit log) and its role."""

    name: str
    role: str


def _unauthorized(reason: str) -> HTTPException:
    return HTTPException(401, detail=reason, headers={"WWW-Authenticate": "Bearer"})


class RateLimiter:
    """Token bucket per key: ``per_minute`` sustained, ``burst`` at once."""

    def __init__(self, per_minute: int, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key_name: str) -> float:
        """0 when the request may go ahead (and takes a token), else seconds to wait."""
        now = time.monotonic()
        with self._lock:
            tokens, updated = self._buckets.get(key_name, (self.burst, now))
            tokens = min(self.burst, tokens + (now - updated) * self.rate)
            if tokens >= 1.0:
                self._buckets[key_name] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key_name] = (tokens, now)
            return (1.0 - tokens) / self.rate


def _digest(token: str) -> bytes:
    """The cache key of a presented token (never the token itself)."""
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest()


class ApiKeyAuthenticator:
    """Checks ``Authorization: Bearer <key>`` against the api_keys table."""

    def __init__(self, engine: Callable[[], Engine], cache_seconds: float,
                 limiter: RateLimiter) -> None:
        self._engine = engine
        self.cache_seconds = cache_seconds
        self.limiter = limiter
        self._cache: dict[bytes, tuple[Principal, float]] = {}
        self._lock = threading.Lock()

    def is_cached(self, authorization: str | None) -> bool:
        """Whether this header's key was verified recently (answered without the database)."""
        if not authorization:
            return True  # refused at once, nothing to look up
        digest = _digest(authorization.partition(" ")[2].strip())
        with self._lock:
            cached = self._cache.get(digest)
        return cached is not None and cached[1] > time.monotonic()

    def authenticate(self, authorization: str | None) -> Principal:
        """The key's principal, or HTTPException 401 (missing, malformed, wrong, revoked)."""
        if not authorization:
            raise _unauthorized("missing credentials: send 'Authorization: Bearer <api key>'")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorized("malformed credentials: expected 'Bearer <api key>'")
        token = token.strip()
        digest = _digest(token)
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(digest)
        if cached and cached[1] > now:
            return cached[0]
        principal = self._verify(token)
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[digest] = (principal, now + self.cache_seconds)
        return principal

    def _verify(self, token: str) -> Principal:
        parsed = parse_api_key(token)
        if parsed is None:
            raise _unauthorized("invalid API key")
        prefix, secret = parsed
        with self._engine().connect() as connection:
            rows = connection.execute(
                select(api_keys.c.name, api_keys.c.role, api_keys.c.key_hash)
                .where(api_keys.c.prefix == prefix, api_keys.c.revoked_at.is_(None))
            ).all()
        for row in rows:
            if verify_secret(row.key_hash, secret):
                return Principal(name=row.name, role=row.role)
        raise _unauthorized("invalid or revoked API key")

    def forget(self) -> None:
        """Drop the cache (tests, and after a revocation when it must act at once)."""
        with self._lock:
            self._cache.clear()


#: Documents the bearer scheme in OpenAPI (the Authorize button of /docs); the checks are ours.
BEARER_SCHEME = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer ck_...`")


class RoleRequirement:
    """A dependency: the caller's principal; 401 without a valid key, 403 unless its role is
    one of ``roles``, 429 over the key's rate limit. ``roles`` stays readable on the route, so
    that the OpenAPI errors and the route tests derive from it."""

    def __init__(self, *roles: str) -> None:
        self.roles = roles

    async def __call__(self, request: Request, _credentials: Annotated[
            HTTPAuthorizationCredentials | None, Depends(BEARER_SCHEME)]) -> Principal:
        # async: runs on the event loop, no thread hop per request while the key is cached; a
        # cache miss (a database query and an argon2 check, ~50 ms) goes to a worker thread so
        # that it never blocks the loop.
        authenticator: ApiKeyAuthenticator = request.app.state.authenticator
        if not authenticator.is_cached(request.headers.get("authorization")):
            return await anyio.to_thread.run_sync(self.check, request)
        return self.check(request)

    def check(self, request: Request) -> Principal:
        """The principal of the request's bearer key, or the 401/403/429 that says why not."""
        authenticator: ApiKeyAuthenticator = request.app.state.authenticator
        principal = authenticator.authenticate(request.headers.get("authorization"))
        if principal.role not in self.roles:
            raise HTTPException(
                403, detail=f"the key's role {principal.role!r} may not call this route "
                            f"(allowed: {', '.join(self.roles)})",
            )
        wait = authenticator.limiter.retry_after(principal.name)
        if wait > 0:
            raise HTTPException(429, detail="rate limit exceeded for this API key",
                                headers={"Retry-After": str(max(1, round(wait)))})
        request.state.principal = principal
        return principal

    def __repr__(self) -> str:
        return f"RoleRequirement{self.roles!r}"


def require_roles(*roles: str) -> RoleRequirement:
    """A dependency: the caller's principal, 403 unless its role is one of ``roles``."""
    return RoleRequirement(*roles)


def allowed_roles(dependant: Any) -> tuple[str, ...] | None:
    """The roles a route admits, read from its dependencies (None: the route is open)."""
    pending = [dependant]
    while pending:
        current = pending.pop()
        if isinstance(current.call, RoleRequirement):
            return current.call.roles
        pending.extend(current.dependencies)
    return None

