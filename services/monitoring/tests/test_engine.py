"""The drift engine alone: the profile, the automatic choice of test, skipped columns, the
options, and the exactness of the fast paths against SciPy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from monitoring_service.drift import DriftOptions, DriftProfile, OptionsError, build_profile, compare
from monitoring_service.drift.continuous import ks, wasserstein
from monitoring_service.drift.counts import _sturges_edges
from monitoring_service.drift.profile import ReferenceColumn, clean_sorted

rng = np.random.default_rng(0)


def _column(values: np.ndarray, kind: str = "num") -> ReferenceColumn:
    series = pd.Series(values.astype(np.float32))
    return build_profile(pd.DataFrame({"x": series}), {"x": kind}).columns["x"]  # type: ignore[dict-item]


def test_profile_round_trip_gives_the_same_verdicts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    reference = pd.DataFrame({"a": rng.normal(size=5000), "b": rng.integers(0, 4, 5000)})
    reference.loc[::3, "a"] = np.nan
    profile = build_profile(reference, {"a": "num", "b": "cat"}, rng.random(5000), {"v": "7"})
    loaded = DriftProfile.load(profile.save(tmp_path / "profile.npz"))
    assert loaded.rows == 5000 and loaded.meta == {"v": "7"} and loaded.kinds == profile.kinds
    assert loaded.columns["a"].count == 3333 and loaded.prediction is not None
    current = pd.DataFrame({"a": rng.normal(0.2, size=800), "b": rng.integers(0, 5, 800)})
    assert compare(loaded, current).columns == compare(profile, current).columns


def test_automatic_choice_follows_evidentlys_size_rule() -> None:
    big, small = rng.normal(size=5000), rng.normal(size=800)
    cases = [
        (big, "num", rng.normal(size=300), "wasserstein"),
        (rng.integers(0, 5, 5000).astype(float), "num", rng.integers(0, 5, 300).astype(float),
         "jensenshannon"),  # five values in all: binned as categories
        (rng.integers(0, 5, 5000).astype(float), "num", rng.integers(0, 6, 300).astype(float),
         "wasserstein"),  # a sixth value in the current data tips it
        (rng.integers(0, 9, 5000).astype(float), "cat", rng.integers(0, 9, 300).astype(float),
         "jensenshannon"),
        (small, "num", rng.normal(size=300), "ks"),
        (rng.integers(0, 4, 800).astype(float), "num", rng.integers(0, 4, 300).astype(float),
         "chisquare"),
        (rng.integers(0, 2, 800).astype(float), "num", rng.integers(0, 2, 300).astype(float),
         "z"),
        (rng.integers(0, 2, 800).astype(float), "cat", rng.integers(0, 3, 300).astype(float),
         "chisquare"),
    ]
    for reference, kind, current, expected in cases:
        profile = build_profile(pd.DataFrame({"x": reference}), {"x": kind})  # type: ignore[dict-item]
        (verdict,) = compare(profile, {"x": current}).columns
        assert verdict.method == expected, (kind, expected, verdict)


def test_columns_without_values_are_skipped_and_left_out_of_the_share() -> None:
    reference = pd.DataFrame({"a": rng.normal(size=2000), "b": rng.normal(size=2000),
                              "c": np.full(2000, np.nan)})
    profile = build_profile(reference, {"a": "num", "b": "num", "c": "num"})
    current = pd.DataFrame({"a": rng.normal(3, size=500), "b": np.full(500, np.inf),
                            "c": rng.normal(size=500)})
    report = compare(profile, current)
    assert report.tested == ["a"] and report.drift_share == 1.0 and report.dataset_drift
    assert report.skipped == {"b": "no values in the current data",
                              "c": "no values in the reference"}


def test_options_precedence_and_checks() -> None:
    options = DriftOptions(method="psi", num_method="ks", per_column_method={"x": "jensenshannon"},
                           threshold=0.2, cat_threshold=0.3, per_column_threshold={"y": 0.4})
    assert options.configured_method("x", "num") == "jensenshannon"
    assert options.configured_method("z", "num") == "ks"
    assert options.configured_method("z", "cat") == "psi"
    assert options.threshold_for("y", "cat", "psi") == 0.4
    assert options.threshold_for("z", "cat", "psi") == 0.3
    assert options.threshold_for("z", "num", "ks") == 0.2
    assert DriftOptions().threshold_for("z", "num", "ks") == 0.05
    with pytest.raises(OptionsError, match="'ks' cannot be applied to the categorical column 'c'"):
        DriftOptions(method="ks").check({"n": "num", "c": "cat"})
    with pytest.raises(OptionsError, match="unknown columns in the options: q"):
        DriftOptions(per_column_threshold={"q": 0.1}).check({"n": "num"})
    merged = DriftOptions.model_validate({"cat_method": "z"}).merged_over(
        DriftOptions(num_method="psi", drift_share=0.3))
    assert (merged.num_method, merged.cat_method, merged.drift_share) == ("psi", "z", 0.3)


@pytest.mark.parametrize("digits", [2, None], ids=["ties", "continuous"])
def test_fast_paths_are_scipys_figures(digits: int | None) -> None:
    reference = rng.lognormal(size=30_000)
    current = rng.lognormal(0.02, size=12_000)
    if digits is not None:  # ties on both sides: the distinct values are merged
        reference, current = reference.round(digits), current.round(digits)
    column = _column(reference)
    cur = clean_sorted(current)
    exact = stats.wasserstein_distance(reference.astype(np.float32), current.astype(np.float32))
    norm = max(float(np.std(pd.Series(reference.astype(np.float32)))), 0.001)
    assert wasserstein(column, cur, 0.1) == pytest.approx(exact / norm, rel=1e-12)
    # At a threshold equal to the score the sum is SciPy's own: the same >= verdict.
    assert wasserstein(column, cur, exact / norm) == exact / norm
    assert ks(column, cur, 0.05) == stats.ks_2samp(reference.astype(np.float32),
                                                   current.astype(np.float32)).pvalue
    stacked = np.concatenate([reference, current]).astype(np.float32)
    assert np.array_equal(_sturges_edges(column, cur), np.histogram_bin_edges(stacked, "sturges"))
