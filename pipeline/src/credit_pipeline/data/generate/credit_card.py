"""credit_card_balance.csv: monthly snapshots of previous Home Credit credit cards.

A card is followed from its decision month to the month before the application. Late payers
use more of their limit, pay less than the minimum and carry days past due. Months with a zero
limit (before activation, or a card never activated) have no drawing details, as in the real
file where the six ATM/POS/OTHER columns are missing together.
"""

from __future__ import annotations

import numpy as np

from credit_pipeline.data.raw_schema import RAW_TABLES

from .application import Applicants
from .draws import Frame, expand, normal_cdf, round_to
from .episodes import days_past_due, draw_episodes
from .previous import PreviousApplications

__all__ = ["draw_credit_card"]

_LEVELS = RAW_TABLES["credit_card_balance"].columns[20].levels
_LIMITS = np.array([45000, 67500, 90000, 112500, 135000, 180000, 225000, 270000, 450000])
_DAYS_PER_MONTH = 30.44


def _status(level: str) -> int:
    return _LEVELS.index(level)


def _cards(rng: np.random.Generator, previous: PreviousApplications,
           applicants: Applicants) -> dict[str, np.ndarray]:
    """Per card: months followed, limit, activation, use, payment habits."""
    row = np.flatnonzero(previous.in_card_table)
    n = len(row)
    frame = previous.frame
    lateness = (applicants.latents.payment_lateness[previous.client[row]]
                + 0.5 * rng.standard_normal(n))
    granted = np.nan_to_num(frame["AMT_CREDIT"][row])
    limit = np.where(granted > 0, granted, _LIMITS[rng.integers(0, len(_LIMITS), n)])
    first = np.maximum(np.floor(frame["DAYS_DECISION"][row] / _DAYS_PER_MONTH), -96.0)
    never_active = rng.random(n) < 0.15
    activated = np.where(never_active, 1.0, first + rng.geometric(0.25, n) - 1.0)
    return {
        "row": row,
        "lateness": lateness,
        "limit": limit,
        "first": first,
        "activated": activated,
        "raised": np.where(rng.random(n) < 0.3, first + np.floor(rng.random(n) * -first), 1.0),
        "user": rng.random(n) < normal_cdf(0.1 + 0.6 * lateness),
        "usage": np.clip(normal_cdf(0.9 * lateness + 0.6 * rng.standard_normal(n)), 0.02, 1.0),
        "payer": normal_cdf(-0.8 * lateness + 0.6 * rng.standard_normal(n)),
        "closed": np.where(rng.random(n) < 0.07, np.floor(first * rng.random(n)), 1.0),
    }


def _balances(rng: np.random.Generator, cards: dict[str, np.ndarray], card: np.ndarray,
              month: np.ndarray) -> Frame:
    """Limit, balance and the three (near-collinear) receivable amounts per month."""
    rows = len(month)
    raised = np.where(month >= cards["raised"][card], 1.5, 1.0)
    limit = np.where(month >= cards["activated"][card],
                     round_to(cards["limit"][card] * raised, 22500.0), 0.0)
    in_use = cards["user"][card] & (limit > 0) & (rng.random(rows) > 0.1)
    balance = np.where(in_use, np.round(limit * cards["usage"][card] * rng.uniform(0.7, 1.05,
                                                                                 rows), 3), 0.0)
    balance = np.where(rng.random(rows) < 0.001, -np.round(rng.uniform(0, 5000, rows), 3), balance)
    principal = np.where((balance > 0) & (rng.random(rows) > 0.05),
                         np.round(balance * rng.uniform(0.92, 0.99, rows), 3), 0.0)
    receivable = np.round(balance + np.where(balance > 0, balance * rng.uniform(0, 0.01, rows),
                                             0.0), 3)
    return {"AMT_BALANCE": balance, "AMT_CREDIT_LIMIT_ACTUAL": limit.astype(np.int64),
            "AMT_RECEIVABLE_PRINCIPAL": principal, "AMT_RECIVABLE": receivable,
            "AMT_TOTAL_RECEIVABLE": receivable}


def _drawings(rng: np.random.Generator, balance: np.ndarray, limit: np.ndarray) -> Frame:
    """ATM, POS and other drawings (amounts and counts) and their totals."""
    rows = len(balance)
    drawing = (balance > 0) & (rng.random(rows) < 0.45)
    atm_count = np.where(drawing & (rng.random(rows) < 0.8), 1 + rng.poisson(0.7, rows), 0)
    atm = atm_count * rng.choice([4500.0, 9000.0, 13500.0, 22500.0, 45000.0], rows)
    pos_count = np.where(drawing & (rng.random(rows) < 0.35), 1 + rng.poisson(2.0, rows), 0)
    pos = np.round(pos_count * np.exp(np.log(3000.0) + rng.standard_normal(rows)), 3)
    other_count = (drawing & (rng.random(rows) < 0.02)).astype(np.int64)
    other = np.round(other_count * np.exp(np.log(20000.0) + rng.standard_normal(rows)), 3)
    unknown = ((limit == 0) & (rng.random(rows) < 0.97)) | (~drawing & (rng.random(rows) < 0.005))
    detail = {"AMT_DRAWINGS_ATM_CURRENT": atm, "AMT_DRAWINGS_OTHER_CURRENT": other,
              "AMT_DRAWINGS_POS_CURRENT": pos, "CNT_DRAWINGS_ATM_CURRENT": atm_count,
              "CNT_DRAWINGS_OTHER_CURRENT": other_count, "CNT_DRAWINGS_POS_CURRENT": pos_count}
    frame = {name: np.where(unknown, np.nan, values.astype(float))
             for name, values in detail.items()}
    frame["AMT_DRAWINGS_CURRENT"] = np.round(atm + pos + other, 3)
    frame["CNT_DRAWINGS_CURRENT"] = (atm_count + pos_count + other_count).astype(np.int64)
    return frame


