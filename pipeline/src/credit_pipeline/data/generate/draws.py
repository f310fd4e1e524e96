"""Vectorised sampling helpers shared by the table builders.

Every builder works on whole columns at once: categorical columns are integer codes into the
schema's levels (-1 = missing), numeric columns are float64 (NaN = missing) or int64 arrays.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "Frame",
    "by_split",
    "correlated_normal",
    "expand",
    "normal_cdf",
    "quantile_map",
    "rank_uniform",
    "round_to",
    "tilted_choice",
    "top_share",
    "weighted_choice",
]

#: A table under construction: column name -> array (codes for categorical columns).
Frame = dict[str, np.ndarray]


def normal_cdf(x: np.ndarray) -> np.ndarray:
    """Standard normal CDF (Abramowitz-Stegun 7.1.26, error below 1.5e-7), kept free of scipy."""
    z = np.abs(x) / np.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                + t * 1.061405429))))
    erf = 1.0 - poly * np.exp(-z * z)
    return 0.5 * (1.0 + np.sign(x) * erf)


def correlated_normal(rng: np.random.Generator, base: np.ndarray, rho: float) -> np.ndarray:
    """Standard normal draws whose correlation with the standard normal ``base`` is ``rho``."""
    return rho * base + np.sqrt(1.0 - rho * rho) * rng.standard_normal(len(base))


def quantile_map(u: np.ndarray, knots: Sequence[tuple[float, float]]) -> np.ndarray:
    """Map uniforms through a piecewise-linear quantile function given as (probability, value)."""
    probs, values = zip(*knots, strict=True)
    return np.interp(u, probs, values)


def round_to(values: np.ndarray, step: float | np.ndarray) -> np.ndarray:
    """Round to a multiple of ``step`` (a scalar or one step per value)."""
    return np.round(values / step) * step


def weighted_choice(
    rng: np.random.Generator, weights: Sequence[float] | np.ndarray, size: int
) -> np.ndarray:
    """Codes 0..k-1 drawn with probabilities proportional to ``weights`` (int16)."""
    probs = np.asarray(weights, dtype=float)
    cumulative = np.cumsum(probs / probs.sum())
    cumulative[-1] = 1.0
    return np.searchsorted(cumulative, rng.random(size), side="right").astype(np.int16)


def tilted_choice(
    rng: np.random.Generator,
    weights: Sequence[float] | np.ndarray,
    tilts: Sequence[float] | np.ndarray,
    score: np.ndarray,
) -> np.ndarray:
    """Codes drawn with P(level) proportional to weight * exp(tilt * score), row by row.

    This is how a latent (age, creditworthiness) shifts a categorical column while the level
    shares stay close to the documented ones: ``exp(-tilt**2 / 2)`` offsets the average lift of
    a standard normal score.
    """
    weights = np.asarray(weights, dtype=float)
    tilts = np.asarray(tilts, dtype=float)
    scaled = weights * np.exp(-0.5 * tilts**2)
    unnormalised = scaled[None, :] * np.exp(np.outer(score, tilts))
    cumulative = np.cumsum(unnormalised, axis=1)
    threshold = rng.random(len(score)) * cumulative[:, -1]
    codes = (cumulative < threshold[:, None]).sum(axis=1)
    return np.minimum(codes, len(weights) - 1).astype(np.int16)


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows for parents with ``counts`` children: (parent index, position 0..count-1) per row."""
    counts = np.asarray(counts, dtype=np.int64)
    parent = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    position = np.arange(len(parent)) - np.repeat(starts, counts)
    return parent, position


def top_share(score: np.ndarray, share: float) -> np.ndarray:
    """True for the ``share`` of rows with the highest score: exact shares, ranked by a latent."""
    if len(score) == 0 or share <= 0:
        return np.zeros(len(score), dtype=bool)
    return score > np.quantile(score, 1.0 - share)


def rank_uniform(score: np.ndarray) -> np.ndarray:
    """Uniforms in (0, 1) in the order of ``score``: any score gets an exact marginal this way."""
    ranks = np.empty(len(score))
    ranks[np.argsort(score, kind="stable")] = np.arange(len(score))
    return (ranks + 0.5) / max(len(score), 1)


def by_split(is_test: np.ndarray, train_and_test: tuple[float, float]) -> np.ndarray:
    """Per-row parameter: the first value for train rows, the second for test rows."""
    return np.where(is_test, train_and_test[1], train_and_test[0])
