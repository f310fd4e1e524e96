"""A synthetic ``TrainingData`` with a known signal, for tests, benchmarks and demos.

Defaults follow a logistic model in which a higher EXT_SOURCE_2 lowers the risk, a few
categorical codes shift it, and the base rate is about 8 %, like the Home Credit data. The true
probability of each row is returned as the oracle, so a model can be compared with the best
achievable ranking.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from credit_pipeline.train.datasets.training_data import TrainingData, age_band

__all__ = ["synthetic_training_data"]

#: Level i of a categorical column is stored as the float code i, as in the feature table.
_CATEGORICAL_LEVELS = {
    "CODE_GENDER": ["F", "M"],
    "NAME_EDUCATION_TYPE": ["Secondary / secondary special", "Higher education",
                            "Incomplete higher", "Lower secondary", "Academic degree"],
    "NAME_CONTRACT_TYPE": ["Cash loans", "Revolving loans"],
}


def _intercept_for(logit: np.ndarray, base_rate: float) -> float:
    """The intercept that makes the mean probability equal the base rate (bisection)."""
    low, high = -20.0, 20.0
    for _ in range(60):
        middle = (low + high) / 2
        if np.mean(1 / (1 + np.exp(-(logit + middle)))) > base_rate:
            high = middle
        else:
            low = middle
    return (low + high) / 2


def _signal_columns(rows: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    age_years = rng.uniform(21, 69, rows)
    return {
        "EXT_SOURCE_1": rng.beta(3, 3, rows),
        "EXT_SOURCE_2": rng.beta(4, 2.5, rows),
        "EXT_SOURCE_3": rng.beta(4, 2.5, rows),
        "DAYS_BIRTH": -np.round(age_years * 365.25),
        "AMT_INCOME_TOTAL": np.round(rng.lognormal(11.9, 0.5, rows), -2),
        "AMT_CREDIT": np.round(rng.lognormal(13.0, 0.6, rows), -2),
        "CODE_GENDER": (rng.random(rows) < 0.35).astype(float),
        "NAME_EDUCATION_TYPE": rng.choice(5, rows, p=[0.7, 0.24, 0.03, 0.02, 0.01]).astype(float),
        "NAME_CONTRACT_TYPE": (rng.random(rows) < 0.1).astype(float),
    }


def _true_logit(columns: dict[str, np.ndarray]) -> np.ndarray:
    age_years = -columns["DAYS_BIRTH"] / 365.25
    return 1.8 * (
        -2.2 * columns["EXT_SOURCE_2"]
        - 2.0 * columns["EXT_SOURCE_3"]
        - 1.2 * columns["EXT_SOURCE_1"]
        - 0.02 * (age_years - 40)
        + 0.35 * columns["CODE_GENDER"]
        - 0.5 * (columns["NAME_EDUCATION_TYPE"] == 1)
        + 0.3 * np.log(columns["AMT_CREDIT"] / columns["AMT_INCOME_TOTAL"])
        - 0.3 * columns["NAME_CONTRACT_TYPE"]
    )


def synthetic_training_data(
    rows: int = 3000, n_features: int = 20, seed: int = 0, base_rate: float = 0.08
) -> TrainingData:
    """``rows`` clients with ``n_features`` float features (the signal ones plus noise)."""
    rng = np.random.default_rng(seed)
    columns = _signal_columns(rows, rng)
    logit = _true_logit(columns)
    oracle = 1 / (1 + np.exp(-(logit + _intercept_for(logit, base_rate))))
    target = (rng.random(rows) < oracle).astype(np.int64)
    for index in range(max(0, n_features - len(columns))):
        # Noise features, some correlated with a signal column as real aggregates are.
        base = columns["EXT_SOURCE_2"] if index % 7 == 0 else 0.0
        columns[f"NOISE_{index:03d}"] = base + rng.normal(0, 1, rows)
    features = pd.DataFrame(columns).astype(np.float64)
    for name, share in (("EXT_SOURCE_1", 0.5), ("EXT_SOURCE_3", 0.2), ("NAME_EDUCATION_TYPE", 0.02)):
        # Missing as in the real data: half of EXT_SOURCE_1, a fifth of EXT_SOURCE_3.
        features.loc[rng.random(rows) < share, name] = np.nan
    segments = pd.DataFrame({
        "gender": np.where(columns["CODE_GENDER"] == 1, "M", "F"),
        "age_band": age_band(-columns["DAYS_BIRTH"] / 365.25),
    })
    return TrainingData(
        features=features,
        target=target,
        ids=np.arange(100_000, 100_000 + rows),
        categorical_features=list(_CATEGORICAL_LEVELS),
        segments=segments,
        dataset_name=f"synthetic-{rows}x{features.shape[1]}-seed{seed}",
        oracle_probability=oracle,
        labels={"EXT_SOURCE_2": "External score 2", "DAYS_BIRTH": "Age (days, negative)"},
        category_levels={name: list(levels) for name, levels in _CATEGORICAL_LEVELS.items()},
    )
