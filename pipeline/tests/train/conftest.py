"""Shared fixtures: a small synthetic data set and one session-wide training run.

Everything runs with the "test" budget on a few thousand rows against an MLflow store in a
temporary directory (SQLite backend), so the directory stays within a few minutes on 2 cores.
"""

from __future__ import annotations

import os

# Before anything imports mlflow: it starts its telemetry client at import time.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

import mlflow
from credit_core.settings import CoreSettings
from credit_pipeline.train import run as run_module
from credit_pipeline.train.datasets.synthetic import synthetic_training_data
from credit_pipeline.train.datasets.training_data import TrainingData
from credit_pipeline.train.phases import p4_threshold as threshold_module
from credit_pipeline.train.phases.context import PhaseContext
from credit_pipeline.train.profiles import PROFILES, Profile
from credit_pipeline.train.run import TrainingResult, run_training

TEST_PROFILE = PROFILES["test"]
#: Even smaller, for tests that train several times (promotion rule, server mode).
TINY_PROFILE = TEST_PROFILE.with_overrides(
    baseline_families=("dummy", "lightgbm"), search_families=("lightgbm",), search_trials=1,
    deep_trials=1, baseline_trees=10,
)


@pytest.fixture(autouse=True, scope="session")
def _quiet_mlflow() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
        patch.setenv("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
        patch.setenv("DO_NOT_TRACK", "1")
        patch.delenv("MLFLOW_TRACKING_URI", raising=False)
        yield


def settings_for(var_dir: Path, tracking_uri: str | None = None) -> CoreSettings:
    """Settings whose MLflow store (and everything else) lives under ``var_dir``."""
    values: dict[str, object] = {"CREDIT_VAR_DIR": var_dir}
    if tracking_uri:
        values["MLFLOW_TRACKING_URI"] = tracking_uri
    return CoreSettings(**values)  # type: ignore[arg-type]


def use_store(settings: CoreSettings) -> mlflow.MlflowClient:
    """Point the MLflow client at a settings' store (other tests may have moved it)."""
    mlflow.set_tracking_uri(settings.resolved_tracking_uri)
    mlflow.set_registry_uri(settings.resolved_tracking_uri)
    return mlflow.MlflowClient()


@pytest.fixture(scope="session")
def synthetic_data() -> TrainingData:
    return synthetic_training_data(rows=3000, n_features=20, seed=0)


@dataclass
class Spy:
    """What the phases were given during the session's training run."""

    threshold_calls: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    context_ids: list[np.ndarray] = field(default_factory=list)


@dataclass
class Trained:
    """The session's training run and what it saw."""

    result: TrainingResult
    settings: CoreSettings
    data: TrainingData
    spy: Spy
    profile: Profile = TEST_PROFILE


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory, synthetic_data: TrainingData) -> Trained:
    """One full training run (test budget), with spies on the threshold and the phase data."""
    settings = settings_for(tmp_path_factory.mktemp("var"))
    spy = Spy()
    real_choose, real_build = threshold_module.choose_threshold, PhaseContext.build.__func__

    def choose_spy(target: np.ndarray, probability: np.ndarray) -> float:
        spy.threshold_calls.append((target.copy(), probability.copy()))
        return real_choose(target, probability)

    def build_spy(cls: type, train: TrainingData, *args: object) -> PhaseContext:
        spy.context_ids.append(train.ids.copy())
        return real_build(cls, train, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(threshold_module, "choose_threshold", choose_spy)
        patch.setattr(run_module.PhaseContext, "build", classmethod(build_spy))
        result = run_training(synthetic_data, TEST_PROFILE, settings)
    return Trained(result, settings, synthetic_data, spy)
