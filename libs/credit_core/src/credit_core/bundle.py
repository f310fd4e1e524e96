"""The model bundle: everything a service needs to score, in one directory, without pandas.

Layout of a bundle directory (written by training, attached to each registered model version
under ``artifacts/bundle``)::

    bundle.json        features, categorical features, category levels, threshold, metrics
    model.txt          the LightGBM booster (text format), or
    linear.json        a logistic regression as a ``credit_core.linear.LinearScorer``
                       (``credit train --data`` may retain one; exactly one of the two exists)
    calibration.json   {"method": "none"} | {"method": "platt", "a", "b"}
                       | {"method": "isotonic", "x": [...], "y": [...]} (on the raw score)

``predict_proba`` works on a NumPy matrix in feature order: the booster's raw score (log-odds),
then the calibration in NumPy. LightGBM is imported lazily so that importing credit_core stays
light.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

__all__ = ["BUNDLE_FILE", "Calibration", "ModelBundle", "locate_bundle"]

BUNDLE_FILE = "bundle.json"
_MODEL_FILE = "model.txt"
_CALIBRATION_FILE = "calibration.json"
#: Below this many rows one thread is faster than waking a pool.
_SINGLE_THREAD_ROWS = 512

CalibrationMethod = Literal["none", "platt", "isotonic"]


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-values))


@dataclass(frozen=True)
class Calibration:
    """Maps the booster's raw score (log-odds) to a probability that means what it says."""

    method: CalibrationMethod = "none"
    platt_a: float = 1.0
    platt_b: float = 0.0
    isotonic_x: tuple[float, ...] = ()
    isotonic_y: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        # Arrays once, not a tuple conversion on every request.
        object.__setattr__(self, "_x", np.asarray(self.isotonic_x, dtype=np.float64))
        object.__setattr__(self, "_y", np.asarray(self.isotonic_y, dtype=np.float64))

    def apply(self, raw_score: np.ndarray) -> np.ndarray:
        """Probabilities of default for raw scores."""
        raw_score = np.asarray(raw_score, dtype=np.float64)
        if self.method == "platt":
            return _sigmoid(self.platt_a * raw_score + self.platt_b)
        if self.method == "isotonic":
            # np.interp clips outside the fitted range, as IsotonicRegression(out_of_bounds="clip").
            return np.interp(raw_score, self._x, self._y)  # type: ignore[attr-defined]
        return _sigmoid(raw_score)

    def to_dict(self) -> dict[str, Any]:
        if self.method == "platt":
            return {"method": "platt", "a": self.platt_a, "b": self.platt_b}
        if self.method == "isotonic":
            return {"method": "isotonic", "x": list(self.isotonic_x), "y": list(self.isotonic_y)}
        return {"method": "none"}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Calibration:
        method = data.get("method", "none")
        if method == "platt":
            return cls("platt", platt_a=float(data["a"]), platt_b=float(data["b"]))
        if method == "isotonic":
            return cls(
                "isotonic",
                isotonic_x=tuple(float(v) for v in data["x"]),
                isotonic_y=tuple(float(v) for v in data["y"]),
            )
        if method != "none":
            raise ValueError(f"unknown calibration method {method!r}")
        return cls()


