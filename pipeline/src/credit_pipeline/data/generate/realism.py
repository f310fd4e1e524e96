"""Measure how realistic a generated folder is: the figures the generator is tuned against.

Reads the files back with pandas (as a user would), then reports the TARGET rate, the
EXT_SOURCE correlations with TARGET, the default rate by age band, and three ROC AUCs on one
holdout: a LightGBM on the application columns alone, the same model with a handful of simple
satellite aggregates, and the oracle (DEFAULT_PROBABILITY).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from .runner import ORACLE_FILE

__all__ = ["RealismReport", "application_features", "measure", "satellite_features"]

_AGE_BANDS = tuple(range(20, 75, 5))


@dataclass(frozen=True)
class RealismReport:
    """The tuning figures of one generated folder."""

    target_rate: float
    ext_correlations: dict[str, float]
    default_rate_by_age: dict[str, float]
    aggregate_correlations: dict[str, float] = field(default_factory=dict)
    application_auc: float = float("nan")
    with_satellites_auc: float = float("nan")
    oracle_auc: float = float("nan")


def application_features(train: pd.DataFrame) -> pd.DataFrame:
    """Raw numeric columns plus categoricals as integer codes (missing = -1)."""
    features = train.drop(columns=["SK_ID_CURR", "TARGET"]).copy()
    for column in features.select_dtypes(include="object").columns:
        features[column] = features[column].astype("category").cat.codes
    return features.set_axis(train["SK_ID_CURR"].to_numpy())


def _read(out_dir: Path, file: str, columns: list[str]) -> pd.DataFrame:
    return pd.read_csv(out_dir / file, usecols=columns)


def satellite_features(out_dir: Path) -> pd.DataFrame:
    """Simple per-client aggregates of the satellite tables, indexed by SK_ID_CURR."""
    out_dir = Path(out_dir)
    parts = []
    instal = _read(out_dir, "installments_payments.csv", ["SK_ID_CURR", "DAYS_INSTALMENT",
                                                         "DAYS_ENTRY_PAYMENT", "AMT_INSTALMENT",
                                                         "AMT_PAYMENT"])
    days_late = (instal["DAYS_ENTRY_PAYMENT"] - instal["DAYS_INSTALMENT"]).clip(lower=0)
    instal = instal.assign(LATE=days_late > 0, DAYS_LATE=days_late.fillna(0),
                           PAID_SHARE=instal["AMT_PAYMENT"] / instal["AMT_INSTALMENT"].where(
                               instal["AMT_INSTALMENT"] > 0))
    parts.append(instal.groupby("SK_ID_CURR")[["LATE", "DAYS_LATE", "PAID_SHARE"]].mean()
                 .add_prefix("INSTAL_"))
    previous = _read(out_dir, "previous_application.csv", ["SK_ID_CURR", "NAME_CONTRACT_STATUS"])
    parts.append(previous.assign(REFUSED=previous["NAME_CONTRACT_STATUS"] == "Refused")
                 .groupby("SK_ID_CURR")[["REFUSED"]].mean().add_prefix("PREV_"))
    bureau = _read(out_dir, "bureau.csv", ["SK_ID_CURR", "CREDIT_ACTIVE", "CREDIT_DAY_OVERDUE",
                                           "DAYS_CREDIT"])
    bureau = bureau.assign(ACTIVE=bureau["CREDIT_ACTIVE"] == "Active",
                           OVERDUE=bureau["CREDIT_DAY_OVERDUE"] > 0)
    parts.append(bureau.groupby("SK_ID_CURR")[["ACTIVE", "OVERDUE", "DAYS_CREDIT"]].mean()
                 .add_prefix("BUREAU_"))
    for file, prefix in (("POS_CASH_balance.csv", "POS_"), ("credit_card_balance.csv", "CC_")):
        table = _read(out_dir, file, ["SK_ID_CURR", "SK_DPD"])
        parts.append(table.assign(LATE=table["SK_DPD"] > 0).groupby("SK_ID_CURR")[["LATE"]]
                     .mean().add_prefix(prefix))
    return pd.concat(parts, axis=1).astype(float)


def _holdout_auc(features: pd.DataFrame, target: np.ndarray, holdout: np.ndarray,
                 n_estimators: int) -> float:
    """ROC AUC on the holdout of a plain LightGBM fitted on the other rows."""
    import lightgbm as lgb
    from sklearn.metrics import roc_auc_score

    model = lgb.LGBMClassifier(n_estimators=n_estimators, learning_rate=0.05, num_leaves=31,
                               min_child_samples=100, subsample=0.8, subsample_freq=1,
                               colsample_bytree=0.8, max_bin=63, random_state=0, verbose=-1,
                               n_jobs=1)  # one thread: fast and reproducible on a busy machine
    model.fit(features[~holdout], target[~holdout])
    # lightgbm annotates predict_proba with the results of every prediction mode (sparse
    # matrices for pred_contrib on sparse input); on a dense frame it is an (n, 2) array.
    probability = cast(np.ndarray, model.predict_proba(features[holdout]))
    return float(roc_auc_score(target[holdout], probability[:, 1]))


def _correlations(features: pd.DataFrame, target: pd.Series) -> dict[str, float]:
    return {name: float(values.corr(target)) for name, values in features.items()}


def measure(out_dir: Path | str, holdout_share: float = 0.2, seed: int = 0,
            n_estimators: int = 300) -> RealismReport:
    """Read a generated folder back and compute its realism figures (see the module doc)."""
    from sklearn.metrics import roc_auc_score

    out_dir = Path(out_dir)
    train = pd.read_csv(out_dir / "application_train.csv")
    target = train["TARGET"]
    ages = pd.cut(-train["DAYS_BIRTH"] / 365.25, _AGE_BANDS)
    by_age = target.groupby(ages, observed=True).mean()
    features = application_features(train)
    satellites = satellite_features(out_dir).reindex(features.index)
    holdout = np.random.default_rng(seed).random(len(train)) < holdout_share
    y = target.to_numpy()
    oracle = pd.read_csv(out_dir / ORACLE_FILE).set_index("SK_ID_CURR")["DEFAULT_PROBABILITY"]
    return RealismReport(
        target_rate=float(target.mean()),
        ext_correlations=_correlations(train[[f"EXT_SOURCE_{k}" for k in (1, 2, 3)]], target),
        default_rate_by_age={str(band): float(rate) for band, rate in by_age.items()},
        aggregate_correlations=_correlations(satellites.set_axis(train.index), target),
        application_auc=_holdout_auc(features, y, holdout, n_estimators),
        with_satellites_auc=_holdout_auc(features.join(satellites), y, holdout, n_estimators),
        oracle_auc=float(roc_auc_score(y[holdout], oracle.loc[features.index].to_numpy()[holdout])),
    )
