"""Tiny raw tables built from the schema, for the feature and loader tests."""

import numpy as np
import pandas as pd
import pytest

from credit_pipeline.data.raw_schema import RAW_TABLES


def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    columns = RAW_TABLES[table].column_names
    return pd.DataFrame([{c: row.get(c, np.nan) for c in columns} for row in rows])


@pytest.fixture
def raw_satellites() -> dict[str, pd.DataFrame]:
    # Client 1 has history everywhere; client 2 only a refused previous application.
    return {
        "bureau": _frame("bureau", [
            {"SK_ID_CURR": 1, "SK_ID_BUREAU": 10, "CREDIT_ACTIVE": "Active", "DAYS_CREDIT": -100,
             "CREDIT_TYPE": "Microloan", "AMT_CREDIT_SUM": 1000.0, "CREDIT_DAY_OVERDUE": 30},
            {"SK_ID_CURR": 1, "SK_ID_BUREAU": 11, "CREDIT_ACTIVE": "Closed", "DAYS_CREDIT": -900,
             "CREDIT_TYPE": "Consumer credit", "AMT_CREDIT_SUM": 3000.0, "CREDIT_DAY_OVERDUE": 0},
        ]),
        "bureau_balance": _frame("bureau_balance", [
            {"SK_ID_BUREAU": 10, "MONTHS_BALANCE": -2, "STATUS": "0"},
            {"SK_ID_BUREAU": 10, "MONTHS_BALANCE": -1, "STATUS": "1"},
            {"SK_ID_BUREAU": 11, "MONTHS_BALANCE": -1, "STATUS": "C"},
            {"SK_ID_BUREAU": 99, "MONTHS_BALANCE": -1, "STATUS": "5"},  # orphan: ignored
        ]),
        "previous_application": _frame("previous_application", [
            {"SK_ID_PREV": 100, "SK_ID_CURR": 1, "NAME_CONTRACT_STATUS": "Approved",
             "AMT_APPLICATION": 900.0, "AMT_CREDIT": 1000.0, "DAYS_DECISION": -50,
             "CODE_REJECT_REASON": "XAP"},
            {"SK_ID_PREV": 101, "SK_ID_CURR": 1, "NAME_CONTRACT_STATUS": "Refused",
             "AMT_APPLICATION": 500.0, "AMT_CREDIT": 0.0, "DAYS_DECISION": -10,
             "CODE_REJECT_REASON": "SCOFR"},
            {"SK_ID_PREV": 102, "SK_ID_CURR": 2, "NAME_CONTRACT_STATUS": "Refused",
             "AMT_APPLICATION": 100.0, "AMT_CREDIT": 100.0, "DAYS_DECISION": -5,
             "CODE_REJECT_REASON": "HC"},
        ]),
        "POS_CASH_balance": _frame("POS_CASH_balance", [
            {"SK_ID_PREV": 100, "SK_ID_CURR": 1, "MONTHS_BALANCE": -2, "SK_DPD": 0,
             "SK_DPD_DEF": 0, "NAME_CONTRACT_STATUS": "Active"},
            {"SK_ID_PREV": 100, "SK_ID_CURR": 1, "MONTHS_BALANCE": -1, "SK_DPD": 4,
             "SK_DPD_DEF": 2, "NAME_CONTRACT_STATUS": "Completed"},
        ]),
        "installments_payments": _frame("installments_payments", [
            {"SK_ID_PREV": 100, "SK_ID_CURR": 1, "NUM_INSTALMENT_VERSION": 1.0,
             "DAYS_INSTALMENT": -60.0, "DAYS_ENTRY_PAYMENT": -55.0, "AMT_INSTALMENT": 100.0,
             "AMT_PAYMENT": 100.0},
            {"SK_ID_PREV": 100, "SK_ID_CURR": 1, "NUM_INSTALMENT_VERSION": 2.0,
             "DAYS_INSTALMENT": -30.0, "DAYS_ENTRY_PAYMENT": -33.0, "AMT_INSTALMENT": 100.0,
             "AMT_PAYMENT": 50.0},
        ]),
        "credit_card_balance": _frame("credit_card_balance", [
            {"SK_ID_PREV": 200, "SK_ID_CURR": 1, "MONTHS_BALANCE": -1, "AMT_BALANCE": 500.0,
             "AMT_CREDIT_LIMIT_ACTUAL": 1000, "SK_DPD": 0},
            {"SK_ID_PREV": 200, "SK_ID_CURR": 1, "MONTHS_BALANCE": -2, "AMT_BALANCE": 100.0,
             "AMT_CREDIT_LIMIT_ACTUAL": 0, "SK_DPD": 3},
        ]),
    }



def _application(table: str, ids: list[int], with_target: bool) -> pd.DataFrame:
    rows = []
    for i, client in enumerate(ids):
        row = {"SK_ID_CURR": client, "NAME_CONTRACT_TYPE": "Cash loans", "CODE_GENDER": "F",
               "AMT_INCOME_TOTAL": 100_000.0 + i, "AMT_CREDIT": 300_000.0,
               "AMT_ANNUITY": 15_000.0, "DAYS_BIRTH": -12_000 - i, "DAYS_EMPLOYED": -500,
               "EXT_SOURCE_2": 0.5, "NAME_TYPE_SUITE": "Spouse, partner"}
        if with_target:
            row["TARGET"] = i % 2
        rows.append(row)
    return _frame(table, rows)


@pytest.fixture
def raw(raw_satellites) -> dict[str, pd.DataFrame]:  # type: ignore[no-untyped-def]
    """All eight tables: clients 1 and 2 in train, 3 in test."""
    return {
        **raw_satellites,
        "application_train": _application("application_train", [1, 2], True),
        "application_test": _application("application_test", [3], False),
    }
