"""Exact TreeSHAP of a LightGBM booster, two implementations.

- ``LightGBMTreeShap``: LightGBM's own ``pred_contrib`` (its C++ TreeSHAP, path-dependent).
- ``ShapTreeShap``: shap's C++ TreeSHAP on the booster's dumped trees. ``shap.TreeExplainer``
  given a LightGBM booster simply calls ``pred_contrib``; this one runs shap's own algorithm,
  which makes the agreement test meaningful. shap encodes a categorical split as a bit mask
  where category c is bit c - 1 (so code 0 would be lost) held in an int, so codes are shifted
  by one and a model with a categorical split on a code above 30 is refused.

``make_treeshap("auto", ...)`` times both on single rows when shap can represent the model and
keeps the faster (they agree to 1e-9, see the tests); otherwise LightGBM's, which is exact for
every categorical split.

Both return an (n, features + 1) matrix: the contributions on the booster's raw log-odds
scale, then the base value (the expected raw score), so that each row sums to the raw score.
"""

from __future__ import annotations

import time
import warnings
from typing import Any, Protocol

import numpy as np

__all__ = ["LightGBMTreeShap", "ShapTreeShap", "TreeShap", "make_treeshap"]

#: Below this many rows one thread is faster than waking a pool (as in credit_core.bundle).
_SINGLE_THREAD_ROWS = 512
_MAX_SHAP_CATEGORY = 30


class TreeShap(Protocol):
    name: str

    def __call__(self, matrix: np.ndarray) -> np.ndarray: ...


class LightGBMTreeShap:
    """Contributions by ``booster.predict(matrix, pred_contrib=True)``."""

    name = "lightgbm"

    def __init__(self, booster: Any) -> None:
        self.booster = booster

    def __call__(self, matrix: np.ndarray) -> np.ndarray:
        threads = 1 if matrix.shape[0] < _SINGLE_THREAD_ROWS else 0
        return np.asarray(self.booster.predict(matrix, pred_contrib=True, num_threads=threads))


def _shift_categories(node: dict[str, Any]) -> None:
    """Add one to the category codes of every categorical split under ``node``, in place."""
    stack = [node]
    while stack:
        current = stack.pop()
        if "split_index" not in current:
            continue
        if current.get("decision_type") == "==":
            codes = [int(code) + 1 for code in str(current["threshold"]).split("||")]
            if max(codes) > _MAX_SHAP_CATEGORY + 1:
                raise ValueError(f"shap's TreeSHAP cannot represent a categorical split on "
                                 f"code {max(codes) - 1} (at most {_MAX_SHAP_CATEGORY})")
            current["threshold"] = "||".join(map(str, codes))
        stack.extend((current["left_child"], current["right_child"]))


class ShapTreeShap:
    """Contributions by shap's C++ TreeSHAP (tree-path-dependent, raw output)."""

    name = "shap"

    def __init__(self, booster: Any, categorical_positions: list[int]) -> None:
        with warnings.catch_warnings():  # shap's plotting colours warn about matplotlib at import
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            import shap

        trees = booster.dump_model()["tree_info"]
        for tree in trees:
            _shift_categories(tree["tree_structure"])
        self.explainer = shap.TreeExplainer({"trees": trees})
        self.categorical = np.asarray(categorical_positions, dtype=int)

    def __call__(self, matrix: np.ndarray) -> np.ndarray:
        shifted = np.array(matrix, dtype=np.float64)
        if self.categorical.size:
            shifted[:, self.categorical] += 1.0  # NaN stays NaN: missing goes the default way
        values = np.asarray(self.explainer.shap_values(shifted, check_additivity=False))
        base = float(np.ravel(self.explainer.expected_value)[0])
        return np.column_stack([values.reshape(matrix.shape[0], -1),
                                np.full(matrix.shape[0], base)])


def _median_seconds(implementation: TreeShap, rows: np.ndarray, repeats: int) -> float:
    timings = []
    for index in range(repeats):
        row = rows[index % len(rows)][None, :]
        started = time.perf_counter()
        implementation(row)
        timings.append(time.perf_counter() - started)
    return float(np.median(timings))


def make_treeshap(kind: str, booster: Any, categorical_positions: list[int],
                  rows: np.ndarray | None = None, repeats: int = 40) -> TreeShap:
    """The implementation called ``kind``; ``"auto"``: the faster one on single ``rows``.

    "shap" raises ValueError when shap cannot represent the model; "auto" then takes LightGBM.
    """
    if kind == "lightgbm":
        return LightGBMTreeShap(booster)
    if kind == "shap":
        return ShapTreeShap(booster, categorical_positions)
    lightgbm = LightGBMTreeShap(booster)
    try:
        candidates: list[TreeShap] = [lightgbm, ShapTreeShap(booster, categorical_positions)]
    except ValueError:
        return lightgbm
    if rows is None:
        rows = np.full((1, booster.num_feature()), np.nan)
    for candidate in candidates:
        candidate(rows[:1])  # first-call costs are not what requests see
    return min(candidates, key=lambda candidate: _median_seconds(candidate, rows, repeats))