@dataclass
class ModelBundle:
    """A LightGBM booster with its calibration, feature order, threshold and metrics."""

    booster: Any
    features: list[str]
    categorical_features: list[str]
    threshold: float
    calibration: Calibration = field(default_factory=Calibration)
    category_levels: dict[str, list[str]] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._level_codes = {
            name: {level: float(code) for code, level in enumerate(levels)}
            for name, levels in self.category_levels.items()
        }

    @classmethod
    def load(cls, path: str | Path) -> ModelBundle:
        """Read a bundle directory (or a downloaded model directory that contains one)."""
        directory = locate_bundle(path)
        manifest = json.loads((directory / BUNDLE_FILE).read_text())
        calibration = json.loads((directory / _CALIBRATION_FILE).read_text())
        return cls(
            booster=_load_scorer(directory),
            features=list(manifest["features"]),
            categorical_features=list(manifest["categorical_features"]),
            threshold=float(manifest["threshold"]),
            calibration=Calibration.from_dict(calibration),
            category_levels={k: list(v) for k, v in manifest.get("category_levels", {}).items()},
            metrics={k: float(v) for k, v in manifest.get("metrics", {}).items()},
            metadata=dict(manifest.get("metadata", {})),
        )

    def save(self, path: str | Path) -> Path:
        """Write the bundle directory; returns it."""
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        from credit_core.linear import LINEAR_FILE, LinearScorer

        linear = isinstance(self.booster, LinearScorer)
        self.booster.save_model(str(directory / (LINEAR_FILE if linear else _MODEL_FILE)))
        (directory / _CALIBRATION_FILE).write_text(json.dumps(self.calibration.to_dict()))
        manifest = {
            "format_version": 1,
            "features": self.features,
            "categorical_features": self.categorical_features,
            "category_levels": self.category_levels,
            "threshold": self.threshold,
            "metrics": self.metrics,
            "metadata": self.metadata,
        }
        (directory / BUNDLE_FILE).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        return directory

    def _matrix(self, matrix: npt.ArrayLike) -> np.ndarray:
        values = np.asarray(matrix, dtype=np.float64)
        if values.ndim == 1:
            values = values.reshape(1, -1)
        if values.ndim != 2 or values.shape[1] != len(self.features):
            raise ValueError(
                f"expected a matrix of {len(self.features)} feature columns, got shape "
                f"{values.shape}"
            )
        return values

    def raw_score(self, matrix: npt.ArrayLike) -> np.ndarray:
        """The booster's log-odds for each row of a matrix in ``features`` order (NaN = missing)."""
        values = self._matrix(matrix)
        threads = 1 if values.shape[0] < _SINGLE_THREAD_ROWS else 0
        return np.asarray(self.booster.predict(values, raw_score=True, num_threads=threads))

    def predict_proba(self, matrix: npt.ArrayLike) -> np.ndarray:
        """Calibrated probabilities of default, one per row."""
        return self.calibration.apply(self.raw_score(matrix))

    def decide(self, probability_of_default: npt.ArrayLike) -> np.ndarray:
        """True where the application is refused at the bundle's threshold."""
        from credit_core.cost import decide

        return decide(probability_of_default, self.threshold)

    def encode_record(self, record: Mapping[str, Any]) -> np.ndarray:
        """One row in feature order from raw values; string levels become their codes.

        Missing keys, None and unknown levels become NaN, which the booster treats as missing.
        """
        row = np.full(len(self.features), np.nan)
        for position, name in enumerate(self.features):
            value = record.get(name)
            if value is None:
                continue
            codes = self._level_codes.get(name)
            if codes is not None and isinstance(value, str):
                row[position] = codes.get(value, np.nan)
            else:
                try:
                    row[position] = float(value)
                except (TypeError, ValueError):
                    raise ValueError(f"feature {name!r}: {value!r} is not a number") from None
        return row


def _load_scorer(directory: Path) -> Any:
    """The LightGBM booster, or the linear scorer when the bundle holds one."""
    from credit_core.linear import LINEAR_FILE, LinearScorer

    if (directory / LINEAR_FILE).is_file():
        return LinearScorer.load(directory / LINEAR_FILE)
    import lightgbm

    return lightgbm.Booster(model_file=str(directory / _MODEL_FILE))


def locate_bundle(path: str | Path) -> Path:
    """The bundle directory itself, or the one inside a downloaded MLflow model directory."""
    root = Path(path)
    if (root / BUNDLE_FILE).is_file():
        return root
    for candidate in (root / "artifacts" / "bundle", root / "bundle"):
        if (candidate / BUNDLE_FILE).is_file():
            return candidate
    found = sorted(root.rglob(BUNDLE_FILE))
    if not found:
        raise FileNotFoundError(f"no {BUNDLE_FILE} under {root}")
    return found[0].parent
