"""The model's features: one definition, with a readable label and a reason family for each.

The feature vector of a client is, in this order: the application fields (numbers as they are
after cleaning, categories as integer codes of their level lists), the features derived from the
application (ratios, flags), then the satellite aggregates. Training column order, the
``client_features`` table, the API, SHAP names and drift columns all derive from ``FEATURES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from credit_core.schema.aggregates import AGGREGATES, FAMILY_LABELS
from credit_core.schema.application import (
    APPLICATION_FIELDS,
    BUILDING_MEASURES,
    DOCUMENT_FLAGS,
    REQ_BUREAU_COLUMNS,
)

__all__ = [
    "CATEGORICAL_FEATURES",
    "DERIVED_FEATURES",
    "FAMILY_LABELS",
    "FEATURES",
    "FEATURE_NAMES",
    "FEATURE_SCHEMA_VERSION",
    "SIMILARITY_TRAITS",
    "Feature",
    "feature",
]

#: Bump when the feature list changes: models record it, and the table needs a migration.
FEATURE_SCHEMA_VERSION = 1

Source = Literal["application", "derived", "aggregate"]


@dataclass(frozen=True)
class Feature:
    """One model input. ``levels`` is set for categorical features (encoded as level index)."""

    name: str
    label: str
    family: str
    source: Source
    levels: tuple[str, ...] = ()
    protected: bool = False
    actionable: bool = False

    @property
    def categorical(self) -> bool:
        return bool(self.levels)


_FAMILY_OF_FIELD: dict[str, str] = {
    **{n: "external_scores" for n in ("EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3")},
    **{n: "loan" for n in (
        "NAME_CONTRACT_TYPE", "AMT_CREDIT", "AMT_ANNUITY", "AMT_GOODS_PRICE",
        "WEEKDAY_APPR_PROCESS_START", "HOUR_APPR_PROCESS_START",
    )},
    **{n: "income_employment" for n in (
        "AMT_INCOME_TOTAL", "NAME_INCOME_TYPE", "DAYS_EMPLOYED", "OCCUPATION_TYPE",
        "ORGANIZATION_TYPE", "FLAG_EMP_PHONE", "FLAG_WORK_PHONE",
    )},
    **{n: "personal" for n in (
        "CODE_GENDER", "DAYS_BIRTH", "CNT_CHILDREN", "CNT_FAM_MEMBERS", "NAME_FAMILY_STATUS",
        "NAME_EDUCATION_TYPE", "NAME_HOUSING_TYPE", "FLAG_OWN_CAR", "FLAG_OWN_REALTY",
        "OWN_CAR_AGE", "NAME_TYPE_SUITE", "DAYS_REGISTRATION", "DAYS_ID_PUBLISH",
        "OBS_30_CNT_SOCIAL_CIRCLE", "DEF_30_CNT_SOCIAL_CIRCLE", "OBS_60_CNT_SOCIAL_CIRCLE",
        "DEF_60_CNT_SOCIAL_CIRCLE",
    )},
    **{n: "documents" for n in DOCUMENT_FLAGS},
    **{n: "bureau" for n in REQ_BUREAU_COLUMNS},
    **{
        f"{m}_{s}": "building" for m in BUILDING_MEASURES for s in ("AVG", "MODE", "MEDI")
    },
    **{n: "building" for n in (
        "FONDKAPREMONT_MODE", "HOUSETYPE_MODE", "TOTALAREA_MODE", "WALLSMATERIAL_MODE",
        "EMERGENCYSTATE_MODE",
    )},
}


def _application_features() -> list[Feature]:
    out = []
    for app_field in APPLICATION_FIELDS:
        if app_field.name == "SK_ID_CURR":
            continue
        out.append(Feature(
            name=app_field.name,
            label=app_field.label,
            family=_FAMILY_OF_FIELD.get(app_field.name, "contact_region"),
            source="application",
            levels=app_field.levels,
            protected=app_field.protected,
            actionable=app_field.actionable,
        ))
    return out


#: Derived from the application fields by ``credit_core.feature_derivation.derive_application_features``.
DERIVED_FEATURES: tuple[Feature, ...] = (
    Feature("DAYS_EMPLOYED_ANOM", "Not employed (pensioner or unemployed)",
            "income_employment", "derived"),
    Feature("CREDIT_INCOME_RATIO", "Credit amount / annual income", "loan", "derived",
            actionable=True),
    Feature("ANNUITY_INCOME_RATIO", "Annuity / annual income", "loan", "derived",
            actionable=True),
    Feature("PAYMENT_RATE", "Annuity / credit amount (repayment speed)", "loan", "derived",
            actionable=True),
    Feature("CREDIT_TERM", "Credit amount / annuity (term in years)", "loan", "derived",
            actionable=True),
    Feature("GOODS_CREDIT_RATIO", "Goods price / credit amount", "loan", "derived",
            actionable=True),
    Feature("CREDIT_GOODS_DIFF", "Credit amount above the goods price", "loan", "derived",
            actionable=True),
    Feature("DAYS_EMPLOYED_PERC", "Share of life in current employment", "income_employment",
            "derived"),
    Feature("INCOME_PER_PERSON", "Income per family member", "income_employment", "derived"),
    Feature("AGE_YEARS", "Age (years)", "personal", "derived", protected=True),
    Feature("EXT_SOURCES_MEAN", "Average of the external scores", "external_scores", "derived"),
    Feature("EXT_SOURCES_MIN", "Lowest external score", "external_scores", "derived"),
    Feature("EXT_SOURCES_MAX", "Highest external score", "external_scores", "derived"),
    Feature("EXT_SOURCES_STD", "Spread of the external scores", "external_scores", "derived"),
    Feature("EXT_SOURCES_MISSING", "Number of external scores missing", "external_scores",
            "derived"),
    Feature("DOCUMENT_COUNT", "Number of documents provided", "documents", "derived"),
    Feature("PHONE_CHANGE_AGE_RATIO", "Phone change / age", "contact_region", "derived"),
)


def _aggregate_features() -> list[Feature]:
    return [Feature(a.name, a.label, a.family, "aggregate") for a in AGGREGATES]


FEATURES: tuple[Feature, ...] = (
    *_application_features(), *DERIVED_FEATURES, *_aggregate_features()
)
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
CATEGORICAL_FEATURES: tuple[str, ...] = tuple(f.name for f in FEATURES if f.categorical)
_BY_NAME = {f.name: f for f in FEATURES}

#: What "clients like the applicant" means (scoring's similar clients), with the bounds that a
#: new applicant's value of each must lie in: the scoring API checks them, the dashboard sends
#: only values inside them.
SIMILARITY_TRAITS: dict[str, tuple[float, float]] = {
    "AGE_YEARS": (14, 120), "AMT_INCOME_TOTAL": (0, 1e10), "AMT_CREDIT": (0, 1e10),
    "EXT_SOURCES_MEAN": (0, 1),
}


def feature(name: str) -> Feature:
    """The feature called ``name``; KeyError if the model has no such input."""
    return _BY_NAME[name]
