"""installments_payments.csv: every instalment due before the application and how it was paid.

POS/cash loans pay an instalment every 30 days from their first due date; late payers pay
later (DAYS_ENTRY_PAYMENT after DAYS_INSTALMENT) and short (AMT_PAYMENT below AMT_INSTALMENT,
the rest following in a second row). Payments not made by the application are missing. Credit
cards add a row per monthly payment, with instalment version 0.
"""

from __future__ import annotations

import numpy as np

from .draws import Frame, expand, weighted_choice
from .pos_cash import Loans
from .previous import PreviousApplications

__all__ = ["draw_installments"]

_IN_INSTALMENTS = 0.988  # share of POS/cash loans with instalment rows
_CARDS_IN_INSTALMENTS = 0.695
_VERSION_BUMPS = (0.6, 0.25, 0.1, 0.05)  # +1, +2, +3, +4 after a change of schedule


def _logistic(logit: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-logit))


def _instalments(rng: np.random.Generator, loans: Loans) -> Frame:
    """One entry per instalment due before the application: loan index, number, due day."""
    keep = np.flatnonzero(rng.random(len(loans.row)) < _IN_INSTALMENTS)
    last_day = np.minimum(loans.end[keep], -1.0)
    due_count = np.clip(np.floor((last_day - loans.first_due[keep]) / 30.0) + 1.0, 0.0,
                        loans.term[keep])
    parent, position = expand(due_count.astype(np.int64))
    loan = keep[parent]
    number = position + 1.0
    restructured = rng.random(len(loans.row)) < 0.2
    change_at = 1.0 + np.floor(rng.random(len(loans.row)) * loans.term)
    bump = 1.0 + weighted_choice(rng, _VERSION_BUMPS, len(loans.row))
    version = 1.0 + np.where(restructured[loan] & (number >= change_at[loan]), bump[loan], 0.0)
    final = number == due_count[parent]
    remaining = np.maximum(loans.term[loan] - number + 1.0, 1.0)
    amount = np.where(final & (loans.end[loan] <= -1), loans.annuity[loan] * np.minimum(
        remaining, 3.0), loans.annuity[loan])
    return {"loan": loan, "number": number, "version": version,
            "due": loans.first_due[loan] + 30.0 * position, "amount": np.round(amount, 3)}


def _pay(rng: np.random.Generator, due: np.ndarray, amount: np.ndarray,
         lateness: np.ndarray) -> tuple[Frame, np.ndarray]:
    """Payment day and amount per instalment, and which instalments were paid short."""
    n = len(due)
    late = rng.random(n) < _logistic(np.log(0.05 / 0.95) + 0.65 * lateness)
    late_days = np.where(rng.random(n) < 0.1, rng.integers(30, 120, n), rng.geometric(0.12, n))
    early_days = np.where(rng.random(n) < 0.25, 0, rng.integers(1, 21, n))
    entry = np.where(late, due + late_days, due - early_days)
    short = rng.random(n) < _logistic(np.log(0.03 / 0.97) + 0.8 * lateness)
    paid = np.where(short, amount * rng.uniform(0.1, 0.95, n),
                    np.where(rng.random(n) < 0.01, amount * rng.uniform(1.01, 1.3, n), amount))
    return {"entry": entry, "paid": np.round(paid, 3)}, short & (rng.random(n) < 0.7)


def _loan_rows(rng: np.random.Generator, loans: Loans, previous: PreviousApplications) -> Frame:
    """Rows of the POS/cash loans: one per instalment, two when the first payment was short."""
    due = _instalments(rng, loans)
    payment, split = _pay(rng, due["due"], due["amount"], loans.lateness[due["loan"]])
    index, second = expand(1 + split.astype(np.int64))
    second = second.astype(bool)
    rest = due["amount"][index] - payment["paid"][index]
    entry = np.where(second, payment["entry"][index] + rng.integers(1, 31, len(index)),
                     payment["entry"][index])
    paid = np.where(second, np.round(rest, 3), payment["paid"][index])
    unpaid = entry > -1.0  # not paid by the day of the application
    row = loans.row[due["loan"][index]]
    return {
        "SK_ID_PREV": previous.frame["SK_ID_PREV"][row],
        "SK_ID_CURR": previous.frame["SK_ID_CURR"][row],
        "NUM_INSTALMENT_VERSION": due["version"][index],
        "NUM_INSTALMENT_NUMBER": due["number"][index].astype(np.int64),
        "DAYS_INSTALMENT": due["due"][index],
        "DAYS_ENTRY_PAYMENT": np.where(unpaid, np.nan, entry),
        "AMT_INSTALMENT": due["amount"][index],
        "AMT_PAYMENT": np.where(unpaid, np.nan, paid),
    }


def _card_rows(rng: np.random.Generator, card_balance: Frame) -> Frame:
    """A row per monthly card payment (for about 70 % of the cards), instalment version 0."""
    cards = np.unique(card_balance["SK_ID_PREV"])
    listed = cards[rng.random(len(cards)) < _CARDS_IN_INSTALMENTS]
    paid = np.nan_to_num(card_balance["AMT_PAYMENT_CURRENT"])
    rows = np.flatnonzero(np.isin(card_balance["SK_ID_PREV"], listed) & (paid > 0))
    card = card_balance["SK_ID_PREV"][rows]
    starts = np.flatnonzero(np.diff(card, prepend=-1) != 0)
    number = np.arange(len(rows)) - np.repeat(starts, np.diff(np.append(starts, len(rows))))
    due = card_balance["MONTHS_BALANCE"][rows] * 30.0 + rng.integers(0, 29, len(rows))
    minimum = np.nan_to_num(card_balance["AMT_INST_MIN_REGULARITY"][rows])
    return {
        "SK_ID_PREV": card,
        "SK_ID_CURR": card_balance["SK_ID_CURR"][rows],
        "NUM_INSTALMENT_VERSION": np.zeros(len(rows)),
        "NUM_INSTALMENT_NUMBER": (number + 1).astype(np.int64),
        "DAYS_INSTALMENT": due.astype(float),
        "DAYS_ENTRY_PAYMENT": np.minimum(due - rng.integers(0, 10, len(rows)), -1.0),
        "AMT_INSTALMENT": np.where(minimum > 0, minimum, paid[rows]),
        "AMT_PAYMENT": paid[rows],
    }


def draw_installments(seed: np.random.SeedSequence, loans: Loans, previous: PreviousApplications,
                      card_balance: Frame) -> Frame:
    """All instalment rows: the POS/cash loans' first, then the cards'."""
    rng = np.random.default_rng(seed)
    parts = (_loan_rows(rng, loans, previous), _card_rows(rng, card_balance))
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
