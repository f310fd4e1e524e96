"""/invocations answers what ``mlflow models serve`` answers, side by side (issues 14.8 and 16).

Two registered models, each served by the scoring app and by MLflow's own scoring server
(``mlflow.pyfunc.scoring_server.init``: the app ``mlflow models serve`` runs) in-process:

- a Home Credit model logged by the training's packaging (its pyfunc, signature and
  ``serving_input_example.json``), with string levels for CODE_GENDER;
- a generic model trained by ``credit train --data FILE`` on a CSV with string categoricals and
  integer columns, which the scoring app serves in its generic mode.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import mlflow
from credit_core.bundle import ModelBundle
from scoring_service.main import create_app
from scoring_service.settings import ScoringSettings
from tests.support.fixtures import ServiceDatabase
from tests.support.models import TINY_FEATURES, train_tiny_bundle

pytestmark = pytest.mark.slow

FORMATS = ("dataframe_split", "dataframe_records", "instances", "inputs")


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """SQLite only: what is compared here does not touch the database beyond the keys."""
    return sqlite_url


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _bodies(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame`` in the four formats of the protocol (JSON-ready: None for missing)."""
    data = [[None if pd.isna(value) else value for value in row]
            for row in frame.astype(object).to_numpy().tolist()]
    columns = [str(name) for name in frame.columns]
    records = [dict(zip(columns, row, strict=True)) for row in data]
    split = {"columns": columns, "data": data}
    return [{"dataframe_split": split}, {"dataframe_records": records},
            {"instances": records}, {"inputs": records}]


@contextmanager
def _mlflow_server(model_uri: str) -> Iterator[TestClient]:
    """The app of ``mlflow models serve -m model_uri``, in-process."""
    from mlflow.pyfunc import scoring_server

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("_MLFLOW_IS_IN_SERVING_ENVIRONMENT", "false")  # init sets it: restored after
        with TestClient(scoring_server.init(mlflow.pyfunc.load_model(model_uri))) as client:
            yield client


def _compare(ours: TestClient, theirs: TestClient, key: str, body: dict[str, Any]) -> list[float]:
    # json.dumps writes NaN as MLflow's own serving example does (both servers read it).
    content = json.dumps(body)
    json_type = {"Content-Type": "application/json"}
    answer = ours.post("/invocations", content=content, headers=_bearer(key) | json_type)
    reference = theirs.post("/invocations", content=content, headers=json_type)
    assert reference.status_code == 200, reference.text
    assert answer.status_code == 200, (list(body), answer.text)
    predictions: list[float] = answer.json()["predictions"]
    assert predictions == pytest.approx(reference.json()["predictions"], rel=0, abs=1e-12)
    return predictions


# --- a Home Credit model, packaged as training packages it --------------------------------------

