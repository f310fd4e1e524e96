"""One row per client: the application fields as received, and the model's feature vector."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from credit_core.feature_derivation import derive_application_features
from credit_core.schema.application import APPLICATION_FIELD_NAMES
from credit_core.schema.features import FEATURE_NAMES, FEATURE_SCHEMA_VERSION
from credit_pipeline.features.aggregates import build_aggregates

__all__ = ["ClientData", "build_client_data"]


@dataclass
class ClientData:
    """What `credit data load` writes: both frames are indexed by SK_ID_CURR, same order."""

    applications: pd.DataFrame  # split + the application fields (Kaggle names and types)
    features: pd.DataFrame  # split, TARGET, feature_schema_version + FEATURE_NAMES (float64)

    @property
    def rows(self) -> int:
        return len(self.features)


def _applications(raw: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    train = raw["application_train"].assign(split="train")
    test = raw["application_test"].assign(split="test", TARGET=pd.NA)
    apps = pd.concat([train, test], ignore_index=True)
    return apps.set_index("SK_ID_CURR", drop=False)


def build_client_data(
    raw: Mapping[str, pd.DataFrame], progress: Callable[[str], None] | None = None
) -> ClientData:
    """Clean the applications, derive their features and join the satellite aggregates."""
    apps = _applications(raw)
    if progress:
        progress("application features")
    app_features = derive_application_features(apps)
    aggregates = build_aggregates(raw, progress=progress)
    features = app_features.join(aggregates, how="left")[list(FEATURE_NAMES)]
    target = pd.to_numeric(apps["TARGET"], errors="coerce").astype("Int16")
    meta = pd.DataFrame(
        {"split": apps["split"], "TARGET": target, "feature_schema_version": FEATURE_SCHEMA_VERSION},
        index=apps.index,
    )
    application_fields = [c for c in APPLICATION_FIELD_NAMES if c != "SK_ID_CURR"]
    applications = apps[["split", *application_fields]]
    for frame in (applications, meta):
        frame.index.name = "SK_ID_CURR"
    return ClientData(applications=applications, features=pd.concat([meta, features], axis=1))
