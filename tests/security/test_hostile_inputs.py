"""A catalogue of hostile inputs, each sent to every service it applies to, on SQLite and on
PostgreSQL. Each must be refused with a 4xx whose body names the problem (the field and the
reason, in the ErrorBody shape of credit_core.web.errors), never a 5xx, and must leave the
database exactly as it was (rows of decisions, applications, client_features, api_keys, users,
drift_runs and outcomes counted before and after, tables still there).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from .conftest import SecurityDatabase, ServiceFactory, bearer, forwarding_transport, start_dashboard

pytestmark = pytest.mark.xdist_group("security-hostile")

MB = 1024 * 1024
NESTED = "[" * 10_000 + "]" * 10_000
#: A valid new applicant; cases change one field.
APPLICANT = {"AMT_INCOME_TOTAL": 150_000.0, "AMT_CREDIT": 450_000.0, "DAYS_BIRTH": -12_000,
             "AMT_ANNUITY": 22_000.0, "AMT_GOODS_PRICE": 400_000.0, "CODE_GENDER": "F"}


def applicant(**changes: Any) -> dict[str, Any]:
    return {**APPLICANT, **changes}


def raw(text: str) -> Callable[[], bytes]:
    return lambda: text.encode()


@dataclass(frozen=True)
class Hostile:
    """One hostile request and what the answer must say."""

    name: str
    service: str
    method: str
    path: str
    status: int
    says: tuple[str, ...]  # fragments the error body must contain: the field, the reason
    json: Any = None
    body: Callable[[], bytes] | None = None  # raw bytes (NaN tokens, bad UTF-8, huge bodies)
    content_type: str | None = "application/json"
    files: Callable[[], dict[str, Any]] | None = None
    role: str = "admin"
    headers: dict[str, str] = field(default_factory=dict)


def _csv(text: str) -> Callable[[], dict[str, Any]]:
    return lambda: {"file": ("batch.csv", text.encode("utf-8", "surrogateescape"))}


def _batch(cell: str) -> Callable[[], dict[str, Any]]:
    """A batch with every model feature, EXT_SOURCE_2 of its second row set to ``cell``."""
    from services.explain.tests.rich_model import RICH_FEATURES

    others = ",".join("1" for _ in RICH_FEATURES[1:])
    assert RICH_FEATURES[0] == "EXT_SOURCE_2"
    return _csv(",".join(RICH_FEATURES) + f"\n0.5,{others}\n{cell},{others}\n")


def _outcomes(count: int) -> Callable[[], bytes]:
    return lambda: json.dumps({"outcomes": [{"client_id": 100_001 + i % 300, "observed_default": 0}
                                            for i in range(count)]}).encode()


def _big(size: int, prefix: bytes = b'{"client_id": 1, "pad": "') -> Callable[[], bytes]:
    return lambda: prefix + b"x" * size + b'"}'


CASES = [
    # --- SQL injection in ids, search prefixes and text fields --------------------------------
    Hostile("sql-client-id-body", "scoring", "POST", "/v1/scores", 422,
            ("client_id", "integer"), json={"client_id": "1 OR 1=1"}),
    Hostile("sql-client-id-path", "scoring", "GET", "/v1/clients/1%20OR%201=1", 422,
            ("client_id", "integer")),
    Hostile("sql-search-prefix", "scoring", "GET",
            "/v1/clients?q=1%27%3B%20DROP%20TABLE%20decisions%3B--", 422, ("q", "pattern")),
    Hostile("sql-batch-ids", "scoring", "POST", "/v1/scores/batch", 422,
            ("client_ids", "integer"), json={"client_ids": [100001, "1; DROP TABLE decisions"]}),
    Hostile("sql-login-username", "scoring", "POST", "/v1/auth/login", 422,
            ("username", "pattern"), role="service",
            json={"username": "admin' OR '1'='1' --", "password": "' OR '1'='1"}),
    Hostile("sql-login-password", "scoring", "POST", "/v1/auth/login", 401,
            ("user name", "password"), role="service",
            json={"username": "ada", "password": "' OR '1'='1' --"}),
    Hostile("nul-in-username", "scoring", "POST", "/v1/auth/login", 422,
            ("username", "pattern"), role="service",
            json={"username": "ada\u0000", "password": "correct horse battery"}),
    Hostile("sql-decision-id-path", "scoring", "POST",
            "/v1/decisions/1%27%20OR%20%271%27=%271/review", 422, ("decision_id", "pattern"),
            json={"final_decision": "approved", "advisor": "ada"}),
    Hostile("sql-feature-name", "scoring", "GET",
            "/v1/population/distribution?feature=EXT_SOURCE_2%3BDROP%20TABLE%20users", 422,
            ("feature", "pattern")),
    Hostile("sql-decision-id-body", "explain", "POST", "/v1/explanations", 422,
            ("decision_id", "pattern"), json={"decision_id": "1' OR '1'='1"}),
    Hostile("sql-model-version", "explain", "GET", "/v1/importance?model_version=1%20OR%201=1",
            422, ("model_version", "pattern")),
    Hostile("sql-performance-version", "monitoring", "GET",
            "/v1/performance?model_version=1%27%20OR%20%271%27=%271", 422,
            ("model_version", "pattern")),
    Hostile("sql-run-id", "monitoring", "GET", "/v1/drift/runs/1%20OR%201=1", 422,
            ("run_id", "integer")),
    Hostile("sql-outcome-client", "monitoring", "POST", "/v1/outcomes", 422,
            ("client_id", "integer"), json={"client_id": "1 OR 1=1", "observed_default": 1}),
    Hostile("sql-upload-column", "monitoring", "POST", "/v1/drift/runs", 422,
            ("columns", "unexpected", "drop table"), content_type=None,
            files=_csv("EXT_SOURCE_2,\"x'; DROP TABLE decisions;--\"\n0.5,1\n")),
    Hostile("sql-upload-value", "monitoring", "POST", "/v1/drift/runs", 422,
            ("non-numeric", "drop table"), content_type=None,
            files=_batch("1'; DROP TABLE decisions;--")),
    # --- NaN, Infinity, 1e308, negative amounts ---------------------------------------------
    Hostile("nan-amount", "scoring", "POST", "/v1/scores", 422, ("amt_credit", "finite"),
            body=raw('{"features": {"AMT_INCOME_TOTAL": 150000, "AMT_CREDIT": NaN, '
                     '"DAYS_BIRTH": -12000}}')),
    Hostile("infinity-amount", "explain", "POST", "/v1/explanations", 422,
            ("amt_income_total", "finite"),
            body=raw('{"features": {"AMT_INCOME_TOTAL": Infinity, "AMT_CREDIT": 450000, '
                     '"DAYS_BIRTH": -12000}}')),
    Hostile("huge-amount", "scoring", "POST", "/v1/scores", 422, ("amt_credit", "less than"),
            json={"features": applicant(AMT_CREDIT=1e308)}),
    Hostile("overflowing-amount", "scoring", "POST", "/v1/scores/batch", 422,
            ("amt_income_total", "finite"),
            body=raw('{"applications": [{"AMT_INCOME_TOTAL": 1e309, "AMT_CREDIT": 4e5, '
                     '"DAYS_BIRTH": -12000}]}')),
    # One past the largest 64-bit integer: the audit insert overflowed (500) on both databases.
    Hostile("overflowing-client-id-in-features", "scoring", "POST", "/v1/scores", 422,
            ("sk_id_curr", "less than"), json={"features": applicant(SK_ID_CURR=2**63)}),
    Hostile("overflowing-client-id-in-a-batch", "scoring", "POST", "/v1/scores/batch", 422,
            ("sk_id_curr", "less than"),
            json={"applications": [applicant(SK_ID_CURR=100_001), applicant(SK_ID_CURR=2**63)]}),
    Hostile("overflowing-client-id-explained", "explain", "POST", "/v1/explanations", 422,
            ("sk_id_curr", "less than"), json={"features": applicant(SK_ID_CURR=2**63)}),
    Hostile("negative-amount", "explain", "POST", "/v1/counterfactuals", 422,
            ("amt_credit", "greater than"), json={"features": applicant(AMT_CREDIT=-450_000.0)}),
    Hostile("negative-income", "scoring", "POST", "/v1/scores", 422,
            ("amt_income_total", "greater than"),
            json={"features": applicant(AMT_INCOME_TOTAL=-1.0)}),
    Hostile("nan-bound", "explain", "POST", "/v1/counterfactuals", 422,
            ("max_credit_reduction", "finite"),
            body=raw('{"client_id": 100001, "bounds": {"max_credit_reduction": NaN}}')),
    # Not "less than or equal to 1" (issue 14, item 9): NaN is not a number at all.
    Hostile("nan-probability", "scoring", "GET", "/v1/population/percentile?probability=nan",
            422, ("probability", "finite number")),
    Hostile("huge-probability", "scoring", "GET", "/v1/population/percentile?probability=1e308",
            422, ("probability", "less than")),
    Hostile("infinity-invocation", "scoring", "POST", "/invocations", 422,
            ("ext_source_2", "infinite"),
            body=raw('{"dataframe_split": {"columns": ["EXT_SOURCE_2"], "data": [[Infinity]]}}')),
    Hostile("nan-drift-share", "monitoring", "POST", "/v1/drift/runs", 422,
            ("drift_share", "finite"),
            body=raw('{"source": "application_test", "options": {"drift_share": NaN}}')),
    Hostile("infinity-upload", "monitoring", "POST", "/v1/drift/runs", 422,
            ("infinite", "ext_source_2"), content_type=None,
            files=_batch("inf")),
    Hostile("half-a-default", "monitoring", "POST", "/v1/outcomes", 422,
            ("observed_default", "0"), json={"client_id": 100001, "observed_default": 0.5}),
    # --- wrong types and unknown fields ------------------------------------------------------
    Hostile("list-as-id", "scoring", "POST", "/v1/scores", 422, ("client_id", "integer"),
            json={"client_id": [100001]}),
    Hostile("text-as-amount", "scoring", "POST", "/v1/scores", 422, ("amt_credit", "number"),
            json={"features": applicant(AMT_CREDIT="a lot")}),
    Hostile("unknown-level", "explain", "POST", "/v1/explanations", 422,
            ("code_gender", "'f'"), json={"features": applicant(CODE_GENDER="<script>")}),
    Hostile("text-as-top", "explain", "POST", "/v1/explanations", 422, ("top", "integer"),
            json={"client_id": 100001, "top": "five"}),
    Hostile("text-as-date", "monitoring", "POST", "/v1/outcomes", 422,
            ("observed_at", "datetime"),
            json={"client_id": 100001, "observed_default": 1, "observed_at": "yesterday"}),
    Hostile("array-as-body", "scoring", "POST", "/v1/scores", 422, ("body", "object"),
            json=[{"client_id": 100001}]),
    Hostile("unknown-field", "scoring", "POST", "/v1/scores", 422,
            ("is_admin", "not permitted"), json={"client_id": 100001, "is_admin": True}),
    Hostile("unknown-feature", "scoring", "POST", "/v1/scores", 422,
            ("target", "not permitted"), json={"features": applicant(TARGET=0)}),
    Hostile("unknown-explain-field", "explain", "POST", "/v1/explanations", 422,
            ("debug", "not permitted"), json={"client_id": 100001, "debug": True}),
    Hostile("unknown-outcome-field", "monitoring", "POST", "/v1/outcomes", 422,
            ("recorded_by", "not permitted"),
            json={"client_id": 100001, "observed_default": 1, "recorded_by": "admin"}),
    Hostile("unknown-run-field", "monitoring", "POST", "/v1/drift/runs", 422,
            ("sql", "not permitted"), json={"source": "decisions", "sql": "SELECT 1"}),
    Hostile("unknown-invocation-column", "scoring", "POST", "/invocations", 422,
            ("unknown column", "target"), json={"dataframe_records": [{"TARGET": 1}]}),
    # --- oversized and deeply nested bodies ---------------------------------------------------
    Hostile("20mb-score", "scoring", "POST", "/v1/scores", 413, ("body", "larger than"),
            body=_big(20 * MB)),
    Hostile("20mb-explain", "explain", "POST", "/v1/explanations", 413,
            ("body", "larger than"), body=_big(20 * MB)),
    Hostile("20mb-outcomes", "monitoring", "POST", "/v1/outcomes", 413,
            ("body", "larger than"), body=_big(20 * MB)),
    Hostile("20mb-chunked", "scoring", "POST", "/invocations", 413, ("body", "larger than"),
            body=_big(20 * MB), headers={"transfer-encoding": "chunked"}),
    Hostile("nested-score", "scoring", "POST", "/v1/scores", 400, ("body", "nested too deeply"),
            body=raw('{"client_id": ' + NESTED + "}")),
    Hostile("nested-invocation", "scoring", "POST", "/invocations", 400,
            ("not valid json", "nested too deeply"), body=raw('{"inputs": ' + NESTED + "}")),
    Hostile("nested-explain", "explain", "POST", "/v1/counterfactuals", 400,
            ("body", "nested too deeply"), body=raw('{"bounds": ' + NESTED + "}")),
    Hostile("nested-run", "monitoring", "POST", "/v1/drift/runs", 422,
            ("body", "recursion"), body=raw('{"options": ' + NESTED + "}")),
    Hostile("nested-outcomes", "monitoring", "POST", "/v1/outcomes", 400,
            ("body", "nested too deeply"), body=raw('{"outcomes": ' + NESTED + "}")),
    # --- wrong content types and bytes that are not UTF-8 ------------------------------------
    Hostile("text-plain", "scoring", "POST", "/v1/scores", 415, ("content type", "text/plain"),
            body=raw('{"client_id": 100001}'), content_type="text/plain"),
    Hostile("form-urlencoded", "explain", "POST", "/v1/explanations", 415,
            ("content type", "application/x-www-form-urlencoded"), body=raw("client_id=100001"),
            content_type="application/x-www-form-urlencoded"),
    Hostile("no-content-type", "scoring", "POST", "/invocations", 415,
            ("content type", "application/json"), body=raw('{"inputs": []}'), content_type=None),
    Hostile("xml-run", "monitoring", "POST", "/v1/drift/runs", 415,
            ("content type", "text/xml"), body=raw("<run/>"), content_type="text/xml"),
    Hostile("xml-outcomes", "monitoring", "POST", "/v1/outcomes", 415,
            ("content type", "text/xml"), body=raw("<outcome/>"), content_type="text/xml"),
    Hostile("latin1-score", "scoring", "POST", "/v1/scores", 400, ("body", "utf-8"),
            body=lambda: b'{"client_id": "\xff\xfe100001"}'),
    Hostile("latin1-invocation", "scoring", "POST", "/invocations", 400,
            ("not valid json", "utf-8"), body=lambda: b'{"inputs": ["\xe9t\xe9"]}'),
    Hostile("latin1-explain", "explain", "POST", "/v1/explanations", 400, ("body", "utf-8"),
            body=lambda: b'{"decision_id": "\xc3\x28"}'),
    Hostile("latin1-run", "monitoring", "POST", "/v1/drift/runs", 422, ("body", "unicode"),
            body=lambda: b'{"source": "\xff"}'),
    Hostile("latin1-upload", "monitoring", "POST", "/v1/drift/runs", 422,
            ("cannot read the file", "utf-8"), content_type=None,
            files=lambda: {"file": ("batch.csv", b"EXT_SOURCE_2\n\xff\xfe\x00\x81\n")}),
    Hostile("not-json", "explain", "POST", "/v1/explanations", 422, ("body", "json"),
            body=raw("{'client_id': 100001}")),
    # --- batches above the bound -------------------------------------------------------------
    Hostile("10001-ids", "scoring", "POST", "/v1/scores/batch", 413, ("10001", "maximum"),
            body=lambda: json.dumps({"client_ids": [100001] * 10_001}).encode()),
    Hostile("10001-rows", "scoring", "POST", "/invocations", 413, ("rows", "10000"),
            body=lambda: json.dumps({"inputs": [[0.5] * 19] * 10_001}).encode()),
    Hostile("10001-outcomes", "monitoring", "POST", "/v1/outcomes", 413, ("10001", "10000"),
            body=_outcomes(10_001)),
]


@pytest.fixture(scope="module")
def services(security_db: SecurityDatabase,
             start_service: ServiceFactory) -> dict[str, TestClient]:
    """The three APIs on the module's database (SQLite, then PostgreSQL)."""
    return {name: start_service(name, security_db)
            for name in ("scoring", "explain", "monitoring")}


