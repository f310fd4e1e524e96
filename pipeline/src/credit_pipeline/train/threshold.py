"""Phase 4a: the decision threshold, chosen on out-of-fold predictions only.

The threshold minimises ``10 x FN + 1 x FP`` (``credit_core.cost``) over the calibrated
out-of-fold probabilities of the training split. This function never receives holdout rows:
the holdout exists only in ``holdout.py``, which takes the threshold as given.
"""

from __future__ import annotations

import numpy as np

from credit_core.cost import optimal_threshold

__all__ = ["choose_threshold"]


def choose_threshold(oof_target: np.ndarray, oof_probability: np.ndarray) -> float:
    """The cost-optimal threshold of the out-of-fold probabilities."""
    if len(oof_target) != len(oof_probability):
        raise ValueError("one out-of-fold probability per training row is needed")
    if np.isnan(oof_probability).any():
        raise ValueError("out-of-fold probabilities are incomplete (NaN)")
    return optimal_threshold(oof_target, oof_probability)
