"""The sign-in page (plain HTML, in the advisor's language) and sign-out.

Passwords are checked by the scoring service (``POST /v1/auth/login``, argon2 hashes of the
accounts made with ``credit users add``); the dashboard then keeps its own signed cookie, whose
session the scoring service keeps too (``/v1/auth/sessions``: revocable, idle-expiring). Errors
are said in text, tied to the fields with ``aria-describedby`` and announced (``role=alert``).
"""

from __future__ import annotations

import logging
import threading
import time
from html import escape
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from credit_core.web.json_keys import StrictJSONRoute
from ui_service.api.peers import ServiceDown, Services, TooManyAttempts
from ui_service.i18n import language_of, t
from ui_service.session import ALLOWED_ROLES, LANGUAGE_COOKIE, Sessions

__all__ = ["APP_PATH", "RemoteSessions", "login_page", "login_router"]

logger = logging.getLogger("credit.ui.login")
APP_PATH = "/app/"
_REASONS = {"expired": "login_expired", "signed_out": "login_signed_out"}
_CSS = """
body{font-family:system-ui,Arial,sans-serif;color:#1a1a1a;background:#f4f6f8;margin:0}
main{max-width:26rem;margin:3rem auto;background:#fff;padding:2rem;border:1px solid #6b6b6b;
border-radius:8px}
h1{font-size:1.4rem;margin:0 0 .5rem}h2{font-size:1.2rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:2px solid #4a4a4a;
border-radius:4px;color:#1a1a1a;background:#fff}
input[aria-invalid=true]{border-color:#b00020}
button{margin-top:1.5rem;width:100%;padding:.7rem;font-size:1rem;font-weight:600;color:#fff;
background:#0b3d91;border:2px solid #0b3d91;border-radius:4px;cursor:pointer}
button:hover{background:#082c69}
a{color:#0b3d91}
:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px;box-shadow:0 0 0 5px #ffd23f}
.error{color:#b00020;border-left:4px solid #b00020;padding-left:.6rem}
.notice{border-left:4px solid #0b3d91;padding-left:.6rem}
.lang{text-align:right;margin:0}
"""


def _safe_next(target: str | None) -> str:
    """Only paths inside the dashboard (no open redirect to another site)."""
    if target and target.startswith(APP_PATH) and "//" not in target and "\\" not in target:
        return target
    return APP_PATH


def login_page(language: str, error: str | None = None, notice: str | None = None,
               username: str = "", target: str = APP_PATH) -> str:
    """The sign-in page's HTML."""
    other = "en" if language == "fr" else "fr"
    described = ' aria-describedby="login-error" aria-invalid="true"' if error else ""
    error_html = (f'<p id="login-error" class="error" role="alert"><strong>'
                  f'{escape(t("error_prefix", language))}</strong> {escape(error)}</p>'
                  if error else "")
    notice_html = f'<p class="notice" role="status">{escape(notice)}</p>' if notice else ""
    switch = escape(t("other_language", language))
    return f"""<!doctype html>
<html lang="{language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(t("login_title", language))}</title>
<style>{_CSS}</style></head>
<body><main>
<p class="lang"><a href="/login?lang={other}" lang="{other}" hreflang="{other}">{switch}</a></p>
<h1>{escape(t("app_title", language))}</h1>
<h2>{escape(t("login_heading", language))}</h2>
<p>{escape(t("login_intro", language))}</p>
{notice_html}{error_html}
<form method="post" action="/login" novalidate>
<input type="hidden" name="lang" value="{language}">
<input type="hidden" name="next" value="{escape(target)}">
<label for="username">{escape(t("username", language))}</label>
<input id="username" name="username" type="text" autocomplete="username" required
 value="{escape(username)}"{described} autofocus>
<label for="password">{escape(t("password", language))}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required{described}>
<button type="submit">{escape(t("sign_in", language))}</button>
</form></main></body></html>"""


def _page(language: str, status: int = 200, **kwargs: str | None) -> HTMLResponse:
    response = HTMLResponse(login_page(language, **kwargs), status_code=status)  # type: ignore[arg-type]
    response.headers["Cache-Control"] = "no-store"
    return response


