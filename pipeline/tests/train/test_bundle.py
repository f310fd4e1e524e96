"""credit_core's ModelBundle: round trip, calibration in NumPy, speed, lazy LightGBM import."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import lightgbm
import numpy as np
import pytest
from sklearn.isotonic import IsotonicRegression

from credit_core.bundle import Calibration, ModelBundle, locate_bundle
from credit_pipeline.train.modelling.calibration import fit_calibration


@pytest.fixture(scope="module")
def bundle() -> ModelBundle:
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(2000, 4))
    matrix[:, 3] = rng.integers(0, 3, 2000)
    matrix[::9, 0] = np.nan
    target = (rng.random(2000) < 1 / (1 + np.exp(-(matrix[:, 1] * 2 - 2)))).astype(int)
    dataset = lightgbm.Dataset(matrix, target, categorical_feature=[3], params={"verbose": -1})
    booster = lightgbm.train({"objective": "binary", "verbose": -1, "num_leaves": 7}, dataset, 30)
    raw = booster.predict(matrix, raw_score=True)
    return ModelBundle(
        booster=booster, features=["a", "b", "c", "kind"], categorical_features=["kind"],
        threshold=0.2, calibration=fit_calibration("isotonic", raw, target),
        category_levels={"kind": ["x", "y", "z"]}, metrics={"auc": 0.8},
    )


def test_round_trip_predicts_identically(bundle: ModelBundle, tmp_path: Path) -> None:
    bundle.save(tmp_path / "bundle")
    loaded = ModelBundle.load(tmp_path / "bundle")
    matrix = np.random.default_rng(1).normal(size=(500, 4))
    np.testing.assert_array_equal(loaded.predict_proba(matrix), bundle.predict_proba(matrix))
    assert loaded.features == bundle.features and loaded.threshold == 0.2
    assert loaded.category_levels == {"kind": ["x", "y", "z"]}
    assert loaded.calibration == bundle.calibration
    # A downloaded MLflow model directory holds the bundle under artifacts/bundle.
    model_dir = tmp_path / "model"
    bundle.save(model_dir / "artifacts" / "bundle")
    assert locate_bundle(model_dir) == model_dir / "artifacts" / "bundle"


def test_calibrations_match_scikit_learn() -> None:
    rng = np.random.default_rng(2)
    raw = rng.normal(size=3000)
    target = (rng.random(3000) < 1 / (1 + np.exp(-(1.7 * raw - 2.5)))).astype(int)
    isotonic = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1).fit(raw, target)
    probe = np.linspace(-5, 5, 101)
    np.testing.assert_allclose(fit_calibration("isotonic", raw, target).apply(probe),
                               isotonic.predict(probe), atol=1e-12)
    platt = fit_calibration("platt", raw, target)
    assert platt.platt_a == pytest.approx(1.7, rel=0.15)
    assert Calibration.from_dict(platt.to_dict()) == platt
    assert Calibration().apply(np.array([0.0]))[0] == 0.5


def test_one_row_scoring_is_well_under_a_millisecond(bundle: ModelBundle) -> None:
    row = np.random.default_rng(3).normal(size=(1, 4))
    bundle.predict_proba(row)
    calls = 500
    started = time.perf_counter()
    for _ in range(calls):
        bundle.predict_proba(row)
    assert (time.perf_counter() - started) / calls < 0.5e-3


def test_encode_record_and_shape_errors(bundle: ModelBundle) -> None:
    row = bundle.encode_record({"a": 1, "b": "2.5", "kind": "z", "c": None})
    np.testing.assert_array_equal(row[[0, 1, 3]], [1.0, 2.5, 2.0])
    assert np.isnan(row[2])
    assert np.isnan(bundle.encode_record({"kind": "unknown level"})[3])
    with pytest.raises(ValueError, match="not a number"):
        bundle.encode_record({"a": "abc"})
    with pytest.raises(ValueError, match="4 feature columns"):
        bundle.predict_proba(np.zeros((2, 3)))
    assert bundle.predict_proba(np.zeros(4)).shape == (1,)


def test_credit_core_does_not_import_lightgbm_eagerly() -> None:
    code = "import sys, credit_core.bundle; assert 'lightgbm' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
