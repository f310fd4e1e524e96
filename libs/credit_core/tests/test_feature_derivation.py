import numpy as np
import pandas as pd
import pytest

from credit_core.feature_derivation import APPLICATION_FEATURE_NAMES, derive_application_features
from credit_core.schema.application import CATEGORICAL_LEVELS
from credit_core.schema.features import FEATURE_NAMES


def _app(**fields: object) -> pd.DataFrame:
    base = {
        "AMT_INCOME_TOTAL": 150_000.0, "AMT_CREDIT": 500_000.0, "AMT_ANNUITY": 25_000.0,
        "AMT_GOODS_PRICE": 450_000.0, "DAYS_BIRTH": -14_610, "DAYS_EMPLOYED": -1_000,
        "CNT_FAM_MEMBERS": 2.0, "CODE_GENDER": "M", "NAME_CONTRACT_TYPE": "Cash loans",
        "EXT_SOURCE_1": 0.2, "EXT_SOURCE_2": 0.4, "EXT_SOURCE_3": 0.6, "FLAG_DOCUMENT_3": 1,
    }
    base.update(fields)
    return pd.DataFrame([base])


def test_columns_are_the_schema_application_part_in_order() -> None:
    out = derive_application_features(_app())
    assert tuple(out.columns) == APPLICATION_FEATURE_NAMES
    assert FEATURE_NAMES[: len(APPLICATION_FEATURE_NAMES)] == APPLICATION_FEATURE_NAMES
    assert all(dtype == np.float64 for dtype in out.dtypes)


def test_ratios() -> None:
    row = derive_application_features(_app()).iloc[0]
    assert row["CREDIT_INCOME_RATIO"] == pytest.approx(500_000 / 150_000)
    assert row["PAYMENT_RATE"] == pytest.approx(0.05)
    assert row["CREDIT_TERM"] == pytest.approx(20 / 12)
    assert row["GOODS_CREDIT_RATIO"] == pytest.approx(0.9)
    assert row["INCOME_PER_PERSON"] == pytest.approx(75_000)
    assert row["AGE_YEARS"] == pytest.approx(40.0, abs=0.01)
    assert row["EXT_SOURCES_MEAN"] == pytest.approx(0.4)
    assert row["EXT_SOURCES_MIN"] == pytest.approx(0.2)
    assert row["DOCUMENT_COUNT"] == 1


def test_sentinel_becomes_missing_with_a_flag() -> None:
    row = derive_application_features(_app(DAYS_EMPLOYED=365243)).iloc[0]
    assert np.isnan(row["DAYS_EMPLOYED"]) and row["DAYS_EMPLOYED_ANOM"] == 1
    assert np.isnan(row["DAYS_EMPLOYED_PERC"])
    assert derive_application_features(_app()).iloc[0]["DAYS_EMPLOYED_ANOM"] == 0


def test_outliers_become_missing() -> None:
    row = derive_application_features(
        _app(AMT_INCOME_TOTAL=1.17e8, AMT_REQ_CREDIT_BUREAU_QRT=261.0,
             OBS_30_CNT_SOCIAL_CIRCLE=348.0, REGION_RATING_CLIENT_W_CITY=-1)
    ).iloc[0]
    for column in ("AMT_INCOME_TOTAL", "AMT_REQ_CREDIT_BUREAU_QRT", "OBS_30_CNT_SOCIAL_CIRCLE",
                   "REGION_RATING_CLIENT_W_CITY", "CREDIT_INCOME_RATIO"):
        assert np.isnan(row[column]), column


def test_categories_are_level_codes_unknown_and_xna_missing() -> None:
    out = derive_application_features(pd.concat([
        _app(CODE_GENDER="F", NAME_CONTRACT_TYPE="Revolving loans"),
        _app(CODE_GENDER="XNA", NAME_CONTRACT_TYPE="Mortgage"),
    ], ignore_index=True))
    assert out["CODE_GENDER"].iloc[0] == CATEGORICAL_LEVELS["CODE_GENDER"].index("F")
    assert out["NAME_CONTRACT_TYPE"].iloc[0] == 1
    assert np.isnan(out["CODE_GENDER"].iloc[1])
    assert np.isnan(out["NAME_CONTRACT_TYPE"].iloc[1])


def test_absent_fields_and_zero_denominators_are_missing_not_errors() -> None:
    row = derive_application_features(pd.DataFrame([{"AMT_CREDIT": 1000.0, "AMT_ANNUITY": 0.0,
                                                     "DAYS_BIRTH": -10000}])).iloc[0]
    assert np.isnan(row["CREDIT_TERM"])  # division by a zero annuity
    assert np.isnan(row["EXT_SOURCE_1"]) and row["EXT_SOURCES_MISSING"] == 3
    assert np.isnan(row["EXT_SOURCES_STD"])


def test_index_is_kept_for_joins() -> None:
    frame = pd.concat([_app(), _app()], ignore_index=True)
    frame.index = pd.Index([100002, 100003], name="SK_ID_CURR")
    assert derive_application_features(frame).index.tolist() == [100002, 100003]
