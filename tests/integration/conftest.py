"""Real processes: an MLflow server on PostgreSQL, and the services as uvicorn processes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from credit_core.auth import create_api_key
from credit_core.db import get_engine
from tests.support.fixtures import Registry, load_synthetic_clients
from tests.support.processes import Process, free_port, start_process

BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def mlflow_server(make_postgres_database: Callable[[], str], tmp_path_factory: pytest.TempPathFactory,
                  tiny_bundle) -> Iterator[Registry]:  # type: ignore[no-untyped-def]
    """`mlflow server` with a PostgreSQL backend and proxied artifacts, with version 1."""
    backend = make_postgres_database()
    workdir = tmp_path_factory.mktemp("mlflow-server")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_process(
        [str(BIN / "mlflow"), "server", "--backend-store-uri", backend,
         "--artifacts-destination", str(workdir / "artifacts"), "--host", "127.0.0.1",
         "--port", str(port), "--workers", "1"],
        env={"MLFLOW_DISABLE_TELEMETRY": "true"}, log=workdir / "mlflow.log", url=url,
        ready_path="/health", timeout=180,
    )
    registry = Registry(url, "credit-default", workdir)
    try:
        registry.register(tiny_bundle)
        yield registry
    finally:
        process.stop()


@dataclass
class RunningService:
    process: Process
    url: str
    database_url: str
    keys: dict[str, str]
    client_ids: list[int]


def start_scoring(database_url: str, tracking_uri: str, workdir: Path,
                  **env: str) -> Process:
    port = free_port()
    return start_process(
        [str(BIN / "credit"), "serve", "scoring", "--port", str(port)],
        env={"DATABASE_URL": database_url, "MLFLOW_TRACKING_URI": tracking_uri,
             "CREDIT_VAR_DIR": str(workdir / "var"), "SCORING_RELOAD_INTERVAL_SECONDS": "1",
             **env},
        log=workdir / f"scoring-{port}.log", url=f"http://127.0.0.1:{port}",
        ready_path="/readyz", timeout=120,
    )


@pytest.fixture
def scoring_on_postgres(make_postgres_database: Callable[[], str], mlflow_server: Registry,
                        tmp_path: Path) -> Iterator[RunningService]:
    """The scoring service as a process, on PostgreSQL and the MLflow server."""
    database_url = make_postgres_database()
    vectors = load_synthetic_clients(database_url)
    engine = get_engine(database_url)
    keys = {role: create_api_key(engine, f"it-{role}", role).key
            for role in ("integrator", "admin")}
    process = start_scoring(database_url, mlflow_server.uri, tmp_path)
    try:
        yield RunningService(process, process.url, database_url, keys, vectors.index.tolist())
    finally:
        process.stop()
