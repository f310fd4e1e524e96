"""A fitted logistic-regression pipeline as a ``credit_core.linear.LinearScorer``.

The pipeline (``families._logistic_regression``) transforms each input column on its own
(imputation, scaling, one-hot) before one linear model, so its log-odds are additive over the
input columns. Each column's term is read off by probing the fitted pipeline with rows that
differ from a reference row in that column only; the scorer then reproduces
``decision_function`` to rounding (checked on the training rows before it is used).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from credit_core.linear import LinearScorer

__all__ = ["export_linear"]

#: Largest disagreement with ``decision_function`` tolerated on the training rows (log-odds).
_TOLERANCE = 1e-6


def _column_terms(decision: Any, reference: np.ndarray, column: int,
                  probes: np.ndarray) -> np.ndarray:
    rows = np.repeat(reference[None, :], len(probes), axis=0)
    rows[:, column] = probes
    return np.asarray(decision(rows), dtype=np.float64)


def export_linear(pipeline: Any, matrix: np.ndarray, categorical_levels: dict[int, int]
                  ) -> LinearScorer:
    """The scorer of a fitted pipeline; ``categorical_levels`` maps a position to its level count.

    ``matrix`` (training rows) is used to check the export, never to fit anything.
    """
    n_features = matrix.shape[1]
    reference = np.zeros(n_features)
    decision = pipeline.decision_function
    base = float(decision(reference[None, :])[0])
    slopes, missing, tables = [], [], []
    for j in range(n_features):
        levels = categorical_levels.get(j)
        if levels is None:
            at_zero, at_one, at_nan = _column_terms(decision, reference, j,
                                                    np.array([0.0, 1.0, np.nan]))
            slopes.append(at_one - at_zero)
            missing.append(at_nan - at_zero)
            tables.append(())
        else:
            codes = np.append(np.arange(levels, dtype=np.float64), np.nan)
            terms = _column_terms(decision, reference, j, codes) - base
            slopes.append(0.0)
            missing.append(float(terms[-1]))
            tables.append(tuple(terms[:-1].tolist()))
    # Every term is relative to the reference row (0, or code 0), whose log-odds is ``base``.
    scorer = LinearScorer(base, tuple(slopes), tuple(missing), tuple(tables))
    error = np.max(np.abs(scorer.predict(matrix) - decision(matrix)), initial=0.0)
    if error > _TOLERANCE:
        raise ValueError(f"the linear export differs from the pipeline by {error:.2e}; "
                         "a transformation is not per-column")
    return scorer
