"""``--data`` files: the family chosen by the data, the linear export, the lender's guard."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from mlflow.exceptions import MlflowException

import mlflow
from credit_core.bundle import ModelBundle
from credit_core.linear import LinearScorer
from credit_pipeline.train.datasets.tabular import load_tabular
from credit_pipeline.train.mlflow_io.registry import lender_guard, trivial_policy_cost
from credit_pipeline.train.modelling.by_data import choose_by_data
from credit_pipeline.train.modelling.families import FamilyContext, make_estimator
from credit_pipeline.train.modelling.linear_export import export_linear
from credit_pipeline.train.phases import p4_threshold as threshold_module
from credit_pipeline.train.run import run_training

from .conftest import TINY_PROFILE, settings_for, use_store


def additive_file(path: Path, rows: int = 600, seed: int = 3) -> Path:
    """Small, additive, mostly text: the shape where a logistic regression should win."""
    rng = np.random.default_rng(seed)
    status = rng.choice(["none", "low", "high", "overdrawn"], rows, p=[0.4, 0.3, 0.2, 0.1])
    purpose = rng.choice(["car", "tv", "business", "education"], rows)
    age = rng.integers(19, 75, rows).astype(float)
    amount = rng.lognormal(8, 0.7, rows)
    logit = (np.select([status == "overdrawn", status == "low", status == "high"],
                       [1.6, 0.5, -0.8], 0.0) + 0.4 * (purpose == "business")
             - 0.03 * (age - 40) + 0.5 * np.log(amount / 3000) - 0.9) * 2.0
    target = rng.random(rows) < 1 / (1 + np.exp(-logit))
    frame = pd.DataFrame({"id": np.arange(rows), "status": status, "purpose": purpose,
                          "age": age, "amount": amount.round(2),
                          "bad": np.where(target, "yes", "no")})
    frame.loc[::17, "amount"] = np.nan
    frame.to_csv(path, index=False)
    return path


def test_logistic_regression_wins_on_a_small_additive_file(tmp_path: Path) -> None:
    data = load_tabular(additive_file(tmp_path / "small.csv"), "id", "bad")
    matrix = data.features.to_numpy()
    positions = [data.feature_names.index(c) for c in data.categorical_features]
    choice = choose_by_data(matrix, data.target, FamilyContext(positions, matrix.shape[1], 0, 1))
    assert choice.best.family == "logistic_regression", [
        (s.name, round(s.cost_per_client, 4), round(s.roc_auc, 4)) for s in choice.scores]
    assert choice.repeats == 3 and len(choice.best.repeat_costs) == 3
    assert {s.family for s in choice.scores} == {"logistic_regression", "lightgbm"}


def test_linear_export_reproduces_the_pipeline(tmp_path: Path) -> None:
    data = load_tabular(additive_file(tmp_path / "small.csv"), "id", "bad")
    matrix = data.features.to_numpy()
    positions = [data.feature_names.index(c) for c in data.categorical_features]
    pipeline = make_estimator("logistic_regression", {"C": 0.3},
                              FamilyContext(positions, matrix.shape[1], 0, 1))
    pipeline.fit(matrix, data.target)
    levels = {p: len(data.category_levels[data.feature_names[p]]) for p in positions}
    scorer = export_linear(pipeline, matrix, levels)
    np.testing.assert_allclose(scorer.predict(matrix), pipeline.decision_function(matrix),
                               atol=1e-9)
    # Saved and loaded as JSON, it is the same scorer.
    scorer.save_model(tmp_path / "linear.json")
    assert LinearScorer.load(tmp_path / "linear.json") == scorer


def test_trivial_policy_and_guard() -> None:
    target = np.array([1] * 10 + [0] * 90)
    assert trivial_policy_cost(target) == ("refuse everyone", 90.0)
    assert trivial_policy_cost(np.array([1] + [0] * 99)) == ("accept everyone", 10.0)
    assert "above refuse everyone (90)" in lender_guard(target, 95.0, 0.5, None)  # type: ignore[operator]
    assert lender_guard(target, 80.0, 0.5, ("logistic_regression", 0.6)) is None
    assert "logistic_regression baseline" in lender_guard(  # type: ignore[operator]
        target, 80.0, 0.7, ("logistic_regression", 0.6))


@pytest.mark.slow
def test_a_file_trains_a_servable_linear_model(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "var")
    path = additive_file(tmp_path / "small.csv", rows=800)
    data = load_tabular(path, "id", "bad", protected=["age"])
    result = run_training(data, TINY_PROFILE, settings, "small-file")
    assert result.selection.retained_family == "logistic_regression"
    assert result.bundle.calibration.method in ("none", "platt")  # no isotonic on 680 rows
    client = use_store(settings)
    version = client.get_model_version("small-file", result.version)
    assert version.tags["family"] == "logistic_regression"
    assert version.tags["promotion"] == "no champion yet"
    # The pyfunc serves the raw file's columns, strings included, as the bundle scores them.
    raw = pd.read_csv(path).drop(columns=["id", "bad"]).head(20)
    model = mlflow.pyfunc.load_model(result.model_uri)
    served = np.asarray(model.predict(raw))
    with_codes = data.features.head(20).to_numpy()
    np.testing.assert_allclose(served, result.bundle.predict_proba(with_codes), rtol=1e-9)
    loaded = ModelBundle.load(mlflow.artifacts.download_artifacts(
        f"{result.model_uri}/artifacts/bundle", dst_path=str(tmp_path / "dl")))
    assert isinstance(loaded.booster, LinearScorer)
    # The fairness table reports the protected column in age bands.
    card = (Path(mlflow.artifacts.download_artifacts(
        f"{result.model_uri}/artifacts/bundle/model_card.md", dst_path=str(tmp_path / "c"))
    ).read_text())
    assert "| age | <30 |" in card and "| age | 60+ |" in card


@pytest.mark.slow
def test_a_model_worse_than_the_trivial_policy_is_not_promoted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path / "var")
    data = load_tabular(additive_file(tmp_path / "small.csv", rows=400), "id", "bad")
    # A threshold nobody reaches accepts everyone: 10 x the defaulters, far above refusing all.
    monkeypatch.setattr(threshold_module, "choose_threshold", lambda *_: 0.999999)
    refused = run_training(data, TINY_PROFILE, settings, "lender")
    assert not refused.promoted
    assert refused.promotion_reason.startswith("refused: holdout cost"), refused.promotion_reason
    assert "above refuse everyone" in refused.promotion_reason
    client = use_store(settings)
    tags = client.get_model_version("lender", refused.version).tags
    assert tags["promotion.guard"] and tags["promotion.forced"] == "false"
    assert tags["promotion"].startswith("refused: holdout cost")
    with pytest.raises(MlflowException):
        client.get_model_version_by_alias("lender", "champion")
    forced = run_training(data, TINY_PROFILE, settings, "lender", force=True)
    assert forced.promoted and forced.promotion_reason.startswith("forced (holdout cost")
    assert client.get_model_version("lender", forced.version).tags["promotion.forced"] == "true"
    assert str(client.get_model_version_by_alias("lender", "champion").version) == forced.version
