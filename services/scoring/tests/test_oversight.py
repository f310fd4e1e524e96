"""Dashboard logins and the advisor's final decision (human oversight)."""

from __future__ import annotations

from sqlalchemy import select

from credit_core.auth import create_user
from credit_core.db import decision_reviews, get_engine

from .conftest import bearer


def _score(client, service_db) -> dict:  # type: ignore[no-untyped-def]
    return client.post("/v1/scores", json={"client_id": service_db.client_ids[0]},
                       headers=bearer(service_db.keys["service"])).json()


def test_login(client, service_db) -> None:  # type: ignore[no-untyped-def]
    engine = get_engine(service_db.url)
    create_user(engine, "alice", "correct horse battery", "advisor")
    create_user(engine, "olga", "correct horse battery", "ops")
    headers = bearer(service_db.keys["service"])
    ok = client.post("/v1/auth/login", json={"username": "alice", "password": "correct horse battery"},
                     headers=headers)
    assert ok.status_code == 200 and ok.json() == {"username": "alice", "role": "advisor"}
    for username, password in (("alice", "wrong"), ("nobody", "x"), ("olga", "correct horse battery")):
        refused = client.post("/v1/auth/login", json={"username": username, "password": password},
                              headers=headers)
        assert refused.status_code == 401, username
    integrator = client.post("/v1/auth/login", json={"username": "alice", "password": "x"},
                             headers=bearer(service_db.keys["integrator"]))
    assert integrator.status_code == 403


def test_repeated_failed_logins_are_throttled(client, service_db) -> None:  # type: ignore[no-untyped-def]
    create_user(get_engine(service_db.url), "bob", "correct horse battery", "advisor")
    headers = bearer(service_db.keys["service"])
    codes = [client.post("/v1/auth/login", json={"username": "bob", "password": "guess"},
                         headers=headers).status_code for _ in range(7)]
    # Five failures are free, the sixth starts the delays (1 s, 2 s, ...; see credit_core.logins).
    assert codes == [401] * 6 + [429]
    blocked = client.post("/v1/auth/login", json={"username": "bob",
                                                  "password": "correct horse battery"},
                          headers=headers)
    # Throttled before the password is checked, from a source where bob never signed in.
    assert blocked.status_code == 429


def test_review_agreeing_and_override(client, service_db) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(service_db.keys["service"])
    scored = _score(client, service_db)
    other = "approved" if scored["decision"] == "refused" else "refused"
    path = f"/v1/decisions/{scored['decision_id']}/review"
    missing = client.post(path, json={"final_decision": other, "advisor": "alice"}, headers=headers)
    assert missing.status_code == 422 and "comment" in str(missing.json())
    blank = client.post(path, json={"final_decision": other, "advisor": "alice", "comment": "  "},
                        headers=headers)
    assert blank.status_code == 422
    made = client.post(path, json={"final_decision": other, "advisor": "alice",
                                   "comment": "Stable income confirmed by payslips"}, headers=headers)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["override"] is True and body["model_decision"] == scored["decision"]
    assert body["final_decision"] == other
    again = client.post(path, json={"final_decision": other, "advisor": "alice", "comment": "x"},
                        headers=headers)
    assert again.status_code == 409
    second = _score(client, service_db)
    agree = client.post(f"/v1/decisions/{second['decision_id']}/review",
                        json={"final_decision": second["decision"], "advisor": "alice"},
                        headers=headers)
    assert agree.status_code == 201 and agree.json()["override"] is False
    with get_engine(service_db.url).connect() as connection:
        rows = connection.execute(select(decision_reviews).order_by(decision_reviews.c.id)).all()
    assert [r.override for r in rows] == [True, False]
    assert rows[0].comment == "Stable income confirmed by payslips"
    assert rows[0].api_key_name == "test-service"


def test_review_of_an_unknown_decision(client, service_db) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(service_db.keys["service"])
    unknown = client.post("/v1/decisions/00000000-0000-0000-0000-000000000000/review",
                          json={"final_decision": "approved", "advisor": "a"}, headers=headers)
    assert unknown.status_code == 404
    malformed = client.post("/v1/decisions/1;DROP TABLE decisions/review",
                            json={"final_decision": "approved", "advisor": "a"}, headers=headers)
    assert malformed.status_code in (404, 422)