def _payments(rng: np.random.Generator, cards: dict[str, np.ndarray], card: np.ndarray,
              balance: np.ndarray, unknown: np.ndarray) -> Frame:
    """Minimum instalment, what was paid (late payers pay less), cumulative instalments."""
    rows = len(balance)
    minimum = np.where(balance > 0, np.round(balance * 0.05, 3), 0.0)
    payer = cards["payer"][card]
    generous = np.maximum(minimum, np.round(balance * rng.uniform(0.05, 0.6, rows) * payer, 3))
    short = rng.random(rows) < (1.0 - payer) * 0.3
    paid = np.where(short, np.round(minimum * rng.uniform(0.0, 0.9, rows), 3), generous)
    paid = np.where(balance > 0, paid, np.where(rng.random(rows) < 0.5, 0.0,
                                                np.round(rng.uniform(0, 5000, rows), 3)))
    paid = np.where(unknown | (rng.random(rows) < 0.005), np.nan, paid)
    no_schedule = rng.random(rows) < 0.079
    due = (minimum > 0).astype(np.int64)
    starts = np.flatnonzero(np.diff(card, prepend=-1))
    cumulative = np.cumsum(due) - np.repeat(np.cumsum(due)[starts] - due[starts],
                                            np.diff(np.append(starts, rows)))
    return {
        "AMT_INST_MIN_REGULARITY": np.where(no_schedule, np.nan, minimum),
        "AMT_PAYMENT_CURRENT": paid,
        "AMT_PAYMENT_TOTAL_CURRENT": np.where(rng.random(rows) < 0.6, np.nan_to_num(paid), 0.0),
        "CNT_INSTALMENT_MATURE_CUM": np.where(no_schedule, np.nan, cumulative.astype(float)),
    }


def _statuses(rng: np.random.Generator, cards: dict[str, np.ndarray], card: np.ndarray,
              month: np.ndarray, dpd: np.ndarray) -> np.ndarray:
    rows, count = len(month), len(cards["row"])
    status = np.full(rows, _status("Active"), dtype=np.int16)
    signed = (rng.random(count) < 0.1)[card] & (month == cards["first"][card]) & (
        month < cards["activated"][card])
    status[signed] = _status("Signed")
    status[month > cards["closed"][card]] = _status("Completed")
    status[(dpd > 90) & (rng.random(count) < 0.3)[card]] = _status("Demand")
    draw = rng.random(rows)
    for level, share in (("Sent proposal", 1.3e-4), ("Refused", 4.4e-6), ("Approved", 1.3e-6)):
        status[draw < share] = _status(level)
    return status


def draw_credit_card(seed: np.random.SeedSequence, previous: PreviousApplications,
                     applicants: Applicants) -> Frame:
    """Every monthly snapshot of every card, card by card, up to the month before applying."""
    rng = np.random.default_rng(seed)
    cards = _cards(rng, previous, applicants)
    card, position = expand((-cards["first"]).astype(np.int64))
    month = cards["first"][card] + position
    balances = _balances(rng, cards, card, month)
    drawings = _drawings(rng, balances["AMT_BALANCE"], balances["AMT_CREDIT_LIMIT_ACTUAL"])
    unknown = np.isnan(drawings["AMT_DRAWINGS_ATM_CURRENT"])
    last = np.full(len(cards["row"]), -1.0)
    episodes = draw_episodes(rng, np.minimum(cards["activated"], last), last, cards["lateness"],
                             chance_at_zero=0.15, never_heals=0.1)
    dpd, dpd_def = days_past_due(episodes, card, month)
    used = balances["AMT_CREDIT_LIMIT_ACTUAL"] > 0
    frame = previous.frame
    return {
        "SK_ID_PREV": frame["SK_ID_PREV"][cards["row"]][card],
        "SK_ID_CURR": frame["SK_ID_CURR"][cards["row"]][card],
        "MONTHS_BALANCE": month.astype(np.int64),
        **balances,
        **drawings,
        **_payments(rng, cards, card, balances["AMT_BALANCE"], unknown),
        "NAME_CONTRACT_STATUS": _statuses(rng, cards, card, month, dpd),
        "SK_DPD": np.where(used, dpd, 0),
        "SK_DPD_DEF": np.where(used, dpd_def, 0),
    }
