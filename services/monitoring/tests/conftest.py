"""The monitoring app on a tiny registered model WITH a drift reference and an importance file,
in its own throwaway MLflow store, and the loaded database (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select

from credit_core.audit import pack_vector
from credit_core.bundle import ModelBundle
from credit_core.db import decisions, drift_runs, get_engine
from credit_core.schema.features import FEATURE_NAMES, FEATURE_SCHEMA_VERSION
from monitoring_service.main import create_app
from monitoring_service.settings import MonitoringSettings
from tests.support.fixtures import Registry, ServiceDatabase
from tests.support.models import TINY_FEATURES, synthetic_vectors

REFERENCE_ROWS = 3000
IMPORTANCE = {"EXT_SOURCE_2": 0.9, "EXT_SOURCE_3": 0.6, "EXT_SOURCE_1": 0.3, "AMT_CREDIT": 0.2,
              "INSTAL_DPD_MEAN": 0.2, "PREV_IS_REFUSED_MEAN": 0.15, "DAYS_BIRTH": 0.1,
              "AMT_ANNUITY": 0.05, "PAYMENT_RATE": 0.05, "CODE_GENDER": 0.02}


def pytest_configure(config: pytest.Config) -> None:
    # Warnings from our own code are errors (STYLE), as for credit_core and the pipeline.
    config.addinivalue_line("filterwarnings", "error::DeprecationWarning:monitoring_service.*")


def reference_frame(bundle: ModelBundle, rows: int = REFERENCE_ROWS, seed: int = 11) -> pd.DataFrame:
    """The training-like reference: float32 features and the out-of-fold-like probability."""
    vectors, _ = synthetic_vectors(rows, seed=seed)
    frame = vectors[TINY_FEATURES].astype(np.float32)
    frame["__prediction__"] = bundle.predict_proba(vectors[TINY_FEATURES].to_numpy()).astype(
        np.float32)
    return frame.reset_index(drop=True)


def register_monitored(bundle: ModelBundle, registry: Registry, reference: pd.DataFrame | None,
                       importance: dict[str, float] | None, alias: str | None = "champion") -> str:
    """Like tests.support.models.register_bundle, with the reference and importance attached."""
    import mlflow
    from mlflow import MlflowClient

    class _Probabilities(mlflow.pyfunc.PythonModel):  # type: ignore[name-defined]
        def predict(self, context, model_input, params=None):  # type: ignore[no-untyped-def]
            return model_input

    folder = registry.workdir / f"version-{len(registry.versions) + 1}"
    bundle_dir = bundle.save(folder / "bundle")
    artifacts = {"bundle": str(bundle_dir)}
    if importance is not None:
        (bundle_dir / "importance.json").write_text(json.dumps(importance))
    if reference is not None:
        (folder / "reference").mkdir()
        reference.to_parquet(folder / "reference" / "reference.parquet", index=False)
        artifacts["reference"] = str(folder / "reference")
    mlflow.set_tracking_uri(registry.uri)
    mlflow.set_registry_uri(registry.uri)
    mlflow.set_experiment("monitoring-tests")
    with mlflow.start_run():
        info = mlflow.pyfunc.log_model(name="model", python_model=_Probabilities(),
                                       artifacts=artifacts)
    version = str(mlflow.register_model(info.model_uri, registry.name).version)
    if alias:
        client = MlflowClient(registry.uri, registry_uri=registry.uri)
        client.set_registered_model_alias(registry.name, alias, version)
    registry.versions.append(version)
    return version


@pytest.fixture(scope="session")
def monitoring_registry(tmp_path_factory: pytest.TempPathFactory,
                        tiny_bundle: ModelBundle) -> Registry:
    """credit-default@champion = v1: the tiny bundle, its reference and importance."""
    workdir = tmp_path_factory.mktemp("mlflow-monitoring")
    registry = Registry(f"sqlite:///{workdir / 'mlflow.db'}", "credit-default", workdir)
    register_monitored(tiny_bundle, registry, reference_frame(tiny_bundle), IMPORTANCE)
    return registry


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One model cache for the session's registry: downloaded and profiled once."""
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture
def make_settings(service_db: ServiceDatabase, monitoring_registry: Registry, model_cache: Path,
                  tmp_path: Path) -> Callable[..., MonitoringSettings]:
    def make(**overrides: Any) -> MonitoringSettings:
        values: dict[str, Any] = {
            "DATABASE_URL": service_db.url, "MLFLOW_TRACKING_URI": monitoring_registry.uri,
            "CREDIT_VAR_DIR": tmp_path / "var", "reload_interval_seconds": 0,
            "model_cache_dir": model_cache, "startup_database_wait_seconds": 1,
            "render_reports": False, "scoring_url": "http://127.0.0.1:9",
            "explain_url": "http://127.0.0.1:9", "ui_url": "http://127.0.0.1:9",
            "peer_timeout_seconds": 0.5,
        }
        values.update(overrides)
        return MonitoringSettings(**values)

    return make


