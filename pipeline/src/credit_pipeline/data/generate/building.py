"""The 47 building columns: one "building info present" latent decides which are missing.

A single latent ranks applicants by how much is known about their building; each measure is
present for the top share given by its documented missing rate, so the masks are nested, and
the _AVG/_MODE/_MEDI variants of a measure share one mask and nearly the same values.
"""

from __future__ import annotations

import numpy as np

from .draws import Frame, correlated_normal, normal_cdf, quantile_map, round_to, weighted_choice
from .risk import Latents

__all__ = ["draw_building"]

# measure: (missing share, share of zeros among present, p5, q25, q50, q75, p95, grid step or 0)
_MEASURES: dict[str, tuple[float, ...]] = {
    "APARTMENTS": (0.507, 0.005, 0.021, 0.0577, 0.0876, 0.1485, 0.28, 0),
    "BASEMENTAREA": (0.585, 0.116, 0.0, 0.0442, 0.0763, 0.1122, 0.2, 0),
    "YEARS_BEGINEXPLUATATION": (0.488, 0.003, 0.9732, 0.9767, 0.9816, 0.9866, 0.9935, 0),
    "YEARS_BUILD": (0.665, 0.001, 0.5, 0.6872, 0.7552, 0.8232, 0.92, 0),
    "COMMONAREA": (0.699, 0.091, 0.0, 0.0078, 0.0211, 0.0515, 0.13, 0),
    "ELEVATORS": (0.533, 0.5, 0.0, 0.0, 0.0, 0.12, 0.24, 0.04),
    "ENTRANCES": (0.503, 0.002, 0.0345, 0.069, 0.1379, 0.2069, 0.3448, 1 / 29),
    "FLOORSMAX": (0.498, 0.019, 0.0833, 0.1667, 0.1667, 0.3333, 0.5, 1 / 24),
    "FLOORSMIN": (0.678, 0.023, 0.0417, 0.0833, 0.2083, 0.375, 0.6, 1 / 24),
    "LANDAREA": (0.594, 0.125, 0.0, 0.0187, 0.0481, 0.0856, 0.2, 0),
    "LIVINGAPARTMENTS": (0.684, 0.004, 0.02, 0.0504, 0.0756, 0.121, 0.25, 0),
    "LIVINGAREA": (0.502, 0.002, 0.015, 0.0453, 0.0745, 0.1299, 0.27, 0),
    "NONLIVINGAPARTMENTS": (0.694, 0.5, 0.0, 0.0, 0.0, 0.0039, 0.04, 0),
    "NONLIVINGAREA": (0.552, 0.35, 0.0, 0.0, 0.0036, 0.0277, 0.1, 0),
    "TOTALAREA": (0.483, 0.004, 0.012, 0.0412, 0.0688, 0.1276, 0.27, 0),
}
# Categorical _MODE columns: (missing share, level counts in schema order).
_CATEGORIES: dict[str, tuple[float, tuple[int, ...]]] = {
    "FONDKAPREMONT_MODE": (0.684, (73830, 12080, 5687, 5619)),
    "HOUSETYPE_MODE": (0.502, (150503, 1499, 1212)),
    "WALLSMATERIAL_MODE": (0.508, (66040, 64815, 9253, 5362, 2296, 1779, 1625)),
    "EMERGENCYSTATE_MODE": (0.474, (159428, 2328)),
}
_HEIGHT_MEASURES = ("ELEVATORS", "ENTRANCES", "FLOORSMAX", "FLOORSMIN")


def _values(measure: str, size_score: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The _AVG values of one measure, present or not (the caller applies the mask)."""
    _, zeros, *quantiles, step = _MEASURES[measure]
    u = normal_cdf(correlated_normal(rng, size_score, 0.6))
    knots = [(0.0, 0.0), (zeros, 0.0)]
    if zeros < 0.01:  # a thin tail between zero and the 5th percentile
        knots.append((0.01, 0.9 * quantiles[0]))
    percentiles = zip((0.05, 0.25, 0.5, 0.75, 0.95), quantiles, strict=True)
    knots += [(p, v) for p, v in percentiles if p > zeros]
    knots += [(0.995, max(min(2 * quantiles[-1], 0.9), quantiles[-1])), (1.0, 1.0)]
    values = quantile_map(u, knots)
    return np.round(round_to(values, step) if step else values, 4)


def _variant(rng: np.random.Generator, average: np.ndarray, measure: str,
             spread: float) -> np.ndarray:
    """A _MODE or _MEDI column: the average nudged a little (grid measures move to a neighbour)."""
    step = _MEASURES[measure][-1]
    n = len(average)
    if step:
        shift = np.where(rng.random(n) < 0.1, rng.choice([-step, step], n), 0.0)
        return np.round(np.clip(average + shift, 0.0, 1.0), 4)
    nudged = average + spread * rng.standard_normal(n) * (average > 0)
    return np.round(np.clip(nudged, 0.0, 1.0), 4)


def draw_building(rng: np.random.Generator, latents: Latents) -> Frame:
    """All 47 building columns, safer applicants slightly more often in documented buildings."""
    n = len(latents.creditworthiness)
    known = normal_cdf(correlated_normal(rng, latents.creditworthiness, 0.15))
    size_score = correlated_normal(rng, latents.creditworthiness, 0.2)
    height_score = correlated_normal(rng, size_score, 0.5)
    frame: Frame = {}
    for measure, (missing, *_rest) in _MEASURES.items():
        score = height_score if measure in _HEIGHT_MEASURES else size_score
        average = np.where(known > missing, _values(measure, score, rng), np.nan)
        if measure == "TOTALAREA":
            frame["TOTALAREA_MODE"] = _variant(rng, average, measure, 0.004)
            continue
        frame[f"{measure}_AVG"] = average
        frame[f"{measure}_MODE"] = _variant(rng, average, measure, 0.006)
        frame[f"{measure}_MEDI"] = _variant(rng, average, measure, 0.002)
    for column, (missing, counts) in _CATEGORIES.items():
        codes = weighted_choice(rng, counts, n)
        frame[column] = np.where(known > missing, codes, -1).astype(np.int16)
    return frame
