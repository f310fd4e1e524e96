"""Server mode: a real ``mlflow server`` process on PostgreSQL, reached over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import mlflow
from credit_core.bundle import ModelBundle
from credit_pipeline.train.datasets.training_data import TrainingData
from credit_pipeline.train.run import run_training

from .conftest import TINY_PROFILE, settings_for

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"


def _admin(statement: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True,
                         connect_timeout=3) as connection:
        connection.execute(statement)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_healthy(url: str, server: subprocess.Popen, log: Path, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"mlflow server exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"mlflow server not healthy after {seconds}s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def mlflow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    try:
        _admin("SELECT 1")
    except Exception as error:
        pytest.skip(f"PostgreSQL not reachable at 127.0.0.1:5432: {error}")
    database = f"credit_train_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{database}"')
    root = tmp_path_factory.mktemp("mlflow-server")
    log = root / "server.log"
    port = _free_port()
    command = [str(Path(sys.executable).with_name("mlflow")), "server",
               "--backend-store-uri", f"{POSTGRES}/{database}",
               "--artifacts-destination", str(root / "artifacts"),
               "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    environment = {**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true"}
    with log.open("w") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,
                                  env=environment, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server, log)
        yield url
    finally:
        os.killpg(server.pid, 15)  # the server and its uvicorn worker, nothing else
        server.wait(timeout=30)
        _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.slow
def test_train_and_register_against_a_tracking_server(
    mlflow_server: str, tmp_path: Path, synthetic_data: TrainingData
) -> None:
    settings = settings_for(tmp_path / "var", tracking_uri=mlflow_server)
    result = run_training(synthetic_data, TINY_PROFILE, settings)
    assert result.promoted and result.version == "1"
    client = mlflow.MlflowClient(tracking_uri=mlflow_server, registry_uri=mlflow_server)
    version = client.get_model_version_by_alias("credit-default", "champion")
    assert str(version.version) == "1"
    assert float(version.tags["threshold"]) == result.threshold
    mlflow.set_tracking_uri(mlflow_server)
    local = mlflow.artifacts.download_artifacts("models:/credit-default@champion/artifacts/bundle",
                                                dst_path=str(tmp_path / "bundle"))
    bundle = ModelBundle.load(local)
    frame = synthetic_data.features.head(100)
    pyfunc = mlflow.pyfunc.load_model("models:/credit-default@champion")
    np.testing.assert_allclose(pyfunc.predict(frame), bundle.predict_proba(frame.to_numpy()),
                               atol=1e-12)
    parent = client.get_run(result.run_id)
    assert parent.data.tags["promoted"] == "true"
    assert "oracle_roc_auc" in parent.data.metrics
