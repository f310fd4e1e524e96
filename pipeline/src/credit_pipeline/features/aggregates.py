"""Satellite aggregates: prepare each table's row-level columns, then run credit_core's specs.

The specs (names, functions, subsets, labels) live in ``credit_core.schema.aggregates``; this
module only knows how to compute the row-level helper columns they name and how to group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from credit_core.schema.aggregates import AGGREGATES, Aggregate

__all__ = ["PREPARERS", "build_aggregates", "prepare_tables"]

_LATE_STATUSES = ["1", "2", "3", "4", "5"]


def _is(series: pd.Series, *values: str) -> pd.Series:
    return series.isin(values).astype("float64")


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    with np.errstate(divide="ignore", invalid="ignore"):
        return (numerator / denominator).replace([np.inf, -np.inf], np.nan)


def _bureau(raw: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    balance = raw["bureau_balance"]
    status = balance["STATUS"].astype(str)
    per_credit = pd.DataFrame({
        "SK_ID_BUREAU": balance["SK_ID_BUREAU"].to_numpy(),
        "late": status.isin(_LATE_STATUSES).to_numpy(dtype="float64"),
        "closed": (status == "C").to_numpy(dtype="float64"),
    }).groupby("SK_ID_BUREAU").agg(
        MONTHS_BALANCE_SIZE=("late", "size"),
        STATUS_LATE_SHARE=("late", "mean"),
        STATUS_CLOSED_SHARE=("closed", "mean"),
    )
    bureau = raw["bureau"].join(per_credit, on="SK_ID_BUREAU")
    active = bureau["CREDIT_ACTIVE"]
    kind = bureau["CREDIT_TYPE"]
    return bureau.assign(
        IS_ACTIVE=_is(active, "Active"),
        IS_CLOSED=_is(active, "Closed"),
        IS_SOLD_OR_BAD_DEBT=_is(active, "Sold", "Bad debt"),
        IS_MICROLOAN=_is(kind, "Microloan"),
        IS_CREDIT_CARD=_is(kind, "Credit card"),
        IS_CAR_LOAN=_is(kind, "Car loan"),
        IS_MORTGAGE=_is(kind, "Mortgage"),
    )


def _previous(raw: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    prev = raw["previous_application"]
    status = prev["NAME_CONTRACT_STATUS"]
    reject = prev["CODE_REJECT_REASON"]
    return prev.assign(
        APP_CREDIT_PERC=_ratio(prev["AMT_APPLICATION"], prev["AMT_CREDIT"]),
        IS_REFUSED=_is(status, "Refused"),
        IS_APPROVED=_is(status, "Approved"),
        IS_CANCELED=_is(status, "Canceled"),
        IS_REVOLVING=_is(prev["NAME_CONTRACT_TYPE"], "Revolving loans"),
        IS_CONSUMER=_is(prev["NAME_CONTRACT_TYPE"], "Consumer loans"),
        IS_REJECT_SCOFR=_is(reject, "SCOFR"),
        IS_REJECT_HC=_is(reject, "HC"),
        IS_REJECT_LIMIT=_is(reject, "LIMIT"),
        IS_WALK_IN=_is(prev["NAME_PRODUCT_TYPE"], "walk-in"),
        IS_CHANNEL_AP_CASH=_is(prev["CHANNEL_TYPE"], "AP+ (Cash loan)"),
        IS_YIELD_HIGH=_is(prev["NAME_YIELD_GROUP"], "high"),
        IS_CLIENT_NEW=_is(prev["NAME_CLIENT_TYPE"], "New"),
    )


def _pos(raw: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    pos = raw["POS_CASH_balance"]
    return pos.assign(
        IS_COMPLETED=_is(pos["NAME_CONTRACT_STATUS"], "Completed"),
        IS_LATE=(pos["SK_DPD"] > 0).astype("float64"),
    )


def _installments(raw: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    inst = raw["installments_payments"]
    # Days late / early: positive part of the gap between payment and due date. An unpaid
    # instalment (no payment date) stays missing rather than counting as on time.
    gap = inst["DAYS_ENTRY_PAYMENT"] - inst["DAYS_INSTALMENT"]
    payment_perc = _ratio(inst["AMT_PAYMENT"], inst["AMT_INSTALMENT"])
    return inst.assign(
        DPD=gap.clip(lower=0),
        DBD=(-gap).clip(lower=0),
        PAYMENT_PERC=payment_perc,
        PAYMENT_DIFF=inst["AMT_INSTALMENT"] - inst["AMT_PAYMENT"],
        IS_LATE=(gap > 0).astype("float64"),
        IS_UNDERPAID=(payment_perc < 1).astype("float64").where(payment_perc.notna()),
    )


def _credit_card(raw: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    card = raw["credit_card_balance"]
    limit = card["AMT_CREDIT_LIMIT_ACTUAL"].where(card["AMT_CREDIT_LIMIT_ACTUAL"] > 0)
    return card.assign(
        UTILISATION=_ratio(card["AMT_BALANCE"], limit),
        IS_LATE=(card["SK_DPD"] > 0).astype("float64"),
    )


PREPARERS: dict[str, Callable[[Mapping[str, pd.DataFrame]], pd.DataFrame]] = {
    "bureau": _bureau,
    "previous": _previous,
    "pos": _pos,
    "installments": _installments,
    "credit_card": _credit_card,
}


def prepare_tables(raw: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The five aggregation inputs with their row-level helper columns, from the raw tables."""
    return {name: prepare(raw) for name, prepare in PREPARERS.items()}


def _aggregate_group(
    rows: pd.DataFrame, specs: list[Aggregate]
) -> pd.DataFrame:
    grouped = rows.groupby("SK_ID_CURR", sort=False)
    columns = {}
    for spec in specs:
        if spec.func == "count":
            columns[spec.name] = grouped.size().astype("float64")
        else:
            columns[spec.name] = grouped[spec.column].agg(spec.func).astype("float64")
    return pd.DataFrame(columns)


def build_aggregates(raw: Mapping[str, pd.DataFrame], progress: Callable[[str], None] | None = None
                     ) -> pd.DataFrame:
    """All aggregate features, one row per client with any satellite record (index SK_ID_CURR).

    Clients without records in a table get missing values for that table's features after the
    caller's left join, as a new applicant does at scoring time.
    """
    by_table: dict[str, dict[str | None, list[Aggregate]]] = defaultdict(lambda: defaultdict(list))
    for spec in AGGREGATES:
        by_table[spec.table][spec.subset].append(spec)
    parts = []
    for table, subsets in by_table.items():
        if progress:
            progress(table)
        rows = PREPARERS[table](raw)
        for subset, specs in subsets.items():
            selected = rows if subset is None else rows[rows[subset] == 1]
            parts.append(_aggregate_group(selected, specs))
        del rows
    aggregates = pd.concat(parts, axis=1)
    aggregates.index.name = "SK_ID_CURR"
    return aggregates[[spec.name for spec in AGGREGATES]]
