"""From an application's fields to the model's application features: cleaning and ratios.

The same function serves training (a whole table), scoring a submitted application and the
what-if of the dashboard, so that a feature is computed one way only. Satellite aggregates are
not derived here: a new applicant without history has them missing, as in training for clients
without records in a table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from credit_core.schema.application import APPLICATION_FIELDS, DOCUMENT_FLAGS
from credit_core.schema.features import FEATURE_NAMES, FEATURES

__all__ = [
    "APPLICATION_FEATURE_NAMES",
    "OUTLIER_LIMITS",
    "derive_application_features",
    "encode_categories",
    "full_vectors_from_applications",
]

SENTINEL_DAYS = 365243
#: Values beyond these are data-entry errors in the real data (a 117 M income, 261 bureau
#: enquiries in a quarter, 348 observed acquaintances): they become missing, not signal.
OUTLIER_LIMITS: dict[str, float] = {
    "AMT_INCOME_TOTAL": 2.0e7,
    "AMT_REQ_CREDIT_BUREAU_QRT": 50,
    "OBS_30_CNT_SOCIAL_CIRCLE": 100,
    "OBS_60_CNT_SOCIAL_CIRCLE": 100,
    "DEF_30_CNT_SOCIAL_CIRCLE": 30,
    "DEF_60_CNT_SOCIAL_CIRCLE": 30,
}
_APPLICATION_INPUTS = [f for f in APPLICATION_FIELDS if f.name != "SK_ID_CURR"]
APPLICATION_FEATURE_NAMES: tuple[str, ...] = tuple(
    f.name for f in FEATURES if f.source in ("application", "derived")
)


def encode_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """Replace each categorical field by the index of its level (NaN when missing or unknown)."""
    encoded = {}
    for app_field in _APPLICATION_INPUTS:
        if app_field.kind != "category" or app_field.name not in frame:
            continue
        levels = list(app_field.levels)
        if app_field.name == "CODE_GENDER":
            levels = [lvl for lvl in levels if lvl != "XNA"]  # XNA means unknown: missing
        codes = pd.Categorical(frame[app_field.name], categories=[lv for lv in levels if lv])
        values = codes.codes.astype("float64")
        values[values < 0] = np.nan
        encoded[app_field.name] = values
    return frame.assign(**encoded)


def _safe_ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = numerator / denominator
    return ratio.replace([np.inf, -np.inf], np.nan)


def _derived(app: pd.DataFrame) -> dict[str, pd.Series]:
    days_birth = app["DAYS_BIRTH"]
    ext = app[["EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3"]]
    family = app["CNT_FAM_MEMBERS"].where(app["CNT_FAM_MEMBERS"] > 0)
    return {
        "CREDIT_INCOME_RATIO": _safe_ratio(app["AMT_CREDIT"], app["AMT_INCOME_TOTAL"]),
        "ANNUITY_INCOME_RATIO": _safe_ratio(app["AMT_ANNUITY"], app["AMT_INCOME_TOTAL"]),
        "PAYMENT_RATE": _safe_ratio(app["AMT_ANNUITY"], app["AMT_CREDIT"]),
        "CREDIT_TERM": _safe_ratio(app["AMT_CREDIT"], app["AMT_ANNUITY"]) / 12.0,
        "GOODS_CREDIT_RATIO": _safe_ratio(app["AMT_GOODS_PRICE"], app["AMT_CREDIT"]),
        "CREDIT_GOODS_DIFF": app["AMT_CREDIT"] - app["AMT_GOODS_PRICE"],
        "DAYS_EMPLOYED_PERC": _safe_ratio(app["DAYS_EMPLOYED"], days_birth),
        "INCOME_PER_PERSON": _safe_ratio(app["AMT_INCOME_TOTAL"], family),
        "AGE_YEARS": -days_birth / 365.25,
        "EXT_SOURCES_MEAN": ext.mean(axis=1),
        "EXT_SOURCES_MIN": ext.min(axis=1),
        "EXT_SOURCES_MAX": ext.max(axis=1),
        "EXT_SOURCES_STD": ext.std(axis=1, ddof=0).where(ext.notna().sum(axis=1) > 1),
        "EXT_SOURCES_MISSING": ext.isna().sum(axis=1).astype("float64"),
        "DOCUMENT_COUNT": app[list(DOCUMENT_FLAGS)].sum(axis=1).astype("float64"),
        "PHONE_CHANGE_AGE_RATIO": _safe_ratio(app["DAYS_LAST_PHONE_CHANGE"], days_birth),
    }


def derive_application_features(applications: pd.DataFrame) -> pd.DataFrame:
    """The application part of the feature vector, one row per input row, float64, in order.

    ``applications`` holds application fields by their Kaggle names; absent fields count as
    missing. The index is kept so that callers can join the satellite aggregates on it.
    """
    app = applications.reindex(columns=[f.name for f in _APPLICATION_INPUTS])
    app = encode_categories(app)
    app = app.apply(pd.to_numeric, errors="coerce").astype("float64")
    sentinel = app["DAYS_EMPLOYED"] == SENTINEL_DAYS
    app["DAYS_EMPLOYED"] = app["DAYS_EMPLOYED"].mask(sentinel)
    for column, limit in OUTLIER_LIMITS.items():
        app[column] = app[column].mask(app[column] > limit)
    app["REGION_RATING_CLIENT_W_CITY"] = app["REGION_RATING_CLIENT_W_CITY"].mask(
        app["REGION_RATING_CLIENT_W_CITY"] < 1
    )
    derived = _derived(app)
    derived["DAYS_EMPLOYED_ANOM"] = sentinel.astype("float64")
    out = pd.concat([app, pd.DataFrame(derived, index=app.index)], axis=1)
    return out[list(APPLICATION_FEATURE_NAMES)].astype("float64")


def full_vectors_from_applications(records: Sequence[Mapping[str, Any]]) -> np.ndarray:
    """Full feature vectors (FEATURE_NAMES order) of submitted applications: the application
    part derived, the satellite aggregates missing (a new applicant has no history here)."""
    application_part = derive_application_features(pd.DataFrame.from_records(list(records)))
    vectors = np.full((len(records), len(FEATURE_NAMES)), np.nan)
    # The application features lead the full vector (the feature schema orders them first).
    vectors[:, : application_part.shape[1]] = application_part.to_numpy()
    return vectors
