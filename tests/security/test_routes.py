"""Every route, enumerated from the apps themselves, refuses callers without valid credentials.

A route added tomorrow is in ``app.routes`` and so in these tests: unless it is on the small
allow-list below (with the reason it is open), it must refuse a missing, malformed, unknown or
revoked API key with 401 and a key whose role it does not admit with 403, and admit the roles
it declares. The roles are read from the route's own dependency (``RoleRequirement.roles``);
the privileged routes are also pinned here, so that widening them is a visible change.

The dashboard (ui) has sessions instead of keys: every route not on its allow-list must send a
browser without a valid session (none, forged, expired, or of a role the dashboard does not
admit) to the sign-in page, or answer 401 (Gradio's routes).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner

from credit_core.auth import API_KEY_ROLES, create_user
from credit_core.db import get_engine
from ui_service.session import COOKIE

from .conftest import (
    REVOKED,
    SecurityDatabase,
    ServiceFactory,
    bearer,
    forwarding_transport,
    start_dashboard,
)
from .routes import Endpoint, endpoints, fill, probe

pytestmark = pytest.mark.xdist_group("security-routes")

SERVICES = ("scoring", "explain", "monitoring")

#: Open on every API, and why.
OPEN = {
    "GET /healthz": "liveness probe: says only that the process answers",
    "GET /readyz": "readiness probe for the orchestrator: check names and model version, no data",
    "GET /metrics": "Prometheus scrape: counters and latencies, no client data",
    "GET /openapi.json": "the published contract for integrators (DESIGN: /docs on every API)",
    "GET /docs": "the same contract, as a page",
    "GET /docs/oauth2-redirect": "part of the /docs page",
    "GET /redoc": "the same contract, as a page",
}
#: Open on one API only, and why.
OPEN_ON = {
    "monitoring": {
        "GET /dashboard/login": "the ops dashboard's sign-in form",
        "POST /dashboard/login": "exchanges an ops or admin key for a session cookie",
        "POST /dashboard/logout": "only clears the session cookie",
    },
}
#: Privileged routes, pinned: a change of their roles must show in review.
PINNED_ROLES = {
    ("scoring", "POST /v1/model/reload"): ("admin",),
    ("explain", "POST /v1/model/reload"): ("admin",),
    ("monitoring", "POST /v1/model/reload"): ("admin",),
    ("scoring", "POST /v1/auth/login"): ("service", "admin"),
    ("scoring", "POST /v1/decisions/{decision_id}/review"): ("service", "admin"),
    ("scoring", "POST /v1/scores"): ("integrator", "service", "admin"),
    # The role -> data matrix (docs/reliability.md): an integrator scores and nothing else.
    ("scoring", "GET /v1/clients"): ("service", "admin"),
    ("scoring", "GET /v1/clients/{client_id}"): ("service", "admin"),
    ("scoring", "GET /v1/population/distribution"): ("service", "admin"),
    ("scoring", "GET /v1/population/scatter"): ("service", "admin"),
    ("scoring", "GET /v1/population/percentile"): ("service", "admin"),
    ("scoring", "POST /v1/auth/sessions"): ("service", "admin"),
    ("scoring", "GET /v1/auth/sessions/{session_id}"): ("service", "admin"),
    ("scoring", "POST /v1/auth/sessions/{session_id}/end"): ("service", "admin"),
    ("monitoring", "POST /v1/drift/runs"): ("ops", "admin"),
    ("monitoring", "GET /dashboard"): ("ops", "admin"),
    ("monitoring", "POST /v1/outcomes"): ("service", "ops", "admin"),
}
#: Keys that must all be refused with 401 (the revoked one is added from the database).
BAD_CREDENTIALS = {
    "missing": {},
    "empty bearer": {"Authorization": "Bearer "},
    "other scheme": {"Authorization": "Basic YWRtaW46YWRtaW4="},
    "not a key": {"Authorization": "Bearer 1' OR '1'='1"},
    "unknown key": {"Authorization": "Bearer ck_00000000_" + "a" * 43},
}


@pytest.fixture(scope="module")
def apis(sqlite_db: SecurityDatabase, start_service: ServiceFactory) -> dict[str, TestClient]:
    """The three APIs on one database (authentication does not depend on its engine)."""
    return {service: start_service(service, sqlite_db) for service in SERVICES}


def call(client: TestClient, endpoint: Endpoint, headers: dict[str, str]) -> Any:
    """One request with plausible path parameters and, for POST, a plausible JSON body that
    every role admitted to the route may send (the explain service explains a stored client to
    the dashboard only, submitted fields to anyone: test_privacy.py)."""
    explains = endpoint.path.startswith(("/v1/explanations", "/v1/counterfactuals"))
    payload = {"features": {"AMT_INCOME_TOTAL": 150_000.0}} if explains else {"client_id": 100001}
    body = {"json": payload} if endpoint.method == "POST" else {}
    return client.request(endpoint.method, fill(endpoint.path), headers=headers, **body)


def protected(service: str, client: TestClient) -> list[Endpoint]:
    open_here = OPEN | OPEN_ON.get(service, {})
    return [e for e in endpoints(client.app) if e.label not in open_here]


@pytest.mark.parametrize("service", SERVICES)
def test_every_route_but_the_open_ones_declares_its_roles(service: str,
                                                          apis: dict[str, TestClient]) -> None:
    found = endpoints(apis[service].app)
    labels = {e.label for e in found}
    assert {"GET /healthz", "GET /readyz", "GET /metrics", "POST /v1/model/reload"} <= labels
    undeclared = [e.label for e in protected(service, apis[service]) if not e.roles]
    assert not undeclared, f"routes without a role requirement (add one, or allow-list): " \
                           f"{undeclared}"
    for endpoint in found:
        pinned = PINNED_ROLES.get((service, endpoint.label))
        if pinned is not None:
            assert set(endpoint.roles or ()) == set(pinned), endpoint
    pinned_here = {label for (name, label) in PINNED_ROLES if name == service}
    assert pinned_here <= labels, f"pinned routes that no longer exist: {pinned_here - labels}"


@pytest.mark.parametrize("service", SERVICES)
def test_every_protected_route_refuses_bad_keys_with_401(service: str,
                                                         apis: dict[str, TestClient],
                                                         sqlite_db: SecurityDatabase) -> None:
    client = apis[service]
    credentials = BAD_CREDENTIALS | {
        "revoked key": bearer(sqlite_db.keys[REVOKED]),
        "tampered key": bearer(sqlite_db.keys["admin"][:-2] + "xx"),
        "key without scheme": {"Authorization": sqlite_db.keys["admin"]},
    }
    for endpoint in protected(service, client):
        for name, headers in credentials.items():
            response = call(client, endpoint, headers)
            assert response.status_code == 401, (endpoint.label, name, response.text[:300])
            assert response.headers.get("www-authenticate") == "Bearer", (endpoint.label, name)


@pytest.mark.parametrize("service", SERVICES)
def test_every_protected_route_admits_its_roles_and_refuses_others_with_403(
        service: str, apis: dict[str, TestClient], sqlite_db: SecurityDatabase) -> None:
    client = apis[service]
    for endpoint in protected(service, client):
        for role in API_KEY_ROLES:
            response = call(client, endpoint, bearer(sqlite_db.keys[role]))
            if role in (endpoint.roles or ()):
                assert response.status_code not in (401, 403), (endpoint.label, role,
                                                                 response.text[:300])
            else:
                assert response.status_code == 403, (endpoint.label, role, response.text[:300])
                assert role in response.json()["detail"]


@pytest.mark.parametrize("service", SERVICES)
def test_the_open_routes_answer_without_a_key(service: str, apis: dict[str, TestClient]) -> None:
    client = apis[service]
    for path in ("/healthz", "/readyz", "/metrics", "/openapi.json", "/docs"):
        assert client.get(path).status_code == 200, path
    for endpoint in endpoints(client.app):
        if endpoint.label in OPEN | OPEN_ON.get(service, {}):
            assert call(client, endpoint, {}).status_code < 500, endpoint.label


# --- the dashboard -------------------------------------------------------------------------

#: The dashboard's routes open to a browser without a session, and why.
UI_OPEN = {
    "GET /healthz": "liveness probe",
    "GET /readyz": "readiness probe (asks the scoring service's /readyz; no data)",
    "GET /login": "the sign-in page",
    "POST /login": "the sign-in form's post",
    "POST /logout": "ends the session (clears the cookie)",
    "GET /": "redirects to /app/, which asks for a session",
    "GET /favicon.ico": "an empty icon",
    # Gradio's static assets of the page: code, styles, icons; no data.
    "GET /app/svelte/{path}": "static asset", "GET /app/static/{path}": "static asset",
    "GET /app/assets/{path}": "static asset", "GET /app/favicon.ico": "static asset",
    "GET /app/theme.css": "static asset", "GET /app/gradio_api/theme.css": "static asset",
    "GET /app/robots.txt": "static asset", "GET /app/manifest.json": "static asset",
    "GET /app/pwa_icon": "static asset", "GET /app/pwa_icon/{size}": "static asset",
    "GET /app/gradio_api/custom_component/{id}/{environment}/{type}/{file_name}":
        "files of custom components (none installed)",
    # Gradio features this page does not use: refused to everyone, session or not.
    "GET /app/monitoring/{key}": "Gradio's monitoring: disabled (403)",
    "POST /app/gradio_api/vibe-edit": "Gradio's vibe editor: disabled (403)",
    "GET /app/gradio_api/vibe-code": "Gradio's vibe editor: disabled (403)",
    "POST /app/gradio_api/vibe-code": "Gradio's vibe editor: disabled (403)",
    "POST /app/gradio_api/vibe-starter-queries": "Gradio's vibe editor: disabled (403)",
    "POST /app/gradio_api/undo-vibe-edit": "Gradio's vibe editor: disabled",
    "GET /app/gradio_api/runs": "run history: disabled (404)",
    "POST /app/login": "Gradio's own sign-in: no Gradio credentials exist (auth_dependency)",
    "GET /app/logout": "Gradio's own sign-out: clears Gradio's cookie only",
}
#: Routes Gradio serves without its own login check (heartbeat, reset, cancel...): the
#: dashboard's guard refuses them without a session; none may stay open.
UI_UNGUARDED_BY_GRADIO: dict[str, str] = {}


def _normalise(label: str) -> str:
    """Starlette writes path converters (``{path:path}``); the lists use plain names."""
    method, _, path = label.partition(" ")
    return f"{method} {path.replace(':path}', '}').rstrip('/') or '/'}"


@pytest.fixture(scope="module")
def dashboard(sqlite_db: SecurityDatabase, start_service: ServiceFactory,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The dashboard, its sign-in checked by the real scoring app in-process."""
    engine = get_engine(sqlite_db.url)
    create_user(engine, "olga", "ops password long", "ops")
    scoring = start_service("scoring", sqlite_db)
    transport = forwarding_transport({"scoring": scoring, "explain": scoring,
                                      "monitoring": scoring})
    with start_dashboard(tmp_path_factory.mktemp("ui"), sqlite_db.keys["service"],
                         transport) as client:
        yield client


