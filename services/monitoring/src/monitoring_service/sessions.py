"""The dashboard's browser sessions: a signed token in an HttpOnly cookie, never the API key.

The token holds the key's name, its role and an expiry, signed with HMAC-SHA256; nothing is kept
in memory, so any replica sharing the secret accepts it. Each page view also checks that the key
is still active, so that revoking it ends its sessions.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time

from sqlalchemy import Engine, select

from credit_core.db.tables import api_keys
from credit_core.web.auth import Principal

__all__ = ["COOKIE", "SessionSigner", "key_is_active"]

COOKIE = "monitoring_session"


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    """Issues and checks session tokens."""

    def __init__(self, secret: bytes | None, lifetime_seconds: float) -> None:
        self._secret = secret or secrets.token_bytes(32)
        self.lifetime = lifetime_seconds

    def _sign(self, payload: str) -> str:
        return _encode(hmac.new(self._secret, payload.encode("ascii"), hashlib.sha256).digest())

    def issue(self, principal: Principal) -> str:
        """A token for ``principal``, valid for the lifetime."""
        body = {"n": principal.name, "r": principal.role, "e": int(time.time() + self.lifetime)}
        payload = _encode(json.dumps(body, separators=(",", ":")).encode())
        return f"{payload}.{self._sign(payload)}"

    def verify(self, token: str | None) -> Principal | None:
        """The principal of a valid, unexpired token; None otherwise."""
        if not token or not token.isascii() or token.count(".") != 1:
            return None
        payload, signature = token.split(".")
        if not hmac.compare_digest(signature, self._sign(payload)):
            return None
        try:
            body = json.loads(_decode(payload))
        except ValueError:
            return None
        if not isinstance(body, dict) or body.get("e", 0) < time.time():
            return None
        return Principal(name=str(body["n"]), role=str(body["r"]))


def key_is_active(engine: Engine, name: str, role: str) -> bool:
    """True while the API key named ``name`` exists with ``role`` and is not revoked."""
    with engine.connect() as connection:
        row = connection.execute(
            select(api_keys.c.role).where(api_keys.c.name == name,
                                          api_keys.c.revoked_at.is_(None))).first()
    return row is not None and row.role == role
