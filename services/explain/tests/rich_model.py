"""A richer tiny model for the explanation tests, registered with importance and reference.

Unlike the shared tiny model (bundle only), this version carries what training attaches to a
real one: ``importance.json`` and ``reference.parquet`` (float32 rows and "__prediction__"),
a Platt calibration, and features of every kind the explanations treat specially: protected
(DAYS_BIRTH, CODE_GENDER, NAME_FAMILY_STATUS), actionable (the loan and its ratios), and
aggregates of one family (instalments) that group into one reason. The target's signal is
known: good external scores lower the risk, late instalments, a heavy loan for the income and
youth raise it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import insert

from credit_core.bundle import Calibration, ModelBundle
from credit_core.cost import optimal_threshold
from credit_core.db import applications, client_features, get_engine
from credit_core.feature_derivation import derive_application_features
from credit_core.schema.features import FEATURE_NAMES, FEATURE_SCHEMA_VERSION

APPLICATION_PART = [
    "EXT_SOURCE_2", "EXT_SOURCE_3", "AMT_CREDIT", "AMT_ANNUITY", "AMT_GOODS_PRICE",
    "AMT_INCOME_TOTAL", "CREDIT_INCOME_RATIO", "ANNUITY_INCOME_RATIO", "PAYMENT_RATE",
    "CREDIT_TERM", "GOODS_CREDIT_RATIO", "DAYS_BIRTH", "CODE_GENDER", "NAME_FAMILY_STATUS",
]
HISTORY = ["INSTAL_DPD_MEAN", "INSTAL_DPD_MAX", "INSTAL_PAYMENT_PERC_MEAN",
           "PREV_IS_REFUSED_MEAN", "BURO_CREDIT_DAY_OVERDUE_MAX"]
RICH_FEATURES = APPLICATION_PART + HISTORY
CATEGORICAL = ["CODE_GENDER", "NAME_FAMILY_STATUS"]

#: A typical good applicant; tests change one thing at a time.
TYPICAL_APPLICATION: dict[str, Any] = {
    "AMT_INCOME_TOTAL": 200_000.0, "AMT_GOODS_PRICE": 300_000.0, "AMT_CREDIT": 310_000.0,
    "AMT_ANNUITY": 8_611.0, "EXT_SOURCE_2": 0.72, "EXT_SOURCE_3": 0.70, "DAYS_BIRTH": -14_600,
    "CODE_GENDER": "F", "NAME_FAMILY_STATUS": "Married", "CNT_CHILDREN": 0,
}
TYPICAL_HISTORY: dict[str, float] = {
    "INSTAL_DPD_MEAN": 0.2, "INSTAL_DPD_MAX": 1.0, "INSTAL_PAYMENT_PERC_MEAN": 0.98,
    "PREV_IS_REFUSED_MEAN": 0.1, "BURO_CREDIT_DAY_OVERDUE_MAX": 0.0,
}


def synthetic_applications(rows: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Application fields and the satellite history of ``rows`` clients."""
    rng = np.random.default_rng(seed)
    goods = rng.uniform(50_000, 1_200_000, rows).round(-3)
    credit = (goods * rng.uniform(1.0, 1.15, rows)).round(-3)
    ext3 = rng.uniform(0.05, 0.95, rows)
    ext3[rng.random(rows) < 0.1] = np.nan
    apps = pd.DataFrame({
        "AMT_INCOME_TOTAL": rng.uniform(60_000, 400_000, rows).round(-3),
        "AMT_GOODS_PRICE": goods, "AMT_CREDIT": credit,
        "AMT_ANNUITY": (credit / rng.integers(12, 49, rows)).round(),
        "EXT_SOURCE_2": rng.uniform(0.05, 0.95, rows), "EXT_SOURCE_3": ext3,
        "DAYS_BIRTH": -(rng.uniform(19, 69, rows) * 365.25).round(),
        "CODE_GENDER": rng.choice(["F", "M"], rows),
        "NAME_FAMILY_STATUS": rng.choice(["Married", "Single / not married", "Civil marriage",
                                          "Separated"], rows),
        "CNT_CHILDREN": rng.integers(0, 3, rows),
    })
    dpd = rng.exponential(1.0, rows)
    history = pd.DataFrame({
        "INSTAL_DPD_MEAN": dpd, "INSTAL_DPD_MAX": dpd * rng.uniform(1, 5, rows),
        "INSTAL_PAYMENT_PERC_MEAN": rng.uniform(0.8, 1.0, rows),
        "PREV_IS_REFUSED_MEAN": rng.uniform(0, 1, rows),
        "BURO_CREDIT_DAY_OVERDUE_MAX": np.where(rng.random(rows) < 0.8, 0.0,
                                                rng.uniform(0, 60, rows)),
    })
    history.loc[rng.random(rows) < 0.1, ["INSTAL_DPD_MEAN", "INSTAL_DPD_MAX"]] = np.nan
    return apps, history


