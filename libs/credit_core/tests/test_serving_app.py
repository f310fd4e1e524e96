"""The kit in an app: the lifespan (database wait, model start, reload loop, extra loops), the
model routes and the dependencies, on SQLite with real API keys and an in-memory registry."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, ClassVar

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from credit_core.auth import create_api_key
from credit_core.db import get_engine
from credit_core.db.migrate import upgrade
from credit_core.serving.deps import serve_model
from credit_core.serving.holder import ModelHolder
from credit_core.serving.lifespan import serving_lifespan
from credit_core.serving.routes import model_router
from credit_core.topology import Part, service
from credit_core.web.app import build_app
from credit_core.web.settings import ModelServiceSettings, service_config

from .fake_registry import FakeSource, Served


class _Settings(ModelServiceSettings):
    part: ClassVar[Part] = service("scoring")
    model_config = service_config(part)


@pytest.fixture
def keys(sqlite_url: str) -> dict[str, str]:
    upgrade(sqlite_url)
    engine = get_engine(sqlite_url)
    return {role: create_api_key(engine, f"kit-{role}", role).key
            for role in ("integrator", "admin", "ops")}


def _app(sqlite_url: str, tmp_path: Path, source: FakeSource, *background: Any,
         pinned: int = 0, **settings: Any) -> FastAPI:
    values: dict[str, Any] = {"DATABASE_URL": sqlite_url, "CREDIT_VAR_DIR": tmp_path,
                              "reload_interval_seconds": 0, "startup_database_wait_seconds": 1,
                              **settings}
    stopped: list[FastAPI] = []
    app = build_app("scoring", _Settings(**values),
                    lifespan=serving_lifespan(*background, on_shutdown=stopped.append))
    app.state.stopped = stopped
    serve_model(app, ModelHolder(source, app.state.metrics, Served, pinned=pinned,  # type: ignore[arg-type]
                                 unavailable="the model and its reference"))
    app.include_router(model_router(lambda served: {"version": served.model.version},
                                    summary="The model", description="What is served."))
    return app


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_settings_name_the_cache_by_the_service_and_read_its_prefix(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCORING_RELOAD_INTERVAL_SECONDS", "7")
    settings = _Settings(**{"CREDIT_VAR_DIR": tmp_path})
    assert settings.reload_interval_seconds == 7
    assert settings.resolved_model_cache_dir == tmp_path.resolve() / "model-cache" / "scoring"
    assert "http://127.0.0.1:7860" in settings.cors_origins


def test_the_model_routes_answer_with_the_served_object(
        sqlite_url: str, tmp_path: Path, keys: dict[str, str]) -> None:
    source = FakeSource(versions=("1", "2"))
    with TestClient(_app(sqlite_url, tmp_path, source)) as client:
        assert client.get("/readyz").status_code == 200
        model = client.get("/v1/model", headers=_bearer(keys["integrator"]))
        assert model.status_code == 200 and model.json() == {"version": "1"}
        assert client.get("/v1/model").status_code == 401
        assert client.get("/v1/model", headers=_bearer(keys["ops"])).status_code == 403
        assert client.post("/v1/model/reload",
                           headers=_bearer(keys["integrator"])).status_code == 403
        source.alias = "2"
        reloaded = client.post("/v1/model/reload", headers=_bearer(keys["admin"]))
        assert reloaded.status_code == 200
        assert reloaded.json()["reloaded"] and reloaded.json()["model"]["version"] == "2"
        assert client.get("/v1/model", headers=_bearer(keys["integrator"])).json() == {
            "version": "2"}


def test_without_a_model_the_routes_are_503_and_the_app_not_ready(
        sqlite_url: str, tmp_path: Path, keys: dict[str, str]) -> None:
    with TestClient(_app(sqlite_url, tmp_path, FakeSource(alias=None))) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["model"]["ok"] is False
        model = client.get("/v1/model", headers=_bearer(keys["integrator"]))
        assert model.status_code == 503 and model.headers["retry-after"] == "30"
        assert "the model and its reference" in model.text


def test_pinned_versions_are_listed_with_the_model(
        sqlite_url: str, tmp_path: Path, keys: dict[str, str]) -> None:
    source = FakeSource(versions=("1", "2"), alias="2")
    with TestClient(_app(sqlite_url, tmp_path, source, pinned=2)) as client:
        client.app.state.models.version("1")  # type: ignore[attr-defined]
        model = client.get("/v1/model", headers=_bearer(keys["integrator"])).json()
        assert model == {"version": "2", "pinned_versions": ["1"]}


def _wait(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_the_lifespan_runs_the_reload_loop_and_the_service_loops(
        sqlite_url: str, tmp_path: Path) -> None:
    events: list[str] = []

    def ticker(app: FastAPI) -> Coroutine[Any, Any, None]:
        async def tick() -> None:
            try:
                while True:
                    events.append("tick")
                    await asyncio.sleep(0.01)
            except asyncio.CancelledError:
                events.append("stopped")
                raise
        return tick()

    def switched_off(app: FastAPI) -> None:
        return None  # a loop the settings turn off: nothing runs

    source = FakeSource(versions=("1", "2"))
    app = _app(sqlite_url, tmp_path, source, ticker, switched_off, reload_interval_seconds=0.02)
    with TestClient(app):
        holder = app.state.models
        assert holder.current.model.version == "1"  # loaded before the first request
        source.alias = "2"
        assert _wait(lambda: holder.current.model.version == "2")  # the poll loop moved
        assert _wait(lambda: "tick" in events)
        assert app.state.stopped == []
    assert events[-1] == "stopped" and app.state.stopped == [app]
