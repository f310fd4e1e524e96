"""Days past due in monthly snapshots: one delinquent episode at most per loan.

A loan's payment-lateness score decides whether it has an episode; an episode starts in a
random month, lasts one to three months (DPD of a few days, then +30 a month) or, for the worst
loans, never heals: the loan is never repaid and DPD keeps growing to the last snapshot.
SK_DPD_DEF (DPD with tolerance) counts only material debts: it equals SK_DPD on most healing
episodes and on a few that never heal, and is 0 elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .draws import weighted_choice

__all__ = ["Episodes", "days_past_due", "draw_episodes"]

_EPISODE_MONTHS = (0.6, 0.25, 0.15)  # an episode that heals lasts 1, 2 or 3 months


@dataclass(frozen=True)
class Episodes:
    """Per loan: first month of the episode (NaN: none), its length, whether it never heals."""

    start: np.ndarray
    length: np.ndarray
    never_heals: np.ndarray
    first_days: np.ndarray
    material: np.ndarray


def draw_episodes(rng: np.random.Generator, first_month: np.ndarray, last_month: np.ndarray,
                  lateness: np.ndarray, chance_at_zero: float, never_heals: float) -> Episodes:
    """One episode or none per loan; the chance grows with lateness (about x2.5 per unit)."""
    loans = len(first_month)
    logit = np.log(chance_at_zero / (1.0 - chance_at_zero)) + 0.9 * lateness
    has_episode = rng.random(loans) < 1.0 / (1.0 + np.exp(-logit))
    span = last_month - first_month + 1.0
    start = np.where(has_episode, first_month + np.floor(rng.random(loans) * span), np.nan)
    severe = has_episode & (rng.random(loans) < never_heals * np.exp(0.5 * np.clip(lateness, -3, 3)))
    length = np.where(severe, np.inf, 1.0 + weighted_choice(rng, _EPISODE_MONTHS, loans))
    first_days = np.where(rng.random(loans) < 0.7, rng.integers(1, 10, loans),
                          rng.integers(10, 31, loans))
    # Tolerance: small debts do not count, and a loan that never heals is mostly a small one.
    material = rng.random(loans) < np.where(severe, 0.05, 0.6)
    return Episodes(start, length, severe, first_days, material)


def days_past_due(episodes: Episodes, loan: np.ndarray,
                  month: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """SK_DPD and SK_DPD_DEF per row; ``loan`` indexes the per-loan episode arrays."""
    elapsed = month - episodes.start[loan]
    late = (elapsed >= 0) & (elapsed < episodes.length[loan])  # NaN start: never late
    dpd = np.where(late, episodes.first_days[loan] + 30.0 * np.nan_to_num(elapsed), 0.0)
    dpd = dpd.astype(np.int64)
    dpd_def = np.where(episodes.material[loan], dpd, 0)
    return dpd, dpd_def
