"""The registered version: tags, attachments, alias, and the model read back from the registry."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mlflow
from credit_core.bundle import ModelBundle
from credit_pipeline.train.mlflow_io.packaging import PREDICTION_COLUMN
from credit_pipeline.train.mlflow_io.pyfunc import MODEL_CODE_PATH

from .conftest import Trained, use_store


@pytest.fixture(scope="module")
def champion_dir(trained: Trained, tmp_path_factory: pytest.TempPathFactory) -> Path:
    use_store(trained.settings)
    target = tmp_path_factory.mktemp("champion")
    uri = f"{trained.settings.model_uri}"
    return Path(mlflow.artifacts.download_artifacts(artifact_uri=uri, dst_path=str(target)))


def test_alias_points_at_the_new_version(trained: Trained) -> None:
    client = use_store(trained.settings)
    version = client.get_model_version_by_alias("credit-default", "champion")
    assert str(version.version) == trained.result.version
    assert version.run_id  # the registry run that logged it


def test_version_tags_carry_threshold_costs_metrics_fingerprints_features(
    trained: Trained,
) -> None:
    client = use_store(trained.settings)
    tags = client.get_model_version("credit-default", trained.result.version).tags
    result = trained.result
    assert float(tags["threshold"]) == result.threshold
    assert tags["data_fingerprint"] == trained.data.fingerprint
    assert tags["holdout_fingerprint"] == result.split.fingerprint
    assert json.loads(tags["features"]) == trained.data.feature_names
    assert float(tags["metric.holdout_business_cost"]) == result.holdout.evaluation.cost.total
    assert float(tags["metric.oof_business_cost"]) == result.oof.cost.total
    for name in ("metric.holdout_roc_auc", "metric.holdout_recall", "metric.holdout_precision",
                 "metric.holdout_brier", "metric.holdout_business_cost_per_client",
                 "metric.oracle_roc_auc", "calibration", "promotion"):
        assert name in tags, name


def test_threshold_read_back_from_the_registry_equals_the_chosen_one(
    trained: Trained, champion_dir: Path
) -> None:
    bundle = ModelBundle.load(champion_dir)
    assert bundle.threshold == trained.result.threshold
    # ...and it is the cost-optimal threshold of the out-of-fold predictions.
    target, probability = trained.spy.threshold_calls[-1]
    from credit_core.cost import optimal_threshold

    assert bundle.threshold == optimal_threshold(target, probability)


def test_attachments_model_card_importance_reference(
    trained: Trained, champion_dir: Path
) -> None:
    bundle_dir = champion_dir / "artifacts" / "bundle"
    importance = json.loads((bundle_dir / "importance.json").read_text())
    assert set(importance) == set(trained.data.feature_names)
    ranked = sorted(importance, key=importance.get, reverse=True)
    assert "EXT_SOURCE_2" in ranked[:3]  # a known driver of the synthetic risk
    assert ranked[-1].startswith("NOISE")
    card = (bundle_dir / "model_card.md").read_text()
    for heading in ("## Intended use", "## Data", "## Metrics at the threshold",
                    "## Calibration", "## Outcomes by group", "## Limitations"):
        assert heading in card
    assert "| CODE_GENDER | F |" in card and "| age band | 30-39 |" in card
    reference = pd.read_parquet(champion_dir / "artifacts" / "reference" / "reference.parquet")
    assert list(reference.columns) == [*trained.data.feature_names, PREDICTION_COLUMN]
    # Every labelled row (training split and holdout), or a seeded sample of the profile's
    # reference_rows when there are more.
    labelled = len(trained.result.split.train_rows) + len(trained.result.split.holdout_rows)
    limit = trained.profile.reference_rows
    assert len(reference) == (labelled if limit is None else min(labelled, limit))
    assert (reference.dtypes == np.float32).all()
    assert reference[PREDICTION_COLUMN].between(0, 1).all()


def test_signature_and_input_example(trained: Trained, champion_dir: Path) -> None:
    model = mlflow.models.Model.load(str(champion_dir / "MLmodel"))
    inputs = model.signature.inputs
    assert inputs.input_names() == trained.data.feature_names
    types = {spec.name: spec.to_dict()["type"] for spec in inputs.inputs}
    # Any: level strings for CODE_GENDER, and integers as well as floats (pd.read_csv's int64).
    assert types["EXT_SOURCE_2"] == "any" and types["CODE_GENDER"] == "any"
    example = json.loads((champion_dir / "input_example.json").read_text())
    assert example["columns"] == trained.data.feature_names
    assert {row[example["columns"].index("CODE_GENDER")] for row in example["data"]} <= {"F", "M"}


def test_same_version_loaded_twice_predicts_identically(
    trained: Trained, tmp_path: Path
) -> None:
    use_store(trained.settings)
    uri = f"models:/credit-default/{trained.result.version}"
    first = ModelBundle.load(mlflow.artifacts.download_artifacts(uri, dst_path=str(tmp_path / "a")))
    second = ModelBundle.load(mlflow.artifacts.download_artifacts(uri, dst_path=str(tmp_path / "b")))
    matrix = trained.data.features.to_numpy()
    np.testing.assert_array_equal(first.predict_proba(matrix), second.predict_proba(matrix))
    np.testing.assert_array_equal(
        mlflow.pyfunc.load_model(uri).predict(trained.data.features.head(200)),
        mlflow.pyfunc.load_model(uri).predict(trained.data.features.head(200)),
    )


def test_pyfunc_predicts_what_the_bundle_predicts(trained: Trained, champion_dir: Path) -> None:
    use_store(trained.settings)
    model = mlflow.pyfunc.load_model(trained.settings.model_uri)
    frame = trained.data.features.sample(300, random_state=1)
    bundle = ModelBundle.load(champion_dir)
    np.testing.assert_allclose(model.predict(frame), bundle.predict_proba(frame.to_numpy()),
                               rtol=0, atol=1e-12)
    # Column order does not matter to the pyfunc: it reorders by name.
    np.testing.assert_allclose(model.predict(frame[frame.columns[::-1]]),
                               bundle.predict_proba(frame.to_numpy()), atol=1e-12)
    # A categorical column may come as its codes or as its level strings.
    as_text = frame.assign(CODE_GENDER=np.where(frame["CODE_GENDER"] == 1, "M", "F"))
    np.testing.assert_allclose(model.predict(as_text), bundle.predict_proba(frame.to_numpy()),
                               atol=1e-12)


def test_higher_ext_source_2_lowers_the_risk(trained: Trained) -> None:
    bundle = trained.result.bundle
    holdout = trained.data.features.iloc[trained.result.split.holdout_rows]
    low, high = holdout.copy(), holdout.copy()
    low["EXT_SOURCE_2"], high["EXT_SOURCE_2"] = 0.15, 0.85
    p_low = bundle.predict_proba(low[bundle.features].to_numpy())
    p_high = bundle.predict_proba(high[bundle.features].to_numpy())
    assert p_high.mean() < p_low.mean()
    assert np.mean(p_high <= p_low) >= 0.95


def test_a_version_logged_before_train_was_regrouped_still_loads(
    trained: Trained, champion_dir: Path, tmp_path: Path
) -> None:
    # Versions registered before the regrouping name the model code by its old path, which is
    # gone; MLflow loads the model's own copy of pyfunc_model.py, found by the file name.
    old = tmp_path / "old-version"
    shutil.copytree(champion_dir, old)
    mlmodel = (old / "MLmodel").read_text()
    new_path = str(MODEL_CODE_PATH)
    assert new_path in mlmodel
    gone = new_path.replace("/train/mlflow_io/pyfunc_model.py", "/train/pyfunc_model.py")
    assert not Path(gone).exists()
    (old / "MLmodel").write_text(mlmodel.replace(new_path, gone))
    frame = trained.data.features.head(100)
    bundle = ModelBundle.load(champion_dir)
    np.testing.assert_allclose(mlflow.pyfunc.load_model(str(old)).predict(frame),
                               bundle.predict_proba(frame.to_numpy()), atol=1e-12)
