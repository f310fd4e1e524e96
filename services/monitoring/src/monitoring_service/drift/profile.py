"""The reference profile: what the drift tests need from the reference, computed once per model
version and cached beside the model (an ``.npz``), so that a run never passes over the reference.

Per column: the non-missing values sorted (float32, as the reference parquet stores them), the
row count, and the standard deviation exactly as Evidently computes it (``np.std`` on the pandas
column in its original order, which normalises the Wasserstein distance). Levels and counts are
derived from the sorted values on demand. Infinite values count as missing, as in Evidently.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from monitoring_service.drift.options import Kind

__all__ = ["PREDICTION", "PROFILE_FORMAT", "DriftProfile", "ReferenceColumn", "build_profile", "clean_sorted"]

PROFILE_FORMAT = 1
#: The name of the probability column, in the reference parquet and in Evidently's report.
PREDICTION = "__prediction__"
#: Levels of columns with at most this many distinct values (or half their values) stay cached.
_CACHED_LEVELS = 1024


def clean_sorted(values: Any) -> np.ndarray:
    """Non-missing, finite values as sorted float32 (the representation of both sides)."""
    array = np.asarray(values, dtype=np.float32)
    return np.sort(array[np.isfinite(array)])


def levels_of(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values and their counts, from sorted values, in one pass."""
    if sorted_values.size == 0:
        return sorted_values[:0], np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    counts = np.diff(np.r_[starts, sorted_values.size])
    return sorted_values[starts], counts


class ReferenceColumn:
    """One column of the reference: sorted values, Evidently's std, levels on demand."""

    def __init__(self, name: str, kind: Kind, values: np.ndarray, std: float) -> None:
        self.name = name
        self.kind = kind
        self.values = values
        self.std = std

    @property
    def count(self) -> int:
        return int(self.values.size)

    @cached_property
    def nunique(self) -> int:
        """Distinct non-missing values."""
        if self.values.size == 0:
            return 0
        return int(np.count_nonzero(self.values[1:] != self.values[:-1])) + 1

    def levels(self) -> tuple[np.ndarray, np.ndarray]:
        """(distinct values, counts); kept for columns with many ties."""
        cached = self.__dict__.get("_levels")
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        result = levels_of(self.values)
        if result[0].size <= max(_CACHED_LEVELS, self.count // 2):
            self.__dict__["_levels"] = result
        return result


@dataclass
class DriftProfile:
    """The reference of one model version, ready for the tests."""

    columns: dict[str, ReferenceColumn]
    rows: int
    prediction: ReferenceColumn | None = None  # the reference's probabilities of default
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def kinds(self) -> dict[str, Kind]:
        return {name: column.kind for name, column in self.columns.items()}

    def save(self, path: Path) -> Path:
        """Write the profile as one uncompressed ``.npz``, atomically."""
        names = list(self.columns)
        arrays = [self.columns[name].values for name in names]
        offsets = np.r_[0, np.cumsum([a.size for a in arrays])].astype(np.int64)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            np.savez(
                handle,
                values=np.concatenate(arrays) if arrays else np.zeros(0, np.float32),
                offsets=offsets,
                stds=np.array([self.columns[n].std for n in names], dtype=np.float64),
                prediction=self.prediction.values if self.prediction is not None
                else np.zeros(0, np.float32),
                header=np.array(json.dumps({
                    "format": PROFILE_FORMAT, "names": names, "rows": self.rows,
                    "kinds": [self.columns[n].kind for n in names],
                    "prediction_std": None if self.prediction is None else self.prediction.std,
                    "meta": self.meta,
                })),
            )
        temporary.replace(path)
        return path

    @classmethod
    def load(cls, path: Path) -> DriftProfile:
        """Read a saved profile (ValueError if its format is not this code's)."""
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(str(data["header"]))
            if header.get("format") != PROFILE_FORMAT:
                raise ValueError(f"profile format {header.get('format')} != {PROFILE_FORMAT}")
            values, offsets, stds = data["values"], data["offsets"], data["stds"]
            prediction = None
            if header["prediction_std"] is not None:
                prediction = ReferenceColumn(PREDICTION, "num", data["prediction"],
                                             float(header["prediction_std"]))
        columns = {
            name: ReferenceColumn(name, kind, values[offsets[i]:offsets[i + 1]], float(stds[i]))
            for i, (name, kind) in enumerate(zip(header["names"], header["kinds"], strict=True))
        }
        return cls(columns, int(header["rows"]), prediction, header.get("meta", {}))


def _evidently_std(column: pd.Series) -> float:
    """``np.std`` of the cleaned column in its original order: Evidently's normaliser."""
    cleaned = column.replace([-np.inf, np.inf], np.nan).dropna()
    return float(np.std(cleaned)) if len(cleaned) else 0.0


def build_profile(reference: Mapping[str, Any], kinds: Mapping[str, Kind],
                  prediction: Sequence[float] | np.ndarray | None = None,
                  meta: Mapping[str, Any] | None = None) -> DriftProfile:
    """The profile of ``reference`` (a frame, or any mapping of column name to values, read one
    column at a time) for the columns in ``kinds``; values are taken as float32, as stored."""
    columns, rows = {}, 0
    for name, kind in kinds.items():
        series = pd.Series(np.asarray(reference[name], dtype=np.float32))
        rows = len(series)
        columns[name] = ReferenceColumn(name, kind, clean_sorted(series.to_numpy()),
                                        _evidently_std(series))
    scores = None
    if prediction is not None:
        series = pd.Series(np.asarray(prediction, dtype=np.float32))
        scores = ReferenceColumn(PREDICTION, "num", clean_sorted(series), _evidently_std(series))
    return DriftProfile(columns, rows, scores, dict(meta or {}))
