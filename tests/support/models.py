"""A tiny model on a few hundred synthetic rows, registered in a throwaway MLflow store.

The services' tests share it (STYLE: a session-scoped tiny model serves the service tests).
It uses the real feature names, so that it scores rows of ``client_features``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from credit_core.bundle import Calibration, ModelBundle
from credit_core.schema.features import FEATURE_NAMES

__all__ = ["TINY_FEATURES", "register_bundle", "synthetic_vectors", "train_tiny_bundle"]

TINY_FEATURES = [
    "EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3", "AMT_CREDIT", "AMT_ANNUITY",
    "PAYMENT_RATE", "DAYS_BIRTH", "CODE_GENDER", "INSTAL_DPD_MEAN", "PREV_IS_REFUSED_MEAN",
]


def synthetic_vectors(rows: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Full feature vectors (FEATURE_NAMES, mostly missing) and a target with known signal:
    a higher EXT_SOURCE_2 lowers the risk."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(np.nan, index=range(rows), columns=list(FEATURE_NAMES))
    for name in ("EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3"):
        frame[name] = rng.uniform(0.05, 0.95, rows)
    frame["AMT_CREDIT"] = rng.uniform(50_000, 1_500_000, rows).round(-3)
    frame["AMT_ANNUITY"] = (frame["AMT_CREDIT"] * rng.uniform(0.03, 0.1, rows)).round()
    frame["PAYMENT_RATE"] = frame["AMT_ANNUITY"] / frame["AMT_CREDIT"]
    frame["DAYS_BIRTH"] = -rng.integers(20 * 365, 69 * 365, rows).astype(float)
    frame["CODE_GENDER"] = rng.integers(0, 2, rows).astype(float)
    frame["INSTAL_DPD_MEAN"] = rng.exponential(1.0, rows)
    frame["PREV_IS_REFUSED_MEAN"] = rng.uniform(0, 1, rows)
    log_odds = (-2.4 - 4.0 * (frame["EXT_SOURCE_2"] - 0.5) - 3.0 * (frame["EXT_SOURCE_3"] - 0.5)
                + 0.4 * frame["INSTAL_DPD_MEAN"] + 0.8 * frame["PREV_IS_REFUSED_MEAN"])
    target = (rng.random(rows) < 1 / (1 + np.exp(-log_odds))).astype(int)
    return frame, target


def train_tiny_bundle(rows: int = 800, threshold: float = 0.12) -> ModelBundle:
    """A 30-tree LightGBM on TINY_FEATURES with a fixed threshold."""
    import lightgbm

    frame, target = synthetic_vectors(rows)
    booster = lightgbm.train(
        {"objective": "binary", "num_leaves": 8, "learning_rate": 0.1, "verbose": -1,
         "min_data_in_leaf": 10, "seed": 1, "deterministic": True, "num_threads": 1},
        lightgbm.Dataset(frame[TINY_FEATURES].to_numpy(), label=target,
                         feature_name=TINY_FEATURES, categorical_feature=["CODE_GENDER"]),
        num_boost_round=30,
    )
    return ModelBundle(booster=booster, features=list(TINY_FEATURES),
                       categorical_features=["CODE_GENDER"], threshold=threshold,
                       calibration=Calibration(), metrics={"auc": 0.7})


def register_bundle(bundle: ModelBundle, tracking_uri: str, name: str, workdir: Path,
                    alias: str | None = "champion") -> str:
    """Log ``bundle`` as a pyfunc model, register it and (optionally) point ``alias`` at it."""
    import mlflow
    from mlflow import MlflowClient

    class _Probabilities(mlflow.pyfunc.PythonModel):  # type: ignore[name-defined]
        def load_context(self, context):  # type: ignore[no-untyped-def]
            self.bundle = ModelBundle.load(context.artifacts["bundle"])

        def predict(self, context, model_input, params=None):  # type: ignore[no-untyped-def]
            return self.bundle.predict_proba(model_input[self.bundle.features].to_numpy())

    bundle_dir = bundle.save(workdir / f"bundle-{np.random.default_rng().integers(1e9)}")
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_registry_uri(tracking_uri)
    experiment = mlflow.set_experiment("tests")
    del experiment
    with mlflow.start_run():
        info = mlflow.pyfunc.log_model(name="model", python_model=_Probabilities(),
                                       artifacts={"bundle": str(bundle_dir)})
    version = mlflow.register_model(info.model_uri, name)
    if alias:
        client = MlflowClient(tracking_uri, registry_uri=tracking_uri)
        client.set_registered_model_alias(name, alias, version.version)
    return str(version.version)
