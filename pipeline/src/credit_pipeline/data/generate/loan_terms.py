"""The loan asked for: contract type, income, goods price, credit and annuity.

Amounts are multiples of 4.5 (incomes of 450) as in the real file, incomes mostly round.
"""

from __future__ import annotations

import numpy as np

from .draws import Frame, by_split, quantile_map, rank_uniform, round_to, tilted_choice
from .risk import Latents

__all__ = ["draw_loan"]

#: Share of revolving loans: train, test (a documented shift).
REVOLVING_SHARE = (0.095, 0.009)
_INCOME = ((0.0, 25650.0), (0.01, 45000.0), (0.05, 67500.0), (0.25, 112500.0),
           (0.5, 147150.0), (0.75, 202500.0), (0.95, 315000.0), (0.99, 450000.0),
           (0.999, 900000.0), (1.0, 2.25e6))
_ABSURD_INCOMES = (1.17e8, 1.8e7, 1.35e7, 9.0e6)
_GOODS = ((0.0, 40500.0), (0.05, 135000.0), (0.25, 270000.0), (0.5, 495000.0),
          (0.75, 742500.0), (0.95, 1.35e6), (0.99, 1.8e6), (1.0, 4.05e6))
_CARD_LIMITS = np.array([45000, 67500, 90000, 112500, 135000, 180000, 202500, 225000, 270000,
                         315000, 360000, 450000, 540000, 675000], dtype=float)
_CARD_LIMIT_WEIGHTS = (3, 4, 6, 4, 20, 10, 3, 10, 16, 4, 4, 10, 3, 3)
_TERMS = np.array([6, 10, 12, 18, 24, 30, 36, 48, 60], dtype=float)
_TERM_WEIGHTS = (0.0, 0.01, 0.12, 0.12, 0.25, 0.08, 0.22, 0.1, 0.1)
# Train, test: share of cash loans granted for exactly the goods price, goods price scale.
_EXACT_CREDIT_SHARE = (0.25, 0.55)
_GOODS_SCALE = (1.0, 0.82)
_INCOME_SCALE = (1.0, 157500 / 147150)


def _income(rng: np.random.Generator, person: Frame, latents: Latents,
            is_test: np.ndarray) -> np.ndarray:
    n = len(is_test)
    earning = (0.45 * (person["CODE_GENDER"] == 1) + 0.5 * (person["NAME_EDUCATION_TYPE"] == 1)
               + 0.25 * latents.creditworthiness - 0.35 * (person["DAYS_EMPLOYED"] > 0)
               + 0.8 * rng.standard_normal(n))
    income = quantile_map(rank_uniform(earning), _INCOME) * by_split(is_test, _INCOME_SCALE)
    step = rng.choice([22500.0, 4500.0, 450.0], n, p=[0.55, 0.3, 0.15])
    income = np.maximum(round_to(income, step), 25650.0)
    absurd = rng.random(n) < 1.5e-5
    income[absurd] = rng.choice(_ABSURD_INCOMES, int(absurd.sum()))
    return income


def _cash_amounts(rng: np.random.Generator, earning: np.ndarray, latents: Latents,
                  is_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Goods price, then the credit: the goods price plus insurance for most loans."""
    n = len(is_test)
    size = 0.45 * earning + 0.15 * latents.creditworthiness + 0.88 * rng.standard_normal(n)
    goods = quantile_map(rank_uniform(size), _GOODS) * by_split(is_test, _GOODS_SCALE)
    step = rng.choice([45000.0, 22500.0, 4500.0, 450.0], n, p=[0.5, 0.2, 0.25, 0.05])
    goods = np.maximum(round_to(goods, step), 40500.0)
    markup = 1.0 + np.minimum(np.exp(np.log(0.17) + 0.45 * rng.standard_normal(n)), 0.6)
    draw = rng.random(n)
    exact = draw < by_split(is_test, _EXACT_CREDIT_SHARE)
    markup = np.where(exact, 1.0, np.where(draw > 0.96, rng.uniform(0.85, 1.0, n), markup))
    credit = np.clip(round_to(goods * markup, 4.5), 45000.0, 4.05e6)
    return goods, credit


def _annuity(rng: np.random.Generator, credit: np.ndarray, revolving: np.ndarray) -> np.ndarray:
    """Monthly annuity: an amortising schedule for cash loans, 5 or 10 % a month for cards."""
    n = len(credit)
    size = (np.log(credit) - 13.0) / 0.7
    term = _TERMS[tilted_choice(rng, _TERM_WEIGHTS, (_TERMS - 24.0) / 25.0, size)]
    rate = rng.uniform(0.012, 0.02, n)
    annuity = credit * rate / (1.0 - (1.0 + rate) ** -term)
    annuity = np.where(revolving, credit * np.where(rng.random(n) < 0.9, 0.05, 0.10), annuity)
    annuity = np.minimum(round_to(annuity, 4.5), 258025.5)
    annuity[rng.random(n) < 3.9e-5] = np.nan
    return annuity


def draw_loan(rng: np.random.Generator, person: Frame, latents: Latents,
              is_test: np.ndarray) -> Frame:
    """Contract type and amounts; incomes lean on gender, education and creditworthiness."""
    n = len(is_test)
    revolving = rng.random(n) < by_split(is_test, REVOLVING_SHARE)
    income = _income(rng, person, latents, is_test)
    earning = (np.log(np.minimum(income, 1.35e6)) - 11.9) / 0.45
    goods, credit = _cash_amounts(rng, earning, latents, is_test)
    limit_codes = tilted_choice(rng, _CARD_LIMIT_WEIGHTS, np.linspace(-0.5, 0.5, 14), earning)
    card_limit = _CARD_LIMITS[limit_codes]
    credit = np.where(revolving, card_limit, credit)
    goods = np.where(revolving, card_limit, goods)
    goods[revolving & (rng.random(n) < 0.0095)] = np.nan
    return {
        "NAME_CONTRACT_TYPE": revolving.astype(np.int16),
        "AMT_INCOME_TOTAL": income,
        "AMT_CREDIT": credit,
        "AMT_ANNUITY": _annuity(rng, credit, revolving),
        "AMT_GOODS_PRICE": goods,
    }
