"""The HTTP layer every API shares: CORS only for the dashboard's origin, body size limits, the
rate limit per key, secrets compared in constant time, and browser sessions that expire.

The dashboard's own session expiry is tested in services/ui/tests/test_app.py
(test_sessions_expire_and_resist_forgery) and, through the app, in test_routes.py
(test_an_expired_session_is_sent_to_the_sign_in_page); the ops dashboard's is tested here.
"""

from __future__ import annotations

import ast
import inspect
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner

import credit_core.auth
import credit_core.web.auth
from credit_core import topology
from credit_core.web.settings import ServiceSettings
from monitoring_service.deps import SESSION_COOKIE as OPS_COOKIE

from .conftest import SecurityDatabase, ServiceFactory, bearer

pytestmark = pytest.mark.xdist_group("security-hardening")

SERVICES = ("scoring", "explain", "monitoring")
#: A protected route of each API that any key of the role below may call.
PROTECTED = {"scoring": ("/v1/model", "integrator"), "explain": ("/v1/model", "integrator"),
             "monitoring": ("/v1/drift/runs", "ops")}
DASHBOARD = topology.local_url("ui")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def apis(sqlite_db: SecurityDatabase, start_service: ServiceFactory) -> dict[str, TestClient]:
    return {service: start_service(service, sqlite_db) for service in SERVICES}


def preflight(client: TestClient, origin: str, path: str = "/v1/model") -> dict[str, str]:
    response = client.options(path, headers={"Origin": origin,
                                             "Access-Control-Request-Method": "POST",
                                             "Access-Control-Request-Headers": "authorization"})
    return dict(response.headers)


def test_the_default_cors_origins_are_the_dashboards() -> None:
    assert ServiceSettings.model_fields["cors_origins"].default_factory() == [  # type: ignore[misc]
        DASHBOARD, topology.local_url("ui", host="localhost")]


