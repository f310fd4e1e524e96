"""The explain app on a registry of its own and a loaded database (SQLite and PostgreSQL).

The registry holds version 1, the shared tiny model (bundle only: no importance, no reference)
and version 2, the richer tiny model with importance and reference, which the champion alias
points to. Constructed clients with a known profile are added to the shared 300.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from credit_core.bundle import ModelBundle
from credit_core.model_source import LoadedModel
from explain_service.main import create_app
from explain_service.settings import ExplainSettings
from explain_service.shap.explainer import VersionExplainer
from tests.support.fixtures import Registry, ServiceDatabase

from .rich_model import (
    TYPICAL_APPLICATION,
    TYPICAL_HISTORY,
    full_vectors,
    insert_clients,
    register_staged,
    stage_version,
    train_rich,
)

#: Constructed applicants: (changes to the application, changes to the history).
PROFILES: dict[str, tuple[dict[str, Any], dict[str, float]]] = {
    "typical": ({}, {}),
    "late": ({}, {"INSTAL_DPD_MEAN": 25.0, "INSTAL_DPD_MAX": 60.0}),
    "young": ({"DAYS_BIRTH": -7000}, {}),
    "heavy": ({"AMT_INCOME_TOTAL": 150_000.0, "AMT_CREDIT": 900_000.0,
               "AMT_GOODS_PRICE": 880_000.0, "AMT_ANNUITY": 37_500.0}, {}),
    "hopeless": ({"EXT_SOURCE_2": 0.05, "EXT_SOURCE_3": 0.05},
                 {"INSTAL_DPD_MEAN": 20.0, "PREV_IS_REFUSED_MEAN": 1.0}),
}
FIRST_CONSTRUCTED_ID = 900_001


def profile(name: str) -> tuple[dict[str, Any], dict[str, float]]:
    """The application fields and history of a constructed applicant."""
    application, history = PROFILES[name]
    return {**TYPICAL_APPLICATION, **application}, {**TYPICAL_HISTORY, **history}


def profile_vector(name: str) -> np.ndarray:
    application, history = profile(name)
    return full_vectors(pd.DataFrame([application]), pd.DataFrame([history])).to_numpy()[0]


def constructed_id(name: str) -> int:
    return FIRST_CONSTRUCTED_ID + list(PROFILES).index(name)


@pytest.fixture(scope="session")
def rich_model() -> tuple[ModelBundle, pd.DataFrame]:
    """The richer tiny model and its reference frame."""
    return train_rich()


@pytest.fixture(scope="session")
def rich_staged(rich_model, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    bundle, reference = rich_model
    return stage_version(bundle, reference, tmp_path_factory.mktemp("rich"))


@pytest.fixture(scope="session")
def rich_explainer(rich_model, rich_staged: Path) -> VersionExplainer:  # type: ignore[no-untyped-def]
    """The rich version's explainer, without registry or database."""
    return VersionExplainer(LoadedModel("credit-default", "2", rich_model[0], rich_staged,
                                        "registry"))


@pytest.fixture(scope="session")
def explain_registry(tmp_path_factory: pytest.TempPathFactory, tiny_bundle: ModelBundle,
                     rich_staged: Path) -> Registry:
    """v1 = the shared tiny model (bundle only), v2 = the rich one, champion -> v2."""
    workdir = tmp_path_factory.mktemp("explain-mlflow")
    registry = Registry(f"sqlite:///{workdir / 'mlflow.db'}", "credit-default", workdir)
    registry.register(tiny_bundle, alias=None)
    registry.versions.append(register_staged(rich_staged, registry.uri, registry.name))
    return registry


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One download per version for the whole session."""
    return tmp_path_factory.mktemp("explain-model-cache")


@pytest.fixture
def constructed(service_db: ServiceDatabase) -> dict[str, int]:
    """The constructed applicants, stored as the feature build would: name -> client id."""
    insert_clients(service_db.url, {constructed_id(name): profile(name) for name in PROFILES})
    return {name: constructed_id(name) for name in PROFILES}


@pytest.fixture
def make_settings(service_db: ServiceDatabase, explain_registry: Registry, model_cache: Path,
                  tmp_path: Path) -> Callable[..., ExplainSettings]:
    def make(**overrides: Any) -> ExplainSettings:
        values: dict[str, Any] = {
            "DATABASE_URL": service_db.url, "MLFLOW_TRACKING_URI": explain_registry.uri,
            "CREDIT_VAR_DIR": tmp_path / "var", "reload_interval_seconds": 0,
            "model_cache_dir": model_cache, "startup_database_wait_seconds": 1,
        }
        values.update(overrides)
        return ExplainSettings(**values)

    return make


@pytest.fixture
def client(make_settings: Callable[..., ExplainSettings],
           constructed: dict[str, int]) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings())) as test_client:
        yield test_client


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
