"""Advisors' sessions: a signed, expiring cookie (itsdangerous), checked on every request.

The cookie holds the user name, the role and the time of sign-in, signed with the session
secret; it is ``HttpOnly`` (no script reads it), ``SameSite=Strict`` (never sent by another
site, which also blocks cross-site form posts) and expires ``UI_SESSION_MINUTES`` after
sign-in, both in the browser and, whatever the browser does, on the server (``max_age``).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

__all__ = ["ALLOWED_ROLES", "COOKIE", "LANGUAGE_COOKIE", "Session", "Sessions"]

COOKIE = "credit_ui_session"
LANGUAGE_COOKIE = "credit_ui_lang"
#: Who may use the dashboard (ops accounts use the monitoring service instead).
ALLOWED_ROLES = ("advisor", "admin")


@dataclass(frozen=True)
class Session:
    username: str
    role: str


class Sessions:
    """Issues and reads session cookies."""

    def __init__(self, secret: str, minutes: int, secure: bool = False) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="credit-ui-session")
        self.max_age = minutes * 60
        self.secure = secure

    def issue(self, username: str, role: str) -> str:
        return self._serializer.dumps({"u": username, "r": role})

    def read(self, token: str | None) -> Session | None:
        """The session of a cookie value; None when absent, forged, expired or not allowed."""
        if not token:
            return None
        try:
            data = self._serializer.loads(token, max_age=self.max_age)
        except BadSignature:  # includes SignatureExpired
            return None
        if not isinstance(data, dict) or data.get("r") not in ALLOWED_ROLES:
            return None
        return Session(str(data.get("u")), str(data["r"]))

    def of_request(self, request: Request) -> Session | None:
        return self.read(request.cookies.get(COOKIE))

    def username(self, request: Request) -> str | None:
        """Gradio's ``auth_dependency``: the user name, or None (Gradio answers 401)."""
        session = self.of_request(request)
        return session.username if session else None

    def start(self, response: Response, username: str, role: str) -> None:
        response.set_cookie(COOKIE, self.issue(username, role), max_age=self.max_age,
                            httponly=True, samesite="strict", secure=self.secure, path="/")

    def end(self, response: Response) -> None:
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict",
                               secure=self.secure)

    def remember_language(self, response: Response, language: str) -> None:
        """The advisor's language (not a secret: the page's script reads it to set lang)."""
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600,
                            samesite="strict", secure=self.secure, path="/")
