"""A linear scorer in plain NumPy: what a fitted logistic regression computes, as data.

``credit train --data`` may retain a regularised logistic regression (one-hot categories,
imputed and scaled numbers) instead of LightGBM. Its log-odds are a sum of one term per input
column, so the whole scikit-learn pipeline reduces to numbers that fit in a JSON file:

- a numeric column j adds ``slope[j] * x`` (imputation and scaling folded in), or
  ``missing[j]`` when x is NaN;
- a categorical column (integer codes) adds ``table[j][code]``, or ``missing[j]`` when the
  code is NaN or unknown.

The scorer stands in for the LightGBM booster inside a ``ModelBundle`` (same ``predict`` call
with ``raw_score=True``), so the services, the pyfunc model and the calibration work unchanged,
and no pickle is ever loaded. ``linear.json`` in the bundle directory holds it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["LINEAR_FILE", "LinearScorer"]

LINEAR_FILE = "linear.json"


@dataclass(frozen=True)
class LinearScorer:
    """Log-odds = intercept + one additive term per column (see the module docstring)."""

    intercept: float
    slopes: tuple[float, ...]
    missing: tuple[float, ...]
    #: For categorical columns, the term of each code (index = code); empty for numeric ones.
    tables: tuple[tuple[float, ...], ...]

    def __post_init__(self) -> None:
        if not len(self.slopes) == len(self.missing) == len(self.tables):
            raise ValueError("slopes, missing and tables need one entry per column")

    @property
    def n_features(self) -> int:
        return len(self.slopes)

    def contributions(self, matrix: npt.ArrayLike) -> np.ndarray:
        """The term of each column for each row (rows x columns); their sum + intercept = log-odds."""
        values = np.asarray(matrix, dtype=np.float64)
        if values.ndim == 1:
            values = values.reshape(1, -1)
        if values.shape[1] != self.n_features:
            raise ValueError(f"expected {self.n_features} columns, got shape {values.shape}")
        terms = np.empty_like(values)
        for j in range(self.n_features):
            column = values[:, j]
            table = self.tables[j]
            if table:
                codes = np.where(np.isfinite(column), column, -1.0).astype(np.int64)
                known = (codes >= 0) & (codes < len(table)) & (codes == column)
                lookup = np.asarray(table, dtype=np.float64)
                terms[:, j] = np.where(known, lookup[np.clip(codes, 0, len(table) - 1)],
                                       self.missing[j])
            else:
                terms[:, j] = np.where(np.isnan(column), self.missing[j],
                                       self.slopes[j] * np.nan_to_num(column))
        return terms

    # The booster's call signature, so that ModelBundle.raw_score needs no special case.
    def predict(self, matrix: npt.ArrayLike, raw_score: bool = True, **_: Any) -> np.ndarray:
        """Log-odds (``raw_score=True``, what the bundle asks for) or probabilities."""
        log_odds = self.intercept + self.contributions(matrix).sum(axis=1)
        return log_odds if raw_score else 1.0 / (1.0 + np.exp(-log_odds))

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "linear", "intercept": self.intercept, "slopes": list(self.slopes),
                "missing": list(self.missing), "tables": [list(t) for t in self.tables]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinearScorer:
        return cls(float(data["intercept"]), tuple(map(float, data["slopes"])),
                   tuple(map(float, data["missing"])),
                   tuple(tuple(map(float, t)) for t in data["tables"]))

    def save_model(self, path: str | Path) -> None:
        """Write ``linear.json`` (the name is fixed; ``path`` gives the directory's file)."""
        Path(path).write_text(json.dumps(self.to_dict()))

    @classmethod
    def load(cls, path: str | Path) -> LinearScorer:
        return cls.from_dict(json.loads(Path(path).read_text()))
