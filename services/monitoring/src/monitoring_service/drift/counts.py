"""Tests on counts: Jensen-Shannon distance, PSI, chi-square and z-test, on the shares of each
value (categories, few-valued numbers) or of Sturges bins (numbers with more than 20 values).

They mirror ``evidently.legacy.calculations.stattests`` (get_binned_data and the tests on it):
the same bins, the same treatment of values seen on one side only and of zero shares.
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from scipy.spatial import distance

from monitoring_service.drift.profile import ReferenceColumn, levels_of

__all__ = ["binned_shares", "chisquare", "jensenshannon", "psi", "z"]


def _aligned_counts(ref: ReferenceColumn, current: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Counts of every value seen on either side (sorted keys), reference then current."""
    ref_levels, ref_counts = ref.levels()
    cur_levels, cur_counts = levels_of(current)
    keys = np.union1d(ref_levels, cur_levels)
    ref_aligned = np.zeros(keys.size, dtype=np.int64)
    cur_aligned = np.zeros(keys.size, dtype=np.int64)
    ref_aligned[np.searchsorted(keys, ref_levels)] = ref_counts
    cur_aligned[np.searchsorted(keys, cur_levels)] = cur_counts
    return ref_aligned, cur_aligned


def _histogram(sorted_values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """np.histogram's counts for explicit edges (last bin closed), from sorted values."""
    cumulative = np.r_[np.searchsorted(sorted_values, edges[:-1], side="left"),
                       np.searchsorted(sorted_values, edges[-1:], side="right")]
    return np.diff(cumulative)


def _sturges_edges(ref: ReferenceColumn, current: np.ndarray) -> np.ndarray:
    """np.histogram_bin_edges(concat(ref, cur), "sturges"): it only needs size, min and max."""
    low = min(ref.values[0], current[0])
    high = max(ref.values[-1], current[-1])
    stand_in = np.full(ref.count + current.size, low, dtype=np.float32)
    stand_in[-1] = high
    return np.histogram_bin_edges(stand_in, bins="sturges")


def _fill_zeroes(shares: np.ndarray) -> None:
    smallest = shares[shares != 0].min()
    np.place(shares, shares == 0, smallest / 10**6 if smallest <= 0.0001 else 0.0001)


def binned_shares(ref: ReferenceColumn, current: np.ndarray, fill_zeroes: bool
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Evidently's ``get_binned_data``: Sturges bins over both sides for numerical columns with
    more than 20 reference values, else the share of each value seen on either side."""
    if ref.kind == "num" and ref.nunique > 20:
        edges = _sturges_edges(ref, current)
        ref_shares = _histogram(ref.values, edges) / ref.count
        cur_shares = _histogram(current, edges) / current.size
    else:
        ref_counts, cur_counts = _aligned_counts(ref, current)
        ref_shares, cur_shares = ref_counts / ref.count, cur_counts / current.size
    if fill_zeroes:
        _fill_zeroes(ref_shares)
        _fill_zeroes(cur_shares)
    return ref_shares, cur_shares


def jensenshannon(ref: ReferenceColumn, current: np.ndarray, threshold: float) -> float:
    """Jensen-Shannon distance (natural log) between the binned shares."""
    ref_shares, cur_shares = binned_shares(ref, current, fill_zeroes=False)
    return float(distance.jensenshannon(ref_shares, cur_shares, None))


def psi(ref: ReferenceColumn, current: np.ndarray, threshold: float) -> float:
    """Population stability index between the binned shares (zero shares filled)."""
    ref_shares, cur_shares = binned_shares(ref, current, fill_zeroes=True)
    return float(np.sum((ref_shares - cur_shares) * np.log(ref_shares / cur_shares)))


def chisquare(ref: ReferenceColumn, current: np.ndarray, threshold: float) -> float:
    """Chi-square p-value of the current counts against the reference's, scaled."""
    ref_counts, cur_counts = _aligned_counts(ref, current)
    expected = ref_counts * (current.size / ref.count)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(stats.chisquare(cur_counts, expected)[1])


def z(ref: ReferenceColumn, current: np.ndarray, threshold: float) -> float:
    """Two-sided z-test of the share of values other than the smallest one."""
    ref_levels, ref_counts = ref.levels()
    cur_levels, cur_counts = levels_of(current)
    if ref_levels.size == 1 and cur_levels.size == 1 and ref_levels[0] == cur_levels[0]:
        return 1.0
    first = np.union1d(ref_levels, cur_levels)[0]
    n, m = ref.count, current.size
    p1 = float(n - int(ref_counts[ref_levels == first].sum())) / n
    p2 = float(m - int(cur_counts[cur_levels == first].sum())) / m
    pooled = float(p1 * n + p2 * m) / (n + m)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1.0 / n + 1.0 / m))
    return float(2 * (1 - stats.norm.cdf(np.abs(statistic))))
