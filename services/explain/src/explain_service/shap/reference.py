"""What a model version stores beside its booster: the reference sample and global importance.

A downloaded version directory holds ``artifacts/bundle/importance.json`` ({feature: mean
|SHAP|} computed at training) and ``artifacts/reference/reference.parquet`` (training features
and "__prediction__", the out-of-fold probability of default). Either may be absent (an older
or a hand-registered version): callers then say so instead of inventing numbers.

Percentiles compare an applicant with the approved clients of the reference: the rows whose
out-of-fold probability is below the version's threshold. Their values are sorted once per
version, column by column, so that a percentile is two binary searches.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from credit_core.bundle import locate_bundle

__all__ = ["PREDICTION_COLUMN", "ApprovedReference", "Comparison", "load_importance", "load_reference"]

logger = logging.getLogger("credit.explain.reference")

PREDICTION_COLUMN = "__prediction__"
_REFERENCE_FILE = "reference.parquet"
_IMPORTANCE_FILE = "importance.json"


@dataclass(frozen=True)
class Comparison:
    """Where a value falls among approved clients, as percentages (0-100)."""

    below: float
    equal: float

    @property
    def above(self) -> float:
        return max(0.0, 100.0 - self.below - self.equal)

    @property
    def percentile(self) -> float:
        """Mid-rank percentile: the share below plus half the share equal."""
        return self.below + self.equal / 2


@dataclass(frozen=True)
class ApprovedReference:
    """Sorted non-missing values of each model feature among approved reference clients."""

    columns: tuple[np.ndarray | None, ...]  # float32, sorted; None when the column is absent
    rows: int

    def compare(self, position: int, value: float) -> Comparison | None:
        """How ``value`` of the model's feature at ``position`` compares; None if unknown."""
        column = self.columns[position]
        if column is None or column.size == 0 or np.isnan(value):
            return None
        probe = np.float32(value)  # the reference is float32: compare on its grid
        below = int(np.searchsorted(column, probe, side="left"))
        at_or_below = int(np.searchsorted(column, probe, side="right"))
        return Comparison(100.0 * below / column.size,
                          100.0 * (at_or_below - below) / column.size)


def _reference_file(directory: Path) -> Path | None:
    expected = directory / "artifacts" / "reference" / _REFERENCE_FILE
    if expected.is_file():
        return expected
    found = sorted(directory.rglob(_REFERENCE_FILE))
    return found[0] if found else None


def load_reference(directory: Path, features: Sequence[str], threshold: float,
                   max_rows: int, seed: int = 0) -> ApprovedReference | None:
    """The approved clients of the version's reference sample, or None if it stores none."""
    path = _reference_file(directory)
    if path is None:
        return None
    import pyarrow.parquet as parquet

    available = set(parquet.read_schema(path).names)
    if PREDICTION_COLUMN not in available:
        logger.warning("reference %s has no %s column; percentiles omitted", path,
                       PREDICTION_COLUMN)
        return None
    wanted = [name for name in features if name in available]
    table = parquet.read_table(path, columns=[*wanted, PREDICTION_COLUMN])
    prediction = table.column(PREDICTION_COLUMN).to_numpy()
    approved = np.flatnonzero(prediction < threshold)
    if approved.size > max_rows:
        approved = np.sort(np.random.default_rng(seed).choice(approved, max_rows, False))
    columns: list[np.ndarray | None] = []
    for name in features:
        if name not in available:
            columns.append(None)
            continue
        values = table.column(name).to_numpy(zero_copy_only=False)[approved]
        values = values.astype(np.float32, copy=False)
        columns.append(np.sort(values[~np.isnan(values)]))
    return ApprovedReference(tuple(columns), int(approved.size))


def load_importance(directory: Path) -> dict[str, float] | None:
    """The importance stored with the version ({feature: mean |SHAP|}), or None."""
    try:
        path = locate_bundle(directory) / _IMPORTANCE_FILE
    except FileNotFoundError:
        return None
    if not path.is_file():
        return None
    stored = json.loads(path.read_text())
    return {str(name): float(value) for name, value in stored.items()}
