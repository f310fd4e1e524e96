"""Pytest fixtures for the services' tests: the tiny registered model and a loaded database."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from credit_core.auth import create_api_key
from credit_core.bundle import ModelBundle
from credit_core.db import get_engine
from credit_core.db.migrate import upgrade
from credit_core.schema.application import APPLICATION_FIELD_NAMES
from credit_core.schema.features import FEATURE_SCHEMA_VERSION
from tests.support.models import register_bundle, synthetic_vectors, train_tiny_bundle

os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")

FIRST_CLIENT_ID = 100_001
CLIENTS = 300


@dataclass
class Registry:
    """A throwaway MLflow store with ``credit-default@champion`` = version 1."""

    uri: str
    name: str
    workdir: Path
    versions: list[str] = field(default_factory=list)

    def register(self, bundle: ModelBundle, alias: str | None = "champion") -> str:
        version = register_bundle(bundle, self.uri, self.name, self.workdir, alias)
        self.versions.append(version)
        return version

    def move_alias(self, version: str, alias: str = "champion") -> None:
        from mlflow import MlflowClient

        client = MlflowClient(self.uri, registry_uri=self.uri)
        client.set_registered_model_alias(self.name, alias, version)


@dataclass
class ServiceDatabase:
    url: str
    keys: dict[str, str]
    client_ids: list[int]
    features: pd.DataFrame


@pytest.fixture(scope="session")
def tiny_bundle() -> ModelBundle:
    return train_tiny_bundle()


@pytest.fixture(scope="session")
def mlflow_registry(tmp_path_factory: pytest.TempPathFactory, tiny_bundle: ModelBundle) -> Registry:
    workdir = tmp_path_factory.mktemp("mlflow")
    registry = Registry(f"sqlite:///{workdir / 'mlflow.db'}", "credit-default", workdir)
    registry.register(tiny_bundle)
    return registry


def load_synthetic_clients(url: str, clients: int = CLIENTS) -> pd.DataFrame:
    """Migrate ``url`` and load ``clients`` synthetic clients (ids from FIRST_CLIENT_ID)."""
    from credit_pipeline.features.build import ClientData
    from credit_pipeline.features.store import load_client_data

    upgrade(url)
    vectors, target = synthetic_vectors(clients, seed=7)
    ids = pd.Index(np.arange(FIRST_CLIENT_ID, FIRST_CLIENT_ID + clients), name="SK_ID_CURR")
    vectors.index = ids
    split = np.where(np.arange(clients) % 5 == 0, "test", "train")
    meta = pd.DataFrame({"split": split, "TARGET": pd.array(
        np.where(split == "train", target, -1), dtype="Int16"),
        "feature_schema_version": FEATURE_SCHEMA_VERSION}, index=ids)
    meta.loc[meta["split"] == "test", "TARGET"] = pd.NA
    apps = pd.DataFrame(index=ids, columns=[c for c in APPLICATION_FIELD_NAMES
                                            if c != "SK_ID_CURR"], dtype=object)
    for column in ("AMT_CREDIT", "AMT_ANNUITY", "EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3",
                   "DAYS_BIRTH"):
        apps[column] = vectors[column]
    apps["CODE_GENDER"] = np.where(vectors["CODE_GENDER"] == 0, "F", "M")
    apps["AMT_INCOME_TOTAL"] = 150_000.0
    apps.insert(0, "split", split)
    load_client_data(get_engine(url), ClientData(applications=apps,
                                                  features=pd.concat([meta, vectors], axis=1)))
    return vectors


@pytest.fixture
def service_db(database_url: str) -> ServiceDatabase:
    """A migrated database (SQLite and PostgreSQL) with clients and one key per role."""
    vectors = load_synthetic_clients(database_url)
    engine = get_engine(database_url)
    keys = {role: create_api_key(engine, f"test-{role}", role).key
            for role in ("integrator", "service", "ops", "admin")}
    return ServiceDatabase(database_url, keys, vectors.index.tolist(), vectors)
