"""A data drift comparison: every column of the profile against a current batch.

Why our own engine: Evidently's DataDriftPreset re-reads, cleans, sorts and concatenates the
whole reference for every column of every run (and computes correlation matrices and plots):
about 50 s and 2 GB for 300,000 x 120 against 50,000 x 120 rows on the development machine.
With the reference sorted once in the profile, a run sorts the current columns, merges and
counts: about 1 s and a few hundred MB for the full-size reference (bench/bench_monitoring.py
prints both timings). The verdicts are Evidently's: same automatic choice of test, same
thresholds, same binning, same share rule (tests/test_agreement.py runs both side by side).
Evidently still renders the HTML report, in the background.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from monitoring_service.drift.options import METHODS, DriftOptions
from monitoring_service.drift.profile import DriftProfile, ReferenceColumn, clean_sorted
from monitoring_service.drift.stattests import SCORERS, default_method

__all__ = ["ColumnDrift", "DriftReport", "column_verdict", "compare"]


@dataclass(frozen=True)
class ColumnDrift:
    """The verdict on one column."""

    column: str
    kind: str  # "num" or "cat"
    method: str
    score: float
    threshold: float
    drifted: bool
    reference_rows: int
    current_rows: int

    @property
    def method_name(self) -> str:
        return METHODS[self.method].display_name


@dataclass
class DriftReport:
    """Every tested column, the columns that could not be tested, and the share rule."""

    columns: list[ColumnDrift]
    skipped: dict[str, str]
    drift_share_threshold: float
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def drifted_columns(self) -> int:
        return sum(column.drifted for column in self.columns)

    @property
    def drift_share(self) -> float:
        return self.drifted_columns / len(self.columns) if self.columns else 0.0

    @property
    def dataset_drift(self) -> bool:
        return bool(self.columns) and self.drift_share >= self.drift_share_threshold

    @property
    def tested(self) -> list[str]:
        return [column.column for column in self.columns]


def column_verdict(ref: ReferenceColumn, current: np.ndarray, options: DriftOptions) -> ColumnDrift:
    """One column's verdict; ``current`` holds its non-missing values sorted (float32)."""
    method = options.configured_method(ref.name, ref.kind) or default_method(
        ref, current, ref.kind)
    threshold = options.threshold_for(ref.name, ref.kind, method)
    score = SCORERS[method](ref, current, threshold)
    return ColumnDrift(ref.name, ref.kind, method, score, threshold,
                       METHODS[method].drifted(score, threshold), ref.count, int(current.size))


def _current_columns(current: pd.DataFrame | Mapping[str, np.ndarray],
                     names: list[str]) -> dict[str, np.ndarray]:
    return {name: clean_sorted(current[name]) for name in names}


def compare(profile: DriftProfile, current: pd.DataFrame | Mapping[str, np.ndarray],
            options: DriftOptions | None = None, threads: int | None = None) -> DriftReport:
    """Test every profile column present in ``current`` (``options.check`` first).

    Columns without values on either side cannot be tested (Evidently refuses them): they are
    listed in ``skipped`` with the reason and left out of the share.
    """
    options = options or DriftOptions()
    names = list(profile.columns)
    columns = _current_columns(current, names)
    skipped: dict[str, str] = {}
    testable = []
    for name in names:
        if profile.columns[name].count == 0:
            skipped[name] = "no values in the reference"
        elif columns[name].size == 0:
            skipped[name] = "no values in the current data"
        else:
            testable.append(name)
    workers = threads or min(4, os.cpu_count() or 1)

    def run(name: str) -> ColumnDrift:
        return column_verdict(profile.columns[name], columns[name], options)

    if workers > 1 and len(testable) > 1:
        # NumPy releases the GIL in sorts, searches and reductions: columns run side by side.
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(run, testable))
    else:
        results = [run(name) for name in testable]
    return DriftReport(results, skipped, options.drift_share, options.model_dump())
