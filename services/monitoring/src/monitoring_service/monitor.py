"""A model version ready to monitor: its bundle, its reference profile and importance.

The profile is read from the ``.npz`` cached beside the downloaded version, or built from
``artifacts/reference/reference.parquet`` (one column at a time) and cached. A version without
a reference cannot be monitored.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from credit_core.bundle import ModelBundle, locate_bundle
from credit_core.model_source import LoadedModel, ModelLoadError
from credit_core.serving.holder import ServedVersion
from monitoring_service.drift.options import Kind
from monitoring_service.drift.profile import PREDICTION as PREDICTION_COLUMN
from monitoring_service.drift.profile import PROFILE_FORMAT, DriftProfile, build_profile

__all__ = ["Monitor", "describe_monitor", "load_monitor"]

logger = logging.getLogger("credit.monitoring.model")
REFERENCE_FILE = "reference.parquet"
IMPORTANCE_FILE = "importance.json"


@dataclass(frozen=True)
class Monitor(ServedVersion):
    """A model version ready to monitor: bundle, reference profile, global importance."""

    model: LoadedModel
    profile: DriftProfile
    reference_path: Path
    importance: dict[str, float] | None  # share of the total mean |SHAP|, by feature

    def reference_approval_rate(self) -> float | None:
        """Share of the reference approved at the version's threshold (probability below it)."""
        scores = self.profile.prediction
        if scores is None or scores.count == 0:
            return None
        return float(np.searchsorted(scores.values, self.bundle.threshold, side="left")
                     / scores.count)


def _find(directory: Path, name: str, preferred: Path) -> Path | None:
    if preferred.is_file():
        return preferred
    found = sorted(directory.rglob(name))
    return found[0] if found else None


def _importance(bundle_dir: Path, features: list[str]) -> dict[str, float] | None:
    path = bundle_dir / IMPORTANCE_FILE
    if not path.is_file():
        return None
    raw = json.loads(path.read_text())
    values = {name: abs(float(raw.get(name, 0.0))) for name in features}
    total = sum(values.values())
    return {name: value / total for name, value in values.items()} if total > 0 else None


class _ParquetColumns(Mapping[str, np.ndarray]):
    """The columns of a parquet file, read one at a time: the full-size reference is never
    in memory at once while its profile is built."""

    def __init__(self, path: Path) -> None:
        import pyarrow.parquet as pq

        self._file = pq.ParquetFile(path)
        self._names = list(self._file.schema_arrow.names)

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._names:
            raise KeyError(name)
        column = self._file.read(columns=[name]).column(0)
        return np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.float32)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _build(bundle: ModelBundle, reference_path: Path, version: str) -> DriftProfile:
    columns = _ParquetColumns(reference_path)
    missing = [name for name in bundle.features if name not in columns]
    if missing:
        raise ModelLoadError(f"the reference of version {version} lacks {missing[:5]}")
    if PREDICTION_COLUMN in columns:
        prediction = columns[PREDICTION_COLUMN]
    else:  # in-sample, less faithful than the out-of-fold scores training stores
        matrix = np.column_stack([columns[name] for name in bundle.features])
        prediction = bundle.predict_proba(matrix.astype(np.float64))
    categorical = set(bundle.categorical_features)
    kinds: dict[str, Kind] = {name: "cat" if name in categorical else "num"
                              for name in bundle.features}
    return build_profile(columns, kinds, prediction, {"version": version})


def load_monitor(model: LoadedModel) -> Monitor:
    """The monitor of a loaded version (ModelLoadError when it has no usable reference)."""
    directory = model.directory
    reference_path = _find(directory, REFERENCE_FILE,
                           directory / "artifacts" / "reference" / REFERENCE_FILE)
    if reference_path is None:
        raise ModelLoadError(f"version {model.version} has no drift reference ({REFERENCE_FILE})")
    cached = directory / f"monitoring-profile-v{PROFILE_FORMAT}.npz"
    try:
        profile = DriftProfile.load(cached) if cached.is_file() else None
    except (OSError, ValueError) as error:
        logger.warning("rebuilding an unreadable profile: %s", error)
        profile = None
    if profile is None or list(profile.columns) != model.bundle.features:
        try:
            profile = _build(model.bundle, reference_path, model.version)
        except ModelLoadError:
            raise
        except Exception as error:
            raise ModelLoadError(f"cannot profile the reference of version {model.version}: "
                                 f"{type(error).__name__}: {error}") from error
        profile.save(cached)
    importance = _importance(locate_bundle(directory), model.bundle.features)
    return Monitor(model, profile, reference_path, importance)


def describe_monitor(monitor: Monitor | None) -> dict[str, Any]:
    """What /readyz and a reload tell of the monitored version: it and its reference size."""
    return {"model": monitor.model.describe() if monitor else None,
            "reference_rows": monitor.profile.rows if monitor else None}
