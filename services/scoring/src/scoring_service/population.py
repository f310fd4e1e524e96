"""The applicant among the others: distributions, similar clients, scatter, score percentile.

Training clients (those with a known outcome) are the population. Columns are read once and
kept for a few minutes per process (a cache, so several replicas stay correct); the score
percentile uses the out-of-fold probabilities stored with the model version at training.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
from sqlalchemy import Engine

from credit_core.db.cohorts import read_column, read_ids_and_target
from credit_core.db.vectors import read_vectors
from credit_core.schema.features import SIMILARITY_TRAITS, feature
from credit_core.scoring import Scorer

__all__ = ["SIMILARITY_FEATURES", "Population"]

SIMILARITY_FEATURES = tuple(SIMILARITY_TRAITS)
SIMILAR_CLIENTS = 2000
#: Histogram cells with fewer clients than this are answered as 0 (no small group stands out).
MIN_CELL = 10
#: Scatter points move by up to this share of the feature's spread (never a client's values).
JITTER = 0.02
_TTL_SECONDS = 600.0


class Population:
    """Cached training-population columns and score references for one process."""

    def __init__(self, max_columns: int = 48, min_cell: int = MIN_CELL) -> None:
        self._columns: dict[str, tuple[float, np.ndarray]] = {}
        self._base: tuple[float, np.ndarray, np.ndarray] | None = None
        self._scores: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self.max_columns = max_columns
        self.min_cell = min_cell

    def _ids_and_target(self, engine: Engine) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            if self._base and self._base[0] > time.monotonic():
                return self._base[1], self._base[2]
        ids, target = read_ids_and_target(engine, "train")
        with self._lock:
            self._base = (time.monotonic() + _TTL_SECONDS, ids, target)
        return ids, target

    def column(self, engine: Engine, name: str) -> np.ndarray:
        """One feature for every training client, in the order of ``_ids_and_target``."""
        self._ids_and_target(engine)
        with self._lock:
            cached = self._columns.get(name)
            if cached and cached[0] > time.monotonic():
                return cached[1]
        values = read_column(engine, name, "train")
        with self._lock:
            if len(self._columns) >= self.max_columns:
                self._columns.pop(next(iter(self._columns)))
            self._columns[name] = (time.monotonic() + _TTL_SECONDS, values)
        return values

    def similar_mask(self, engine: Engine, applicant: dict[str, float]) -> np.ndarray:
        """The SIMILAR_CLIENTS training clients nearest to the applicant on
        SIMILARITY_FEATURES (standardised; a missing value counts as average)."""
        ids, _ = self._ids_and_target(engine)
        distance = np.zeros(len(ids))
        for name in SIMILARITY_FEATURES:
            values = self.column(engine, name)
            if not np.isfinite(values).any():
                continue  # nothing known about this trait in the population
            if name in ("AMT_INCOME_TOTAL", "AMT_CREDIT"):
                values = np.log1p(np.clip(values, 0, None))
            mean, std = np.nanmean(values), np.nanstd(values) or 1.0
            target_value = applicant.get(name, np.nan)
            if name in ("AMT_INCOME_TOTAL", "AMT_CREDIT") and np.isfinite(target_value):
                target_value = np.log1p(max(target_value, 0.0))
            standard = np.nan_to_num((values - mean) / std)
            wanted = 0.0 if not np.isfinite(target_value) else (target_value - mean) / std
            distance += (standard - wanted) ** 2
        nearest = np.argsort(distance, kind="stable")[:SIMILAR_CLIENTS]
        mask = np.zeros(len(ids), dtype=bool)
        mask[nearest] = True
        return mask

    def distribution(self, engine: Engine, name: str, bins: int,
                     mask: np.ndarray | None) -> dict[str, object]:
        """Histogram of a feature for clients who repaid and who defaulted."""
        _, target = self._ids_and_target(engine)
        values = self.column(engine, name)
        if mask is not None:
            values, target = values[mask], target[mask]
        finite = np.isfinite(values)
        info = feature(name)
        if info.categorical:
            edges = np.arange(len(info.levels) + 1) - 0.5
        elif finite.any():
            low, high = np.nanpercentile(values[finite], [1, 99])
            edges = np.linspace(low, high if high > low else low + 1, bins + 1)
        else:
            edges = np.linspace(0, 1, bins + 1)
        clipped = np.clip(values[finite], edges[0], edges[-1])
        repaid = _suppress(np.histogram(clipped[target[finite] == 0], edges)[0], self.min_cell)
        defaulted = _suppress(np.histogram(clipped[target[finite] == 1], edges)[0],
                              self.min_cell)
        missing = int((~finite).sum())
        return {"edges": edges.tolist(), "repaid": repaid.tolist(),
                "defaulted": defaulted.tolist(), "levels": list(info.levels),
                "missing": missing if missing >= self.min_cell else 0, "min_cell": self.min_cell}

    def scatter(self, engine: Engine, scorer: Scorer, x: str, y: str, n: int
                ) -> list[dict[str, float | int | None]]:
        """A new random sample of training clients per call: two features, jittered, with
        the outcome and the score, in no particular order and without identifiers, so that
        no point can be joined back to a client."""
        ids, target = self._ids_and_target(engine)
        rng = np.random.default_rng()
        chosen = rng.choice(len(ids), min(n, len(ids)), replace=False)
        with engine.connect() as connection:
            vectors = read_vectors(connection, ids[chosen].tolist())
        probabilities = scorer.probabilities(vectors)
        xs = _jitter(self.column(engine, x), chosen, rng)
        ys = _jitter(self.column(engine, y), chosen, rng)
        return [
            {"x": None if not np.isfinite(a) else float(a),
             "y": None if not np.isfinite(b) else float(b),
             "target": int(t), "probability": float(p)}
            for a, b, t, p in zip(xs, ys, target[chosen], probabilities, strict=True)
        ]

    def reference_scores(self, engine: Engine, scorer: Scorer) -> tuple[np.ndarray, str]:
        """Sorted probabilities of the population for percentiles, and what they are."""
        version = scorer.version
        with self._lock:
            if version in self._scores:
                return self._scores[version], _DESCRIPTIONS[self._source(scorer)]
        scores = _stored_predictions(scorer.model.directory)
        if scores is None:
            ids, _ = self._ids_and_target(engine)
            sample = np.random.default_rng(0).choice(ids, min(20_000, len(ids)), replace=False)
            with engine.connect() as connection:
                scores = scorer.probabilities(read_vectors(connection, sample.tolist()))
        scores = np.sort(scores[np.isfinite(scores)])
        with self._lock:
            self._scores[version] = scores
        return scores, _DESCRIPTIONS[self._source(scorer)]

    @staticmethod
    def _source(scorer: Scorer) -> str:
        return "stored" if _reference_file(scorer.model.directory) else "rescored"


def _suppress(counts: np.ndarray, min_cell: int) -> np.ndarray:
    """Cells under ``min_cell`` clients as 0."""
    return np.where(counts < min_cell, 0, counts)


def _jitter(column: np.ndarray, chosen: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The chosen clients' values, each moved by a random share (up to JITTER) of the spread."""
    finite = column[np.isfinite(column)]
    spread = float(np.ptp(finite)) if finite.size else 0.0
    values = column[chosen]
    noise = rng.uniform(-JITTER, JITTER, size=values.shape) * (spread or 1.0)
    # Never exactly the client's value (a zero draw would leave it).
    noise[noise == 0] = JITTER * (spread or 1.0) / 2
    return values + noise


_DESCRIPTIONS = {
    "stored": "training clients (out-of-fold probabilities computed at training)",
    "rescored": "a sample of training clients scored by the current model",
}


def _reference_file(directory: Path) -> Path | None:
    found = sorted(directory.rglob("reference.parquet"))
    return found[0] if found else None


def _stored_predictions(directory: Path) -> np.ndarray | None:
    path = _reference_file(directory)
    if path is None:
        return None
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["__prediction__"])
    return np.asarray(table.column(0).to_numpy(zero_copy_only=False), dtype=np.float64)