@pytest.mark.parametrize("service", SERVICES)
def test_cors_answers_only_the_dashboards_origin(service: str,
                                                 apis: dict[str, TestClient]) -> None:
    client = apis[service]
    allowed = preflight(client, DASHBOARD)
    assert allowed.get("access-control-allow-origin") == DASHBOARD
    assert "authorization" in allowed.get("access-control-allow-headers", "").lower()
    assert "access-control-allow-credentials" not in allowed  # keys, not cookies, cross-origin
    for origin in ("http://evil.example", f"http://127.0.0.1:{topology.service('ui').port + 1}", "null",
                   f"{DASHBOARD}.evil.example"):
        denied = preflight(client, origin)
        assert "access-control-allow-origin" not in denied, origin
    simple = client.get("/healthz", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in simple.headers


def test_cors_follows_the_configured_origins(sqlite_db: SecurityDatabase,
                                             start_service: ServiceFactory) -> None:
    client = start_service("scoring", sqlite_db, cors_origins=["https://dashboard.example"])
    assert preflight(client, "https://dashboard.example")["access-control-allow-origin"] == \
        "https://dashboard.example"
    assert "access-control-allow-origin" not in preflight(client, DASHBOARD)


@pytest.mark.parametrize("service", SERVICES)
def test_a_body_over_the_limit_is_413_before_it_is_read(service: str,
                                                        apis: dict[str, TestClient],
                                                        sqlite_db: SecurityDatabase) -> None:
    """Announced too large: refused at once, whatever the route and even without a key."""
    client = apis[service]
    limit = client.app.state.settings.max_json_bytes
    for headers in ({}, bearer(sqlite_db.keys["admin"])):
        response = client.post("/v1/model/reload", content=b"{}", headers={
            **headers, "Content-Type": "application/json", "Content-Length": str(limit + 1)})
        assert response.status_code == 413
        assert response.json()["detail"][0]["loc"] == ["body"]


def test_uploads_have_their_own_larger_limit(sqlite_db: SecurityDatabase,
                                             start_service: ServiceFactory) -> None:
    """Monitoring takes large CSV uploads (multipart) but no large JSON."""
    client = start_service("monitoring", sqlite_db, max_json_bytes=64 * 1024,
                           max_body_bytes=1024 * 1024)
    headers = bearer(sqlite_db.keys["ops"])
    csv = b"EXT_SOURCE_2\n" + b"0.5\n" * 40_000  # 160 KB: an upload, refused for its columns
    upload = client.post("/v1/drift/runs", files={"file": ("batch.csv", csv)}, headers=headers)
    assert upload.status_code == 422 and "columns" in upload.json()["detail"]
    as_json = client.post("/v1/outcomes", content=b'{"outcomes": [' + b" " * 100_000 + b"]}",
                          headers={**headers, "Content-Type": "application/json"})
    assert as_json.status_code == 413
    too_big = client.post("/v1/drift/runs", files={"file": ("batch.csv", csv * 8)},
                          headers=headers)
    assert too_big.status_code == 413


@pytest.mark.parametrize("service", SERVICES)
def test_the_rate_limit_is_per_key_with_retry_after(service: str, sqlite_db: SecurityDatabase,
                                                    start_service: ServiceFactory) -> None:
    client = start_service(service, sqlite_db, rate_limit_per_minute=60, rate_limit_burst=3)
    path, role = PROTECTED[service]
    codes = [client.get(path, headers=bearer(sqlite_db.keys[role])).status_code
             for _ in range(5)]
    assert codes[:3] == [200] * 3 and codes[3:] == [429, 429]
    refused = client.get(path, headers=bearer(sqlite_db.keys[role]))
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 60
    assert "rate limit" in refused.json()["detail"]
    other = client.get(path, headers=bearer(sqlite_db.keys["admin"]))
    assert other.status_code == 200  # another key has its own bucket
    assert client.get("/healthz").status_code == 200  # probes are never limited


def test_api_keys_and_passwords_are_checked_by_argon2(sqlite_db: SecurityDatabase,
                                                      apis: dict[str, TestClient],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The secret is never compared with ==: the row is found by the key's public prefix and
    the secret is verified against its argon2 hash (constant time inside argon2)."""
    calls: list[str] = []
    verify = credit_core.auth.verify_secret

    def spy(stored_hash: str, secret: str) -> bool:
        calls.append(stored_hash)
        return verify(stored_hash, secret)

    monkeypatch.setattr(credit_core.web.auth, "verify_secret", spy)
    client = apis["scoring"]
    client.app.state.authenticator.forget()
    prefix = sqlite_db.keys["integrator"].split("_")[1]
    wrong = f"ck_{prefix}_{'z' * 43}"
    assert client.get("/v1/model", headers=bearer(wrong)).status_code == 401
    assert len(calls) == 1 and calls[0].startswith("$argon2id$")
    assert client.get("/v1/model", headers=bearer(sqlite_db.keys["integrator"])).status_code == 200
    assert len(calls) == 2


def test_an_unknown_user_costs_the_same_argon2_check(apis: dict[str, TestClient],
                                                     sqlite_db: SecurityDatabase,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """So that the answer's timing does not tell which user names exist."""
    from credit_core.logins import accounts as logins

    calls: list[str] = []
    verify = logins.verify_secret
    monkeypatch.setattr(logins, "verify_secret",
                        lambda stored, secret: calls.append(stored) or verify(stored, secret))
    headers = bearer(sqlite_db.keys["service"])
    for username in ("ada", "nobody"):
        response = apis["scoring"].post("/v1/auth/login", headers=headers,
                                        json={"username": username, "password": "wrong guess"})
        assert response.status_code == 401
    assert len(calls) == 2 and all(stored.startswith("$argon2id$") for stored in calls)


SECRET_NAMES = ("secret", "password", "key_hash", "token", "signature", "digest")


def _plain_comparisons(source: str) -> list[str]:
    """``==``/``!=`` comparisons that involve a name looking like a secret."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare) or not any(isinstance(op, ast.Eq | ast.NotEq)
                                                        for op in node.ops):
            continue
        for operand in (node.left, *node.comparators):  # a value, not e.g. len(token)
            if isinstance(operand, ast.Name | ast.Attribute | ast.Subscript) and any(
                    name in ast.unparse(operand).lower() for name in SECRET_NAMES):
                found.append(ast.unparse(node))
    return found


@pytest.mark.parametrize("module", [
    "libs/credit_core/src/credit_core/auth.py", "libs/credit_core/src/credit_core/web/auth.py",
    "libs/credit_core/src/credit_core/logins/accounts.py",
    "libs/credit_core/src/credit_core/web/sessions.py",
    "services/monitoring/src/monitoring_service/deps.py",
    "services/monitoring/src/monitoring_service/routes/dashboard.py",
    "services/ui/src/ui_service/session.py", "services/ui/src/ui_service/login.py",
])
def test_no_secret_is_compared_with_equality(module: str) -> None:
    source = (ROOT / module).read_text()
    assert not _plain_comparisons(source), module
    if "hmac" in source:
        assert "compare_digest" in source, module  # an HMAC is checked in constant time
    assert "==" not in inspect.getsource(credit_core.auth.verify_secret)


def test_an_expired_or_forged_ops_session_is_sent_to_the_sign_in_page(
        apis: dict[str, TestClient], monkeypatch: pytest.MonkeyPatch) -> None:
    client = apis["monitoring"]
    sessions = client.app.state.sessions
    valid = sessions.issue("sec-ops", "ops")
    with monkeypatch.context() as patched:  # signed past the session's lifetime
        patched.setattr(TimestampSigner, "get_timestamp",
                        lambda self: int(time.time() - sessions.max_age) - 60)
        expired = sessions.issue("sec-ops", "ops")
    assert client.get("/dashboard", headers={"Cookie": f"{OPS_COOKIE}={valid}"}).status_code == 200
    for token in (expired, valid[:-2] + "xx", valid.replace(".", ".."), "\u00e9.\u00e9",
                  "a" * 5000):
        cookie = f"{OPS_COOKIE}={token}".encode("latin-1")  # as a browser may send it
        page = client.get("/dashboard", headers={"Cookie": cookie})  # type: ignore[dict-item]
        assert page.status_code == 401 and 'type="password"' in page.text, token[:20]