@pytest.fixture
def unchanged(security_db: SecurityDatabase) -> Iterator[None]:
    """The watched tables hold the same rows after the test as before."""
    before = security_db.counts()
    assert min(before.values()) >= 0
    yield
    assert security_db.counts() == before


def send(client: TestClient, case: Hostile, key: str) -> Any:
    headers = {**bearer(key), **case.headers}
    if case.content_type:
        headers["Content-Type"] = case.content_type
    if case.files is not None:
        return client.request(case.method, case.path, headers=headers, files=case.files())
    if case.body is not None:
        content = case.body()
        if case.headers.get("transfer-encoding") == "chunked":
            chunks = (content[i:i + MB] for i in range(0, len(content), MB))
            return client.request(case.method, case.path, headers=headers, content=chunks)
        return client.request(case.method, case.path, headers=headers, content=content)
    if case.json is not None:
        return client.request(case.method, case.path, headers=headers,
                              content=json.dumps(case.json).encode())
    return client.request(case.method, case.path, headers=headers)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_input_is_refused_and_named(case: Hostile, services: dict[str, TestClient],
                                              security_db: SecurityDatabase,
                                              unchanged: None) -> None:
    response = send(services[case.service], case, security_db.keys[case.role])
    assert response.status_code == case.status, response.text[:500]
    assert response.headers["content-type"].startswith("application/json")
    detail = response.json()["detail"]
    text = json.dumps(detail, ensure_ascii=False).lower()
    missing = [fragment for fragment in case.says if fragment.lower() not in text]
    assert not missing, f"the answer does not say {missing}: {text[:500]}"


