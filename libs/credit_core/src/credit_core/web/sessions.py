"""Browser sessions: a signed, expiring cookie (itsdangerous), never a key or a password.

The cookie holds who signed in (a user or an API key's name) and the role, with the time of
signing; ``max_age`` bounds it on the server whatever the browser does. It is ``HttpOnly`` (no
script reads it) and ``SameSite=Strict`` (never sent by another site, which also blocks
cross-site form posts).

With a ``store`` the sessions are revocable server-side: ``issue`` opens a session in the
store and puts its random id among the signed claims, ``read`` accepts the token only while
the store says the session is open and not idle, ``end`` closes it (sign-out). The store is
shared by the replicas (the database: ``credit_core.db.browser_sessions``; the dashboard, which
has no database, reaches it through the scoring service). Needs the ``sessions`` extra
(itsdangerous); the starlette types are only named for typing, so the module works in any ASGI
app (FastAPI, Gradio).
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from itsdangerous import BadData, URLSafeTimedSerializer

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["Session", "SessionCookie", "SessionStore"]


class SessionStore(Protocol):
    """Where sessions are opened, checked and closed (server-side)."""

    def open(self, name: str, role: str) -> str:
        """A new session's id."""

    def active(self, session_id: str) -> bool:
        """Whether the session is open and not idle (and mark it used)."""

    def close(self, session_id: str) -> None:
        """End the session."""


@dataclass(frozen=True)
class Session:
    """Who a session cookie speaks for."""

    name: str
    role: str


class SessionCookie:
    """Issues, reads, sets and clears one session cookie.

    ``secret`` signs the tokens; None draws a random one for this process (sessions then end
    with it). ``salt`` keeps the tokens of one cookie from being accepted as another's.
    ``roles``, when given, are the only roles a session may have. ``store``, when given,
    makes the sessions revocable and idle-expiring (without: valid until ``max_age``).
    """

    def __init__(self, cookie: str, secret: str | bytes | None, max_age_seconds: int, *,
                 salt: str, path: str = "/", secure: bool = False,
                 roles: Collection[str] | None = None,
                 store: SessionStore | None = None) -> None:
        self.cookie = cookie
        self._serializer = URLSafeTimedSerializer(secret or secrets.token_bytes(32), salt=salt)
        self.max_age = max_age_seconds
        self.path = path
        self.secure = secure
        self.roles = roles
        self.store = store
        self.same_site: Literal["strict"] = "strict"

    def issue(self, name: str, role: str) -> str:
        """A signed token for ``name`` with ``role`` (a new session in the store, if any)."""
        claims = {"u": name, "r": role}
        if self.store is not None:
            claims["s"] = self.store.open(name, role)
        return self._serializer.dumps(claims)

    def _claims(self, token: str | None) -> dict[str, object] | None:
        if not token:
            return None
        try:
            claims = self._serializer.loads(token, max_age=self.max_age)
        except BadData:  # a bad signature, an expired one, or a payload that is not ours
            return None
        return claims if isinstance(claims, dict) else None

    def read(self, token: str | None) -> Session | None:
        """The session of a token; None when absent, forged, expired or of a refused role."""
        claims = self._claims(token)
        if claims is None or not isinstance(claims.get("u"), str):
            return None
        role = claims.get("r")
        if not isinstance(role, str) or (self.roles is not None and role not in self.roles):
            return None
        if self.store is not None:
            session_id = claims.get("s")
            if not isinstance(session_id, str) or not self.store.active(session_id):
                return None
        return Session(str(claims["u"]), role)

    def of_request(self, request: Request) -> Session | None:
        """The session of the request's cookie, if valid."""
        return self.read(request.cookies.get(self.cookie))

    def start(self, response: Response, name: str, role: str) -> None:
        """Open a session: set the cookie on ``response``."""
        response.set_cookie(self.cookie, self.issue(name, role), max_age=self.max_age,
                            path=self.path, httponly=True, samesite=self.same_site,
                            secure=self.secure)

    def end(self, response: Response, request: Request | None = None) -> None:
        """Close the session: the store ends the request's session (if any), the browser
        forgets the cookie."""
        claims = self._claims(request.cookies.get(self.cookie)) if request else None
        if self.store is not None and claims and isinstance(claims.get("s"), str):
            self.store.close(str(claims["s"]))
        response.delete_cookie(self.cookie, path=self.path, httponly=True,
                               samesite=self.same_site, secure=self.secure)
