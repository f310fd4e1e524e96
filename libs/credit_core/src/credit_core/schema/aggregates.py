"""Aggregates of the satellite tables: one definition per feature, executed by the pipeline.

Each aggregate is a (table, column, function, subset) over the rows of one client. The families
follow the best public Home Credit pipelines (bureau with its monthly balance, previous
applications split by approved and refused, POS cash, instalments with days late and payment
ratio, credit card). Row-level helper columns (``DPD``, ``PAYMENT_PERC``, ``IS_REFUSED`` ...) are
derived by the pipeline's table preparation; a test checks every column named here exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["AGGREGATES", "FAMILY_LABELS", "Aggregate"]

Table = Literal["bureau", "previous", "pos", "installments", "credit_card"]
Func = Literal["count", "mean", "min", "max", "sum", "var", "nunique"]

#: The reason families: one readable name each, in English and French.
FAMILY_LABELS: dict[str, tuple[str, str]] = {
    "external_scores": ("External credit scores", "Scores de crédit externes"),
    "loan": ("The requested loan", "Le prêt demandé"),
    "income_employment": ("Income and employment", "Revenus et emploi"),
    "personal": ("Personal situation", "Situation personnelle"),
    "contact_region": ("Contact details and region", "Coordonnées et région"),
    "building": ("Housing building", "Immeuble du logement"),
    "documents": ("Documents provided", "Documents fournis"),
    "bureau": ("Credits at other lenders (credit bureau)",
               "Crédits auprès d'autres prêteurs (bureau de crédit)"),
    "previous": ("Previous applications with us", "Demandes précédentes chez nous"),
    "pos_cash": ("Past point-of-sale and cash loans", "Prêts point de vente et espèces passés"),
    "installments": ("Repayment history", "Historique de remboursement"),
    "credit_card": ("Credit card use", "Utilisation de la carte de crédit"),
}

_TABLE_FAMILY: dict[str, str] = {
    "bureau": "bureau", "previous": "previous", "pos": "pos_cash",
    "installments": "installments", "credit_card": "credit_card",
}

#: Readable names of the source columns (and derived row-level columns) aggregated below.
_COLUMN_LABELS: dict[str, str] = {
    "DAYS_CREDIT": "days since the credit was opened",
    "DAYS_CREDIT_ENDDATE": "days until the credit ends",
    "DAYS_CREDIT_UPDATE": "days since the last bureau update",
    "CREDIT_DAY_OVERDUE": "days overdue",
    "AMT_CREDIT_MAX_OVERDUE": "largest amount ever overdue",
    "AMT_CREDIT_SUM": "credit amount",
    "AMT_CREDIT_SUM_DEBT": "outstanding debt",
    "AMT_CREDIT_SUM_OVERDUE": "amount overdue now",
    "AMT_CREDIT_SUM_LIMIT": "credit limit",
    "AMT_ANNUITY": "annuity",
    "CNT_CREDIT_PROLONG": "number of prolongations",
    "MONTHS_BALANCE_SIZE": "months of history",
    "STATUS_LATE_SHARE": "share of months paid late",
    "STATUS_CLOSED_SHARE": "share of months closed",
    "IS_ACTIVE": "share of active credits",
    "IS_SOLD_OR_BAD_DEBT": "share of credits sold or in bad debt",
    "IS_MICROLOAN": "share of microloans",
    "IS_CREDIT_CARD": "share of credit cards",
    "IS_CAR_LOAN": "share of car loans",
    "IS_MORTGAGE": "share of mortgages",
    "AMT_APPLICATION": "amount asked",
    "AMT_CREDIT": "amount granted",
    "APP_CREDIT_PERC": "ratio of amount asked to amount granted",
    "AMT_DOWN_PAYMENT": "down payment",
    "AMT_GOODS_PRICE": "goods price",
    "RATE_DOWN_PAYMENT": "down-payment rate",
    "DAYS_DECISION": "days since the decision",
    "CNT_PAYMENT": "term (instalments)",
    "HOUR_APPR_PROCESS_START": "hour of the application",
    "IS_REFUSED": "share refused",
    "IS_APPROVED": "share approved",
    "IS_CANCELED": "share cancelled",
    "IS_REVOLVING": "share of revolving loans",
    "IS_CONSUMER": "share of consumer loans",
    "IS_REJECT_SCOFR": "share refused for scoring/fraud (SCOFR)",
    "IS_REJECT_HC": "share refused by credit policy (HC)",
    "IS_REJECT_LIMIT": "share refused for limit",
    "IS_WALK_IN": "share of walk-in applications",
    "IS_CHANNEL_AP_CASH": "share through the AP+ cash channel",
    "IS_YIELD_HIGH": "share in the high-interest group",
    "IS_CLIENT_NEW": "share as a new client",
    "NFLAG_INSURED_ON_APPROVAL": "share insured on approval",
    "MONTHS_BALANCE": "months of history",
    "SK_DPD": "days past due",
    "SK_DPD_DEF": "days past due (with tolerance)",
    "CNT_INSTALMENT_FUTURE": "instalments left to pay",
    "IS_COMPLETED": "share of months completed",
    "IS_LATE": "share of months late",
    "NUM_INSTALMENT_VERSION": "versions of the payment schedule",
    "DPD": "days paid late",
    "DBD": "days paid early",
    "PAYMENT_PERC": "share of the instalment paid",
    "PAYMENT_DIFF": "amount left unpaid per instalment",
    "AMT_INSTALMENT": "instalment due",
    "AMT_PAYMENT": "amount paid",
    "DAYS_ENTRY_PAYMENT": "days since the payment",
    "IS_UNDERPAID": "share of instalments underpaid",
    "AMT_BALANCE": "balance",
    "AMT_CREDIT_LIMIT_ACTUAL": "card limit",
    "UTILISATION": "use of the limit (balance / limit)",
    "AMT_DRAWINGS_CURRENT": "drawings",
    "AMT_DRAWINGS_ATM_CURRENT": "cash-machine drawings",
    "CNT_DRAWINGS_ATM_CURRENT": "number of cash-machine drawings",
    "CNT_DRAWINGS_CURRENT": "number of drawings",
    "AMT_PAYMENT_CURRENT": "monthly payment",
    "AMT_INST_MIN_REGULARITY": "minimum monthly instalment",
    "CNT_INSTALMENT_MATURE_CUM": "instalments paid so far",
}

_FUNC_LABELS = {
    "count": "number of records", "mean": "average", "min": "lowest", "max": "highest",
    "sum": "total", "var": "variance of", "nunique": "number of distinct",
}

_PREFIX_SCOPE = {
    "BURO": ("bureau", None, "all bureau credits"),
    "ACTIVE": ("bureau", "IS_ACTIVE", "active bureau credits"),
    "CLOSED": ("bureau", "IS_CLOSED", "closed bureau credits"),
    "PREV": ("previous", None, "all previous applications"),
    "APPROVED": ("previous", "IS_APPROVED", "approved previous applications"),
    "REFUSED": ("previous", "IS_REFUSED", "refused previous applications"),
    "POS": ("pos", None, "point-of-sale and cash loan months"),
    "INSTAL": ("installments", None, "instalments"),
    "CC": ("credit_card", None, "credit card months"),
}


@dataclass(frozen=True)
class Aggregate:
    """One satellite feature: ``func`` of ``column`` over the client's rows of ``table``.

    ``subset`` names a 0/1 row column: only rows where it is 1 are aggregated (ACTIVE_, REFUSED_).
    """

    name: str
    table: Table
    column: str | None
    func: Func
    subset: str | None
    label: str
    family: str


def _specs(prefix: str, spec: dict[str, tuple[str, ...]]) -> list[Aggregate]:
    table, subset, scope = _PREFIX_SCOPE[prefix]
    family = _TABLE_FAMILY[table]
    out = [Aggregate(f"{prefix}_COUNT", table, None, "count", subset,  # type: ignore[arg-type]
                     f"Number of {scope}", family)]
    for column, funcs in spec.items():
        for func in funcs:
            what = _COLUMN_LABELS[column]
            if column.startswith("IS_") or column.endswith("_SHARE"):
                label = f"{what[0].upper()}{what[1:]} ({scope})"
            else:
                label = f"{_FUNC_LABELS[func].capitalize()} {what} ({scope})"
            out.append(Aggregate(f"{prefix}_{column}_{func.upper()}", table,  # type: ignore[arg-type]
                                 column, func, subset, label, family))  # type: ignore[arg-type]
    return out


_BUREAU_NUMERIC = {
    "DAYS_CREDIT": ("min", "max", "mean"),
    "DAYS_CREDIT_ENDDATE": ("min", "max", "mean"),
    "AMT_CREDIT_SUM": ("max", "mean", "sum"),
    "AMT_CREDIT_SUM_DEBT": ("max", "mean", "sum"),
    "AMT_CREDIT_SUM_OVERDUE": ("mean",),
    "CREDIT_DAY_OVERDUE": ("max", "mean"),
}

AGGREGATES: tuple[Aggregate, ...] = (
    *_specs("BURO", {
        **_BUREAU_NUMERIC,
        "DAYS_CREDIT_UPDATE": ("mean",),
        "AMT_CREDIT_MAX_OVERDUE": ("mean",),
        "AMT_CREDIT_SUM_LIMIT": ("mean",),
        "AMT_ANNUITY": ("mean",),
        "CNT_CREDIT_PROLONG": ("sum",),
        "MONTHS_BALANCE_SIZE": ("mean",),
        "STATUS_LATE_SHARE": ("mean",),
        "STATUS_CLOSED_SHARE": ("mean",),
        "IS_ACTIVE": ("mean",),
        "IS_SOLD_OR_BAD_DEBT": ("mean",),
        "IS_MICROLOAN": ("mean",),
        "IS_CREDIT_CARD": ("mean",),
        "IS_CAR_LOAN": ("mean",),
        "IS_MORTGAGE": ("mean",),
    }),
    *_specs("ACTIVE", _BUREAU_NUMERIC),
    *_specs("CLOSED", {
        "DAYS_CREDIT": ("max", "mean"),
        "AMT_CREDIT_SUM": ("mean",),
        "MONTHS_BALANCE_SIZE": ("mean",),
    }),
    *_specs("PREV", {
        "AMT_ANNUITY": ("mean", "max"),
        "AMT_APPLICATION": ("mean",),
        "AMT_CREDIT": ("mean", "max"),
        "APP_CREDIT_PERC": ("min", "mean", "var"),
        "AMT_DOWN_PAYMENT": ("mean",),
        "AMT_GOODS_PRICE": ("mean",),
        "RATE_DOWN_PAYMENT": ("mean",),
        "DAYS_DECISION": ("min", "max", "mean"),
        "CNT_PAYMENT": ("mean", "sum"),
        "HOUR_APPR_PROCESS_START": ("mean",),
        "IS_REFUSED": ("mean",),
        "IS_APPROVED": ("mean",),
        "IS_CANCELED": ("mean",),
        "IS_REVOLVING": ("mean",),
        "IS_CONSUMER": ("mean",),
        "IS_REJECT_SCOFR": ("mean",),
        "IS_REJECT_HC": ("mean",),
        "IS_REJECT_LIMIT": ("mean",),
        "IS_WALK_IN": ("mean",),
        "IS_CHANNEL_AP_CASH": ("mean",),
        "IS_YIELD_HIGH": ("mean",),
        "IS_CLIENT_NEW": ("mean",),
        "NFLAG_INSURED_ON_APPROVAL": ("mean",),
    }),
    *_specs("APPROVED", {
        "AMT_ANNUITY": ("mean",),
        "AMT_CREDIT": ("mean", "max"),
        "APP_CREDIT_PERC": ("mean",),
        "AMT_GOODS_PRICE": ("mean",),
        "DAYS_DECISION": ("max", "mean"),
        "CNT_PAYMENT": ("mean",),
    }),
    *_specs("REFUSED", {
        "AMT_CREDIT": ("mean",),
        "APP_CREDIT_PERC": ("mean",),
        "DAYS_DECISION": ("max", "mean"),
    }),
    *_specs("POS", {
        "MONTHS_BALANCE": ("max", "mean"),
        "SK_DPD": ("max", "mean"),
        "SK_DPD_DEF": ("max", "mean"),
        "CNT_INSTALMENT_FUTURE": ("mean",),
        "IS_COMPLETED": ("mean",),
        "IS_LATE": ("mean",),
    }),
    *_specs("INSTAL", {
        "NUM_INSTALMENT_VERSION": ("nunique",),
        "DPD": ("max", "mean", "sum"),
        "DBD": ("max", "mean", "sum"),
        "PAYMENT_PERC": ("max", "mean", "var"),
        "PAYMENT_DIFF": ("max", "mean", "sum"),
        "AMT_INSTALMENT": ("max", "mean", "sum"),
        "AMT_PAYMENT": ("min", "max", "mean", "sum"),
        "DAYS_ENTRY_PAYMENT": ("max", "mean"),
        "IS_LATE": ("mean",),
        "IS_UNDERPAID": ("mean",),
    }),
    *_specs("CC", {
        "MONTHS_BALANCE": ("min",),
        "AMT_BALANCE": ("mean", "max"),
        "AMT_CREDIT_LIMIT_ACTUAL": ("mean",),
        "UTILISATION": ("mean", "max"),
        "AMT_DRAWINGS_CURRENT": ("mean",),
        "AMT_DRAWINGS_ATM_CURRENT": ("mean",),
        "CNT_DRAWINGS_ATM_CURRENT": ("mean", "max"),
        "CNT_DRAWINGS_CURRENT": ("mean",),
        "AMT_PAYMENT_CURRENT": ("mean",),
        "AMT_INST_MIN_REGULARITY": ("mean",),
        "CNT_INSTALMENT_MATURE_CUM": ("mean",),
        "SK_DPD": ("max", "mean"),
        "SK_DPD_DEF": ("mean",),
        "IS_LATE": ("mean",),
    }),
)