def test_the_catalogue_covers_every_service() -> None:
    assert {case.service for case in CASES} == {"scoring", "explain", "monitoring"}
    assert len({case.name for case in CASES}) == len(CASES)


def test_an_injected_user_name_at_the_dashboard_sign_in_opens_no_session(
        security_db: SecurityDatabase, services: dict[str, TestClient],
        tmp_path_factory: pytest.TempPathFactory, unchanged: None) -> None:
    """The dashboard passes the name to the scoring service, which looks it up as a bound
    parameter: no row matches, the sign-in fails like any other, the tables are untouched."""
    transport = forwarding_transport(services)
    with start_dashboard(tmp_path_factory.mktemp("ui-hostile"), security_db.keys["service"],
                         transport) as dashboard:
        for username in ("ada' OR '1'='1' --", "ada'; DROP TABLE users;--", "ada\x00",
                         "ada" + "'" * 500):
            response = dashboard.post("/login", data={"username": username,
                                                      "password": "' OR ''='"})
            assert response.status_code == 401, (username, response.text[:300])
            assert 'role="alert"' in response.text and "credit_ui_session" not in response.cookies
        signed_in = dashboard.post("/login", data={"username": "ada",
                                                   "password": "correct horse battery"})
        assert signed_in.status_code == 303  # the account itself still works


