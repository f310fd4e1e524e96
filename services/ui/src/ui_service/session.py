"""Advisors' sessions: the core's signed, expiring cookie, for the roles the dashboard serves.

The cookie (``credit_ui_session``) expires ``UI_SESSION_MINUTES`` after sign-in, both in the
browser and on the server; see ``credit_core.web.sessions`` for what it holds and how it is
protected. The dashboard adds its language cookie and Gradio's hook.
"""

from __future__ import annotations

from fastapi import Request, Response

from credit_core.web.sessions import SessionCookie, SessionStore

__all__ = ["ALLOWED_ROLES", "COOKIE", "LANGUAGE_COOKIE", "Sessions"]

COOKIE = "credit_ui_session"
LANGUAGE_COOKIE = "credit_ui_lang"
#: Who may use the dashboard (ops accounts use the monitoring service instead).
ALLOWED_ROLES = ("advisor", "admin")


class Sessions(SessionCookie):
    """The advisors' session cookie (for the whole site), and their language."""

    def __init__(self, secret: str, minutes: int, secure: bool = False,
                 store: SessionStore | None = None) -> None:
        # The salt is the one cookies were signed with before the core module: they stay valid.
        super().__init__(COOKIE, secret, minutes * 60, salt="credit-ui-session", path="/",
                         secure=secure, roles=ALLOWED_ROLES, store=store)

    def username(self, request: Request) -> str | None:
        """Gradio's ``auth_dependency``: the user name, or None (Gradio answers 401)."""
        session = self.of_request(request)
        return session.name if session else None

    def remember_language(self, response: Response, language: str) -> None:
        """The advisor's language (not a secret: the page's script reads it to set lang)."""
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600,
                            samesite="strict", secure=self.secure, path="/")
