"""Exactness: contributions sum to the raw output; LightGBM's and shap's TreeSHAP agree."""

from __future__ import annotations

import numpy as np
import pytest

from credit_core.bundle import ModelBundle
from credit_core.model_source import LoadedModel
from explain_service.shap.explainer import VersionExplainer, raw_threshold
from explain_service.shap.treeshap import LightGBMTreeShap, ShapTreeShap
from tests.support.models import synthetic_vectors

from ..rich_model import RICH_FEATURES, full_vectors, synthetic_applications


def _rich_rows(rows: int = 300) -> np.ndarray:
    apps, history = synthetic_applications(rows, seed=99)  # unseen rows, with NaN
    return full_vectors(apps, history)[RICH_FEATURES].to_numpy()


def _tiny_rows(bundle: ModelBundle, rows: int = 200) -> np.ndarray:
    frame, _ = synthetic_vectors(rows, seed=5)
    matrix = frame[bundle.features].to_numpy()
    matrix[::7, 0] = np.nan  # missing values take the default branch
    return matrix


@pytest.mark.parametrize("which", ["rich", "tiny"])
def test_base_value_plus_contributions_is_the_raw_score(which, rich_model, tiny_bundle) -> None:  # type: ignore[no-untyped-def]
    bundle = rich_model[0] if which == "rich" else tiny_bundle
    rows = _rich_rows() if which == "rich" else _tiny_rows(bundle)
    contributions = LightGBMTreeShap(bundle.booster)(rows)
    assert contributions.shape == (len(rows), len(bundle.features) + 1)
    assert np.ptp(contributions[:, -1]) == 0  # one base value for every row
    np.testing.assert_allclose(contributions.sum(axis=1), bundle.raw_score(rows), atol=1e-9)
    assert np.abs(contributions[:, :-1]).max() > 0.1  # not trivially zero


@pytest.mark.parametrize("which", ["rich", "tiny"])
def test_lightgbm_and_shap_treeshap_agree(which, rich_model, tiny_bundle) -> None:  # type: ignore[no-untyped-def]
    bundle = rich_model[0] if which == "rich" else tiny_bundle
    rows = _rich_rows() if which == "rich" else _tiny_rows(bundle)
    assert bundle.categorical_features  # categorical splits are part of the comparison
    categorical = [bundle.features.index(n) for n in bundle.categorical_features]
    ours = LightGBMTreeShap(bundle.booster)(rows)
    theirs = ShapTreeShap(bundle.booster, categorical)(rows)
    np.testing.assert_allclose(ours, theirs, atol=1e-6, rtol=0)
    assert np.abs(ours - theirs).max() < 1e-9


def test_shap_refuses_category_codes_it_cannot_represent_and_the_service_falls_back(
        tmp_path) -> None:  # type: ignore[no-untyped-def]
    import lightgbm

    rng = np.random.default_rng(0)
    codes = rng.integers(0, 40, 2000).astype(float)
    target = (np.isin(codes, [33, 35, 37]) | (rng.random(2000) < 0.1)).astype(int)
    booster = lightgbm.train({"objective": "binary", "verbose": -1, "min_data_per_group": 5,
                              "num_leaves": 4, "cat_smooth": 1},
                             lightgbm.Dataset(codes.reshape(-1, 1), label=target,
                                              feature_name=["ORGANIZATION_TYPE"],
                                              categorical_feature=[0]), num_boost_round=5)
    with pytest.raises(ValueError, match="categorical split"):
        ShapTreeShap(booster, [0])
    bundle = ModelBundle(booster, ["ORGANIZATION_TYPE"], ["ORGANIZATION_TYPE"], 0.5)
    for kind in ("shap", "auto"):
        explainer = VersionExplainer(LoadedModel("m", "1", bundle, tmp_path, "registry"),
                                     treeshap=kind)
        assert explainer.treeshap.name == "lightgbm"


def test_the_service_can_use_either_implementation(rich_model, rich_staged) -> None:  # type: ignore[no-untyped-def]
    model = LoadedModel("credit-default", "2", rich_model[0], rich_staged, "registry")
    rows = _rich_rows(20)
    by_lightgbm = VersionExplainer(model, treeshap="lightgbm")
    by_shap = VersionExplainer(model, treeshap="shap")
    fastest = VersionExplainer(model, treeshap="auto")  # timed at load: either may win
    assert (by_lightgbm.treeshap.name, by_shap.treeshap.name) == ("lightgbm", "shap")
    assert fastest.treeshap.name in ("lightgbm", "shap")
    for other in (by_shap, fastest):
        np.testing.assert_allclose(by_lightgbm.contributions(rows), other.contributions(rows),
                                   atol=1e-9)
        assert by_lightgbm.base_value == pytest.approx(other.base_value, abs=1e-12)


def test_raw_threshold_is_where_the_calibrated_probability_reaches_the_threshold(
        rich_model) -> None:  # type: ignore[no-untyped-def]
    bundle = rich_model[0]
    raw = raw_threshold(bundle.calibration, bundle.threshold)
    assert raw is not None
    below, above = bundle.calibration.apply(np.array([raw - 1e-6, raw + 1e-6]))
    assert below < bundle.threshold <= above