def full_vectors(apps: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """Full feature vectors (FEATURE_NAMES) as the feature build would store them."""
    derived = derive_application_features(apps.reset_index(drop=True))
    frame = pd.DataFrame(np.nan, index=derived.index, columns=list(FEATURE_NAMES))
    frame[derived.columns] = derived
    frame[history.columns] = history.reset_index(drop=True)
    return frame


def _log_odds(frame: pd.DataFrame) -> np.ndarray:
    age = -frame["DAYS_BIRTH"] / 365.25
    return np.asarray(
        -3.0 - 3.5 * (frame["EXT_SOURCE_2"] - 0.5) - 3.0 * (frame["EXT_SOURCE_3"].fillna(0.5) - 0.5)
        + 0.6 * np.clip(frame["CREDIT_INCOME_RATIO"] - 3, -3, 6)
        + 8.0 * np.clip(frame["ANNUITY_INCOME_RATIO"] - 0.1, -0.1, 0.4)
        + 0.6 * frame["INSTAL_DPD_MEAN"].fillna(0) + 0.8 * frame["PREV_IS_REFUSED_MEAN"]
        + 1.5 * (age < 25) + 0.02 * frame["BURO_CREDIT_DAY_OVERDUE_MAX"])


def train_rich(rows: int = 4000, seed: int = 11) -> tuple[ModelBundle, pd.DataFrame]:
    """The bundle (Platt-calibrated, cost-optimal threshold) and its reference frame."""
    import lightgbm
    from sklearn.linear_model import LogisticRegression

    apps, history = synthetic_applications(rows, seed)
    frame = full_vectors(apps, history)
    rng = np.random.default_rng(seed + 1)
    target = (rng.random(rows) < 1 / (1 + np.exp(-_log_odds(frame)))).astype(int)
    matrix = frame[RICH_FEATURES].to_numpy()
    booster = lightgbm.train(
        {"objective": "binary", "num_leaves": 8, "learning_rate": 0.1, "verbose": -1,
         "min_data_in_leaf": 20, "seed": 1, "deterministic": True, "num_threads": 1},
        lightgbm.Dataset(matrix, label=target, feature_name=RICH_FEATURES,
                         categorical_feature=CATEGORICAL), num_boost_round=80)
    raw = booster.predict(matrix, raw_score=True)
    platt = LogisticRegression(C=1e6).fit(raw.reshape(-1, 1), target)
    calibration = Calibration("platt", platt_a=float(platt.coef_[0, 0]),
                              platt_b=float(platt.intercept_[0]))
    probability = calibration.apply(raw)
    bundle = ModelBundle(booster=booster, features=list(RICH_FEATURES),
                         categorical_features=list(CATEGORICAL),
                         threshold=optimal_threshold(target, probability),
                         calibration=calibration, metrics={"auc": 0.8})
    reference = frame[RICH_FEATURES].astype(np.float32)
    reference["__prediction__"] = probability.astype(np.float32)
    return bundle, reference


def stage_version(bundle: ModelBundle, reference: pd.DataFrame | None, workdir: Path) -> Path:
    """bundle/ (with importance.json) and reference/ as training stages them."""
    staging = workdir / f"staging-{np.random.default_rng().integers(1e9)}"
    bundle.save(staging / "bundle")
    if reference is not None:
        matrix = reference[bundle.features].to_numpy(dtype=np.float64)
        contributions = bundle.booster.predict(matrix, pred_contrib=True)[:, :-1]
        importance = dict(zip(bundle.features, np.abs(contributions).mean(axis=0).tolist(),
                              strict=True))
        (staging / "bundle" / "importance.json").write_text(json.dumps(importance))
        (staging / "reference").mkdir()
        reference.to_parquet(staging / "reference" / "reference.parquet", index=False)
    return staging


def register_staged(staging: Path, tracking_uri: str, name: str,
                    alias: str | None = "champion") -> str:
    """Log the staged directories as a pyfunc model (as training does) and register it.

    The artifacts go beside the staging directory, not into ./mlruns of the working directory.
    """
    import mlflow
    from mlflow import MlflowClient

    class _Probabilities(mlflow.pyfunc.PythonModel):  # type: ignore[name-defined]
        def load_context(self, context):  # type: ignore[no-untyped-def]
            self.bundle = ModelBundle.load(context.artifacts["bundle"])

        def predict(self, context, model_input, params=None):  # type: ignore[no-untyped-def]
            return self.bundle.predict_proba(model_input[self.bundle.features].to_numpy())

    artifacts = {"bundle": str(staging / "bundle")}
    if (staging / "reference").is_dir():
        artifacts["reference"] = str(staging / "reference")
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_registry_uri(tracking_uri)
    client = MlflowClient(tracking_uri, registry_uri=tracking_uri)
    experiment = client.get_experiment_by_name("explain-tests")
    experiment_id = experiment.experiment_id if experiment else client.create_experiment(
        "explain-tests", artifact_location=(staging.parent / "mlartifacts").as_uri())
    with mlflow.start_run(experiment_id=experiment_id):
        info = mlflow.pyfunc.log_model(name="model", python_model=_Probabilities(),
                                       artifacts=artifacts)
    version = mlflow.register_model(info.model_uri, name)
    if alias:
        client = MlflowClient(tracking_uri, registry_uri=tracking_uri)
        client.set_registered_model_alias(name, alias, version.version)
    return str(version.version)


def _row(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in values.items()}


def insert_clients(url: str, clients: Mapping[int, tuple[dict[str, Any], dict[str, float]]]
                   ) -> pd.DataFrame:
    """Store constructed clients (application fields, history) as the feature build would."""
    ids = list(clients)
    apps = pd.DataFrame([clients[i][0] for i in ids])
    history = pd.DataFrame([clients[i][1] for i in ids])
    vectors = full_vectors(apps, history)
    vectors.index = ids
    with get_engine(url).begin() as connection:
        connection.execute(insert(applications), [
            _row({"SK_ID_CURR": i, "split": "test", **clients[i][0]}) for i in ids])
        connection.execute(insert(client_features), [
            _row({"SK_ID_CURR": i, "split": "test", "TARGET": None,
                  "feature_schema_version": FEATURE_SCHEMA_VERSION,
                  **vectors.loc[i].astype(float).to_dict()}) for i in ids])
    return vectors
