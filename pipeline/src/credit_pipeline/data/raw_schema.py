"""The eight Kaggle files: names, columns in their real order, dtypes, keys and levels.

Both the synthetic generator and the validator read this, so that what one writes is what the
other checks. The application columns come from credit_core's application schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from credit_core.schema.application import APPLICATION_FIELDS

__all__ = [
    "RAW_TABLES",
    "SENTINEL_DAYS",
    "TABLE_FILES",
    "Column",
    "RawTable",
    "raw_table",
]

Dtype = Literal["int64", "float64", "object"]

#: "No date / infinity" in the DAYS_* columns (about 1000 years).
SENTINEL_DAYS = 365243


@dataclass(frozen=True)
class Column:
    """A column of a raw file as ``pandas.read_csv`` gives it on the real data."""

    name: str
    dtype: Dtype
    levels: tuple[str, ...] = ()
    nullable: bool = True


@dataclass(frozen=True)
class RawTable:
    """One of the eight files: its columns, primary key and foreign keys."""

    name: str
    file: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: dict[str, str] = field(default_factory=dict)  # column -> "table.column"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _i(name: str) -> Column:
    return Column(name, "int64", nullable=False)


def _f(name: str) -> Column:
    return Column(name, "float64")


def _o(name: str, *levels: str, nullable: bool = False) -> Column:
    return Column(name, "object", tuple(levels), nullable=nullable)


def _application_columns(with_target: bool) -> tuple[Column, ...]:
    cols: list[Column] = []
    for app_field in APPLICATION_FIELDS:
        if app_field.kind == "category":
            cols.append(Column(app_field.name, "object", app_field.levels))
        elif app_field.kind == "int":
            cols.append(Column(app_field.name, "int64", nullable=False))
        else:
            cols.append(Column(app_field.name, "float64"))
        if with_target and app_field.name == "SK_ID_CURR":
            cols.append(Column("TARGET", "int64", nullable=False))
    return tuple(cols)


_CONTRACT_STATUS_PREV = ("Approved", "Canceled", "Refused", "Unused offer")
_WEEKDAYS = ("TUESDAY", "WEDNESDAY", "MONDAY", "FRIDAY", "THURSDAY", "SATURDAY", "SUNDAY")

BUREAU = RawTable(
    "bureau", "bureau.csv",
    (
        _i("SK_ID_CURR"), _i("SK_ID_BUREAU"),
        _o("CREDIT_ACTIVE", "Closed", "Active", "Sold", "Bad debt"),
        _o("CREDIT_CURRENCY", "currency 1", "currency 2", "currency 3", "currency 4"),
        _i("DAYS_CREDIT"), _i("CREDIT_DAY_OVERDUE"), _f("DAYS_CREDIT_ENDDATE"),
        _f("DAYS_ENDDATE_FACT"), _f("AMT_CREDIT_MAX_OVERDUE"), _i("CNT_CREDIT_PROLONG"),
        _f("AMT_CREDIT_SUM"), _f("AMT_CREDIT_SUM_DEBT"), _f("AMT_CREDIT_SUM_LIMIT"),
        _f("AMT_CREDIT_SUM_OVERDUE"),
        _o("CREDIT_TYPE", "Consumer credit", "Credit card", "Car loan", "Mortgage", "Microloan",
           "Loan for business development", "Another type of loan", "Unknown type of loan",
           "Loan for working capital replenishment", "Cash loan (non-earmarked)",
           "Real estate loan", "Loan for the purchase of equipment",
           "Loan for purchase of shares (margin lending)", "Mobile operator loan",
           "Interbank credit"),
        _i("DAYS_CREDIT_UPDATE"), _f("AMT_ANNUITY"),
    ),
    primary_key=("SK_ID_BUREAU",),
    foreign_keys={"SK_ID_CURR": "application.SK_ID_CURR"},
)

BUREAU_BALANCE = RawTable(
    "bureau_balance", "bureau_balance.csv",
    (_i("SK_ID_BUREAU"), _i("MONTHS_BALANCE"), _o("STATUS", "C", "0", "X", "1", "5", "2", "3", "4")),
    primary_key=("SK_ID_BUREAU", "MONTHS_BALANCE"),
    # Not enforced as a foreign key: about 5 % of the real bureau_balance ids are orphans.
)

PREVIOUS_APPLICATION = RawTable(
    "previous_application", "previous_application.csv",
    (
        _i("SK_ID_PREV"), _i("SK_ID_CURR"),
        _o("NAME_CONTRACT_TYPE", "Cash loans", "Consumer loans", "Revolving loans", "XNA"),
        _f("AMT_ANNUITY"), _f("AMT_APPLICATION"), _f("AMT_CREDIT"), _f("AMT_DOWN_PAYMENT"),
        _f("AMT_GOODS_PRICE"),
        _o("WEEKDAY_APPR_PROCESS_START", *_WEEKDAYS), _i("HOUR_APPR_PROCESS_START"),
        _o("FLAG_LAST_APPL_PER_CONTRACT", "Y", "N"), _i("NFLAG_LAST_APPL_IN_DAY"),
        _f("RATE_DOWN_PAYMENT"), _f("RATE_INTEREST_PRIMARY"), _f("RATE_INTEREST_PRIVILEGED"),
        _o("NAME_CASH_LOAN_PURPOSE", "XAP", "XNA", "Repairs", "Other", "Urgent needs",
           "Buying a used car", "Building a house or an annex", "Everyday expenses", "Medicine",
           "Payments on other loans", "Education", "Journey", "Purchase of electronic equipment",
           "Buying a new car", "Wedding / gift / holiday", "Buying a home", "Car repairs",
           "Furniture", "Buying a holiday home / land", "Business development",
           "Gasification / water supply", "Buying a garage", "Hobby", "Money for a third person",
           "Refusal to name the goal"),
        _o("NAME_CONTRACT_STATUS", *_CONTRACT_STATUS_PREV),
        _i("DAYS_DECISION"),
        _o("NAME_PAYMENT_TYPE", "Cash through the bank", "XNA", "Non-cash from your account",
           "Cashless from the account of the employer"),
        _o("CODE_REJECT_REASON", "XAP", "HC", "LIMIT", "SCO", "CLIENT", "SCOFR", "XNA", "VERIF",
           "SYSTEM"),
        _o("NAME_TYPE_SUITE", "Unaccompanied", "Family", "Spouse, partner", "Children",
           "Other_B", "Other_A", "Group of people", nullable=True),
        _o("NAME_CLIENT_TYPE", "Repeater", "New", "Refreshed", "XNA"),
        _o("NAME_GOODS_CATEGORY", "XNA", "Mobile", "Consumer Electronics", "Computers",
           "Audio/Video", "Furniture", "Photo / Cinema Equipment", "Construction Materials",
           "Clothing and Accessories", "Auto Accessories", "Jewelry", "Homewares",
           "Medical Supplies", "Vehicles", "Sport and Leisure", "Gardening", "Other",
           "Office Appliances", "Tourism", "Medicine", "Direct Sales", "Fitness",
           "Additional Service", "Education", "Weapon", "Insurance", "House Construction",
           "Animals"),
        _o("NAME_PORTFOLIO", "POS", "Cash", "XNA", "Cards", "Cars"),
        _o("NAME_PRODUCT_TYPE", "XNA", "x-sell", "walk-in"),
        _o("CHANNEL_TYPE", "Credit and cash offices", "Country-wide", "Stone", "Regional / Local",
           "Contact center", "AP+ (Cash loan)", "Channel of corporate sales", "Car dealer"),
        _i("SELLERPLACE_AREA"),
        _o("NAME_SELLER_INDUSTRY", "XNA", "Consumer electronics", "Connectivity", "Furniture",
           "Construction", "Clothing", "Industry", "Auto technology", "Jewelry", "MLM partners",
           "Tourism"),
        _f("CNT_PAYMENT"),
        _o("NAME_YIELD_GROUP", "XNA", "middle", "high", "low_normal", "low_action"),
        _o("PRODUCT_COMBINATION", "Cash", "POS household with interest",
           "POS mobile with interest", "Cash X-Sell: middle", "Cash X-Sell: low", "Card Street",
           "Card X-Sell", "Cash Street: high", "Cash Street: low", "Cash Street: middle",
           "Cash X-Sell: high", "POS household without interest", "POS industry with interest",
           "POS industry without interest", "POS mobile without interest",
           "POS other with interest", "POS others without interest", nullable=True),
        _f("DAYS_FIRST_DRAWING"), _f("DAYS_FIRST_DUE"), _f("DAYS_LAST_DUE_1ST_VERSION"),
        _f("DAYS_LAST_DUE"), _f("DAYS_TERMINATION"), _f("NFLAG_INSURED_ON_APPROVAL"),
    ),
    primary_key=("SK_ID_PREV",),
    foreign_keys={"SK_ID_CURR": "application.SK_ID_CURR"},
)

POS_CASH_BALANCE = RawTable(
    "POS_CASH_balance", "POS_CASH_balance.csv",
    (
        _i("SK_ID_PREV"), _i("SK_ID_CURR"), _i("MONTHS_BALANCE"), _f("CNT_INSTALMENT"),
        _f("CNT_INSTALMENT_FUTURE"),
        _o("NAME_CONTRACT_STATUS", "Active", "Completed", "Signed", "Demand",
           "Returned to the store", "Approved", "Amortized debt", "Canceled", "XNA"),
        _i("SK_DPD"), _i("SK_DPD_DEF"),
    ),
    primary_key=("SK_ID_PREV", "MONTHS_BALANCE"),
    foreign_keys={"SK_ID_CURR": "application.SK_ID_CURR"},
)

INSTALLMENTS_PAYMENTS = RawTable(
    "installments_payments", "installments_payments.csv",
    (
        _i("SK_ID_PREV"), _i("SK_ID_CURR"), _f("NUM_INSTALMENT_VERSION"),
        _i("NUM_INSTALMENT_NUMBER"), _f("DAYS_INSTALMENT"), _f("DAYS_ENTRY_PAYMENT"),
        _f("AMT_INSTALMENT"), _f("AMT_PAYMENT"),
    ),
    foreign_keys={"SK_ID_CURR": "application.SK_ID_CURR"},
)

CREDIT_CARD_BALANCE = RawTable(
    "credit_card_balance", "credit_card_balance.csv",
    (
        _i("SK_ID_PREV"), _i("SK_ID_CURR"), _i("MONTHS_BALANCE"), _f("AMT_BALANCE"),
        _i("AMT_CREDIT_LIMIT_ACTUAL"), _f("AMT_DRAWINGS_ATM_CURRENT"),
        _f("AMT_DRAWINGS_CURRENT"), _f("AMT_DRAWINGS_OTHER_CURRENT"),
        _f("AMT_DRAWINGS_POS_CURRENT"), _f("AMT_INST_MIN_REGULARITY"),
        _f("AMT_PAYMENT_CURRENT"), _f("AMT_PAYMENT_TOTAL_CURRENT"),
        _f("AMT_RECEIVABLE_PRINCIPAL"), _f("AMT_RECIVABLE"), _f("AMT_TOTAL_RECEIVABLE"),
        _f("CNT_DRAWINGS_ATM_CURRENT"), _i("CNT_DRAWINGS_CURRENT"),
        _f("CNT_DRAWINGS_OTHER_CURRENT"), _f("CNT_DRAWINGS_POS_CURRENT"),
        _f("CNT_INSTALMENT_MATURE_CUM"),
        _o("NAME_CONTRACT_STATUS", "Active", "Completed", "Signed", "Demand", "Sent proposal",
           "Refused", "Approved"),
        _i("SK_DPD"), _i("SK_DPD_DEF"),
    ),
    primary_key=("SK_ID_PREV", "MONTHS_BALANCE"),
    foreign_keys={"SK_ID_CURR": "application.SK_ID_CURR"},
)

APPLICATION_TRAIN = RawTable(
    "application_train", "application_train.csv", _application_columns(with_target=True),
    primary_key=("SK_ID_CURR",),
)
APPLICATION_TEST = RawTable(
    "application_test", "application_test.csv", _application_columns(with_target=False),
    primary_key=("SK_ID_CURR",),
)

RAW_TABLES: dict[str, RawTable] = {
    t.name: t
    for t in (
        APPLICATION_TRAIN, APPLICATION_TEST, BUREAU, BUREAU_BALANCE, PREVIOUS_APPLICATION,
        POS_CASH_BALANCE, INSTALLMENTS_PAYMENTS, CREDIT_CARD_BALANCE,
    )
}
TABLE_FILES: dict[str, str] = {name: t.file for name, t in RAW_TABLES.items()}


def raw_table(name: str) -> RawTable:
    """The raw table called ``name`` (e.g. ``"bureau"``)."""
    return RAW_TABLES[name]
