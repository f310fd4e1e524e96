"""The champion rule: the alias moves only to a version that is cheaper on the same holdout."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import mlflow
from credit_pipeline.train.datasets.training_data import TrainingData
from credit_pipeline.train.phases import p3_retained as retained_module
from credit_pipeline.train.run import TrainingResult, run_training

from .conftest import TINY_PROFILE, settings_for, use_store

MODEL = "promotion-test"
#: A single stump: a deliberately weak model, trained on the very same data.
STUMP_PROFILE = TINY_PROFILE.with_overrides(final_max_trees=1)


def alias_version(client: mlflow.MlflowClient) -> str:
    return str(client.get_model_version_by_alias(MODEL, "champion").version)


def registry_metrics(client: mlflow.MlflowClient, result: TrainingResult) -> dict[str, float]:
    return client.get_run(client.get_model_version(MODEL, result.version).run_id).data.metrics


@pytest.mark.slow
def test_alias_moves_only_when_the_cost_is_lower_or_forced(
    tmp_path: Path, synthetic_data: TrainingData, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path / "var")
    real_params = retained_module.native_params

    def stump_params(*args: Any) -> dict[str, Any]:
        return {**real_params(*args), "num_leaves": 2, "max_depth": 1}

    def weak(force: bool = False) -> TrainingResult:
        with monkeypatch.context() as patch:
            patch.setattr(retained_module, "native_params", stump_params)
            return run_training(synthetic_data, STUMP_PROFILE, settings, MODEL, force)

    first = weak()
    assert first.promoted and first.promotion_reason == "no champion yet"

    better = run_training(synthetic_data, TINY_PROFILE, settings, MODEL)
    assert better.split.fingerprint == first.split.fingerprint  # the same holdout clients
    assert better.holdout.evaluation.cost.total < first.holdout.evaluation.cost.total
    assert better.promoted, better.promotion_reason
    client = use_store(settings)
    assert alias_version(client) == better.version
    # The champion was rescored now, on this run's holdout, at its own threshold.
    assert registry_metrics(client, better)["champion_business_cost_holdout"] == (
        first.holdout.evaluation.cost.total)

    worse = weak()
    assert not worse.promoted
    assert alias_version(client) == better.version
    metrics = registry_metrics(client, worse)
    assert metrics["champion_business_cost_holdout"] == better.holdout.evaluation.cost.total
    assert metrics["challenger_business_cost_holdout"] == worse.holdout.evaluation.cost.total

    forced = weak(force=True)
    assert forced.promoted and forced.promotion_reason.startswith("forced")
    assert alias_version(client) == forced.version
    assert client.get_model_version(MODEL, forced.version).tags["promotion"].startswith("forced")


@pytest.mark.slow
def test_a_champion_that_cannot_score_the_holdout_is_kept(
    tmp_path: Path, synthetic_data: TrainingData
) -> None:
    settings = settings_for(tmp_path / "var")
    champion = run_training(synthetic_data, TINY_PROFILE, settings, MODEL)
    fewer = replace(synthetic_data, features=synthetic_data.features.drop(columns="NOISE_001"),
                    dataset_name="without-noise-001")
    challenger = run_training(fewer, TINY_PROFILE, settings, MODEL)
    assert not challenger.promoted
    assert "cannot score this holdout" in challenger.promotion_reason
    assert alias_version(use_store(settings)) == champion.version
