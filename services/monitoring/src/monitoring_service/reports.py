"""Evidently's HTML report of each run, rendered in the background without blocking the API.

One worker thread takes the runs in turn (at most MAX_WAITING waiting) and renders each in a
child process (``monitoring_service.report_worker``): Evidently holds the GIL and up to a few
GB for minutes at full size, which must not slow the API down or stay in its memory. The run's status
goes pending -> done (report_path set) or failed (error set). A run left pending by a process
that stopped is reported as failed once ``timeout`` has passed.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from monitoring_service.drift.engine import DriftReport
from monitoring_service.drift.profile import PREDICTION
from monitoring_service.evidently_run import as_drift_frame
from monitoring_service.monitor import Monitor
from monitoring_service.sources import CurrentData
from monitoring_service.store import set_report

__all__ = ["ReportRenderer", "is_stale"]

logger = logging.getLogger("credit.monitoring.reports")
#: Reports queued behind the one rendering; a run beyond that gets no report (and says so).
MAX_WAITING = 3


def is_stale(run: dict[str, Any], timeout: float) -> bool:
    """A pending run older than ``timeout`` seconds: its renderer is gone."""
    age = datetime.now(UTC) - run["created_at"]
    return run["status"] == "pending" and age > timedelta(seconds=timeout)


class ReportRenderer:
    """Queues report jobs; renders them one at a time in a child process."""

    def __init__(self, engine: Callable[[], Engine], folder: Path, timeout: float,
                 reference_rows: int = 0) -> None:
        self.engine = engine
        self.folder = folder
        self.timeout = timeout
        self.reference_rows = reference_rows
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report")
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._waiting = 0

    def submit(self, run_id: int, monitor: Monitor, current: CurrentData,
               report: DriftReport) -> None:
        """Queue the report of a stored run (its status is already "pending")."""
        columns = report.tested
        job = {
            "reference": str(monitor.reference_path), "columns": columns,
            "kinds": {c: monitor.profile.columns[c].kind for c in columns},
            "options": report.options, "prediction": monitor.profile.prediction is not None,
            "output": str(self.folder / f"run-{run_id}.html"),
            "reference_rows": self.reference_rows,
            "current": str(self.folder / f".run-{run_id}.current.parquet"),
        }
        with self._lock:
            waiting = self._waiting
            if waiting < MAX_WAITING:
                self._waiting += 1
        if waiting >= MAX_WAITING:  # each waiting job holds its rows in memory
            set_report(self.engine(), run_id, "failed",
                       error=f"not rendered: {waiting} reports were already waiting")
            return
        frame = as_drift_frame(current.frame, columns)
        frame[PREDICTION] = current.probabilities.astype("float32")
        self._pool.submit(self._render, run_id, job, frame)

    def _render(self, run_id: int, job: dict[str, Any], frame: pd.DataFrame) -> None:
        with self._lock:
            self._waiting -= 1
        current_path = Path(job["current"])
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            frame.to_parquet(current_path)
            error = self._run_worker(job)
        except Exception as failure:  # any failure becomes the run's error, never a crash
            error = f"{type(failure).__name__}: {failure}"
        finally:
            current_path.unlink(missing_ok=True)
        try:
            if error is None:
                set_report(self.engine(), run_id, "done", job["output"])
                logger.info("report rendered", extra={"run_id": run_id})
            else:
                set_report(self.engine(), run_id, "failed", error=error[-2000:])
                logger.error("report failed", extra={"run_id": run_id, "error": error[-500:]})
        except Exception:
            logger.exception("cannot record the report's status", extra={"run_id": run_id})

    def _run_worker(self, job: dict[str, Any]) -> str | None:
        command = [sys.executable, "-m", "monitoring_service.report_worker", json.dumps(job)]
        with self._lock:
            if self._closed:
                return "the service stopped before the report was rendered"
            self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.PIPE)
        process = self._process
        try:
            _, stderr = process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return f"rendering took longer than {self.timeout:.0f} s"
        finally:
            with self._lock:
                self._process = None
        if process.returncode != 0:
            return stderr.decode("utf-8", "replace").strip() or f"exit {process.returncode}"
        return None

    def shutdown(self) -> None:
        """Stop: drop queued jobs, end the running child (its run stays pending)."""
        with self._lock:
            self._closed = True
            if self._process is not None:
                self._process.kill()
        self._pool.shutdown(wait=False, cancel_futures=True)
