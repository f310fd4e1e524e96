"""The latent risk behind every applicant, the true probability of default and the outcome.

Each applicant has a creditworthiness and three behaviour latents (payment lateness, bureau
delinquency, refusal propensity) correlated with it. The external scores are noisy views of
source-specific scores built on the creditworthiness; the satellite tables show the behaviour
latents through late instalments, overdue bureau credits and refused applications. The true
log-odds combine these latents with the documented application effects, so a model sees part of
the risk, the satellites add a little, and the oracle (DEFAULT_PROBABILITY) knows it all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from credit_core.schema.application import CATEGORICAL_LEVELS

from .draws import Frame, correlated_normal

__all__ = [
    "TARGET_RATE",
    "Latents",
    "calibrate_intercept",
    "draw_latents",
    "draw_outcomes",
    "log_odds_without_intercept",
]

#: Share of defaults in application_train (24,825 of 307,511).
TARGET_RATE = 0.080729

# How strongly each behaviour latent follows (the opposite of) creditworthiness.
_BEHAVIOUR_LINK = 0.45
# Log-odds per unit of each external source's score: the third source is the strongest, as in
# the real data (r = -0.155, -0.160, -0.179 with TARGET).
_SOURCE_WEIGHTS = np.array([0.34, 0.36, 0.41])


@dataclass(frozen=True)
class Latents:
    """Per-applicant latent variables (standard normal unless said otherwise)."""

    creditworthiness: np.ndarray  # higher is safer
    source_scores: np.ndarray  # (n, 3): what EXT_SOURCE_1..3 measure, higher is safer
    payment_lateness: np.ndarray  # late and short payments in instalments, POS and cards
    bureau_delinquency: np.ndarray  # overdue bureau credits and DPD statuses
    refusal_propensity: np.ndarray  # refused previous applications
    hidden_risk: np.ndarray  # seen only by the oracle


def draw_latents(rng: np.random.Generator, age_years: np.ndarray) -> Latents:
    """Draw the latents; the first external score leans on age as the real EXT_SOURCE_1 does."""
    n = len(age_years)
    creditworthiness = rng.standard_normal(n)
    age_std = (age_years - 43.0) / 12.0
    # (weight on creditworthiness, weight on age): gives inter-source correlations of 0.1-0.25.
    loadings = ((0.40, 0.35), (0.45, 0.10), (0.40, 0.20))
    scores = np.empty((n, 3))
    for k, (on_worth, on_age) in enumerate(loadings):
        rest = np.sqrt(1.0 - on_worth**2 - on_age**2)
        scores[:, k] = on_worth * creditworthiness + on_age * age_std + rest * rng.standard_normal(n)
    worse = -creditworthiness
    return Latents(
        creditworthiness=creditworthiness,
        source_scores=scores,
        payment_lateness=correlated_normal(rng, worse, _BEHAVIOUR_LINK),
        bureau_delinquency=correlated_normal(rng, worse, _BEHAVIOUR_LINK),
        refusal_propensity=correlated_normal(rng, worse, _BEHAVIOUR_LINK),
        hidden_risk=rng.standard_normal(n),
    )


def _level_effects(codes: np.ndarray, column: str, effects: dict[str, float]) -> np.ndarray:
    """Log-odds shift per row for the levels of ``column`` named in ``effects``."""
    table = np.zeros(len(CATEGORICAL_LEVELS[column]) + 1)  # last slot: missing (code -1)
    for level, effect in effects.items():
        table[CATEGORICAL_LEVELS[column].index(level)] = effect
    return table[codes]


_EDUCATION = {"Higher education": -0.18, "Lower secondary": 0.05, "Academic degree": -0.8,
              "Incomplete higher": 0.05}
_OCCUPATION = {"Laborers": 0.16, "Low-skill Laborers": 0.5, "Drivers": 0.22,
               "Waiters/barmen staff": 0.2, "Security staff": 0.18, "Cooking staff": 0.14,
               "Cleaning staff": 0.1, "Accountants": -0.3, "Managers": -0.12,
               "High skill tech staff": -0.12, "Core staff": -0.08, "Medicine staff": -0.05}
_ORGANISATION = {"Self-employed": 0.15, "Transport: type 3": 0.55, "Construction": 0.3,
                 "Restaurant": 0.3, "Agriculture": 0.2, "Realtor": 0.3, "Cleaning": 0.25,
                 "Industry: type 1": 0.3, "Industry: type 3": 0.2, "Military": -0.3,
                 "Police": -0.35, "Bank": -0.4, "University": -0.4, "Security Ministries": -0.35,
                 "Trade: type 4": -0.6, "Industry: type 12": -0.6, "Transport: type 1": -0.3}
_HOUSING = {"With parents": 0.12, "Rented apartment": 0.22, "Office apartment": -0.1}
_FAMILY = {"Civil marriage": 0.1, "Single / not married": 0.05, "Widow": -0.05}


def _application_effects(app: Frame) -> np.ndarray:
    """Log-odds from the application fields (documented directions, moderate sizes)."""
    age = -app["DAYS_BIRTH"] / 365.25
    employed_years = np.where(app["DAYS_EMPLOYED"] > 0, 0.0, -app["DAYS_EMPLOYED"] / 365.25)
    not_employed = app["DAYS_EMPLOYED"] > 0
    payment_rate = np.nan_to_num(app["AMT_ANNUITY"] / app["AMT_CREDIT"], nan=0.05)
    burden = np.nan_to_num(app["AMT_ANNUITY"] / app["AMT_INCOME_TOTAL"], nan=0.15)
    goods = np.where(np.isnan(app["AMT_GOODS_PRICE"]), app["AMT_CREDIT"], app["AMT_GOODS_PRICE"])
    markup = app["AMT_CREDIT"] / goods
    return (
        -0.007 * (age - 43.0)
        - 0.04 * np.maximum(age - 60.0, 0.0)  # the oldest default least (3.7 % at 65-70)
        + 0.40 * (app["CODE_GENDER"] == 1)
        + np.where(not_employed, 0.15, -0.15 * (np.log1p(employed_years) - 1.6))
        + 0.45 * (app["REGION_RATING_CLIENT_W_CITY"] - 2)
        + _level_effects(app["NAME_EDUCATION_TYPE"], "NAME_EDUCATION_TYPE", _EDUCATION)
        + _level_effects(app["OCCUPATION_TYPE"], "OCCUPATION_TYPE", _OCCUPATION)
        + _level_effects(app["NAME_HOUSING_TYPE"], "NAME_HOUSING_TYPE", _HOUSING)
        + _level_effects(app["ORGANIZATION_TYPE"], "ORGANIZATION_TYPE", _ORGANISATION)
        + _level_effects(app["NAME_FAMILY_STATUS"], "NAME_FAMILY_STATUS", _FAMILY)
        - 0.30 * (app["NAME_CONTRACT_TYPE"] == 1)
        - 10.0 * np.clip(payment_rate - 0.05, -0.03, 0.05)
        + 1.2 * np.clip(burden - 0.16, -0.15, 0.5)
        + 2.5 * np.clip(markup - 1.12, -0.15, 0.4)
    )


def log_odds_without_intercept(app: Frame, latents: Latents) -> np.ndarray:
    """True log-odds of default up to the intercept: latents first, then application effects."""
    return (
        - latents.source_scores @ _SOURCE_WEIGHTS
        + 0.38 * latents.payment_lateness
        + 0.38 * latents.bureau_delinquency
        + 0.38 * latents.refusal_propensity
        + 0.20 * latents.hidden_risk
        + _application_effects(app)
    )


def calibrate_intercept(log_odds: np.ndarray, target_rate: float = TARGET_RATE) -> float:
    """Intercept (by bisection) that makes the mean probability over ``log_odds`` equal the rate."""
    low, high = -20.0, 20.0
    for _ in range(60):
        middle = 0.5 * (low + high)
        if np.mean(1.0 / (1.0 + np.exp(-(log_odds + middle)))) > target_rate:
            high = middle
        else:
            low = middle
    return 0.5 * (low + high)


def draw_outcomes(rng: np.random.Generator, probability: np.ndarray) -> np.ndarray:
    """0/1 outcomes with P(outcome = 1) equal to each probability, by systematic sampling.

    Applicants are visited in random order and an outcome is 1 where the running sum of the
    probabilities crosses an integer plus a uniform offset. Each applicant still defaults with
    exactly its own probability, while the number of defaults equals the expected number to
    within one, so the TARGET rate holds at any size.
    """
    order = rng.permutation(len(probability))
    crossings = np.floor(np.cumsum(probability[order]) + rng.random())
    hits = np.diff(crossings, prepend=0.0)  # the offset is below 1: nothing crossed before
    outcome = np.empty(len(probability), dtype=np.int64)
    outcome[order] = hits.astype(np.int64)
    return outcome
