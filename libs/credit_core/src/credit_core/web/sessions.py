"""Browser sessions: a signed, expiring cookie (itsdangerous), never a key or a password.

The cookie holds who signed in (a user or an API key's name) and the role, with the time of
signing; ``max_age`` bounds it on the server whatever the browser does. It is ``HttpOnly`` (no
script reads it) and ``SameSite=Strict`` (never sent by another site, which also blocks
cross-site form posts). Nothing is kept in memory: any replica sharing the secret accepts it.

Every token is made by ``issue`` and read by ``read``, so that sessions can later be made
revocable server-side in this class alone: put a session id among the claims, and check it
against a store in ``read``. Needs the ``sessions`` extra (itsdangerous); the starlette types
are only named for typing, so the module works in any ASGI app (FastAPI, Gradio).
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from itsdangerous import BadData, URLSafeTimedSerializer

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["Session", "SessionCookie"]


@dataclass(frozen=True)
class Session:
    """Who a session cookie speaks for."""

    name: str
    role: str


class SessionCookie:
    """Issues, reads, sets and clears one session cookie.

    ``secret`` signs the tokens; None draws a random one for this process (sessions then end
    with it). ``salt`` keeps the tokens of one cookie from being accepted as another's.
    ``roles``, when given, are the only roles a session may have.
    """

    def __init__(self, cookie: str, secret: str | bytes | None, max_age_seconds: int, *,
                 salt: str, path: str = "/", secure: bool = False,
                 roles: Collection[str] | None = None) -> None:
        self.cookie = cookie
        self._serializer = URLSafeTimedSerializer(secret or secrets.token_bytes(32), salt=salt)
        self.max_age = max_age_seconds
        self.path = path
        self.secure = secure
        self.roles = roles
        self.same_site: Literal["strict"] = "strict"

    def issue(self, name: str, role: str) -> str:
        """A signed token for ``name`` with ``role``."""
        return self._serializer.dumps({"u": name, "r": role})

    def read(self, token: str | None) -> Session | None:
        """The session of a token; None when absent, forged, expired or of a refused role."""
        if not token:
            return None
        try:
            claims = self._serializer.loads(token, max_age=self.max_age)
        except BadData:  # a bad signature, an expired one, or a payload that is not ours
            return None
        if not isinstance(claims, dict) or not isinstance(claims.get("u"), str):
            return None
        role = claims.get("r")
        if not isinstance(role, str) or (self.roles is not None and role not in self.roles):
            return None
        return Session(claims["u"], role)

    def of_request(self, request: Request) -> Session | None:
        """The session of the request's cookie, if valid."""
        return self.read(request.cookies.get(self.cookie))

    def start(self, response: Response, name: str, role: str) -> None:
        """Open a session: set the cookie on ``response``."""
        response.set_cookie(self.cookie, self.issue(name, role), max_age=self.max_age,
                            path=self.path, httponly=True, samesite=self.same_site,
                            secure=self.secure)

    def end(self, response: Response) -> None:
        """Close the session: the browser forgets the cookie."""
        response.delete_cookie(self.cookie, path=self.path, httponly=True,
                               samesite=self.same_site, secure=self.secure)
