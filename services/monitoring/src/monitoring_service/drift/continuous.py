"""Tests on the values' empirical distributions: the normalised Wasserstein distance and the
Kolmogorov-Smirnov test, from the sorted reference merged with the sorted current values.

They mirror ``evidently.legacy.calculations.stattests`` (wasserstein_distance_norm, ks_stattest)
and the SciPy functions they call, without SciPy's sorts and searches over the concatenation.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from monitoring_service.drift.profile import ReferenceColumn, levels_of

__all__ = ["ks", "wasserstein"]

#: scipy.stats.ks_2samp computes the exact p-value when both samples are at most this large.
_KS_EXACT_MAX = 10_000
#: Within this relative distance of the threshold the Wasserstein distance is summed exactly as
#: SciPy sums it (all values, np.vecdot), so that the verdict is Evidently's.
_GUARD = 1e-9


def _merge(reference: np.ndarray, current: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sorted union of two sorted arrays (float64) and a mask of the current's values."""
    ref64 = reference.astype(np.float64)
    positions = np.searchsorted(ref64, current, side="left") + np.arange(current.size)
    is_current = np.zeros(ref64.size + current.size, dtype=bool)
    is_current[positions] = True
    merged = np.empty(is_current.size)
    merged[positions] = current
    merged[~is_current] = ref64
    return merged, is_current


def _cdfs(merged: np.ndarray, is_current: np.ndarray, n: int, m: int
          ) -> tuple[np.ndarray, np.ndarray]:
    """Both empirical CDFs at each merged value but the last (counts of values <= it).

    Where the next merged value is larger, the counts so far are SciPy's ``searchsorted(...,
    'right')``; inside a run of ties they differ, but every use weighs them by a zero gap or
    takes the extremes, which sit at the ends of runs.
    """
    current_counts = np.cumsum(is_current[:-1])
    reference_counts = np.arange(1, merged.size) - current_counts
    return reference_counts / n, current_counts / m


def _scipy_wasserstein(ref: ReferenceColumn, current: np.ndarray) -> float:
    """scipy.stats.wasserstein_distance, bit for bit: the same arrays and reduction."""
    merged, is_current = _merge(ref.values, current.astype(np.float64))
    ref_cdf, cur_cdf = _cdfs(merged, is_current, ref.count, current.size)
    return float(np.vecdot(np.abs(ref_cdf - cur_cdf), np.diff(merged)))


def _fast_wasserstein(ref_values: np.ndarray, ref_counts: np.ndarray | None,
                      cur_values: np.ndarray, cur_counts: np.ndarray | None, n: int,
                      m: int) -> float:
    """The same integral from integer counts over the merged distinct values (ties collapsed
    when counts are given): within ~1e-12 of SciPy's sum, several times faster."""
    merged, is_current = _merge(ref_values, cur_values.astype(np.float64))
    if ref_counts is None or cur_counts is None:
        cur_cum = np.cumsum(is_current[:-1])
        ref_cum = np.arange(1, merged.size) - cur_cum
    else:
        weights = np.zeros(merged.size, dtype=np.int64)
        weights[~is_current] = ref_counts
        ref_cum = np.cumsum(weights[:-1])
        weights[:] = 0
        weights[is_current] = cur_counts
        cur_cum = np.cumsum(weights[:-1])
    gaps = np.abs(ref_cum * m - cur_cum * n).astype(np.float64)  # exact integers
    return float(np.einsum("i,i->", gaps, np.diff(merged))) / (n * m)


def wasserstein(ref: ReferenceColumn, current: np.ndarray, threshold: float) -> float:
    """Wasserstein-1 distance divided by max(std of the reference, 0.001).

    The fast sum's error is below 1e-10 of the distance (a sum of at most a few million
    positive terms); within _GUARD of the threshold SciPy's own sum decides the verdict.
    """
    n, m = ref.count, current.size
    if ref.nunique <= n // 2:  # many ties (amounts, days, counts): merge the distinct values
        distance = _fast_wasserstein(*ref.levels(), *levels_of(current), n, m)
    else:
        distance = _fast_wasserstein(ref.values, None, current, None, n, m)
    norm = max(ref.std, 0.001)
    score = distance / norm
    if abs(score - threshold) <= _GUARD * max(abs(threshold), 1e-300):
        score = _scipy_wasserstein(ref, current) / norm
    return score


def ks(ref: ReferenceColumn, current: np.ndarray, threshold: float) -> float:
    """Two-sided two-sample Kolmogorov-Smirnov p-value (exact or asymptotic, as SciPy picks)."""
    n, m = ref.count, current.size
    if max(n, m) <= _KS_EXACT_MAX:
        return float(stats.ks_2samp(ref.values, current).pvalue)
    merged, is_current = _merge(ref.values, current.astype(np.float64))
    ends = np.r_[merged[1:] != merged[:-1], True]
    ref_cdf = (np.arange(1, merged.size + 1) - np.cumsum(is_current))[ends] / n
    cur_cdf = np.cumsum(is_current)[ends] / m
    differences = ref_cdf - cur_cdf
    below = float(np.clip(-differences.min(), 0, 1))
    above = float(differences.max())
    statistic = below if below > above else above
    larger, smaller = sorted([float(n), float(m)], reverse=True)
    effective = larger * smaller / (larger + smaller)
    return float(np.clip(stats.kstwo.sf(statistic, np.round(effective)), 0, 1))
