"""bureau.csv: the applicants' credits at other institutions, as the Credit Bureau reports them.

Clients with a delinquent streak (the bureau-delinquency latent) have more recent credits, more
of them still active, more microloans, overdue days and overdue amounts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from credit_pipeline.data.raw_schema import RAW_TABLES

from .application import Applicants
from .draws import (
    Frame,
    expand,
    normal_cdf,
    quantile_map,
    round_to,
    tilted_choice,
    top_share,
    weighted_choice,
)

__all__ = ["BureauCredits", "draw_bureau"]

_LEVELS = {c.name: c.levels for c in RAW_TABLES["bureau"].columns if c.levels}
#: Share of applicants with at least one bureau credit: train, test.
BUREAU_COVERAGE = (0.857, 0.868)
_MEAN_CREDITS = 5.61  # among clients with any
_DAYS_BACK = ((0.0, 0.0), (0.05, 115.0), (0.25, 440.0), (0.5, 920.0), (0.75, 1570.0),
              (0.95, 2600.0), (1.0, 2922.0))
_DURATION = ((0.0, 30.0), (0.25, 240.0), (0.5, 450.0), (0.75, 900.0), (0.95, 1800.0),
             (1.0, 3650.0))
_SUM = ((0.0, 0.0), (0.039, 0.0), (0.05, 9000.0), (0.25, 51300.0), (0.5, 125518.5),
        (0.75, 315000.0), (0.95, 1.4e6), (0.999, 1.2e7), (1.0, 5e7))
# (count, tilt on delinquency) per CREDIT_TYPE level, in schema order.
_TYPES = ((1251615, 0.0), (402195, 0.1), (27690, -0.3), (18391, -0.4), (12413, 0.8),
          (1975, 0.0), (1017, 0.0), (555, 0.0), (469, 0.0), (56, 0.0), (27, 0.0), (19, 0.0),
          (4, 0.0), (1, 0.0), (1, 0.0))
_DURATION_SCALE = {"Credit card": 3.0, "Car loan": 2.5, "Mortgage": 8.0, "Microloan": 0.25}
_PROLONGATIONS = (1707314, 7620, 1222, 191, 54, 21, 2, 1, 1, 2)
_ID_BASE, _ID_SPAN = 5_000_000, 1_843_458
_ORPHAN_SHARE = 43041 / 774354  # bureau_balance ids absent from bureau, per linked id


@dataclass(frozen=True)
class BureauCredits:
    """bureau.csv plus what bureau_balance needs to know about each credit."""

    frame: Frame
    client: np.ndarray  # index into the applicants, per credit
    has_history: np.ndarray  # the credit has monthly rows in bureau_balance
    orphan_ids: np.ndarray  # SK_ID_BUREAU values that appear only in bureau_balance


def _code(column: str, level: str) -> int:
    return _LEVELS[column].index(level)


def _credits_per_client(rng: np.random.Generator, applicants: Applicants) -> np.ndarray:
    """Credits per client: none for about 14 %, otherwise 1 + a long-tailed count (max 116)."""
    age_std = (-applicants.frame["DAYS_BIRTH"] / 365.25 - 43.0) / 12.0
    n = len(age_std)
    score = 0.4 * age_std + rng.logistic(size=n)
    has_any = np.zeros(n, dtype=bool)
    for split, share in enumerate(BUREAU_COVERAGE):
        rows = applicants.is_test == bool(split)
        has_any[rows] = top_share(score[rows], share)
    extra_mean = (_MEAN_CREDITS - 1.0) * np.exp(0.25 * age_std) / np.exp(0.25 * age_std).mean()
    shape = 1.3
    extra = rng.negative_binomial(shape, shape / (shape + extra_mean))
    return np.where(has_any, np.minimum(1 + extra, 116), 0)


def _timeline(rng: np.random.Generator, delinquency: np.ndarray, history: np.ndarray,
              adult_days: np.ndarray) -> Frame:
    """Type, opening date, status and end dates of each credit."""
    n = len(delinquency)
    counts, tilts = zip(*_TYPES, strict=True)
    credit_type = tilted_choice(rng, counts, tilts, delinquency)
    back = quantile_map(normal_cdf(0.55 * history + 0.835 * rng.standard_normal(n)), _DAYS_BACK)
    days_credit = -np.round(np.minimum(back, adult_days)).astype(np.int64)
    scale = np.ones(len(_LEVELS["CREDIT_TYPE"]))
    for level, factor in _DURATION_SCALE.items():
        scale[_code("CREDIT_TYPE", level)] = factor
    duration = quantile_map(rng.random(n), _DURATION) * scale[credit_type]
    planned_end = days_credit + np.round(duration)
    active = top_share(planned_end / 365.0 + 0.6 * delinquency + rng.logistic(size=n) * 0.5,
                       0.367)
    status = np.where(active, _code("CREDIT_ACTIVE", "Active"), _code("CREDIT_ACTIVE", "Closed"))
    sold = ~active & top_share(delinquency + 0.5 * rng.standard_normal(n), 0.0038 / 0.4)
    status[sold] = _code("CREDIT_ACTIVE", "Sold")
    status[~active & (rng.random(n) < 1.2e-5)] = _code("CREDIT_ACTIVE", "Bad debt")
    repaid = days_credit + np.round(duration * rng.uniform(0.3, 1.0, n))
    ended = np.where(repaid < 0, repaid, np.round(days_credit * rng.uniform(0.0, 1.0, n)))
    ended[rng.random(n) < 0.003] = np.nan  # a few closed credits without an end date
    return {
        "CREDIT_ACTIVE": status.astype(np.int16),
        "CREDIT_TYPE": credit_type,
        "DAYS_CREDIT": days_credit,
        "DAYS_CREDIT_ENDDATE": _planned_end_column(rng, planned_end, credit_type),
        "DAYS_ENDDATE_FACT": np.where(active, np.nan, ended),
    }


def _planned_end_column(rng: np.random.Generator, planned_end: np.ndarray,
                        credit_type: np.ndarray) -> np.ndarray:
    """DAYS_CREDIT_ENDDATE: the planned end, a cluster of far-future dates, a few gaps."""
    n = len(planned_end)
    end = planned_end.astype(float)
    far = rng.random(n) < 0.004
    end[far] = np.round(rng.uniform(30000.0, 31199.0, int(far.sum())))
    end[rng.random(n) < 2e-6] = -42060.0
    card = credit_type == _code("CREDIT_TYPE", "Credit card")
    end[rng.random(n) < np.where(card, 0.15, 0.035)] = np.nan
    return end


def _updates(rng: np.random.Generator, timeline: Frame) -> np.ndarray:
    """DAYS_CREDIT_UPDATE: recent for active credits, near the end date for closed ones."""
    n = len(timeline["DAYS_CREDIT"])
    active = timeline["CREDIT_ACTIVE"] == _code("CREDIT_ACTIVE", "Active")
    recent = -rng.geometric(1 / 20.0, n)
    fact = np.nan_to_num(timeline["DAYS_ENDDATE_FACT"], nan=-400.0)
    after_end = np.minimum(fact + rng.integers(0, 300, n), -1)
    update = np.where(active, np.maximum(recent, timeline["DAYS_CREDIT"]), after_end)
    update = np.where(rng.random(n) < 1e-4, rng.integers(1, 373, n), update)
    update[rng.random(n) < 2e-6] = -41947
    return update.astype(np.int64)


def _amounts(rng: np.random.Generator, timeline: Frame, wealth: np.ndarray) -> Frame:
    """Credit sum, debt and limit: big for mortgages and car loans, cards leave a limit."""
    n = len(wealth)
    credit_type = timeline["CREDIT_TYPE"]
    u = normal_cdf(0.45 * wealth + 0.89 * rng.standard_normal(n))
    big = np.isin(credit_type, [_code("CREDIT_TYPE", "Mortgage"), _code("CREDIT_TYPE", "Car loan")])
    u = np.where(big, 1.0 - (1.0 - u) * 0.4, u)
    u = np.where(credit_type == _code("CREDIT_TYPE", "Microloan"), u * 0.3, u)
    step = rng.choice([45000.0, 22500.0, 4500.0, 0.5], n, p=[0.3, 0.1, 0.2, 0.4])
    raw = quantile_map(u, _SUM)
    total = round_to(raw, step)
    total = np.where((total == 0) & (raw > 0), round_to(raw, 0.5), total)  # small stay small
    total[rng.random(n) < 7.6e-6] = np.nan
    active = timeline["CREDIT_ACTIVE"] == _code("CREDIT_ACTIVE", "Active")
    card = credit_type == _code("CREDIT_TYPE", "Credit card")
    owed = np.where(card, rng.beta(0.6, 1.2, n), rng.uniform(0.05, 1.0, n))
    debt = np.where(active, np.round(total * owed, 1), 0.0)
    debt = np.where(rng.random(n) < 0.001, -np.round(rng.uniform(0, 5e4, n), 1), debt)
    debt[rng.random(n) < 0.15] = np.nan
    with_limit = card & active & (rng.random(n) < 0.55)
    limit = np.where(with_limit, np.round(np.nan_to_num(total - debt), 1), 0.0)
    limit = np.where(rng.random(n) < 0.0005, -np.round(rng.uniform(0, 5e4, n), 1), limit)
    limit[rng.random(n) < 0.345] = np.nan
    return {"AMT_CREDIT_SUM": total, "AMT_CREDIT_SUM_DEBT": debt + 0.0,
            "AMT_CREDIT_SUM_LIMIT": limit + 0.0}


def _overdue(rng: np.random.Generator, timeline: Frame, amounts: Frame,
             delinquency: np.ndarray) -> Frame:
    """Days and amounts overdue now, the worst overdue so far, the reported annuity."""
    n = len(delinquency)
    active = timeline["CREDIT_ACTIVE"] == _code("CREDIT_ACTIVE", "Active")
    late = active & top_share(np.where(active, delinquency + 0.6 * rng.logistic(size=n), -9.0),
                              0.0025)
    days = np.minimum(np.exp(np.log(90.0) + 1.6 * rng.standard_normal(n)), 2792.0)
    days = np.where(rng.random(n) < 0.1, 30.0, np.where(rng.random(n) < 0.04, 60.0, days))
    debt = np.nan_to_num(np.maximum(amounts["AMT_CREDIT_SUM_DEBT"], 0.0))
    overdue_amount = np.where(late, np.round(debt * rng.uniform(0.01, 0.15, n), 1), 0.0)
    recent = timeline["DAYS_CREDIT"] / 500.0 + rng.logistic(size=n)
    reported = top_share(recent, 0.345)
    ever_late = top_share(delinquency + rng.logistic(size=n), 0.205) | late
    worst = np.where(ever_late, np.round(np.exp(np.log(4000.0) + 1.7 * rng.standard_normal(n)),
                                         1), 0.0)
    worst = np.maximum(worst, overdue_amount)
    paying = active | (rng.random(n) < 0.12)  # closed credits sometimes still show one
    annuity = np.where(paying, np.round(amounts["AMT_CREDIT_SUM"] * rng.uniform(0.01, 0.06, n),
                                        1), 0.0)
    return {
        "CREDIT_DAY_OVERDUE": np.where(late, np.round(days), 0).astype(np.int64),
        "AMT_CREDIT_MAX_OVERDUE": np.where(reported, worst, np.nan),
        "AMT_CREDIT_SUM_OVERDUE": overdue_amount,
        "AMT_ANNUITY": np.where(top_share(recent + rng.logistic(size=n), 0.285), annuity, np.nan),
    }


def _ids(rng: np.random.Generator, linked: int, orphans: int) -> tuple[np.ndarray, np.ndarray]:
    """Unique SK_ID_BUREAU values for the credits and for the orphans of bureau_balance."""
    total = linked + orphans
    ids = _ID_BASE + np.sort(rng.choice(max(_ID_SPAN, total), total, replace=False))
    is_orphan = np.zeros(total, dtype=bool)
    is_orphan[rng.choice(total, orphans, replace=False)] = True
    return ids[~is_orphan].astype(np.int64), ids[is_orphan].astype(np.int64)


def draw_bureau(seed: np.random.SeedSequence, applicants: Applicants) -> BureauCredits:
    """Every bureau credit, grouped by client (clients in random order)."""
    rng = np.random.default_rng(seed)
    counts = _credits_per_client(rng, applicants)
    order = rng.permutation(len(counts))
    client = order[expand(counts[order])[0]]
    rows = len(client)
    age = -applicants.frame["DAYS_BIRTH"] / 365.25
    streak = applicants.latents.bureau_delinquency
    history = 0.45 * (age - 43.0) / 12.0 - 0.35 * streak + 0.82 * rng.standard_normal(len(age))
    delinquency = streak[client] + 0.5 * rng.standard_normal(rows)
    timeline = _timeline(rng, delinquency, history[client], (age[client] - 18.0) * 365.0)
    log_income = np.log(applicants.frame["AMT_INCOME_TOTAL"])
    wealth = (log_income - log_income.mean()) / max(log_income.std(), 1e-9)
    amounts = _amounts(rng, timeline, wealth[client])
    reports_monthly = rng.random(len(age)) < 0.5
    has_history = reports_monthly[client] & (rng.random(rows) < 0.9)
    linked_ids, orphan_ids = _ids(rng, rows, round(has_history.sum() * _ORPHAN_SHARE))
    frame: Frame = {
        "SK_ID_CURR": applicants.ids[client],
        "SK_ID_BUREAU": linked_ids,
        "CREDIT_CURRENCY": weighted_choice(rng, (1715020, 1224, 174, 10), rows),
        "DAYS_CREDIT_UPDATE": _updates(rng, timeline),
        "CNT_CREDIT_PROLONG": weighted_choice(rng, _PROLONGATIONS, rows).astype(np.int64),
        **timeline,
        **amounts,
        **_overdue(rng, timeline, amounts, delinquency),
    }
    return BureauCredits(frame, client, has_history, orphan_ids)