def login_router(services: Services, sessions: Sessions) -> APIRouter:
    """GET/POST /login and POST /logout."""
    router = APIRouter(route_class=StrictJSONRoute, include_in_schema=False)

    @router.get("/login")
    def show(request: Request, lang: str | None = None, reason: str | None = None,
             next: str | None = None) -> Response:
        """The sign-in form."""
        language = language_of(lang or request.cookies.get(LANGUAGE_COOKIE))
        notice = t(_REASONS[reason], language) if reason in _REASONS else None
        response = _page(language, notice=notice, target=_safe_next(next))
        if lang:
            sessions.remember_language(response, language)
        return response

    @router.post("/login")
    def submit(request: Request, username: Annotated[str, Form()] = "",
               password: Annotated[str, Form()] = "",
               lang: Annotated[str, Form()] = "en",
               next: Annotated[str, Form()] = APP_PATH) -> Response:
        """Check the password with the scoring service and open a session."""
        language, target = language_of(lang), _safe_next(next)
        name = username.strip()[:64]
        if not name or not password:
            return _page(language, 400, error=t("login_missing", language), username=name,
                         target=target)
        try:
            account = services.login(name, password,
                                     request.client.host if request.client else None)
        except ServiceDown:
            return _page(language, 503, error=t("login_down", language), username=name,
                         target=target)
        except TooManyAttempts:
            return _page(language, 429, error=t("login_throttled", language), username=name,
                         target=target)
        if account is None:
            logger.info("sign-in refused", extra={"user": name})
            return _page(language, 401, error=t("login_failed", language), username=name,
                         target=target)
        if account.get("role") not in ALLOWED_ROLES:
            return _page(language, 403, error=t("login_forbidden", language), username=name,
                         target=target)
        response = RedirectResponse(target, status_code=303)
        try:
            sessions.start(response, str(account.get("username", name)), str(account["role"]))
        except ServiceDown:
            return _page(language, 503, error=t("login_down", language), username=name,
                         target=target)
        sessions.remember_language(response, language)
        logger.info("signed in", extra={"user": name, "role": account["role"]})
        return response

    @router.post("/logout")
    def logout(request: Request) -> Response:
        """End the session, server-side too: the old cookie opens nothing any more."""
        response = RedirectResponse("/login?reason=signed_out", status_code=303)
        try:
            sessions.end(response, request)
        except ServiceDown:
            # The browser forgets the cookie anyway; the session ends on idle.
            logger.warning("sign-out: the session could not be closed server-side")
        return response

    return router


class RemoteSessions:
    """The sessions store of the dashboard's cookie, kept by the scoring service (the dashboard
    has no database): sign-out, user removal and idleness end a session on every replica.

    An open session is remembered for ``cache_seconds``, so that Gradio's many requests per
    page do not each ask the scoring service; a sign-out here forgets it at once (on another
    replica of the dashboard it ends within ``cache_seconds``).
    """

    def __init__(self, services: Services, cache_seconds: float = 5.0) -> None:
        self._services = services
        self.cache_seconds = cache_seconds
        self._open: dict[str, float] = {}
        self._lock = threading.Lock()

    def open(self, name: str, role: str) -> str:
        """A new session's id."""
        return self._services.open_session(name, role)

    def active(self, session_id: str) -> bool:
        """Whether the session is open and not idle (refused when the scoring service is down)."""
        now = time.monotonic()
        with self._lock:
            if self._open.get(session_id, 0.0) > now:
                return True
        try:
            active = self._services.session_active(session_id)
        except ServiceDown:
            return False
        if active:
            with self._lock:
                if len(self._open) > 10_000:  # bounded: stale entries go all at once
                    self._open.clear()
                self._open[session_id] = now + self.cache_seconds
        return active

    def close(self, session_id: str) -> None:
        """End the session."""
        self.forget(session_id)
        self._services.close_session(session_id)

    def forget(self, session_id: str | None = None) -> None:
        """Drop the remembered answer for one session (or all)."""
        with self._lock:
            if session_id is None:
                self._open.clear()
            else:
                self._open.pop(session_id, None)
