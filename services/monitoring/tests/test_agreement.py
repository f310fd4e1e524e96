"""Our engine against Evidently 0.7's DataDriftPreset, column by column, on a sample that
exercises every rule: the size rule (<= 1000 reference values), few-valued numerical columns,
categories seen on one side only, missing and infinite values, a constant column, and the
configurable tests and thresholds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitoring_service.drift import DriftOptions, build_profile, compare
from monitoring_service.evidently_run import (
    PREDICTION_COLUMN,
    as_drift_frame,
    evidently_snapshot,
    evidently_verdicts,
)
from monitoring_service.prediction import prediction_drift

KINDS = {"amount": "num", "score": "num", "days": "num", "few": "num", "flag": "num",
         "rare_flag": "num", "rare_amount": "num", "rare_count": "num", "level": "cat",
         "many_levels": "cat", "new_level": "cat", "with_inf": "num", "constant": "num",
         "ratio": "num"}


def sample(rows: int, seed: int, shift: float) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    moved = shift > 0
    frame = pd.DataFrame({
        "amount": rng.lognormal(12 + shift, 0.6, rows).round(-2),
        "score": rng.normal(shift, 1, rows),
        "days": -rng.integers(7000, 25000, rows).astype(float),
        "few": rng.choice([0.0, 0.1, 1 / 3, 2.5], rows,
                          p=[0.25] * 4 if moved else [0.4, 0.3, 0.2, 0.1]),
        "flag": (rng.random(rows) < 0.1 + shift).astype(float),
        "rare_flag": np.where(rng.random(rows) < 0.03, rng.integers(0, 2, rows), np.nan),
        "rare_amount": np.where(rng.random(rows) < 0.03, rng.normal(shift, 1, rows), np.nan),
        "rare_count": np.where(rng.random(rows) < 0.03, rng.integers(0, 4, rows), np.nan),
        "level": rng.choice(8, rows).astype(float),
        "many_levels": rng.choice(40, rows).astype(float),
        "new_level": rng.choice(3 + moved, rows).astype(float),
        "with_inf": np.where(rng.random(rows) < 0.05, np.inf, rng.normal(shift, 1, rows)),
        "constant": np.full(rows, 2.0),
        "ratio": rng.random(rows) * (1 + shift),
    })
    frame.loc[rng.random(rows) < 0.1, "score"] = np.nan
    return as_drift_frame(frame, list(KINDS))


@pytest.fixture(scope="module")
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    return sample(12_000, seed=1, shift=0.0), sample(2500, seed=2, shift=0.05)


@pytest.mark.parametrize("options", [
    DriftOptions(),
    DriftOptions(num_method="ks", cat_method="chisquare"),
    DriftOptions(method="psi", per_column_threshold={"score": 0.01, "level": 0.02}),
    DriftOptions(method="jensenshannon", drift_share=0.3),
    DriftOptions(cat_method="z", num_method="psi", per_column_method={"days": "ks"},
                 num_threshold=0.05, cat_threshold=0.01),
], ids=["defaults", "ks-chisquare", "psi", "jensenshannon", "mixed"])
def test_verdicts_equal_evidentlys_column_by_column(frames, options: DriftOptions) -> None:  # type: ignore[no-untyped-def]
    reference, current = frames
    ours = compare(build_profile(reference, KINDS), current, options)
    assert not ours.skipped and len(ours.columns) == len(KINDS)
    theirs = evidently_verdicts(evidently_snapshot(reference, current, KINDS, options))
    for column in ours.columns:
        method, score, threshold, drifted = theirs.columns[column.column]
        assert (column.method_name, column.threshold, column.drifted) == (
            method, threshold, drifted), column
        assert column.score == pytest.approx(score, rel=1e-9, abs=1e-12), column
    assert ours.drifted_columns == theirs.drifted_columns
    assert ours.drift_share == pytest.approx(theirs.drift_share)
    if options == DriftOptions():  # the size rule picked every default test at least once
        assert {c.method for c in ours.columns} == {"wasserstein", "jensenshannon", "ks",
                                                     "chisquare", "z"}


def test_prediction_drift_equals_evidentlys_value_drift(frames) -> None:  # type: ignore[no-untyped-def]
    reference, current = frames
    rng = np.random.default_rng(3)
    reference = reference.assign(**{PREDICTION_COLUMN: rng.beta(1, 9, len(reference))
                                    .astype(np.float32)})
    current = current.assign(**{PREDICTION_COLUMN: rng.beta(1.2, 9, len(current))
                                .astype(np.float32)})
    profile = build_profile(reference, KINDS, reference[PREDICTION_COLUMN])
    ours = prediction_drift(profile.prediction, current[PREDICTION_COLUMN].to_numpy(),
                            np.ones(len(current), bool), 0.2)
    snapshot = evidently_snapshot(reference, current, KINDS, DriftOptions(), prediction=True)
    method, score, threshold, drifted = evidently_verdicts(snapshot).columns[PREDICTION_COLUMN]
    assert (ours["test_name"], ours["drift_threshold"], ours["drifted"]) == (
        method, threshold, drifted)
    assert ours["score"] == pytest.approx(score, rel=1e-9)
