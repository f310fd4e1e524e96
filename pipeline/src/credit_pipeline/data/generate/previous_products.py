"""What each previous application was for: amounts, term, product and channel columns.

Rows arrive with their contract type (cash, consumer, revolving), status and whether the
application is "hollow" (cancelled before any terms were set: NAME_PORTFOLIO XNA, amounts 0,
annuity and term missing). Everything here follows from those three, as in the real file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from credit_pipeline.data.raw_schema import RAW_TABLES

from .draws import Frame, normal_cdf, quantile_map, round_to, tilted_choice, weighted_choice

__all__ = ["CASH", "CONSUMER", "REVOLVING", "UNKNOWN_CONTRACT", "code", "draw_amounts",
           "draw_labels"]

_LEVELS = {c.name: c.levels for c in RAW_TABLES["previous_application"].columns if c.levels}
CASH, CONSUMER, REVOLVING, UNKNOWN_CONTRACT = 0, 1, 2, 3  # NAME_CONTRACT_TYPE codes (XNA)

_CASH_ASKED = ((0.0, 4500.0), (0.05, 45000.0), (0.25, 135000.0), (0.5, 270000.0),
               (0.75, 540000.0), (0.95, 1.125e6), (1.0, 6.9e6))
_GOODS_PRICE = ((0.0, 1350.0), (0.05, 20250.0), (0.25, 45000.0), (0.5, 81000.0),
                (0.75, 157500.0), (0.95, 450000.0), (1.0, 4.05e6))
_CARD_LIMITS = np.array([0.0, 45000.0, 67500.0, 90000.0, 112500.0, 135000.0, 180000.0,
                         225000.0, 270000.0, 450000.0])
_CARD_WEIGHTS = (0.05, 0.1, 0.08, 0.12, 0.08, 0.2, 0.12, 0.1, 0.1, 0.05)
_TERMS = np.array([4.0, 6.0, 8.0, 10.0, 12.0, 18.0, 24.0, 30.0, 36.0, 48.0, 60.0])
_CASH_TERMS = (0.0, 0.06, 0.0, 0.04, 0.3, 0.1, 0.25, 0.03, 0.12, 0.05, 0.05)
_CONSUMER_TERMS = (0.04, 0.27, 0.04, 0.2, 0.3, 0.05, 0.1, 0.0, 0.0, 0.0, 0.0)
# Monthly interest per NAME_YIELD_GROUP level (XNA, middle, high, low_normal, low_action).
_MONTHLY_RATE = np.array([0.0, 0.017, 0.03, 0.008, 0.0])
_GOODS_CATEGORY_COUNTS = (
    0, 224708, 121576, 105769, 99441, 53656, 25021, 24995, 23554, 7381, 6290, 5023, 3843, 3370,
    2981, 2668, 2554, 1200, 1100, 900, 800, 700, 600, 500, 300, 250, 150, 75,
)
# NAME_SELLER_INDUSTRY code per goods category code (consumer loans).
_SELLER_OF_GOODS = np.array([0, 2, 1, 1, 1, 3, 1, 4, 5, 7, 8, 3, 6, 7, 6, 4, 6, 6, 10, 6, 9,
                             6, 6, 6, 6, 6, 4, 6])


def code(column: str, level: str) -> int:
    """The code of ``level`` in the previous_application column ``column``."""
    return _LEVELS[column].index(level)


def _annuity(credit: np.ndarray, term: np.ndarray, yield_group: np.ndarray) -> np.ndarray:
    rate = _MONTHLY_RATE[yield_group]
    with np.errstate(divide="ignore", invalid="ignore"):
        amortised = credit * rate / (1.0 - (1.0 + rate) ** -term)
        flat = credit / term
    return np.round(np.where(rate > 0, amortised, flat), 3)


def _yield_groups(rng: np.random.Generator, kind: np.ndarray, hollow: np.ndarray,
                  refusal: np.ndarray) -> np.ndarray:
    """Interest-rate group: riskier clients get the high group more often."""
    consumer = tilted_choice(rng, (0, 0.33, 0.25, 0.3, 0.12), (0, 0, 0.4, -0.2, -0.2), refusal)
    cash = tilted_choice(rng, (0, 0.33, 0.45, 0.22, 0.0), (0, 0, 0.4, -0.3, 0), refusal)
    groups = np.where(kind == CONSUMER, consumer, cash)
    return np.where(hollow | (kind == REVOLVING), 0, groups).astype(np.int16)


def _down_payment_rates(rng: np.random.Generator, n: int) -> np.ndarray:
    """Half of consumer loans without down payment, a spike at 0.1089, a long tail to 1."""
    rate = np.minimum(np.exp(np.log(0.1) + 0.6 * rng.standard_normal(n)), 1.0)
    draw = rng.random(n)
    rate = np.where(draw < 0.047, 0.10890909, rate)
    return np.where(draw > 0.522, 0.0, rate)


def _asked_and_granted(rng: np.random.Generator, kind: np.ndarray, approved: np.ndarray,
                       wealth: np.ndarray) -> Frame:
    """Amount asked, credit granted, goods price and down payment, by contract type."""
    n = len(kind)
    u = normal_cdf(0.4 * wealth + 0.92 * rng.standard_normal(n))
    asked = round_to(quantile_map(u, _CASH_ASKED), rng.choice([4500.0, 22500.0, 450.0], n,
                                                              p=[0.5, 0.3, 0.2]))
    granted = asked * np.select([rng.random(n) < 0.4, rng.random(n) < 0.6],
                                [1.0, rng.uniform(1.02, 1.2, n)], rng.uniform(0.4, 1.0, n))
    goods = round_to(quantile_map(u, _GOODS_PRICE), np.where(rng.random(n) < 0.3, 450.0, 4.5))
    cash_down = np.where(rng.random(n) < 0.15, 0.0, np.nan)  # a few cash loans record 0
    down_rate = np.where(kind == CONSUMER, _down_payment_rates(rng, n),
                         np.where(kind == CASH, cash_down, np.nan))
    down = np.round(goods * down_rate, 3)
    financed = (goods - down) * np.where(rng.random(n) < 0.75, 1.0, rng.uniform(1.01, 1.15, n))
    card = _CARD_LIMITS[weighted_choice(rng, _CARD_WEIGHTS, n)]
    card_asked = np.where(rng.random(n) < 0.12, 0.0, card)
    is_cash, is_consumer = kind == CASH, kind == CONSUMER
    return {
        "AMT_APPLICATION": np.select([is_cash, is_consumer], [asked, goods], card_asked),
        "AMT_CREDIT": np.round(np.select([is_cash, is_consumer],
                                         [np.where(approved, granted, asked), financed], card), 3),
        "AMT_DOWN_PAYMENT": down,
        "AMT_GOODS_PRICE": np.select([is_cash, is_consumer], [asked, goods],
                                     np.where(card_asked > 0, card, np.nan)),
        "RATE_DOWN_PAYMENT": np.round(down_rate, 8),
    }


def draw_amounts(rng: np.random.Generator, kind: np.ndarray, approved: np.ndarray,
                 hollow: np.ndarray, asked_only: np.ndarray, wealth: np.ndarray,
                 refusal: np.ndarray) -> Frame:
    """Amounts asked and granted, down payment, goods price, term, annuity, yield group.

    Hollow rows have no terms; the refused among them (``asked_only``) keep the amount asked.
    """
    n = len(kind)
    amounts = _asked_and_granted(rng, kind, approved, wealth)
    term = np.select([kind == CASH, kind == CONSUMER],
                     [_TERMS[weighted_choice(rng, _CASH_TERMS, n)],
                      _TERMS[weighted_choice(rng, _CONSUMER_TERMS, n)]], 0.0)
    yield_group = _yield_groups(rng, kind, hollow, refusal)
    card_annuity = amounts["AMT_CREDIT"] * np.where(rng.random(n) < 0.98, 0.05, 0.0)
    annuity = np.where(kind == REVOLVING, card_annuity,
                       _annuity(amounts["AMT_CREDIT"], term, yield_group))
    amounts.update(AMT_ANNUITY=np.minimum(annuity, 418058.145), CNT_PAYMENT=term)
    for name in ("AMT_ANNUITY", "AMT_DOWN_PAYMENT", "AMT_GOODS_PRICE", "RATE_DOWN_PAYMENT",
                 "CNT_PAYMENT"):
        amounts[name] = np.where(hollow, np.nan, amounts[name])
    amounts["AMT_APPLICATION"] = np.where(hollow, 0.0, amounts["AMT_APPLICATION"])
    amounts["AMT_CREDIT"] = np.where(hollow & ~asked_only, 0.0, amounts["AMT_CREDIT"])
    amounts["NAME_YIELD_GROUP"] = yield_group
    return amounts


_PURPOSES = (0, 0, 23765, 15608, 8412, 2888, 2693, 2416, 2174, 1931, 1573, 1239, 1061, 1012, 962,
             865, 797, 400, 350, 330, 300, 250, 220, 200, 189)
_SUITE = (508970, 213263, 67069, 31566, 17624, 9077, 2240)
_HOURS = (30, 60, 150, 400, 900, 2000, 5000, 27000, 44000, 76000, 109000, 115000, 111000,
          103000, 94000, 86000, 73000, 57000, 38000, 17000, 6000, 2000, 700, 200)
_WEEKDAYS = (255118, 255010, 253557, 252048, 249099, 240631, 164751)
# CHANNEL_TYPE weights (schema order) and a tilt of AP+ towards refusal-prone clients.
_CHANNELS = {
    CASH: (0.76, 0.0, 0.0, 0.0, 0.12, 0.10, 0.018, 0.0),
    CONSUMER: (0.0, 0.62, 0.25, 0.126, 0.0, 0.0, 0.0, 0.0008),
    REVOLVING: (0.6, 0.2, 0.1, 0.05, 0.0, 0.05, 0.0, 0.0),
}
_CHANNEL_TILTS = (0, 0, -0.1, 0, 0, 0.5, -0.3, -0.3)


def _by_kind(rng: np.random.Generator, kind: np.ndarray, weights: Mapping[int, Sequence[float]],
             tilts: Sequence[float], score: np.ndarray) -> np.ndarray:
    codes = np.zeros(len(kind), dtype=np.int16)
    for contract, level_weights in weights.items():
        rows = kind == contract
        codes[rows] = tilted_choice(rng, level_weights, tilts, score[rows])
    return codes


def _product_types(rng: np.random.Generator, kind: np.ndarray, hollow: np.ndarray,
                   refusal: np.ndarray) -> np.ndarray:
    """XNA for consumer loans; cash loans x-sell or walk-in (walk-ins are riskier)."""
    cash = tilted_choice(rng, (0.0, 0.75, 0.25), (0, -0.1, 0.4), refusal)
    other = tilted_choice(rng, (0.55, 0.36, 0.09), (0, -0.1, 0.4), refusal)
    hollow_types = weighted_choice(rng, (0.82, 0.13, 0.05), len(kind))
    types = np.where(kind == CASH, cash, np.where(kind == REVOLVING, other, 0))
    return np.where(hollow, hollow_types, types).astype(np.int16)


def _combination_table(names: list[list[str]]) -> np.ndarray:
    return np.array([[code("PRODUCT_COMBINATION", name) for name in row] for row in names])


# Cash loans: [walk-in?][yield group XNA, middle, high, low_normal, low_action].
_CASH_COMBINATIONS = _combination_table([
    ["Cash", "Cash X-Sell: middle", "Cash X-Sell: high", "Cash X-Sell: low", "Cash X-Sell: low"],
    ["Cash", "Cash Street: middle", "Cash Street: high", "Cash Street: low", "Cash Street: low"],
])
# Consumer loans: [interest-free?][goods family: household, mobile, industry, other].
_POS_COMBINATIONS = _combination_table([
    ["POS household with interest", "POS mobile with interest", "POS industry with interest",
     "POS other with interest"],
    ["POS household without interest", "POS mobile without interest",
     "POS industry without interest", "POS others without interest"],
])
_GOODS_FAMILY = np.zeros(len(_LEVELS["NAME_GOODS_CATEGORY"]), dtype=np.int64)
_GOODS_FAMILY[[1]] = 1  # Mobile
_GOODS_FAMILY[[5, 7, 8, 9, 11, 13, 15]] = 2  # furniture, building, clothes, cars, home, garden
_GOODS_FAMILY[[10, 12]] = 3  # jewelry, medical supplies
_GOODS_FAMILY[16:] = 3  # Other and the rare categories


def _combinations(kind: np.ndarray, hollow: np.ndarray, product_type: np.ndarray,
                  yield_group: np.ndarray, goods: np.ndarray) -> np.ndarray:
    """PRODUCT_COMBINATION from contract type, product type, yield group and goods."""
    walk_in = product_type == code("NAME_PRODUCT_TYPE", "walk-in")
    cash = _CASH_COMBINATIONS[walk_in.astype(np.int64), yield_group]
    pos = _POS_COMBINATIONS[(yield_group == 4).astype(np.int64), _GOODS_FAMILY[goods]]
    card = np.where(product_type == code("NAME_PRODUCT_TYPE", "x-sell"),
                    code("PRODUCT_COMBINATION", "Card X-Sell"),
                    code("PRODUCT_COMBINATION", "Card Street"))
    combination = np.select([kind == CASH, kind == CONSUMER, kind == REVOLVING], [cash, pos, card],
                            -1)
    combination = np.where(hollow & (kind == CASH), code("PRODUCT_COMBINATION", "Cash"),
                           combination)
    return combination.astype(np.int16)


def _portfolio(kind: np.ndarray, hollow: np.ndarray, goods: np.ndarray,
               rng: np.random.Generator) -> np.ndarray:
    portfolio = np.select([kind == CASH, kind == CONSUMER, kind == REVOLVING],
                          [code("NAME_PORTFOLIO", "Cash"), code("NAME_PORTFOLIO", "POS"),
                           code("NAME_PORTFOLIO", "Cards")], code("NAME_PORTFOLIO", "XNA"))
    cars = (goods == code("NAME_GOODS_CATEGORY", "Vehicles")) & (rng.random(len(kind)) < 0.12)
    portfolio = np.where(cars, code("NAME_PORTFOLIO", "Cars"), portfolio)
    return np.where(hollow, code("NAME_PORTFOLIO", "XNA"), portfolio).astype(np.int16)


def _seller_place(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    """SELLERPLACE_AREA: -1 (no seller) for most non-POS rows, else a skewed area code."""
    n = len(kind)
    area = np.round(np.exp(np.log(50.0) + 1.6 * rng.standard_normal(n)))
    area = np.where(rng.random(n) < 0.07, 0.0, np.minimum(area, 150000.0))
    area[rng.random(n) < 1e-6] = 4_000_000.0
    no_seller = (kind != CONSUMER) & (rng.random(n) < 0.8)
    return np.where(no_seller, -1, area).astype(np.int64)


def draw_labels(rng: np.random.Generator, kind: np.ndarray, hollow: np.ndarray,
                yield_group: np.ndarray, refusal: np.ndarray) -> Frame:
    """The categorical product columns and the calendar of each application."""
    n = len(kind)
    sellable = (kind == CONSUMER) & ~hollow
    goods = np.where(sellable, weighted_choice(rng, _GOODS_CATEGORY_COUNTS, n), 0)
    purpose = np.where(rng.random(n) < 0.093, weighted_choice(rng, _PURPOSES, n),
                       code("NAME_CASH_LOAN_PURPOSE", "XNA"))
    cash_like = (kind == CASH) | (kind == UNKNOWN_CONTRACT)
    purpose = np.where(cash_like, purpose, code("NAME_CASH_LOAN_PURPOSE", "XAP"))
    payment = weighted_choice(rng, (0.89, 0.095, 0.013, 0.002), n)
    suite = np.where(rng.random(n) < 0.25, -1, weighted_choice(rng, _SUITE, n))
    product_type = _product_types(rng, kind, hollow, refusal)
    return {
        "WEEKDAY_APPR_PROCESS_START": weighted_choice(rng, _WEEKDAYS, n),
        "HOUR_APPR_PROCESS_START": weighted_choice(rng, _HOURS, n).astype(np.int64),
        "FLAG_LAST_APPL_PER_CONTRACT": (rng.random(n) < 0.0051).astype(np.int16),
        "NFLAG_LAST_APPL_IN_DAY": (rng.random(n) > 0.0035).astype(np.int64),
        "NAME_CASH_LOAN_PURPOSE": np.where(hollow & (kind == CASH),
                                           code("NAME_CASH_LOAN_PURPOSE", "XNA"), purpose),
        "NAME_PAYMENT_TYPE": np.where(hollow | (kind == REVOLVING), 1, payment).astype(np.int16),
        "NAME_TYPE_SUITE": np.where(hollow | (kind == REVOLVING), -1, suite).astype(np.int16),
        "NAME_GOODS_CATEGORY": goods.astype(np.int16),
        "NAME_PORTFOLIO": _portfolio(kind, hollow, goods, rng),
        "NAME_PRODUCT_TYPE": product_type,
        "CHANNEL_TYPE": np.where(hollow, weighted_choice(rng, (0.85, 0, 0, 0, 0.1, 0.05, 0, 0), n),
                                 _by_kind(rng, kind, _CHANNELS, _CHANNEL_TILTS, refusal)),
        "SELLERPLACE_AREA": _seller_place(rng, kind),
        "NAME_SELLER_INDUSTRY": _SELLER_OF_GOODS[goods].astype(np.int16),
        "PRODUCT_COMBINATION": _combinations(kind, hollow, product_type, yield_group, goods),
    }
