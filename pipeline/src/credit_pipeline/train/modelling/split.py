"""The holdout split, stratified subsamples and cross-validation folds, all seeded.

The holdout is chosen from the client ids, not from row positions: within each class, the
``share`` of ids with the smallest seeded hash. The same data (in any row order) therefore
always gives the same holdout, so a new model and the current champion are compared on the
same clients, and the holdout is touched only at the very end of a training run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

__all__ = ["HoldoutSplit", "holdout_split", "stratified_folds", "stratified_subsample"]


@dataclass(frozen=True)
class HoldoutSplit:
    """Row positions of the training split and of the untouched holdout."""

    train_rows: np.ndarray
    holdout_rows: np.ndarray
    fingerprint: str


def _id_hash(ids: np.ndarray, seed: int) -> np.ndarray:
    # SipHash of the ids' text with a seeded key: pandas hashes numbers without the key, and
    # text makes 100001 and "100001" (an id read from CSV or from the database) the same client.
    key = f"{seed:016d}"[-16:]
    text = np.asarray(ids).astype(str).astype(object)
    return pd.util.hash_array(text, hash_key=key, categorize=False)


def holdout_split(ids: np.ndarray, target: np.ndarray, share: float, seed: int) -> HoldoutSplit:
    """Split off a stratified holdout that depends only on the ids, the target and the seed."""
    if not 0 < share < 1:
        raise ValueError(f"holdout share must be between 0 and 1, not {share}")
    if len(np.unique(ids)) != len(ids):
        raise ValueError("client ids must be unique to define a holdout")
    hashes = _id_hash(ids, seed)
    holdout = np.zeros(len(ids), dtype=bool)
    for label in (0, 1):
        members = np.flatnonzero(target == label)
        take = max(1, round(share * len(members)))
        holdout[members[np.argsort(hashes[members], kind="stable")[:take]]] = True
    holdout_rows = np.flatnonzero(holdout)
    order = np.argsort(hashes[holdout_rows], kind="stable")
    digest = hashlib.sha256()
    digest.update(np.asarray(ids)[holdout_rows][order].astype(str).astype("S").tobytes())
    digest.update(np.asarray(target)[holdout_rows][order].astype(np.int8).tobytes())
    return HoldoutSplit(np.flatnonzero(~holdout), holdout_rows, digest.hexdigest())


def stratified_subsample(target: np.ndarray, rows: int, seed: int) -> np.ndarray:
    """Positions of a stratified random subsample of at most ``rows`` rows (sorted)."""
    if rows >= len(target):
        return np.arange(len(target))
    rng = np.random.default_rng(seed)
    chosen = []
    for label in (0, 1):
        members = np.flatnonzero(target == label)
        take = max(2, round(rows * len(members) / len(target)))
        chosen.append(rng.choice(members, size=min(take, len(members)), replace=False))
    return np.sort(np.concatenate(chosen))


def stratified_folds(
    target: np.ndarray, folds: int, seed: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Seeded stratified K-fold (fit rows, validation rows) pairs."""
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(target)), target))
