"""The scoring app on the tiny registered model and a loaded database (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from scoring_service.main import create_app
from scoring_service.settings import ScoringSettings
from tests.support.fixtures import Registry, ServiceDatabase


@pytest.fixture
def make_settings(service_db: ServiceDatabase, mlflow_registry: Registry,
                  tmp_path: Path) -> Callable[..., ScoringSettings]:
    def make(**overrides: Any) -> ScoringSettings:
        values: dict[str, Any] = {
            "DATABASE_URL": service_db.url, "MLFLOW_TRACKING_URI": mlflow_registry.uri,
            "CREDIT_VAR_DIR": tmp_path / "var", "reload_interval_seconds": 0,
            "model_cache_dir": tmp_path / "cache", "startup_database_wait_seconds": 1,
        }
        values.update(overrides)
        return ScoringSettings(**values)

    return make


@pytest.fixture
def client(make_settings: Callable[..., ScoringSettings]) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings())) as test_client:
        yield test_client


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
