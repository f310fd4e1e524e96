"""The linear scorer: its terms, its JSON, and a bundle that holds one instead of a booster."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from credit_core.bundle import Calibration, ModelBundle
from credit_core.linear import LINEAR_FILE, LinearScorer

SCORER = LinearScorer(intercept=-1.0, slopes=(0.5, 0.0), missing=(0.25, -0.75),
                      tables=((), (0.0, 1.0, 2.0)))


def test_terms_numbers_codes_missing_and_unknown() -> None:
    matrix = np.array([[2.0, 1.0], [np.nan, 2.0], [0.0, np.nan], [0.0, 7.0], [0.0, 0.5]])
    expected = np.array([[1.0, 1.0], [0.25, 2.0], [0.0, -0.75], [0.0, -0.75], [0.0, -0.75]])
    np.testing.assert_allclose(SCORER.contributions(matrix), expected)
    np.testing.assert_allclose(SCORER.predict(matrix), -1.0 + expected.sum(axis=1))
    probability = SCORER.predict(matrix, raw_score=False)
    np.testing.assert_allclose(probability, 1 / (1 + np.exp(-SCORER.predict(matrix))))
    with pytest.raises(ValueError, match="expected 2 columns"):
        SCORER.predict(np.zeros((1, 3)))


def test_a_bundle_with_a_linear_scorer_round_trips(tmp_path: Path) -> None:
    bundle = ModelBundle(booster=SCORER, features=["income", "grade"],
                         categorical_features=["grade"], threshold=0.3,
                         calibration=Calibration("platt", platt_a=1.1, platt_b=-0.2),
                         category_levels={"grade": ["A", "B", "C"]})
    directory = bundle.save(tmp_path / "bundle")
    assert (directory / LINEAR_FILE).is_file() and not (directory / "model.txt").exists()
    loaded = ModelBundle.load(directory)
    assert loaded.booster == SCORER
    row = loaded.encode_record({"income": 2.0, "grade": "C"})
    np.testing.assert_allclose(loaded.predict_proba(row), bundle.predict_proba([[2.0, 2.0]]))