@pytest.fixture
def client(make_settings: Callable[..., MonitoringSettings]) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings())) as test_client:
        yield test_client


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def batch(rows: int, seed: int, shift: bool = False) -> pd.DataFrame:
    """A batch of the model's features: a fresh sample of the reference's distribution, or one
    with known shifts in EXT_SOURCE_2, AMT_CREDIT and CODE_GENDER."""
    vectors, _ = synthetic_vectors(rows, seed=seed)
    frame = vectors[TINY_FEATURES].copy()
    if shift:
        frame["EXT_SOURCE_2"] = (frame["EXT_SOURCE_2"] * 0.5).round(6)
        frame["AMT_CREDIT"] = frame["AMT_CREDIT"] * 1.8
        frame["CODE_GENDER"] = (np.arange(rows) % 10 < 8).astype(float)
    return frame


def as_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def as_parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def upload(client: TestClient, key: str, content: bytes, name: str = "batch.csv",
           options: dict[str, Any] | None = None) -> Any:
    data = {"options": json.dumps(options)} if options else {}
    return client.post("/v1/drift/runs", files={"file": (name, content)}, data=data,
                       headers=bearer(key))


def insert_decisions(url: str, vectors: pd.DataFrame, created_at: Sequence[datetime],
                     probabilities: Sequence[float], threshold: float = 0.12,
                     client_ids: Sequence[int | None] | None = None,
                     model_version: str = "1") -> None:
    """Audit rows as the scoring service writes them (full FEATURE_NAMES vectors)."""
    full = pd.DataFrame(np.nan, index=range(len(vectors)), columns=list(FEATURE_NAMES))
    for name in vectors.columns:
        full[name] = vectors[name].to_numpy()
    rows = []
    for i, (vector, moment, p) in enumerate(zip(full.to_numpy(), created_at, probabilities,
                                                strict=True)):
        rows.append({
            "decision_id": f"d-{model_version}-{i}-{moment.timestamp()}", "request_id": "test",
            "client_id": None if client_ids is None else client_ids[i], "source": "client_id",
            "feature_vector": pack_vector(vector), "feature_schema_version": FEATURE_SCHEMA_VERSION,
            "inputs": None, "probability": float(p), "threshold": threshold,
            "decision": "refused" if p >= threshold else "approved", "model_name": "credit-default",
            "model_version": model_version, "api_key_name": "test", "created_at": moment})
    with get_engine(url).begin() as connection:
        connection.execute(insert(decisions), rows)


def count_runs(url: str) -> int:
    with get_engine(url).connect() as connection:
        return int(connection.execute(select(func.count()).select_from(drift_runs)).scalar_one())


def recent(hours: float) -> datetime:
    from datetime import UTC

    return datetime.now(UTC) - timedelta(hours=hours)


def sqlite_service_db(sqlite_url: str) -> ServiceDatabase:
    """service_db on SQLite only: override ``service_db`` with it in a module whose tests do
    not depend on the database engine (they then run once)."""
    from credit_core.auth import create_api_key
    from tests.support.fixtures import load_synthetic_clients

    vectors = load_synthetic_clients(sqlite_url)
    engine = get_engine(sqlite_url)
    keys = {role: create_api_key(engine, f"test-{role}", role).key
            for role in ("integrator", "service", "ops", "admin")}
    return ServiceDatabase(sqlite_url, keys, vectors.index.tolist(), vectors)
