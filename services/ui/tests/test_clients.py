"""The HTTP client: the bearer key, timeouts, and each failure as a clear exception."""

from __future__ import annotations

import httpx
import pytest

from services.ui.tests.fakes import KEY
from ui_service.api.peers import (
    Conflict,
    Invalid,
    NotFound,
    ServiceDown,
    Services,
    TooManyAttempts,
)
from ui_service.settings import UISettings


def services(settings: UISettings, status: int, body: object = None,
             seen: list[httpx.Request] | None = None) -> Services:
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return httpx.Response(status, json=body if body is not None else {})

    return Services(settings, transport=httpx.MockTransport(handler))


def test_sends_the_key_and_returns_the_answer(settings: UISettings) -> None:
    seen: list[httpx.Request] = []
    answer = services(settings, 200, {"probability": 0.2}, seen).score(client_id=1)
    assert answer == {"probability": 0.2}
    assert seen[0].headers["authorization"] == f"Bearer {KEY}"
    assert seen[0].url == "http://127.0.0.1:8001/v1/scores"
    assert KEY not in repr(settings)


@pytest.mark.parametrize(("status", "error"), [(503, ServiceDown), (500, ServiceDown),
                                               (401, ServiceDown), (404, NotFound),
                                               (409, Conflict)])
def test_failures_become_exceptions(settings: UISettings, status: int, error: type) -> None:
    with pytest.raises(error):
        services(settings, status, {"detail": "x"}).score(client_id=1)


def test_refused_key_is_told_apart(settings: UISettings) -> None:
    with pytest.raises(ServiceDown) as caught:
        services(settings, 403).model()
    assert caught.value.reason == "refused the dashboard's key"


def test_invalid_fields_are_named(settings: UISettings) -> None:
    detail = [{"loc": ["body", "features", "AMT_CREDIT"], "msg": "must be >= 1", "type": "x"},
              {"loc": ["body", "features"], "msg": "give exactly one", "type": "y"}]
    with pytest.raises(Invalid) as caught:
        services(settings, 422, {"detail": detail}).score(features={"AMT_CREDIT": 0})
    assert caught.value.fields == {"AMT_CREDIT": "must be >= 1", "": "give exactly one"}


def test_unreachable_peer_is_down(settings: UISettings) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    peers = Services(settings, transport=httpx.MockTransport(handler))
    with pytest.raises(ServiceDown) as caught:
        peers.explain({"client_id": 1})
    assert caught.value.service == "explain"
    assert peers.ready() is False


def test_login(settings: UISettings) -> None:
    assert services(settings, 401).login("ada", "x") is None
    assert services(settings, 200, {"username": "ada", "role": "advisor"}).login("ada", "y") == {
        "username": "ada", "role": "advisor"}
    with pytest.raises(TooManyAttempts):
        services(settings, 429).login("ada", "x")
    with pytest.raises(ServiceDown):
        services(settings, 503).login("ada", "x")


def test_api_key_from_a_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "key"
    secret.write_text(KEY + "\n")
    settings = UISettings(api_key_file=secret, _env_file=None)  # type: ignore[call-arg]
    assert settings.resolved_api_key() == KEY
