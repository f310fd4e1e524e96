"""Prometheus figures of the latest drift run, read from ``drift_runs`` at scrape time (cached
briefly), so that every replica reports the same latest run whichever one computed it."""

from __future__ import annotations

import functools
import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge
from sqlalchemy import Engine

from monitoring_service.store import fetch_latest

__all__ = ["DriftGauges"]

logger = logging.getLogger("credit.monitoring.gauges")


class DriftGauges:
    """drift_share, drifted_columns, dataset_drift (1/0) and the latest run's time."""

    def __init__(self, registry: CollectorRegistry, engine: Callable[[], Engine],
                 ttl_seconds: float = 10.0) -> None:
        self.engine = engine
        self.ttl = ttl_seconds
        self._latest: dict[str, Any] | None = None
        self._read_at = -math.inf
        self._lock = threading.Lock()
        figures = {
            "drift_share": ("Share of drifted columns in the latest drift run", "drift_share"),
            "drifted_columns": ("Drifted columns in the latest drift run", "drifted_columns"),
            "dataset_drift": ("1 when the latest drift run found data set drift",
                              "dataset_drift"),
            "drift_latest_run_timestamp_seconds": ("When the latest drift run was stored",
                                                   "timestamp"),
        }
        for name, (documentation, key) in figures.items():
            gauge = Gauge(name, documentation, registry=registry)
            gauge.set_function(functools.partial(self._value, key))
        self.runs = Counter("drift_runs_total", "Drift runs stored by this process",
                            ["source", "trigger"], registry=registry)
        self.skipped_ticks = Counter("drift_schedule_skipped_total",
                                     "Scheduled runs skipped (previous one still running)",
                                     registry=registry)

    def _read(self) -> dict[str, Any] | None:
        now = time.monotonic()
        with self._lock:
            if now - self._read_at < self.ttl:
                return self._latest
            self._read_at = now
        try:
            row = fetch_latest(self.engine())
        except Exception as error:  # database down: keep the last figures
            logger.warning("cannot read the latest drift run: %s", type(error).__name__)
            return self._latest
        with self._lock:
            self._latest = row
        return row

    def forget(self) -> None:
        """Read the database at the next scrape (after this process stored a run)."""
        with self._lock:
            self._read_at = -math.inf

    def _value(self, key: str) -> float:
        row = self._read()
        if row is None:
            return math.nan
        if key == "timestamp":
            return float(row["created_at"].timestamp())
        value = (row.get("result") or {}).get(key) if key == "drifted_columns" else row.get(key)
        return math.nan if value is None else float(value)
