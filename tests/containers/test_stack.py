"""The product in containers, used through its published ports as a client would.

One stack for the module (see conftest.py): every service ready, a client scored by id and by
its features, its explanation, a drift run, a sign-in to the dashboard, and the audit table
intact across a restart of the scoring container (last, since it restarts a service).
"""

from __future__ import annotations

import httpx
import pytest

from tests.containers.stack import Stack, compose, run, sql

pytestmark = pytest.mark.containers


def _headers(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _score(stack: Stack, body: dict[str, object]) -> dict[str, object]:
    response = httpx.post(stack.url("scoring") + "/v1/scores", json=body,
                          headers=_headers(stack.integrator_key), timeout=30)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.parametrize("service", ["scoring", "explain", "monitoring", "ui"])
def test_every_service_is_ready(stack: Stack, service: str) -> None:
    response = httpx.get(stack.url(service) + "/readyz", timeout=10)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "ready"


def test_mlflow_answers(stack: Stack) -> None:
    assert httpx.get(stack.url("mlflow") + "/health", timeout=10).text.strip() == "OK"


def test_a_client_scored_by_id_and_by_its_features(stack: Stack) -> None:
    client_id = stack.client_ids[0]
    by_id = _score(stack, {"client_id": client_id})
    assert by_id["client_id"] == client_id
    assert by_id["decision"] in ("approved", "refused")
    assert by_id["model"] == {"name": "credit-default", "version": "1"}
    client_url = f"{stack.url('scoring')}/v1/clients/{client_id}"
    # An integrator scores and nothing else: no read-back of a client's application.
    assert httpx.get(client_url, headers=_headers(stack.integrator_key),
                     timeout=30).status_code == 403
    fields = httpx.get(client_url, headers=_headers(stack.admin_key),
                       timeout=30).json()["application"]
    by_features = _score(stack, {"features": fields})
    # The application's fields alone: the satellite aggregates are missing, so the probability
    # may differ; the answer is a decision of the same model.
    assert by_features["decision"] in ("approved", "refused")
    assert by_features["model"] == by_id["model"]


def test_the_clients_explanation(stack: Stack) -> None:
    response = httpx.post(stack.url("explain") + "/v1/explanations",
                          json={"client_id": stack.client_ids[0]},
                          headers=_headers(stack.admin_key), timeout=60)
    assert response.status_code == 200, response.text
    # A stored client's explanation shows its application: not to an integrator.
    assert httpx.post(stack.url("explain") + "/v1/explanations",
                      json={"client_id": stack.client_ids[0]},
                      headers=_headers(stack.integrator_key), timeout=60).status_code == 403
    body = response.json()
    assert body["subject"]["client_id"] == stack.client_ids[0]
    assert body["decision"] in ("approved", "refused")


def test_the_registry_refuses_anonymous_and_read_only_alias_moves(stack: Stack) -> None:
    """MLflow behind its basic-auth app: nobody moves the champion without the training
    account; the services' account reads it (the services loaded it with that account)."""
    registry = stack.url("mlflow") + "/api/2.0/mlflow"
    champion = {"name": "credit-default", "alias": "champion"}
    services = ("credit-services", stack.mlflow_services_password)
    training = ("credit-training", stack.mlflow_training_password)
    read = httpx.get(f"{registry}/registered-models/alias", params=champion, auth=services,
                     timeout=30)
    assert read.status_code == 200, read.text
    version = read.json()["model_version"]["version"]
    move = {**champion, "alias": "probe", "version": version}
    for auth, expected in ((None, 401), (("credit-services", "wrong-password"), 401),
                           (services, 403)):
        moved = httpx.post(f"{registry}/registered-models/alias", json=move, auth=auth,
                           timeout=30)
        assert moved.status_code == expected, (auth and auth[0], moved.text)
        deleted = httpx.post(f"{registry}/model-versions/delete",
                             json={"name": "credit-default", "version": version}, auth=auth,
                             timeout=30)
        assert deleted.status_code == expected, (auth and auth[0], deleted.text)
    assert httpx.get(f"{registry}/registered-models/alias", params=champion,
                     timeout=30).status_code == 401
    # The training account may (a throwaway alias, removed again).
    assert httpx.post(f"{registry}/registered-models/alias", json=move, auth=training,
                      timeout=30).status_code == 200
    removed = httpx.request("DELETE", f"{registry}/registered-models/alias",
                            json={"name": "credit-default", "alias": "probe"}, auth=training,
                            timeout=30)
    assert removed.status_code == 200, removed.text
    assert httpx.get(stack.url("mlflow") + "/health", timeout=30).status_code == 200


def test_a_drift_run(stack: Stack) -> None:
    created = httpx.post(stack.url("monitoring") + "/v1/drift/runs",
                         json={"source": "application_test", "render_report": False},
                         headers=_headers(stack.ops_key), timeout=300)
    assert created.status_code == 201, created.text
    run_id = created.json()["id"]
    fetched = httpx.get(f"{stack.url('monitoring')}/v1/drift/runs/{run_id}",
                        headers=_headers(stack.ops_key), timeout=30)
    assert fetched.status_code == 200, fetched.text
    assert fetched.json()["id"] == run_id


def test_signing_in_to_the_dashboard(stack: Stack) -> None:
    with httpx.Client(base_url=stack.url("ui"), timeout=30) as browser:
        refused = browser.post("/login", data={"username": stack.admin_user, "password": "wrong"})
        assert refused.status_code == 401
        signed_in = browser.post("/login", data={"username": stack.admin_user,
                                                 "password": stack.admin_password})
        assert signed_in.status_code == 303, signed_in.text
        assert browser.cookies, "no session cookie"
        page = browser.get(signed_in.headers["location"])
        assert page.status_code == 200
        assert "/login" not in str(page.url)


def test_the_audit_table_survives_a_restart_of_scoring(stack: Stack) -> None:
    decision_ids = [str(_score(stack, {"client_id": client_id})["decision_id"])
                    for client_id in stack.client_ids]
    before = int(sql("SELECT count(*) FROM decisions")[0])
    compose("restart", "scoring", timeout=300)
    run("scripts/wait-healthy.sh", "300", timeout=400)
    quoted = ", ".join(f"'{decision_id}'" for decision_id in decision_ids)
    kept = sql(f"SELECT decision_id FROM decisions WHERE decision_id IN ({quoted})")
    assert sorted(kept) == sorted(decision_ids)
    assert int(sql("SELECT count(*) FROM decisions")[0]) == before
    after = _score(stack, {"client_id": stack.client_ids[0]})
    assert after["decision_id"] not in decision_ids
    assert int(sql("SELECT count(*) FROM decisions")[0]) == before + 1