@pytest.fixture(scope="module")
def home_credit_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store with credit-default v1: the tiny model with CODE_GENDER levels, logged by
    ``log_and_register`` (the champion's pyfunc code, signature and serving example)."""
    from credit_pipeline.train.mlflow_io.registry import log_and_register

    workdir = tmp_path_factory.mktemp("hc-store")
    uri = f"sqlite:///{workdir / 'mlflow.db'}"
    tiny = train_tiny_bundle()
    bundle = ModelBundle(booster=tiny.booster, features=tiny.features,
                         categorical_features=tiny.categorical_features,
                         threshold=tiny.threshold, calibration=tiny.calibration,
                         category_levels={"CODE_GENDER": ["F", "M"]})
    bundle.save(workdir / "staging" / "bundle")
    (workdir / "staging" / "reference").mkdir()
    example = pd.DataFrame({name: [0.5, np.nan, 0.2] for name in TINY_FEATURES})
    example["CODE_GENDER"] = ["F", "M", None]
    example["AMT_CREDIT"] = [250_000.0, 1_000_000.0, np.nan]
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    mlflow.set_experiment("hc")
    with mlflow.start_run():
        _, version = log_and_register(workdir / "staging", bundle, example, "credit-default", {})
    mlflow.MlflowClient().set_registered_model_alias("credit-default", "champion", version)
    return uri


def test_home_credit_model_takes_its_serving_example_like_mlflow(
        home_credit_store: str, service_db: ServiceDatabase, tmp_path: Path) -> None:
    local = Path(mlflow.artifacts.download_artifacts("models:/credit-default/1",
                                                     dst_path=str(tmp_path / "model"),
                                                     tracking_uri=home_credit_store))
    example = json.loads((local / "serving_input_example.json").read_text())
    assert "F" in json.dumps(example)  # the strings the fast path refused (issue 14.8)
    frame = pd.DataFrame(**example["dataframe_split"])
    key = service_db.keys["integrator"]
    settings = ScoringSettings(DATABASE_URL=service_db.url,  # type: ignore[call-arg]
                               MLFLOW_TRACKING_URI=home_credit_store,
                               CREDIT_VAR_DIR=tmp_path / "var", reload_interval_seconds=0)
    with TestClient(create_app(settings)) as ours, \
            _mlflow_server("models:/credit-default/1") as theirs:
        assert ours.get("/v1/model", headers=_bearer(key)).json()["kind"] == "home_credit"
        expected = _compare(ours, theirs, key, example)
        _compare(ours, theirs, key, {**example, "params": {"anything": 1}})
        for body in _bodies(frame):
            assert _compare(ours, theirs, key, body) == pytest.approx(expected, abs=1e-12)
        # Raw numeric rows of the database take the fast path: the same numbers as MLflow's.
        rows = service_db.features.iloc[:20][TINY_FEATURES].reset_index(drop=True)
        for body in _bodies(rows):
            _compare(ours, theirs, key, body)
        # Text in a numeric column stays an error (MLflow would make it a missing value).
        refused = ours.post("/invocations", headers=_bearer(key),
                            json={"dataframe_records": [{"EXT_SOURCE_2": "high"}]})
        assert refused.status_code == 422 and "EXT_SOURCE_2" in refused.json()["detail"]


# --- a generic model, trained by `credit train --data` ---------------------------------------

def _loans(rows: int = 1200) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    score = rng.random(rows)
    frame = pd.DataFrame({
        "loan_id": np.arange(rows) + 1000,
        "age": rng.integers(20, 70, rows),
        "amount": rng.integers(500, 20_000, rows),
        "grade": rng.choice(["A", "B", "C"], rows),
        "purpose": rng.choice(["car", "house", "studies", "other"], rows),
        "score": score.round(4),
        "status": np.where(rng.random(rows) < 0.35 * (1.2 - score), "default", "paid"),
    })
    frame.loc[::9, "purpose"] = None
    return frame


@pytest.fixture(scope="module")
def generic_model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(tracking URI, CSV): ``credit train --data`` registered ``loans`` v1 @champion."""
    from credit_core.settings import CoreSettings, get_core_settings
    from credit_pipeline.commands.train import results_command, train_command
    from credit_pipeline.train import run as run_module
    from credit_pipeline.train.profiles import PROFILES

    workdir = tmp_path_factory.mktemp("generic")
    path = workdir / "loans.csv"
    _loans().to_csv(path, index=False)
    tiny = PROFILES["test"].with_overrides(
        baseline_families=("dummy", "lightgbm"), search_families=("lightgbm",),
        search_trials=1, deep_trials=1, baseline_trees=10)
    app = typer.Typer()
    app.command("train")(train_command)
    app.command("results")(results_command)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CREDIT_VAR_DIR", str(workdir / "var"))
        patch.delenv("MLFLOW_TRACKING_URI", raising=False)
        patch.setattr(run_module, "get_profile", lambda name: tiny)
        get_core_settings.cache_clear()
        result = CliRunner().invoke(app, [
            "train", "--data", str(path), "--id-column", "loan_id", "--target-column",
            "status", "--positive-label", "default", "--model-name", "loans", "--force"])
        get_core_settings.cache_clear()
        # Inside the patch: a MLFLOW_TRACKING_URI set by other tests must not be taken.
        uri = CoreSettings(CREDIT_VAR_DIR=workdir / "var").resolved_tracking_uri  # type: ignore[call-arg]
    assert result.exit_code == 0, result.output
    yield uri, path


def test_generic_model_served_with_raw_rows_like_mlflow(
        generic_model: tuple[str, Path], service_db: ServiceDatabase, tmp_path: Path) -> None:
    uri, path = generic_model
    raw = pd.read_csv(path)
    # Issue 16 item 5: the pyfunc takes the file as pandas reads it (integer columns included).
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    model = mlflow.pyfunc.load_model("models:/loans/1")
    direct = model.predict(raw.head(50))
    # One configuration change makes a scoring deployment of this model: MODEL_NAME.
    settings = ScoringSettings(DATABASE_URL=service_db.url,  # type: ignore[call-arg]
                               MLFLOW_TRACKING_URI=uri, MODEL_NAME="loans",
                               CREDIT_VAR_DIR=tmp_path / "var", reload_interval_seconds=0)
    key = service_db.keys["integrator"]
    with TestClient(create_app(settings)) as ours, _mlflow_server("models:/loans/1") as theirs:
        assert ours.get("/readyz").status_code == 200
        described = ours.get("/v1/model", headers=_bearer(key)).json()
        assert described["kind"] == "generic" and described["name"] == "loans"
        # Raw rows of the file: the id and target columns, strings, integers, missing values.
        for body in _bodies(raw.head(50)):
            predictions = _compare(ours, theirs, key, body)
            assert predictions == pytest.approx(list(direct), abs=1e-12)
        features = raw.drop(columns=["loan_id", "status"]).head(5)
        _compare(ours, theirs, key, {**_bodies(features)[0], "params": {"x": 1}})
        # The Home Credit routes say what this deployment is.
        scored = ours.post("/v1/scores", json={"client_id": service_db.client_ids[0]},
                           headers=_bearer(key))
        assert scored.status_code == 409 and "generic model" in scored.json()["detail"]
        client = ours.get(f"/v1/clients/{service_db.client_ids[0]}", headers=_bearer(key))
        assert client.status_code == 409 and "generic model" in client.json()["detail"]
        assert ours.get(f"/v1/clients/{service_db.client_ids[0]}").status_code == 401
        assert "model_version_info" in ours.get("/metrics").text
