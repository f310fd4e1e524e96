"""Every HTTP call the dashboard makes, in one place: scoring, explain and monitoring.

Each peer gets an ``httpx.Client`` with timeouts and the dashboard's bearer key. Answers are
returned as the peers send them (plain dicts); failures become four exceptions the views know
how to word: ``ServiceDown`` (unreachable, 5xx, or a key the peer refuses), ``NotFound``,
``Invalid`` (with the fields at fault) and ``Conflict``. The key never leaves this module.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from ui_service.settings import UISettings

__all__ = ["Conflict", "Invalid", "NotFound", "ServiceDown", "Services", "TooManyAttempts"]

logger = logging.getLogger("credit.ui.clients")
SERVICES = ("scoring", "explain", "monitoring")


class ServiceDown(Exception):
    """A peer did not answer usefully (unreachable, timeout, 5xx, or refused our key)."""

    def __init__(self, service: str, reason: str = "unavailable") -> None:
        super().__init__(f"{service} service {reason}")
        self.service = service
        self.reason = reason


class NotFound(Exception):
    """The peer knows no such client or decision (404)."""


class Conflict(Exception):
    """The request clashes with the stored state (409), e.g. a decision already reviewed."""


class TooManyAttempts(Exception):
    """Sign-in refused for a while after repeated failures (429)."""


class Invalid(Exception):
    """The peer rejected fields (400/422): ``fields`` maps a field name to the reason."""

    def __init__(self, fields: dict[str, str], message: str = "") -> None:
        super().__init__(message or "; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


def _fields(detail: Any) -> dict[str, str]:
    """Field name -> reason from a FastAPI/pydantic ``detail`` (a list, or one message)."""
    if not isinstance(detail, list):
        return {"": str(detail)} if detail else {}
    out: dict[str, str] = {}
    for error in detail:
        loc = [str(part) for part in error.get("loc", []) if isinstance(part, str)]
        names = [part for part in loc if part not in ("body", "features", "query", "path")]
        out[names[-1] if names else ""] = str(error.get("msg", "invalid value"))
    return out


class Services:
    """The three peers; pass ``transport`` (e.g. ``httpx.MockTransport``) in tests."""

    def __init__(self, settings: UISettings, transport: httpx.BaseTransport | None = None) -> None:
        timeout = httpx.Timeout(settings.read_timeout_seconds,
                                connect=settings.connect_timeout_seconds)
        headers = {"Authorization": f"Bearer {settings.resolved_api_key()}",
                   "User-Agent": "credit-ui"}
        urls = {"scoring": settings.scoring_url, "explain": settings.explain_url,
                "monitoring": settings.monitoring_url}
        self._clients = {
            name: httpx.Client(base_url=urls[name].rstrip("/"), headers=headers, timeout=timeout,
                               transport=transport)
            for name in SERVICES
        }

    def close(self) -> None:
        for client in self._clients.values():
            client.close()

    def _call(self, service: str, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self._clients[service].request(method, path, **kwargs)
        except httpx.HTTPError as error:
            logger.warning("%s unreachable: %s", service, type(error).__name__)
            raise ServiceDown(service) from error
        status = response.status_code
        if status < 400:
            data: dict[str, Any] = response.json()
            return data
        try:
            detail = response.json().get("detail")
        except (ValueError, AttributeError):
            detail = None
        if status == 404:
            raise NotFound(str(detail or "not found"))
        if status == 409:
            raise Conflict(str(detail or "conflict"))
        if status in (400, 422):
            raise Invalid(_fields(detail))
        reason = "refused the dashboard's key" if status in (401, 403) else "unavailable"
        logger.warning("%s answered %s on %s %s", service, status, method, path)
        raise ServiceDown(service, reason)

    # --- scoring ---------------------------------------------------------------------------
    def score(self, client_id: int | None = None,
              features: dict[str, Any] | None = None) -> dict[str, Any]:
        """A decision for a known client or for application fields."""
        body = {"client_id": client_id} if client_id is not None else {"features": features}
        return self._call("scoring", "POST", "/v1/scores", json=body)

    def client(self, client_id: int) -> dict[str, Any]:
        return self._call("scoring", "GET", f"/v1/clients/{client_id}")

    def clients(self, split: str = "test", query: str = "", limit: int = 12,
                offset: int = 0) -> dict[str, Any]:
        """A page of applicants whose id starts with ``query``."""
        params: dict[str, Any] = {"split": split, "limit": limit, "offset": offset}
        if query:
            params["q"] = query
        return self._call("scoring", "GET", "/v1/clients", params=params)

    def model(self) -> dict[str, Any]:
        return self._call("scoring", "GET", "/v1/model")

    def login(self, username: str, password: str,
              source: str | None = None) -> dict[str, Any] | None:
        """The account (username, role) when the password is right, else None; ``source`` is
        the browser's address (the scoring service throttles failures per source)."""
        body = {"username": username, "password": password}
        if source:
            body["source"] = source
        try:
            response = self._clients["scoring"].post("/v1/auth/login", json=body)
        except httpx.HTTPError as error:
            raise ServiceDown("scoring") from error
        if response.status_code in (400, 401, 422):
            return None
        if response.status_code == 429:
            raise TooManyAttempts(username)
        if response.status_code >= 400:
            raise ServiceDown("scoring")
        account: dict[str, Any] = response.json()
        return account

    def open_session(self, username: str, role: str) -> str:
        """A new server-side session's id (the scoring service keeps the sessions table)."""
        body = self._call("scoring", "POST", "/v1/auth/sessions",
                          json={"username": username, "role": role})
        return str(body["session"])

    def session_active(self, session_id: str) -> bool:
        """Whether the session is open and not idle (False when unknown, closed or idle)."""
        try:
            self._call("scoring", "GET", f"/v1/auth/sessions/{session_id}")
        except (NotFound, Invalid):
            return False
        return True

    def close_session(self, session_id: str) -> None:
        """End a session on every replica (sign-out)."""
        try:
            response = self._clients["scoring"].post(f"/v1/auth/sessions/{session_id}/end")
        except httpx.HTTPError as error:
            raise ServiceDown("scoring") from error
        if response.status_code >= 500:
            raise ServiceDown("scoring")

    def review(self, decision_id: str, final_decision: str, comment: str,
               advisor: str) -> dict[str, Any]:
        """Record the advisor's final decision on a model decision."""
        body = {"final_decision": final_decision, "comment": comment, "advisor": advisor}
        return self._call("scoring", "POST",
                          f"/v1/decisions/{decision_id}/review", json=body)

    def distribution(self, feature: str, bins: int = 30, client_id: int | None = None,
                     similar: bool = False,
                     traits: dict[str, float] | None = None) -> dict[str, Any]:
        """A feature among the clients; ``traits``: a new applicant's similarity traits."""
        params: dict[str, Any] = {"feature": feature, "bins": bins}
        if client_id is not None:
            params["client_id"] = client_id
        elif traits:
            params.update(traits)
        if similar:
            params["similar"] = "true"
        return self._call("scoring", "GET", "/v1/population/distribution",
                          params=params)

    def scatter(self, x: str, y: str, n: int = 1500) -> dict[str, Any]:
        return self._call("scoring", "GET", "/v1/population/scatter",
                          params={"x": x, "y": y, "n": n})

    def percentile(self, probability: float) -> dict[str, Any]:
        return self._call("scoring", "GET", "/v1/population/percentile",
                          params={"probability": probability})

    def ready(self, service: str = "scoring") -> bool:
        """Whether a peer answers its /readyz with 200."""
        try:
            return self._clients[service].get("/readyz").status_code == 200
        except httpx.HTTPError:
            return False

    # --- explain ---------------------------------------------------------------------------
    def explain(self, subject: dict[str, Any]) -> dict[str, Any]:
        """Contributions and reasons for {client_id | decision_id | features}."""
        return self._call("explain", "POST", "/v1/explanations", json=subject)

    def importance(self) -> dict[str, Any]:
        return self._call("explain", "GET", "/v1/importance")

    def counterfactual(self, subject: dict[str, Any]) -> dict[str, Any]:
        """The smallest change to the loan that turns a refusal into an approval."""
        return self._call("explain", "POST", "/v1/counterfactuals", json=subject)

    # --- monitoring ------------------------------------------------------------------------
    def drift_latest(self) -> dict[str, Any]:
        return self._call("monitoring", "GET", "/v1/drift/runs/latest")