def _refused(status: int, headers: dict[str, str]) -> bool:
    """Sent to the sign-in page, or 401."""
    return status == 401 or (status in (302, 303, 307)
                             and headers.get("location", "").startswith("/login"))


def _session_cookies(dashboard: TestClient, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    sessions = dashboard.app.state.sessions
    valid = sessions.issue("ada", "advisor")
    with monkeypatch.context() as patched:  # signed nine hours ago: past UI_SESSION_MINUTES
        patched.setattr(TimestampSigner, "get_timestamp",
                        lambda self: int(time.time()) - 9 * 3600)
        expired = sessions.issue("ada", "advisor")
    return {"garbage": "not-a-session", "forged": valid[:-3] + "abc", "expired": expired,
            "ops role": sessions.issue("olga", "ops"), "unknown role": sessions.issue("x", "root")}


def _probe_ui(dashboard: TestClient, label: str, cookie: str | None) -> tuple[int, dict[str, str]]:
    method, _, path = label.partition(" ")
    headers = {"content-type": "application/json"}
    if cookie is not None:
        headers["cookie"] = f"{COOKIE}={cookie}"
    status, response_headers, _ = probe(dashboard.app, method, fill(path), headers, b"{}")
    return status, response_headers


def test_the_dashboard_refuses_every_route_without_a_valid_session(
        dashboard: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    labels = {_normalise(e.label) for e in endpoints(dashboard.app)}
    assert {"GET /app/config", "POST /app/gradio_api/queue/join", "POST /app/gradio_api/upload",
            "GET /login"} <= labels
    stale = (set(UI_OPEN) | set(UI_UNGUARDED_BY_GRADIO)) - labels
    assert not stale, f"allow-listed routes that no longer exist: {stale}"
    bad_sessions = _session_cookies(dashboard, monkeypatch)
    valid = dashboard.app.state.sessions.issue("ada", "advisor")
    unguarded = set()
    for label in sorted(labels - set(UI_OPEN)):
        status, headers = _probe_ui(dashboard, label, None)
        if not _refused(status, headers):
            unguarded.add(label)
            continue
        for name, cookie in bad_sessions.items():
            assert _refused(*_probe_ui(dashboard, label, cookie)), (label, name)
        assert not _refused(*_probe_ui(dashboard, label, valid)), label
    assert unguarded == set(UI_UNGUARDED_BY_GRADIO), (
        f"newly open without a session: {unguarded - set(UI_UNGUARDED_BY_GRADIO)}; "
        f"now guarded (remove from UI_UNGUARDED_BY_GRADIO): "
        f"{set(UI_UNGUARDED_BY_GRADIO) - unguarded}")


def test_an_expired_session_is_sent_to_the_sign_in_page(dashboard: TestClient,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The page itself (services/ui/tests/test_app.py checks the cookie's own expiry)."""
    expired = _session_cookies(dashboard, monkeypatch)["expired"]
    status, headers = _probe_ui(dashboard, "GET /app/", expired)
    assert status == 303 and headers["location"] == "/login?next=/app/&reason=expired"
    page = dashboard.get("/login?next=/app/&reason=expired")
    assert page.status_code == 200 and 'role="status"' in page.text


def test_only_advisors_and_admins_sign_in_to_the_dashboard(dashboard: TestClient,
                                                          tmp_path: Path) -> None:
    """An ops account (a role the dashboard does not admit) gets no session."""
    for username, password in (("olga", "ops password long"), ("ada", "wrong password!"),
                               ("ada' OR '1'='1", "x' OR '1'='1")):
        refused = dashboard.post("/login", data={"username": username, "password": password})
        assert refused.status_code in (401, 403), (username, refused.status_code)
        assert COOKIE not in refused.cookies and 'role="alert"' in refused.text
    admitted = dashboard.post("/login", data={"username": "ada",
                                              "password": "correct horse battery"})
    assert admitted.status_code == 303 and COOKIE in admitted.cookies
    dashboard.cookies.clear()
