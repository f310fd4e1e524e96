"""The figures every model run carries: ROC, cost against threshold, confusion, calibration,
feature importance. Matplotlib with the Agg backend (no display), one PNG per figure."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import roc_curve

from credit_core.cost import business_cost, cost_curve

__all__ = ["PLOT_FILES", "write_plots"]

PLOT_FILES = (
    "roc_curve.png",
    "cost_curve.png",
    "confusion_matrix.png",
    "calibration_curve.png",
    "feature_importance.png",
)


def _save(figure: plt.Figure, path: Path, left: float = 0.17) -> Path:
    # Fixed margins: tight_layout costs more than drawing the figure, and there are dozens.
    figure.subplots_adjust(left=left, right=0.96, bottom=0.14, top=0.9)
    figure.savefig(path, dpi=80)
    plt.close(figure)
    return path


def _roc(y_true: np.ndarray, probability: np.ndarray, title: str, path: Path) -> Path:
    false_positive_rate, true_positive_rate, _ = roc_curve(y_true, probability)
    figure, axes = plt.subplots(figsize=(4.5, 4.5))
    axes.plot(false_positive_rate, true_positive_rate, label="model")
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="coin")
    axes.set(xlabel="false positive rate", ylabel="true positive rate", title=f"ROC - {title}")
    axes.legend(loc="lower right")
    return _save(figure, path)


def _cost(y_true: np.ndarray, probability: np.ndarray, threshold: float, path: Path) -> Path:
    thresholds, costs = cost_curve(y_true, probability)
    figure, axes = plt.subplots(figsize=(6, 4))
    axes.plot(thresholds, costs / len(y_true))
    axes.axvline(threshold, color="red", linestyle="--", label=f"threshold {threshold:.3f}")
    axes.set(xlabel="threshold", ylabel="cost per client (10 FN + 1 FP)", xlim=(0, 1))
    axes.legend()
    return _save(figure, path)


def _confusion(y_true: np.ndarray, probability: np.ndarray, threshold: float, path: Path) -> Path:
    counts = business_cost(y_true, probability, threshold)
    table = np.array(
        [[counts.true_negatives, counts.false_positives],
         [counts.false_negatives, counts.true_positives]]
    )
    figure, axes = plt.subplots(figsize=(4.5, 4))
    axes.imshow(table, cmap="Blues")
    for (row, column), value in np.ndenumerate(table):
        shade = "white" if value > table.max() / 2 else "black"
        axes.text(column, row, f"{value:,}", ha="center", va="center", color=shade)
    axes.set_xticks([0, 1], ["approved", "refused"])
    axes.set_yticks([0, 1], ["repaid", "defaulted"])
    axes.set(title=f"confusion at {threshold:.3f}")
    return _save(figure, path)


def _calibration(y_true: np.ndarray, probability: np.ndarray, path: Path) -> Path:
    observed, predicted = calibration_curve(y_true, probability, n_bins=10, strategy="quantile")
    figure, axes = plt.subplots(figsize=(4.5, 4.5))
    axes.plot(predicted, observed, marker="o", label="model")
    top = max(float(predicted.max()), float(observed.max()), 0.05)
    axes.plot([0, top], [0, top], linestyle="--", color="grey", label="perfect")
    axes.set(xlabel="predicted probability", ylabel="observed default rate")
    axes.legend()
    return _save(figure, path)


def _importance(importance: dict[str, float], path: Path, top: int = 20) -> Path:
    ranked = sorted(importance.items(), key=lambda item: item[1], reverse=True)[:top]
    figure, axes = plt.subplots(figsize=(6, 0.3 * len(ranked) + 1))
    axes.barh([name for name, _ in ranked][::-1], [value for _, value in ranked][::-1])
    axes.set(xlabel="importance", title=f"top {len(ranked)} features")
    return _save(figure, path, left=0.42)


def write_plots(
    directory: Path,
    y_true: np.ndarray,
    probability: np.ndarray,
    threshold: float,
    title: str,
    importance: dict[str, float] | None = None,
) -> list[Path]:
    """Write the figures into ``directory``; the importance one only when it is known."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = [
        _roc(y_true, probability, title, directory / PLOT_FILES[0]),
        _cost(y_true, probability, threshold, directory / PLOT_FILES[1]),
        _confusion(y_true, probability, threshold, directory / PLOT_FILES[2]),
        _calibration(y_true, probability, directory / PLOT_FILES[3]),
    ]
    if importance:
        paths.append(_importance(importance, directory / PLOT_FILES[4]))
    return paths