def test_a_review_with_a_control_character_is_refused_and_stores_nothing(
        services: dict[str, TestClient], security_db: SecurityDatabase) -> None:
    """On PostgreSQL a NUL in text made the insert fail, answered as "database unavailable"."""
    scored = services["scoring"].post("/v1/scores", json={"client_id": 100002},
                                      headers=bearer(security_db.keys["admin"]))
    assert scored.status_code == 200
    before = security_db.counts()
    for comment, advisor in (("fine\u0000; DROP TABLE decision_reviews", "ada"),
                             ("fine", "ada'; DROP TABLE users;--"), ("bell \u0007", "ada")):
        response = services["scoring"].post(
            f"/v1/decisions/{scored.json()['decision_id']}/review",
            json={"final_decision": "refused", "comment": comment, "advisor": advisor},
            headers=bearer(security_db.keys["service"]))
        assert response.status_code == 422, response.text
        fields = {error["loc"][-1] for error in response.json()["detail"]}
        assert fields <= {"comment", "advisor"} and fields, response.text
    assert security_db.counts() == before


def test_a_csv_upload_is_data_not_code(services: dict[str, TestClient],
                                       security_db: SecurityDatabase) -> None:
    """Formula-looking cells in an upload are refused as non-numeric, never evaluated."""
    response = services["monitoring"].post(
        "/v1/drift/runs", files=_batch("=cmd|' /C calc'!A0")(),
        headers=bearer(security_db.keys["ops"]))
    assert response.status_code == 422 and "non-numeric" in response.json()["detail"]
